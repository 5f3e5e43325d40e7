"""Trying a failed save again, on a schedule, while the question is on screen.

The dialogue screen keeps the answer (on screen and in the session's memory) and
shows the next question only once the save succeeds; this module holds what a
pending retry needs and how long to wait before each attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.timer import Timer

RETRY_DELAYS: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)
"""Seconds before each new attempt: doubling, then every 30 s (tests patch this short)."""


def retry_delay(attempt: int) -> float:
    """Seconds to wait before retry number ``attempt`` (0 for the first); the last delay repeats."""
    return RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]


def in_seconds(delay: float) -> str:
    """``over 1 seconde``, ``over 4 seconden``, ``over 0,5 seconden`` (Dutch decimals)."""
    amount = f"{delay:g}".replace(".", ",")
    return f"over {amount} seconde" + ("" if delay == 1 else "n")


@dataclass
class PendingSave:
    """A change whose save failed, waiting to be tried again."""

    change: Callable[[], object]
    """Does the change and saves it again (raises TranscriptError while the disk still refuses)."""
    shown: Any
    """What the answer widget held when the save failed: an edit since then stops the automatic retry."""
    attempts: int = 0
    """Automatic retries done so far."""
    timer: Timer | None = None
    """The timer of the next attempt."""

    def stop(self) -> None:
        """Cancel the next attempt (idempotent)."""
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
