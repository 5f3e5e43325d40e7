"""Loading, validating and building a dialogue of 1,000 nodes stays under 50 ms, linearly.

The generated dialogue is shaped like the real ones: mostly questions of every type,
one in five with a route expression, a loop of a few questions, templates that quote
earlier answers now and then. Run: `pytest tests/benchmarks/test_build_speed.py -s`.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from coach.engine.library import load_dialogue
from coach.engine.machine import build_machine

BUDGET_MS = 50.0
MAX_GROWTH = 5.0


def generate(count: int) -> str:
    """A valid dialogue of ``count`` nodes as YAML text."""
    lines = ["format: 1", "id: gen", "title: Gegenereerd", "version: '1'", "intro: Test.", "perspectives: [x]", "nodes:",
             "  - {id: items, type: list, text: Noem een paar dingen.}",
             "  - id: lus", "    type: loop", "    over: items", "    nodes:",
             "      - {id: in_a, type: choice, text: 'Hoe zit het met {{ item }}?', options: [{value: a, label: A}, {value: b, label: B}],"
             " routes: [{when: \"answers.in_a[item] == 'b'\", to: next_item}]}",
             "      - {id: in_b, type: scale, text: Hoeveel?, labels: {min: weinig, max: veel}}"]
    for i in range(count - 4):
        kind = ("text", "choice", "scale", "polarity", "multichoice")[i % 5]
        base = f"  - {{id: q{i}, type: {kind}, text: 'Vraag {i}"
        base += " (je noemde {{ joined(answers.items) }})'" if i % 7 == 0 else "'"
        if kind in ("choice", "multichoice"):
            base += ", options: [{value: a, label: A}, {value: b, label: B}]"
        if kind == "scale":
            base += ", labels: {min: laag, max: hoog}"
        if kind == "polarity":
            base += ", poles: {left: links, right: rechts}"
        if i % 5 == 2 and i + 2 < count - 4:
            base += f", routes: [{{when: 'answers.q{i} is not none and answers.q{i} <= 2', to: q{i + 2}}}]"
        lines.append(base + "}")
    return "\n".join(lines) + "\n"


def measure(path: Path, cached: bool, rounds: int = 7) -> float:
    """Median milliseconds to load, validate (or take from the cache) and build."""
    from coach.engine import expressions

    times = []
    for _ in range(rounds):
        expressions.compiled_expression.cache_clear()
        expressions.compiled_template.cache_clear()
        start = time.perf_counter()
        build_machine(load_dialogue(path, None, use_cache=cached))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def test_thousand_nodes_within_budget_and_linear(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COACH_CACHE", str(tmp_path / "cache"))
    cold: dict[int, float] = {}
    warm: dict[int, float] = {}
    for count in (250, 1000):
        path = tmp_path / str(count) / "gen.yaml"
        path.parent.mkdir()
        path.write_text(generate(count), encoding="utf-8")
        measure(path, cached=False, rounds=2)  # warm imports
        cold[count] = measure(path, cached=False)
        load_dialogue(path, None)  # validates once and fills the cache
        warm[count] = measure(path, cached=True)
    for name, results in (("validated from scratch", cold), ("unchanged file (cache)", warm)):
        growth = results[1000] / results[250]
        print(f"\n{name}: 250 nodes {results[250]:.1f} ms; 1,000 nodes {results[1000]:.1f} ms; growth {growth:.2f}x")
        assert growth <= MAX_GROWTH, name
    assert warm[1000] < BUDGET_MS
