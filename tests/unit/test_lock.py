"""The session lock (``coach.session.lock``): one writer per transcript, by the operating system's own lock.

Other processes are real subprocesses; Windows' ``msvcrt`` byte lock and a file system
without ``flock`` are simulated here (see also ``tests/reliability/test_without_posix.py``).
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT, coach_env

from coach.errors import TranscriptError
from coach.session import lock
from coach.session.lock import SessionInUse, SessionLock, in_use_elsewhere, lock_path

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="flock, SIGKILL and symlinks are POSIX here")

HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from coach.session.lock import SessionLock
    lock = SessionLock(Path(sys.argv[1])).acquire()
    print("held", flush=True)
    sys.stdin.read()
""")


def hold_elsewhere(path: Path, home: Path) -> subprocess.Popen[str]:
    """Another process that takes the session's lock and keeps it until its stdin closes."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=coach_env(home))
    assert holder.stdout is not None
    line = holder.stdout.readline().strip()
    if line != "held":
        holder.kill()
        pytest.fail(f"the holder did not take the lock: {line!r} {holder.communicate()[1]}")
    return holder


def probe_elsewhere(path: Path, home: Path) -> bool:
    """``in_use_elsewhere`` as another process sees it."""
    code = "import sys; from pathlib import Path; from coach.session.lock import in_use_elsewhere; " \
           "print(in_use_elsewhere(Path(sys.argv[1])))"
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT,
                            env=coach_env(home), timeout=60, check=True)
    return {"True": True, "False": False}[result.stdout.strip()]


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files through /proc")


# Another process


@posix_only
def test_another_process_holding_it_is_refused_then_let_go(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    holder = hold_elsewhere(path, tmp_path)
    try:
        with pytest.raises(SessionInUse) as caught:
            SessionLock(path).acquire()
        assert "al geopend in een ander venster of proces" in str(caught.value) and str(path) in str(caught.value)
        assert in_use_elsewhere(path)
        assert lock._key(path) not in lock._registry, "a refused lock is not kept"
    finally:
        holder.communicate("")  # stdin closed: the holder ends normally
    with SessionLock(path) as taken:
        assert taken.held and lock._registry[lock._key(path)].kind == "flock"
        assert probe_elsewhere(path, tmp_path), "and now this process holds it against the others"


@posix_only
def test_a_killed_holder_never_leaves_it_locked(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    holder = hold_elsewhere(path, tmp_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert holder.returncode == -signal.SIGKILL
    assert lock_path(path).exists(), "the lock file stays (removing it would break the exclusion)"
    assert not in_use_elsewhere(path), "the OS lock went with the process"
    with SessionLock(path) as taken:
        assert taken.held


@posix_only
def test_release_lets_another_process_take_it_and_keeps_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    held = SessionLock(path).acquire()
    assert probe_elsewhere(path, tmp_path)
    held.release()
    assert not probe_elsewhere(path, tmp_path), "the OS lock is let go at release, not only at exit"
    assert lock_path(path).read_bytes() == b"", "the flock's file stays, empty"
    other = hold_elsewhere(path, tmp_path)  # fails the test unless it gets the lock
    other.kill()
    other.wait()


# The lock file itself


@posix_only
def test_a_new_lock_file_is_0600_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    old = os.umask(0)
    try:
        with SessionLock(path):
            mode = stat.S_IMODE(os.stat(lock_path(path)).st_mode)
    finally:
        os.umask(old)
    assert mode == 0o600


@posix_only
@pytest.mark.parametrize("nofollow", [True, False], ids=["O_NOFOLLOW", "checked-after-open"])
def test_a_symlink_at_the_lock_path_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    nofollow: bool) -> None:
    """A link planted there (filelock's CVEs) is refused in words; what it points at is left alone."""
    if nofollow:
        assert lock._NOFOLLOW and lock._NOFOLLOW == os.O_NOFOLLOW, "the open itself refuses a link"
    else:
        monkeypatch.setattr(lock, "_NOFOLLOW", 0)  # as on Windows
    path = tmp_path / "s.yaml"
    target = tmp_path / "elders.txt"
    target.write_bytes(b"niet van jou\n")
    target.chmod(0o644)
    lock_path(path).symlink_to(target)
    with pytest.raises(TranscriptError) as caught:
        SessionLock(path).acquire()
    assert not isinstance(caught.value, SessionInUse)
    message = str(caught.value)
    assert "kan het slot .s.yaml.lock niet maken" in message and "symbolische koppeling" in message, message
    assert "COACH_HOME" in message
    assert target.read_bytes() == b"niet van jou\n" and stat.S_IMODE(target.stat().st_mode) == 0o644
    assert lock._key(path) not in lock._registry


@posix_only
@pytest.mark.parametrize("nofollow", [True, False], ids=["O_NOFOLLOW", "checked-after-open"])
def test_a_dangling_symlink_creates_nothing_where_it_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            nofollow: bool) -> None:
    if not nofollow:
        monkeypatch.setattr(lock, "_NOFOLLOW", 0)
    path = tmp_path / "s.yaml"
    target = tmp_path / "nieuw.txt"
    lock_path(path).symlink_to(target)
    with pytest.raises(TranscriptError, match="symbolische koppeling"):
        SessionLock(path).acquire()
    assert not target.exists()
    assert not in_use_elsewhere(path) and not target.exists(), "the probe does not follow it either"


