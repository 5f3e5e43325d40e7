"""Choosing follow-ups (probes) for a free-text answer.

A probe fires when one of its patterns matches (and none of its ``without`` ones),
when its ``when`` holds, and when it was not asked before in this session. With
``negation`` a match right after a negating word in the same sentence ("geen
vertrouwen") does not count. Higher priority first; at most the question's ``max_probes``.

What is given back is the earliest match in the answer, with a few words around it from
its own sentence: a quote of one thought, not of two half sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from coach.engine.expressions import EvaluationError, condition, render
from coach.engine.model import Probe
from coach.engine.patterns import WordIndex
from coach.errors import ExpressionError
from coach.text import ends_sentence

NEGATIONS = frozenset({"geen", "niet", "nooit", "nauwelijks", "zonder", "niets", "niemand", "allerminst"})
"""Dutch words that negate what follows them closely."""
NEGATION_WINDOW = 3
"""How many words before a match are looked at for a negation."""
CONTEXT_WORDS = 3
"""Words of context kept on each side of a matched fragment."""
ROUND_OFF = 2
"""A fragment that would stop this many words or fewer short of its sentence's start or
end takes them too, rather than cut a sentence just before it ends."""
SENTENCE_ENDS = ".!?\n"
"""Characters that end a sentence: negation and fragments never reach across them."""

_GAP = r"[^\w.!?\n]"
_WORDS_BEFORE = re.compile(_GAP + r"*(\w+)" + (r"(?:" + _GAP + r"+(\w+))?") * (NEGATION_WINDOW - 1))
"""On the reversed text: the NEGATION_WINDOW words before a position, nearest first, in its sentence."""
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class ProbeMatch:
    """A probe that fires, with what it matched and its question worded."""

    probe: Probe
    matched: str
    """The words the pattern matched (empty for a ``when``-only probe)."""
    fragment: str
    """The matched words with a little context, cut at word boundaries."""
    question: str
    """The follow-up as it is asked."""


class _Words:
    """The words before a position of an answer, and whether one of them negates.

    The look-back matches the reversed answer from the position on, so it reads only
    the few words it needs, however long the answer; answers without negation-sensitive
    matches never pay for it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.reversed: str | None = None
        self.known: dict[int, bool] = {}

    def negated_before(self, position: int) -> bool:
        """True when one of the NEGATION_WINDOW words before ``position``, in its sentence,
        negates (a word that ``position`` cuts counts with its first part only)."""
        known = self.known.get(position)
        if known is None:
            if self.reversed is None:
                self.reversed = self.text[::-1]
            known = False
            before = _WORDS_BEFORE.match(self.reversed, len(self.text) - position)
            if before is not None:
                for word in before.groups():
                    if word is not None and word[::-1].casefold() in NEGATIONS:
                        known = True
                        break
            self.known[position] = known
        return known


