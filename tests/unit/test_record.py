"""The model's dataclasses share Record's methods: they must still behave as frozen dataclasses."""

from __future__ import annotations

import dataclasses

import pytest

from coach.engine.model import Dialogue, Help, Node, Option


def test_a_field_cannot_be_changed_or_deleted() -> None:
    option = Option("a", "Alpha")
    with pytest.raises(dataclasses.FrozenInstanceError):
        option.label = "Beta"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del option.value
    assert option.label == "Alpha"


def test_equal_fields_make_equal_objects_with_equal_hashes() -> None:
    assert Option("a", "Alpha") == Option("a", "Alpha")
    assert hash(Option("a", "Alpha")) == hash(Option("a", "Alpha"))
    assert Option("a", "Alpha") != Option("a", "Beta")
    assert Help("x") != Option("x", "x"), "another class is never equal"
    assert len({Option("a", "Alpha"), Option("a", "Alpha"), Option("b", "Beta")}) == 2


def test_repr_names_the_fields_and_replace_makes_a_changed_copy() -> None:
    assert repr(Help("uitleg", "Kaats & Opheij, 2023")) == "Help(text='uitleg', source='Kaats & Opheij, 2023')"
    option = Option("a", "Alpha")
    changed = dataclasses.replace(option, label="Beta")
    assert (option.label, changed.label) == ("Alpha", "Beta")


def test_fields_left_out_of_comparison_and_repr_stay_out() -> None:
    node = Node(id="q", type="text", text="Vraag?", line=3)
    dialogue = Dialogue(id="d", title="D", version="1", intro="", path="d.yaml", nodes=(node,))
    routed = dataclasses.replace(dialogue, defaults={"q": "end"})
    assert routed == dialogue and hash(routed) == hash(dialogue), "defaults are derived: not compared"
    assert "defaults" not in repr(routed) and "nodes=(Node(id='q'" in repr(routed)
