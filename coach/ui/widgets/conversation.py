"""The exchange so far: questions and answers in turn, newest at the bottom.

A newest turn taller than the band (a theme's intro on a small terminal) is shown
from its first line: a person reads it from the start, not from its last lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from coach.engine.record import Record
from coach.text import strip_controls


@dataclass(eq=False, repr=False)
class Turn(Record):
    """One line of the conversation."""

    kind: str
    """``intro``, ``question``, ``answer``, ``probe``, ``probe-answer`` or ``notice``."""
    text: str
    question: str | None = None
    item: str | None = None


class Bubble(Static, can_focus=True):
    """One turn; an answer can be selected to change it."""

    class Selected(Message):
        """An earlier answer was chosen to change."""

        def __init__(self, question: str, item: str | None) -> None:
            super().__init__()
            self.question = question
            self.item = item

    def __init__(self, turn: Turn) -> None:
        super().__init__(Content(strip_controls(turn.text)), classes=f"turn -{turn.kind}", markup=False)
        self.turn = turn
        self.can_focus = turn.kind == "answer"

    def _select(self) -> None:
        if self.turn.kind == "answer" and self.turn.question:
            self.post_message(self.Selected(self.turn.question, self.turn.item))

    def on_click(self) -> None:
        self._select()

    def key_enter(self) -> None:
        self._select()


class Conversation(VerticalScroll):
    """The turns so far, scrolled to the newest."""

    def __init__(self, turns: list[Turn] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._first_turns = turns or []

    def compose(self) -> ComposeResult:
        yield from (Bubble(turn) for turn in self._first_turns)

    def on_mount(self) -> None:
        if self._first_turns:
            self.call_after_refresh(self.scroll_to_newest)

    def on_resize(self, event: events.Resize) -> None:
        # A band that changes size (the coach panel hidden or shown, the question area
        # growing) or whose turns wrap anew: the offset of before points elsewhere now.
        self.call_after_refresh(self.scroll_to_newest)

    def show(self, turns: list[Turn]) -> None:
        """Replace the turns shown (cheap: a conversation has tens of turns)."""
        self.remove_children()
        self.mount_all([Bubble(turn) for turn in turns])
        self.call_after_refresh(self.scroll_to_newest)

    def scroll_to_newest(self) -> None:
        """The newest turn at the bottom; one taller than the band from its first line."""
        bubbles = list(self.query_children(Bubble))
        if not bubbles:
            return
        newest = bubbles[-1]
        if newest.outer_size.height > self.scrollable_content_region.height:
            self.scroll_to(y=newest.virtual_region.y, animate=False, immediate=True)
        else:
            self.scroll_end(animate=False, immediate=True)
