"""The user's saved sessions: where they are, finding one, listing, deleting."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.errors import TranscriptError, UsageError
from coach.paths import sessions_dir
from coach.session import transcript


@dataclass(frozen=True)
class SavedSession:
    """One saved session as listed (read from its transcript)."""

    path: Path
    document: dict[str, Any] | None
    problem: str | None = None
    """Why the file could not be read (it is still listed, never hidden)."""

    @property
    def session_id(self) -> str:
        return str(self.document.get("session")) if self.document else self.path.stem

    @property
    def finished(self) -> bool:
        return bool(self.document and self.document.get("finished"))

    @property
    def theme(self) -> str:
        return str((self.document or {}).get("dialogue", {}).get("id", "?"))

    @property
    def updated(self) -> str:
        return str((self.document or {}).get("updated", ""))

    def progress(self) -> tuple[int, int]:
        """(answered, skipped) questions."""
        answers = (self.document or {}).get("answers") or []
        skipped = sum(1 for a in answers if a.get("skipped"))
        return len(answers) - skipped, skipped


def new_session_path(session_id: str) -> Path:
    """The file for a new session (the folder made 0700)."""
    folder = sessions_dir(create=True)
    os.chmod(folder, 0o700)
    return folder / f"{session_id}.yaml"


def all_sessions() -> list[SavedSession]:
    """Every saved session, unfinished first, newest first within each."""
    folder = sessions_dir()
    found: list[SavedSession] = []
    if not folder.is_dir():
        return found
    for path in folder.glob("*.yaml"):
        try:
            found.append(SavedSession(path, transcript.load(path)))
        except TranscriptError as err:
            found.append(SavedSession(path, None, err.message))
    found.sort(key=lambda s: s.updated, reverse=True)
    found.sort(key=lambda s: s.finished)
    return found


def find_session(reference: str | None, *, unfinished: bool = False) -> Path:
    """A saved session by id, id prefix or path; None: the latest (unfinished) one."""
    if reference:
        candidate = Path(reference)
        if candidate.suffix in (".yaml", ".yml", ".json") and candidate.exists():
            return candidate
        folder = sessions_dir()
        exact = folder / f"{reference}.yaml"
        if exact.exists():
            return exact
        matches = sorted(folder.glob(f"{reference}*.yaml")) if folder.is_dir() else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(m.stem for m in matches[:5])
            raise UsageError(f"'{reference}' past op meerdere sessies: {names}")
        raise UsageError(f"geen sessie '{reference}' gevonden in {folder} (zie `coach sessions --all`)")
    sessions = [s for s in all_sessions() if s.document and (not unfinished or not s.finished)]
    if not sessions:
        raise UsageError("er is geen onderbroken sessie om verder te gaan; begin er een met `coach start THEMA`")
    return sessions[0].path
