"""Reading checked values out of parsed YAML, collecting every problem with its line.

A Reader wraps one mapping. Each accessor checks the type of one key and records a
``file:line: key: expected …, found …`` problem instead of raising, so ``coach check``
can report all problems in a file at once.
"""

from __future__ import annotations

from typing import Any

from coach.engine.yamlio import LineDict, LineList
from coach.errors import DialogueError


def describe(value: Any) -> str:
    """How a found value is named in messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"a number ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"a string ('{shown}')"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


class Problems:
    """The problems found in one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[DialogueError] = []

    def add(self, line: int | None, where: str, message: str) -> None:
        """Record a problem at ``line``; ``where`` names the key."""
        text = f"{where}: {message}" if where else message
        self.items.append(DialogueError(text, path=self.path, line=line or None))

    def raise_if_any(self) -> None:
        """Raise the first problem, carrying all of them."""
        if self.items:
            error = self.items[0]
            error.problems = list(self.items)  # type: ignore[attr-defined]
            raise error


class Reader:
    """Checked access to one YAML mapping."""

    def __init__(self, data: Any, where: str, problems: Problems, line: int = 0) -> None:
        self.where = where
        self.problems = problems
        self.ok = isinstance(data, dict)
        self.data: LineDict = data if self.ok else LineDict()
        self.line = getattr(data, "line", line) or line
        if not self.ok:
            problems.add(line, where, f"expected a mapping, found {describe(data)}")
        self.seen: set[str] = set()

    def key_line(self, key: str) -> int:
        """The line of ``key`` (or of the mapping)."""
        if isinstance(self.data, LineDict) and hasattr(self.data, "lines"):
            return self.data.key_line(key)
        return self.line

    def value_line(self, key: str) -> int:
        """The line where the value of ``key`` starts (its text, for block scalars)."""
        lines = getattr(self.data, "value_lines", None) or {}
        return lines.get(key, self.key_line(key))

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required and self.ok:
                self.problems.add(self.line, self._name(key), "required key is missing")
            return None
        return self.data[key]

    def fail(self, key: str, expected: str, found: Any = None, *, message: str | None = None) -> None:
        """Record a problem about ``key``."""
        text = message or f"expected {expected}, found {describe(found)}"
        self.problems.add(self.key_line(key), self._name(key), text)

    def str(self, key: str, required: bool = False, default: str | None = None) -> Any:
        """A string value (numbers are taken as their text when ``lenient``)."""
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "a non-empty string", value)
            return default
        return value.strip() if "\n" not in value.strip() else value.rstrip()

    def text_of(self, key: str, required: bool = False) -> str | None:
        """A string, accepting numbers (for versions and option values)."""
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, "a string", value)
            return None
        return str(value).strip()

    def int(self, key: str, required: bool = False, default: int | None = None) -> Any:
        """An integer value."""
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, "a whole number", value)
            return default
        return value

    def bool(self, key: str, default: bool = False) -> bool:
        """A boolean value."""
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(key, "true or false", value)
            return default
        return value

    def list(self, key: str, required: bool = False) -> LineList:
        """A list value (empty when absent or wrong)."""
        value = self._get(key, required)
        if value is None:
            return LineList()
        if not isinstance(value, list):
            self.fail(key, "a list", value)
            return LineList()
        return value

    def str_list(self, key: str, required: bool = False) -> tuple[str, ...]:
        """A list of non-empty strings."""
        items = self.list(key, required)
        out: list[str] = []
        for index, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                out.append(item.strip())
            else:
                line = items.item_line(index) if isinstance(items, LineList) else self.key_line(key)
                self.problems.add(line, f"{self._name(key)}[{index}]", f"expected a non-empty string, found {describe(item)}")
        return tuple(out)

    def sub(self, key: str, required: bool = False) -> Reader | None:
        """A Reader over a nested mapping (None when absent)."""
        value = self._get(key, required)
        if value is None:
            return None
        return Reader(value, self._name(key), self.problems, self.key_line(key))

    def items(self, key: str, required: bool = False) -> list[Reader]:
        """Readers over a list of mappings."""
        items = self.list(key, required)
        readers = []
        for index, item in enumerate(items):
            line = items.item_line(index) if isinstance(items, LineList) else self.key_line(key)
            readers.append(Reader(item, f"{self._name(key)}[{index}]", self.problems, line))
        return readers

    def finish(self, allowed: set[str] | frozenset[str]) -> None:
        """Report keys that are not part of the format."""
        for key in self.data:
            if key not in allowed:
                shown = key if isinstance(key, str) else describe(key)
                hint = ", ".join(sorted(allowed))
                self.problems.add(
                    self.key_line(key), self._name(str(shown)),
                    f"unknown key; expected one of: {hint}",
                )
