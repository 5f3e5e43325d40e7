"""Deleting a saved session: what may go, and everything that belongs to it.

Shared by `coach delete`, `coach forget` and the app's home screen, so each deletes the
same files: the transcript, its report exports (NAME.md, NAME.html), backups of older
schemas, temp files of an interrupted save, and its lock file; and none of them while
the session is open elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from coach.errors import CoachError


def plan(reference: str) -> tuple[Path, str, list[tuple[Path, str]]]:
    """The transcript a reference names, its session id and its companions, all checked
    before anything is deleted (CoachError, naming the file, when it may not be deleted).

    Deletable: in the sessions folder, whatever `coach sessions` lists there (readable or
    not); anywhere else, only a file that reads as a transcript (``transcript_id``).
    """
    import os

    from coach.session.store import find_session, in_sessions_folder, transcript_id

    path = find_session(reference)
    if not path.is_file():
        raise CoachError("dit is geen bestand (een map?); niets verwijderd", path=str(path))
    inside = in_sessions_folder(path) and path.suffix == ".yaml"
    session_id = transcript_id(path)
    if session_id is None and not inside:
        raise CoachError("dit is geen transcript van Netwerkcoach (het begint niet met schema, session en dialogue); "
                         "niets verwijderd. `coach delete` verwijdert alleen sessies: zie `coach sessions --all`",
                         path=str(path))
    if not os.access(path.parent, os.W_OK):
        raise CoachError("de map is niet te beschrijven, dus er kan niets uit verwijderd worden; niets verwijderd",
                         path=str(path.parent))
    return path, session_id or path.stem, companions(path, None if inside else session_id)


_COMPANION_KINDS = {"report": "het rapport", "backup": "de reservekopie van een oudere versie",
                    "temp": "een tijdelijk bestand van een afgebroken bewaring"}


def _companion_kind(path: Path, name: str) -> str | None:
    """What a file beside the transcript ``path`` is to it, judged by its name; None: not its.
    Lock files are handled apart (``remove_lock_file``)."""
    from coach.session.transcript import TEMP_SUFFIX, temp_prefix

    stem = path.stem
    if name in (f"{stem}.md", f"{stem}.html"):
        return "report"
    if name.startswith(f"{stem}.schema") and name.endswith(".bak") and name[len(stem) + 7:-4].isdigit():
        return "backup"
    if name.startswith(temp_prefix(path)) and name.endswith(TEMP_SUFFIX) and len(name) > len(temp_prefix(path)) + len(TEMP_SUFFIX):
        return "temp"
    return None


def companions(path: Path, session_id: str | None) -> list[tuple[Path, str]]:
    """Files beside a transcript that hold its answers: its report exports (NAME.md,
    NAME.html), backups of older schemas (NAME.schemaN.bak) and temp files of an
    interrupted save, each with what it is. Only regular files count. Outside the
    sessions folder (``session_id`` given) a file counts only when it names the session's
    id, as the session's own reports, backups and temp files do; a file that merely
    shares the name is someone else's."""
    try:
        entries = sorted(path.parent.iterdir())
    except OSError:
        return []
    found: list[tuple[Path, str]] = []
    for entry in entries:
        kind = _companion_kind(path, entry.name)
        if kind is None or entry == path or not entry.is_file():
            continue
        if session_id is not None and not _names_session(entry, session_id):
            continue
        found.append((entry, _COMPANION_KINDS[kind]))
    return found


def _names_session(path: Path, session_id: str) -> bool:
    """True when the first MiB of the file holds the session id."""
    try:
        with path.open("rb") as handle:
            return session_id.encode("utf-8") in handle.read(1 << 20)
    except OSError:
        return False


def remove_session(path: Path, others: list[tuple[Path, str]]) -> None:
    """Delete the companions, then the transcript (kept when a companion cannot go, so a
    retry finds the session). CoachError saying what went and what stayed on failure."""
    gone: list[Path] = []
    for target in [*(p for p, _ in others), path]:
        try:
            target.unlink(missing_ok=True)
        except OSError as err:
            from coach.session.transcript import explain

            done = f" Al verwijderd: {', '.join(str(p) for p in gone)}." if gone else ""
            kept = "" if target == path else f" De sessie zelf ({path}) is niet verwijderd."
            raise CoachError(f"kan niet verwijderen: {explain(err)}.{kept}{done}", path=str(target)) from err
        gone.append(target)


def remove_lock_file(path: Path) -> None:
    """The lock file of a deleted transcript (or one this command made and no longer needs)."""
    from coach.session.lock import lock_path

    try:
        lock_path(path).unlink(missing_ok=True)
    except OSError:
        pass  # an empty lock file left behind holds nothing and harms nothing


def delete_saved(path: Path) -> list[Path]:
    """Delete a session of the sessions folder with its own files, holding its lock
    meanwhile; returns what was deleted. CoachError when it is open elsewhere (nothing is
    deleted then) or a file cannot go (saying what went and what stayed)."""
    from coach.session.lock import SessionInUse, SessionLock

    others = companions(path, None)
    lock = SessionLock(path)
    try:
        lock.acquire()
    except SessionInUse as err:
        raise CoachError("deze sessie is nu geopend in een ander venster of proces; sluit dat eerst. Niets verwijderd",
                         path=str(path)) from err
    try:
        remove_session(path, others)
    finally:
        lock.release()
    remove_lock_file(path)
    return [path, *(p for p, _ in others)]
