"""Start-up counted in instructions: `coach start THEME` against a bare Textual app, without the noise.

The same comparison as test_startup.py (launch until the first question, or the bare app's
label, is on an 80x24 pty), counted by valgrind's callgrind instead of timed: the count is
the same from run to run (to about 0.01%), where wall-clock ratios on a shared machine move
by ±0.15. A start that is mostly reading files (a bare app) runs fewer instructions per
millisecond than one that is mostly Python, so these ratios come out a little higher than
the timed ones. Skipped where valgrind is not installed; about a minute where it is.

Run: `pytest tests/benchmarks/test_startup_instructions.py -s`.
"""

from __future__ import annotations

import compileall
import os
import pty
import re
import select
import shutil
import sys
import time
from pathlib import Path

import pytest

from test_startup import BUDGET, ROOT, THEMES, run_until

WRAPPER = """
import os, sys
from textual.drivers import linux_driver

marker = os.environ["COACH_BENCH_MARKER"]
write = linux_driver.LinuxDriver.write


def stop_at_marker(self, data):
    write(self, data)
    if marker in data.replace("\\x1b[", ""):
        os._exit(0)  # callgrind writes its count as the process ends


linux_driver.LinuxDriver.write = stop_at_marker
if sys.argv[1] == "bare":
    from textual.app import App
    from textual.widgets import Label

    class Bare(App):
        def compose(self):
            yield Label(marker)

    Bare().run()
else:
    sys.argv = ["coach", "start", sys.argv[1]]
    from coach.cli import main

    main()
"""


def instructions(argv: list[str], env: dict[str, str], log: Path, timeout: float = 180.0) -> int:
    """Instructions ``argv`` runs under callgrind until it stops itself at the marker."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.update(env)
        valgrind = shutil.which("valgrind") or "valgrind"
        os.execv(valgrind, [valgrind, "--tool=callgrind", f"--log-file={log}", "--callgrind-out-file=/dev/null", *argv])
    start = time.monotonic()
    try:
        while time.monotonic() - start < timeout:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    if not os.read(fd, 65536):
                        break
                except OSError:
                    break  # the child is gone
        else:
            raise AssertionError(f"no first frame within {timeout} s under valgrind")
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    found = re.search(r"Collected : (\d+)", log.read_text())
    assert found, log.read_text()[-500:]
    return int(found.group(1))


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="needs valgrind (callgrind)")
@pytest.mark.parametrize("theme", THEMES)
def test_start_to_first_question_in_instructions(tmp_path: Path, theme: str) -> None:
    dialogues, marker = THEMES[theme]
    compileall.compile_dir(ROOT / "coach", quiet=1)
    env = {"COACH_HOME": str(tmp_path / "home"), "COACH_DIALOGUES": str(dialogues), "TERM": "xterm-256color",
           "COACH_CACHE": str(tmp_path / "cache"), "COACH_BENCH_MARKER": marker}
    wrapper = tmp_path / "first_frame.py"
    wrapper.write_text(WRAPPER)
    run_until([sys.executable, "-m", "coach", "start", theme], env, marker)  # fills the dialogue cache
    bare = instructions([sys.executable, str(wrapper), "bare"], env, tmp_path / "bare.log")
    coach = instructions([sys.executable, str(wrapper), theme], env, tmp_path / "coach.log")
    ratio = coach / bare
    print(f"\n{theme}: instructions until the first frame: bare Textual label {bare / 1e6:.0f} M, "
          f"coach start → first question {coach / 1e6:.0f} M; ratio {ratio:.3f}x (budget {BUDGET}x)")
    assert ratio <= BUDGET
