"""Snapshots of what a director sees, at 80×24 and 120×40.

Update only after looking at the report: `pytest tests/ui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.session.headless import run_headless
from coach.ui.app import make_app
from conftest import DATA

SIZES = [(80, 24), (120, 40)]

# Keys that bring the example dialogue to each question type.
TO_LIST = ["enter"]
TO_CHOICE = TO_LIST + [*"Dementiezorg", "enter", *"Wonen", "enter", "ctrl+s"]
TO_MULTICHOICE = TO_CHOICE + ["1"]
TO_SCALE = TO_MULTICHOICE + ["1", "ctrl+s", "3"]
TO_TEXT = TO_SCALE + ["2", "enter"]
TO_POLARITY = TO_SCALE + ["4", "enter"]

QUESTIONS = {"list": TO_LIST, "choice": TO_CHOICE, "multichoice": TO_MULTICHOICE, "scale": TO_SCALE,
             "text": TO_TEXT, "polarity": TO_POLARITY}


@pytest.fixture(autouse=True)
def no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A still cursor, so snapshots do not depend on when they are taken."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None, raising=False)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None, raising=False)
    from coach.ui.widgets.coach_panel import CoachPanel

    monkeypatch.setattr(CoachPanel, "clock", staticmethod(lambda: 1000.0))


def keys_then_settle(keys: list[str]):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        # The snapshot runner starts pressing before the first screen is mounted (it is the
        # app's default screen); a person sees the question before they answer it.
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_home(snap_compare, real_home: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """You should see the praatplaat: the four perspectives with their kernvragen and the
    themes, the first theme's introduction on the right, and the footer keys."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys_then_settle([]))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("kind", list(QUESTIONS))
def test_question_of_each_type(snap_compare, ui_home: Path, kind: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """You should see the conversation so far above, and the current question with its
    answer widget (list input, numbered options, checkboxes, 1–5 with end labels, a text
    area, or now/desired rows between two poles), progress and the footer keys."""
    app = make_app(theme="example")
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle(QUESTIONS[kind]))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_summary(snap_compare, ui_home: Path, size: tuple[int, int], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """You should see the summary: the opgaven table, the energy bar, the polarity with
    now and desired bars, what was written, the two insights and the models with why."""
    import shutil
    import tempfile

    from coach.engine.library import load_catalogue, load_dialogue

    # The path is shown: keep it fixed. One per size: the two sizes may run at once (xdist),
    # and one removing the other's session made it open the home screen instead.
    ui_home = Path(tempfile.gettempdir()) / f"netwerkcoach-snapshot-{size[0]}x{size[1]}"
    shutil.rmtree(ui_home, ignore_errors=True)
    monkeypatch.setenv("COACH_HOME", str(ui_home))
    from coach.session import transcript

    catalogue = load_catalogue(DATA)
    dialogue = load_dialogue(DATA / "example.yaml", catalogue)
    given = {"opgaven": ["Dementiezorg", "Wonen"], "positie": {"Dementiezorg": "proactief", "Wonen": "actief"},
             "overwegingen": {"Dementiezorg": ["regio"], "Wonen": []}, "energie": 4,
             "spanning": {"now": 1, "desired": 4}, "stap": "Bellen met de wethouder over de planning."}
    session = run_headless(dialogue, catalogue, given, "test", probes=False)
    path = ui_home / "sessions" / "klaar.yaml"
    session.session_id = "klaar"
    transcript.save(path, session.to_document())
    assert snap_compare(make_app(resume=str(path)), terminal_size=size, run_before=keys_then_settle([]))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_vindplaats_search(snap_compare, real_home: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """You should see the search field with 'vertrouwen', the results ranked, and the page of
    'Hoe ontwikkelen we meer vertrouwen?' with its toelichting, the vertrouwensparadox and literature."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys_then_settle(["w", "slash", *"vertrouwen", "enter"]))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_probe_in_conversation_and_coach_panel(snap_compare, ui_home: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """You should see the follow-up marked 'Vervolgvraag', quoting 'We moeten wel meedoen…',
    and, in the coach panel (beside it, or below at 80×24), the same follow-up to ask or let go."""
    keys = ["escape", *TO_SCALE, "2", "enter", *"We moeten wel meedoen van de gemeente", "ctrl+s"]
    app = make_app(theme="example", coach=True)
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle(keys))
