"""Safe YAML reading that keeps the line of every key and refuses duplicates.

PyYAML's C parser does the reading when present; only construction is Python, so the
line numbers cost little. Nothing but plain data can come out: tags such as
``!!python/object`` are refused by the safe constructor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from coach.errors import DialogueError

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 5_000_000
"""Content files larger than this are refused rather than read (bounded memory)."""

MAX_ALIASES = 100
"""More aliases than this in one document is refused ("billion laughs")."""


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line of itself and of each of its keys."""

    line: int = 0
    lines: dict[Any, int]

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

    _aliases_seen = 0


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark,
                "found a key that is not a plain value", key_node.start_mark,
            ) from None
        if key in result:
            raise DuplicateKey(
                None, None,
                f"duplicate key '{key}' (first on line {result.lines[key]})",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _count_aliases(node: yaml.Node, seen: set[int], budget: list[int]) -> None:
    """Walk the composed tree; every revisit of a node is an alias expansion."""
    if id(node) in seen:
        budget[0] -= 1
        if budget[0] < 0:
            raise DialogueError(f"more than {MAX_ALIASES} aliases; refused")
        return
    if isinstance(node, yaml.MappingNode):
        seen.add(id(node))
        for key, value in node.value:
            _count_aliases(key, seen, budget)
            _count_aliases(value, seen, budget)
    elif isinstance(node, yaml.SequenceNode):
        seen.add(id(node))
        for child in node.value:
            _count_aliases(child, seen, budget)


def parse_yaml(text: str, path: str | Path) -> Any:
    """Parse one YAML document into LineDicts and LineLists.

    Raises DialogueError naming ``path`` and the line for every YAML problem.
    """
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _count_aliases(node, set(), [MAX_ALIASES])
        return loader.construct_document(node)
    except DialogueError as err:
        err.path = str(path)
        raise
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        problem = err.problem or "invalid YAML"
        if err.context and not isinstance(err, DuplicateKey):
            problem = f"{err.context}: {problem}"
        raise DialogueError(problem, path=path, line=line) from err
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
