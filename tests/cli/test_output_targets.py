"""``-o`` names a pipe, a device or a link: written into or through, never replaced by a file.

An atomic write renames a temp file over its target. Over ``/dev/null`` that made a
regular file of /dev/null (run as root, for the whole machine: every later write to
/dev/null landed in it and tmux refused to start); over a named pipe it cut off the
reader; over a link it put a file where the link was.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE, run_coach
from test_cli import EXAMPLE_ANSWERS


@pytest.fixture
def transcript(home: Path, tmp_path: Path) -> Path:
    """A finished transcript of the example theme."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(EXAMPLE_ANSWERS, encoding="utf-8")
    path = tmp_path / "sessie.yaml"
    result = run_coach(home, "run", str(EXAMPLE), "--answers", str(answers), "-o", str(path))
    assert result.returncode == 0, result.stderr
    return path


class PipeReader:
    """Everything written into a named pipe, read on a thread (opening it for writing waits for a reader)."""

    def __init__(self, fifo: Path) -> None:
        self.data = b""
        self.thread = threading.Thread(target=self._read, args=(fifo,), daemon=True)
        self.thread.start()

    def _read(self, fifo: Path) -> None:
        with open(fifo, "rb") as handle:
            self.data = handle.read()

    def result(self) -> bytes:
        self.thread.join(30)
        return self.data


COMMANDS = {
    "report html": lambda t: ["report", str(t), "--format", "html"],
    "report md": lambda t: ["report", str(t), "--format", "md"],
    "report json": lambda t: ["report", str(t), "--format", "json"],
    "export": lambda t: ["export", str(t)],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_named_pipe_gets_the_output_and_stays_a_pipe(home: Path, tmp_path: Path, transcript: Path, command: str) -> None:
    fifo = tmp_path / "uit"
    os.mkfifo(fifo)
    reader = PipeReader(fifo)
    result = run_coach(home, *COMMANDS[command](transcript), "-o", str(fifo))
    assert result.returncode == 0, result.stderr
    received = reader.result().decode("utf-8")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the pipe was replaced by a file"
    assert "Dementiezorg" in received, received[:200]
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_run_into_a_named_pipe_writes_the_transcript_there(home: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(EXAMPLE_ANSWERS, encoding="utf-8")
    fifo = tmp_path / "uit"
    os.mkfifo(fifo)
    reader = PipeReader(fifo)
    result = run_coach(home, "run", str(EXAMPLE), "--answers", str(answers), "-o", str(fifo))
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(reader.result())["finished"], "a finished transcript"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null here")
def test_dev_null_takes_a_report_and_stays_a_device(home: Path, transcript: Path) -> None:
    """Safe to run: the fixed code writes into /dev/null; before the fix, as root, this replaced it."""
    before = os.stat("/dev/null")
    assert stat.S_ISCHR(before.st_mode), "/dev/null is already broken on this machine"
    for command in ("report html", "export"):
        result = run_coach(home, *COMMANDS[command](transcript), "-o", "/dev/null")
        assert result.returncode == 0, result.stderr
        after = os.stat("/dev/null")
        assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino, "/dev/null was replaced"


@pytest.mark.parametrize("command", ["report html", "export"])
def test_a_link_stays_a_link_and_its_target_gets_the_output(home: Path, tmp_path: Path, transcript: Path, command: str) -> None:
    target = tmp_path / "map" / "echt.out"
    target.parent.mkdir()
    target.write_text("oud", encoding="utf-8")
    link = tmp_path / "koppeling.out"
    link.symlink_to(target)
    result = run_coach(home, *COMMANDS[command](transcript), "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert "Dementiezorg" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
