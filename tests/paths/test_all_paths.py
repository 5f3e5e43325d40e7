"""Every dialogue, driven by hypothesis with any valid answers, reaches its end.

Answers are drawn per question from what the type allows (and skips, follow-ups,
going back now and then); the walk must end with a summary and a transcript that
reads back exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from coach.engine.library import catalogue_dir_for, dialogue_paths, load_catalogue, load_dialogue
from coach.engine.model import Node
from coach.session import transcript
from coach.session.session import Session
from conftest import DIALOGUES, EXAMPLE

PATHS = [EXAMPLE, *dialogue_paths(DIALOGUES)]
TEXTS = ["We moeten wel meedoen, de gemeente wil het.", "Ik weet het eigenlijk niet.", "Vertrouwen.",
         "Samen met de huisartsen en de gemeente werken we aan een gedeeld beeld van de regio.",
         "geen vertrouwen", "{{ 7*7 }} [bold]x[/]", "no", "2024-01-01"]


def value_for(node: Node) -> st.SearchStrategy[object]:
    """Any valid answer to ``node``."""
    if node.type == "text":
        return st.one_of(st.sampled_from(TEXTS), st.text(min_size=1, max_size=40).filter(lambda t: t.strip() != ""))
    if node.type == "choice":
        return st.sampled_from([o.value for o in node.options])
    if node.type == "multichoice":
        values = [o.value for o in node.options]
        high = node.max if node.max is not None else len(values)
        return st.lists(st.sampled_from(values), min_size=node.min or 0, max_size=high, unique=True)
    if node.type in ("scale",):
        return st.integers(node.min or 1, node.max or 5)
    if node.type == "polarity":
        number = st.integers(node.min or 1, node.max or 5)
        return st.fixed_dictionaries({part: number for part in node.ask})
    if node.type == "list":
        item = st.sampled_from(["Dementiezorg", "Wonen en zorg", "Arbeidsmarkt", "Jeugd", "GGZ", "Preventie"])
        high = min(node.max or 4, 4)
        return st.lists(item, min_size=max(node.min or 1, 1), max_size=max(high, node.min or 1), unique=True)
    raise AssertionError(node.type)


def walk(path: Path, data: st.DataObject) -> Session:
    catalogue = load_catalogue(catalogue_dir_for(path))
    dialogue = load_dialogue(path, catalogue)
    session = Session.start(dialogue, catalogue, probes=True)
    backs = 0
    for _ in range(2_000):
        step = session.current
        if step.kind == "end":
            return session
        if step.kind == "info":
            session.acknowledge()
            continue
        if backs < 3 and data.draw(st.integers(0, 15)) == 0:
            backs += 1
            session.back()
            continue
        if step.kind == "probe":
            if data.draw(st.booleans()):
                session.answer_probe(data.draw(st.sampled_from(TEXTS)))
            else:
                session.skip_probe()
            continue
        assert step.node is not None
        if data.draw(st.integers(0, 9)) == 0:
            session.skip()
        else:
            session.answer(data.draw(value_for(step.node)))
    raise AssertionError(f"{path.name}: no end after 2,000 steps")


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
@given(data=st.data())
def test_any_valid_answers_reach_the_end(path: Path, data: st.DataObject) -> None:
    session = walk(path, data)
    assert session.summary is not None
    assert session.summary["models"], "a summary always suggests models"
    document = transcript.seal(session.to_document())
    text = transcript.dump_yaml(document)
    assert transcript.check_document(yaml.safe_load(text), path.name) == document