def test_a_folder_that_cannot_hold_the_lock_is_said(tmp_path: Path) -> None:
    blocker = tmp_path / "een-bestand"
    blocker.write_text("geen map", encoding="utf-8")
    with pytest.raises(TranscriptError) as caught:
        SessionLock(blocker / "s.yaml").acquire()
    assert not isinstance(caught.value, SessionInUse)
    assert "kan het slot .s.yaml.lock niet maken" in str(caught.value) and "COACH_HOME" in str(caught.value)


# Within one process


@posix_only
def test_one_process_shares_one_lock_counted(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    one = SessionLock(path).acquire()
    two = SessionLock(path).acquire()
    assert one.held and two.held and lock._registry[lock._key(path)].count == 2
    one.release()
    one.release()  # idempotent: does not let go of the second holder's share
    assert not one.held and two.held
    assert probe_elsewhere(path, tmp_path), "still held for the second holder"
    assert one.acquire() is one and lock._registry[lock._key(path)].count == 2, "taken again: counted again"
    one.release()
    two.release()
    assert lock._key(path) not in lock._registry
    assert not probe_elsewhere(path, tmp_path), "the last holder let go"


@needs_proc
def test_no_file_is_left_open(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    before = open_fds()
    for _ in range(3):
        with SessionLock(path), SessionLock(path):
            in_use_elsewhere(path)
    in_use_elsewhere(path)
    assert open_fds() == before


# The probe


def test_in_use_elsewhere_without_a_lock_file_is_false_and_makes_none(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    assert not in_use_elsewhere(path)
    assert not lock_path(path).exists()
    assert not in_use_elsewhere(tmp_path / "geen-map" / "s.yaml")


def test_in_use_elsewhere_is_false_for_this_process_and_a_free_lock(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    with SessionLock(path):
        assert not in_use_elsewhere(path), "this process holds it"
    assert lock_path(path).exists() and not in_use_elsewhere(path), "a lock file no one holds"


@posix_only
def test_in_use_elsewhere_that_cannot_tell_says_false(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable lock file (as another account's would be): listing must not fail because of it."""
    path = tmp_path / "s.yaml"
    holder = hold_elsewhere(path, tmp_path)
    try:
        assert in_use_elsewhere(path)
        real_open = os.open

        def unreadable(name: object, flags: int, *args: object) -> int:
            if os.fspath(name) == os.fspath(lock_path(path)):  # type: ignore[call-overload]
                raise PermissionError(errno.EACCES, "Permission denied", str(name))
            return real_open(name, flags, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", unreadable)
        assert not in_use_elsewhere(path)
    finally:
        holder.kill()
        holder.wait()


# When flock answers otherwise


@posix_only
@pytest.mark.parametrize("code", [errno.EAGAIN, errno.EACCES])
def test_flock_saying_busy_is_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    import fcntl

    def busy(fd: int, operation: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(fcntl, "flock", busy)
    path = tmp_path / "s.yaml"
    with pytest.raises(SessionInUse):
        SessionLock(path).acquire()
    assert in_use_elsewhere(path)


@posix_only
def test_another_flock_failure_is_an_error_not_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    def broken(fd: int, operation: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(fcntl, "flock", broken)
    path = tmp_path / "s.yaml"
    with pytest.raises(TranscriptError) as caught:
        SessionLock(path).acquire()
    assert not isinstance(caught.value, SessionInUse) and "leesfout of schrijffout" in str(caught.value)
    assert not in_use_elsewhere(path), "cannot tell"


# A file system without flock: the soft lock


def no_flock(monkeypatch: pytest.MonkeyPatch, code: int = errno.ENOSYS) -> None:
    import fcntl

    def missing(fd: int, operation: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(fcntl, "flock", missing)


def gone_pid() -> int:
    """The number of a process that has ended (and been reaped)."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return ended.pid


@posix_only
@pytest.mark.parametrize("code", [errno.ENOSYS, errno.ENOLCK, errno.EOPNOTSUPP])
def test_without_flock_a_lock_file_names_its_owner_while_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               code: int) -> None:
    no_flock(monkeypatch, code)
    path = tmp_path / "s.yaml"
    old = os.umask(0)
    try:
        held = SessionLock(path).acquire()
    finally:
        os.umask(old)
    try:
        assert lock._registry[lock._key(path)].kind == "soft"
        assert lock_path(path).read_text(encoding="ascii") == f"{os.getpid()}\n{os.uname().nodename}\n"
        assert stat.S_IMODE(os.stat(lock_path(path)).st_mode) == 0o600
        assert not in_use_elsewhere(path)
    finally:
        held.release()
    assert not lock_path(path).exists()


def soft_lock_naming(path: Path, text: str) -> None:
    lock_path(path).write_text(text, encoding="ascii")


@posix_only
@pytest.mark.parametrize("owner", ["gone", "mine"])
def test_without_flock_a_lock_of_a_process_that_is_gone_is_taken_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       owner: str) -> None:
    no_flock(monkeypatch)
    path = tmp_path / "s.yaml"
    pid = gone_pid() if owner == "gone" else os.getpid()  # mine and not held: an earlier process with this number
    soft_lock_naming(path, f"{pid}\n{os.uname().nodename}\n")
    assert not in_use_elsewhere(path)
    with SessionLock(path):
        assert lock_path(path).read_text(encoding="ascii").split()[0] == str(os.getpid())
    assert not lock_path(path).exists()


@posix_only
@pytest.mark.parametrize("record", ["alive", "other host", "empty", "garbled", "pid 0", "pid -1", "huge pid"])
def test_without_flock_a_lock_not_provably_stale_is_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           record: str) -> None:
    """Only a process of this host that is provably gone is taken over; never ``os.kill`` of 0 or -1."""
    no_flock(monkeypatch)
    host = os.uname().nodename
    text = {"alive": f"{os.getppid()}\n{host}\n", "other host": f"{gone_pid()}\nelders-{host}\n", "empty": "",
            "garbled": "\x00\x01\n", "pid 0": f"0\n{host}\n", "pid -1": f"-1\n{host}\n",
            "huge pid": f"{10**30}\n{host}\n"}[record]
    killed: list[int] = []
    real_kill = os.kill

    def kill(pid: int, sig: int) -> None:
        killed.append(pid)
        real_kill(pid, sig)

    monkeypatch.setattr(os, "kill", kill)
    path = tmp_path / "s.yaml"
    soft_lock_naming(path, text)
    with pytest.raises(SessionInUse):
        SessionLock(path).acquire()
    assert in_use_elsewhere(path)
    assert lock_path(path).read_text(encoding="ascii") == text, "left as it was"
    assert all(pid > 0 for pid in killed), killed


# Windows, simulated


class FakeMsvcrt(SimpleNamespace):
    """``msvcrt.locking`` with Windows' rules: bytes from the current position; another handle's byte is EACCES."""

    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4

    def __init__(self) -> None:
        super().__init__()
        self.locked: dict[tuple[int, int], int] = {}
        self.calls: list[tuple[int, int, int]] = []
        self.refuse: int | None = None

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        where = os.lseek(fd, 0, os.SEEK_CUR)
        self.calls.append((mode, where, nbytes))
        assert where == 0 and nbytes == 1, "byte 0, one byte"
        info = os.fstat(fd)
        key = (info.st_dev, info.st_ino)
        if mode == self.LK_UNLCK:
            if self.locked.get(key) != fd:
                raise PermissionError(errno.EACCES, "unlock of a byte this handle does not hold")
            del self.locked[key]
            return
        assert mode == self.LK_NBLCK, "never waits"
        if self.refuse is not None:
            raise OSError(self.refuse, os.strerror(self.refuse))
        if key in self.locked:
            raise PermissionError(errno.EACCES, "Permission denied")
        self.locked[key] = fd


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> FakeMsvcrt:
    """This process as if on Windows: the fake msvcrt, no O_NOFOLLOW, and a flock that must not be called."""
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)  # type: ignore[arg-type]
    monkeypatch.setattr(lock, "_WINDOWS", True)
    monkeypatch.setattr(lock, "_NOFOLLOW", 0)
    try:
        import fcntl
    except ImportError:
        return fake

    def no_flock(fd: int, operation: int) -> None:
        raise AssertionError("flock is not used on Windows")

    monkeypatch.setattr(fcntl, "flock", no_flock)
    return fake


def as_another_process(monkeypatch: pytest.MonkeyPatch) -> dict[str, lock._Held]:
    """The registry emptied, as another process has its own; returns this process's to put back."""
    own = lock._registry
    monkeypatch.setattr(lock, "_registry", {})
    return own


def test_windows_locks_byte_zero_and_refuses_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     windows: FakeMsvcrt) -> None:
    path = tmp_path / "s.yaml"
    held = SessionLock(path).acquire()
    entry = lock._registry[lock._key(path)]
    assert entry.kind == "msvcrt" and windows.locked == {(os.fstat(entry.fd).st_dev, os.fstat(entry.fd).st_ino): entry.fd}
    assert not in_use_elsewhere(path), "this process holds it"

    own = as_another_process(monkeypatch)
    with pytest.raises(SessionInUse):
        SessionLock(path).acquire()
    assert in_use_elsewhere(path)
    assert lock._registry == {}
    monkeypatch.setattr(lock, "_registry", own)

    held.release()
    assert windows.locked == {} and windows.calls[-1] == (windows.LK_UNLCK, 0, 1)
    with pytest.raises(OSError):
        os.fstat(entry.fd)  # closed
    assert lock_path(path).exists(), "the lock file stays"
    assert not in_use_elsewhere(path)
    with SessionLock(path) as again:
        assert again.held


def test_windows_unlocks_byte_zero_after_the_file_moved_on(tmp_path: Path, windows: FakeMsvcrt) -> None:
    path = tmp_path / "s.yaml"
    held = SessionLock(path).acquire()
    os.lseek(lock._registry[lock._key(path)].fd, 5, os.SEEK_SET)
    held.release()
    assert windows.locked == {}, "unlocked where it was locked"


@pytest.mark.parametrize("code", [errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)])
def test_windows_busy_answers_are_in_use(tmp_path: Path, windows: FakeMsvcrt, code: int) -> None:
    windows.refuse = code
    path = tmp_path / "s.yaml"
    with pytest.raises(SessionInUse):
        SessionLock(path).acquire()
    assert in_use_elsewhere(path)


@needs_proc
def test_windows_another_failure_is_an_error_and_closes_the_file(tmp_path: Path, windows: FakeMsvcrt) -> None:
    windows.refuse = errno.EIO
    path = tmp_path / "s.yaml"
    before = open_fds()
    with pytest.raises(TranscriptError) as caught:
        SessionLock(path).acquire()
    assert not isinstance(caught.value, SessionInUse)
    assert not in_use_elsewhere(path), "cannot tell"
    assert open_fds() == before


def test_windows_never_uses_the_soft_lock_or_os_kill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     windows: FakeMsvcrt) -> None:
    """os.kill(pid, 0) ends a process on Windows: a lock file naming one is never judged there."""
    def kill(pid: int, sig: int) -> None:
        raise AssertionError("os.kill on Windows")

    monkeypatch.setattr(os, "kill", kill)
    path = tmp_path / "s.yaml"
    soft_lock_naming(path, f"{os.getpid()}\n{lock._host()}\n")
    with SessionLock(path):
        assert lock._registry[lock._key(path)].kind == "msvcrt"
    assert lock_path(path).exists()


# The module


@posix_only
def test_the_module_imports_without_fcntl_or_msvcrt_and_loads_neither(tmp_path: Path) -> None:
    """On every platform, cheaply; where there is no fcntl at all the soft lock stands in."""
    code = textwrap.dedent("""
        import sys
        from pathlib import Path
        from coach.session import lock
        print(sorted(m for m in ("fcntl", "msvcrt", "socket", "filelock") if m in sys.modules))
        sys.modules["fcntl"] = None
        sys.modules["msvcrt"] = None
        with lock.SessionLock(Path(sys.argv[1])):
            print(lock._registry[lock._key(Path(sys.argv[1]))].kind)
    """)
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.yaml")], capture_output=True, text=True,
                            cwd=ROOT, env=coach_env(tmp_path), timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["[]", "soft"]
