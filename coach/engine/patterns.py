"""Probe patterns: Dutch word stems and phrases, turned into regular expressions.

A pattern is words separated by spaces; ``*`` stands for any letters inside a word.
``vertrouw*`` matches "vertrouwen" and "vertrouwd" but not "wantrouwen";
``*trouw*`` matches all three. Matching ignores case.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ALLOWED = re.compile(r"^[\w*'’ -]+$")


class PatternError(ValueError):
    """A pattern that is not words, spaces and ``*``."""


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
def requirement(pattern: str) -> tuple[str, str]:
    """What any match of ``pattern`` needs in the answer's words, as a cheap pre-test.

    ``("word", w)``: the lowercased word ``w`` itself; ``("prefix", p)``: a word starting
    with ``p``; ``("substring", s)``: ``s`` somewhere; ``("none", "")``: no safe test.
    The longest word of the pattern is used (the rarest, as a rule).
    """
    words = " ".join(pattern.split()).split(" ")
    word = max(words, key=lambda w: len(w.replace("*", "")))
    core = word.strip("*").lower()
    if not core or not core.isascii() or "*" in core or not re.fullmatch(r"\w+", core):
        pieces = [p for p in re.split(r"[*\W]+", pattern.lower()) if p]
        hint = max(pieces, key=len) if pieces else ""
        return ("substring", hint) if hint.isascii() and hint else ("none", "")
    if word.startswith("*"):
        return ("substring", core)
    if word.endswith("*"):
        return ("prefix", core)
    return ("word", core)


class WordIndex:
    """The words of one answer, for the pre-test of many patterns."""

    def __init__(self, text: str) -> None:
        self.lowered = text.lower()
        self.words = frozenset(re.findall(r"\w+", self.lowered))
        self.sorted = sorted(self.words)

    def may_match(self, pattern: str) -> bool:
        """False only when ``pattern`` certainly does not match the answer."""
        import bisect

        kind, text = requirement(pattern)
        if kind == "word":
            return text in self.words
        if kind == "prefix":
            index = bisect.bisect_left(self.sorted, text)
            return index < len(self.sorted) and self.sorted[index].startswith(text)
        if kind == "substring":
            return text in self.lowered
        return True
