"""An insight names only answers that were given as the ones it rests on: a skipped answer
(or a question this conversation never reached) is no ground for it."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from coach.engine.library import load_catalogue, load_dialogue
from coach.session.headless import run_headless
from coach.summary import answers_given
from conftest import DATA, DIALOGUES


@pytest.fixture(scope="module")
def positionering():  # type: ignore[no-untyped-def]
    catalogue = load_catalogue(DIALOGUES)
    return load_dialogue(DIALOGUES / "positionering.yaml", catalogue), catalogue


def answers_file(name: str) -> dict[str, Any]:
    text = (DATA / "answers" / f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))  # noqa: S506


def rests_of(session: Any, insight_id: str) -> list[tuple[str, str | None]]:
    assert session.summary is not None
    (insight,) = [i for i in session.summary["insights"] if i["id"] == insight_id]
    return [(r["question"], r["item"]) for r in insight["rests_on"]]


def test_a_skipped_loop_answer_is_left_out(positionering: Any) -> None:
    given = answers_file("positionering-positie_zonder_onderbouwing")
    # Two opgaven with few considerations: 'Wat de keuze draagt' is asked for both,
    # answered for one and skipped for the other.
    given["overwegingen"]["Wonen en zorg voor ouderen"] = []
    given["draagkracht"]["Wonen en zorg voor ouderen"] = "~skip"
    session = run_headless(*positionering, given, "test", probes=False)
    assert session.answers[("draagkracht", "Wonen en zorg voor ouderen")].skipped
    rests = rests_of(session, "positie_zonder_onderbouwing")
    assert ("draagkracht", "Dementiezorg") in rests
    assert ("draagkracht", "Wonen en zorg voor ouderen") not in rests
    assert ("overwegingen", "Wonen en zorg voor ouderen") in rests, "an empty choice is an answer given"


def test_a_skipped_question_is_left_out(positionering: Any) -> None:
    given = answers_file("positionering-breed_en_dun")
    assert rests_of(run_headless(*positionering, dict(given), "test", probes=False), "breed_en_dun")[-1] == ("spreiding", None)
    given["spreiding"] = "~skip"
    session = run_headless(*positionering, given, "test", probes=False)
    assert session.answers[("spreiding", None)].skipped
    rests = rests_of(session, "breed_en_dun")
    assert ("spreiding", None) not in rests
    assert rests and all(question == "positie" for question, _ in rests)


def test_answers_given_keeps_the_given_ones_in_order() -> None:
    rests = [{"question": "a", "item": None}, {"question": "b", "item": "x"}, {"question": "b", "item": "y"}]
    assert answers_given(rests, {("b", "y"), ("a", None)}) == [rests[0], rests[2]]
    assert answers_given(rests, set()) == [], "nothing given: the insight names nothing (no 'Rust op' line)"
