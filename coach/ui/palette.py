"""The command palette, as the app opens it (imported when it is first opened, not at start)."""

from __future__ import annotations

from textual.command import CommandPalette

from coach.ui.closing import ClosesOnce


class Palette(ClosesOnce, CommandPalette):
    """Textual's command palette, closing once (see ``ClosesOnce``)."""
