"""An insight names the answers it rests on: every text answer an insight quotes is in its
``rests_on``. Checked on the summary of every answers file in tests/data/answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.engine.library import load_catalogue, load_dialogue
from coach.session.headless import run_headless
from conftest import DATA, DIALOGUES
from test_themes import ANSWERS, theme_of

# quote() keeps the first words of an answer (12 unless a template asks fewer, never fewer
# than this here), and templates may trim its last full stop: the first PREFIX words,
# without a closing full stop, are in the insight's text whenever the answer is quoted.
PREFIX = 5
# Shorter answers ("Ja.", "Geen idee") could stand in an insight's own words by chance.
SHORTEST = 3


def _normal(text: str) -> str:
    return " ".join(text.split())


def opening(answer: str) -> str | None:
    """The words every quote of ``answer`` starts with, or None for an answer too short to tell."""
    words = answer.split()
    if len(words) < SHORTEST:
        return None
    return " ".join(words[:PREFIX]).rstrip(".!?")


def text_answers(session: Any) -> dict[tuple[str, str | None], str]:
    """(question, item) -> answer, for every text answer given (not skipped)."""
    out = {}
    for (question, item), stored in session.answers.items():
        node = session.dialogue.node(question)
        if node.type == "text" and not stored.skipped and isinstance(stored.value, str):
            out[(question, item)] = stored.value
    return out


def quoted_outside_rests_on(session: Any) -> list[str]:
    """Every (insight, answer) where the insight's text quotes an answer not in its rests_on."""
    answers = text_answers(session)
    problems = []
    for insight in session.summary["insights"]:
        text = _normal(insight["text"])
        rests = {(r["question"], r["item"]) for r in insight["rests_on"]}
        for key, answer in answers.items():
            start = opening(answer)
            if start and start in text and key not in rests:
                where = f"{key[0]}[{key[1]}]" if key[1] is not None else key[0]
                problems.append(f"{insight['id']} quotes {where} ({start!r}…) but does not rest on it")
    return problems


@pytest.fixture(scope="module")
def catalogue():  # type: ignore[no-untyped-def]
    return load_catalogue(DIALOGUES)


def summarised(path: Path, catalogue: Any) -> Any:
    dialogue = load_dialogue(DIALOGUES / f"{theme_of(path)}.yaml", catalogue)
    given = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))  # noqa: S506
    session = run_headless(dialogue, catalogue, given, str(path), probes=False)
    assert session.summary is not None
    return session


@pytest.mark.parametrize("path", ANSWERS, ids=[p.stem for p in ANSWERS])
def test_every_quoted_answer_is_in_rests_on(path: Path, catalogue: Any) -> None:
    session = summarised(path, catalogue)
    problems = quoted_outside_rests_on(session)
    assert not problems, "\n".join(problems)


def test_the_check_sees_quotes() -> None:
    """The check is not vacuous: across the answers files, insights do quote text answers
    (so dropping one from its rests_on would be caught)."""
    catalogue = load_catalogue(DIALOGUES)
    quoted = 0
    for path in ANSWERS:
        session = summarised(path, catalogue)
        answers = text_answers(session)
        for insight in session.summary["insights"]:
            text = _normal(insight["text"])
            quoted += sum(1 for answer in answers.values() if (start := opening(answer)) and start in text)
    assert quoted >= 10, f"only {quoted} quoted answers found in insights: the check would see little"


def test_a_quote_without_its_rests_on_entry_is_caught(catalogue: Any) -> None:
    """Take a summary whose insight quotes an answer, drop that answer from its rests_on:
    the check names it."""
    path = DATA / "answers" / "netwerkleiderschap-weinig_aandacht_koers.yaml"
    session = summarised(path, catalogue)
    assert not quoted_outside_rests_on(session)
    insight = next(i for i in session.summary["insights"] if i["id"] == "weinig_aandacht_koers")
    insight["rests_on"] = [r for r in insight["rests_on"] if r["question"] != "strateeg_dieper"]
    assert quoted_outside_rests_on(session) == [
        "weinig_aandacht_koers quotes strateeg_dieper ('Iedere partner heeft het druk'…) but does not rest on it"
    ]
