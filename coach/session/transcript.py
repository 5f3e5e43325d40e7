"""Transcripts: one YAML document per session, written atomically, checked on load.

The schema (version 1) is documented in the README. A transcript holds the state of
a session (answers, position, history) and the log of every event, plus an integrity
block (event count and a sha256 over the rest) so a truncated or edited file is told
apart from a whole one. Files are 0600 inside a 0700 folder and are replaced
atomically: temp file in the same folder, flush, fsync, ``os.replace``, folder fsync.

Each step of that write is a function of this module (``_write_all``, ``_flush``,
``_fsync_file``, ``_replace``, ``_fsync_dir``) so the reliability tests can fail each
one in turn. Older schemas are brought up to date through ``MIGRATIONS``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

# The two errors live in coach.errors (the app catches them without importing this
# module at start); they are still reached as transcript.TranscriptDamaged and so on.
from coach.errors import TranscriptConflict, TranscriptDamaged, TranscriptError  # noqa: F401

SCHEMA = 1
"""The transcript schema this version writes and reads."""
MAX_TRANSCRIPT_BYTES = 50_000_000
"""Transcripts larger than this are refused rather than read."""
MAX_DEPTH = 100
"""Deeper nesting than this is refused (a transcript needs about 10 levels)."""
MAX_EXPANDED_NODES = 5_000_000
"""Aliases may not make a transcript larger than this many values once expanded."""


@lru_cache(maxsize=1)
def _yaml_classes() -> tuple[type, type, type]:
    """The dumper and loader for transcripts (PyYAML imported on first use, not at start-up).

    The dumper writes a shared list twice instead of as ``&id001`` / ``*id001`` (plain
    for other tools); the loader is the safe C loader without merge keys (``<<``):
    transcripts never use them, and nested merges can multiply a small file into
    gigabytes. Third, the plain safe C loader, for text holding no ``<<`` at all (no
    Python-level check per mapping then).
    """
    import yaml

    class NoAliasDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        def ignore_aliases(self, data: Any) -> bool:
            return True

    class TranscriptLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        def flatten_mapping(self, node: Any) -> None:
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise yaml.constructor.ConstructorError(
                        None, None, "merge keys (<<) komen in een transcript niet voor", key_node.start_mark)
            super().flatten_mapping(node)

    return NoAliasDumper, TranscriptLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def content_checksum(document: dict[str, Any]) -> str:
    """sha256 over the document without its integrity block, in canonical JSON."""
    body = {key: value for key, value in document.items() if key != "integrity"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def seal(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a fresh integrity block (last key)."""
    body = {key: value for key, value in document.items() if key != "integrity"}
    body["integrity"] = {"events": len(body.get("events", [])), "checksum": content_checksum(body)}
    return body


def dump_yaml(document: dict[str, Any]) -> str:
    """One YAML document starting with ``---`` and ending with a newline.

    PyYAML's representer quotes every string that YAML 1.1 would read as something
    else (``no``, ``1.0``, ``2024-01-01``), so values read back exactly. Shared
    values are written out in full (no anchors and aliases).
    """
    import yaml

    return yaml.dump(
        document, Dumper=_yaml_classes()[0], explicit_start=True, allow_unicode=True,
        sort_keys=False, default_flow_style=False, width=100,
    )


# ------------------------------------------------------------------ the write

def _write_all(handle: IO[bytes], data: bytes) -> None:
    handle.write(data)


def _flush(handle: IO[bytes]) -> None:
    handle.flush()


def _fsync_file(handle: IO[bytes]) -> None:
    os.fsync(handle.fileno())


def _replace(temp: Path, path: Path) -> None:
    os.replace(temp, path)


_CANNOT_SYNC_FOLDERS = frozenset(e for e in (errno.EINVAL, getattr(errno, "ENOTSUP", None),
                                               getattr(errno, "EOPNOTSUPP", None)) if e is not None)
