"""The key line and the title line: one widget each, doing what Textual's Footer and Header did."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from coach.ui.actions import DIALOGUE_ACTIONS
from coach.ui.app import make_app
from coach.ui.widgets.key_bar import KeyBar
from coach.ui.widgets.title_bar import ICON_WIDTH, TitleBar


def key_span(bar: KeyBar, label: str) -> tuple[int, int]:
    """Where the key labelled ``label`` is drawn on the line."""
    text = str(bar.render())
    start = text.index(label)
    return next((span.start, span.end) for span in bar.spans if span.start <= start < span.end)


async def test_every_footer_key_of_a_conversation_is_on_the_line_with_the_palette_at_the_right(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        line = str(bar.render())
        for action in DIALOGUE_ACTIONS:
            if action.footer and action.name != "toggle_panel":  # the panel key is for coach mode only
                assert action.label in line, action.label
        assert "Paneel" not in line
        assert line.rstrip().endswith("^p Opdrachten") and len(line) == 120


async def test_at_80_columns_the_keys_are_compact_and_the_palette_key_is_left_out(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = str(app.screen.query_one(KeyBar).render())
        assert line.startswith("f1 Hulp ^s Verder ^b Terug") and "Opdrachten" not in line
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        line = str(app.screen.query_one(KeyBar).render())
        assert line.startswith(" f1 Hulp  ^s Verder ") and "Opdrachten" in line


async def test_a_click_on_a_key_presses_it_and_hovering_shows_what_it_does(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        start, end = key_span(bar, "Uitleg")
        await pilot.hover(KeyBar, offset=(start + 1, 0))
        assert bar.tooltip == "Toon of verberg de toelichting bij deze vraag"
        assert not app.screen.query("#help-text")
        await pilot.click(KeyBar, offset=(end - 2, 0))
        await pilot.pause()
        help_text = app.screen.query_one("#help-text", Static)
        assert not help_text.has_class("-hidden"), "F3 was pressed: the toelichting shows"
        await pilot.click(KeyBar, offset=(start, 0))
        await pilot.pause()
        assert help_text.has_class("-hidden"), "and a second click hides it again"
        await pilot.hover(KeyBar, offset=(100, 0))  # the gap before the palette key: no key there
        assert bar.tooltip is None


class KeysScreen(Screen[None]):
    BINDINGS = [Binding("f6", "count", "Tellen"), Binding("f7", "later", "Straks"), Binding("f8", "never", "Nooit")]

    def __init__(self) -> None:
        super().__init__()
        self.counted = 0

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return {"later": None, "never": False}.get(action, True)

    def action_count(self) -> None:
        self.counted += 1

    def action_later(self) -> None:
        raise AssertionError("a disabled key is never pressed")


class KeysApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.bells = 0

    def on_mount(self) -> None:
        self.push_screen(KeysScreen())

    def bell(self) -> None:
        self.bells += 1


async def test_a_disabled_key_is_dimmed_and_rings_the_bell_and_a_hidden_one_is_not_drawn() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KeysScreen)
        bar = screen.query_one(KeyBar)
        text = bar.render()
        assert "Tellen" in str(text) and "Straks" in str(text) and "Nooit" not in str(text)
        start, end = key_span(bar, "Straks")
        assert any(span.style and "dim" in str(span.style) for span in text.spans if span.start <= start < span.end)
        await pilot.click(KeyBar, offset=(start + 1, 0))
        assert app.bells == 1
        start, _ = key_span(bar, "Tellen")
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await pilot.pause()
        assert screen.counted == 1


async def test_the_title_line_follows_the_screen_shows_text_literally_and_its_icon_opens_the_palette(ui_home: Path) -> None:
    from textual.command import CommandPalette

    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        assert "Voorbeeldgesprek" in str(bar.render())
        app.screen.title = "[bold]Dementie[/] & zo"
        await pilot.pause()
        assert "[bold]Dementie[/] & zo" in str(bar.render())
        await pilot.click(TitleBar, offset=(ICON_WIDTH + 20, 0))
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette), "only the icon opens the palette"
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
