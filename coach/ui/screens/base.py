"""What every screen shares: the too-small notice and the app actions in the palette."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from coach.ui.actions import help_binding
from coach.ui.commands import ActionsProvider
from coach.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from textual.geometry import Region
    from textual.strip import Strip

    from coach.ui.app import CoachApp

MIN_WIDTH = 80
MIN_HEIGHT = 24


class Landmark(Static):
    """Text whose first drawing means its screen is really on the terminal.

    A screen's ``after_paint`` work waits for the frame that holds its landmark (the
    question, say), not for the empty frames Textual draws while it lays the screen out.
    """

    def render_lines(self, crop: Region) -> list[Strip]:
        screen = self.screen
        if isinstance(screen, CoachScreen):
            screen._landmark_drawn = True
        return super().render_lines(crop)


NARROW_FOOTER = 100
"""Below this width the footer is compact and leaves out the palette key (F1 names it)."""


class CoachScreen(Screen[None]):
    """A screen that says clearly when the terminal is too small to use it."""

    COMMANDS = Screen.COMMANDS | {ActionsProvider}
    BINDINGS = [help_binding()]  # first in every screen's footer

    def __init__(self) -> None:
        super().__init__()
        self._before_paint: list[Callable[[], object]] = []
        self._painted = False
        self._laid_out = False
        self._landmark_drawn = False

    def after_paint(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once this screen is on the terminal.

        Work a person need not wait for (an estimate, a catalogue, a first save of a
        session that holds no answer yet) goes here, so the screen appears first.
        Textual's ``call_after_refresh`` is not enough: while a screen is being pushed
        it runs before the first frame is drawn.
        """
        if self._painted:
            self.call_after_refresh(callback)
        else:
            self._before_paint.append(callback)

    def _on_layout_refreshed(self, screen: Screen[object]) -> None:
        """Textual publishes this when it has laid out a screen; the frame follows."""
        self._laid_out = True

    def displayed(self, dropped: bool = False) -> None:
        """The app drew a frame while this screen was on top (see CoachApp.post_display_hook)."""
        if dropped:
            self._landmark_drawn = False
            return
        if self._laid_out and not self._painted and (self._landmark_drawn or not self.query(Landmark)):
            self._painted = True
            waiting, self._before_paint = self._before_paint, []
            for callback in waiting:
                self.call_later(callback)

    @property
    def painted(self) -> bool:
        """Whether this screen has been drawn on the terminal."""
        return self._painted

    def on_mount(self) -> None:
        self.screen_layout_refresh_signal.subscribe(self, self._on_layout_refreshed)

    @property
    def coach_app(self) -> CoachApp:
        """The app, typed: screens call its wiring (start a theme, go home)."""
        return self.app  # type: ignore[return-value]

    def on_resize(self) -> None:
        size = self.app.size
        too_small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        if too_small and not self.query("#too-small"):  # made when needed: one widget less to draw at start
            self.mount(Static(Content(f"Het venster is te klein. Maak het minstens {MIN_WIDTH} tekens breed "
                                      f"en {MIN_HEIGHT} regels hoog."), id="too-small"))
        self.set_class(too_small, "-too-small")
        for footer in self.query(KeyBar):
            self.fit_footer(footer)

    def footer(self) -> KeyBar:
        """The key line, fitted to the terminal's width."""
        return self.fit_footer(KeyBar())

    def fit_footer(self, footer: KeyBar) -> KeyBar:
        """At 80 columns every key of a conversation fits only in compact style, without
        the palette key (Ctrl+P, which the help names) taking the right end."""
        narrow = self.app.size.width < NARROW_FOOTER
        footer.compact = narrow
        footer.show_command_palette = not narrow
        return footer
