"""Reading what can still be read from a damaged transcript (``coach resume --recover``).

Best effort, and never in place: the damaged file is only read. Invalid bytes and
characters YAML refuses become "�"; a file that no longer parses is cut back to the
longest beginning that does, at the start of a top-level key or list entry (so every
entry kept is whole); a file whose integrity block is missing was cut short, so its
last entry is dropped too, as it may be incomplete. What comes out is a mapping with
whatever keys survived; ``Session.recover`` decides what of it still fits the theme.

``damage`` tells whether a saved file needs this at all and ``recover_copy`` makes the
copy: ``coach resume ID --recover`` and the app both go through them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import TranscriptError
from coach.session import transcript

if TYPE_CHECKING:
    from coach.session.session import Session

_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters a YAML stream may not hold."""
_BOUNDARY = re.compile(r"^(?:- |-$|[^\s#\-.][^\n]*:(?: |$))", re.MULTILINE)
"""The start of a top-level key or of a top-level list entry (PyYAML writes both at column 0)."""


@dataclass(frozen=True)
class Salvage:
    """What could be read of a damaged transcript."""

    document: dict[str, Any]
    """The readable part, without its integrity block."""
    dropped: str
    """What was left out or changed, in words (for the user and the ``recovered`` event)."""


def _parse(text: str) -> dict[str, Any] | None:
    """The first document of ``text`` when it is a mapping and passes the loader's limits."""
    try:
        for _, document in transcript.iter_documents(text, "<herstel>"):
            return document
    except TranscriptError:
        return None
    return None


def salvage(path: Path) -> Salvage:
    """The readable part of the transcript at ``path`` (TranscriptError when there is none)."""
    try:
        size = path.stat().st_size
        if size > transcript.MAX_TRANSCRIPT_BYTES:
            raise TranscriptError(f"het bestand is {size} bytes; het maximum is {transcript.MAX_TRANSCRIPT_BYTES}", path=str(path))
        raw = path.read_bytes()
    except OSError as err:
        raise TranscriptError(f"kan niet lezen: {err.strerror}", path=str(path)) from err
    notes: list[str] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        notes.append("ongeldige bytes zijn vervangen door �")
    cleaned = _UNREADABLE.sub("\ufffd", text)
    if cleaned != text:
        notes.append("tekens die YAML niet toestaat zijn vervangen door �")
        text = cleaned
    document = _parse(text)
    if document is not None and isinstance(document.get("integrity"), dict):
        try:
            transcript.check_document(dict(document), str(path))
            notes.append("het bestand zelf is heel; wat niet bij het thema past, is apart gezet")
        except TranscriptError:
            notes.append("de controlesom klopte niet; alles wat leesbaar is, is overgenomen")
    else:
        document, cut = _longest_readable_start(text)
        if document is None:
            raise TranscriptError("niets te herstellen: geen enkel deel van het bestand is als transcript te lezen", path=str(path))
        if cut:
            notes.append(f"de laatste {cut} regel(s) waren afgebroken of onleesbaar en zijn weggelaten")
    document.pop("integrity", None)
    if not isinstance((document.get("dialogue") or {}).get("id") if isinstance(document.get("dialogue"), dict) else None, str):
        raise TranscriptError("niets te herstellen: het thema van deze sessie is niet meer te lezen", path=str(path))
    return Salvage(document, "; ".join(notes) or "niets weggelaten")


def _longest_readable_start(text: str) -> tuple[dict[str, Any] | None, int]:
    """The longest beginning of ``text`` that parses, cut at an entry boundary; and the lines cut.

    Only beginnings that end where an entry starts are tried, so the last entry, which
    may be incomplete, is never kept. Beginnings that parse come before those that do
    not (damage sits at one place, a cut-off file at its end), so a binary search over
    the boundaries needs few parses.
    """
    boundaries = [m.start() for m in _BOUNDARY.finditer(text) if m.start() > 0]
    low, high = 0, len(boundaries)  # boundaries[:low] parse; try to extend
    best: dict[str, Any] | None = None
    best_end = 0
    while low < high:
        middle = (low + high + 1) // 2
        end = boundaries[middle - 1]
        document = _parse(text[:end])
        if document is not None:
            best, best_end, low = document, end, middle
        else:
            high = middle - 1
    if best is None:
        return None, 0
    return best, text[best_end:].count("\n") + (0 if text.endswith("\n") else 1)


def damage(path: Path) -> str | None:
    """What is wrong with the saved transcript at ``path``; None when it reads as a whole session.

    Damage is what a copy can help with: a file cut short or edited, or a sealed file
    holding what no session holds. Other trouble (a file that cannot be read at all, a
    newer schema, a theme that is gone) is raised as it is: a copy would not help.
    """
    from coach.session.session import Session
    from coach.session.store import dialogue_of

    try:
        document = transcript.load(path)
        dialogue, catalogue = dialogue_of(document, path)
        Session.resume(document, dialogue, catalogue)  # only to check: a sealed file can still hold nonsense
    except transcript.TranscriptDamaged as err:
        return err.message
    return None


@dataclass(frozen=True)
class Recovery:
    """A new session made from what could still be read of a damaged one."""

    session: Session
    """The copy, saved, its lock held (``session.close()`` lets go)."""
    source: Path
    """The damaged file, left exactly as it was."""
    problem: str
    """What was wrong with it."""
    dropped: str
    """What was left out or changed on the way (``Salvage.dropped``)."""

    def report(self) -> list[str]:
        """What happened, for the person: the damaged file kept, the copy and where it is."""
        session = self.session
        return [
            f"Het beschadigde bestand blijft ongewijzigd: {self.source} ({self.problem}).",
            f"Wat nog leesbaar was ({self.dropped}) staat nu in een nieuwe sessie {session.session_id}: {session.path}.",
        ]


def recover_copy(path: Path, problem: str, *, probes: bool = True) -> Recovery:
    """Copy what can still be read of the damaged transcript at ``path`` into a new session.

    The new session gets a new id and file, a ``recovered`` event naming ``path`` and
    ``problem``, and stands at the first question without an answer. ``path`` is only
    read. Raises TranscriptError when nothing can be read, CoachError when the data
    folder cannot be written.
    """
    from coach.session.lock import SessionLock
    from coach.session.session import Session
    from coach.session.store import dialogue_of, new_session_file, new_session_id

    salvaged = salvage(path)
    dialogue, catalogue = dialogue_of(salvaged.document, path)
    session_id = new_session_id(dialogue.id)
    new_path = new_session_file(session_id)
    held = SessionLock(new_path).acquire()
    try:
        session = Session.recover(salvaged.document, dialogue, catalogue, path=new_path, session_id=session_id,
                                  source=path.resolve(), problem=f"{problem} ({salvaged.dropped})", probes=probes)
    except BaseException:
        held.release()
        raise
    session.lock = held
    return Recovery(session, path, problem, salvaged.dropped)
