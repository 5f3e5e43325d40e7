"""Answers are validated by type; each message names the question and what was expected."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coach.engine.model import Option
from coach.errors import AnswerError
from coach.session.answers import display_value, validate_answer


def node(example, node_id):  # type: ignore[no-untyped-def]
    return example[0].node(node_id)


def test_choice_accepts_value_label_and_yaml_boolean(example) -> None:
    positie = node(example, "positie")
    assert validate_answer(positie, "proactief") == "proactief"
    assert validate_answer(positie, "Afhoudend") == "afhoudend"
    overwegingen = node(example, "overwegingen")
    # YAML 1.1 reads `yes` as True; the option value is the string "yes".
    assert validate_answer(overwegingen, [True, "regio"]) == ["regio", "yes"]


def test_choice_refusal_names_question_and_options(example) -> None:
    with pytest.raises(AnswerError) as caught:
        validate_answer(node(example, "positie"), "misschien")
    message = str(caught.value)
    assert message.startswith("vraag 'positie': ")
    assert "proactief, actief, afhoudend" in message and "'misschien'" in message


@pytest.mark.parametrize("value", ["0", 6, "drie", 2.5, True, None])
def test_scale_refuses_out_of_range_and_non_numbers(example, value) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AnswerError, match="vraag 'energie': verwacht een geheel getal van 1 tot en met 5"):
        validate_answer(node(example, "energie"), value)


def test_scale_accepts_text_digits(example) -> None:
    assert validate_answer(node(example, "energie"), " 4 ") == 4


def test_polarity_needs_both_parts(example) -> None:
    spanning = node(example, "spanning")
    assert validate_answer(spanning, {"now": "2", "desired": 5}) == {"now": 2, "desired": 5}
    with pytest.raises(AnswerError, match="'desired' ontbreekt"):
        validate_answer(spanning, {"now": 2})
    with pytest.raises(AnswerError, match="gewenst: een geheel getal"):
        validate_answer(spanning, {"now": 2, "desired": 9})


def test_list_trims_and_refuses_duplicates(example) -> None:
    opgaven = node(example, "opgaven")
    assert validate_answer(opgaven, ["  Dementiezorg ", "", "Wonen  en zorg"]) == ["Dementiezorg", "Wonen en zorg"]
    with pytest.raises(AnswerError, match="'wonen' staat er twee keer in"):
        validate_answer(opgaven, ["Wonen", "wonen"])
    with pytest.raises(AnswerError, match="minstens 1"):
        validate_answer(opgaven, [])


def test_text_must_not_be_empty_and_keeps_what_was_typed(example) -> None:
    stap = node(example, "stap")
    assert validate_answer(stap, "  [bold]x[/] {{ 7*7 }}\n") == "[bold]x[/] {{ 7*7 }}"
    with pytest.raises(AnswerError, match="leeg"):
        validate_answer(stap, "   ")


def test_multichoice_display_keeps_options_with_commas_apart(example) -> None:
    """Labels hold commas; joined with commas, three options read as six."""
    options = (Option("overheid", "Overheden: gemeente, provincie, Rijk"),
               Option("financier", "Financiers: zorgverzekeraar, zorgkantoor"), Option("inwoner", "Inwoners"))
    actoren = replace(node(example, "overwegingen"), options=options)
    shown = display_value(actoren, ["overheid", "financier", "inwoner"])
    assert shown == "Overheden: gemeente, provincie, Rijk; Financiers: zorgverzekeraar, zorgkantoor; Inwoners"
    assert display_value(node(example, "opgaven"), ["Wonen", "Zorg, welzijn"]) == "Wonen; Zorg, welzijn"


def test_display_uses_labels(example) -> None:
    assert display_value(node(example, "positie"), "actief") == "Actief / participerend"
    assert display_value(node(example, "spanning"), {"now": 1, "desired": 4}) == "nu 1, gewenst 4"
    assert display_value(node(example, "stap"), None) == "(overgeslagen)"


def test_a_missing_or_yes_no_value_is_named_as_written_not_as_python(example) -> None:
    """A half-done polarity said "gevonden None"; a YAML `true` said "True"."""
    spanning = node(example, "spanning")
    with pytest.raises(AnswerError) as caught:
        validate_answer(spanning, {"now": 2, "desired": None})
    assert str(caught.value).endswith("gevonden niets") and "None" not in str(caught.value)
    with pytest.raises(AnswerError) as caught:
        validate_answer(node(example, "energie"), True)
    assert str(caught.value).endswith("gevonden true")


def test_counts_in_messages_are_singular_or_plural(example) -> None:
    opgaven = node(example, "opgaven")
    with pytest.raises(AnswerError, match="verwacht minstens 1 onderdeel, gevonden 0$"):
        validate_answer(opgaven, [])
    with pytest.raises(AnswerError, match="verwacht minstens 2 onderdelen, gevonden 1$"):
        validate_answer(replace(opgaven, min=2), ["Wonen"])
    with pytest.raises(AnswerError, match="verwacht hoogstens 1 onderdeel, gevonden 2$"):
        validate_answer(replace(opgaven, max=1), ["Wonen", "Zorg"])
    overwegingen = node(example, "overwegingen")
    with pytest.raises(AnswerError, match="verwacht minstens 1 keuze, gevonden 0$"):
        validate_answer(replace(overwegingen, min=1), [])
    with pytest.raises(AnswerError, match="verwacht hoogstens 2 keuzes, gevonden 3$"):
        validate_answer(replace(overwegingen, max=2), ["regio", "yes", "missie"])
