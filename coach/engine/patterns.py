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
    """The compiled regular expression for one pattern."""
    text = " ".join(pattern.split())
    if not text or not _ALLOWED.match(text) or not re.search(r"\w", text):
        raise PatternError(f"'{pattern}' is not a word or phrase (letters, spaces, - and * only)")
    words = []
    for word in text.split(" "):
        pieces = [re.escape(piece) for piece in word.split("*")]
        words.append(r"\w*".join(pieces))
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)
