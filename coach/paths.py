"""Where things live: the user's data directory and the shipped content.

Everything is computed on call, never at import, so tests can point ``COACH_HOME``
elsewhere and start-up does no file system work.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _search_directories() -> Path:
    """The platform's data directory for Netwerkcoach (a seam for tests)."""
    import platformdirs

    return platformdirs.user_data_path("netwerkcoach", appauthor=False)


def data_dir(create: bool = False) -> Path:
    """The user's data directory: ``$COACH_HOME`` if set, else platformdirs'.

    With ``create`` it is made (mode 0700) when missing.
    """
    home = os.environ.get("COACH_HOME")
    path = Path(home).expanduser() if home else _search_directories()
    if create:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def sessions_dir(create: bool = False) -> Path:
    """The folder holding one transcript per session."""
    path = data_dir(create) / "sessions"
    if create:
        path.mkdir(mode=0o700, exist_ok=True)
    return path


def _content_dir(name: str) -> Path:
    """A content folder: inside the installed package, else beside it in a checkout."""
    packaged = PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / name


def dialogues_dir() -> Path:
    """The folder of dialogues and catalogues (``COACH_DIALOGUES`` overrides)."""
    override = os.environ.get("COACH_DIALOGUES")
    return Path(override) if override else _content_dir("dialogues")


def prompts_dir() -> Path:
    """The folder of Jinja2 wording templates."""
    return _content_dir("prompts")
