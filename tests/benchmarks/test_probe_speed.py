"""Matching every probe of a theme against a 10,000-character answer takes under 5 ms.

Every probe a theme can ask (its questions' own, the theme's and the shared ones of
dialogues/probes.yaml) is matched with no limit, so none is skipped, against four
answers of 10,000 characters: a realistic one (a director's paragraphs, repeated), one
that matches nothing, one full of negated matches ("geen vertrouwen", "niet opgelegd":
every match looks back for a negation), and one made of the themes' own question and
help texts (varied Dutch with accents, holding many of the patterns' words).
Run: `pytest tests/benchmarks/test_probe_speed.py -s` (it prints the figures). Next to each
figure it prints how many patterns are searched at all (the others lack one of their
words in the answer) and, to show what that and the folded search save, what one plain
search of every pattern costs: a case-ignoring regular expression, starting with a
look-behind, that walks the whole answer.
"""

from __future__ import annotations

import itertools
import re
import statistics
import time
from functools import lru_cache
from pathlib import Path

import pytest

from coach.engine.library import dialogue_paths, load_catalogue, load_dialogue
from coach.engine.patterns import WordIndex
from coach.session.probes import choose_probes
from coach.session.session import Session

DIALOGUES = Path(__file__).resolve().parents[2] / "dialogues"
BUDGET_MS = 5.0
LENGTH = 10_000
ROUNDS = 30

REALISTIC = (
    "We moeten wel meedoen, de gemeente wil het, maar ik twijfel of het ons genoeg oplevert. "
    "Er is weinig vertrouwen tussen het ziekenhuis en de huisartsen, en over de financiering "
    "is steeds gedoe. De voorzitter valt terug op harde doelen en ik zit aan te veel tafels. "
    "Misschien moeten we eerst samen stilstaan bij wat voor inwoners en mantelzorgers echt telt. "
)
NOTHING = "De wijkverpleging werkt samen met de fysiotherapeuten aan valpreventie in de kleine kernen. "
NEGATED = "Er is geen vertrouwen, het is niet opgelegd, niet persoonlijk en nooit lastig geweest. "


def fill(text: str) -> str:
    return (text * (LENGTH // len(text) + 1))[:LENGTH]


def theme_texts() -> str:
    """The questions and help texts of all themes, taken in turn from each theme."""
    catalogue = load_catalogue(DIALOGUES)
    per_theme = []
    for path in dialogue_paths(DIALOGUES):
        nodes = load_dialogue(path, catalogue).nodes
        per_theme.append([text for node in nodes for text in (node.text, node.help.text if node.help else "") if text])
    return " ".join(" ".join(text for text in itertools.chain(*itertools.zip_longest(*per_theme)) if text).split())


THEMES = [path.stem for path in dialogue_paths(DIALOGUES)]
ANSWERS = {"realistisch": fill(REALISTIC), "zonder treffers": fill(NOTHING), "vol ontkenningen": fill(NEGATED),
           "themateksten": fill(theme_texts())}


@lru_cache(maxsize=4096)
def plain_regex(pattern: str) -> re.Pattern[str]:
    """A pattern as the straightforward regular expression: look-behind first, case ignored."""
    words = [r"\w*".join(re.escape(piece) for piece in word.split("*")) for word in pattern.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


@pytest.mark.parametrize("theme", THEMES)
def test_every_probe_of_a_theme_on_a_long_answer_within_budget(theme: str) -> None:
    catalogue = load_catalogue(DIALOGUES)
    dialogue = load_dialogue(DIALOGUES / f"{theme}.yaml", catalogue)
    probes = [p for node in dialogue.nodes for p in node.probes] + list(dialogue.probes) + list(catalogue.probes)
    scope = Session.start(dialogue, catalogue, probes=False).namespace()
    print(f"\n{theme}: {len(probes)} probes, {sum(len(p.match) + len(p.without) for p in probes)} patterns")
    slow = []
    for name, answer in ANSWERS.items():
        choose_probes(probes, answer, scope, set(), len(probes))  # compile the patterns once
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            fired = choose_probes(probes, answer, scope, set(), len(probes))
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        index = WordIndex(answer)
        patterns = [pattern for probe in probes for pattern in probe.match + probe.without]
        searched = sum(index.may_match(pattern) for pattern in patterns)
        scans = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            for pattern in patterns:
                plain_regex(pattern).search(answer)
            scans.append((time.perf_counter() - start) * 1000)
        print(f"  {name:17s} {len(answer):,} characters: median {median:.2f} ms, fastest {min(times):.2f} ms, "
              f"{len(fired)} probes fire, {searched} of {len(patterns)} patterns searched; "
              f"one plain search per pattern: {statistics.median(scans):.2f} ms")
        if median >= BUDGET_MS:
            slow.append(f"{name}: {median:.2f} ms")
    assert not slow, f"{theme}: over the budget of {BUDGET_MS} ms: {'; '.join(slow)}"
