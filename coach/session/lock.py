"""One writer per transcript: an OS-level lock file beside it.

A session opened for writing (``coach start``, ``coach resume``, the app) holds
``.NAME.yaml.lock`` beside its transcript. The lock is the operating system's own
(``flock`` on Linux and macOS, a ``msvcrt`` byte lock on Windows), so it vanishes with
the process: a crashed or killed process never leaves a session locked. The lock file
itself stays (removing it while others wait would break the exclusion); it is empty
and harmless. On a file system without ``flock`` (some network shares) the lock falls
back to a lock file that exists only while held and names its owner process and host;
it is taken over once that process is provably gone (a process of this host that no
longer exists).

Written with the standard library alone (some 150 lines of code) rather than the
filelock library it replaced: importing that cost about 0.7 MB resident in the running
app, a large share of its 1.3× memory budget. This module is on the app's start path, so it
imports nothing that is not loaded already; ``fcntl`` and ``msvcrt`` are imported where
they are used, so it imports on every platform.

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

import errno
import os
import sys
import threading
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


_WINDOWS = sys.platform == "win32"
"""Windows locks a byte with ``msvcrt``; everywhere else ``flock`` (a name, so tests can simulate Windows)."""

_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
"""Never follow a symlink at the lock path: filelock had CVEs (CVE-2025-68146, CVE-2026-22701) for symlink
races on lock files, where a link planted there made the locker create or truncate a file elsewhere."""

_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0) or getattr(os, "O_NOINHERIT", 0)
"""Programs this process starts do not inherit the lock (and so cannot keep it after it ends)."""

_BUSY = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES})
"""What a non-blocking ``flock`` answers when another holds the lock (some file systems say EACCES)."""

_NO_FLOCK = frozenset({errno.ENOSYS, errno.ENOLCK, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)})
"""What a file system without ``flock`` answers: then the soft lock is used."""

_WINDOWS_BUSY = frozenset({errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)})
"""What ``msvcrt.locking`` answers when another process holds the byte."""


class _Busy(Exception):
    """Another process holds the lock (turned into SessionInUse by the caller)."""


@dataclass
class _Held:
    """The OS lock this process holds on one lock file, shared by its SessionLocks (``count`` of them)."""

    path: Path
    fd: int
    kind: str
    """Which lock: "flock", "msvcrt", or "soft" (a lock file that exists only while held)."""
    count: int = 1


_registry: dict[str, _Held] = {}
_registry_guard = threading.Lock()


def _key(transcript: Path) -> str:
    return os.path.normcase(os.path.abspath(lock_path(transcript)))


def _not_a_link(path: Path) -> OSError:
    return OSError(errno.ELOOP, "het slotbestand is een symbolische koppeling; die wordt niet gevolgd", str(path))


def _open_lock_file(path: Path) -> tuple[int, bool]:
    """Open or make (0600) the lock file, never through a symlink; returns the fd and whether this call made it.

    O_EXCL first tells whether the file is ours, so the fallback for a file system without
    ``flock`` removes only a file this call made, never another process's soft lock.
    """
    flags = os.O_RDWR | _NOFOLLOW | _CLOEXEC
    tries = 3
    try:
        while True:
            try:
                fd, made = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600), True
            except FileExistsError:
                try:
                    fd, made = os.open(path, flags), False
                except FileNotFoundError:
                    tries -= 1
                    if tries:
                        continue  # a soft lock let go in between: make the file again
                    raise
            if not _NOFOLLOW and os.path.islink(path):  # no O_NOFOLLOW (Windows): checked after the open
                os.close(fd)
                raise _not_a_link(path)
            return fd, made
    except OSError as err:
        if os.path.islink(path):
            raise _not_a_link(path) from err
        raise


def _flock(fd: int, operation: str) -> None:
    """``fcntl.flock`` without waiting (operation "EX", "SH" or "UN"); ENOSYS where there is no fcntl."""
    try:
        import fcntl
    except ImportError:
        raise OSError(errno.ENOSYS, "fcntl is not available") from None
    flag = getattr(fcntl, f"LOCK_{operation}")
    fcntl.flock(fd, flag if operation == "UN" else flag | fcntl.LOCK_NB)


def _byte_lock(fd: int, *, unlock: bool = False) -> None:
    """Windows: lock (or unlock) byte 0 with ``msvcrt.locking``, without waiting; _Busy when another holds it."""
    msvcrt: Any = __import__("msvcrt")  # here, not at the top: it exists on Windows only
    os.lseek(fd, 0, os.SEEK_SET)  # msvcrt locks from the current position: always byte 0
    try:
        msvcrt.locking(fd, msvcrt.LK_UNLCK if unlock else msvcrt.LK_NBLCK, 1)
    except OSError as err:
        if not unlock and err.errno in _WINDOWS_BUSY:
            raise _Busy from None
        raise


def _host() -> str:
    """This machine's name: only a soft lock of this host can be judged by its process id."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _owner_gone(record: bytes) -> bool:
    """True when a soft lock names a process of this host that provably no longer exists."""
    try:
        pid_text, host = record.decode("utf-8").split("\n")[:2]
        pid = int(pid_text)
    except (UnicodeDecodeError, ValueError):
        return False  # empty (being written) or not ours to judge
    if _WINDOWS or host != _host() or pid <= 0:
        return False  # os.kill(pid, 0) would end the process on Windows; another host's we cannot see
    if pid == os.getpid():
        return True  # not in this process's registry: left by an earlier process with our number
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):
        return False  # alive (another user's), or cannot tell
    return False


