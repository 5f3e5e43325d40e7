"""Keys in bursts, as a fast typist, a paste or a restless hand delivers them: the app never
ends with a traceback, and what it saved still reads back.

The random bursts found two crashes: a choice's number followed at once by another key (a
second going-on read a widget half made), and Enter on the Ctrl+G list arriving just after
Escape closed it (Textual's dismiss then closed the dialogue beneath it, or ended the app).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from textual import events

from coach.session import transcript
from coach.ui.app import make_app
from coach.ui.screens.dialogue import DialogueScreen
from coach.ui.screens.modals import JumpScreen

KEYS = [*"123456789", *"abc ", *["enter"] * 6, *["ctrl+s"] * 6, "ctrl+b", "ctrl+o", "ctrl+o", "tab", "shift+tab",
        "up", "down", "left", "right", "f3", "ctrl+g", "escape", "delete", "backspace", "space", "v"]
EVERY_KEY = [*KEYS, "p", "s", "w", "m", "h", "c", "slash", "o", "f1", "f2", "f4", "f5", "ctrl+p"]
"""With the home, summary, help, coach-mode and palette keys too."""


def burst(app, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """All queued at once, before the app handles the first."""
    for key in keys:
        character = key if len(key) == 1 else (" " if key == "space" else None)
        app.post_message(events.Key(key, character))


async def close_twice(pilot, app, opening: str, kind: type, late_result: object) -> None:  # type: ignore[no-untyped-def]
    """Open a screen with ``opening``, close it with Escape, then close it again as the Enter
    already on its way would have (with ``late_result``)."""
    await pilot.press(opening)
    await pilot.pause()
    closing = app.screen
    assert isinstance(closing, kind)
    await pilot.press("escape")
    await pilot.pause()
    closing.dismiss(late_result)
    for _ in range(3):
        await pilot.pause()


async def test_a_second_close_of_the_question_list_leaves_the_conversation(ui_home: Path) -> None:
    """Escape closed the Ctrl+G list; an Enter already on its way to the list closed it again,
    and Textual closed the conversation beneath it instead."""
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Dementiezorg", "enter", "ctrl+s")
        await close_twice(pilot, app, "ctrl+g", JumpScreen, ("opgaven", None))
        assert app.is_running
        assert isinstance(app.screen, DialogueScreen), "the conversation is still there"
        assert app.screen.session.current.node.id == "positie", "and where it was"


async def test_a_second_close_of_the_command_palette_leaves_the_screen_beneath(ui_home: Path) -> None:
    """Textual's own palette had the same habit: Enter on its way when Escape closed it."""
    from coach.ui.palette import Palette

    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await close_twice(pilot, app, "ctrl+p", Palette, None)
        assert app.is_running
        assert isinstance(app.screen, DialogueScreen)


@pytest.mark.parametrize(("keys", "seed"), [(KEYS, 13), (KEYS, 21), (KEYS, 1), (EVERY_KEY, 107), (EVERY_KEY, 114)],
                         ids=["13", "21", "1", "every-key-107", "every-key-114"])
async def test_random_bursts_never_end_the_app(ui_home: Path, keys: list[str], seed: int) -> None:
    """Each of these ended the app before (a closed list closed again, the palette likewise,
    F5 in a row), except seed 1 of the first keys, which is any."""
    rnd = random.Random(seed)
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(25):
            typed = [rnd.choice(keys) for _ in range(rnd.randint(1, 8))]
            if rnd.random() < 0.5:
                burst(app, *typed)
                for _ in range(3):
                    await pilot.pause()
            else:
                await pilot.press(*typed)
            if not app.is_running:
                break
    assert app._exception is None, app._exception
    for path in (ui_home / "sessions").glob("*.yaml"):
        transcript.load(path)  # whole, and checked (count and checksum)


@pytest.mark.parametrize("presses", [2, 3, 5])
async def test_coach_mode_pressed_in_a_row_ends_in_the_mode_it_says(ui_home: Path, presses: int) -> None:
    """F5 again while the panel was still coming or going ended the app (the panel was
    filled after it had gone), or left coach mode without its panel."""
    app = make_app(theme="example")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        burst(app, *["f5"] * presses)
        for _ in range(6):
            await pilot.pause()
        assert app._exception is None, app._exception
        screen = app.screen
        assert isinstance(screen, DialogueScreen)
        coach = presses % 2 == 1
        assert screen.coach is coach
        assert len(screen.query("#coach-panel")) == (1 if coach else 0), "the panel goes with the mode"
