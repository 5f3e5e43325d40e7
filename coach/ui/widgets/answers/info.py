"""An information step: nothing to answer, Enter goes on."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from coach.ui.widgets.answers.base import AnswerWidget


class InfoAnswer(AnswerWidget):
    """Nothing to answer: Enter goes on."""

    def compose(self) -> ComposeResult:
        yield Static(Content("Druk op Enter om verder te gaan."), classes="hint", id="info-continue")

    def value(self) -> None:
        return None

    def focus_input(self) -> None:
        self.give_focus(self)

    can_focus = True

    def on_key(self, event: Any) -> None:
        if event.key == "enter" and not self.handed_in:
            event.stop()
            self.hand_in()
