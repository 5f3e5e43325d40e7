"""Probe patterns: Dutch word stems and phrases, turned into regular expressions.

A pattern is words separated by spaces; ``*`` stands for any letters inside a word.
``vertrouw*`` matches "vertrouwen" and "vertrouwd" but not "wantrouwen";
``*trouw*`` matches all three. Matching ignores case.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

_ALLOWED = re.compile(r"^[\w*'’ -]+$")
_WORD = re.compile(r"\w+")
_ASCII_RUN = re.compile(r"[A-Za-z0-9_]+")

_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})
"""Letters that match an ASCII letter when case is ignored but do not lowercase to it
(the Kelvin sign does: it lowercases to "k"). ``İ`` also keeps ``lower()`` one
character for one."""


class PatternError(ValueError):
    """A pattern that is not words, spaces and ``*``."""


def fold(text: str) -> str:
    """``text`` lowercased so that every character a pattern's ASCII letter or digit
    matches (case ignored) becomes that letter or digit; one character for one, and
    word characters stay word characters, so words and positions carry over."""
    return text.translate(_FOLD).lower()


@lru_cache(maxsize=2048)
def pattern_regex(pattern: str) -> re.Pattern[str]:
    """The compiled regular expression for one pattern.

    The "no letter before" test sits after the pattern's first literal letters rather
    than in front: the same matches, but the search can jump to where those letters are
    instead of trying the test at every position of a long answer.
    """
    text = " ".join(pattern.split())
    if not text or not _ALLOWED.match(text) or not re.search(r"\w", text):
        raise PatternError(f"'{pattern}' is not a word or phrase (letters, spaces, - and * only)")
    words = [r"\w*".join(re.escape(piece) for piece in word.split("*")) for word in text.split(" ")]
    body = r"\s+".join(words)
    lead = text.split(" ")[0].split("*")[0]
    if lead:  # each literal matches exactly one character, so the look-behind has a fixed width
        escaped = re.escape(lead)
        body = escaped + rf"(?<!\w[\s\S]{{{len(lead)}}})" + body[len(escaped):]
    else:
        body = r"(?<!\w)" + body
    return re.compile(body + r"(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=2048)
def requirements(pattern: str) -> tuple[tuple[str, str], ...]:
    """What any match of ``pattern`` needs among the answer's folded words, as cheap pre-tests.

    One test per run of ASCII letters and digits in the pattern (other letters may
    match more than their own lowercase, so they are left out): ``("word", w)`` when
    the run is a whole word of the pattern, ``("prefix", p)`` when it starts one,
    ``("substring", s)`` otherwise. Every word of a phrase counts, not only the longest,
    so "geen vertrouwen" is ruled out by an answer without "geen". Longest runs first.
    """
    found: set[tuple[str, str]] = set()
    for word in pattern.split():
        pieces = word.split("*")
        for k, piece in enumerate(pieces):
            for run in _ASCII_RUN.finditer(piece):
                i, j = run.span()
                left = (i == 0 and k == 0) or (i > 0 and not _WORD.match(piece[i - 1]))
                right = (j == len(piece) and k == len(pieces) - 1) or (j < len(piece) and not _WORD.match(piece[j]))
                kind = "word" if left and right else "prefix" if left else "substring"
                found.add((kind, run.group().lower()))
    return tuple(sorted(found, key=lambda pair: (-len(pair[1]), pair)))


class WordIndex:
    """The folded words of one answer, for the pre-test of many patterns."""

    def __init__(self, text: str) -> None:
        self.folded = fold(text)
        # Words never contain white space: finding them in each distinct white-space
        # separated token is the same as in the whole text, and much cheaper.
        self.words = frozenset(w for token in set(self.folded.split()) for w in _WORD.findall(token))
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
