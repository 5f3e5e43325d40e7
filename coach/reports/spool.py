"""Rows kept on disk while a report reads its input, read back lazily by the templates.

A group report shows every participant's answers side by side, but it can only be
written once every transcript is read; keeping those rows in memory would make memory
grow with the number of transcripts. Rows go, per key, into chunks of a nameless
temporary file (readable by the user alone, gone when closed); a key's chunk index
and its last unwritten chunk are all that stays in memory.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Hashable, Iterator
from typing import Any

CHUNK_BYTES = 1 << 14
"""Rows of one key are written once this much of them is waiting."""


class Spool:
    """Rows appended under keys, each key read back in order, any number of times."""

    def __init__(self) -> None:
        self._file: Any = None
        self._end = 0
        self._chunks: dict[Hashable, list[tuple[int, int]]] = {}
        self._waiting: dict[Hashable, list[bytes]] = {}
        self._waiting_bytes: dict[Hashable, int] = {}
        self._counts: dict[Hashable, int] = {}

    def append(self, key: Hashable, row: Any) -> None:
        """Keep ``row`` (plain data: dict, list, str, numbers, None) under ``key``."""
        data = marshal.dumps(row)
        waiting = self._waiting.get(key)
        if waiting is None:
            waiting = self._waiting[key] = []
            self._waiting_bytes[key] = 0
            self._chunks[key] = []
            self._counts[key] = 0
        waiting.append(data)
        self._counts[key] += 1
        self._waiting_bytes[key] += len(data)
        if self._waiting_bytes[key] >= CHUNK_BYTES:
            self._flush(key)

    def _flush(self, key: Hashable) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="coach-report-")
        blob = marshal.dumps(self._waiting[key])
        self._file.seek(self._end)
        self._file.write(blob)
        self._chunks[key].append((self._end, len(blob)))
        self._end += len(blob)
        self._waiting[key] = []
        self._waiting_bytes[key] = 0

    def count(self, key: Hashable) -> int:
        """How many rows ``key`` holds."""
        return self._counts.get(key, 0)

    def rows(self, key: Hashable) -> Iterator[Any]:
        """The rows of ``key`` in the order they were appended."""
        for offset, size in list(self._chunks.get(key, ())):
            self._file.seek(offset)  # each chunk is read whole, so interleaved readers are safe
            blob = self._file.read(size)
            for data in marshal.loads(blob):
                yield marshal.loads(data)
        for data in list(self._waiting.get(key, ())):
            yield marshal.loads(data)

    def close(self) -> None:
        """Remove the temporary file."""
        if self._file is not None:
            self._file.close()
            self._file = None


class Rows:
    """A lazy, re-iterable list of spooled rows, as templates and the JSON writer see it.

    Templates can loop over it, ask its ``length``, and test it (``{% if rows %}``);
    it holds nothing a sandboxed template could reach beyond the rows themselves.
    """

    __slots__ = ("_spool", "_key")

    def __init__(self, spool: Spool, key: Hashable) -> None:
        self._spool = spool
        self._key = key

    def __iter__(self) -> Iterator[Any]:
        return self._spool.rows(self._key)

    def __len__(self) -> int:
        return self._spool.count(self._key)

    def __bool__(self) -> bool:
        return self._spool.count(self._key) > 0

    def __repr__(self) -> str:
        return f"<{len(self)} rijen>"
