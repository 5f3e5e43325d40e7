"""Transcripts: one YAML document per session, written atomically, checked on load.

The schema (version 1) is documented in the README. A transcript holds the state of
a session (answers, position, history) and the log of every event, plus an integrity
block (event count and a sha256 over the rest) so a truncated or edited file is told
apart from a whole one. Files are 0600 inside a 0700 folder and are replaced
atomically: temp file in the same folder, flush, fsync, ``os.replace``, folder fsync.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coach.errors import TranscriptError

SCHEMA = 1
"""The transcript schema this version writes and reads."""
MAX_TRANSCRIPT_BYTES = 50_000_000
"""Transcripts larger than this are refused rather than read."""



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
    else (``no``, ``1.0``, ``2024-01-01``), so values read back exactly.
    """
    import yaml

    return yaml.dump(
        document, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), explicit_start=True, allow_unicode=True,
        sort_keys=False, default_flow_style=False, width=100,
    )


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); folders cannot be opened on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that it is either the old or the new file.

    The temp file is made by mkstemp (mode 0600) beside the target, so the rename
    never crosses file systems.
    """
    folder = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            temp.unlink()
        except FileNotFoundError:
            pass  # already renamed or never made: nothing to clean up
        raise
    _fsync_dir(folder)


def save(path: Path, document: dict[str, Any]) -> dict[str, Any]:
    """Seal and write a transcript atomically; returns the sealed document."""
    sealed = seal(document)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(path, dump_yaml(sealed).encode("utf-8"))
    except OSError as err:
        reason = err.strerror or str(err)
        raise TranscriptError(
            f"kon het antwoord niet opslaan ({reason}); het staat nog in het geheugen en wordt opnieuw geprobeerd",
            path=str(path),
        ) from err
    return sealed


def _problem_line(err: Exception) -> int | None:
    mark = getattr(err, "problem_mark", None)
    return mark.line + 1 if mark else None


def iter_documents(text: str, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every document of a YAML stream, numbered from 1, each checked to be a mapping."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    number = 0
    try:
        while loader.check_data():
            number += 1
            data = loader.get_data()
            if data is None:
                continue
            if not isinstance(data, dict):
                raise TranscriptError(f"document {number}: verwacht een transcript (een mapping), gevonden {type(data).__name__}", path=name)
            yield number, data
    except yaml.YAMLError as err:
        raise TranscriptError(f"document {number or 1}: geen geldige YAML: {getattr(err, 'problem', None) or err}", path=name, line=_problem_line(err)) from err
    finally:
        loader.dispose()


def check_document(document: dict[str, Any], name: str) -> dict[str, Any]:
    """Check schema and integrity; returns the document or raises TranscriptError."""
    schema = document.get("schema")
    if schema != SCHEMA:
        if isinstance(schema, int) and schema > SCHEMA:
            raise TranscriptError(f"geschreven door een nieuwere versie (schema {schema}); deze versie leest schema {SCHEMA}. Werk Netwerkcoach bij.", path=name)
        raise TranscriptError(f"verwacht 'schema: {SCHEMA}', gevonden {schema!r}; dit lijkt geen transcript", path=name)
    integrity = document.get("integrity")
    if not isinstance(integrity, dict):
        raise TranscriptError("het blok 'integrity' ontbreekt: het bestand is afgebroken of met de hand bewerkt", path=name)
    events = document.get("events")
    if not isinstance(events, list) or integrity.get("events") != len(events):
        found = len(events) if isinstance(events, list) else 0
        raise TranscriptError(f"verwacht {integrity.get('events')} gebeurtenissen, gevonden {found}: het bestand is beschadigd of bewerkt", path=name)
    if integrity.get("checksum") != content_checksum(document):
        raise TranscriptError("de controlesom klopt niet: het bestand is beschadigd of met de hand bewerkt", path=name)
    return document


def load(path: Path) -> dict[str, Any]:
    """Read one transcript file and check it."""
    try:
        size = path.stat().st_size
        if size > MAX_TRANSCRIPT_BYTES:
            raise TranscriptError(f"het bestand is {size} bytes; het maximum is {MAX_TRANSCRIPT_BYTES}", path=str(path))
        raw = path.read_bytes()
    except OSError as err:
        raise TranscriptError(f"kan niet lezen: {err.strerror}", path=str(path)) from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise TranscriptError("verwacht UTF-8-tekst, gevonden ongeldige bytes", path=str(path), line=line) from err
    documents = list(iter_documents(text, str(path)))
    if len(documents) != 1:
        raise TranscriptError(f"verwacht één transcript, gevonden {len(documents)}", path=str(path))
    return check_document(documents[0][1], str(path))
