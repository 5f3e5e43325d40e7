"""What every screen shares: the too-small notice and the app actions in the palette."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from coach.ui.commands import ActionsProvider

if TYPE_CHECKING:
    from coach.ui.app import CoachApp

MIN_WIDTH = 80
MIN_HEIGHT = 24


class CoachScreen(Screen[None]):
    """A screen that says clearly when the terminal is too small to use it."""

    COMMANDS = Screen.COMMANDS | {ActionsProvider}

    @property
    def coach_app(self) -> CoachApp:
        """The app, typed: screens call its wiring (start a theme, go home)."""
        return self.app  # type: ignore[return-value]

    def compose_too_small(self) -> ComposeResult:
        yield Static(
            Content(f"Het venster is te klein. Maak het minstens {MIN_WIDTH} tekens breed en {MIN_HEIGHT} regels hoog."),
            id="too-small",
        )

    def on_resize(self) -> None:
        size = self.app.size
        self.set_class(size.width < MIN_WIDTH or size.height < MIN_HEIGHT, "-too-small")
