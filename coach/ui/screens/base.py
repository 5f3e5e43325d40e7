"""What every screen shares: the too-small notice and the app actions in the palette."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from coach.ui.commands import ActionsProvider

MIN_WIDTH = 80
MIN_HEIGHT = 24


class CoachScreen(Screen[None]):
    """A screen that says clearly when the terminal is too small to use it."""

    COMMANDS = Screen.COMMANDS | {ActionsProvider}

    def compose_too_small(self) -> ComposeResult:
        yield Static(
            Content(f"Het venster is te klein. Maak het minstens {MIN_WIDTH} tekens breed en {MIN_HEIGHT} regels hoog."),
            id="too-small",
        )

    def on_resize(self) -> None:
        size = self.app.size
        self.set_class(size.width < MIN_WIDTH or size.height < MIN_HEIGHT, "-too-small")
