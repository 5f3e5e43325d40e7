"""A write that fails at every step, for every answer of a whole dialogue.

The atomic write has five steps (temp-file write, flush, fsync, ``os.replace``,
folder fsync). Each is made to fail in turn, for every saving step of the example
dialogue and of a real theme driven by its answers file. Two kinds of failure:

- an error (OSError, as a full disk or an I/O error gives): the session reports it;
- a death (the process ends on the spot, in a forked child): nothing cleans up.

Each time the file on disk must be the whole previous version or the whole new one,
and reopening must land on the right question. A failure of the folder fsync comes
after ``os.replace``: the new version is on disk and every reader sees it, so the
session counts it as saved (no error, the answer is acknowledged) and adds a notice
that a power cut could still undo it.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reliability_helpers import EXAMPLE_GIVEN, answers_file, next_action, temp_files, where

from coach.engine.library import load_catalogue_for, load_theme
from coach.errors import TranscriptError
from coach.session import transcript
from coach.session.session import Session

BEFORE_REPLACE = ("_write_all", "_flush", "_fsync_file", "_replace")
"""Failing here leaves the previous version."""


def failing(step: str) -> Callable[..., Any]:
    """A stand-in for one write step that fails the way a full or broken disk does."""
    original = getattr(transcript, step)

    def fail(*args: Any) -> None:
        if step == "_write_all":
            handle, data = args
            handle.write(data[: len(data) // 2])  # half written, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        if step == "_replace":
            raise OSError(errno.EIO, "Input/output error")
        if step == "_fsync_dir":
            original(*args)  # may or may not have reached the disk: the rename itself is done
        raise OSError(errno.EIO, "Input/output error")

    return fail


def dying(step: str) -> Callable[..., Any]:
    """A stand-in that ends the process at this step, as a kill or power cut would."""

    def die(*args: Any) -> None:
        if step == "_write_all":
            handle, data = args
            handle.write(data[: len(data) // 3])
            handle.flush()
        os._exit(70)

    return die


def reopened(path: Path, session: Session) -> Session:
    """The session as `coach resume` would open it from disk."""
    return Session.resume(transcript.load(path), session.dialogue, session.catalogue, path=path)


def walk_with_failures(session: Session, given: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> int:
    """Every saving step of the dialogue, each first failed at every write step; returns the steps."""
    path = session.path
    assert path is not None
    probes_given: dict[Any, Any] = {}
    steps = 0
    while (action := next_action(session, given, probes_given)) is not None:
        label, act = action
        before = path.read_bytes()
        here = where(session)
        for step in BEFORE_REPLACE:
            monkeypatch.setattr(transcript, step, failing(step))
            with pytest.raises(TranscriptError) as caught:
                act()
            monkeypatch.undo()
            message = str(caught.value)
            assert str(path) in message and ("schijf is vol" in message or "leesfout of schrijffout" in message), message
            assert path.read_bytes() == before, f"{label}, {step}: the previous version, byte for byte"
            assert temp_files(path.parent) == [], f"{label}, {step}: no temp file left"
            assert where(session) == here, f"{label}, {step}: the same question stays"
            assert where(reopened(path, session)) == here, f"{label}, {step}: reopening lands on the same question"
        # Last the folder fsync: after the rename, so the new version is on disk and counts as saved.
        monkeypatch.setattr(transcript, "_fsync_dir", failing("_fsync_dir"))
        session.notices = []
        act()
        monkeypatch.undo()
        steps += 1
        assert any("bij stroomuitval" in n for n in session.notices), f"{label}: the user is told"
        assert path.read_bytes() != before, f"{label}: the new version is on disk"
        assert temp_files(path.parent) == []
        assert where(reopened(path, session)) == where(session), f"{label}: reopening lands on the next question"
    assert session.is_finished
    return steps


def test_every_write_step_fails_for_every_answer_of_the_example(example, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "sessions" / "s.yaml"
    session = Session.start(*example, path=path)
    steps = walk_with_failures(session, EXAMPLE_GIVEN, monkeypatch)
    assert steps >= 10
    document = transcript.load(path)
    assert document["finished"] and {a["question"] for a in document["answers"]} >= set(EXAMPLE_GIVEN)


def test_every_write_step_fails_for_every_answer_of_a_real_theme(real_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialogue = load_theme("positionering")
    path = real_home / "sessions" / "s.yaml"
    session = Session.start(dialogue, load_catalogue_for(dialogue), path=path)
    steps = walk_with_failures(session, answers_file("positionering-calm.yaml"), monkeypatch)
    assert steps >= 15
    assert transcript.load(path)["finished"]


def test_the_very_first_save_fails_cleanly(example, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "sessions" / "s.yaml"
    path.parent.mkdir(parents=True)
    monkeypatch.setattr(transcript, "_replace", failing("_replace"))
    with pytest.raises(TranscriptError):
        Session.start(*example, path=path)
    assert not path.exists() and temp_files(path.parent) == []


# ------------------------------------------------------------------ death at every step

def _die_during(session: Session, act: Callable[[], object], step: str) -> int:
    """Run ``act`` in a forked copy of this process that dies at ``step``; its exit status."""
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which never returns
        try:
            setattr(transcript, step, dying(step))
            act()
        finally:
            os._exit(71)  # the write finished without reaching the step: should not happen
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status)


def reopen_lightly(path: Path, session: Session) -> Session:
    """What `coach resume` does after taking the lock, without loading the theme again."""
    from coach.session.lock import SessionLock

    lock = SessionLock(path).acquire()
    transcript.remove_stale_temps(path)
    again = reopened(path, session)
    again.lock = lock
    return again


def walk_with_deaths(session: Session, given: dict[str, Any], full_reopen: bool = True) -> int:
    """At every saving step, a copy of the process dies at each write step; the file must stay whole.

    Reopening goes through `coach resume`'s own ``open_saved`` (``full_reopen``) or the
    same steps without loading the theme again (quicker, for long themes).
    """
    from coach.commands import open_saved

    path = session.path
    assert path is not None
    probes_given: dict[Any, Any] = {}
    deaths = 0
    while (action := next_action(session, given, probes_given)) is not None:
        label, act = action
        before = path.read_bytes()
        here = where(session)
        reopened_after_rename: tuple[str, str | None, str | None] | None = None
        for step in transcript.WRITE_STEPS:
            assert _die_during(session, act, step) == 70, f"{label}: died at {step}"
            deaths += 1
            transcript.load(path)  # whole, or this raises
            renamed = step not in BEFORE_REPLACE
            assert (path.read_bytes() != before) == renamed, f"{label}, {step}: the previous version, or the whole new one"
            # Reopening as `coach resume` does clears what the dead writer left behind.
            again = open_saved(str(path)) if full_reopen else reopen_lightly(path, session)
            try:
                assert temp_files(path.parent) == [], f"{label}, {step}: temp files cleared on reopening"
                if renamed:
                    reopened_after_rename = where(again)
                else:
                    assert where(again) == here, f"{label}, {step}: reopening lands on the same question"
            finally:
                again.close()
            if renamed:
                path.write_bytes(before)  # the old version back, so this process goes on from it
                session.disk_stamp = transcript.disk_stamp(path)
        act()
        assert reopened_after_rename == where(session), f"{label}: after a death past the rename, reopening lands on the next question"
    assert session.is_finished
    return deaths


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
def test_death_at_every_write_step_leaves_a_whole_file(example, home: Path) -> None:
    path = home / "sessions" / "s.yaml"
    session = Session.start(*example, path=path)
    assert walk_with_deaths(session, EXAMPLE_GIVEN) >= 50


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
def test_death_at_every_write_step_of_a_real_theme(real_home: Path) -> None:
    dialogue = load_theme("netwerkleiderschap")
    path = real_home / "sessions" / "s.yaml"
    session = Session.start(dialogue, load_catalogue_for(dialogue), path=path)
    assert walk_with_deaths(session, answers_file("netwerkleiderschap-calm.yaml"), full_reopen=False) >= 75


def test_write_steps_are_the_documented_five() -> None:
    assert transcript.WRITE_STEPS == ("_write_all", "_flush", "_fsync_file", "_replace", "_fsync_dir")
    assert {name: callable(getattr(transcript, name)) for name in transcript.WRITE_STEPS} == dict.fromkeys(transcript.WRITE_STEPS, True)

