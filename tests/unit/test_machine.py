"""Dialogue -> state machine: states, routes as guarded transitions, graphs, size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coach.engine.library import load_catalogue, load_dialogue
from coach.engine.machine import TRIGGER, build_machine, draw_graph
from coach.engine.model import Dialogue
from coach.errors import ExpressionError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
EXAMPLE = DATA / "example.yaml"
NODE_IDS = ["welkom", "opgaven", "per_opgave", "positie", "overwegingen", "energie", "waarom_weinig", "spanning", "stap"]


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every load validates; nothing is written to the user's cache folder."""
    monkeypatch.setenv("COACH_CACHE", "off")


@pytest.fixture(scope="module")
def dialogue() -> Dialogue:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COACH_CACHE", "off")
        return load_dialogue(EXAMPLE, load_catalogue(DATA))


class Director:
    """A bare model, as a session would add."""


def namespace(dialogue: Dialogue, item: str | None = None, **answers: Any) -> dict[str, Any]:
    values: dict[str, Any] = {q.id: None for q in dialogue.questions}
    values.update(answers)
    return {"answers": values, "item": item, "_labels": dialogue.labels}


def test_states_are_the_node_ids_and_end(dialogue: Dialogue) -> None:
    machine = build_machine(dialogue)
    assert list(machine.states) == NODE_IDS + ["end"]


def test_machine_starts_at_the_first_node(dialogue: Dialogue) -> None:
    machine = build_machine(dialogue)
    director = Director()
    machine.add_model(director)
    assert director.state == "welkom"  # type: ignore[attr-defined]


def test_no_auto_transitions_on_the_model(dialogue: Dialogue) -> None:
    machine = build_machine(dialogue)
    director = Director()
    machine.add_model(director)
    names = [name for name in dir(director) if not name.startswith("__")]
    assert not [name for name in names if name.startswith("to_")]
    assert TRIGGER in names
    assert machine.get_triggers("welkom") == [TRIGGER]


def test_every_state_has_only_the_advance_trigger(dialogue: Dialogue) -> None:
    machine = build_machine(dialogue)
    for state in NODE_IDS:
        assert machine.get_triggers(state) == [TRIGGER]


def test_walk_through_the_example(dialogue: Dialogue) -> None:
    machine = build_machine(dialogue)
    director: Any = Director()
    machine.add_model(director)

    def advance(expected: str, ns: dict[str, Any], pending: str | None = None) -> None:
        director.advance(namespace=ns, pending_item=pending)
        assert director.state == expected

    ns = namespace(dialogue, opgaven=["Dementiezorg", "Wonen"])
    advance("opgaven", ns)
    advance("per_opgave", ns)
    # first item: proactief, so on to overwegingen, then back to the loop
    advance("positie", ns, pending="Dementiezorg")
    ns = namespace(dialogue, item="Dementiezorg", opgaven=["Dementiezorg", "Wonen"],
                   positie={"Dementiezorg": "proactief", "Wonen": None})
    advance("overwegingen", ns)
    advance("per_opgave", ns)
    # second item: afhoudend, so the route skips to the next item
    advance("positie", ns, pending="Wonen")
    ns = namespace(dialogue, item="Wonen", opgaven=["Dementiezorg", "Wonen"],
                   positie={"Dementiezorg": "proactief", "Wonen": "afhoudend"})
    advance("per_opgave", ns)
    # no item left: the loop's own next
    advance("energie", namespace(dialogue))
    # low energy takes the route; then the default of waarom_weinig
    advance("waarom_weinig", namespace(dialogue, energie=2))
    advance("spanning", namespace(dialogue, energie=2))
    advance("stap", namespace(dialogue))
    advance("end", namespace(dialogue))


def test_route_not_taken_when_its_answer_is_missing(dialogue: Dialogue) -> None:
    machine = build_machine(dialogue)
    director: Any = Director()
    machine.add_model(director, initial="energie")
    director.advance(namespace=namespace(dialogue, energie=None))
    assert director.state == "spanning"


def test_high_score_takes_the_default(dialogue: Dialogue) -> None:
    machine = build_machine(dialogue)
    director: Any = Director()
    machine.add_model(director, initial="energie")
    director.advance(namespace=namespace(dialogue, energie=4))
    assert director.state == "spanning"


def test_a_route_that_fails_names_file_line_and_question(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "deling.yaml"
    path.write_text("""\
format: 1
id: deling
title: Deling
version: "1"
intro: Een route die bij het lopen faalt.
perspectives: [maatschappelijke-opgaven]
nodes:
  - id: energie
    type: scale
    text: Hoeveel?
    labels: {min: Weinig, max: Veel}
    routes:
      - when: "answers.energie // 0 == 1"
        to: end
  - id: slot
    type: text
    text: Nog iets?
""", encoding="utf-8")
    loaded = load_dialogue(path)
    machine = build_machine(loaded)
    director: Any = Director()
    machine.add_model(director)
    with pytest.raises(ExpressionError) as caught:
        director.advance(namespace=namespace(loaded, energie=3))
    text = str(caught.value)
    assert text.startswith("deling.yaml:13: vraag 'energie': ")
    assert "answers.energie // 0 == 1" in text


def test_mermaid_graph(dialogue: Dialogue) -> None:
    source = draw_graph(dialogue, "mermaid")
    assert "stateDiagram-v2" in source
    assert "answers.positie[item] == 'afhoudend'" in source
    assert "answers.energie is not none and answers.energie <= 2" in source
    assert "pending item" in source
    for node_id in NODE_IDS:
        assert node_id in source
    assert "einde" in source
    assert "Voorbeeldgesprek" in source


def test_dot_graph(dialogue: Dialogue) -> None:
    pytest.importorskip("graphviz")
    source = draw_graph(dialogue, "dot")
    assert source.startswith("digraph")
    assert "answers.energie is not none and answers.energie <= 2" in source
    assert "einde" in source


def linear_dialogue(count: int) -> str:
    lines = [
        "format: 1", "id: lang", "title: Een lang gesprek", 'version: "1.0"',
        "intro: Duizend vragen achter elkaar.", "perspectives: [maatschappelijke-opgaven]", "nodes:",
    ]
    for index in range(count):
        lines.append(f"  - {{id: vraag_{index}, type: scale, text: 'Vraag {index}?', labels: {{min: Laag, max: Hoog}}}}")
    return "\n".join(lines) + "\n"


def test_a_thousand_node_dialogue_builds_and_runs(tmp_path: Path) -> None:
    path = tmp_path / "lang.yaml"
    path.write_text(linear_dialogue(1000), encoding="utf-8")
    loaded = load_dialogue(path)
    machine = build_machine(loaded)
    assert len(machine.states) == 1001
    assert list(machine.states)[0] == "vraag_0"
    assert list(machine.states)[-1] == "end"
    director: Any = Director()
    machine.add_model(director)
    ns = {"answers": {}, "item": None}
    for index in range(1, 1000):
        director.advance(namespace=ns)
        assert director.state == f"vraag_{index}"
    director.advance(namespace=ns)
    assert director.state == "end"
    assert not [name for name in dir(director) if name.startswith("to_")]
