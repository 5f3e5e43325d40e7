"""YAML documents read one at a time from a stream, built straight from parser events.

Reports read many transcripts, so reading is most of their time. PyYAML's C loader
spends more than half of it in pure-Python composing and constructing; building the
data directly from libyaml's events gives the same values about twice as fast, and
reads a stream (a file, standard input) without holding all of it.

The values are exactly those of ``yaml.CSafeLoader`` for everything a transcript can
hold: mappings, sequences, strings, null, booleans, integers, floats, anchors and
aliases. Anything else a safe loader would turn into another type (a plain date, a
merge key) is kept as the string it is written as: a transcript never holds one, so
its checksum will tell the reader the file was edited. Explicit tags other than the
standard scalar ones are refused, as the safe loader refuses them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: the pure-Python parser gives the same events
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader as _PyReader
    from yaml.scanner import Scanner as _PyScanner

    class CParser(_PyReader, _PyScanner, _PyParser):  # type: ignore[no-redef]
        """The pure-Python equivalent of libyaml's parser (slower, same events)."""

        def __init__(self, stream: Any) -> None:
            _PyReader.__init__(self, stream)
            _PyScanner.__init__(self)
            _PyParser.__init__(self)


MAX_DEPTH = 100
"""Deeper nesting is refused (a transcript needs about 10 levels)."""
MAX_NODES = 5_000_000
"""Values per document, counting every use of an alias in full: a guard against
"billion laughs" documents, whose aliases would expand when the checksum is computed."""

_STR = "tag:yaml.org,2002:str"
_IMPLICIT = Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = SafeConstructor()
_CONVERT = {
    "tag:yaml.org,2002:null": lambda text: None,
    "tag:yaml.org,2002:bool": lambda text: _CONSTRUCTOR.bool_values[text.lower()],
    "tag:yaml.org,2002:int": lambda text: _CONSTRUCTOR.construct_yaml_int(ScalarNode("tag:yaml.org,2002:int", text)),
    "tag:yaml.org,2002:float": lambda text: _CONSTRUCTOR.construct_yaml_float(ScalarNode("tag:yaml.org,2002:float", text)),
}
_PLAIN_CACHE: dict[str, Any] = {}
"""Resolved short plain scalars (keys, numbers, null): most of a transcript's plain scalars repeat."""


class DocumentError(Exception):
    """A document that is YAML but not one a safe loader would build (with its 0-based line)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _plain(text: str) -> Any:
    """A plain scalar resolved as the safe loader resolves it (dates and merges stay text)."""
    try:
        return _PLAIN_CACHE[text]
    except KeyError:
        pass
    value: Any = text
    for tag, pattern in _IMPLICIT.get(text[:1], ()):
        if pattern.match(text):
            convert = _CONVERT.get(tag)
            value = convert(text) if convert else text
            break
    if len(text) <= 24 and len(_PLAIN_CACHE) < 4_000:
        _PLAIN_CACHE[text] = value
    return value


def _tagged(event: ScalarEvent) -> Any:
    """A scalar with an explicit tag: the standard scalar tags only."""
    tag = event.tag
    if tag == "!" or tag == _STR:
        return event.value
    convert = _CONVERT.get(tag)
    if convert is None:
        raise DocumentError(f"de YAML-tag {tag!r} wordt niet gelezen", event.start_mark.line)
    try:
        return convert(event.value)
    except (ValueError, KeyError) as err:
        raise DocumentError(f"{event.value!r} is geen geldige waarde voor {tag!r}", event.start_mark.line) from err


class Where:
    """How far a stream has been read: the document being built and the line it starts on."""

    def __init__(self) -> None:
        self.number = 0
        """The document being read, from 1 (0 before the first)."""
        self.line = 0
        """The 0-based line its ``---`` (or first content) is on."""


def documents(stream: IO[bytes] | IO[str] | bytes | str, where: Where | None = None) -> Iterator[tuple[int, Any]]:
    """Each document of a YAML stream with the 0-based line of its start.

    Raises ``yaml.YAMLError`` for text that is not YAML (with ``problem_mark``) and
    DocumentError for YAML that is no plain data; ``where`` tells which document failed.
    """
    where = where if where is not None else Where()
    parser = CParser(stream)
    get = parser.get_event
    get()  # StreamStartEvent
    scalar, alias = ScalarEvent, AliasEvent
    mapping_start, sequence_start = MappingStartEvent, SequenceStartEvent
    mapping_end, sequence_end = MappingEndEvent, SequenceEndEvent
    plain = _plain
    while True:
        event = get()
        if type(event) is StreamEndEvent:
            return
        start_line = event.start_mark.line
        where.number += 1
        where.line = start_line
        anchors: dict[str, tuple[Any, int]] = {}
        stack: list[tuple[Any, Any, bool, int, str | None]] = []
        container: Any = None
        key: Any = None
        is_list = False
        root: Any = None
        count = 0
        while True:
            event = get()
            kind = type(event)
            if kind is scalar:
                count += 1
                if event.tag is None:
                    value = plain(event.value) if event.implicit[0] else event.value
                else:
                    value = _tagged(event)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
            elif kind is mapping_start or kind is sequence_start:
                if event.tag is not None and event.tag not in ("!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    raise DocumentError(f"de YAML-tag {event.tag!r} wordt niet gelezen", event.start_mark.line)
                count += 1
                if len(stack) >= MAX_DEPTH:
                    raise DocumentError(f"meer dan {MAX_DEPTH} niveaus diep genest", event.start_mark.line)
                stack.append((container, key, is_list, count, event.anchor))
                container, key, is_list = ({} if kind is mapping_start else []), None, kind is sequence_start
                if event.anchor is not None:
                    anchors[event.anchor] = (container, 0)
                continue
            elif kind is mapping_end or kind is sequence_end:
                value = container
                container, key, is_list, opened, anchor = stack.pop()
                if anchor is not None:  # remember how much each alias of it weighs
                    anchors[anchor] = (value, count - opened + 1)
            elif kind is alias:
                try:
                    value, weight = anchors[event.anchor]
                except KeyError as err:
                    raise DocumentError(f"onbekend anker {event.anchor!r}", event.start_mark.line) from err
                count += weight or MAX_NODES  # an alias of an unfinished container: a cycle
                if count > MAX_NODES:
                    raise DocumentError("te veel herhalingen via ankers en aliassen", event.start_mark.line)
            elif kind is DocumentEndEvent:
                break
            else:  # pragma: no cover - libyaml yields no other events inside a document
                raise DocumentError(f"onverwacht in YAML: {kind.__name__}", event.start_mark.line)
            if container is None:
                root = value
            elif is_list:
                container.append(value)
            elif key is None:
                if isinstance(value, (dict, list)):
                    raise DocumentError("een sleutel die geen tekst of getal is", event.start_mark.line)
                key = value
            else:
                container[key] = value
                key = None
        yield start_line, root


YAMLError = yaml.YAMLError
