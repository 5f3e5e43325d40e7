"""What POSIX alone gives degrades, instead of failing, where a system does not have it.

Windows cannot be run here, so its differences are simulated on this system, by what
the code checks for (availability, never the platform's name): no ``os.O_DIRECTORY``
and a folder that cannot be opened (as on Windows), a file system without fsync for
folders, no ``os.fchmod`` and a ``chmod`` that fails (FAT, network shares), Windows
error codes, and cmd.exe quoting for `coach serve`. Each time a save must still be
whole and atomic: the old or the new file, never a temp file left.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from coach.session import transcript
from coach.session.session import Session

NOT_A_FOLDER_TO_OPEN = PermissionError(errno.EACCES, "Permission denied")
"""What ``os.open`` on a folder raises on Windows."""


def refuse_opening_folders(monkeypatch: pytest.MonkeyPatch, err: OSError) -> list[str]:
    """``os.open`` that fails on folders (files still open); returns the folders it refused."""
    refused: list[str] = []
    real_open = os.open

    def fake_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.path.isdir(path):
            refused.append(os.fspath(path))
            raise err
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)
    return refused


def like_windows(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No O_DIRECTORY, folders that cannot be opened, no ``fchmod``, a chmod that fails, and no O_NOFOLLOW.

    The session lock then checks for a symlink after opening its file, as on Windows; its
    Windows byte lock itself (``msvcrt``) is simulated in ``tests/unit/test_lock.py``.
    """
    from coach.session import lock

    monkeypatch.delattr(os, "O_DIRECTORY", raising=False)
    monkeypatch.delattr(os, "fchmod", raising=False)
    monkeypatch.setattr(lock, "_NOFOLLOW", 0)

    def chmod(*args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("chmod: modes are not kept on this file system")

    monkeypatch.setattr(os, "chmod", chmod)
    return refuse_opening_folders(monkeypatch, NOT_A_FOLDER_TO_OPEN)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(transcript.TEMP_SUFFIX)]


def test_without_o_directory_a_folder_that_cannot_be_opened_is_no_error(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"old\n")
    monkeypatch.delattr(os, "O_DIRECTORY", raising=False)
    refused = refuse_opening_folders(monkeypatch, NOT_A_FOLDER_TO_OPEN)
    assert transcript.write_atomic(path, b"new\n") is None, "no warning on every save: this system cannot do it"
    assert refused == [str(tmp_path)], "the folder sync was tried, not skipped by the platform's name"
    assert path.read_bytes() == b"new\n" and leftovers(tmp_path) == []


