"""Transcripts for a report, one at a time: from files, standard input or saved sessions.

Every input is read lazily (a document is built, checked and handed on before the next
is read), so a report over a thousand files holds one transcript at a time. A file or
standard input holds a YAML stream of one or more documents (what ``cat *.yaml``
gives), or JSON: one object, an array of them, or JSON Lines. Each document is checked
(schema, integrity) before it is used; every error names the input, as the file or
``<stdin> document N``, and the line.

Lines: in a file, the line in that file. On standard input a YAML document's lines are
counted from its own ``---``, so after ``cat a.yaml b.yaml |`` the line is the one in
the file the document came from; JSON lines are counted over the whole input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from coach.errors import ReportError, TranscriptError, UsageError
from coach.reports import yamlstream
from coach.session import transcript

STDIN_NAME = "<stdin>"
_PEEK_BYTES = 1 << 16


@dataclass(frozen=True)
class Input:
    """One transcript read from an input."""

    name: str
    """The input as errors name it: ``a.yaml``, ``a.yaml document 2``, ``<stdin> document 3``."""
    line: int | None
    """The line the document starts on (1-based, counted as described above)."""
    document: dict[str, Any]
    """The transcript, schema and integrity checked."""


class _Prefixed:
    """A binary stream whose first bytes were already read (to tell JSON from YAML)."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._rest.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size)


def _first_byte(head: bytes) -> bytes:
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    stripped = text.lstrip()
    return stripped[:1]


def _checked(document: Any, name: str, line: int | None) -> dict[str, Any]:
    if not isinstance(document, dict):
        kind = {list: "een lijst", str: "tekst", int: "een getal", float: "een getal", bool: "ja/nee"}.get(type(document), type(document).__name__)
        raise ReportError(f"verwacht een transcript (een mapping), gevonden {kind}", path=name, line=line)
    try:
        return transcript.check_document(document, name)
    except TranscriptError as err:
        err.line = err.line or line
        raise
    except (TypeError, ValueError) as err:  # values JSON cannot hold (never in a written transcript)
        raise TranscriptError(f"het transcript bevat waarden die geen transcript heeft ({err})", path=name, line=line) from err


def _yaml_inputs(stream: Any, label: str, on_stdin: bool) -> Iterator[Input]:
    """The documents of a YAML stream, checked, named and numbered."""
    where = yamlstream.Where()

    def name_of(number: int) -> str:
        if on_stdin:
            return f"{label} document {max(number, 1)}"
        return label if number <= 1 else f"{label} document {number}"

    def line_of(mark_line: int) -> int:
        return mark_line - where.line + 1 if on_stdin else mark_line + 1

    documents = yamlstream.documents(stream, where)
    while True:
        try:
            item = next(documents, None)
        except yamlstream.DocumentError as err:
            raise TranscriptError(f"geen transcript: {err.message}", path=name_of(where.number), line=line_of(err.line)) from err
        except yamlstream.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            problem = getattr(err, "problem", None) or str(err).splitlines()[0]
            if mark is None:  # the reader's error: bytes that are not text
                problem = "verwacht UTF-8-tekst, gevonden ongeldige bytes of tekens"
            line = line_of(mark.line) if mark is not None and mark.line >= where.line else None
            raise TranscriptError(f"geen geldige YAML: {problem}", path=name_of(where.number), line=line) from err
        if item is None:
            return
        start, document = item
        if document is None:
            continue  # an empty document (a lone `---`) holds nothing to report
        name, line = name_of(where.number), line_of(start)
        yield Input(name, line, _checked(document, name, line))


