"""The fast way follow-ups are chosen says exactly what the straightforward way says.

``choose_probes`` skips patterns whose words are missing, searches the folded answer
without ignoring case, looks for negations only near a match and cuts the quoted
fragment from the text around it. The reference below does none of that: every
pattern's plain regular expression (the look-behind first, case ignored) over the whole
answer, every word before a match read again, the fragment cut from all words of the
answer. Answers are drawn from the words of the shipped patterns, negations, case
changes, odd white space, accented and Greek letters, and the few letters that match an
ASCII letter while ignoring case without lowercasing to it (İ, ı, ſ, K).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.engine.expressions import condition, render
from coach.engine.model import Probe
from coach.engine.patterns import WordIndex, pattern_regex
from coach.session import probes
from coach.text import ABBREVIATIONS
from coach.session.probes import CONTEXT_WORDS, NEGATION_WINDOW, NEGATIONS, ROUND_OFF, ProbeMatch, choose_probes
from probe_support import catalogue, dialogue, namespace, themes

EXAMPLES = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def pool(theme: str) -> list[Probe]:
    """Every probe a theme can ask (as the benchmark matches them)."""
    d = dialogue(theme)
    return [p for node in d.nodes for p in node.probes] + list(d.probes) + list(catalogue().probes)


@lru_cache(maxsize=4096)
def plain_regex(pattern: str) -> re.Pattern[str]:
    """A pattern as its documentation reads: words in order, ``*`` letters, case ignored."""
    words = [r"\w*".join(re.escape(piece) for piece in word.split("*")) for word in pattern.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def plain_ends_sentence(text: str, at: int) -> bool:
    """"!", "?" and a line end end a sentence; a full stop only before a space or the end
    (closing quotes and brackets aside), and not after an abbreviation or an initial."""
    if text[at] != ".":
        return True
    rest = text[at + 1:].lstrip("\"')")
    if rest and not rest[0].isspace():
        return False
    stem = re.split(r"\s", text[:at])[-1].lstrip("(\"'")
    return not (stem.casefold() in ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()))


def plain_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a match: after the last sentence end before it, through the first after it."""
    ends = [m.start() for m in re.finditer(r"[.!?\n]", text) if plain_ends_sentence(text, m.start())]
    low = max((at + 1 for at in ends if at < start), default=0)
    high = min((at + 1 for at in ends if at >= end), default=len(text))
    return low, high


def plain_negated(text: str, start: int) -> bool:
    # Negation looks back no further than any full stop, an abbreviation's too ("o.a."):
    # reading fewer words can only miss a negation, never invent one.
    low = max((m.end() for m in re.finditer(r"[.!?\n]", text[:start])), default=0)
    before = re.findall(r"\w+", text[low:start])[-NEGATION_WINDOW:]
    return any(word.casefold() in NEGATIONS for word in before)


def plain_fragment(text: str, start: int, end: int) -> str:
    low, high = plain_sentence(text, start, end)
    spans = [m.span() for m in re.finditer(r"\S+", text[low:high])]
    spans = [(s + low, e + low) for s, e in spans]
    inside = [i for i, (s, e) in enumerate(spans) if s < end and e > start]
    if not inside:
        return " ".join(text[start:end].split())
    first = max(inside[0] - CONTEXT_WORDS, 0)
    last = min(inside[-1] + CONTEXT_WORDS, len(spans) - 1)
    if first <= ROUND_OFF:
        first = 0
    if last >= len(spans) - 1 - ROUND_OFF:
        last = len(spans) - 1
    fragment = " ".join(text[s:e] for s, e in spans[first:last + 1]).strip(" ,;:")
    if first > 0:
        fragment = "…" + fragment
    if last < len(spans) - 1:
        fragment = fragment.rstrip(".!?,;:") + "…"
    else:
        fragment = fragment.rstrip(".!")
    return fragment


