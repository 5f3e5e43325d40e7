"""Choosing from options: one (``choice``) or any number (``multichoice``)."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text as RichText
from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from coach.engine.model import Node
from coach.text import strip_controls
from coach.ui.widgets.answers.base import AnswerWidget


def option_prompt(number: RichText, label: str) -> Table:
    """An option's number (and mark), and its label wrapping beside it (a hanging indent).

    Rich, because Content cannot indent a label's second line; the label is literal
    Text (never markup).
    """
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(number, RichText(strip_controls(label)))
    return grid


class ChoiceAnswer(AnswerWidget):
    """One of the options; number keys choose directly."""

    def compose(self) -> ComposeResult:
        options = [Option(option_prompt(RichText(f"{i}."), o.label), id=o.value) for i, o in enumerate(self.node.options, 1)]
        option_list = OptionList(*options, id="choice-answer")
        if self.previous is not None:
            for index, option in enumerate(self.node.options):
                if option.value == self.previous:
                    option_list.highlighted = index
        yield option_list
        yield Label(Content("Kies met ↑↓ en Enter, of typ het nummer"), classes="hint")

    def value(self) -> Any:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            return None
        return self.node.options[option_list.highlighted].value

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.hand_in()

    def choose(self, character: str | None) -> bool:
        """An option's number chooses it and goes on; False for any other character (and
        for every key once the answer is handed in: those are the next question's)."""
        index = int(character) - 1 if character and character.isdecimal() else -1
        if self.handed_in or not 0 <= index < len(self.node.options):
            return False
        self.query_one(OptionList).highlighted = index
        self.hand_in()
        return True

    def on_key(self, event: Any) -> None:
        if self.choose(event.character):
            event.stop()

    def type_ahead(self, character: str) -> bool:
        if character == "\n":  # Enter: the highlighted option
            if self.handed_in or self.query_one(OptionList).highlighted is None:
                return False
            self.hand_in()
            return True
        return self.choose(character)


class MultiChoiceAnswer(AnswerWidget):
    """Any of the options; space, Enter or a number toggles.

    An OptionList with a mark in each prompt, not a SelectionList: that one cuts long
    labels off with "…", and when told to wrap it draws its boxes by screen line, so a
    wrapped label gets a second box and every option below it the wrong one.
    """

    def __init__(self, node: Node, previous: Any = None, **kwargs: Any) -> None:
        super().__init__(node, previous, **kwargs)
        self.chosen: set[str] = set(previous or []) if isinstance(previous, (list, tuple)) else set()

    def prompt(self, index: int) -> Table:
        """An option's line: its mark, number and label."""
        option = self.node.options[index]
        mark = ("[x]", "bold") if option.value in self.chosen else ("[ ]", "")
        return option_prompt(RichText.assemble(mark, f" {index + 1}."), option.label)

    def compose(self) -> ComposeResult:
        yield OptionList(*[Option(self.prompt(i), id=o.value) for i, o in enumerate(self.node.options)],
                         id="multichoice-answer")
        yield Label(Content("Spatie of nummer om aan/uit te zetten · Ctrl+S om verder te gaan"), classes="hint")

    def value(self) -> list[str]:
        return [o.value for o in self.node.options if o.value in self.chosen]

    def toggle(self, index: int) -> None:
        """Choose an option, or leave it out again."""
        value = self.node.options[index].value
        self.chosen ^= {value}
        self.query_one(OptionList).replace_option_prompt_at_index(index, self.prompt(index))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.toggle(event.option_index)

    def choose(self, character: str | None) -> bool:
        """An option's number marks it (or takes the mark off); False for any other character."""
        index = int(character) - 1 if character and character.isdecimal() else -1
        if not 0 <= index < len(self.node.options):
            return False
        self.query_one(OptionList).highlighted = index
        self.toggle(index)
        return True

    def type_ahead(self, character: str) -> bool:
        if character == "\n":  # Enter toggles the highlighted option, as on the list itself
            highlighted = self.query_one(OptionList).highlighted
            if highlighted is None:
                return False
            self.toggle(highlighted)
            return True
        return self.choose(character)

    def on_key(self, event: Any) -> None:
        option_list = self.query_one(OptionList)
        if self.choose(event.character):
            event.stop()
        elif event.key == "space" and option_list.highlighted is not None:
            event.stop()
            self.toggle(option_list.highlighted)
