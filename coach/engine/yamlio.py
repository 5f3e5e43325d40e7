"""Safe YAML reading that keeps the line of every key and refuses duplicates.

PyYAML's C parser does the reading when present; only construction is Python, so the
line numbers cost little. Nothing but plain data can come out: tags such as
``!!python/object`` are refused by the safe constructor.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from coach.engine.files import gc_paused
from coach.errors import DialogueError

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 5_000_000
"""Content files larger than this are refused rather than read (bounded memory)."""

MAX_ALIASES = 100
"""More aliases than this in one document is refused ("billion laughs")."""

MAX_DEPTH = 100
"""Deeper nesting than this is refused (a dialogue needs about 8 levels). Deep flow
nesting (``[[[[…``) costs libyaml time growing with the square of the depth, and tens
of thousands of levels overflow the C stack of its composer, so this is checked before
libyaml composes anything."""

_FLOW_BRACKET = re.compile(r"[\[\]{}]")


def _may_nest_deeper(text: str, limit: int) -> bool:
    """A cheap test that is True whenever ``text`` might nest deeper than ``limit``.

    Nesting without growing the file quadratically needs flow brackets, or compact
    block indicators on one line (``- - - x``); block nesting needs indentation. Flow
    nesting is at most the open brackets (+1 for empty ``[]``), block nesting at most
    twice the column where a collection starts (+2). So with under 2/5 of the limit in
    open brackets, indentation under 1/5 and runs of compact indicators under 1/16,
    the depth stays within the limit. Substring counts first: a large transcript
    stream costs milliseconds.
    """
    brackets, indent, run = max(limit * 2 // 5, 1), max(limit // 5 - 1, 1), max(limit // 16, 2)
    # Empty "[]" and "{}" (PyYAML writes every empty list so) nest one level at most.
    opening = text.count("[") + text.count("{") - text.count("[]") - text.count("{}")
    if opening >= brackets:
        depth = deepest = 0
        for match in _FLOW_BRACKET.finditer(text):
            depth += 1 if match.group() in "[{" else -1
            deepest = max(deepest, depth)
            if deepest >= brackets:
                return True
    if "\n" + " " * indent in text or text.startswith(" " * indent):
        return True
    if any(pair in text for pair in ("- -", "- ?", "? -", "? ?")):
        return re.search(r"(?:[-?] +){%d}" % run, text) is not None
    return False


def lone_surrogate_line(text: str) -> int | None:
    """The line of the first lone surrogate (text decoded with surrogateescape), or None.

    libyaml cannot take such text at all; it comes from bytes that were not UTF-8.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        return text.count("\n", 0, err.start) + 1
    return None


def deep_nesting_line(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The 1-based line where ``text`` nests deeper than ``limit``, or None.

    A cheap scan first; only when it cannot rule deep nesting out does libyaml's
    parser count the levels exactly (stopping as soon as the limit is passed).
    YAML errors are left to the real parse, which reports them with their line.
    """
    if not _may_nest_deeper(text, limit):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > limit:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except (yaml.YAMLError, UnicodeError):
        return None  # the real parse reports it
    return None


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line of itself and of each of its keys."""

    line: int = 0
    lines: dict[Any, int]
    value_lines: dict[Any, int]
    """Where each value's text starts (the line after ``|`` or ``>`` for block text)."""

    def key_line(self, key: Any) -> int:
        """The 1-based line of ``key``, or of the mapping when the key is absent."""
        return self.lines.get(key, self.line)


class LineList(list):  # type: ignore[type-arg]
    """A sequence that remembers the line of itself and of each item."""

    line: int = 0
    lines: list[int]

    def item_line(self, index: int) -> int:
        """The 1-based line of item ``index``."""
        return self.lines[index] if index < len(self.lines) else self.line


class DuplicateKey(yaml.MarkedYAMLError):
    """A key given twice in one mapping."""


class _LineLoader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader, building LineDicts and LineLists."""


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Converter:
    """Composed YAML nodes -> LineDicts, LineLists and scalars, faster than PyYAML's
    generic constructor (plain strings need no constructor), counting alias reuse."""

    def __init__(self, loader: _LineLoader) -> None:
        self.loader = loader
        self.seen: set[int] = set()
        self.aliases = 0

    def convert(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return node.value
            return self.loader.construct_object(node, deep=True)
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise DialogueError(f"more than {MAX_ALIASES} aliases; refused", line=node.start_mark.line + 1)
        self.seen.add(id(node))
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            result = LineList(self.convert(child) for child in node.value)
            result.line = node.start_mark.line + 1
            result.lines = [child.start_mark.line + 1 for child in node.value]
            return result
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            self.loader.flatten_mapping(node)
            mapping = LineDict()
            mapping.line = node.start_mark.line + 1
            mapping.lines = {}
            mapping.value_lines = {}
            for key_node, value_node in node.value:
                key = self.convert(key_node)
                try:
                    hash(key)
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping", node.start_mark,
                        "found a key that is not a plain value", key_node.start_mark,
                    ) from None
                if key in mapping:
                    raise DuplicateKey(
                        None, None, f"duplicate key '{key}' (first on line {mapping.lines[key]})", key_node.start_mark,
                    )
                mapping[key] = self.convert(value_node)
                mapping.lines[key] = key_node.start_mark.line + 1
                block = isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">")
                mapping.value_lines[key] = value_node.start_mark.line + 1 + (1 if block else 0)
            return mapping
        return self.loader.construct_object(node, deep=True)


def _construct_with_lines(loader: _LineLoader, node: yaml.Node) -> Any:
    """Maps and lists reached through PyYAML's own constructors (inside ``!!omap``,
    ``!!set`` …) get the same lines and duplicate-key refusal as the rest."""
    return _Converter(loader).convert(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_with_lines)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_with_lines)


def reader_problem(err: yaml.reader.ReaderError) -> str:
    """A character YAML does not allow, in one line (PyYAML's own text spans two)."""
    character = err.character if isinstance(err.character, int) else ord(err.character or "?")
    return f"{err.reason}: character #x{character:04x}"


def reader_line(err: yaml.reader.ReaderError, text: str) -> int:
    """The 1-based line of a refused character (the error knows only its position)."""
    return text.count("\n", 0, max(err.position, 0)) + 1


def parse_yaml(text: str, path: str | Path) -> Any:
    """Parse one YAML document into LineDicts and LineLists.

    Raises DialogueError naming ``path`` and the line for every YAML problem.
    """
    surrogate = lone_surrogate_line(text)
    if surrogate is not None:
        raise DialogueError("not valid text: holds a lone surrogate (bytes that were not UTF-8)", path=path, line=surrogate)
    deep = deep_nesting_line(text)
    if deep is not None:
        raise DialogueError(f"nested more than {MAX_DEPTH} levels deep; refused", path=path, line=deep)
    loader = _LineLoader(text)
    try:
        with gc_paused():
            node = loader.get_single_node()
        if node is None:
            return None
        with gc_paused():
            return _Converter(loader).convert(node)
    except DialogueError as err:
        err.path = str(path)
        raise
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        problem = err.problem or "invalid YAML"
        if err.context and not isinstance(err, DuplicateKey):
            problem = f"{err.context}: {problem}"
        if err.context_mark is not None and err.problem_mark is not None and err.context_mark.line != err.problem_mark.line:
            problem += f" (started on line {err.context_mark.line + 1})"
        raise DialogueError(problem, path=path, line=line) from err
    except yaml.reader.ReaderError as err:
        raise DialogueError(f"invalid YAML: {reader_problem(err)}", path=path, line=reader_line(err, text)) from err
    except yaml.YAMLError as err:
        raise DialogueError(f"invalid YAML: {err}", path=path) from err
    except RecursionError as err:
        raise DialogueError("nested too deeply; refused", path=path) from err
    finally:
        loader.dispose()


def read_yaml(path: Path, shown_as: str | None = None) -> Any:
    """Read and parse one YAML file, with size and encoding checked first."""
    shown = shown_as or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DialogueError(
                f"file is {size} bytes, more than the {MAX_FILE_BYTES} allowed", path=shown
            )
        raw = path.read_bytes()
    except OSError as err:
        raise DialogueError(f"cannot read: {err.strerror}", path=shown) from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DialogueError("expected UTF-8 text, found invalid bytes", path=shown, line=line) from err
    return parse_yaml(text, shown)
