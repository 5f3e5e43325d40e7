"""What cannot be undone is asked first, and Enter alone answers "no"."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from coach.session.session import Session
from coach.ui.app import make_app
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.modals import ConfirmScreen


@pytest.fixture
def saved(example, ui_home: Path) -> Path:
    """A saved session of the example with one answer."""
    path = ui_home / "sessions" / "20261123-101500-example-beef.yaml"
    session = Session.start(*example, path=path, session_id=path.stem)
    session.acknowledge()
    session.answer(["Dementiezorg"])
    return path


async def test_deleting_a_session_asks_and_enter_keeps_it(saved: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.screen.query_one("#sessions", OptionList).focus()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert saved.stem in str(app.screen.query_one("#confirm-question", Static).render())
        await pilot.press("enter")                                    # the focus is on "Annuleren"
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and saved.exists()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and not saved.exists()
        assert any("Sessie verwijderd" in str(n.message) for n in app._notifications)


async def delete_from_home(app, pilot) -> str:  # type: ignore[no-untyped-def]
    """Delete the first listed session on the home screen; returns the question asked."""
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    app.screen.query_one("#sessions", OptionList).focus()
    await pilot.press("delete")
    await pilot.pause()
    question = str(app.screen.query_one("#confirm-question", Static).render())
    await pilot.click("#yes")
    await pilot.pause()
    return question


async def test_deleting_in_the_app_takes_the_session_reports_too(saved: Path) -> None:
    """The app removed only the transcript: its Markdown and HTML reports, answers and all,
    stayed in the sessions folder after "Sessie verwijderd"."""
    reports = [saved.with_suffix(".md"), saved.with_suffix(".html")]
    for report in reports:
        report.write_text(f"rapport van {saved.stem}", encoding="utf-8")
    mine = saved.parent / "eigen-aantekeningen.md"
    mine.write_text("van mij", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        question = await delete_from_home(app, pilot)
        assert f"{saved.stem}.md" in question and f"{saved.stem}.html" in question
        assert not saved.exists() and not any(r.exists() for r in reports)
        assert mine.exists()


async def test_a_session_open_elsewhere_is_not_deleted_in_the_app(saved: Path) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from coach.session.lock import SessionLock; "
         "SessionLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)", str(saved)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await delete_from_home(app, pilot)
            assert saved.exists()
            assert any("geopend in een ander venster" in str(n.message) for n in app._notifications)
    finally:
        holder.kill()
        holder.wait()
