"""Start-up: `coach start THEME` until the first question is on screen, against a bare
Textual app (one Label) until its label is on screen; same Python, same venv, in a pty.

Budget 1.3x (aim 1.15x). Run: `pytest tests/benchmarks/test_startup.py -s`.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BARE = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("Welkom. We beginnen met de opgaven.")
Bare().run()
"""
MARKER = b"We beginnen met de opgaven"
BUDGET = 1.3


def time_to_marker(argv: list[str], env: dict[str, str], marker: bytes = MARKER, timeout: float = 20.0) -> float:
    """Seconds from spawning ``argv`` in a pty until ``marker`` appears in its output."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.update(env)
        os.execv(argv[0], argv)
    seen = b""
    try:
        os.set_blocking(fd, False)
        # a 80x24 terminal
        import fcntl
        import struct
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                seen += chunk
                if marker in seen.replace(b"\x1b[", b"").replace(b" ", b" "):
                    return time.perf_counter() - start
        raise AssertionError(f"marker not seen; last output: {seen[-300:]!r}")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def test_start_to_first_question_within_budget(tmp_path: Path) -> None:
    env = {"COACH_HOME": str(tmp_path / "home"), "COACH_DIALOGUES": str(ROOT / "tests" / "data"),
           "TERM": "xterm-256color", "COACH_CACHE": str(tmp_path / "cache")}
    bare_script = tmp_path / "bare.py"
    bare_script.write_text(BARE)
    coach = [sys.executable, "-m", "coach", "start", "example"]
    time_to_marker(coach, env)  # fills the dialogue cache and warms the OS caches
    time_to_marker([sys.executable, str(bare_script)], env)
    bare_times, coach_times = [], []
    for _ in range(7):
        bare_times.append(time_to_marker([sys.executable, str(bare_script)], env))
        coach_times.append(time_to_marker(coach, env))
    bare, ours = statistics.median(bare_times), statistics.median(coach_times)
    print(f"\nbare Textual label: {bare * 1000:.0f} ms; coach start → first question: {ours * 1000:.0f} ms; "
          f"ratio {ours / bare:.2f}x (budget {BUDGET}x)")
    assert ours / bare <= BUDGET
