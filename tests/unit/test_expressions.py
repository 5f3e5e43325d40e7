"""Expressions and templates: the helpers, missing answers, the sandbox and name checks."""

from __future__ import annotations

import time
from typing import Any

import pytest
from jinja2.sandbox import SecurityError

from coach.engine.expressions import (
    BASE_NAMES, PROBE_NAMES, EvaluationError, check_names, condition, environment, evaluate,
    has_template_syntax, parse_expression, render,
)
from coach.engine.helpers import HELPERS

STAP = "Ik ga eerst met de wethouder praten over de gezamenlijke agenda voor volgend jaar."

ANSWERS: dict[str, Any] = {
    # a list question and two loops over it
    "opgaven": ["Dementiezorg", "Wonen", "Armoede"],
    "positie": {"Dementiezorg": "proactief", "Wonen": "afhoudend", "Armoede": "actief"},
    "overwegingen": {"Dementiezorg": ["regio", "missie"], "Wonen": [], "Armoede": None},
    # scales (verrichten ties with inrichten; verkennen was skipped)
    "energie": 2,
    "richten": 4,
    "inrichten": 2,
    "verrichten": 2,
    "verkennen": None,
    # polarities: asked both, asked now only, one pair split over two nodes
    "spanning": {"now": 2, "desired": 5},
    "doel": {"now": 4, "desired": 2},
    "alleen_nu": {"now": 3},
    "belang_nu": {"now": 4},
    "belang_gewenst": {"desired": 1},
    "nooit": None,
    # text
    "stap": STAP,
    "waarom_weinig": None,
}

LABELS = {
    "positie": {"proactief": "Proactief / initiërend", "actief": "Actief / participerend", "afhoudend": "Afhoudend"},
    "overwegingen": {"regio": "Rol in de regio", "missie": "Past bij onze missie", "yes": "Spijt als we niet meedoen"},
}


def namespace(item: str | None = None, **answers: Any) -> dict[str, Any]:
    """What a session gives an expression: answers, item and the option labels."""
    return {"answers": {**ANSWERS, **answers}, "item": item, "_labels": LABELS}


