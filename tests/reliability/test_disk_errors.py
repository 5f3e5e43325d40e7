"""Disk full, read-only, permission denied: said clearly, nothing typed is lost, the question comes back.

Tests run as root in CI, where chmod cannot stop a write. So a read-only or full disk
is made by failing the write steps the way the OS would (monkeypatched in
``coach.session.transcript``), and an unwritable data folder by a path that runs
through a regular file, which stops root too. A chmod test runs where it means
something (not as root).
"""

from __future__ import annotations

import errno
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, run_coach

from coach import cli
from coach.plain import PlainRunner
from coach.session import transcript
from coach.session.session import Session

FIRST_QUESTION = "Tot welke opgaven wil je je verhouden?"


def fails(times: int, err: OSError) -> Callable[..., Any]:
    """A stand-in for ``transcript._replace`` that fails ``times`` times, then works."""
    left = [times]
    original = transcript._replace

    def replace(temp: Path, path: Path) -> None:
        if left[0] > 0:
            left[0] -= 1
            raise err
        original(temp, path)

    return replace


def plain(session: Session, typed: str) -> tuple[int, list[str]]:
    """Plain mode in this process; stdout and stderr in one stream, in the order written."""
    both = io.StringIO()
    code = PlainRunner(session, io.StringIO(typed), both, both).run()
    return code, both.getvalue().splitlines()


@pytest.mark.parametrize(("err", "words"), [
    (OSError(errno.ENOSPC, "No space left on device"), "de schijf is vol (No space left on device)"),
    (OSError(errno.EROFS, "Read-only file system"), "de map is alleen-lezen (Read-only file system)"),
    (OSError(errno.EACCES, "Permission denied"), "geen toestemming om hier te schrijven (Permission denied)"),
    (OSError(errno.EDQUOT, "Disk quota exceeded"), "schijfquotum"),
])
def test_failed_save_keeps_the_answer_and_asks_again(example, home: Path, monkeypatch: pytest.MonkeyPatch,
                                                     err: OSError, words: str) -> None:
    path = home / "sessions" / "s.yaml"
    session = Session.start(*example, path=path)
    session.acknowledge()
    monkeypatch.setattr(transcript, "_replace", fails(1, err))
    code, lines = plain(session, "Dementiezorg\n\nDementiezorg\n\n1\n")
    assert code == 0
    problems = [i for i, line in enumerate(lines) if words in line]
    assert problems and all(str(path) in lines[i] for i in problems), "says where and why"
    assert any("niet opgeslagen; de vraag komt terug" in line for line in lines)
    asked = [i for i, line in enumerate(lines) if line.endswith(FIRST_QUESTION)]
    assert len(asked) == 2 and asked[0] < problems[0] < asked[1], "the same question again, after the message"
    assert "  (eerder: Dementiezorg)" in lines[asked[1]:], "with what was typed, kept in memory"
    first_ack = lines.index("opgeslagen")
    assert first_ack > problems[-1], "no 'opgeslagen' before the answer is on disk"
    assert not any("Welke positie" in line for line in lines[: first_ack]), "no next question before it is saved"
    on_disk = transcript.load(path)
    assert [a["value"] for a in on_disk["answers"]] == [["Dementiezorg"], "proactief"]
    assert on_disk["position"] == {"node": "overwegingen", "item": "Dementiezorg"}


def test_answer_stays_in_memory_while_the_disk_is_full(example, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "s.yaml"
    session = Session.start(*example, path=path)
    session.acknowledge()
    monkeypatch.setattr(transcript, "_replace", fails(1, OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(transcript.TranscriptError, match="niet verloren: het staat nog in het geheugen"):
        session.answer(["Dementiezorg", "Wonen"])
    assert session.current.previous == ["Dementiezorg", "Wonen"], "the typed answer is kept (shown as 'eerder')"
    session.answer(session.current.previous)
    assert transcript.load(path)["position"] == {"node": "positie", "item": "Dementiezorg"}


def test_an_info_step_that_cannot_be_saved_waits_instead_of_looping(example, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "s.yaml"
    session = Session.start(*example, path=path)
    monkeypatch.setattr(transcript, "_replace", fails(1, OSError(errno.ENOSPC, "No space left on device")))
    code, lines = plain(session, "\nDementiezorg\n\n")
    assert code == 0
    assert sum("de schijf is vol" in line for line in lines) == 1
    assert any("Enter om het opnieuw te proberen" in line for line in lines)
    assert any(line.endswith(FIRST_QUESTION) for line in lines)


def test_end_of_input_while_the_disk_is_full_says_what_is_kept(example, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "s.yaml"
    session = Session.start(*example, path=path)
    session.acknowledge()
    monkeypatch.setattr(transcript, "_replace", fails(99, OSError(errno.ENOSPC, "No space left on device")))
    code, lines = plain(session, "Dementiezorg\n\n")
    assert code == 1
    assert any("de invoer is op" in line and str(path) in line for line in lines)
    assert transcript.load(path)["position"]["node"] == "opgaven", "the last saved version is intact"


def test_pause_that_cannot_save_goes_on(example, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "s.yaml"
    session = Session.start(*example, path=path)
    session.acknowledge()
    monkeypatch.setattr(transcript, "_replace", fails(1, OSError(errno.EIO, "Input/output error")))
    code, lines = plain(session, ":pauze\n:pauze\n")
    assert code == 0
    assert any("leesfout of schrijffout" in line for line in lines)
    assert lines[-1].startswith("Sessie bewaard. Verder gaan: coach resume")
    assert transcript.load(path)["events"][-1]["type"] == "pause"


def test_start_in_an_unwritable_data_folder_names_it_and_coach_home(tmp_path: Path) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map", encoding="utf-8")
    home = blocker / "netwerkcoach"
    result = run_coach(home, "start", "example", input="", COACH_DIALOGUES=str(DATA))
    assert result.returncode == 1
    assert str(home) in result.stderr and "COACH_HOME" in result.stderr and "geen map" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("err", "words"), [
    (OSError(errno.EROFS, "Read-only file system"), "alleen-lezen"),
    (OSError(errno.EACCES, "Permission denied"), "geen toestemming"),
    (OSError(errno.ENOSPC, "No space left on device"), "de schijf is vol"),
])
def test_start_in_a_folder_that_refuses_writes(home: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str], err: OSError, words: str) -> None:
    monkeypatch.setenv("COACH_DIALOGUES", str(DATA))

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise err

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["start", "example", "--plain"]) == 1
    message = capsys.readouterr().err
    assert f"de datamap {home} is niet te beschrijven" in message and words in message and "COACH_HOME" in message


def test_resume_in_a_folder_that_became_read_only(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COACH_DIALOGUES", str(DATA))
    monkeypatch.setattr("sys.stdin", io.StringIO("Dementiezorg\n\n"))
    assert cli.main(["start", "example", "--plain"]) == 0
    (path,) = (home / "sessions").glob("*.yaml")
    capsys.readouterr()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert cli.main(["resume", path.stem, "--plain"]) == 1
    message = capsys.readouterr().err
    assert "kan deze sessie niet voortzetten" in message and "alleen-lezen" in message and f"coach export {path.stem}" in message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere; simulated above")
def test_start_in_a_read_only_folder_for_real(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "sessions").mkdir(parents=True)
    os.chmod(home / "sessions", 0o500)
    try:
        result = run_coach(home, "start", "example", input="", COACH_DIALOGUES=str(DATA))
    finally:
        os.chmod(home / "sessions", 0o700)
    assert result.returncode == 1 and "COACH_HOME" in result.stderr and "Permission denied" in result.stderr
