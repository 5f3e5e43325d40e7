"""One writer per transcript: an OS-level lock file beside it.

A session opened for writing (``coach start``, ``coach resume``, the app) holds
``.NAME.yaml.lock`` beside its transcript. The lock is the operating system's own
(``flock`` on Linux and macOS, ``LockFileEx`` on Windows, through the filelock
library), so it vanishes with the process: a crashed or killed process never leaves
a session locked. The lock file itself stays (removing it while others wait would
break the exclusion); it is empty and harmless. On a file system without ``flock``
(some network shares) filelock falls back to a lock file naming its owner process,
which it takes over once that process is provably gone.

Within one process the lock is shared: opening the same session twice in one
process (the app's pause and resume) takes it once and releases it when the last
holder lets go. Two writers in one process are caught by the transcript's own check
that the file is still the version last written (``transcript.TranscriptConflict``).

Usage::

    with SessionLock(path):          # raises SessionInUse when open elsewhere
        ...
    lock = SessionLock(path).acquire()
    ...
    lock.release()
"""

from __future__ import annotations

import os
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from coach.errors import TranscriptError


class SessionInUse(TranscriptError):
    """The session is open for writing in another process."""


def lock_path(transcript: Path) -> Path:
    """The lock file of a transcript: ``.NAME.lock`` in the same folder."""
    return transcript.with_name(f".{transcript.name}.lock")


@dataclass
class _Held:
    lock: Any
    count: int


_registry: dict[str, _Held] = {}
_registry_guard = threading.Lock()


def _key(transcript: Path) -> str:
    return os.path.normcase(os.path.abspath(lock_path(transcript)))


class SessionLock:
    """The exclusive lock on one transcript (see the module's docstring)."""

    def __init__(self, transcript: Path) -> None:
        self.transcript = Path(transcript)
        """The transcript this lock guards."""
        self.path = lock_path(self.transcript)
        """The lock file beside it."""
        self._held = False

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._held

    def acquire(self) -> SessionLock:
        """Take the lock now (never waits); returns self.

        Raises SessionInUse when another process holds it, and TranscriptError when
        the lock file cannot be made (a folder that cannot be written).
        """
        if self._held:
            return self
        from filelock import FileLock, Timeout

        key = _key(self.transcript)
        with _registry_guard:
            held = _registry.get(key)
            if held is not None:
                held.count += 1
                self._held = True
                return self
            lock = FileLock(str(self.path), timeout=0, mode=0o600)
            try:
                with warnings.catch_warnings():
                    # A file system without flock (some network shares): filelock falls back to a lock
                    # file naming its owner process, and says so on stderr, which would land in the app.
                    warnings.filterwarnings("ignore", message="flock not supported")
                    lock.acquire(timeout=0)
            except Timeout:
                raise SessionInUse(
                    "deze sessie is al geopend in een ander venster of proces; sluit dat eerst "
                    "(of ga daar verder). Twee tegelijk zouden elkaars antwoorden overschrijven",
                    path=str(self.transcript),
                ) from None
            except OSError as err:
                from coach.session.transcript import explain

                raise TranscriptError(
                    f"kan het slot {self.path.name} niet maken: {explain(err)}; "
                    "kies een andere map met de omgevingsvariabele COACH_HOME",
                    path=str(self.transcript.parent),
                ) from err
            _registry[key] = _Held(lock, 1)
            self._held = True
        return self

    def release(self) -> None:
        """Let go (idempotent); the OS lock goes when the last holder in this process lets go."""
        if not self._held:
            return
        self._held = False
        key = _key(self.transcript)
        with _registry_guard:
            held = _registry.get(key)
            if held is None:
                return
            held.count -= 1
            if held.count <= 0:
                del _registry[key]
                held.lock.release()

    def __enter__(self) -> SessionLock:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.release()


def in_use_elsewhere(transcript: Path) -> bool:
    """True when another process holds the transcript's lock (a quick, read-only probe).

    False when there is no lock file, when this process holds it, or when the probe
    cannot tell (an unreadable folder).
    """
    path = lock_path(transcript)
    if not path.exists() or _key(transcript) in _registry:
        return False
    from filelock import FileLock, Timeout

    probe = FileLock(str(path), timeout=0)
    try:
        probe.acquire(timeout=0)
    except Timeout:
        return True
    except OSError:
        return False  # cannot tell; listing must not fail because of it
    probe.release()
    return False