"""What a file system answers when it has no fsync for folders (some network shares)."""


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable by syncing its folder, where the system can.

    Decided by what the system offers, not by its name: without ``os.O_DIRECTORY``
    (Windows) a folder cannot be opened, so an open that fails there is no error and
    nothing is synced (NTFS journals the rename itself, but a power cut right after
    may still undo it); a file system that cannot sync folders (EINVAL, ENOTSUP) is
    skipped the same way. Anything else raises OSError, which ``write_atomic`` turns
    into a warning.
    """
    directory = getattr(os, "O_DIRECTORY", None)
    try:
        fd = os.open(folder, os.O_RDONLY | (directory or 0))
    except OSError:
        if directory is None:
            return  # folders cannot be opened here (Windows): the nearest equivalent is none
        raise
    try:
        os.fsync(fd)
    except OSError as err:
        if err.errno not in _CANNOT_SYNC_FOLDERS:
            raise
    finally:
        os.close(fd)


WRITE_STEPS = ("_write_all", "_flush", "_fsync_file", "_replace", "_fsync_dir")
"""The steps of an atomic write, in order (module functions, for fault-injection tests)."""

TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    """How the temp files of a write to ``path`` are named (``.NAME.xxxx.tmp``)."""
    return f".{path.name}."


def write_atomic(path: Path, data: bytes) -> str | None:
    """Replace ``path`` with ``data`` so that it is either the old or the new file.

    The temp file is made by mkstemp (mode 0600) beside the target, so the rename
    never crosses file systems. Any failure before the rename leaves the old file and
    no temp file, and raises OSError. A failure of the folder fsync after the rename
    does not raise: the new file is in place (every reader sees it) but a power cut
    could still undo the rename, so a warning is returned instead of None.
    """
    folder = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_all(handle, data)
            _flush(handle)
            _fsync_file(handle)
        _replace(temp, path)
    except BaseException:
        try:
            temp.unlink()
        except FileNotFoundError:
            pass  # already renamed or never made: nothing to clean up
        raise
    try:
        _fsync_dir(folder)
    except OSError as err:
        return (f"opgeslagen in {path}, maar de map kon niet worden gesynchroniseerd ({err.strerror or err}); "
                "bij stroomuitval kan dit laatste antwoord nog verloren gaan")
    return None


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove temp files a crashed write to ``path`` left behind; returns them.

    Only safe while holding the session's lock (no other writer of this file).
    """
    removed: list[Path] = []
    prefix = temp_prefix(path)
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return removed  # the folder cannot be listed: nothing we can clean
    for candidate in candidates:
        if candidate.name.startswith(prefix) and candidate.name.endswith(TEMP_SUFFIX):
            try:
                candidate.unlink()
                removed.append(candidate)
            except OSError:
                pass  # another user's file or a read-only folder: harmless, it is never read
    return removed


_REASONS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "je schijfquotum is op",
    errno.EROFS: "de map is alleen-lezen",
    errno.EACCES: "geen toestemming om hier te schrijven",
    errno.EPERM: "geen toestemming om hier te schrijven",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EEXIST: "er staat een bestand waar een map moet staan",
    errno.ENOENT: "de map bestaat niet (meer)",
    errno.EIO: "de schijf gaf een leesfout of schrijffout",
    errno.EFBIG: "het bestand wordt groter dan hier mag",
}

_WINDOWS_REASONS = {
    5: "geen toegang; misschien heeft een ander programma (een virusscanner, een editor) het bestand open",
    32: "een ander programma (een virusscanner, een editor, een back-upprogramma) heeft het bestand open",
    33: "een ander programma heeft een deel van het bestand vergrendeld",
    112: "de schijf is vol",
}
"""Windows error codes (``OSError.winerror``, only set there) that say more than the errno."""


def explain(err: OSError) -> str:
    """Why a write failed, in Dutch, with the system's own words in brackets."""
    own = err.strerror or str(err)
    reason = _WINDOWS_REASONS.get(getattr(err, "winerror", None) or 0) or _REASONS.get(err.errno or 0)
    return f"{reason} ({own})" if reason else own


DiskStamp = tuple[int, int, int]
"""What identifies one version of a file on disk: inode, size, modification time."""


def disk_stamp(path: Path) -> DiskStamp | None:
    """The stamp of the file now (None when it is not there)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass(frozen=True)
class Written:
    """The result of saving a transcript."""

    document: dict[str, Any]
    """The sealed document as written."""
    stamp: DiskStamp | None
    """The file's stamp after the write (to notice another writer later)."""
    warning: str | None = None
    """Set when the data is in place but the folder fsync failed."""


