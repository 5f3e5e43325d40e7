"""Probe patterns: word stems with *, phrases, case, and what is refused."""

from __future__ import annotations

import re
import string

import pytest

from coach.engine.patterns import (
    _FOLDABLE_RUN,
    FOLDABLE,
    PatternError,
    WordIndex,
    fold,
    folded_regex,
    pattern_regex,
    requirements,
)


def matches(pattern: str, text: str) -> bool:
    return pattern_regex(pattern).search(text) is not None


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    # a stem: the start of a word
    ("vertrouw*", "Er is weinig vertrouwen tussen de partners.", True),
    ("vertrouw*", "Ik heb me nooit vertrouwd gevoeld.", True),
    ("vertrouw*", "Ik vertrouw hen.", True),
    ("vertrouw*", "Er heerst wantrouwen.", False),
    ("vertrouw*", "Onvertrouwd terrein.", False),
    # letters on both sides
    ("*trouw*", "vertrouwen", True),
    ("*trouw*", "vertrouwd", True),
    ("*trouw*", "wantrouwen", True),
    ("*trouw*", "trouw", True),
    ("*trouw*", "trou w", False),
    # a whole word
    ("opgelegd", "Het is ons opgelegd.", True),
    ("opgelegd", "Het is opgelegde kost.", False),
    ("moet*", "We moeten wel.", True),
    ("moet*", "Ik ontmoette hem.", False),
    # a phrase: words in order, any white space between them
    ("de gemeente wil", "Omdat de gemeente wil dat we meedoen.", True),
    ("de gemeente wil", "Omdat de  gemeente\nwil dat we meedoen.", True),
    ("de gemeente wil", "De gemeente, die wil dat niet.", False),
    ("de gemeente wil", "de gemeentewil", False),
    ("geen tijd*", "We hebben geen tijden afgesproken.", True),
    ("  de   gemeente  ", "de gemeente", True),
    # case is ignored, both ways
    ("vertrouw*", "VERTROUWEN", True),
    ("VERTROUW*", "vertrouwen", True),
    ("De Gemeente Wil", "DE GEMEENTE WIL", True),
    # letters outside ASCII are letters too
    ("financiën", "De financiën knellen.", True),
    ("één*", "ÉÉN partij beslist.", True),
    ("zo'n", "Het is zo'n gedoe.", True),
    ("co-creatie", "Wij doen aan co-creatie.", True),
    # regex characters in the text are just text
    ("kost*", "kost.en", True),
])
def test_pattern_matches(pattern: str, text: str, expected: bool) -> None:
    assert matches(pattern, text) is expected


def test_match_covers_the_whole_words() -> None:
    found = pattern_regex("vertrouw*").search("weinig Vertrouwen hier")
    assert found is not None and found.group() == "Vertrouwen"
    found = pattern_regex("de gemeente wil").search("want De Gemeente  Wil dat")
    assert found is not None and found.group() == "De Gemeente  Wil"


@pytest.mark.parametrize("pattern", [
    "",
    "   ",
    "*",
    "***",
    "-",
    "vertrouw(en|d)",
    "vertrouw.*",
    "[a-z]+",
    "a|b",
    "\\bwoord\\b",
    "vraag?",
    "ja!",
])
def test_bad_patterns_raise_pattern_error(pattern: str) -> None:
    with pytest.raises(PatternError) as caught:
        pattern_regex(pattern)
    assert f"'{pattern}'" in str(caught.value)
    assert "not a word or phrase" in str(caught.value)


def test_pattern_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        pattern_regex("(")