# (expression, expected value)
HELPER_CASES: list[tuple[str, Any]] = [
    # count
    ("count(answers.positie, 'proactief', 'actief')", 2),
    ("count(answers.positie, 'afhoudend')", 1),
    ("count(answers.overwegingen, 'regio', 'missie')", 2),
    ("count(answers.opgaven)", 3),
    ("count(answers.positie)", 3),
    ("count(answers.energie, '2')", 1),
    ("count(answers.energie, 2)", 1),
    ("count(answers.waarom_weinig)", 0),
    ("count(answers.waarom_weinig, 'iets')", 0),
    # size
    ("size(answers.opgaven)", 3),
    ("size(answers.positie)", 3),
    ("size(answers.waarom_weinig)", 0),
    ("size([])", 0),
    # words
    ("words(answers.stap)", 14),
    ("words(answers.waarom_weinig)", 0),
    ("words('  een   twee\ndrie ')", 3),
    # contains
    ("contains(answers.opgaven, 'Wonen')", True),
    ("contains(answers.opgaven, 'Zorg', 'Armoede')", True),
    ("contains(answers.opgaven, 'Zorg')", False),
    ("contains(answers.overwegingen, 'missie')", True),
    ("contains(answers.overwegingen, 'yes')", False),
    ("contains(answers.waarom_weinig, 'iets')", False),
    # items_with / items_without
    ("items_with(answers.positie, 'proactief', 'actief')", ["Dementiezorg", "Armoede"]),
    ("items_with(answers.positie, 'afhoudend')", ["Wonen"]),
    ("items_with(answers.overwegingen, 'missie')", ["Dementiezorg"]),
    ("items_with(answers.waarom_weinig, 'iets')", []),
    ("items_without(answers.positie, 'afhoudend')", ["Dementiezorg", "Armoede"]),
    ("items_without(answers.overwegingen, 'regio')", ["Wonen", "Armoede"]),
    ("items_without(answers.waarom_weinig, 'iets')", []),
    # lowest / highest
    ("lowest('richten', 'inrichten', 'verrichten')", "inrichten"),
    ("lowest('verrichten', 'inrichten')", "verrichten"),
    ("lowest('verkennen', 'richten')", "richten"),
    ("lowest('verkennen')", None),
    ("highest('inrichten', 'richten', 'verrichten')", "richten"),
    ("highest('inrichten', 'verrichten')", "inrichten"),
    ("highest('verkennen')", None),
    # mean
    ("mean(answers.richten, answers.inrichten, answers.verrichten)", 8 / 3),
    ("mean(answers.richten, answers.verkennen)", 4.0),
    ("mean(answers.verkennen)", None),
    ("mean()", None),
    # gap / largest_gap
    ("gap('spanning')", 3),
    ("gap('doel')", -2),
    ("gap('belang_nu', 'belang_gewenst')", -3),
    ("gap('alleen_nu')", None),
    ("gap('nooit')", None),
    ("largest_gap('spanning', 'doel')", "spanning"),
    ("largest_gap('doel', 'alleen_nu', 'nooit')", "doel"),
    ("largest_gap('alleen_nu', 'nooit')", None),
    # label
    ("label('positie', 'proactief')", "Proactief / initiërend"),
    ("label('positie', answers.positie['Wonen'])", "Afhoudend"),
    ("label('overwegingen', answers.overwegingen['Dementiezorg'])", ["Rol in de regio", "Past bij onze missie"]),
    ("label('positie', 'onbekend')", "onbekend"),
    ("label('positie', answers.waarom_weinig)", None),
    # joined
    ("joined(answers.opgaven)", "Dementiezorg, Wonen en Armoede"),
    ("joined(['Wonen', 'Armoede'])", "Wonen en Armoede"),
    ("joined(['Wonen'])", "Wonen"),
    ("joined([])", ""),
    ("joined(answers.waarom_weinig)", ""),
    ("joined(answers.positie)", "Dementiezorg, Wonen en Armoede"),
    # quote
    ("quote(answers.stap, 5)", "Ik ga eerst met de…"),
    ("quote(answers.stap)", "Ik ga eerst met de wethouder praten over de gezamenlijke agenda voor…"),
    ("quote('kort  en\ngoed')", "kort en goed"),
    # a sentence that ends in the second half of the words kept ends the quote
    ("quote('Het ligt bij de voorzitter van de stuurgroep en bij mij. De gemeenten leunen achterover.')",
     "Het ligt bij de voorzitter van de stuurgroep en bij mij."),
    ("quote('Het ligt bij de voorzitter, zei hij: \"kan ik dit nog wel?\" En de rest volgt nu.')",
     'Het ligt bij de voorzitter, zei hij: "kan ik dit nog wel?"'),
    ("quote('Ja. Het ligt bij de voorzitter van de stuurgroep en bij mij en de rest')",
     "Ja. Het ligt bij de voorzitter van de stuurgroep en bij mij…"),
    ("quote('We werken samen met de gemeente, het ziekenhuis en o.a. de huisartsen in de regio')",
     "We werken samen met de gemeente, het ziekenhuis en o.a. de huisartsen…"),
]


@pytest.mark.parametrize(("source", "expected"), HELPER_CASES)
def test_helper(source: str, expected: Any) -> None:
    assert evaluate(source, namespace()) == expected


def test_every_helper_has_a_case() -> None:
    used = {name for name in HELPERS if any(source.startswith(name + "(") for source, _ in HELPER_CASES)}
    assert used == set(HELPERS)


def test_helpers_inside_a_loop_see_the_item() -> None:
    ns = namespace(item="Wonen")
    assert condition("answers.positie[item] == 'afhoudend'", ns)
    assert evaluate("label('positie', answers.positie[item])", ns) == "Afhoudend"
    assert render("Bij {{ item }} koos je {{ label('positie', answers.positie[item]) | lower }}.", ns) == (
        "Bij Wonen koos je afhoudend."
    )


@pytest.mark.parametrize("run", [evaluate, render], ids=["evaluate", "render"])
def test_quote_of_a_skipped_answer_is_empty(run: Any) -> None:
    source = "quote(answers.waarom_weinig)" if run is evaluate else "{{ quote(answers.waarom_weinig) }}"
    assert not run(source, namespace())


# --- evaluate, condition, render ----------------------------------------------------------


