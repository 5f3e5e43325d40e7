"""Fuzzy search over Dutch text: each query word must match a word of the text, by its
beginning ("vertrouw" finds "vertrouwensparadox") or by close spelling ("vertrouwn").

Linear in the text, unlike regex-based fuzzy matchers that backtrack on long texts.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def words_of(text: str) -> frozenset[str]:
    """The distinct lowercased words of a text."""
    return frozenset(word.casefold() for word in _WORD.findall(text))


def score(query: str, text: str) -> float:
    """0 when some query word is not found; otherwise higher for closer and earlier matches."""
    wanted = [w.casefold() for w in _WORD.findall(query)]
    if not wanted:
        return 1.0
    words = words_of(text)
    total = 0.0
    for word in wanted:
        if word in words:
            total += 2.0
        elif any(candidate.startswith(word) for candidate in words):
            total += 1.5
        elif len(word) >= 4 and difflib.get_close_matches(word, words, n=1, cutoff=0.8):
            total += 1.0
        else:
            return 0.0
    return total
