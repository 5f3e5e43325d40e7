"""The fuzzers of tests/hostile/test_fuzz.py, thoroughly: at least 10,000 examples each.

Run on their own (`pytest tests/benchmarks/test_fuzz_thorough.py -q`); a few minutes.
Nothing but a ``coach.errors.CoachError`` may come out of the dialogue loader, the
transcript loader or the answer validator (see tests/hostile/fuzz_targets.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))

from fuzz_targets import (answer_cases, check_answer, check_dialogue_text, check_transcript_text,  # noqa: E402
                          dialogue_texts, transcript_texts)

THOROUGH = settings(max_examples=10_000, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@THOROUGH
@given(dialogue_texts())
def test_dialogue_loader_thoroughly(text: str) -> None:
    check_dialogue_text(text)


@THOROUGH
@given(transcript_texts())
def test_transcript_loader_thoroughly(text: str) -> None:
    check_transcript_text(text)


@THOROUGH
@given(answer_cases())
def test_answer_validator_thoroughly(case: tuple[Any, Any]) -> None:
    check_answer(*case)
