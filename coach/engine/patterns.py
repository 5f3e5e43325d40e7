"""Probe patterns: Dutch word stems and phrases, turned into regular expressions.

A pattern is words separated by spaces; ``*`` stands for any letters inside a word.
``vertrouw*`` matches "vertrouwen" and "vertrouwd" but not "wantrouwen";
``*trouw*`` matches all three. Matching ignores case.
"""

from __future__ import annotations

import bisect
import re
import string
from collections.abc import Iterator
from functools import lru_cache

_ALLOWED = re.compile(r"^[\w*'’ -]+$")
_WORD = re.compile(r"\w+")
_FOLDABLE_RUN = re.compile(r"[A-Za-z0-9_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")
"""Word characters of FOLDABLE (all but × and ÷ of its Latin range are letters)."""

_FOLD = (("İ", "i"), ("ı", "i"), ("ſ", "s"))
"""Letters that equal an ASCII letter when case is ignored but do not lowercase to it
(the Kelvin sign does: it lowercases to "k"). Mapping ``İ`` also keeps ``lower()`` one
character for one."""


FOLDABLE = frozenset(string.ascii_letters + string.digits + "_'’-" + "".join(map(chr, range(0xC0, 0x250))))
"""Characters for which "equal when case is ignored" is "equal once folded", both ways
(ASCII and the Latin letters with accents; a unit test checks them against every
Unicode character). A pattern made of them is matched on the folded answer."""


class PatternError(ValueError):
    """A pattern that is not words, spaces and ``*``."""


def fold(text: str) -> str:
    """``text`` lowercased so that two characters equal when case is ignored fold to the
    same one (for the FOLDABLE ones); one character for one, word characters and white
    space stay what they are, so words and positions carry over."""
    for letter, ascii_letter in _FOLD:  # str.replace, not str.translate: no time for text without them
        text = text.replace(letter, ascii_letter)
    return text.lower()


def _normal(pattern: str) -> str:
    """The pattern with single spaces; PatternError when it is not words, spaces and ``*``."""
    text = " ".join(pattern.split())
    if not text or not _ALLOWED.match(text) or not re.search(r"\w", text):
        raise PatternError(f"'{pattern}' is not a word or phrase (letters, spaces, - and * only)")
    return text


def _source(text: str) -> str:
    """The regular expression for a normal pattern.

    The "no letter before" test sits after the pattern's first literal letters rather
    than in front: the same matches, but the search can jump to where those letters are
    instead of trying the test at every position of a long answer.
    """
    words = [r"\w*".join(re.escape(piece) for piece in word.split("*")) for word in text.split(" ")]
    body = r"\s+".join(words)
    lead = text.split(" ")[0].split("*")[0]
    if lead:  # each literal matches exactly one character, so the look-behind has a fixed width
        escaped = re.escape(lead)
        body = escaped + rf"(?<!\w[\s\S]{{{len(lead)}}})" + body[len(escaped):]
    else:
        body = r"(?<!\w)" + body
    return body + r"(?!\w)"


@lru_cache(maxsize=2048)
def pattern_regex(pattern: str) -> re.Pattern[str]:
    """The compiled regular expression for one pattern (case ignored)."""
    return re.compile(_source(_normal(pattern)), re.IGNORECASE)


@lru_cache(maxsize=2048)
def folded_regex(pattern: str) -> re.Pattern[str] | None:
    """``pattern_regex`` for the folded answer, case not ignored: the same matches at the
    same positions, found much faster (without ignoring case the search can jump to the
    pattern's first letters). None for a pattern with characters outside FOLDABLE."""
    text = _normal(pattern)
    if not set(text) <= FOLDABLE | {" ", "*"}:
        return None
    return re.compile(_source(fold(text)))


@lru_cache(maxsize=2048)
def requirements(pattern: str) -> tuple[tuple[str, str], ...]:
    """What any match of ``pattern`` needs among the answer's folded words, as cheap pre-tests.

    One test per run of FOLDABLE letters and digits in the pattern, folded (other
    letters may match more than their own lowercase, so they are left out): ``("word", w)`` when
    the run is a whole word of the pattern, ``("prefix", p)`` when it starts one,
    ``("substring", s)`` otherwise. Every word of a phrase counts, not only the longest,
    so "geen vertrouwen" is ruled out by an answer without "geen". Longest runs first.
    """
    found: set[tuple[str, str]] = set()
    for word in pattern.split():
        pieces = word.split("*")
        for k, piece in enumerate(pieces):
            for run in _FOLDABLE_RUN.finditer(piece):
                i, j = run.span()
                left = (i == 0 and k == 0) or (i > 0 and not _WORD.match(piece[i - 1]))
                right = (j == len(piece) and k == len(pieces) - 1) or (j < len(piece) and not _WORD.match(piece[j]))
                kind = "word" if left and right else "prefix" if left else "substring"
                found.add((kind, fold(run.group())))
    return tuple(sorted(found, key=lambda pair: (-len(pair[1]), pair)))


class WordIndex:
    """One answer prepared for matching many patterns: folded once, its words collected
    once for the pre-test."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        # Words never contain white space, so they are found per distinct token: a token of
        # letters and digits only (isalnum is \w without "_") is a word, others are split.
        tokens = set(self.folded.split())
        words = set(filter(str.isalnum, tokens))
        words.update(_WORD.findall(" ".join(tokens.difference(words))))
        self.words = frozenset(words)
        self._sorted: list[str] | None = None

    def _has_prefix(self, prefix: str) -> bool:
        if self._sorted is None:
            self._sorted = sorted(self.words)
        index = bisect.bisect_left(self._sorted, prefix)
        return index < len(self._sorted) and self._sorted[index].startswith(prefix)

    def may_match(self, pattern: str) -> bool:
        """False only when ``pattern`` certainly does not match the answer."""
        for kind, text in requirements(pattern):
            if kind == "word":
                if text not in self.words:
                    return False
            elif kind == "prefix":
                if not self._has_prefix(text):
                    return False
            elif text not in self.folded:
                return False
        return True

    def spans(self, pattern: str) -> Iterator[tuple[int, int]]:
        """Where ``pattern`` matches the answer, in order, as ``pattern_regex`` finds it."""
        if not self.may_match(pattern):
            return iter(())
        regex = folded_regex(pattern)
        found = regex.finditer(self.folded) if regex is not None else pattern_regex(pattern).finditer(self.text)
        return map(re.Match.span, found)