def _remove_if_same(path: Path, fd: int) -> None:
    """Remove the file at path only while it is still the one fd has open."""
    try:
        if os.path.samestat(os.lstat(path), os.fstat(fd)):
            os.unlink(path)
    except OSError:
        pass  # gone already, or cannot: a soft lock left behind names a process that is gone


def _take_over_stale(path: Path) -> bool:
    """Remove a soft lock whose owner is provably gone; True when the lock file may be made again.

    Two processes taking over the same stale lock at the same moment could, in the instant
    between the identity check and the unlink, remove the other's fresh lock; without
    ``flock`` there is no closer check to be had.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    except FileNotFoundError:
        return True  # let go meanwhile
    except OSError:
        return False
    try:
        if not _owner_gone(os.read(fd, 1024)):
            return False
        _remove_if_same(path, fd)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _soft_lock(path: Path) -> int:
    """A lock file made with O_EXCL, naming its owner, for file systems without ``flock``."""
    for attempt in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600)
        except FileExistsError:
            if attempt == 0 and _take_over_stale(path):
                continue
            raise _Busy from None
        try:
            os.write(fd, f"{os.getpid()}\n{_host()}\n".encode())
        except BaseException:
            _remove_if_same(path, fd)
            os.close(fd)
            raise
        return fd
    raise _Busy


def _lock(path: Path) -> _Held:
    """Take the lock now (never waits); _Busy when another process holds it, OSError when it cannot be made."""
    fd, made = _open_lock_file(path)
    try:
        if _WINDOWS:
            _byte_lock(fd)
            return _Held(path, fd, "msvcrt")
        _flock(fd, "EX")
        return _Held(path, fd, "flock")
    except OSError as err:
        if _WINDOWS or err.errno not in _NO_FLOCK:
            os.close(fd)
            if not _WINDOWS and err.errno in _BUSY:
                raise _Busy from None
            raise
        if made:  # the empty file this call made would read as a soft lock being written
            _remove_if_same(path, fd)
        os.close(fd)
    except BaseException:
        os.close(fd)
        raise
    return _Held(path, _soft_lock(path), "soft")


def _unlock(held: _Held) -> None:
    """Let go of the OS lock; never raises (closing the file lets go of flock and msvcrt locks anyway)."""
    try:
        if held.kind == "flock":
            _flock(held.fd, "UN")
        elif held.kind == "msvcrt":
            _byte_lock(held.fd, unlock=True)
        else:
            _remove_if_same(held.path, held.fd)
    except OSError:
        pass
    finally:
        try:
            os.close(held.fd)
        except OSError:
            pass  # some network file systems report a late write error on close; the lock is gone either way


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
        key = _key(self.transcript)
        with _registry_guard:
            held = _registry.get(key)
            if held is not None:
                held.count += 1
                self._held = True
                return self
            try:
                held = _lock(self.path)
            except _Busy:
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
            _registry[key] = held
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
                _unlock(held)

    def __enter__(self) -> SessionLock:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.release()


def in_use_elsewhere(transcript: Path) -> bool:
    """True when another process holds the transcript's lock (a quick, read-only probe).

    False when there is no lock file, when this process holds it, or when the probe
    cannot tell (an unreadable folder). The probe takes a shared lock for a moment,
    which a reading file descriptor may hold on every file system that has ``flock``.
    """
    if _key(transcript) in _registry:
        return False
    path = lock_path(transcript)
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    except OSError:
        return False  # no lock file, or cannot tell; listing must not fail because of it
    try:
        if _WINDOWS:
            _byte_lock(fd)
            _byte_lock(fd, unlock=True)
        else:
            _flock(fd, "SH")
            _flock(fd, "UN")
    except _Busy:
        return True
    except OSError as err:
        if not _WINDOWS and err.errno in _BUSY:
            return True
        if _WINDOWS or err.errno not in _NO_FLOCK:
            return False  # cannot tell
        try:
            return not _owner_gone(os.read(fd, 1024))  # a soft lock: held unless its owner is gone
        except OSError:
            return False
    finally:
        os.close(fd)
    return False