def _ends_here(text: str, index: int) -> bool:
    """True when the mark at ``index`` ends a sentence: "!", "?" and a line end always; a
    full stop only before a space (or the end), and not after an abbreviation or initial
    ("2.5 miljoen", "o.a. de gemeente", "W. Opheij" go on)."""
    if text[index] != ".":
        return True
    after = index + 1
    while after < len(text) and text[after] in "\"')":
        after += 1
    if after < len(text) and not text[after].isspace():
        return False
    word_start = index
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    return ends_sentence(text[word_start:after])


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding ``text[start:end]``: from after the last sentence end before
    it up to and including the first one after it (or the text's ends)."""
    low, before = 0, start
    while (found := max(text.rfind(mark, 0, before) for mark in SENTENCE_ENDS)) != -1:
        if _ends_here(text, found):
            low = found + 1
            break
        before = found
    high, after = len(text), end
    while found := [f for f in (text.find(mark, after) for mark in SENTENCE_ENDS) if f != -1]:
        at = min(found)
        if _ends_here(text, at):
            high = at + 1
            break
        after = at + 1
    return low, high


def _fragment(text: str, start: int, end: int) -> str:
    """The matched words and a few around them from their own sentence, whole words
    only, with "…" where the sentence goes on.

    Only the text around the match is split into words, widened until it holds the
    context words whole (or reaches the sentence's ends), so a long answer costs no
    more than a short one.
    """
    low_bound, high_bound = sentence_bounds(text, start, end)
    reach = CONTEXT_WORDS + ROUND_OFF
    width = 16 * (reach + 1)
    while True:
        low, high = max(start - width, low_bound), min(end + width, high_bound)
        spans = [m.span() for m in _TOKEN.finditer(text, low, high)]
        inside = [i for i, (s, e) in enumerate(spans) if s < end and e > start]
        if not inside:
            return " ".join(text[start:end].split())
        # The window's outer words may be cut: they may serve only as "there is more".
        if (low == low_bound or inside[0] - reach >= 1) and (high == high_bound or inside[-1] + reach <= len(spans) - 2):
            break
        width *= 4
    at_start, at_end = low == low_bound, high == high_bound
    first, last = max(inside[0] - CONTEXT_WORDS, 0), min(inside[-1] + CONTEXT_WORDS, len(spans) - 1)
    if at_start and first <= ROUND_OFF:
        first = 0
    if at_end and last >= len(spans) - 1 - ROUND_OFF:
        last = len(spans) - 1
    fragment = " ".join(text[s:e] for s, e in spans[first:last + 1]).strip(" ,;:")
    if not (at_start and first == 0):
        fragment = "…" + fragment
    if at_end and last == len(spans) - 1:
        fragment = fragment.rstrip(".!")
    else:
        fragment = fragment.rstrip(".!?,;:") + "…"
    return fragment


def _opening(text: str, count: int = 8) -> str:
    """The first ``count`` words (splitting no further than needed)."""
    return " ".join(text.split(maxsplit=count)[:count])


def _first_match(probe: Probe, index: WordIndex, words: _Words) -> tuple[int, int] | None:
    """The earliest place in the answer where one of the probe's patterns matches (not
    negated, with ``negation``): the director's first words on it are what is given back."""
    earliest: tuple[int, int] | None = None
    for pattern in probe.match:
        for start, end in index.spans(pattern):  # none when the word test rules the pattern out
            if earliest is not None and start >= earliest[0]:
                break
            if probe.negation and words.negated_before(start):
                continue
            earliest = (start, end)
            break
    return earliest


def choose_probes(
    candidates: Iterable[Probe],
    answer: str,
    namespace: Mapping[str, Any],
    asked: set[str],
    limit: int,
) -> list[ProbeMatch]:
    """The probes that fire for ``answer``, best first, at most ``limit``."""
    ordered = sorted(enumerate(candidates), key=lambda pair: (-pair[1].priority, pair[0]))
    index = WordIndex(answer)
    words = _Words(answer)
    chosen: list[ProbeMatch] = []
    seen: set[str] = set()
    for _, probe in ordered:
        if len(chosen) >= limit:
            break
        if probe.id in asked or probe.id in seen:
            continue
        seen.add(probe.id)
        match = _first_match(probe, index, words) if probe.match else None
        if probe.match and match is None:
            continue
        if any(next(index.spans(p), None) is not None for p in probe.without):
            continue
        scope = dict(namespace, answer=answer)
        try:
            if probe.when and not condition(probe.when, scope):
                continue
            matched = answer[match[0]:match[1]] if match else ""
            fragment = _fragment(answer, *match) if match else _opening(answer)
            question = render(probe.ask, dict(scope, fragment=fragment))
        except EvaluationError as err:
            raise ExpressionError(f"probe '{probe.id}' failed: {err}", path=probe.path, line=probe.line) from err
        chosen.append(ProbeMatch(probe, matched, fragment, question))
    return chosen
