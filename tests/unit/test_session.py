"""Session rules: answer, back, skip, jump, changed answers, list items, resume, changed dialogue."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from coach.errors import UsageError
from coach.session import transcript
from coach.session.session import Session


def start(example, path: Path | None = None, probes: bool = False) -> Session:  # type: ignore[no-untyped-def]
    dialogue, catalogue = example
    session = Session.start(dialogue, catalogue, path=path, probes=probes)
    session.acknowledge()  # the welcome text
    return session


def answer_all(session: Session, *values: object) -> None:
    for value in values:
        session.answer(value)


def where(session: Session) -> tuple[str | None, str | None]:
    step = session.current
    return (step.node.id if step.node else None, step.item)


def test_loop_asks_each_item_by_name(example) -> None:
    session = start(example)
    session.answer(["Dementiezorg", "Wonen"])
    assert session.current.text == "Welke positie kies je bij Dementiezorg?"
    answer_all(session, "proactief", ["regio"])
    assert where(session) == ("positie", "Wonen")


def test_route_skips_rest_of_item(example) -> None:
    session = start(example)
    answer_all(session, ["Dementiezorg", "Wonen"], "afhoudend")
    assert where(session) == ("positie", "Wonen"), "afhoudend goes on to the next item"


def test_back_keeps_answer_and_shows_it(example) -> None:
    session = start(example)
    answer_all(session, ["Dementiezorg"], "actief")
    assert session.back()
    assert where(session) == ("positie", "Dementiezorg")
    assert session.current.previous == "actief"


def test_answer_after_back_continues_at_first_open_question(example) -> None:
    session = start(example)
    answer_all(session, ["Dementiezorg"], "actief", ["regio"], 4)
    session.back()
    session.back()
    session.back()
    assert where(session) == ("positie", "Dementiezorg")
    session.answer("proactief")
    assert where(session) == ("spanning", None), "answered questions on the route are passed"


def test_skip_is_recorded_and_counts_as_none(example) -> None:
    session = start(example)
    session.answer(["Dementiezorg"])
    session.skip()
    assert where(session) == ("overwegingen", "Dementiezorg")
    assert session.events[-1]["type"] == "skip" and session.events[-1]["question"] == "positie"
    assert session.namespace()["answers"]["positie"] == {"Dementiezorg": None}


def test_changed_answer_sets_aside_and_brings_back(example) -> None:
    session = start(example)
    answer_all(session, ["Dementiezorg"], "actief", ["regio", "missie"], 4, {"now": 2, "desired": 3}, "Bellen")
    assert session.is_finished
    session.jump("positie", "Dementiezorg")
    notices = session.answer("afhoudend")
    assert any("Apart gezet" in n and "'overwegingen' (Dementiezorg)" in n for n in notices)
    assert ("overwegingen", "Dementiezorg") in session.aside
    assert session.is_finished, "everything else is still answered"
    session.jump("positie", "Dementiezorg")
    notices = session.answer("actief")
    assert any("Weer meegenomen" in n for n in notices)
    assert session.answers[("overwegingen", "Dementiezorg")].value == ["regio", "missie"]


def test_lower_score_opens_a_branch_and_keeps_later_answers(example) -> None:
    session = start(example)
    answer_all(session, ["Dementiezorg"], "actief", [], 4, {"now": 2, "desired": 3}, "Bellen")
    session.jump("energie")
    session.answer(1)
    assert where(session) == ("waarom_weinig", None)
    session.answer("Te veel overleg")
    assert session.is_finished
    assert session.answers[("stap", None)].value == "Bellen"


def test_renamed_item_takes_its_answers(example) -> None:
    session = start(example)
    answer_all(session, ["Dementiezorg", "Wonen"], "proactief", ["regio"], "actief", ["missie"])
    session.jump("opgaven")
    notices = session.answer(["Dementiezorg", "Wonen en zorg"])
    assert any("'Wonen'" in n and "'Wonen en zorg'" in n for n in notices)
    assert session.answers[("overwegingen", "Wonen en zorg")].value == ["missie"]
    assert where(session) == ("energie", None)


def test_removed_item_answers_are_set_aside_not_deleted(example) -> None:
    session = start(example)
    answer_all(session, ["Dementiezorg", "Wonen"], "proactief", ["regio"], "actief", ["missie"])
    session.jump("opgaven")
    notices = session.answer(["Dementiezorg"])
    assert any("'positie' (Wonen)" in n for n in notices)
    assert session.aside[("positie", "Wonen")].value == "actief"
    session.jump("opgaven")
    session.answer(["Dementiezorg", "Wonen"])
    assert session.answers[("positie", "Wonen")].value == "actief"


def test_jump_is_recorded_and_next_follows_routes_from_there(example) -> None:
    session = start(example)
    session.answer(["Dementiezorg"])
    session.jump("spanning")
    assert session.events[-1]["type"] == "jump"
    session.answer({"now": 3, "desired": 3})
    assert where(session) == ("stap", None)


def test_jump_to_unknown_question_is_refused(example) -> None:
    session = start(example)
    with pytest.raises(UsageError, match="onbekende vraag 'nope'"):
        session.jump("nope")
    with pytest.raises(UsageError, match="nog geen onderdelen"):
        session.jump("positie")


def test_probe_is_asked_recorded_and_never_twice(example) -> None:
    session = start(example, probes=True)
    answer_all(session, ["Dementiezorg"], "actief", [], 1)
    session.answer("We moeten wel, zegt de gemeente")
    step = session.current
    assert step.kind == "probe" and step.text.startswith("Je schrijft: 'We moeten wel")
    session.answer_probe("De wethouder")
    assert session.probe_log[0]["probe"] == "moeten" and session.probe_log[0]["value"] == "De wethouder"
    session.jump("waarom_weinig")
    session.answer("Het moet nu eenmaal zo, helaas is dat zo.")
    assert session.current.kind == "question", "the same probe is never asked twice"


def test_resume_at_the_exact_item(example, home: Path) -> None:
    path = home / "s.yaml"
    session = start(example, path=path)
    answer_all(session, ["Dementiezorg", "Wonen"], "proactief", ["regio"])
    document = transcript.load(path)
    again = Session.resume(document, *example, path=path)
    assert where(again) == ("positie", "Wonen")
    assert again.answers[("overwegingen", "Dementiezorg")].value == ["regio"]


def test_changed_dialogue_keeps_what_fits(example, home: Path) -> None:
    dialogue, catalogue = example
    path = home / "s.yaml"
    session = start(example, path=path)
    answer_all(session, ["Dementiezorg"], "proactief", ["regio"], 4)
    document = transcript.load(path)
    document["answers"].append({"question": "verdwenen", "item": None, "value": "x", "text": "?", "at": "", "skipped": False})
    changed = replace(dialogue, checksum="sha256:other", version="2.0")
    again = Session.resume(document, changed, catalogue, path=path)
    assert any("gewijzigd" in n and "1.0 → 2.0" in n for n in again.notices)
    assert any("'verdwenen'" in n and "bestaat niet meer" in n for n in again.notices)
    assert where(again) == ("spanning", None)


def test_changed_dialogue_asks_again_what_it_set_aside(example, home: Path) -> None:
    """An answer that no longer fits was set aside, and the session went on past its
    question: it was never asked again and the summary lacked it."""
    dialogue, catalogue = example
    path = home / "s.yaml"
    session = start(example, path=path)
    answer_all(session, ["Dementiezorg"], "proactief", ["regio"], 4)
    document = transcript.load(path)
    nodes = tuple(replace(n, options=tuple(o for o in n.options if o.value != "proactief")) if n.id == "positie" else n
                  for n in dialogue.nodes)
    changed = replace(dialogue, nodes=nodes, checksum="sha256:other", version="2.0")
    again = Session.resume(document, changed, catalogue, path=path)
    assert any("'positie' (Dementiezorg)" in n and "past niet meer" in n for n in again.notices)
    assert where(again) == ("positie", "Dementiezorg"), "the question is asked again"
    assert any("opnieuw aan de beurt" in n for n in again.notices)
    assert ("overwegingen", "Dementiezorg") in again.answers, "what still fits stays"


def test_summary_names_insights_and_models(example) -> None:
    session = start(example)
    answer_all(session, ["Dementiezorg", "Wonen"], "proactief", ["regio"], "actief", [], 4,
               {"now": 1, "desired": 4}, "Bellen")
    summary = session.summary
    assert summary is not None
    fired = {i["id"]: i for i in summary["insights"]}
    assert set(fired) == {"breed", "kloof"}
    assert fired["breed"]["text"].startswith("Je koos op 2 opgaven een actieve rol.")
    assert fired["breed"]["rests_on"] == [{"question": "positie", "item": "Dementiezorg"}, {"question": "positie", "item": "Wonen"}]
    models = {m["id"]: m for m in summary["models"]}
    assert list(models) == ["zeshoek", "balanceren"], "deduplicated, in order of first mention"
    assert [w["insight"] for w in models["zeshoek"]["why"]] == ["breed", "kloof"]
    polarities = next(s for s in summary["sections"] if s["kind"] == "polarities")
    assert polarities["pairs"][0]["gap"] == 3


def test_default_models_when_no_insight_fires(example) -> None:
    session = start(example)
    answer_all(session, ["Dementiezorg"], "afhoudend", 4, {"now": 3, "desired": 3}, "Bellen")
    assert session.summary is not None
    assert session.summary["insights"] == []
    assert [m["id"] for m in session.summary["models"]] == ["balanceren"]
