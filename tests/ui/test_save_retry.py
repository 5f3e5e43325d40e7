"""A failed save in the app: the answer stays, the message says where and why, and the save is
tried again by itself; the next question shows only once the answer is on disk.

Tests run as root, where an unwritable folder does not stop a write, so the disk is made to
refuse by failing ``transcript._replace`` the way the OS would (as in
``tests/reliability/test_disk_errors.py``). The retry schedule is made short.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Label, Static

from coach.session import transcript
from coach.ui import save_retry
from coach.ui.app import make_app
from ui_helpers import question_text

FIRST = "Tot welke opgaven wil je je verhouden?"
SECOND = "Welke positie kies je bij Dementiezorg?"
FULL = OSError(errno.ENOSPC, "No space left on device")


def failing(times: int, err: OSError = FULL) -> tuple[Callable[..., Any], list[int]]:
    """A stand-in for ``transcript._replace`` that fails ``times`` times, then works; and its call count."""
    calls = [0]
    original = transcript._replace

    def replace(temp: Path, path: Path) -> None:
        calls[0] += 1
        if calls[0] <= times:
            raise err
        original(temp, path)

    return replace, calls



def problem(app) -> str:  # type: ignore[no-untyped-def]
    lines = app.screen.query("#save-problem").results(Static)  # made when first needed
    return next((str(line.render()) for line in lines if line.has_class("-shown")), "")


def saved_answers(path: Path) -> list[Any]:
    return [a["value"] for a in transcript.load(path)["answers"]]


async def answer_while_the_disk_refuses(pilot, monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Past the welcome, then the first opgave answered while the disk refuses ``times`` saves; the call count."""
    await pilot.press("enter")
    await pilot.pause()
    replace, calls = failing(times)
    monkeypatch.setattr(transcript, "_replace", replace)
    await pilot.press(*"Dementiezorg", "enter", "ctrl+s")
    await pilot.pause()
    return calls


@pytest.fixture
def short_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(save_retry, "RETRY_DELAYS", (0.2, 0.4))


async def test_failed_save_is_retried_and_the_next_question_waits_for_it(ui_home: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(save_retry, "RETRY_DELAYS", (1.0, 0.2))
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")                                          # the welcome: saved as usual
        await pilot.pause()
        path = app.screen.session.path
        replace, calls = failing(2)
        monkeypatch.setattr(transcript, "_replace", replace)
        await pilot.press(*"Dementiezorg", "enter", "ctrl+s")
        await pilot.pause()
        said = problem(app)
        assert "de schijf is vol (No space left on device)" in said and str(path) in said, "where and why"
        assert "Nieuwe poging over 1 seconde;" in said and "Ctrl+S" in said, "and when it is tried again"
        assert "niet opgeslagen" in str(app.screen.query_one("#saved", Label).render())
        assert any("vanzelf opnieuw geprobeerd" in str(n.message) for n in app._notifications)
        assert question_text(app) == FIRST and app.screen.answer_widget.shown() == (("Dementiezorg",), ""), "the answer stays"
        deadline = time.monotonic() + 10
        while saved_answers(path) != [["Dementiezorg"]]:
            assert question_text(app) == FIRST, "no later question before the answer is on disk"
            assert time.monotonic() < deadline, "the automatic retry never saved"
            await pilot.pause(0.02)
        await pilot.pause()
        assert calls[0] == 3, "the first try and two automatic retries"
        assert question_text(app) == SECOND
        assert problem(app) == "" and "✓ opgeslagen" in str(app.screen.query_one("#saved", Label).render())
        assert any("Alsnog opgeslagen" in str(n.message) for n in app._notifications)


async def test_ctrl_s_tries_again_at_once(ui_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(save_retry, "RETRY_DELAYS", (60.0,))               # no timer fires during this test
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        replace, calls = failing(1, OSError(errno.EROFS, "Read-only file system"))
        monkeypatch.setattr(transcript, "_replace", replace)
        await pilot.press(*"Dementiezorg", "enter", "ctrl+s")
        await pilot.pause()
        assert "alleen-lezen" in problem(app) and "over 60 seconden" in problem(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert question_text(app) == SECOND and calls[0] == 2
        assert saved_answers(app.screen.session.path) == [["Dementiezorg"]]
        assert app.screen.pending is None, "the waiting retry is gone"


async def test_quitting_while_an_answer_waits_to_be_saved_asks_first(ui_home: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(save_retry, "RETRY_DELAYS", (60.0,))               # no timer fires during this test
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_while_the_disk_refuses(pilot, monkeypatch, 1)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and "Toch stoppen?" in str(app.screen.query_one("#confirm-question", Static).render())
        await pilot.press("enter")                                         # the focus starts on "Annuleren"
        await pilot.pause()
        assert app.is_running and question_text(app) == FIRST
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("escape")                                        # no, too
        await pilot.pause()
        assert app.is_running and question_text(app) == FIRST
        await pilot.press("ctrl+s")                                        # the disk takes it now
        await pilot.pause()
        assert question_text(app) == SECOND and saved_answers(app.screen.session.path) == [["Dementiezorg"]]
        await pilot.press("ctrl+q")                                        # nothing waits: stops at once
        await pilot.pause()
        assert not app.is_running


async def test_choosing_to_stop_while_an_answer_waits_stops(ui_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(save_retry, "RETRY_DELAYS", (60.0,))
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_while_the_disk_refuses(pilot, monkeypatch, 5)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert not app.is_running


async def test_retry_stops_when_the_answer_is_edited_meanwhile(ui_home: Path, short_retries: None,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        calls = await answer_while_the_disk_refuses(pilot, monkeypatch, 1)
        await pilot.press(*"Wonen", "enter")                                  # a second opgave, typed while it waits
        await pilot.pause(0.6)
        assert question_text(app) == FIRST and calls[0] == 1, "an edited answer is not saved behind the person's back"
        assert "Ctrl+S bewaart het zoals het nu is" in problem(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert question_text(app) == SECOND
        assert saved_answers(app.screen.session.path) == [["Dementiezorg", "Wonen"]]


async def test_retry_keeps_going_while_the_disk_refuses(ui_home: Path, short_retries: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        replace, calls = failing(10**6, OSError(errno.EACCES, "Permission denied"))
        monkeypatch.setattr(transcript, "_replace", replace)
        await pilot.press(*"Dementiezorg", "enter", "ctrl+s")
        await pilot.pause(1.5)
        assert calls[0] >= 3, "tried again and again"
        assert question_text(app) == FIRST
        assert "geen toestemming om hier te schrijven" in problem(app) and "over 0,4 seconden" in problem(app)
        monkeypatch.setattr(save_retry, "RETRY_DELAYS", (60.0,))
        await pilot.press("escape")                                           # pause: fails too, says so, stays
        await pilot.pause()
        assert question_text(app) == FIRST


def test_the_delays_double_up_to_half_a_minute() -> None:
    delays = [save_retry.retry_delay(n) for n in range(9)]
    assert delays == [1, 2, 4, 8, 16, 30, 30, 30, 30]
    assert save_retry.in_seconds(1) == "over 1 seconde" and save_retry.in_seconds(2.5) == "over 2,5 seconden"
