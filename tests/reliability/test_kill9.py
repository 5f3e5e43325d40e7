"""A real `coach start` in plain mode, killed with SIGKILL at random moments.

Answers are typed line by line through a pipe; after each, plain mode writes
``opgeslagen`` on stderr once the answer is on disk. At a random moment (between
answers, half-way through typing one, or a few milliseconds after the last line of
one) the process gets SIGKILL. Every acknowledged answer must be in the transcript,
which must load; at most the answer in flight may be there too. `coach resume` then
goes on at the first question without an answer and finishes the dialogue.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA
from reliability_helpers import EXAMPLE_SCRIPT, LiveCoach, temp_files

from coach.session import transcript

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

SEEDS = [1, 2, 3, 4, 5]


def answered_keys(document: dict) -> list[tuple[str, str | None]]:
    return [(a["question"], a["item"]) for a in document["answers"] if not a["skipped"]]


@pytest.mark.parametrize("seed", SEEDS)
def test_acknowledged_answers_survive_kill_9(home: Path, seed: int) -> None:
    rng = random.Random(seed)
    kill_at = rng.randrange(len(EXAMPLE_SCRIPT))  # the answer in flight when the kill comes
    how = rng.choice(["between", "half-typed", "just-typed"])
    coach = LiveCoach(home, "start", "example", COACH_DIALOGUES=str(DATA))
    coach.wait_for("Tot welke opgaven")
    acknowledged = 0
    for index, (_, lines, _) in enumerate(EXAMPLE_SCRIPT):
        if index == kill_at:
            if how == "half-typed":
                coach.type(lines[: max(len(lines) // 2, 1)])
            elif how == "just-typed":
                coach.type(lines)
                time.sleep(rng.uniform(0, 0.03))
            break
        coach.type(lines)
        coach.wait_for("opgeslagen", stream="err")
        acknowledged += 1
    coach.kill()
    coach.drain()
    acknowledged = sum(1 for line in coach.stderr if line == "opgeslagen")

    files = sorted((home / "sessions").glob("*.yaml"))
    assert len(files) == 1
    document = transcript.load(files[0])  # a whole file, or this raises
    on_disk = set(answered_keys(document))
    expected = [key for key, _, _ in EXAMPLE_SCRIPT]
    assert set(expected[:acknowledged]) <= on_disk, "every acknowledged answer is on disk"
    assert on_disk <= set(expected[: acknowledged + 1]), "at most the answer in flight besides"

    # `coach resume` goes on at the first question without an answer and finishes.
    done = len(on_disk)
    again = LiveCoach(home, "resume", document["session"], COACH_DIALOGUES=str(DATA))
    first = again.wait_for("?")
    assert EXAMPLE_SCRIPT[done][2] in first, f"resumed at {first!r}, expected {EXAMPLE_SCRIPT[done][2]!r}"
    for _, lines, _ in EXAMPLE_SCRIPT[done:]:
        again.type(lines)
    assert again.finish() == 0, again.stderr
    assert any("Bewaard in" in line for line in again.stdout), again.stdout[-5:]
    final = transcript.load(files[0])
    assert final["finished"] and set(answered_keys(final)) == set(expected)
    assert temp_files(files[0].parent) == [], "a dead writer's temp file is cleared on resume"
