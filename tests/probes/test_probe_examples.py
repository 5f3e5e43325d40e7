"""Every probe listens: its example answers make it fire (and be the follow-up chosen),
its near-misses and negations leave it quiet, and its question mirrors the director's
own words. The examples are data: tests/probes/probe_examples.yaml."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from coach.session.probes import choose_probes
from conftest import ROOT
from probe_support import EXAMPLES, Home, candidates, entry, examples, homes, namespace, source_file

HOMES = homes()
SEEDS = Path(os.environ.get("COACH_SEEDS", ROOT.parent / "shared" / "seeds"))
SOURCE = re.compile(r"(\d{3}_[0-9a-f]{16}\.txt):(\d+)(?:-(\d+))?")


def cases(kind: str) -> list[tuple[Home, int]]:
    out = []
    for home in HOMES:
        for index, _ in enumerate((examples().get(home.probe.id) or {}).get(kind) or []):
            out.append((home, index))
    return out


def case_id(case: tuple[Home, int]) -> str:
    return f"{case[0].probe.id}-{case[1]}"


TRIGGERS = cases("triggers")
QUIET = cases("quiet")


def test_probe_ids_are_unique_across_all_dialogues() -> None:
    seen: dict[str, str] = {}
    for home in HOMES:
        assert home.probe.id not in seen, f"probe '{home.probe.id}' in {home.where} and in {seen[home.probe.id]}"
        seen[home.probe.id] = home.where


def test_every_probe_has_examples_and_every_example_a_probe() -> None:
    ids = {home.probe.id for home in HOMES}
    table = examples()
    missing = sorted(i for i in ids if not (table.get(i) or {}).get("triggers") or not (table.get(i) or {}).get("quiet"))
    assert not missing, f"add triggers and quiet answers to {EXAMPLES.name} for: {', '.join(missing)}"
    unknown = sorted(set(table) - ids)
    assert not unknown, f"{EXAMPLES.name} lists probes no dialogue has: {', '.join(unknown)}"
    for probe_id, entry_ in table.items():
        assert set(entry_) <= {"triggers", "quiet"}, f"{probe_id}: only 'triggers' and 'quiet'"


@pytest.mark.parametrize("case", TRIGGERS, ids=case_id)
def test_trigger_fires_first_and_mirrors_the_answer(case: tuple[Home, int]) -> None:
    home, index = case
    probe = home.probe
    answer, earlier = entry(examples()[probe.id]["triggers"][index])
    scope = namespace(home.theme, earlier)

    alone = choose_probes([probe], answer, scope, set(), 1)
    assert alone, f"'{probe.id}' ({home.where}) does not fire on: {answer}"

    pool, limit = candidates(home)
    chosen = choose_probes(pool, answer, scope, set(), limit)
    assert probe.id in [m.probe.id for m in chosen], (
        f"'{probe.id}' fires, but {[m.probe.id for m in chosen]} go first where it is asked ({home.where}): {answer}")

    match = alone[0]
    question = match.question
    assert "{{" not in question and "{%" not in question and "}}" not in question
    assert question.rstrip().endswith("?"), f"a follow-up is a question: {question}"
    assert match.fragment, "the follow-up gives back a fragment of the answer"
    assert match.fragment.rstrip(".!?") in question, f"the fragment '{match.fragment}' is quoted in: {question}"
    words = " ".join(answer.split())
    assert match.fragment.strip("…").rstrip(".!?") in words, "the fragment is the director's own words"


@pytest.mark.parametrize("case", QUIET, ids=case_id)
def test_quiet_answer_leaves_the_probe_alone(case: tuple[Home, int]) -> None:
    home, index = case
    probe = home.probe
    answer, earlier = entry(examples()[probe.id]["quiet"][index])
    fired = choose_probes([probe], answer, namespace(home.theme, earlier), set(), 1)
    assert not fired, f"'{probe.id}' ({home.where}) should stay quiet on: {answer} (it quoted '{fired[0].fragment}')"


@pytest.mark.parametrize("home", HOMES, ids=lambda h: h.probe.id)
def test_every_probe_mirrors_and_names_its_source(home: Home) -> None:
    probe = home.probe
    assert "{{ fragment" in probe.ask, f"'{probe.id}' gives back the director's words ({{{{ fragment }}}})"
    assert probe.help, f"'{probe.id}' has a short help text (the toelichting shown with the follow-up)"
    lines = source_file(probe).read_text(encoding="utf-8").splitlines()
    comment: list[str] = []
    number = probe.line - 2  # the line above "- id:"
    while number >= 0 and lines[number].strip().startswith("#"):
        comment.insert(0, lines[number])
        number -= 1
    refs = SOURCE.findall(" ".join(comment))
    assert refs, f"{source_file(probe).name}:{probe.line}: '{probe.id}' has a comment naming its source passage (file:line)"
    if not SEEDS.is_dir():
        return
    for name, first, last in refs:
        seed = SEEDS / name
        assert seed.is_file(), f"'{probe.id}' names {name}, which is not in {SEEDS}"
        length = len(seed.read_text(encoding="utf-8").splitlines())
        assert 1 <= int(first) <= int(last or first) <= length, f"'{probe.id}': {name}:{first}-{last} is outside the file"
