"""Memory in use: resident size once the first answer is saved, against a bare Textual app
that was typed into as well (budget 1.3x, as at start-up in test_startup.py).

The start-up benchmark measures two seconds after the first frame, before anyone has
typed. By the first answer the app has done everything a conversation does: Textual's
key lookups for the screen's bindings, the answer's save, the probes over it, the next
question and the routes' conditions (Jinja2). This measures there: the text-first theme,
an answer typed and saved with Ctrl+S, the next step on screen, two seconds to settle.

Run: `pytest tests/benchmarks/test_memory_in_use.py -s`.
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

ROOT = Path(__file__).resolve().parents[2]
MEMORY_BUDGET = 1.3
ROUNDS = 3
QUESTION = "Over welk netwerk wil je het hebben?"
ANSWER = "Een netwerk van het ziekenhuis, de huisartsen en twee vvt-organisaties in onze regio."
BARE = f"""
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label({QUESTION!r})
Bare().run()
"""


def resident_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def resident_after_typing(argv: list[str], env: dict[str, str], keys: list[bytes], then: str | None,
                          timeout: float = 20.0) -> int:
    """Resident kB of ``argv`` in an 80x24 pty: first frame, ``keys`` typed, ``then`` on screen, 2 s."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.update(env)
        os.execv(argv[0], argv)
    seen = b""

    def read_until(marker: str | None, seconds: float) -> None:
        nonlocal seen
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            if select.select([fd], [], [], 0.02)[0]:
                seen += os.read(fd, 65536)
                if marker is not None and marker.encode() in seen.replace(b"\x1b[", b""):
                    return
        if marker is not None:
            raise AssertionError(f"{marker!r} not seen; last output: {seen[-300:]!r}")

    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        read_until(QUESTION, timeout)
        read_until(None, 1.0)  # what follows the first frame
        seen = b""
        for key in keys:
            os.write(fd, key)
            time.sleep(0.05)
        if then is not None:
            read_until(then, timeout)
        read_until(None, 2.0)
        return resident_kb(pid)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def test_resident_size_after_the_first_answer_within_budget(tmp_path: Path) -> None:
    compileall.compile_dir(ROOT / "coach", quiet=1)
    env = {"COACH_HOME": str(tmp_path / "home"), "COACH_DIALOGUES": str(ROOT / "dialogues"),
           "TERM": "xterm-256color", "COACH_CACHE": str(tmp_path / "cache")}
    bare_script = tmp_path / "bare.py"
    bare_script.write_text(BARE)
    coach = [sys.executable, "-m", "coach", "start", "netwerkdip"]
    bare = [sys.executable, str(bare_script)]
    answer = [ANSWER.encode(), b"\x13"]  # Ctrl+S
    resident_after_typing(coach, env, answer, "1 beantwoord")  # fills the caches
    bare_kb = statistics.median(resident_after_typing(bare, env, [ANSWER.encode()], None) for _ in range(ROUNDS))
    coach_kb = statistics.median(resident_after_typing(coach, env, answer, "1 beantwoord") for _ in range(ROUNDS))
    print(f"\nafter the first answer: bare {bare_kb / 1024:.1f} MB, coach {coach_kb / 1024:.1f} MB, "
          f"ratio {coach_kb / bare_kb:.2f}x (budget {MEMORY_BUDGET}x)")
    assert coach_kb / bare_kb <= MEMORY_BUDGET
