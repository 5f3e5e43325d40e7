"""Text that names a file, its path broken only after a '/' or a '-'.

Textual wraps at spaces, and a path has none: at 80 columns it was cut anywhere, often in
the middle of a file name, which is then hard to read back or to find on disk. This widget
breaks the path where a person would, and again when its width changes.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from coach.text import strip_controls

_PIECE = re.compile(r"[^/\\-]*[/\\-]|[^/\\-]+")
"""A folder or part of a name, with the separator after it (where a line may end)."""


def broken_path(path: str, width: int, first: int | None = None) -> str:
    """``path`` on lines of at most ``width`` cells (``first`` for the first line), broken
    after a separator where one is near enough; a piece longer than a line is cut."""
    if width < 1:
        return path
    lines: list[str] = []
    line = ""
    room = width if first is None else max(first, 0)
    for piece in _PIECE.findall(path):
        if line and cell_len(line) + cell_len(piece) > room:
            lines.append(line)
            line, room = "", width
        elif not line and lines == [] and cell_len(piece) > room and room < width:
            lines.append("")  # no room left on the first line: start the path on the next
            room = width
        line += piece
        while cell_len(line) > room:
            cut = _cut_at(line, room)
            lines.append(line[:cut])
            line, room = line[cut:], width
    lines.append(line)
    return "\n".join(lines)


def _cut_at(text: str, cells: int) -> int:
    """The index where ``text`` is ``cells`` wide (at least one character)."""
    total = 0
    for index, character in enumerate(text):
        total += cell_len(character)
        if total > cells:
            return max(index, 1)
    return len(text)


class PathText(Static):
    """``before``, a path and ``after``; the path breaks at its separators to fit the width."""

    def __init__(self, before: str = "", path: str = "", after: str = "", **kwargs: object) -> None:
        super().__init__(Content(""), **kwargs)  # type: ignore[arg-type]
        self._parts = (before, path, after)

    def show(self, before: str = "", path: str = "", after: str = "") -> None:
        self._parts = (before, path, after)
        self._draw()

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        before, path, after = (strip_controls(part) for part in self._parts)
        width = self.content_region.width
        if path and width > 0:
            first = width - cell_len(before.rsplit("\n", 1)[-1])
            path = broken_path(path, width, first)
        self.update(Content(before + path + after))