@pytest.mark.parametrize(("pattern", "expected"), [
    ("vertrouw*", {("prefix", "vertrouw")}),
    ("*trouw*", {("substring", "trouw")}),
    ("Geen  Vertrouwen", {("word", "geen"), ("word", "vertrouwen")}),
    ("niet * vertrouwen", {("word", "niet"), ("word", "vertrouwen")}),
    ("co-creatie", {("word", "co"), ("word", "creatie")}),
    ("zo'n", {("word", "zo"), ("word", "n")}),
    ("FINANCIËN", {("word", "financiën")}),
    ("patiënt*", {("prefix", "patiënt")}),
    ("één persoon", {("word", "één"), ("word", "persoon")}),
    ("ιδέα", set()),
    ("cafeïne ιδέα*", {("word", "cafeïne")}),
    ("wijk-ιδέα", {("word", "wijk")}),
    ("moet* eigenlijk", {("prefix", "moet"), ("word", "eigenlijk")}),
])
def test_requirements_test_every_foldable_run_of_the_pattern(pattern: str, expected: set[tuple[str, str]]) -> None:
    assert set(requirements(pattern)) == expected


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    ("geen vertrouwen", "Er is weinig vertrouwen.", False),
    ("geen vertrouwen", "Geen idee, wel vertrouwen.", True),
    ("vertrouw*", "VERTROUWELIJK", True),
    ("vertrouw*", "wantrouwen", False),
    ("*trouw*", "wantrouwen", True),
    ("co-creatie", "co creatie", True),
    ("financiën", "De FINANCIËN", True),
    ("niet", "nıet", True),
    ("niets", "NIETſ", True),
    ("ik", "İK", True),
])
def test_word_index_rules_out_only_what_cannot_match(pattern: str, text: str, expected: bool) -> None:
    assert WordIndex(text).may_match(pattern) is expected
    if not expected:
        assert not matches(pattern, text)


def test_fold_makes_characters_equal_exactly_when_they_are_equal_ignoring_case() -> None:
    """For every FOLDABLE character ``a`` and every Unicode character ``c``: ``c`` matches
    ``a`` with case ignored exactly when both fold to the same character."""
    everything = "".join(map(chr, range(0x110000)))
    folded = fold(everything)
    assert len(folded) == len(everything), "one character for one: positions carry over"
    for kind in (r"\w+", r"\s+"):
        assert [m.span() for m in re.finditer(kind, folded)] == [m.span() for m in re.finditer(kind, everything)]
    assert "".join(filter(str.isalnum, everything)) == "".join(re.findall(r"\w", everything)).replace("_", ""), \
        "a token that isalnum is one word"
    alike = "".join(sorted(FOLDABLE))
    similar = {m.group() for m in re.finditer(f"[{re.escape(alike)}]", everything, re.IGNORECASE)}
    targets = "".join(sorted({fold(a) for a in FOLDABLE}))
    same = {everything[m.start()] for m in re.finditer(f"[{re.escape(targets)}]", folded)}
    assert similar == same, "folding to a FOLDABLE character's fold is matching it ignoring case"
    for c in similar:
        assert {a for a in FOLDABLE if re.fullmatch(re.escape(a), c, re.IGNORECASE)} == \
            {a for a in FOLDABLE if fold(a) == fold(c)}, c


def test_the_foldable_runs_are_word_characters() -> None:
    assert all(re.fullmatch(r"\w", c) for c in FOLDABLE if _FOLDABLE_RUN.fullmatch(c))
    assert {c for c in FOLDABLE if re.fullmatch(r"\w", c)} == {c for c in FOLDABLE if _FOLDABLE_RUN.fullmatch(c)}


@pytest.mark.parametrize("pattern", ["vertrouw*", "*trouw*", "geen vertrouwen", "niet * vertrouwen", "zo'n", "co-creatie",
                                     "FINANCIËN", "coördinat*", "één persoon", "’s avonds"])
def test_folded_regex_finds_what_pattern_regex_finds(pattern: str) -> None:
    text = ("Geen VERTROUWEN, niet het vertrouwen; wantrouwen. Zo'n CO-CREATIE, de financiën en FINANCIËN, "
            "Coördinatoren, ÉÉN PERSOON, ’S AVONDS; nıet vertrouwen, İk, ſ")
    regex = folded_regex(pattern)
    assert regex is not None
    assert [m.span() for m in regex.finditer(fold(text))] == [m.span() for m in pattern_regex(pattern).finditer(text)]
    assert list(WordIndex(text).spans(pattern)) == [m.span() for m in pattern_regex(pattern).finditer(text)]


def test_patterns_with_other_letters_keep_ignoring_case() -> None:
    assert folded_regex("ιδέα") is None
    assert list(WordIndex("Een ΙΔΈΑ, een ιδέα.").spans("ιδέα")) == [(4, 8), (14, 18)]
