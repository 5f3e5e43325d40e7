"""The summary, drawn from the dialogue's declared layout (no theme names here):
the answers laid out so a pattern shows, the insights, and the models to read next."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, ProgressBar, Static

from coach.text import authors_line, dutch_number, strip_controls
from coach.ui.actions import APP_ACTIONS, SUMMARY_ACTIONS, bindings
from coach.ui.screens.base import CoachScreen
from coach.ui.widgets.path_text import PathText
from coach.ui.widgets.title_bar import TitleBar


def text(value: Any) -> Content:
    """Literal, safe content from any value."""
    return Content(strip_controls("" if value is None else str(value)))


CELL_PADDING = 2
"""A table cell's padding left and right (summary.tcss)."""


def column_widths(columns: list[list[str]], width: int) -> list[int]:
    """Column widths (padding included) that share ``width``: each at least its longest word,
    so no word is broken, and the rest in proportion to what each column would still like
    (its longest text, up to 60), so a column of long answers gets the room."""
    need = [max((len(word) for cell in column for word in cell.split()), default=1) + CELL_PADDING
            for column in columns]
    want = [max(n, min(60, max((len(cell) for cell in column), default=1)) + CELL_PADDING)
            for n, column in zip(need, columns)]
    spare = width - sum(need)
    if spare <= 0:
        return need  # wider than the screen: a word is broken rather than a column lost
    wishes = [w - n for w, n in zip(want, need)]
    if sum(wishes) <= spare:
        widths = want
        widths[-1] += spare - sum(wishes)  # the last column reaches the right edge
        return widths
    widths = [n + spare * wish // sum(wishes) for n, wish in zip(need, wishes)]
    widths[-1] += width - sum(widths)
    return widths


class SummaryTable(Grid):
    """A table whose cells wrap: columns share the width the table gets, set as it is sized.

    A DataTable cut long answers off at 80 columns ('Ik voel me / met het vr'); columns
    in proportion to their text alone broke a long word in a narrow first column.
    """

    def __init__(self, columns: list[list[str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.columns = columns
        self.styles.grid_size_columns = len(columns)

    def on_resize(self) -> None:
        widths = " ".join(str(w) for w in column_widths(self.columns, self.content_size.width))
        if str(self.styles.grid_columns) != widths:
            self.styles.grid_columns = widths


class Bar(Horizontal):
    """A labelled bar for one value on a range (a scale, or one side of a polarity)."""

    def __init__(self, label: str, value: int | None, low: int, high: int, **kwargs: Any) -> None:
        super().__init__(classes="bar", **kwargs)
        self.label, self.value, self.low, self.high = label, value, low, high

    def compose(self) -> ComposeResult:
        yield Label(text(self.label), classes="bar-label")
        bar = ProgressBar(total=self.high - self.low + 1, show_eta=False, show_percentage=False, classes="bar-chart")
        if self.value is not None:
            bar.progress = self.value - self.low + 1
        yield bar
        yield Label(text("–" if self.value is None else f"{self.value} van {self.high}"), classes="bar-value")


class SummaryScreen(CoachScreen):
    """A finished session's summary."""

    CSS_PATH = "summary.tcss"
    UI_ACTIONS = SUMMARY_ACTIONS + APP_ACTIONS
    BINDINGS = bindings(SUMMARY_ACTIONS)

    def __init__(self, title: str, summary: dict[str, Any], path: Path | None, document: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.heading = title
        self.summary = summary
        self.path = path
        self.document = document
        self.exported: Path | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="summary"):
            yield Static(text(f"Samenvatting: {self.heading}"), classes="summary-title")
            if self.summary.get("intro"):
                yield Static(text(self.summary["intro"]), classes="summary-intro")
            for section in self.summary.get("sections", []):
                yield from self.compose_section(section)
            yield Static(text("Wat opvalt"), classes="section-title")
            insights = self.summary.get("insights", [])
            for insight in insights:
                yield Static(text(f"• {insight['text']}"), classes="insight")
            if not insights:
                yield Static(text("Geen bijzondere patronen in je antwoorden; de modellen hieronder helpen je verder denken."), classes="insight")
            yield Static(text("Om verder te lezen"), classes="section-title")
            for model in self.summary.get("models", []):
                authors = authors_line(model.get("authors") or [])
                year = f", {model['year']}" if model.get("year") else ""
                head = f"{model['title']}" + (f" ({authors}{year})" if authors else "")
                whys = "\n".join(f"  {why['text']}" for why in model.get("why", []))
                yield Static(text(f"{head}\n{whys}"), classes="model")
            if self.path:
                yield PathText("Bewaard in ", str(self.path), classes="summary-path")
        yield self.footer()

    def compose_section(self, section: dict[str, Any]) -> ComposeResult:
        yield Static(text(section["title"]), classes="section-title")
        if section.get("intro"):
            yield Static(text(section["intro"]), classes="section-intro")
        kind = section["kind"]
        if kind == "table":
            heading = [(section.get("item_name") or "").capitalize() or "Onderdeel", *[c["label"] for c in section["columns"]]]
            rows = [[strip_controls(str(row["item"])), *[strip_controls(str(cell["display"])) for cell in row["cells"]]]
                    for row in section["rows"]]
            columns = [[label, *(row[i] for row in rows)] for i, label in enumerate(heading)]
            with SummaryTable(columns, classes="summary-table"):
                yield from (Static(text(label), classes="cell -head") for label in heading)
                for number, row in enumerate(rows):
                    stripe = " -odd" if number % 2 else ""
                    yield Static(text(row[0]), classes=f"cell -item{stripe}")
                    yield from (Static(text(value), classes=f"cell{stripe}") for value in row[1:])
        elif kind == "profile":
            with Vertical(classes="profile"):
                for bar in section["bars"]:
                    yield Bar(bar["label"], bar["value"], bar["min"] or 1, bar["max"] or 5)
            axes = section.get("axes", [])
            if axes:
                yield Static(text("Gemiddeld per as:"), classes="axis")
            for axis in axes:
                left, right = axis["left"], axis["right"]
                yield Static(text(f"{left['label']} {dutch_number(left['mean'])}  ↔  {right['label']} {dutch_number(right['mean'])}"),
                             classes="axis")
        elif kind == "polarities":
            for pair in section["pairs"]:
                gap = f" · verschil {pair['gap']:+d}" if pair.get("gap") else ""
                yield Static(text(f"{pair['left']} ↔ {pair['right']}{gap}"), classes="pair-title")
                yield Bar("nu", pair["now"], pair["min"] or 1, pair["max"] or 5)
                yield Bar("gewenst", pair["desired"], pair["min"] or 1, pair["max"] or 5)
        else:
            lines = []
            for group in section["groups"]:
                for entry in group["entries"]:
                    prefix = f"{entry['item']}: " if entry.get("item") else ""
                    lines.append(f"• {prefix}{entry['display']}")
                for followup in group.get("followups", []):
                    lines.append(f"  Vervolgvraag: {followup['text']}\n  {followup['value']}")
            empty = "(overgeslagen)" if any(g.get("skipped") for g in section["groups"]) else "(kwam in dit gesprek niet aan bod)"
            yield Static(text("\n".join(lines) or empty), classes="section-list")

    def on_mount(self) -> None:
        self.title = "Samenvatting"
        self.query_one("#summary").focus()

    def export(self, fmt: str) -> None:
        """The report of this session (as `coach report` makes it), beside the transcript
        (mode 0600), or as a download in the browser. Coach notes are left out."""
        import argparse
        import contextlib
        import io
        import tempfile

        from coach.errors import CoachError
        from coach.reports.command import cmd_report

        if self.path is None:
            self.notify(Content("Deze samenvatting heeft geen transcript om een rapport van te maken."), severity="warning")
            return
        target = self.path.with_suffix(f".{fmt}")
        if self.app.is_web:
            target = Path(tempfile.mkdtemp(prefix="netwerkcoach-")) / f"{self.path.stem}.{fmt}"
        args = argparse.Namespace(transcripts=[str(self.path)], format=fmt, output=str(target), template=None,
                                  group=None, session=None, include_coach_notes=False, anonymous=False, recompute=False)
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                cmd_report(args)
        except (CoachError, OSError) as err:
            self.notify(text(f"Rapport niet gemaakt: {err}"), severity="error", timeout=10)
            return
        if self.app.is_web:
            # In the browser the report goes to the person's own downloads, not the server's disk.
            self.app.deliver_text(io.StringIO(target.read_text(encoding="utf-8")), save_filename=target.name)
            self.notify(text(f"Gedownload als {target.name}"), timeout=6)
            return
        self.exported = target
        self.notify(text(f"Rapport bewaard als {target}"), timeout=10)

    def action_export_markdown(self) -> None:
        self.export("md")

    def action_export_html(self) -> None:
        self.export("html")

    def action_copy_path(self) -> None:
        path = self.exported or self.path
        if path:
            self.app.copy_to_clipboard(str(path))
            self.notify(text(f"Gekopieerd: {path}"), timeout=4)

    def action_go_home(self) -> None:
        self.coach_app.go_home()