def write(path: Path, document: dict[str, Any], *, expect: DiskStamp | None = None) -> Written:
    """Seal and write a transcript atomically.

    With ``expect``, the file must still be the version this session wrote or read
    last; if another process replaced or removed it, nothing is written and
    TranscriptConflict is raised, so one never overwrites the other's answers.
    """
    sealed = seal(document)
    if expect is not None and disk_stamp(path) != expect:
        raise TranscriptConflict(
            "het bestand is intussen door een ander venster of proces gewijzigd of verwijderd; "
            "het is niet overschreven. Je laatste antwoord staat nog in het geheugen, niet op schijf. "
            "Sluit het andere venster en ga verder met `coach resume`",
            path=str(path),
        )
    try:
        text = dump_yaml(sealed)
    except UnicodeEncodeError:
        sealed = seal(storable(document))  # lone surrogates from odd bytes somewhere: "�", never a crash
        text = dump_yaml(sealed)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        warning = write_atomic(path, text.encode("utf-8"))
    except OSError as err:
        raise TranscriptError(
            f"kon niet opslaan: {explain(err)}. Je antwoord is niet verloren: het staat nog in het geheugen, "
            "maar niet op schijf",
            path=str(path),
        ) from err
    return Written(sealed, disk_stamp(path), warning)


def storable(value: Any) -> Any:
    """``value`` with every lone surrogate (bytes that were not UTF-8) replaced by "�"."""
    if isinstance(value, str):
        return re.sub("[\ud800-\udfff]", "\ufffd", value) if _has_surrogate(value) else value
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [storable(v) for v in value]
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def save(path: Path, document: dict[str, Any]) -> dict[str, Any]:
    """Seal and write a transcript atomically; returns the sealed document."""
    return write(path, document).document


def check_writable(folder: Path) -> None:
    """Make ``folder`` (0700) and prove a file can be written there; OSError otherwise."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".coach-probe.", suffix=TEMP_SUFFIX, dir=folder)
    os.close(fd)
    os.unlink(name)


# ------------------------------------------------------------------ reading

def _problem_line(err: Exception) -> int | None:
    mark = getattr(err, "problem_mark", None)
    return mark.line + 1 if mark else None


def _expanded_size(root: Any, limit: int) -> int:
    """How many values ``root`` holds once every alias is written out (bounded, cycle-proof)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        value, children_done = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        key = id(value)
        children = list(value.values()) if isinstance(value, dict) else value
        if children_done:
            total = 1 + sum(sizes.get(id(c), 1) for c in children)
            if total > limit:
                raise TranscriptError(f"aliassen maken het transcript groter dan {limit} waarden; geweigerd")
            sizes[key] = total
            open_nodes.discard(key)
        elif key in open_nodes:
            raise TranscriptError("het transcript verwijst naar zichzelf (een alias in een kringloop); geweigerd")
        elif key not in sizes:
            open_nodes.add(key)
            stack.append((value, True))
            stack.extend((c, False) for c in children)
    return sizes.get(id(root), 1)


def _token_after_space(text: str, mark: str) -> bool:
    """True when ``mark`` starts a YAML anchor or alias somewhere (``&id``, ``*id``): after a
    space or bracket, before a name. Ordinary text ("R&D", "5 * 3") does not count."""
    start = text.find(mark)
    while start != -1:
        before = text[start - 1] if start else "\n"
        after = text[start + 1: start + 2]
        if before in " \t\n[{," and after and after not in " \t\r\n[]{},":
            return True
        start = text.find(mark, start + 1)
    return False


def _may_hold_aliases(text: str) -> bool:
    """Cheap: only a text with both an anchor and an alias needs its aliases counted."""
    return "&" in text and "*" in text and _token_after_space(text, "&") and _token_after_space(text, "*")


