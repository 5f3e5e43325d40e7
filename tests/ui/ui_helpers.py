"""What several UI tests share: the question shown, the saved answers, and the Ctrl+G list of answered questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import OptionList, Static


def question_text(app: App[object]) -> str:
    """The question on the dialogue screen, as drawn."""
    return str(app.screen.query_one("#question", Static).render())


def rendered_options(options: OptionList) -> list[str]:
    """The option list's lines as drawn on screen."""
    return ["".join(segment.text for segment in options.render_line(y)).rstrip() for y in range(options.size.height)]


def option_labels(options: OptionList) -> list[str]:
    """Each option's whole label (however it wraps on screen)."""
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_jump_list(pilot: Pilot[object], app: App[object]) -> OptionList:
    """Press Ctrl+G and return the list it opens."""
    await pilot.press("ctrl+g")
    await pilot.pause()
    return app.screen.query_one(OptionList)


async def jump_to(pilot: Pilot[object], app: App[object], words: str) -> None:
    """Open the Ctrl+G list and go, with the keyboard, to the question whose label holds ``words``."""
    options = await open_jump_list(pilot, app)
    labels = option_labels(options)
    matches = [i for i, label in enumerate(labels) if words in label]
    assert matches, f"{words!r} not in the jump list: {labels}"
    options.highlighted = matches[0]
    await pilot.press("enter")
    await pilot.pause()


def saved_answers(path: Path) -> dict[str, Any]:
    """The answers in a session's file, by question id (what a resumed session would find)."""
    from coach.session import transcript

    return {a["question"]: a["value"] for a in transcript.load(path)["answers"]}
