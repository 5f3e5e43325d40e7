"""The user's saved sessions: where they are, finding one, listing, deleting."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.engine.record import Record
from coach.errors import CoachError, TranscriptDamaged, TranscriptError, UsageError
from coach.paths import sessions_dir

if TYPE_CHECKING:
    from coach.engine.model import Catalogue, Dialogue


@dataclass(eq=False, repr=False)
class SavedSession(Record):
    """One saved session as listed (read from its transcript)."""

    path: Path
    document: dict[str, Any] | None
    problem: str | None = None
    """Why the file could not be read (it is still listed, never hidden)."""
    damaged: bool = False
    """True when the file was cut short or edited (``coach resume ID --recover`` can copy what is left)."""

    @property
    def session_id(self) -> str:
        return str(self.document.get("session")) if self.document else self.path.stem

    @property
    def finished(self) -> bool:
        return bool(self.document and self.document.get("finished"))

    @property
    def theme(self) -> str:
        dialogue = (self.document or {}).get("dialogue")
        return str(dialogue.get("id", "?")) if isinstance(dialogue, dict) else "?"

    @property
    def updated(self) -> str:
        return str((self.document or {}).get("updated", ""))

    def progress(self) -> tuple[int, int]:
        """(answered, skipped) questions."""
        stored = (self.document or {}).get("answers")
        answers = [a for a in stored if isinstance(a, dict)] if isinstance(stored, list) else []
        skipped = sum(1 for a in answers if a.get("skipped"))
        return len(answers) - skipped, skipped


def new_session_id(dialogue_id: str) -> str:
    """A fresh session id: ``YYYYMMDD-HHMMSS-theme-xxxx`` (sorts by time, unique by the tail:
    two random bytes from the OS, as ``secrets.token_hex`` takes them, without importing it)."""
    from coach import clock

    return f"{clock.now():%Y%m%d-%H%M%S}-{dialogue_id}-{os.urandom(2).hex()}"


def new_session_path(session_id: str) -> Path:
    """The file for a new session (the folder made 0700 where the system has modes)."""
    folder = sessions_dir(create=True)
    try:
        os.chmod(folder, 0o700)
    except (OSError, NotImplementedError):
        pass  # modes are not kept here (Windows, FAT, some network shares): the folder works without them
    return folder / f"{session_id}.yaml"


def data_dir_error(err: OSError) -> CoachError:
    """The data folder cannot be written: say where, why, and how to choose another."""
    from coach.paths import data_dir
    from coach.session import transcript

    return CoachError(
        f"de datamap {data_dir()} is niet te beschrijven: {transcript.explain(err)}; "
        "kies een andere met de omgevingsvariabele COACH_HOME, bijvoorbeeld COACH_HOME=~/netwerkcoach"
    )


def new_session_file(session_id: str) -> Path:
    """The file for a new session, after proving its folder can be written (CoachError otherwise)."""
    from coach.session import transcript

    try:
        path = new_session_path(session_id)
        transcript.check_writable(path.parent)
    except OSError as err:
        raise data_dir_error(err) from err
    return path


def dialogue_of(document: dict[str, Any], path: Path) -> tuple[Dialogue, Catalogue | None]:
    """The theme a (possibly partial) transcript was made with, and its catalogue."""
    from coach.engine.library import load_catalogue_for, load_theme
    from coach.errors import DialogueError

    about = document.get("dialogue") if isinstance(document.get("dialogue"), dict) else {}
    theme = str(about.get("id", ""))
    own_file = about.get("file")
    try:
        dialogue = load_theme(own_file if isinstance(own_file, str) and own_file and Path(own_file).exists() else theme)
    except DialogueError as err:
        raise CoachError(f"het thema '{theme}' van deze sessie is er niet (meer): {err.message}", path=str(path)) from err
    return dialogue, load_catalogue_for(dialogue)


def recovered_copies(sessions: list[SavedSession]) -> dict[str, SavedSession]:
    """Damaged file (its resolved path) -> the readable session recovered from it.

    Found through the copy's ``recovered`` event. With several copies of one file the
    first in ``sessions`` wins (``all_sessions`` lists unfinished and newest first).
    """
    copies: dict[str, SavedSession] = {}
    for saved in sessions:
        for event in (saved.document or {}).get("events") or []:
            if isinstance(event, dict) and event.get("type") == "recovered" and isinstance(event.get("from"), str):
                copies.setdefault(event["from"], saved)
    return copies


def recovered_copy_of(path: Path, sessions: list[SavedSession] | None = None) -> SavedSession | None:
    """The readable session already recovered from the damaged file at ``path``, if any."""
    return recovered_copies(all_sessions() if sessions is None else sessions).get(str(path.resolve()))


def all_sessions() -> list[SavedSession]:
    """Every saved session, unfinished first, newest first within each."""
    from coach.session import transcript

    found: list[SavedSession] = []
    for path in session_files():
        try:
            found.append(SavedSession(path, transcript.load(path)))
        except TranscriptError as err:
            found.append(SavedSession(path, None, err.message, isinstance(err, TranscriptDamaged)))
    found.sort(key=lambda s: s.updated, reverse=True)
    found.sort(key=lambda s: s.finished)
    return found


TRANSCRIPT_SUFFIXES = (".yaml", ".yml", ".json")
"""File names a SESSION reference is read as a path with (when the file is there)."""


def session_files(folder: Path | None = None) -> list[Path]:
    """What the sessions folder holds as sessions: every ``*.yaml`` entry in it, readable or
    not (``coach sessions`` lists them all), sorted by name."""
    folder = sessions_dir() if folder is None else folder
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.yaml"))  # a fixed pattern: never built from what a user typed


def _names_a_path(reference: str) -> bool:
    """True when a reference can only be a path (an id holds no folder separator)."""
    return any(sep and sep in reference for sep in (os.sep, os.altsep)) or reference in (".", "..")


def _find_reference(reference: str) -> Path:
    """A saved session by id, unique id prefix or transcript path, all taken literally:
    ``*``, ``?`` and ``[`` are characters like any other."""
    if not reference.strip():
        raise UsageError("geen sessie genoemd: geef een sessie-id, het begin ervan of het pad van een transcript "
                         "(zie `coach sessions --all`)")
    candidate = Path(reference)
    if candidate.suffix.lower() in TRANSCRIPT_SUFFIXES and (candidate.exists() or candidate.is_symlink()):
        if not candidate.is_file():
            kind = "een map" if candidate.is_dir() else "geen gewoon bestand"
            raise CoachError(f"dit is {kind}, geen transcript", path=reference)
        return candidate
    folder = sessions_dir()
    if _names_a_path(reference):
        raise UsageError(f"geen transcript gevonden op '{reference}' (en een sessie-id bevat geen map; "
                         "zie `coach sessions --all`)")
    listed = session_files(folder)
    for path in listed:
        if reference in (path.stem, path.name):
            return path
    matches = [path for path in listed if path.stem.startswith(reference)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        shown = ", ".join(m.stem for m in matches[:10])
        more = f" en nog {len(matches) - 10}" if len(matches) > 10 else ""
        raise UsageError(f"'{reference}' past op {len(matches)} sessies: {shown}{more}; "
                         "geef meer van het id (of het hele id)")
    raise UsageError(f"geen sessie '{reference}' gevonden in {folder} (zie `coach sessions --all`)")


def find_session(reference: str | None, *, unfinished: bool = False) -> Path:
    """A saved session by id, unique id prefix or path; None: the latest (unfinished) one.

    The reference is literal (no wildcards); an empty one, an unknown one, a prefix of
    several sessions and a path that is a folder are refused with a message.
    """
    if reference is not None:
        return _find_reference(reference)
    every = all_sessions()
    sessions = [s for s in every if s.document and (not unfinished or not s.finished)]
    if not sessions:
        unreadable = [s for s in every if s.problem]
        if unreadable:
            names = ", ".join(s.path.stem for s in unreadable[:5])
            raise UsageError(f"er is geen leesbare onderbroken sessie; onleesbaar: {names}. "
                             "Zie `coach sessions`; een kopie van wat nog leesbaar is: `coach resume ID --recover`")
        raise UsageError("er is geen onderbroken sessie om verder te gaan; begin er een met `coach start THEMA`")
    return sessions[0].path


def in_sessions_folder(path: Path) -> bool:
    """True when ``path`` lies directly in the sessions folder (however it is spelled)."""
    folder = sessions_dir()
    try:
        return os.path.samefile(path.parent, folder)
    except OSError:
        return False


def session_reference(path: Path) -> str:
    """What finds ``path`` again as a SESSION argument, quoted for a shell where needed:
    its name in the sessions folder, otherwise the path as given."""
    import shlex

    return shlex.quote(path.stem if in_sessions_folder(path) and path.suffix == ".yaml" else str(path))


def transcript_id(path: Path) -> str | None:
    """The session id a file holds when it reads as a transcript, damaged or not; else None.

    A transcript is recognised by the fields every one starts with: an integer
    ``schema``, a ``session`` id and a ``dialogue`` with an ``id``. A file that no longer
    parses (cut short, invalid bytes) is judged by what can still be read of its
    beginning, as ``coach resume --recover`` reads it. A stream of several documents
    is not one transcript.
    """
    from coach.session import transcript
    from coach.session.recover import salvage

    try:
        if not path.is_file() or path.stat().st_size > transcript.MAX_TRANSCRIPT_BYTES:
            return None
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    try:
        documents = [document for _, document in transcript.iter_documents(text, str(path))]
        if len(documents) != 1:
            return None
        document = documents[0]
    except TranscriptError:
        try:
            document = salvage(path).document
        except TranscriptError:
            return None
    schema, session, dialogue = document.get("schema"), document.get("session"), document.get("dialogue")
    if not isinstance(schema, int) or isinstance(schema, bool) or not isinstance(session, str) or not session.strip():
        return None
    if not isinstance(dialogue, dict) or not isinstance(dialogue.get("id"), str):
        return None
    return session


def unreadable_newer_than(path: Path) -> list[SavedSession]:
    """Unreadable sessions changed after ``path`` (the latest session might be among them)."""
    try:
        since = path.stat().st_mtime
    except OSError:
        return []
    newer: list[SavedSession] = []
    for saved in all_sessions():
        if saved.problem:
            try:
                if saved.path.stat().st_mtime >= since:
                    newer.append(saved)
            except OSError:
                continue  # gone meanwhile: nothing to warn about
    return newer
