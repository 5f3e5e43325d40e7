"""A damaged transcript in the app: what is wrong is said, the file is kept, a copy is offered.

The copy is made by the same domain code as `coach resume ID --recover`
(``coach.session.recover``); these tests drive it through the keyboard.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from coach.session import transcript
from coach.session.session import Session
from coach.ui.app import make_app
from coach.ui.screens.dialogue import DialogueScreen
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.recover import RecoverScreen

ANSWERS = (["Dementiezorg", "Wonen"], "proactief", ["regio"], "actief")
"""Four answers: the session then stands at 'overwegingen' for Wonen."""


@pytest.fixture
def damaged(example, ui_home: Path) -> Path:
    """A saved session of the example with four answers, then cut short (its last lines gone)."""
    path = ui_home / "sessions" / "20261123-201500-example-abcd.yaml"
    session = Session.start(*example, path=path, session_id=path.stem)
    session.acknowledge()
    for value in ANSWERS:
        session.answer(value)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.85)])
    return path


def shown(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(selector, Static).render())


def notices(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(n.message) for n in app._notifications)


def copies(home: Path, damaged: Path) -> list[Path]:
    return [p for p in sorted((home / "sessions").glob("*.yaml")) if p != damaged]


async def open_sessions_tab(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()


async def test_selecting_a_damaged_session_says_what_is_wrong_and_opens_a_copy(damaged: Path, ui_home: Path) -> None:
    before = damaged.read_bytes()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sessions_tab(pilot)
        assert isinstance(app.screen, HomeScreen)
        detail = shown(app, "#session-text")
        assert str(damaged) in detail.replace("\n", "") and "Onleesbaar:" in detail and "integrity" in detail
        assert "blijft zoals het is" in detail and "Enter: open wat nog leesbaar is als kopie" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        text = shown(app, "#recover-text")
        assert "Wat er mis is:" in text and "integrity" in text, "the integrity problem, in words"
        assert str(damaged) in text and "blijft zoals het is: er wordt niets aan veranderd" in text
        assert "Enter: open wat nog leesbaar is als kopie" in shown(app, "#recover-keys"), "the key is shown"
        assert copies(ui_home, damaged) == [], "nothing is made before the person agrees"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DialogueScreen)
        session = app.screen.session
        assert session.path != damaged and session.session_id != damaged.stem
        assert shown(app, "#question") == "Wat weegt mee bij Wonen?", "at the first question without an answer"
        said = notices(app)
        assert "Hersteld uit" in said and "4 antwoord(en) overgenomen" in said
        assert "weggelaten" in said and str(damaged) in said and str(session.path) in said
    assert damaged.read_bytes() == before, "the damaged file is never touched"
    (copy,) = copies(ui_home, damaged)
    recovered = [e for e in transcript.load(copy)["events"] if e["type"] == "recovered"]
    assert recovered and recovered[0]["from"] == str(damaged.resolve())


async def test_escape_keeps_everything_as_it_was(damaged: Path, ui_home: Path) -> None:
    before = damaged.read_bytes()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sessions_tab(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert damaged.read_bytes() == before and copies(ui_home, damaged) == []


async def test_a_session_recovered_before_offers_that_copy_instead_of_a_second(damaged: Path, ui_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sessions_tab(pilot)
        await pilot.press("enter", "enter")                      # recover: a copy, opened
        await pilot.pause()
        assert isinstance(app.screen, DialogueScreen)
        first = app.screen.session.path
        await pilot.press("escape")                              # pause: back home
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        sessions = app.screen.query_one("#sessions", OptionList)
        sessions.focus()
        sessions.highlighted = next(i for i, s in enumerate(app.screen.saved) if s.path == damaged)
        await pilot.pause()
        assert f"Al hersteld als {first.stem}" in shown(app, "#session-text")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        assert f"al eerder als kopie bewaard: sessie {first.stem}" in shown(app, "#recover-text")
        assert "Enter: open die kopie" in shown(app, "#recover-keys")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DialogueScreen) and app.screen.session.path == first
    assert copies(ui_home, damaged) == [first], "no second copy"


async def test_resume_of_a_damaged_session_offers_the_copy(damaged: Path, ui_home: Path) -> None:
    """`coach resume ID` in a terminal goes through the app: the same offer, home beneath it."""
    app = make_app(resume=damaged.stem)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        assert str(damaged) in shown(app, "#recover-text")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), "Esc leaves the person at home, not on an empty screen"
        await pilot.press("s", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DialogueScreen)
        assert shown(app, "#question") == "Wat weegt mee bij Wonen?"


async def test_resume_latest_says_a_newer_session_was_passed_over(example, damaged: Path, ui_home: Path) -> None:
    import os

    older = ui_home / "sessions" / "20261120-090000-example-eeee.yaml"
    Session.start(*example, path=older, session_id=older.stem)
    stamp = damaged.stat().st_mtime
    os.utime(older, (stamp - 60, stamp - 60))
    app = make_app(resume="")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DialogueScreen) and app.screen.session.path == older
        said = notices(app)
        assert "Een nieuwere sessie is onleesbaar en overgeslagen" in said and str(damaged) in said


async def test_file_names_and_problems_are_shown_as_text(example, ui_home: Path) -> None:
    """A file called like markup, edited by hand: its name is shown as it is, not as markup."""
    path = ui_home / "sessions" / "[bold]kapot [@click=app.quit]x.yaml"
    session = Session.start(*example, path=path, session_id="20261123-201500-example-ffff")
    session.acknowledge()
    session.answer(["Dementiezorg"])
    path.write_text(path.read_text(encoding="utf-8").replace("Dementiezorg", "'[red]Demen[/red]'"), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sessions_tab(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen), notices(app)
        text = shown(app, "#recover-text")
        assert "[bold]kapot [@click=app.quit]x.yaml" in text and "controlesom" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DialogueScreen) and app.is_running
        assert "[red]Demen[/red]" in " ".join(str(b.render()) for b in app.screen.query(".turn"))


async def test_an_unreadable_file_a_copy_cannot_mend_is_explained(ui_home: Path) -> None:
    path = ui_home / "sessions" / "nieuw.yaml"
    path.parent.mkdir(parents=True)
    document = transcript.seal({"schema": 99, "app": "netwerkcoach 9.0", "session": "nieuw", "events": []})
    path.write_text(transcript.dump_yaml(document), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sessions_tab(pilot)
        assert "Enter: lees waarom" in shown(app, "#session-text")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "nieuwere versie (netwerkcoach 9.0) met schema 99" in notices(app)


async def test_what_resume_recover_left_out_is_said_inside_the_app(damaged: Path, ui_home: Path) -> None:
    """`coach resume ID --recover` in a terminal: its report shows in the app, not on the terminal behind it."""
    from coach.commands import recover_saved

    told: list[str] = []
    session = recover_saved(damaged.stem, say=told.append)
    session.close()
    assert any("blijft ongewijzigd" in line and str(damaged) in line for line in told)
    assert any("weggelaten" in line and session.session_id in line for line in told)
    app = make_app(resume=session.session_id, notices=told)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DialogueScreen) and app.screen.session.session_id == session.session_id
        assert all(line in notices(app) for line in told)
