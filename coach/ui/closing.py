"""A screen that closes once: the one guard our modals and the command palette share."""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete


class ClosesOnce:
    """Put first among a screen's bases: its ``dismiss`` closes it only while it is on top.

    Textual's dismiss closes whatever screen is on top. A key already on its way when
    Escape closed this one (Enter on its list, say) closed the screen beneath it as well,
    or ended the app when none was left. A plain mixin, not a Screen: as a Screen it stood
    between a Textual screen and its own bases, and the palette lost its component styles.
    """

    is_active: bool

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if not self.is_active:
            return AwaitComplete.nothing()
        return super().dismiss(result)  # type: ignore[misc]