def test_evaluate_gives_the_value() -> None:
    assert evaluate("answers.energie + 1", namespace()) == 3
    assert evaluate("answers.opgaven[0]", namespace()) == "Dementiezorg"
    assert evaluate("item", namespace(item="Wonen")) == "Wonen"


@pytest.mark.parametrize(("source", "expected"), [
    ("answers.energie <= 2", True),
    ("answers.energie > 2", False),
    ("count(answers.positie, 'proactief', 'actief') >= 2", True),
    ("'Wonen' in answers.opgaven", True),
    ("answers.waarom_weinig is none", True),
    ("answers.stap", True),
    ("answers.waarom_weinig", False),
])
def test_condition(source: str, expected: bool) -> None:
    assert condition(source, namespace()) is expected


@pytest.mark.parametrize("source", [
    "answers.verkennen <= 2",
    "answers.verkennen > 2",
    "answers.verkennen >= 0",
    "answers.verkennen == 2",
    "answers.verkennen + 1 > 0",
    "gap('alleen_nu') >= 2",
    "mean(answers.verkennen) < 3",
])
def test_comparison_with_a_missing_answer_is_false(source: str) -> None:
    assert condition(source, namespace()) is False


def test_missing_answer_makes_only_its_own_comparison_false() -> None:
    assert condition("answers.verkennen > 3 or answers.energie == 2", namespace()) is True


def test_render() -> None:
    ns = namespace()
    assert render("Je noemde {{ joined(answers.opgaven) }}.", ns) == "Je noemde Dementiezorg, Wonen en Armoede."
    assert render("{% for o in answers.opgaven %}[{{ o }}]{% endfor %}", ns) == "[Dementiezorg][Wonen][Armoede]"
    assert render("Je keek naar {{ size(answers.opgaven) }} opgaven.", ns) == "Je keek naar 3 opgaven."


def test_render_of_plain_text_is_the_text_itself() -> None:
    text = "Een tekst met {accolades} en een % teken, zonder Jinja2."
    assert render(text, {}) == text


def test_render_does_not_escape() -> None:
    assert render("{{ answers.stap }}", namespace(stap="<b>A & B</b>")) == "<b>A & B</b>"


@pytest.mark.parametrize(("run", "source"), [
    (render, "Hallo {{ organisatie }}"),
    (evaluate, "organisatie == 'x'"),
    (evaluate, "onbekend"),
    (render, "{{ answers.opgaven[10] }}"),
])
def test_undefined_names_are_errors(run: Any, source: str) -> None:
    with pytest.raises(EvaluationError):
        run(source, namespace())


def test_answer_is_inserted_as_text_never_rendered() -> None:
    ns = namespace(stap="{{ 7*7 }} en {% if true %}ja{% endif %}", opgaven=["{{ 7*7 }}", "Wonen"])
    assert render("Je schreef: {{ answers.stap }}", ns) == "Je schreef: {{ 7*7 }} en {% if true %}ja{% endif %}"
    assert render("Je noemde {{ joined(answers.opgaven) }}.", ns) == "Je noemde {{ 7*7 }} en Wonen."
    assert render("'{{ quote(answers.stap, 3) }}'", ns) == "'{{ 7*7 }}…'"
    assert "49" not in render("{{ answers.stap }}", ns)


# --- the sandbox --------------------------------------------------------------------------

ATTACKS = [
    "answers.__class__",
    "().__class__.__bases__",
    "().__class__.__bases__[0].__subclasses__()",
    "lipsum.__globals__",
    "range.__init__.__globals__",
    "answers.items.__self__",
    "range(10**9)",
    "range(10**9) | list",
    "10**10000",
    "2 ** 64 ** 64 ** 64",
    "(10**64) ** 64",
    "'a' * 10**8",
    "10**8 * 'a'",
    "[1] * 10**8",
    "('a' * 100000) * 100000",
]


@pytest.mark.parametrize("source", ATTACKS)
def test_sandbox_refuses_expression(source: str) -> None:
    started = time.monotonic()
    with pytest.raises((EvaluationError, SecurityError)):
        evaluate(source, namespace())
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("source", ATTACKS)
def test_sandbox_refuses_template(source: str) -> None:
    started = time.monotonic()
    with pytest.raises((EvaluationError, SecurityError)):
        render("{{ " + source + " }}", namespace())
    assert time.monotonic() - started < 1


