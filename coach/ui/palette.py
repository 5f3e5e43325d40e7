"""The command palette, as the app opens it (imported when it is first opened, not at start)."""

from __future__ import annotations

from textual.await_complete import AwaitComplete
from textual.command import CommandPalette


class Palette(CommandPalette):
    """Textual's command palette, closing once.

    Its dismiss closes whatever screen is on top: Enter already on its way when Escape
    closed the palette closed the screen beneath it too, or ended the app.
    """

    def dismiss(self, result: object = None) -> AwaitComplete:
        if not self.is_active:
            return AwaitComplete.nothing()
        return super().dismiss(result)
