"""The key line at the bottom of a screen: its keys and what they do, on one line.

Textual's ``Footer`` draws each key as a widget of its own, about a dozen on a
conversation screen: 1.2 MB resident of the app's 1.3× memory budget (see the README's
benchmarks). This is one widget that draws the same keys as one line of text, from the
screen's active bindings as the Footer reads them; a click on a key presses it, as in
the Footer, and the key under the mouse shows its help as a tooltip.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.binding import ActiveBinding, Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from coach.ui.widgets import css_beside

ActiveBindings = dict[str, ActiveBinding]
"""A screen's active bindings by key, as ``Screen.active_bindings`` gives them."""


class KeySpan(NamedTuple):
    """Where one key sits on the line, for clicks and tooltips."""

    start: int
    end: int
    key: str
    enabled: bool
    help: str


class KeyBar(Widget, can_focus=False):
    """The screen's keys (those its bindings show), the palette key at the right end."""

    DEFAULT_CSS = css_beside(__file__, "key_bar.tcss")
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled", "key-bar--hover",
                         "key-bar--palette"}
    ALLOW_SELECT = False

    compact = reactive(False, toggle_class="-compact")
    """Less space between keys, for 80 columns."""
    show_command_palette = reactive(True)
    """The palette key at the right end (left out when compact: the help names it)."""
    hovered: reactive[int | None] = reactive(None)
    """The index of the key under the mouse."""

    def __init__(self, *, compact: bool = False, show_command_palette: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(KeyBar.compact, compact)
        self.set_reactive(KeyBar.show_command_palette, show_command_palette)
        self.set_class(compact, "-compact")
        self.spans: list[KeySpan] = []
        """The keys as last drawn, left to right."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    # ------------------------------------------------------------------ keys

    @staticmethod
    def shown_bindings(active: ActiveBindings) -> list[tuple[Binding, bool, str]]:
        """The bindings to show, one per action (the first key of each), in the Footer's order."""
        seen: set[str] = set()
        shown: list[tuple[Binding, bool, str]] = []
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append((binding, enabled, tooltip or binding.tooltip or binding.description))
        return shown

    def palette_binding(self, active: ActiveBindings) -> tuple[Binding, bool] | None:
        """The command palette's binding, when it is to be shown at the right end."""
        if self.compact or not self.show_command_palette or not self.app.ENABLE_COMMAND_PALETTE:
            return None
        found = active.get(self.app.COMMAND_PALETTE_BINDING)
        return None if found is None else (found[1], found[2])

    # --------------------------------------------------------------- drawing

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        disabled_style = self.get_component_rich_style("key-bar--disabled", partial=True)
        hover_style = self.get_component_rich_style("key-bar--hover", partial=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        self.spans = []
        active = self.screen.active_bindings  # worked out anew on each read: once per drawing
        for index, (binding, enabled, tooltip) in enumerate(self.shown_bindings(active)):
            start = line.cell_len
            key = self.app.get_key_display(binding)
            if self.compact:
                line.append(key, key_style)
                line.append(f" {binding.description}", description_style)
            else:
                line.append(f" {key} ", key_style)
                line.append(f"{binding.description} ", description_style)
            end = line.cell_len
            if not enabled:
                line.stylize(disabled_style, start, end)
            elif index == self.hovered:
                line.stylize(hover_style, start, end)
            self.spans.append(KeySpan(start, end, binding.key, enabled, tooltip))
            if self.compact:
                line.append(" ")
        palette = self.palette_binding(active)
        if palette is not None:
            binding, enabled = palette
            label = Text.assemble("▏", (f" {self.app.get_key_display(binding)} ", key_style),
                                  (f"{binding.description} ", description_style), end="")
            room = max(0, self.size.width - label.cell_len)
            line.truncate(room)
            line.pad_right(room - line.cell_len)
            start = line.cell_len
            line.append_text(label)
            line.stylize(self.get_component_rich_style("key-bar--palette"), start, start + 1)
            self.spans.append(KeySpan(start + 1, line.cell_len, binding.key, enabled, binding.tooltip))
        return line

    # ----------------------------------------------------------------- mouse

    def span_at(self, x: int) -> int | None:
        """The index of the key drawn at column ``x``, if any."""
        for index, span in enumerate(self.spans):
            if span.start <= x < span.end:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self.span_at(event.x)
        if index != self.hovered:
            self.hovered = index
            self.tooltip = self.spans[index].help if index is not None and self.spans[index].help else None

    def on_leave(self, event: events.Leave) -> None:
        self.hovered = None
        self.tooltip = None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click on a key presses it (a disabled key rings the bell), as in Textual's Footer."""
        index = self.span_at(event.x)
        if index is None:
            return
        event.stop()
        span = self.spans[index]
        if span.enabled:
            self.app.simulate_key(span.key)
        else:
            self.app.bell()

