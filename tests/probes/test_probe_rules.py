"""How follow-ups behave in a session with the shipped themes: never the same one twice,
at most the allowed number per answer, a skipped one recorded, and all of it kept in the
transcript and read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.engine.library import load_dialogue
from coach.engine.model import Node
from coach.session import transcript
from coach.session.headless import run_headless
from coach.session.probes import choose_probes
from coach.session.session import Session
from conftest import DATA
from probe_support import catalogue, dialogue, entry, examples, namespace, node_candidates, text_nodes, themes

# An answer that touches many probes at once: imposed, trust missing, money, doubt, ...
RICH = ("We moeten wel meedoen, de gemeente wil het. Er is weinig vertrouwen en veel gedoe "
        "over de financiering, en misschien haakt de ggz af. De voorzitter valt terug op harde "
        "doelen, ik zit aan te veel tafels en de cijfers gaan achteraf naar de raad.")


def simple_value(node: Node) -> Any:
    """A valid answer for any asking node, text gets the rich answer."""
    if node.type == "text":
        return RICH
    if node.type == "choice":
        return node.options[0].value
    if node.type == "multichoice":
        return [node.options[0].value]
    if node.type == "scale":
        return node.max
    if node.type == "polarity":
        return {part: (node.min if part == "now" else node.max) for part in node.ask}
    if node.type == "list":
        return ["Dementiezorg", "Wonen en zorg"]
    raise AssertionError(node.type)


def walk(theme: str, path: Path | None = None, probe_answer: str | None = "Daar denk ik nog over na.") -> Session:
    """Answer every question; every follow-up answered (or skipped when probe_answer is None)."""
    session = Session.start(dialogue(theme), catalogue(), path=path, probes=True)
    for _ in range(2_000):
        step = session.current
        if step.kind == "end":
            return session
        if step.kind == "info":
            session.acknowledge()
        elif step.kind == "probe":
            session.skip_probe() if probe_answer is None else session.answer_probe(probe_answer)
        else:
            assert step.node is not None
            session.answer(simple_value(step.node))
            if step.node.type == "text":
                assert len(session.pending_probes) <= step.node.max_probes, (
                    f"{theme}: '{step.node.id}' asks {len(session.pending_probes)} follow-ups, at most {step.node.max_probes}")
    raise AssertionError(f"{theme}: no end")


@pytest.mark.parametrize("theme", themes())
def test_a_probe_is_never_asked_twice_in_a_session(theme: str) -> None:
    session = walk(theme)
    asked = [e["probe"] for e in session.events if e["type"] == "probe_asked"]
    assert asked, "the rich answer draws follow-ups"
    assert len(asked) == len(set(asked)), f"asked twice: {sorted({p for p in asked if asked.count(p) > 1})}"
    logged = [entry["probe"] for entry in session.probe_log]
    assert logged == asked, "every follow-up asked is answered or skipped, in order"
    texts = [node.id for node in text_nodes(theme)]
    answered = [key for key in session.answers if key[0] in texts]
    assert len(asked) <= len(answered), "at most one follow-up per text answer"


def test_asked_probes_are_passed_over_for_the_next_one() -> None:
    pool = list(dialogue("netwerkdip").probes) + list(catalogue().probes)
    scope = namespace("netwerkdip")
    first = choose_probes(pool, RICH, scope, set(), 1)
    second = choose_probes(pool, RICH, scope, {first[0].probe.id}, 1)
    assert first and second and first[0].probe.id != second[0].probe.id
    everything = choose_probes(pool, RICH, scope, set(), len(pool))
    assert [m.probe.id for m in everything][:2] == [first[0].probe.id, second[0].probe.id], "highest priority first"
    priorities = [m.probe.priority for m in everything]
    assert priorities == sorted(priorities, reverse=True)


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_never_more_than_the_limit(limit: int) -> None:
    pool = list(dialogue("positionering").probes) + list(catalogue().probes)
    chosen = choose_probes(pool, RICH, namespace("positionering"), set(), limit)
    assert len(chosen) == limit


def test_max_probes_on_a_question_allows_more(tmp_path: Path) -> None:
    path = tmp_path / "twee.yaml"
    path.write_text(
        "format: 1\nid: twee\ntitle: Twee\nversion: '1'\nintro: Twee vervolgvragen.\n"
        "perspectives: [onze-samenwerking]\nnodes:\n"
        "  - {id: een, type: text, text: Hoe gaat het?, max_probes: 2}\n"
        "  - {id: twee, type: text, text: En nu?}\n"
        "probes: []\n", encoding="utf-8")
    session = Session.start(load_dialogue(path, catalogue()), catalogue(), probes=True)
    session.answer(RICH)
    assert len(session.pending_probes) == 2, "max_probes: 2 asks two follow-ups"
    first, second = (m.probe.id for m in session.pending_probes)
    session.answer_probe("Een antwoord.")
    assert session.current.kind == "probe" and session.current.probe.probe.id == second
    session.skip_probe()
    session.answer(RICH)
    assert len(session.pending_probes) == 1, "the next question asks one, and not the ones asked before"
    assert session.pending_probes[0].probe.id not in {first, second}


def test_excluded_probes_stay_off_that_question_only(tmp_path: Path) -> None:
    """A question can keep a shared or dialogue-wide follow-up off (one that would ask
    what the question itself, or the next, asks); the next question still gets it."""
    path = tmp_path / "uitgesloten.yaml"
    path.write_text(
        "format: 1\nid: uitgesloten\ntitle: Uitgesloten\nversion: '1'\nintro: Twee vragen.\n"
        "perspectives: [onze-samenwerking]\nnodes:\n"
        "  - {id: een, type: text, text: Hoe is het ontstaan?, exclude_probes: [opgelegd]}\n"
        "  - {id: twee, type: text, text: En nu?}\n"
        "probes: []\n", encoding="utf-8")
    imposed = "De gemeente wil dat we samen één loket vormen, dus we moeten wel meedoen."
    session = Session.start(load_dialogue(path, catalogue()), catalogue(), probes=True)
    session.answer(imposed)
    assert "opgelegd" not in [m.probe.id for m in session.pending_probes]
    for _ in session.pending_probes[:]:
        session.skip_probe()
    session.answer(imposed)
    assert "opgelegd" in [m.probe.id for m in session.pending_probes]


@pytest.mark.parametrize("theme", themes())
def test_excluded_probes_do_not_follow_their_questions(theme: str) -> None:
    """Each exclusion in the shipped themes keeps off a probe that would otherwise fire on
    that question's typical answers (no stale exclusions), and the session leaves it out."""
    d = dialogue(theme)
    session = Session.start(d, catalogue(), probes=True)
    for node in d.nodes:
        everything = list(node.probes) + list(d.probes) + list(catalogue().probes)
        for probe_id in node.exclude_probes:
            triggers = examples().get(probe_id, {}).get("triggers", [])
            assert triggers, f"'{probe_id}' has examples"
            fired_somewhere = False
            for example in triggers:
                answer, answers = entry(example)
                scope = namespace(theme, answers)
                fired_somewhere |= probe_id in [m.probe.id for m in choose_probes(everything, answer, scope, set(),
                                                                                   len(everything))]
                chosen = session._probes_for(node, None, answer)
                assert probe_id not in [m.probe.id for m in chosen], f"{theme}.{node.id} keeps '{probe_id}' off"
                assert probe_id not in [p.id for p in node_candidates(theme, node.id)]
            assert fired_somewhere, f"{theme}.{node.id}: '{probe_id}' would not fire anyway; the exclusion is stale"


