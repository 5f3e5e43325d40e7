"""Matching every probe of a theme against a 10,000-character answer takes under 5 ms.

Every probe a theme can ask (its questions' own, the theme's and the shared ones of
dialogues/probes.yaml) is matched with no limit, so none is skipped, against three
answers of 10,000 characters: a realistic one (a director's paragraphs, repeated), one
that matches nothing (every pattern scans the whole text), and one full of negated
matches ("geen vertrouwen", "niet opgelegd": every match looks back for a negation).
Run: `pytest tests/benchmarks/test_probe_speed.py -s` (it prints the figures). Next to each
figure it prints what one plain search of every pattern costs, to show where the time goes:
each pattern is its own regular expression, starting with a look-behind, that scans the
whole answer.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from coach.engine.library import dialogue_paths, load_catalogue, load_dialogue
from coach.engine.patterns import pattern_regex
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


ANSWERS = {"realistisch": fill(REALISTIC), "zonder treffers": fill(NOTHING), "vol ontkenningen": fill(NEGATED)}
THEMES = [path.stem for path in dialogue_paths(DIALOGUES)]


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
        scans = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            for probe in probes:
                for pattern in probe.match + probe.without:
                    pattern_regex(pattern).search(answer)
            scans.append((time.perf_counter() - start) * 1000)
        print(f"  {name:17s} {len(answer):,} characters: median {median:.2f} ms, fastest {min(times):.2f} ms, "
              f"{len(fired)} probes fire; one search per pattern alone: {statistics.median(scans):.2f} ms")
        if median >= BUDGET_MS:
            slow.append(f"{name}: {median:.2f} ms")
    assert not slow, f"{theme}: over the budget of {BUDGET_MS} ms: {'; '.join(slow)}"