def _json_inputs(text: str, label: str, on_stdin: bool) -> Iterator[Input]:
    """The documents of JSON text: one object, an array of objects, or JSON Lines."""
    decoder = json.JSONDecoder()
    length = len(text)
    position = 0
    line = 1
    number = 0

    def skip(pos: int) -> int:
        while pos < length and text[pos] in " \t\r\n\ufeff":
            pos += 1
        return pos

    def name_of(n: int) -> str:
        return f"{label} document {n}" if on_stdin or n > 1 else label

    def advance(to: int) -> None:
        nonlocal position, line
        line += text.count("\n", position, to)
        position = to

    def decode(n: int) -> Any:
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as err:
            raise TranscriptError(f"geen geldige JSON: {err.msg}", path=name_of(n), line=err.lineno) from err
        except RecursionError as err:
            raise TranscriptError("te diep genest; geweigerd", path=name_of(n), line=line) from err
        advance(end)
        return value

    advance(skip(0))
    in_array = text.startswith("[", position)
    if in_array:
        advance(skip(position + 1))
    while position < length:
        if in_array and text.startswith("]", position):
            advance(skip(position + 1))
            if position < length:
                raise TranscriptError("geen geldige JSON: tekst na het einde van de lijst", path=label, line=line)
            return
        number += 1
        start_line = line
        value = decode(number)
        yield Input(name_of(number), start_line, _checked(value, name_of(number), start_line))
        advance(skip(position))
        if in_array:
            if text.startswith(",", position):
                advance(skip(position + 1))
            elif not text.startswith("]", position):
                raise TranscriptError("geen geldige JSON: verwacht ',' of ']' tussen de transcripten", path=name_of(number), line=line)
    if in_array:
        raise TranscriptError("geen geldige JSON: de lijst wordt niet afgesloten met ']'", path=label, line=line)


def read_stream(handle: IO[bytes], label: str, *, on_stdin: bool) -> Iterator[Input]:
    """Every transcript in one file or standard input (YAML stream or JSON)."""
    head = handle.read(_PEEK_BYTES)
    while head and not _first_byte(head):
        more = handle.read(_PEEK_BYTES)
        if not more:
            break
        head += more
    if _first_byte(head) in (b"{", b"["):
        data = head + handle.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise TranscriptError("verwacht UTF-8-tekst, gevonden ongeldige bytes", path=label, line=line) from err
        yield from _json_inputs(text, label, on_stdin)
        return
    yield from _yaml_inputs(_Prefixed(head, handle), label, on_stdin)


def _read_file(path_text: str, warn: Callable[[str], None] | None = None) -> Iterator[Input]:
    if Path(path_text).is_dir():
        raise ReportError("is een map; noem de transcripten zelf (bijvoorbeeld map/*.yaml)", path=path_text)
    try:
        handle = open(path_text, "rb")  # noqa: SIM115 - closed below, after the lazy reading
    except OSError as err:
        raise ReportError(f"kan niet lezen: {err.strerror or err}", path=path_text) from err
    found = 0
    with handle:
        try:
            for item in read_stream(handle, path_text, on_stdin=False):
                found += 1
                yield item
        except OSError as err:
            raise ReportError(f"kan niet lezen: {err.strerror or err}", path=path_text) from err
    if not found and warn is not None:
        warn(f"{path_text}: bevat geen transcript; overgeslagen")


def from_arguments(paths: Sequence[str], stdin: IO[bytes], warn: Callable[[str], None] | None = None) -> Iterator[Input]:
    """Transcripts from the files named, ``-`` (or nothing) meaning standard input.

    A named file that holds no transcript at all is skipped with a warning that names it.
    """
    if not paths:
        paths = ["-"]
    if list(paths).count("-") > 1:
        raise UsageError("'-' (standaardinvoer) kan maar één keer gelezen worden")
    for path_text in paths:
        if path_text == "-":
            yield from read_stream(stdin, STDIN_NAME, on_stdin=True)
        else:
            yield from _read_file(path_text, warn)


def from_saved(group: str | None, sessions: Sequence[str], warn: Callable[[str], None]) -> Iterator[Input]:
    """The user's own saved sessions: those named, then those tagged with ``group``."""
    from coach.paths import sessions_dir
    from coach.session.store import all_sessions, find_session

    seen: set[Path] = set()
    for reference in sessions:
        path = find_session(reference)
        seen.add(path.resolve())
        yield from _read_file(str(path))
    if group is None:
        return
    found = []
    for saved in all_sessions():
        if saved.document is None:
            warn(f"{saved.path}: overgeslagen, niet te lezen: {saved.problem}")
            continue
        if saved.document.get("group") == group and saved.path.resolve() not in seen:
            found.append(saved)
    if not found and not sessions:
        raise ReportError(f"geen sessies met de groep '{group}' in {sessions_dir()} (zie `coach sessions --all --json`)")
    found.sort(key=lambda s: (str(s.document.get("started", "")) if s.document else "", s.session_id))
    for saved in found:
        assert saved.document is not None
        yield Input(str(saved.path), 1, saved.document)