def test_skipped_follow_up_is_recorded(tmp_path: Path) -> None:
    session = Session.start(dialogue("netwerkdip"), catalogue(), probes=True)
    session.answer("Zorgnetwerk West: het ziekenhuis, de huisartsen en de gemeente. Er is weinig vertrouwen.")
    step = session.current
    assert step.kind == "probe" and step.probe is not None
    assert step.probe.probe.id == "vertrouwen_ontbreekt"
    assert "weinig vertrouwen" in step.text
    session.skip_probe()
    assert len(session.probe_log) == 1
    expected = {
        "question": "netwerk", "item": None, "probe": "vertrouwen_ontbreekt", "matched": "weinig vertrouwen",
        "fragment": step.probe.fragment, "text": step.text, "value": None, "skipped": True,
        "model": "vertrouwensparadox",
    }
    assert {k: session.probe_log[0].get(k) for k in expected} == expected
    kinds = [e["type"] for e in session.events]
    assert kinds[-2:] == ["probe_asked", "probe_skipped"]
    assert session.events[-1]["probe"] == "vertrouwen_ontbreekt"
    assert session.current.kind == "question" and session.current.node.id == "verloop", "on to the next question"


def test_transcript_keeps_follow_ups_and_reads_back(home: Path) -> None:
    path = home / "sessie.yaml"
    session = walk("positionering", path=path)
    assert session.probe_log and all(not e["skipped"] for e in session.probe_log)
    document = transcript.load(path)
    assert document["probes"] == session.probe_log
    again = Session.resume(document, dialogue("positionering"), catalogue(), path=path)
    assert again.probe_log == session.probe_log
    assert again.to_document()["probes"] == session.to_document()["probes"]
    assert [e for e in again.events if e["type"].startswith("probe")] == [
        e for e in session.events if e["type"].startswith("probe")]
    assert again.summary is not None
    followups = [f for section in again.summary["sections"] if section["kind"] == "list"
                 for group in section["groups"] for f in group["followups"]]
    assert followups, "the summary shows the follow-ups with their answers"


