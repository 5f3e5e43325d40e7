"""Probe patterns: word stems with *, phrases, case, and what is refused."""

from __future__ import annotations

import pytest

from coach.engine.patterns import PatternError, pattern_regex


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
