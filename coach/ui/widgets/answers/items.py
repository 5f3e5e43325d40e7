"""A list of short items, added and removed one by one (or pasted as lines)."""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from coach.engine.model import Node
from coach.ui.widgets.answers.base import AnswerWidget


class ItemInput(Input):
    """An input where pasting several lines adds each line as an item."""

    class Lines(Message):
        """Several lines were pasted."""

        def __init__(self, lines: list[str]) -> None:
            super().__init__()
            self.lines = lines

    def _on_paste(self, event: events.Paste) -> None:
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        if len(lines) > 1:
            event.stop()
            event.prevent_default()
            self.post_message(self.Lines(lines))
            return
        super()._on_paste(event)


class ListAnswer(AnswerWidget):
    """Short items: Enter adds, Delete removes the highlighted one."""

    def __init__(self, node: Node, previous: Any = None, **kwargs: Any) -> None:
        super().__init__(node, previous, **kwargs)
        self.items: list[str] = list(previous or [])

    def compose(self) -> ComposeResult:
        name = self.node.item_name or "onderdeel"
        yield ItemInput(placeholder=f"Typ een {name} en druk op Enter", id="list-input")
        yield OptionList(*[Option(Content(item)) for item in self.items], id="list-items")
        yield Label(Content("Enter voegt toe · Delete haalt weg · Ctrl+S om verder te gaan"), classes="hint")

    def value(self) -> list[str]:
        pending = self.query_one(Input).value.strip()
        if pending and pending not in self.items:
            self.add(pending)
        return list(self.items)

    def missing(self) -> str | None:
        """Nothing added and nothing typed: ask for a first one (a minimum above one is the session's to tell)."""
        if self.items or self.query_one(Input).value.strip():
            return None
        return f"Voeg eerst een {self.node.item_name or 'onderdeel'} toe (typ en druk op Enter)"

    def type_ahead(self, character: str) -> bool:
        for item_input in self.query(ItemInput):
            if character == "\n":  # Enter adds what is typed, as in the box itself
                self.add_typed(item_input.value)
            else:
                item_input.insert_text_at_cursor(character)
            return True
        return False

    def shown(self) -> Any:
        """The items and the half-typed one (``value`` would add that one to the list)."""
        return (tuple(self.items), self.query_one(Input).value)

    def add(self, text: str) -> None:
        self.items.append(text)
        self.query_one(OptionList).add_option(Option(Content(text)))
        self.query_one(Input).value = ""

    @on(ItemInput.Lines)
    def _pasted(self, event: ItemInput.Lines) -> None:
        event.stop()
        for line in event.lines:
            text = " ".join(line.split())
            if text.casefold() not in {i.casefold() for i in self.items}:
                self.add(text)

    @on(Input.Submitted)
    def _added(self, event: Input.Submitted) -> None:
        event.stop()
        self.add_typed(event.value)

    def add_typed(self, typed: str) -> None:
        """The typed item added (spaces tidied), unless it is empty or already there."""
        text = " ".join(typed.split())
        if text and text.casefold() not in {i.casefold() for i in self.items}:
            self.add(text)
        elif text:
            self.notify(Content(f"'{text}' staat er al in."), severity="warning")
            self.query_one(Input).value = ""

    def on_key(self, event: Any) -> None:
        option_list = self.query_one(OptionList)
        if event.key == "delete" and option_list.has_focus and option_list.highlighted is not None:
            event.stop()
            index = option_list.highlighted
            del self.items[index]
            option_list.remove_option_at_index(index)
