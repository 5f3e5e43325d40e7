"""Fuzzing the dialogue loader, the transcript loader and the answer validator with hypothesis.

Nothing but a ``coach.errors.CoachError`` may come out (see fuzz_targets.py). In CI
a few hundred examples each; tests/benchmarks/test_fuzz_thorough.py runs 10,000.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from fuzz_targets import (answer_cases, check_answer, check_dialogue_text, check_transcript_text, dialogue_texts,
                          transcript_texts)

CI = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@CI
@given(dialogue_texts())
def test_dialogue_loader_raises_only_coach_errors(text: str) -> None:
    check_dialogue_text(text)


@CI
@given(transcript_texts())
def test_transcript_loader_raises_only_coach_errors(text: str) -> None:
    check_transcript_text(text)


@CI
@given(answer_cases())
def test_answer_validator_raises_only_answer_errors(case: tuple[Any, Any]) -> None:
    check_answer(*case)