def iter_documents(text: str, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every document of a YAML stream, numbered from 1, each checked to be a mapping.

    Nesting deeper than MAX_DEPTH, merge keys and alias bombs are refused before they
    cost time or memory.
    """
    import yaml

    from coach.engine.yamlio import deep_nesting_line, lone_surrogate_line

    surrogate = lone_surrogate_line(text)
    if surrogate is not None:
        raise TranscriptDamaged("verwacht UTF-8-tekst, gevonden ongeldige bytes", path=name, line=surrogate)
    deep = deep_nesting_line(text, MAX_DEPTH)
    if deep is not None:
        raise TranscriptDamaged(f"meer dan {MAX_DEPTH} niveaus diep genest; geweigerd", path=name, line=deep)
    aliases_possible = _may_hold_aliases(text)
    loader = _yaml_classes()[1 if "<<" in text else 2](text)
    number = 0
    try:
        while loader.check_data():
            number += 1
            data = loader.get_data()
            if data is None:
                continue
            if not isinstance(data, dict):
                raise TranscriptDamaged(f"document {number}: verwacht een transcript (een mapping), gevonden {type(data).__name__}", path=name)
            if aliases_possible:
                try:
                    _expanded_size(data, MAX_EXPANDED_NODES)
                except TranscriptError as err:
                    raise TranscriptDamaged(f"document {number}: {err.message}", path=name) from err
            yield number, data
    except yaml.reader.ReaderError as err:
        from coach.engine.yamlio import reader_line, reader_problem

        raise TranscriptDamaged(f"document {number or 1}: geen geldige YAML: {reader_problem(err)}", path=name,
                                line=reader_line(err, text)) from err
    except yaml.YAMLError as err:
        raise TranscriptDamaged(f"document {number or 1}: geen geldige YAML: {getattr(err, 'problem', None) or err}", path=name, line=_problem_line(err)) from err
    except RecursionError as err:
        raise TranscriptDamaged(f"document {number or 1}: te diep genest; geweigerd", path=name) from err
    finally:
        loader.dispose()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_document(document: dict[str, Any], name: str) -> dict[str, Any]:
    """Check schema and integrity; returns the document (migrated to SCHEMA) or raises.

    A document of an older schema goes through ``MIGRATIONS`` step by step; one of a
    newer schema is refused naming the schema and the version that wrote it.
    """
    schema = document.get("schema")
    if schema != SCHEMA or not _is_int(schema):
        if _is_int(schema) and schema > SCHEMA:
            writer = document.get("app")
            by = f" ({writer})" if isinstance(writer, str) and writer else ""
            raise TranscriptError(
                f"geschreven door een nieuwere versie{by} met schema {schema}; deze versie leest schema {SCHEMA} "
                f"en ouder. Werk Netwerkcoach bij naar een versie die schema {schema} leest.", path=name)
        if _is_int(schema) and schema in MIGRATIONS:
            return migrate(document, name)
        raise TranscriptDamaged(f"verwacht 'schema: {SCHEMA}', gevonden {schema!r}; dit lijkt geen transcript", path=name)
    integrity = document.get("integrity")
    if not isinstance(integrity, dict):
        raise TranscriptDamaged("het blok 'integrity' ontbreekt: het bestand is afgebroken of met de hand bewerkt", path=name)
    events = document.get("events")
    if not isinstance(events, list) or integrity.get("events") != len(events):
        found = len(events) if isinstance(events, list) else 0
        raise TranscriptDamaged(f"verwacht {integrity.get('events')!r} gebeurtenissen, gevonden {found}: het bestand is beschadigd of bewerkt", path=name)
    if integrity.get("checksum") != _checksum_or_damaged(document, name):
        raise TranscriptDamaged("de controlesom klopt niet: het bestand is beschadigd of met de hand bewerkt", path=name)
    return document


def _checksum_or_damaged(document: dict[str, Any], name: str) -> str:
    try:
        return content_checksum(document)
    except (TypeError, ValueError, RecursionError) as err:
        # A hand-made file with values no transcript holds (dates, binary, sets, cycles).
        raise TranscriptDamaged(f"bevat waarden die een transcript niet kan bevatten ({err})", path=name) from err


# ------------------------------------------------------------------ migrations

Migration = Callable[[dict[str, Any], str], dict[str, Any]]
"""Turns a document of schema N into one of schema N + 1 (raises TranscriptDamaged when
the old document's own integrity check fails)."""


def _from_schema_0(document: dict[str, Any], name: str) -> dict[str, Any]:
    """Schema 0 (the pre-release shape, never shipped) -> schema 1.

    Schema 0 had ``log`` where schema 1 has ``events``, a top-level ``checksum``
    (sha256 over the canonical JSON of every other key) instead of the ``integrity``
    block, and none of ``group``, ``visited``, ``pending_probes``, ``aside``,
    ``probes``, ``coach_notes`` and ``summary``.
    """
    body = {key: value for key, value in document.items() if key != "checksum"}
    if document.get("checksum") != _checksum_or_damaged(body, name):
        raise TranscriptDamaged("schema 0: de controlesom klopt niet: het bestand is beschadigd of met de hand bewerkt", path=name)
    log = body.get("log")
    if not isinstance(log, list):
        raise TranscriptDamaged("schema 0: het onderdeel 'log' ontbreekt", path=name)
    from coach import clock

    upgraded: dict[str, Any] = {
        "schema": 1,
        "session": body.get("session"),
        "dialogue": body.get("dialogue"),
        "app": body.get("app"),
        "mode": body.get("mode", "solo"),
        "started": body.get("started"),
        "updated": body.get("updated"),
        "finished": body.get("finished"),
        "participant": body.get("participant") or {"name": None, "organisation": None, "date": None},
        "group": None,
        "position": body.get("position"),
        "history": body.get("history") or [],
        "visited": [],
        "pending_probes": [],
        "answers": body.get("answers") or [],
        "aside": [],
        "probes": [],
        "coach_notes": {"session": "", "questions": []},
        "events": [*log, {"type": "migrated", "at": clock.stamp(), "from": 0, "to": 1}],
        "summary": None,
    }
    return upgraded


MIGRATIONS: dict[int, Migration] = {0: _from_schema_0}
"""Schema N -> N + 1, applied in turn until the document is at SCHEMA."""


def migrate(document: dict[str, Any], name: str) -> dict[str, Any]:
    """An older document brought to SCHEMA through MIGRATIONS, sealed."""
    schema = document.get("schema")
    while schema != SCHEMA:
        step = MIGRATIONS.get(schema) if _is_int(schema) else None
        if step is None:
            raise TranscriptDamaged(f"geen weg van schema {schema!r} naar schema {SCHEMA}", path=name)
        document = step(document, name)
        schema = document.get("schema")
    try:
        return seal(document)
    except (TypeError, ValueError, RecursionError) as err:
        raise TranscriptDamaged(f"bevat waarden die een transcript niet kan bevatten ({err})", path=name) from err


def backup_path(path: Path, schema: int) -> Path:
    """Where the original of an upgraded transcript is kept: ``NAME.schemaN.bak``."""
    return path.with_name(f"{path.stem}.schema{schema}.bak")


def read_text(path: Path) -> tuple[str, bytes]:
    """A transcript file's text (and bytes), size and encoding checked."""
    try:
        size = path.stat().st_size
        if size > MAX_TRANSCRIPT_BYTES:
            raise TranscriptError(f"het bestand is {size} bytes; het maximum is {MAX_TRANSCRIPT_BYTES}", path=str(path))
        raw = path.read_bytes()
    except OSError as err:
        raise TranscriptError(f"kan niet lezen: {err.strerror}", path=str(path)) from err
    try:
        return raw.decode("utf-8"), raw
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise TranscriptDamaged("verwacht UTF-8-tekst, gevonden ongeldige bytes", path=str(path), line=line) from err


def load(path: Path, *, upgrade: bool = False) -> dict[str, Any]:
    """Read one transcript file and check it (migrated to SCHEMA when older).

    With ``upgrade``, an older file is rewritten in the current schema, its original
    kept beside it as ``NAME.schemaN.bak`` (only do this while holding its lock).
    """
    text, raw = read_text(path)
    documents = list(iter_documents(text, str(path)))
    if len(documents) != 1:
        raise TranscriptDamaged(f"verwacht één transcript, gevonden {len(documents)}", path=str(path))
    original = documents[0][1]
    document = check_document(original, str(path))
    old = original.get("schema")
    if upgrade and old != SCHEMA:
        backup = backup_path(path, int(old))
        try:
            if not backup.exists():
                write_atomic(backup, raw)
            write_atomic(path, dump_yaml(document).encode("utf-8"))
        except OSError as err:
            raise TranscriptError(f"kon het transcript (schema {old}) niet bijwerken naar schema {SCHEMA}: {explain(err)}",
                                  path=str(path)) from err
    return document