def test_pending_follow_up_survives_a_pause(home: Path) -> None:
    path = home / "pauze.yaml"
    session = Session.start(dialogue("netwerkdip"), catalogue(), path=path, probes=True)
    session.answer("Het netwerk is ons opgelegd door de zorgverzekeraar.")
    asked = session.current
    assert asked.kind == "probe"
    session.pause()
    again = Session.resume(transcript.load(path), dialogue("netwerkdip"), catalogue(), path=path)
    assert again.current.kind == "probe" and again.current.text == asked.text
    again.answer_probe("De verzekeraar, eigenlijk.")
    assert again.probe_log[-1]["value"] == "De verzekeraar, eigenlijk."
    assert again.probe_log[-1]["probe"] == "opgelegd"


ANSWERS_WITH_PROBES = [p for p in sorted((DATA / "answers").glob("*.yaml")) if "probes:" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", ANSWERS_WITH_PROBES, ids=[p.stem for p in ANSWERS_WITH_PROBES])
def test_probe_answers_in_answers_files_are_asked_and_kept(path: Path) -> None:
    theme = next(t for t in sorted(themes(), key=len, reverse=True) if path.stem.startswith(t + "-"))
    given = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))  # noqa: S506
    session = run_headless(dialogue(theme), catalogue(), given, str(path), probes=True)
    expected = {(question, probe): text for question, value in given.items() if isinstance(value, dict) and "probes" in value
                for probe, text in (value["probes"] or {}).items()}
    kept = {(e["question"], e["probe"]): e["value"] for e in session.probe_log if not e["skipped"]}
    assert kept == expected, "every probe answer in the file belongs to a follow-up that is asked there"
    assert all(e["skipped"] for e in session.probe_log if (e["question"], e["probe"]) not in expected)


def test_every_theme_with_probes_of_its_own_has_an_answers_file_with_probe_answers() -> None:
    covered = {next(t for t in sorted(themes(), key=len, reverse=True) if p.stem.startswith(t + "-")) for p in ANSWERS_WITH_PROBES}
    own = {t for t in themes() if dialogue(t).probes or any(n.probes for n in dialogue(t).nodes)}
    assert own <= covered, f"add probe answers to an answers file of: {', '.join(sorted(own - covered))}"


@pytest.mark.parametrize("theme", ["positionering", "netwerkdip", "netwerkleiderschap", "ego-eco-governance"])
def test_the_four_themes_have_at_least_eight_probes_of_their_own(theme: str) -> None:
    d = dialogue(theme)
    own = list(d.probes) + [p for n in d.nodes for p in n.probes]
    assert len(own) >= 8, f"{theme} has {len(own)} probes of its own"
