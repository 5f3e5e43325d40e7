"""Free text: a multi-line text area.

On the first screen of a start, Textual's TextArea (importing and styling it costs about as
much as the rest of that screen) comes right after the first frame. Until then a box of
the same size and look stands in: it shows the earlier answer, keeps what is typed, and
hands it to the TextArea that takes its place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Label, Static

from coach.ui.widgets.answers.base import AnswerWidget

if TYPE_CHECKING:
    from textual.widgets import TextArea

HINT = "Ctrl+S om verder te gaan · Enter voor een nieuwe regel"


class StandIn(Static, can_focus=True):
    """The text box before the TextArea is there: shows and keeps what is typed or pasted
    (Enter and Backspace too; the cursor stays at the end)."""

    def __init__(self, text: str) -> None:
        super().__init__(id="text-stand-in")
        self.text = text

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        self.update(Content.assemble(self.text, (" ", "reverse")))  # the text, literally, and a cursor

    def add(self, text: str) -> None:
        """Text typed or pasted, at the end (line ends made newlines)."""
        self.text += text.replace("\r\n", "\n").replace("\r", "\n")
        self.show()

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            self.add("\n")
        elif event.key == "backspace":
            self.text = self.text[:-1]
            self.show()
        elif event.is_printable and event.character:
            self.add(event.character)
        else:
            return  # Ctrl+S and the other keys go on to the screen
        event.stop()

    def on_paste(self, event: events.Paste) -> None:
        self.add(event.text)
        event.stop()


class TextAnswer(AnswerWidget):
    """Multi-line free text."""

    def compose(self) -> ComposeResult:
        text = str(self.previous or "")
        after_paint: Callable[[Callable[[], object]], None] | None = getattr(self.screen, "after_paint", None)
        if after_paint is not None and not getattr(self.screen, "painted", True):
            yield StandIn(text)
            after_paint(self.replace_stand_in)
        else:
            yield text_area(text)
        yield Label(Content(HINT), classes="hint")

    def replace_stand_in(self) -> None:
        """The TextArea in the stand-in's place, with what was typed in it and the focus if it had it."""
        for stand_in in self.query(StandIn):
            area = text_area(stand_in.text)
            self.mount(area, before=stand_in)
            if stand_in.has_focus:
                area.focus()
            area.move_cursor(area.document.end)
            stand_in.remove()

    def type_ahead(self, character: str) -> bool:
        for stand_in in self.query(StandIn):
            stand_in.add(character)
            return True
        from textual.widgets import TextArea

        for area in self.query(TextArea):
            area.insert(character)
            return True
        return False

    def missing(self) -> str | None:
        """Nothing written, or only spaces and new lines (the session keeps neither)."""
        return None if self.value().strip() else "Schrijf eerst een antwoord"

    def value(self) -> str:
        for stand_in in self.query(StandIn):
            return stand_in.text
        from textual.widgets import TextArea

        return self.query_one(TextArea).text


def text_area(text: str) -> TextArea:
    from textual.widgets import TextArea

    return TextArea(text, soft_wrap=True, show_line_numbers=False, id="text-answer")
