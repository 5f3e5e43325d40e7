"""The negation check (the reversed answer read from a match back, a few words only)
says the same as reading all the text before a match: the three words before the
match, in its own sentence, decide."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from coach.session import probes
from coach.session.probes import NEGATION_WINDOW, NEGATIONS

LOOKBACK = 256


def _negated(text: str, start: int) -> bool:
    return probes._Words(text).negated_before(start)

WORDS = ["geen", "niet", "vertrouwen", "we", "hebben", "het", "Niemand", "x" * 300, "samen", "nooit,", "ggz-instelling"]


def naive(text: str, start: int) -> bool:
    sentence = re.split(r"[.!?\n]", text[:start])[-1]
    before = re.findall(r"\w+", sentence)[-NEGATION_WINDOW:]
    return any(word.casefold() in NEGATIONS for word in before)


@given(st.lists(st.sampled_from(WORDS), max_size=80), st.sampled_from([" ", "  ", ". ", "\n", " - "]), st.data())
def test_bounded_look_back_agrees_with_reading_everything(words: list[str], gap: str, data: st.DataObject) -> None:
    text = gap.join(words)
    start = data.draw(st.integers(0, len(text)))
    assert _negated(text, start) == naive(text, start)


def test_long_word_just_before_the_window_is_not_mistaken_for_a_negation() -> None:
    text = "ongeen" + "a" * (LOOKBACK - 4) + " vertrouwen"
    start = text.index("vertrouwen")
    assert not _negated(text, start) and not naive(text, start)
    text = "geen " + "a" * (LOOKBACK + 10) + " vertrouwen"
    assert _negated(text, text.index("vertrouwen")) is True, "words count, not characters: 'geen' is two words back"
    text = "geen " + "woord " * 60 + "vertrouwen"
    assert _negated(text, text.index("vertrouwen")) is False
    text = "geen " + "zeer " * 2 + "vertrouwen"
    assert _negated(text, text.index("vertrouwen")) is True


def test_a_negation_ends_with_its_sentence() -> None:
    """"…groeit niet mee. Zorgkantoor wil" — the "niet" is about the money, not about Zorgkantoor."""
    for text, word in [("Het geld groeit niet mee. Zorgkantoor wil dat we versnellen.", "Zorgkantoor"),
                       ("We halen die doelen niet! Het vertrouwen is goed.", "vertrouwen"),
                       ("Niet echt.\nVertrouwen is er wel.", "Vertrouwen")]:
        assert not _negated(text, text.index(word)), text
    text = "Er is eigenlijk geen echt vertrouwen."
    assert _negated(text, text.index("vertrouwen"))


def test_a_fragment_does_not_stop_at_a_decimal_an_abbreviation_or_an_initial() -> None:
    """"Wij investeren dit jaar 2.5 miljoen…" was quoted back as "Wij investeren dit jaar 2"."""
    from coach.session.probes import _fragment

    for text, word, fragment in [
        ("Wij investeren dit jaar 2.5 miljoen euro in de keten.", "miljoen", "Wij investeren dit jaar 2.5 miljoen euro in de keten"),
        ("We werken o.a. met de gemeente aan het budget.", "budget", "…gemeente aan het budget"),
        ("Het model van W. Opheij past bij ons budget.", "budget", "…past bij ons budget"),
        ("Vorig jaar ging het mis. Nu is het budget op.", "budget", "Nu is het budget op"),
    ]:
        start = text.index(word)
        assert _fragment(text, start, start + len(word)) == fragment, text
