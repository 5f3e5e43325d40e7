"""A whole plain-mode conversation with follow-ups, compared with a golden file.

`python -m coach start positionering` runs in a subprocess (COACH_HOME an empty folder,
COACH_NOW fixed) with standard input `golden/positionering.in.txt`: a director's answers,
one per line (a text or list ends with an empty line), the answers to the follow-ups
that appear, and one `:overslaan` that lets a follow-up go. Its standard output, with
the temporary folder and the random part of the session id replaced, must equal
`golden/positionering.out.txt`.

When a question, a follow-up or the summary changes on purpose, regenerate the golden
file and read its diff before committing:

    COACH_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/probes/test_probe_golden.py

When a follow-up appears at another answer than before, the input no longer lines up:
the test then fails on the error lines `coach: ...`. Move the follow-up answers in
`positionering.in.txt` (the line after the answer that now draws the follow-up, or
`:overslaan`) before regenerating.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from conftest import run_coach

GOLDEN = Path(__file__).parent / "golden"
THEME = "positionering"


def normalise(text: str, home: Path) -> str:
    text = text.replace(str(home), "<COACH_HOME>")
    return re.sub(rf"(\d{{8}}-\d{{6}}-{THEME})-[0-9a-f]{{4}}", r"\1-<id>", text)


def test_plain_conversation_with_follow_ups_matches_golden(tmp_path: Path) -> None:
    home = tmp_path / "home"
    stdin = (GOLDEN / f"{THEME}.in.txt").read_text(encoding="utf-8")
    result = run_coach(home, "start", THEME, input=stdin)
    errors = [line for line in result.stderr.splitlines() if line != "opgeslagen"]
    assert result.returncode == 0 and not errors, "the input no longer lines up with the questions:\n" + "\n".join(errors)
    output = normalise(result.stdout, home)
    assert output.count("Vervolgvraag: ") >= 5, "the conversation has follow-ups"
    assert "Bewaard in" in output, "the conversation ends with the summary"
    golden = GOLDEN / f"{THEME}.out.txt"
    if os.environ.get("COACH_UPDATE_GOLDEN"):
        golden.write_text(output, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    assert output == expected, f"plain output differs from {golden.name}; see the module docstring to regenerate"
