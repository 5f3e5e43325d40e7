"""What every answer widget shares: the node it answers, its value, and ``Submitted``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Vertical
from textual.message import Message

if TYPE_CHECKING:
    from coach.engine.model import Node


class AnswerWidget(Vertical):
    """Base: a value for the session, and a message when the person submits."""

    class Submitted(Message):
        """The person asked to go on with this answer."""

    def __init__(self, node: Node, previous: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.node = node
        self.previous = previous

    def value(self) -> Any:
        """The raw answer (the session validates it)."""
        raise NotImplementedError

    def missing(self) -> str | None:
        """What must still be chosen before the session can check this answer, as a request
        to the person ("Kies eerst een antwoord"); None when there is something to check.

        The session's own check is worded for every way in (a file of answers, a pipe);
        an answer left half-done in the app is better met with what to do here.
        """
        return "Kies eerst een antwoord" if self.value() is None else None

    def shown(self) -> Any:
        """What the widget holds now, read without changing it (to notice an edit)."""
        return self.value()

    def type_ahead(self, character: str) -> bool:
        """Take a character typed before the keyboard focus got here (the step had just
        changed); False when this widget has no text to add it to."""
        return False

    def focus_input(self) -> None:
        """Put the keyboard focus where typing starts."""
        for widget in self.query("*"):
            if widget.can_focus:
                widget.focus()
                return