def test_with_o_directory_a_folder_that_cannot_be_opened_is_a_warning(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Where folders can be synced, failing to is said (the answer is in place, a power cut could undo it)."""
    if not hasattr(os, "O_DIRECTORY"):
        pytest.skip("this system has no O_DIRECTORY")
    path = tmp_path / "s.yaml"
    refuse_opening_folders(monkeypatch, NOT_A_FOLDER_TO_OPEN)
    warning = transcript.write_atomic(path, b"new\n")
    assert warning and "kon niet worden gesynchroniseerd" in warning and str(path) in warning
    assert path.read_bytes() == b"new\n" and leftovers(tmp_path) == []


@pytest.mark.parametrize("code", [errno.EINVAL, errno.EOPNOTSUPP])
def test_a_file_system_without_folder_fsync_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    path = tmp_path / "s.yaml"
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if _is_dir_fd(fd):
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    assert transcript.write_atomic(path, b"new\n") is None
    assert path.read_bytes() == b"new\n"


def _is_dir_fd(fd: int) -> bool:
    import stat

    return stat.S_ISDIR(os.fstat(fd).st_mode)


def test_a_folder_sync_that_fails_otherwise_is_still_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        pytest.skip("this system has no O_DIRECTORY")
    path = tmp_path / "s.yaml"
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if _is_dir_fd(fd):
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    warning = transcript.write_atomic(path, b"new\n")
    assert warning and "Input/output error" in warning


def test_a_whole_session_saves_and_reads_back_like_on_windows(example, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Start, answer, pause and resume through the store and the lock, with Windows' gaps simulated."""
    from coach.commands import open_saved
    from coach.session.store import new_session_file

    refused = like_windows(monkeypatch)
    path = new_session_file("20261123-201500-example-abcd")
    session = Session.start(*example, path=path, session_id=path.stem)
    session.acknowledge()
    session.answer(["Dementiezorg", "Wonen"])
    session.answer("proactief")
    assert session.notices == [], "no warning about folder syncs on every save"
    assert refused, "the folder sync was attempted"
    session.pause()
    assert leftovers(path.parent) == []
    again = open_saved(str(path))
    try:
        assert again.current.node is not None and again.current.node.id == "overwegingen"
        assert [a.value for a in again.answers.values()] == [["Dementiezorg", "Wonen"], "proactief"]
    finally:
        again.close()


def test_a_write_that_fails_like_windows_is_explained(example, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``os.replace`` while a virus scanner holds the file: Windows' own error code is said in words."""
    path = home / "sessions" / "s.yaml"
    session = Session.start(*example, path=path)
    session.acknowledge()
    held = PermissionError(errno.EACCES, "The process cannot access the file because it is being used by another process")
    held.winerror = 32  # type: ignore[attr-defined]  # set by Python only on Windows

    def replace(temp: Path, target: Path) -> None:
        raise held

    before = path.read_bytes()
    monkeypatch.setattr(transcript, "_replace", replace)
    with pytest.raises(transcript.TranscriptError, match="een ander programma .* heeft het bestand open"):
        session.answer(["Dementiezorg"])
    assert path.read_bytes() == before and leftovers(path.parent) == []


def test_a_report_is_written_when_its_folder_cannot_be_synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from coach.reports import command

    def fail(folder: Path) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(transcript, "_fsync_dir", fail)
    target = tmp_path / "rapport.md"
    with command._destination(str(target)) as handle:
        handle.write(b"# Rapport\n")
    assert target.read_bytes() == b"# Rapport\n"
    assert "kon niet worden gesynchroniseerd" in capsys.readouterr().err


@pytest.mark.parametrize(("windows", "python", "expected"), [
    (True, r"C:\Program Files\Python311\python.exe", r'"C:\Program Files\Python311\python.exe" -m coach app --coach'),
    (True, r"C:\Python311\python.exe", r"C:\Python311\python.exe -m coach app --coach"),
    (False, "/opt/my python/bin/python3", "'/opt/my python/bin/python3' -m coach app --coach"),
])
def test_serve_quotes_the_app_command_for_the_system_shell(monkeypatch: pytest.MonkeyPatch, windows: bool,
                                                           python: str, expected: str) -> None:
    from coach.serve import app_command

    monkeypatch.setattr(sys, "executable", python)
    assert app_command(True, windows=windows) == expected


def test_plain_mode_does_not_need_a_terminal_or_posix(example, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain mode (scripts, screen readers) over the simulated gaps: answers saved, acknowledged."""
    from coach.plain import PlainRunner

    like_windows(monkeypatch)
    path = home / "sessions" / "s.yaml"
    session = Session.start(*example, path=path)
    out = io.StringIO()
    code = PlainRunner(session, io.StringIO("\nDementiezorg\n\n"), out, out).run()
    assert code == 0 and "opgeslagen" in out.getvalue()
    assert transcript.load(path)["answers"][0]["value"] == ["Dementiezorg"]


NO_FLOCK_HOLDER = """
import errno, fcntl, sys
from pathlib import Path

def no_flock(fd, operation):
    raise OSError(errno.ENOSYS, "Function not implemented")

fcntl.flock = no_flock
from coach.session.lock import SessionInUse, SessionLock, in_use_elsewhere
path = Path(sys.argv[1])
try:
    SessionLock(path).acquire()
except SessionInUse:
    print("refused", in_use_elsewhere(path), flush=True)
else:
    print("held", flush=True)
    sys.stdin.read()
"""
"""A process on a file system without flock: tries the session's lock, says whether it got it."""


def without_flock(monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    def no_flock(fd: int, operation: int) -> None:
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(fcntl, "flock", no_flock)


def other_process(path: Path, tmp_path: Path) -> subprocess.Popen[str]:
    from conftest import ROOT, coach_env

    return subprocess.Popen([sys.executable, "-c", NO_FLOCK_HOLDER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=coach_env(tmp_path))


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_a_file_system_without_flock_still_gets_one_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capfd: pytest.CaptureFixture[str]) -> None:
    """A lock file naming its owner stands in for flock; another process is refused; nothing reaches the screen."""
    from coach.session import lock as session_lock
    from coach.session.lock import SessionLock, in_use_elsewhere, lock_path

    without_flock(monkeypatch)
    path = tmp_path / "s.yaml"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        held = SessionLock(path).acquire()
    try:
        assert held.held and session_lock._registry[session_lock._key(path)].kind == "soft", "the fallback ran"
        pid, host = lock_path(path).read_text(encoding="ascii").split("\n")[:2]
        assert int(pid) == os.getpid() and host == os.uname().nodename, "the lock file names its owner"
        assert not in_use_elsewhere(path), "this process holds it"
        second = other_process(path, tmp_path)
        out, err = second.communicate(timeout=60)
        assert out.split() == ["refused", "True"], err
    finally:
        held.release()
    assert not lock_path(path).exists(), "a soft lock goes with its release"
    assert caught == [] and capfd.readouterr().err == "", "no warning reaches the terminal"

    second = other_process(path, tmp_path)
    try:
        assert second.stdout is not None and second.stdout.readline().strip() == "held", "let go: another may take it"
        assert in_use_elsewhere(path), "the probe reads the soft lock"
        with pytest.raises(session_lock.SessionInUse):
            SessionLock(path).acquire()
    finally:
        second.kill()
        second.wait()
    assert lock_path(path).exists(), "a killed holder leaves its soft lock behind"
    assert not in_use_elsewhere(path), "but names a process that is gone"
    with SessionLock(path) as again:
        assert again.held, "and it is taken over"
        assert int(lock_path(path).read_text(encoding="ascii").split()[0]) == os.getpid()
    assert not lock_path(path).exists()
