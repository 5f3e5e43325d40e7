"""Start-up and memory: `coach start THEME` against a bare Textual app, same Python, same venv.

Time: from spawning the process in an 80x24 pty until the first question is on screen,
against a bare Textual app (one Label) until its label is on screen (budget 1.3x, aim
1.15x). Printed beside the wall-clock ratio is the ratio of CPU time the process used
until then (summed over its threads from /proc), which a busy shared machine disturbs
less. Memory: resident size two seconds after the first frame, when the app has done
what it leaves until after the first frame (the session's file, the catalogue, the
footer, the progress estimate), against the bare app's (budget 1.3x); memory once the
first answer is saved is in test_memory_in_use.py.

Two themes: the test folder's example (an information step first) and a shipped theme
whose first question is free text (a text area). Both programs read compiled bytecode,
as an installed package does (PYTHONDONTWRITEBYTECODE would otherwise make every run
compile our modules from source).

Run: `pytest tests/benchmarks/test_startup.py -s`.
"""

from __future__ import annotations

import compileall
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 1.3
MEMORY_BUDGET = 1.3
ROUNDS = 15
BARE = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label({text!r})
Bare().run()
"""
THEMES = {
    # theme: (dialogues folder, words of its first question, on one line at 80 columns)
    "example": (ROOT / "tests" / "data", "We beginnen met de opgaven"),
    "netwerkdip": (ROOT / "dialogues", "Over welk netwerk wil je het hebben?"),
}


class Run(NamedTuple):
    wall: float
    """Seconds until the marker was on screen."""
    cpu: float
    """CPU seconds the process had used by then (all its threads)."""
    rss: int
    """Resident kB, ``settle`` seconds after the marker (0 when not asked)."""


def cpu_seconds(pid: int) -> float:
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(task.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e9


def resident_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run_until(argv: list[str], env: dict[str, str], marker: str, settle: float = 0.0, timeout: float = 20.0) -> Run:
    """Spawn ``argv`` in a pty; time until ``marker`` shows (terminal escapes taken out)."""
    want = marker.encode()
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.update(env)
        os.execv(argv[0], argv)
    seen = b""
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.01)
            if not ready:
                continue
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if want in seen.replace(b"\x1b[", b""):
                wall, cpu = time.perf_counter() - start, cpu_seconds(pid)
                rss = 0
                if settle:
                    end = time.perf_counter() + settle
                    while time.perf_counter() < end:  # keep reading so the app never blocks on output
                        if select.select([fd], [], [], 0.05)[0]:
                            os.read(fd, 65536)
                    rss = resident_kb(pid)
                return Run(wall, cpu, rss)
        raise AssertionError(f"marker not seen; last output: {seen[-300:]!r}")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


@pytest.mark.parametrize("theme", THEMES)
def test_start_to_first_question_within_budget(tmp_path: Path, theme: str) -> None:
    dialogues, marker = THEMES[theme]
    compileall.compile_dir(ROOT / "coach", quiet=1)
    env = {"COACH_HOME": str(tmp_path / "home"), "COACH_DIALOGUES": str(dialogues), "TERM": "xterm-256color",
           "COACH_CACHE": str(tmp_path / "cache")}
    bare_script = tmp_path / "bare.py"
    bare_script.write_text(BARE.format(text=marker))
    coach = [sys.executable, "-m", "coach", "start", theme]
    bare = [sys.executable, str(bare_script)]
    run_until(coach, env, marker)  # fills the dialogue cache and warms the OS caches
    run_until(bare, env, marker)
    bare_runs, coach_runs = [], []
    for _ in range(ROUNDS):
        bare_runs.append(run_until(bare, env, marker))
        coach_runs.append(run_until(coach, env, marker))
    bare_rss = statistics.median(run_until(bare, env, marker, settle=2).rss for _ in range(3))
    coach_rss = statistics.median(run_until(coach, env, marker, settle=2).rss for _ in range(3))

    def median(runs: list[Run], field: str) -> float:
        return statistics.median(getattr(r, field) for r in runs)

    wall = median(coach_runs, "wall") / median(bare_runs, "wall")
    cpu = median(coach_runs, "cpu") / median(bare_runs, "cpu")
    print(f"\n{theme}: bare Textual label {median(bare_runs, 'wall') * 1000:.0f} ms "
          f"(CPU {median(bare_runs, 'cpu') * 1000:.0f} ms); coach start → first question "
          f"{median(coach_runs, 'wall') * 1000:.0f} ms (CPU {median(coach_runs, 'cpu') * 1000:.0f} ms); "
          f"ratio {wall:.2f}x wall, {cpu:.2f}x CPU (budget {BUDGET}x)")
    fastest = min(r.cpu for r in coach_runs) / min(r.cpu for r in bare_runs)
    print(f"{theme}: fastest runs (least disturbed by other work): ratio {fastest:.2f}x CPU")
    print(f"{theme}: resident after settling: bare {bare_rss / 1024:.1f} MB, coach {coach_rss / 1024:.1f} MB, "
          f"ratio {coach_rss / bare_rss:.2f}x (budget {MEMORY_BUDGET}x)")
    assert wall <= BUDGET
    assert coach_rss / bare_rss <= MEMORY_BUDGET