def test_bounded_operators_still_work() -> None:
    ns = namespace()
    assert evaluate("2 ** 10", ns) == 1024
    assert evaluate("'ab' * 3", ns) == "ababab"
    assert evaluate("3 * 4", ns) == 12
    assert evaluate("range(5) | list", ns) == [0, 1, 2, 3, 4]


def test_sandbox_bounds_strings_made_by_filters() -> None:
    with pytest.raises((EvaluationError, SecurityError)):
        evaluate("'a' | center(10**8)", namespace())


# --- check_names and has_template_syntax ------------------------------------------------

QUESTIONS = set(ANSWERS)
PRIVATE = "'{}' is not allowed: names starting with '_' are internal to Python and the sandbox refuses them"


@pytest.mark.parametrize(("source", "allowed", "problems"), [
    ("answers.opgaven", BASE_NAMES, []),
    ("answers['opgaven'] and item", BASE_NAMES, []),
    ("count(answers.positie, 'proactief') >= 2", BASE_NAMES, []),
    ("answers.onbekend", BASE_NAMES, ["unknown question 'onbekend'"]),
    ("answers['onbekend'] == 1", BASE_NAMES, ["unknown question 'onbekend'"]),
    ("answers.nope or answers.nope", BASE_NAMES, ["unknown question 'nope'"]),
    ("gemiddelde(answers.energie) > 3", BASE_NAMES, ["unknown name 'gemiddelde'"]),
    ("organisatie", BASE_NAMES, ["unknown name 'organisatie'"]),
    ("lowest('richten', 'nope')", BASE_NAMES, ["unknown question 'nope'"]),
    ("highest('nope')", BASE_NAMES, ["unknown question 'nope'"]),
    ("gap('spanning', 'nope')", BASE_NAMES, ["unknown question 'nope'"]),
    ("largest_gap('nope')", BASE_NAMES, ["unknown question 'nope'"]),
    ("label('nope', 'x')", BASE_NAMES, ["unknown question 'nope'"]),
    ("label('positie', 'geen_vraag')", BASE_NAMES, []),
    ("count(answers.positie, 'geen_vraag')", BASE_NAMES, []),
    ("words(answer) >= 3", BASE_NAMES, ["unknown name 'answer'"]),
    ("words(answer) >= 3", BASE_NAMES | PROBE_NAMES, []),
    ("lipsum", BASE_NAMES, ["unknown name 'lipsum'"]),
    # what the sandbox refuses while running is refused by the check already
    ("answers.opgaven.__len__() > 1", BASE_NAMES, [PRIVATE.format("__len__")]),
    ("''.__class__ is defined", BASE_NAMES, [PRIVATE.format("__class__")]),
    ("answers.__class__.__mro__ is defined", BASE_NAMES, [PRIVATE.format("__class__"), PRIVATE.format("__mro__")]),
    ("(answers|attr('__class__')) is defined", BASE_NAMES, [PRIVATE.format("__class__")]),
    ("answers['_x']", BASE_NAMES, [PRIVATE.format("_x")]),
])
def test_check_names_of_expressions(source: str, allowed: frozenset[str], problems: list[str]) -> None:
    assert sorted(check_names(parse_expression(source), allowed, QUESTIONS)) == sorted(problems)


@pytest.mark.parametrize(("source", "problems"), [
    ("{% for o in answers.opgaven %}{{ o }}{% endfor %}", []),
    ("{% set n = size(answers.opgaven) %}{{ n }}", []),
    ("Hallo {{ organisatie }}", ["unknown name 'organisatie'"]),
    ("{{ answers.onbekend }} en {{ lowest('nope') }}", ["unknown question 'onbekend'", "unknown question 'nope'"]),
])
def test_check_names_of_templates(source: str, problems: list[str]) -> None:
    assert sorted(check_names(environment().parse(source), BASE_NAMES, QUESTIONS)) == sorted(problems)


@pytest.mark.parametrize(("text", "expected"), [
    ("Je noemde {{ joined(answers.opgaven) }}.", True),
    ("{% if item %}x{% endif %}", True),
    ("{# een opmerking #}", True),
    ("Gewone tekst.", False),
    ("Een {enkele} accolade en 100% zeker.", False),
    ("", False),
])
def test_has_template_syntax(text: str, expected: bool) -> None:
    assert has_template_syntax(text) is expected