def plain_choose(candidates: Iterable[Probe], answer: str, scope: Mapping[str, Any], asked: set[str],
                 limit: int) -> list[ProbeMatch]:
    ordered = sorted(enumerate(candidates), key=lambda pair: (-pair[1].priority, pair[0]))
    chosen: list[ProbeMatch] = []
    seen: set[str] = set()
    for _, probe in ordered:
        if len(chosen) >= limit:
            break
        if probe.id in asked or probe.id in seen:
            continue
        seen.add(probe.id)
        found = [m for pattern in probe.match for m in plain_regex(pattern).finditer(answer)
                 if not (probe.negation and plain_negated(answer, m.start()))]
        match = min(found, key=lambda m: m.start()) if found else None  # the earliest in the text
        if probe.match and match is None:
            continue
        if any(plain_regex(p).search(answer) for p in probe.without):
            continue
        inner = dict(scope, answer=answer)
        if probe.when and not condition(probe.when, inner):
            continue
        fragment = plain_fragment(answer, match.start(), match.end()) if match else " ".join(answer.split()[:8])
        chosen.append(ProbeMatch(probe, match.group(0) if match else "", fragment,
                                 render(probe.ask, dict(inner, fragment=fragment))))
    return chosen


def _pattern_words() -> list[str]:
    words = {w.strip("*") for theme in themes() for p in pool(theme) for pattern in p.match + p.without
             for w in pattern.split()}
    return sorted(w for w in words if w and "*" not in w)


PATTERN_WORDS = _pattern_words()
ODD = ["2.5", "o.a.", "W.", "ca.", "(bijv.", "İK", "nıet", "nietſ", "Kort", "GEEN", "Vertrouwen", "x" * 120, "a_b", "2024", "’s", "zo'n", "co-creatie",
       "FINANCIËN", "Coördinatie", "ÉÉN", "allerminﬆ", "ιδέα", "ΣΑΣ", "patiënten"]
GAPS = [" ", "  ", "\n", ", ", ". ", "! ", " - ", "-", "…", "\u00a0", "'", " (", ") ", "\t"]


@st.composite
def answers(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.one_of(st.sampled_from(PATTERN_WORDS), st.sampled_from(sorted(NEGATIONS)),
                                    st.sampled_from(ODD)), max_size=60))
    case = draw(st.lists(st.sampled_from([str, str.upper, str.title]), min_size=len(words), max_size=len(words)))
    gaps = draw(st.lists(st.sampled_from(GAPS), min_size=len(words) + 1, max_size=len(words) + 1))
    return gaps[0] + "".join(change(word) + gap for word, change, gap in zip(words, case, gaps[1:]))


@EXAMPLES
@given(st.sampled_from(themes()), answers(), st.data())
def test_choose_probes_agrees_with_the_straightforward_way(theme: str, answer: str, data: st.DataObject) -> None:
    candidates = pool(theme)
    ids = sorted({p.id for p in candidates})
    asked = set(data.draw(st.lists(st.sampled_from(ids), max_size=4)))
    limit = data.draw(st.integers(1, len(candidates)))
    scope = namespace(theme)
    assert choose_probes(candidates, answer, scope, asked, limit) == plain_choose(candidates, answer, scope, asked, limit)


@EXAMPLES
@given(st.sampled_from(sorted({p for t in themes() for probe in pool(t) for p in probe.match + probe.without})),
       answers())
def test_pattern_regex_the_folded_search_and_the_word_test_agree_with_the_plain_expression(pattern: str, answer: str) -> None:
    expected = [m.span() for m in plain_regex(pattern).finditer(answer)]
    assert [m.span() for m in pattern_regex(pattern).finditer(answer)] == expected
    assert list(WordIndex(answer).spans(pattern)) == expected
    if expected:
        assert WordIndex(answer).may_match(pattern), "the word test never rules out a pattern that matches"


@EXAMPLES
@given(answers(), st.data())
def test_fragment_agrees_with_cutting_from_all_words(answer: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(answer)))
    end = data.draw(st.integers(start, len(answer)))
    assert probes._fragment(answer, start, end) == plain_fragment(answer, start, end)


@EXAMPLES
@given(answers(), st.data())
def test_negation_agrees_with_reading_all_words_before(answer: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(answer)))
    assert probes._Words(answer).negated_before(start) == plain_negated(answer, start)


def test_letters_that_match_ascii_ignoring_case_are_not_ruled_out() -> None:
    for pattern, answer in [("niet", "nıet"), ("niets", "NIETſ"), ("ik", "İK"), ("kort", "Kort")]:
        assert plain_regex(pattern).search(answer), (pattern, answer)
        assert WordIndex(answer).may_match(pattern), (pattern, answer)


@EXAMPLES
@given(answers())
def test_opening_words_agree_with_splitting_everything(answer: str) -> None:
    assert probes._opening(answer) == " ".join(answer.split()[:8])
