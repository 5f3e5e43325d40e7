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


def like_windows(monkeypatch: pytest.MonkeyPatch, *, fchmod: bool = False) -> list[str]:
    """No O_DIRECTORY, folders that cannot be opened, a chmod that fails; without ``fchmod`` too unless told.

    The session lock needs ``fchmod`` here: filelock's POSIX lock uses it, and on Windows
    filelock uses ``LockFileEx`` instead, which this system cannot simulate.
    """
    monkeypatch.delattr(os, "O_DIRECTORY", raising=False)
    if not fchmod:
        monkeypatch.delattr(os, "fchmod", raising=False)

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

    refused = like_windows(monkeypatch, fchmod=True)
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
    import sys

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


def test_a_file_system_without_flock_still_gets_one_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """filelock falls back to a lock file naming its owner; no warning reaches the screen."""
    import warnings

    import filelock
    from filelock import _unix

    from coach.session.lock import SessionLock, lock_path

    if not hasattr(_unix, "lock_fd_nonblocking") or not filelock.has_fcntl:
        pytest.skip("this filelock has no flock step to take away")

    def no_flock(fd: int) -> bool:
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(_unix, "lock_fd_nonblocking", no_flock)
    path = tmp_path / "s.yaml"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        held = SessionLock(path).acquire()
    try:
        assert held.held and not [w for w in caught if "flock" in str(w.message)]
        from coach.session import lock as session_lock

        assert type(session_lock._registry[session_lock._key(path)].lock).__name__ == "SoftFileLock", "the fallback ran"
        with pytest.raises(filelock.Timeout):
            filelock.SoftFileLock(str(lock_path(path)), timeout=0).acquire(timeout=0)
    finally:
        held.release()
    with filelock.SoftFileLock(str(lock_path(path)), timeout=0):
        pass  # let go: another may take it
