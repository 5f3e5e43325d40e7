"""The title line at the top of a screen: the screen's title, centred, and the palette icon.

Textual's ``Header`` is four widgets for this one line (icon, title, clock space and
their container); this is one, drawn as the Header draws it, with the Header's click on
the icon (it opens the command palette). See the README's memory budget.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

from coach.ui.widgets import css_beside

ICON = "⭘"
ICON_WIDTH = 8
"""The columns at the left that hold the icon, as in Textual's Header."""
RIGHT_WIDTH = 10
"""The columns at the right kept free, as the Header keeps them for its clock."""


class TitleBar(Widget):
    """The screen's title (or the app's), kept up to date; a click on the icon opens the palette."""

    DEFAULT_CSS = css_beside(__file__, "title_bar.tcss")
    ALLOW_SELECT = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_content = Content("")
        """The title as last formatted."""

    def on_mount(self) -> None:
        self.watch(self.app, "title", self.show_title)
        self.watch(self.app, "sub_title", self.show_title)
        self.watch(self.screen, "title", self.show_title)
        self.watch(self.screen, "sub_title", self.show_title)

    def show_title(self) -> None:
        """The title as the app formats it (``title — sub_title``): text, never markup."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        self.title_content = app.format_title(title, sub_title)
        self.refresh()

    def render(self) -> Content:
        middle = max(0, self.size.width - ICON_WIDTH - RIGHT_WIDTH)
        title = self.title_content.center(middle, ellipsis=True) if middle else Content("")
        return Content.assemble(Content(f" {ICON}").pad_right(ICON_WIDTH - 2), title)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        on_icon = event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE
        self.tooltip = "Opdrachten (Ctrl+P)" if on_icon else None

    async def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
