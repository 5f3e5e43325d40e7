"""Free text: a multi-line text area."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Label, TextArea

from coach.ui.widgets.answers.base import AnswerWidget


class TextAnswer(AnswerWidget):
    """Multi-line free text."""

    def compose(self) -> ComposeResult:
        yield TextArea(str(self.previous or ""), soft_wrap=True, show_line_numbers=False, id="text-answer")
        yield Label(Content("Ctrl+S om verder te gaan · Enter voor een nieuwe regel"), classes="hint")

    def value(self) -> str:
        return self.query_one(TextArea).text
