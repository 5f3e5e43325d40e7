"""Starting on a theme: the question first, then what can wait (and nothing is lost by waiting)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual.widgets import Static

from coach.session import transcript
from coach.ui.app import make_app
from coach.ui.screens.dialogue import DialogueScreen
from coach.ui.widgets.key_bar import KeyBar


async def test_the_question_is_the_first_screen_and_the_rest_follows(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen_stack == [app.screen] and isinstance(app.screen, DialogueScreen)
        assert "We beginnen met de opgaven" in str(app.screen.query_one("#question", Static).render())
        await pilot.pause()
        screen = app.screen
        assert screen.painted
        assert "Verder" in str(screen.query_one(KeyBar).render()), "the footer keys follow the first frame"
        assert "beantwoord" in str(screen.query_one("#progress", Static).render())
        path = screen.session.path
        assert path is not None and transcript.load(path)["position"]["node"] == "welkom", "claimed: saved"
        assert screen.session.lock is not None, "claimed: locked against a second window"
        assert screen.session.catalogue is not None


async def test_the_first_answer_waits_for_the_claim_when_it_comes_first(ui_home: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A person who answers before the app got round to taking the file: taken first, then saved."""
    monkeypatch.setattr(DialogueScreen, "claim", lambda self: None)  # the claim after the first frame did not run
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, DialogueScreen)
        assert screen.session.lock is None and not screen.session.saved_once
        await pilot.press("enter")
        await pilot.press(*"Dementiezorg", "enter", "ctrl+s")
        await pilot.pause()
        assert screen.session.lock is not None
        saved = transcript.load(screen.session.path)
        assert [a["value"] for a in saved["answers"]] == [["Dementiezorg"]]


async def test_a_home_that_cannot_be_written_is_said_and_the_answer_kept(ui_home: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise transcript.TranscriptError("kon niet opslaan: Alleen-lezen bestandssysteem")

    monkeypatch.setattr(transcript, "write", refuse)
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DialogueScreen)
        assert "niet opgeslagen" in str(screen.query_one("#saved", Static).render())
        assert "Alleen-lezen" in str(screen.query_one("#save-problem", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        assert "We beginnen met de opgaven" in str(screen.query_one("#question", Static).render()), \
            "no next question as if it were saved"


async def test_start_up_hands_the_garbage_collector_back(ui_home: Path) -> None:
    """`coach start` pauses the cyclic GC until the first frame (coach.ui.launch); the app resumes it."""
    gc.disable()
    try:
        app = make_app(theme="example")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


async def test_a_data_folder_that_cannot_be_made_is_said_with_the_way_out(ui_home: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.session import store

    def refuse(session_id: str) -> Path:
        raise PermissionError(13, "Permission denied", str(ui_home / "sessions"))

    monkeypatch.setattr(store, "new_session_path", refuse)
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, DialogueScreen), "no question as if it could be saved"
        messages = [str(n.message) for n in app._notifications]
        assert any("COACH_HOME" in m and "niet te beschrijven" in m for m in messages), messages


async def test_no_probes_asks_no_follow_up_in_the_app(real_home: Path) -> None:
    """`coach start THEME --no-probes` in a terminal: the app asks no follow-ups (it asked them anyway)."""
    for probes, kind in ((True, "probe"), (False, "question")):
        app = make_app(theme="positionering", probes=probes)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press(*"Dementiezorg", "enter", "ctrl+s")
            await pilot.pause()
            await pilot.press(*"Vooral dementiezorg, omdat mijn moeder Alzheimer heeft en het me raakt.", "ctrl+s")
            await pilot.pause()
            assert app.screen.session.current.kind == kind
