"""What every answer widget shares: the node it answers, its value, and going on (``hand_in``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.containers import Vertical

if TYPE_CHECKING:
    from textual.widget import Widget

    from coach.engine.model import Node


class AnswerWidget(Vertical):
    """Base: a value for the session, and handing it in when the person goes on."""

    def __init__(self, node: Node, previous: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.node = node
        self.previous = previous
        self.taker: Callable[[AnswerWidget], None] | None = None
        """Set by the screen that shows the widget: takes the answer when the person goes on."""
        self.handed_in = False
        """Set once the person went on from here (a number on a choice, Enter on a scale):
        keys still on their way to this widget belong to the next question, not to this one."""

    def hand_in(self) -> None:
        """Go on with this answer, once.

        The screen takes it at once, not by a message: a message would wait behind the keys
        typed after this one, and those belong to the next question.
        """
        if not self.handed_in:
            self.handed_in = True
            if self.taker is not None:
                self.taker(self)

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
        changed), "\n" for Enter, as the key would have done here; False when it does nothing here."""
        return False

    def focus_input(self) -> None:
        """Put the keyboard focus where typing starts."""
        for widget in self.query("*"):
            if widget.can_focus:
                self.give_focus(widget)
                return

    def give_focus(self, widget: Widget) -> None:
        """Focus ``widget`` at once.

        ``Widget.focus`` waits for the app's turn; while the app runs Ctrl+S (it waits for
        the next question), keys typed after it would meanwhile go to the old place, and an
        Enter that reached no widget was lost.
        """
        if self.is_attached and widget.is_attached:
            self.screen.set_focus(widget)
        else:
            widget.focus()
