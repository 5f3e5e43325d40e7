"""Subcommands that run dialogues and manage sessions (filled in by the session layer)."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    """Add the session subcommands to the parser."""
