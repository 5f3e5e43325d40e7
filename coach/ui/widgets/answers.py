"""One answer widget per question type. Each shows a value and reports ``Submitted``.

A widget never validates or saves: the screen passes ``value()`` to the session, which
checks it and says what is wrong. Every text shown comes from dialogue data or answers
and is shown as literal text (``Content``), never parsed as markup.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text as RichText
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from coach.engine.model import Node
from coach.text import strip_controls


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

    def shown(self) -> Any:
        """What the widget holds now, read without changing it (to notice an edit)."""
        return self.value()

    def focus_input(self) -> None:
        """Put the keyboard focus where typing starts."""
        for widget in self.query("*"):
            if widget.can_focus:
                widget.focus()
                return


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


class TextAnswer(AnswerWidget):
    """Multi-line free text.

    Textual's TextArea (and its document model) is imported when a text question is
    first shown: a theme that opens with another kind of step starts without it.
    """

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea

        yield TextArea(str(self.previous or ""), soft_wrap=True, show_line_numbers=False, id="text-answer")
        yield Label(Content("Ctrl+S om verder te gaan · Enter voor een nieuwe regel"), classes="hint")

    def value(self) -> str:
        from textual.widgets import TextArea

        return self.query_one(TextArea).text


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
        self.post_message(self.Submitted())

    def on_key(self, event: Any) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.node.options):
                event.stop()
                self.query_one(OptionList).highlighted = index
                self.post_message(self.Submitted())


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

    def on_key(self, event: Any) -> None:
        option_list = self.query_one(OptionList)
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.node.options):
                event.stop()
                option_list.highlighted = index
                self.toggle(index)
        elif event.key == "space" and option_list.highlighted is not None:
            event.stop()
            self.toggle(option_list.highlighted)


class PoleLine(Horizontal):
    """The two ends of a scale above its numbers, each wrapping in its own half.

    On one row with the numbers, long end labels ran off the right at 80 columns.
    """

    def __init__(self, left: str, right: str, *, indent: bool = False, **kwargs: Any) -> None:
        super().__init__(classes="pole-line", **kwargs)
        self.left, self.right, self.indent = left, right, indent

    def compose(self) -> ComposeResult:
        if self.indent:
            yield Label(Content(""), classes="polarity-part")
        yield Label(Content.styled(f"← {self.left}" if self.left else "", "italic"), classes="pole -left")
        yield Label(Content.styled(f"{self.right} →" if self.right else "", "italic"), classes="pole -right")


class ScaleRow(Widget, can_focus=True):
    """The numbers from min to max, spread from end to end under a PoleLine; ←→ or a digit chooses."""

    BINDINGS = [Binding("left", "step(-1)", "Lager", show=False), Binding("right", "step(1)", "Hoger", show=False)]
    value: reactive[int | None] = reactive(None)
    """The chosen number, or None while nothing is chosen."""

    class Chosen(Message):
        """Enter was pressed on the row."""

        def __init__(self, row: ScaleRow) -> None:
            super().__init__()
            self.row = row

        @property
        def control(self) -> ScaleRow:
            return self.row

    def __init__(self, low: int, high: int, value: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.low, self.high = low, high
        self.set_reactive(ScaleRow.value, value)

    def render(self) -> Content:
        cells = [Content.styled(f"[{n}]", "bold reverse") if n == self.value else Content(f" {n} ")
                 for n in range(self.low, self.high + 1)]
        gaps = len(cells) - 1
        free = self.content_size.width - sum(cell.cell_length for cell in cells)
        if gaps <= 0 or free < gaps:
            return Content(" ").join(cells)
        base, extra = divmod(free, gaps)
        parts: list[Content] = []
        for index, cell in enumerate(cells):
            parts.append(cell)
            if index < gaps:
                parts.append(Content(" " * (base + (1 if index < extra else 0))))
        return Content("").join(parts)

    def action_step(self, delta: int) -> None:
        start = self.value if self.value is not None else (self.low + self.high) // 2 - delta
        self.value = max(self.low, min(self.high, start + delta))

    def on_key(self, event: Any) -> None:
        if event.character and event.character.isdigit() and self.low <= int(event.character) <= self.high:
            event.stop()
            self.value = int(event.character)
        elif event.key == "enter":
            event.stop()
            self.post_message(self.Chosen(self))


class ScaleAnswer(AnswerWidget):
    """An integer on the node's range, with both end labels."""

    def compose(self) -> ComposeResult:
        low, high = self.node.labels or ("", "")
        if low or high:
            yield PoleLine(strip_controls(low), strip_controls(high))
        yield ScaleRow(self.node.min or 1, self.node.max or 5,
                       self.previous if isinstance(self.previous, int) else None, id="scale-answer")
        yield Label(Content("←→ of een cijfer om te kiezen · Enter om verder te gaan"), classes="hint")

    def value(self) -> Any:
        return self.query_one(ScaleRow).value

    @on(ScaleRow.Chosen)
    def _chosen(self, event: ScaleRow.Chosen) -> None:
        event.stop()
        self.post_message(self.Submitted())


class PolarityAnswer(AnswerWidget):
    """A place between two poles, for now and/or desired."""

    WORDS = {"now": "Nu", "desired": "Gewenst"}

    def compose(self) -> ComposeResult:
        left, right = self.node.poles or ("", "")
        previous = self.previous if isinstance(self.previous, dict) else {}
        if left or right:
            yield PoleLine(strip_controls(left), strip_controls(right), indent=True)
        for part in self.node.ask:
            with Horizontal(classes="polarity-row"):
                yield Label(Content(self.WORDS[part]), classes="polarity-part")
                yield ScaleRow(self.node.min or 1, self.node.max or 5, previous.get(part), id=f"polarity-{part}")
        yield Label(Content("←→ of een cijfer · Tab naar de volgende regel · Enter om verder te gaan"), classes="hint")

    def value(self) -> Any:
        return {part: self.query_one(f"#polarity-{part}", ScaleRow).value for part in self.node.ask}

    @on(ScaleRow.Chosen)
    def _chosen(self, event: ScaleRow.Chosen) -> None:
        event.stop()
        rows = list(self.query(ScaleRow))
        if event.control is not rows[-1] and event.control in rows:
            rows[rows.index(event.control) + 1].focus()
        else:
            self.post_message(self.Submitted())


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
        text = " ".join(event.value.split())
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


class InfoAnswer(AnswerWidget):
    """Nothing to answer: Enter goes on."""

    def compose(self) -> ComposeResult:
        yield Static(Content("Druk op Enter om verder te gaan."), classes="hint", id="info-continue")

    def value(self) -> None:
        return None

    def focus_input(self) -> None:
        self.focus()

    can_focus = True

    def on_key(self, event: Any) -> None:
        if event.key == "enter":
            event.stop()
            self.post_message(self.Submitted())


WIDGETS: dict[str, type[AnswerWidget]] = {
    "text": TextAnswer, "choice": ChoiceAnswer, "multichoice": MultiChoiceAnswer, "scale": ScaleAnswer,
    "polarity": PolarityAnswer, "list": ListAnswer, "info": InfoAnswer,
}
