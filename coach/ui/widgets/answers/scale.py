"""A number on a range between two named ends: a ``scale``, or a ``polarity`` (now and desired)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label

from coach.text import strip_controls
from coach.ui.widgets import css_beside
from coach.ui.widgets.answers.base import AnswerWidget

if TYPE_CHECKING:
    from coach.engine.model import Node


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
    """The numbers from min to max, spread from end to end under a PoleLine; ←→ or a digit chooses.

    Digits and Enter are the answer's to handle (``RangeAnswer.on_key``): it knows which
    row they are for even while the focus is still on its way to the next one.
    """

    BINDINGS = [Binding("left", "step(-1)", "Lager", show=False), Binding("right", "step(1)", "Hoger", show=False)]
    value: reactive[int | None] = reactive(None)
    """The chosen number, or None while nothing is chosen."""

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

    def choose(self, character: str | None) -> bool:
        """Take a digit on the range as the value; False for any other character."""
        if not (character and character.isdecimal() and self.low <= int(character) <= self.high):
            return False
        self.value = int(character)
        return True


class RangeAnswer(AnswerWidget):
    """What a scale and a polarity share: their styles, read when the first one shows.

    They are this widget's, not the rows', because Textual styles a widget already on the
    screen (the end labels above the rows) only with styles it had when that widget came.
    """

    DEFAULT_CSS = css_beside(__file__, "scale.tcss")
    SCOPED_CSS = False  # the rules name the answer's parts

    def __init__(self, node: Node, previous: Any = None, **kwargs: Any) -> None:
        super().__init__(node, previous, **kwargs)
        self.current = 0
        """The row that takes the next digit or Enter. Enter moves it on at once; the focus
        follows later, and a fast typist's next digit would otherwise reach the row just left."""
        self._moving_to: ScaleRow | None = None

    def rows(self) -> list[ScaleRow]:
        return list(self.query(ScaleRow))

    def current_row(self) -> ScaleRow | None:
        rows = self.rows()
        return rows[min(self.current, len(rows) - 1)] if rows else None

    def on_key(self, event: events.Key) -> None:
        """A digit chooses on the current row; Enter goes to the next row, or on after the last."""
        rows, row = self.rows(), self.current_row()
        if self.handed_in or row is None:
            return  # keys after going on are the next question's: the screen passes them there
        if row.choose(event.character):
            event.stop()
        elif event.key == "enter":
            event.stop()
            self.enter()

    def enter(self) -> None:
        """Enter: the next row takes the keys, or, after the last, the answer goes on."""
        rows = self.rows()
        if self.current < len(rows) - 1:
            self.current += 1
            self._moving_to = rows[self.current]
            self.give_focus(self._moving_to)
        else:
            self.hand_in()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Tab or a click chose a row: it takes the keys (once a move by Enter has landed)."""
        if self._moving_to is not None:
            if event.widget is self._moving_to:
                self._moving_to = None
            return
        rows = self.rows()
        if event.widget in rows:
            self.current = rows.index(event.widget)

    def focus_input(self) -> None:
        """The current row."""
        row = self.current_row()
        if row is not None and self.app.focused is not row:
            self._moving_to = row
            self.give_focus(row)

    def type_ahead(self, character: str) -> bool:
        """A digit typed before the focus got here chooses on the current row, and Enter goes on, as they would there."""
        row = self.current_row()
        if row is None or self.handed_in:
            return False
        if character == "\n":
            self.enter()
            return True
        return row.choose(character)


class ScaleAnswer(RangeAnswer):
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


class PolarityAnswer(RangeAnswer):
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

    def missing(self) -> str | None:
        """The rows still without a number, by name ("Kies nog een cijfer bij Gewenst"); the
        first of them becomes the current row, to go to."""
        rows = self.rows()
        names = [self.WORDS[part] for part, row in zip(self.node.ask, rows) if row.value is None]
        if not names:
            return None
        self.current = next(index for index, row in enumerate(rows) if row.value is None)
        first = "eerst" if len(names) == len(rows) else "nog"
        return f"Kies {first} een cijfer bij {' en '.join(names)}"
