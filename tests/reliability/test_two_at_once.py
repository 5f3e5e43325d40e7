"""Two processes on one transcript: the second is told, never overwrites; a killed holder frees it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import DATA, ROOT, coach_env, run_coach
from reliability_helpers import EXAMPLE_SCRIPT, LiveCoach

from coach.errors import TranscriptError
from coach.session import transcript
from coach.session.lock import SessionInUse, SessionLock, in_use_elsewhere, lock_path
from coach.session.session import Session
from coach.session.transcript import TranscriptConflict


def started(home: Path) -> tuple[LiveCoach, Path]:
    """A `coach start example` waiting at its first question, and its transcript."""
    coach = LiveCoach(home, "start", "example", COACH_DIALOGUES=str(DATA))
    coach.wait_for("Tot welke opgaven")
    (path,) = sorted((home / "sessions").glob("*.yaml"))
    return coach, path


def test_second_opener_is_told_and_writes_nothing(home: Path) -> None:
    first, path = started(home)
    first.type(EXAMPLE_SCRIPT[0][1])
    first.wait_for("opgeslagen", stream="err")
    before = path.read_bytes()

    second = run_coach(home, "resume", path.stem, input="Iets anders\n\n1\n", COACH_DIALOGUES=str(DATA))
    assert second.returncode == 1
    assert "al geopend in een ander venster of proces" in second.stderr and str(path) in second.stderr
    assert "Traceback" not in second.stderr
    assert path.read_bytes() == before, "the second process changed nothing"

    latest = run_coach(home, "resume", input="", COACH_DIALOGUES=str(DATA))
    assert latest.returncode == 1 and "al geopend" in latest.stderr, "also when picked as the latest session"

    listing = run_coach(home, "sessions")
    assert "nu geopend in een ander venster" in listing.stdout

    first.type(EXAMPLE_SCRIPT[1][1])
    first.wait_for("opgeslagen", stream="err")
    first.finish()
    values = {(a["question"], a["item"]): a["value"] for a in transcript.load(path)["answers"]}
    assert values[("opgaven", None)] == ["Dementiezorg", "Wonen"] and values[("positie", "Dementiezorg")] == "proactief"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_holder_leaves_no_stuck_lock(home: Path) -> None:
    first, path = started(home)
    first.type(EXAMPLE_SCRIPT[0][1])
    first.wait_for("opgeslagen", stream="err")
    first.kill()
    assert lock_path(path).exists(), "the lock file stays (harmless); the OS lock went with the process"
    again = LiveCoach(home, "resume", path.stem, COACH_DIALOGUES=str(DATA))
    again.wait_for("Welke positie kies je bij Dementiezorg")
    for _, lines, _ in EXAMPLE_SCRIPT[1:]:
        again.type(lines)
    assert again.finish() == 0, again.stderr
    assert transcript.load(path)["finished"]
    assert not in_use_elsewhere(path)


HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from coach.session.lock import SessionLock
    lock = SessionLock(Path(sys.argv[1])).acquire()
    print("held", flush=True)
    sys.stdin.read()
""")


def test_lock_api_refuses_while_another_process_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, cwd=ROOT, env=coach_env(tmp_path))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert in_use_elsewhere(path)
        with pytest.raises(SessionInUse) as caught:
            SessionLock(path).acquire()
        assert str(path) in str(caught.value) and "al geopend" in str(caught.value)
        assert isinstance(caught.value, TranscriptError), "one family of errors"
    finally:
        holder.kill()
        holder.wait()
    with SessionLock(path) as lock:
        assert lock.held
    assert not lock.held


def test_lock_is_shared_within_one_process_and_released_by_the_last(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    one, two = SessionLock(path).acquire(), SessionLock(path).acquire()
    one.release()
    probe = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from coach.session.lock import "
                            "in_use_elsewhere; print(in_use_elsewhere(Path(sys.argv[1])))", str(path)],
                           capture_output=True, text=True, cwd=ROOT, env=coach_env(tmp_path))
    assert probe.stdout.strip() == "True", "still held by the second holder"
    two.release()
    two.release()  # idempotent
    probe = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from coach.session.lock import "
                            "in_use_elsewhere; print(in_use_elsewhere(Path(sys.argv[1])))", str(path)],
                           capture_output=True, text=True, cwd=ROOT, env=coach_env(tmp_path))
    assert probe.stdout.strip() == "False"


def test_a_lock_in_an_unwritable_place_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "een-bestand"
    blocker.write_text("geen map", encoding="utf-8")
    with pytest.raises(TranscriptError) as caught:
        SessionLock(blocker / "sessions" / "s.yaml").acquire()
    assert "COACH_HOME" in str(caught.value) and not isinstance(caught.value, SessionInUse)


def test_a_session_never_overwrites_a_version_it_did_not_write(example, home: Path) -> None:
    """Without locks (two objects in one process, or a tool that ignores them) the file is still safe."""
    path = home / "s.yaml"
    first = Session.start(*example, path=path)
    first.acknowledge()
    second = Session.resume(transcript.load(path), *example, path=path)
    second.answer(["Wonen"])
    after_second = path.read_bytes()
    with pytest.raises(TranscriptConflict) as caught:
        first.answer(["Dementiezorg"])
    assert "niet overschreven" in str(caught.value) and str(path) in str(caught.value)
    assert path.read_bytes() == after_second
    assert first.current.node is not None and first.current.node.id == "opgaven", "the first stays at its question"
    assert transcript.load(path)["answers"][0]["value"] == ["Wonen"]
