"""One clock for sessions and transcripts; ``COACH_NOW`` fixes it for tests."""

from __future__ import annotations

import os
from datetime import datetime, timezone


def now() -> datetime:
    """The current time (UTC), or ``COACH_NOW`` (ISO 8601) when set."""
    fixed = os.environ.get("COACH_NOW")
    if fixed:
        moment = datetime.fromisoformat(fixed)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)


def stamp() -> str:
    """The current time as an ISO 8601 string with seconds."""
    return now().isoformat(timespec="seconds")
