"""Transcripts for report tests, made with the example dialogue (tests/data/example.yaml).

The test modules here import these helpers and fixtures (a conftest.py here would shadow
the top-level one that other tests import as `conftest`).

The example uses every section kind (table, profile, polarities, list) and a follow-up,
so one small dialogue covers every part of a report. Transcripts are made in-process
with ``run_headless`` (fast), with a fixed session id and the clock fixed by COACH_NOW,
so the same answers always give the same file.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, EXAMPLE

NOW = "2026-11-23T20:15:00+00:00"

CALM: dict[str, Any] = {
    "opgaven": ["Dementiezorg", "Wonen"],
    "positie": {"Dementiezorg": "proactief", "Wonen": "actief"},
    "overwegingen": {"Dementiezorg": ["regio", "missie"], "Wonen": []},
    "energie": 2,
    "waarom_weinig": {"answer": "We moeten wel meedoen.", "probes": {"moeten": "De wethouder vraagt het."}},
    "spanning": {"now": 1, "desired": 4},
    "stap": "Ik bel morgen de wethouder.",
}

# Four members of one board: different answers, so the group report has something to compare.
BOARD: list[tuple[str | None, str | None, dict[str, Any]]] = [
    ("Anna de Vries", "Zorggroep Oost", CALM),
    ("Bram Jansen", "Thuiszorg West", {
        "opgaven": ["Dementiezorg", "Arbeidsmarkt", "Wonen"],
        "positie": {"Dementiezorg": "actief", "Arbeidsmarkt": "afhoudend", "Wonen": "actief"},
        "overwegingen": {"Dementiezorg": ["missie"], "Wonen": ["regio", "yes"]},
        "energie": 4,
        "spanning": {"now": 3, "desired": 3},
        "stap": "Eerst met de raad praten.\nDaarna de partners.",
    }),
    (None, None, {
        "opgaven": ["Wonen"],
        "positie": {"Wonen": "proactief"},
        "overwegingen": {"Wonen": ["missie"]},
        "energie": 1,
        "waarom_weinig": "Te veel overleg, te weinig resultaat.",
        "spanning": {"now": 2, "desired": 5},
        "stap": "~skip",
    }),
    ("Dilan Yilmaz", "GGZ Midden", {
        "opgaven": ["Arbeidsmarkt"],
        "positie": {"Arbeidsmarkt": "proactief"},
        "overwegingen": {"Arbeidsmarkt": ["regio", "missie", "yes"]},
        "energie": 5,
        "spanning": {"now": 4, "desired": 4},
        "stap": "Een kopgroep vormen.",
    }),
]


def make_session(answers: dict[str, Any], *, name: str | None = None, organisation: str | None = None,
                 group: str | None = None, number: int = 0, notes: dict[str | None, str] | None = None,
                 dialogue_path: Path = EXAMPLE) -> Any:
    """A finished session of the example dialogue (or another one) from an answers mapping."""
    from coach.engine.library import load_catalogue, load_dialogue
    from coach.session.headless import run_headless

    catalogue = load_catalogue(DATA)
    dialogue = load_dialogue(dialogue_path, catalogue)
    session = run_headless(dialogue, catalogue, copy.deepcopy(answers), "answers")
    session.session_id = f"20261123-201500-{dialogue.id}-{number:04d}"
    session.participant.update(name=name, organisation=organisation)
    session.group = group
    for question, text in (notes or {}).items():
        session.set_note(text, question=question)
    return session


def as_yaml(session: Any) -> str:
    """The sealed transcript of a session, as `coach run` writes it."""
    from coach.session import transcript

    return transcript.dump_yaml(transcript.seal(session.to_document()))


@pytest.fixture
def transcript_text(home: Path) -> Callable[..., str]:
    """make(answers, **options) -> the YAML text of a finished transcript (clock fixed by `home`)."""

    def make(answers: dict[str, Any] = CALM, **options: Any) -> str:
        return as_yaml(make_session(answers, **options))

    return make


@pytest.fixture
def board(home: Path, tmp_path: Path) -> list[Path]:
    """Four transcripts of one theme, as files a-d.yaml (two named, one without a name)."""
    paths = []
    for number, (name, organisation, answers) in enumerate(BOARD):
        path = tmp_path / f"{'abcd'[number]}.yaml"
        path.write_text(as_yaml(make_session(answers, name=name, organisation=organisation, group="bestuur",
                                             number=number)), encoding="utf-8")
        paths.append(path)
    return paths
