"""A list section tells a question passed by from one this conversation never reached."""

from __future__ import annotations

from typing import Any

from coach.session.headless import run_headless

GIVEN: dict[str, Any] = {
    "opgaven": ["Dementiezorg", "Wonen"],
    "positie": {"Dementiezorg": "proactief", "Wonen": "actief"},
    "overwegingen": {"Dementiezorg": ["regio"], "Wonen": []},
    "spanning": {"now": 1, "desired": 4},
}


def groups(example: Any, **answers: Any) -> dict[str, dict[str, Any]]:
    session = run_headless(*example, dict(GIVEN, **answers), "test", probes=False)
    (section,) = [s for s in session.summary["sections"] if s["kind"] == "list"]
    return {g["question"]: g for g in section["groups"]}


def test_a_question_off_the_route_is_not_called_skipped(example: Any) -> None:
    found = groups(example, energie=4, stap="~skip")
    assert found["waarom_weinig"]["entries"] == [] and not found["waarom_weinig"]["skipped"], "high energy: never asked"
    assert found["stap"]["entries"] == [] and found["stap"]["skipped"], "asked and passed by"


def test_an_answered_question_is_neither(example: Any) -> None:
    found = groups(example, energie=2, waarom_weinig="Veel overleg zonder besluiten.", stap="Bellen.")
    assert [e["value"] for e in found["waarom_weinig"]["entries"]] == ["Veel overleg zonder besluiten."]
    assert not found["waarom_weinig"]["skipped"] and not found["stap"]["skipped"]
