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
