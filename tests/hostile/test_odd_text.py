"""Text that is not text: each gets a clear message or is handled, and the transcript stays loadable."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, run_coach

from coach.errors import AnswerError
from coach.session import transcript
from coach.session.answers import MAX_LIST_ITEMS, MAX_TEXT_CHARS
from coach.session.session import Session


def at(session: Session, node_id: str) -> Session:
    """Walk the example to ``node_id`` with plain answers."""
    script: dict[str, Any] = {"opgaven": ["Dementiezorg"], "positie": "actief", "overwegingen": [], "energie": 1,
                              "waarom_weinig": "Veel", "spanning": {"now": 1, "desired": 2}}
    if session.current.kind == "info":
        session.acknowledge()
    while session.current.node is not None and session.current.node.id != node_id:
        session.answer(script[session.current.node.id])
    return session


def refused_quickly(session: Session, value: Any, words: str) -> None:
    before = session.path.read_bytes() if session.path else b""
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(AnswerError) as caught:
        session.answer(value)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert seconds < 1.0, f"{seconds:.2f} s"
    assert peak < 50_000_000, f"{peak / 1e6:.0f} MB beyond the value itself"
    if session.path:
        assert session.path.read_bytes() == before, "nothing written"
        transcript.load(session.path)


def test_a_10_mb_answer_is_refused_with_the_limit(example, home: Path) -> None:
    session = at(Session.start(*example, path=home / "s.yaml"), "waarom_weinig")
    refused_quickly(session, "x" * 10_000_000, f"het antwoord is 10000000 tekens lang; het maximum is {MAX_TEXT_CHARS}")
    session.answer("Korter")
    assert transcript.load(home / "s.yaml")["answers"][-1]["value"] == "Korter"


def test_100_000_list_items_are_refused_with_the_limit(example, home: Path) -> None:
    session = at(Session.start(*example, path=home / "s.yaml"), "opgaven")
    refused_quickly(session, [f"opgave {i}" for i in range(100_000)], f"het maximum is {MAX_LIST_ITEMS}")


def test_100_000_choices_are_refused_with_the_limit(example, home: Path) -> None:
    session = at(Session.start(*example, path=home / "s.yaml"), "overwegingen")
    refused_quickly(session, ["regio"] * 100_000, f"het maximum is {MAX_LIST_ITEMS}")


def test_a_huge_number_is_refused(example, home: Path) -> None:
    session = at(Session.start(*example, path=home / "s.yaml"), "energie")
    refused_quickly(session, 10**5000, "verwacht een geheel getal van 1 tot en met 5")
    refused_quickly(session, "9" * 5000, "verwacht een geheel getal van 1 tot en met 5")
    refused_quickly(session, float("nan"), "verwacht een geheel getal")


@pytest.mark.parametrize("odd", ["kapot \udc80 teken", "nul\x00byte", "\ud83d alleen een halve emoji"])
def test_text_yaml_cannot_hold_is_replaced_and_noted(example, home: Path, odd: str) -> None:
    session = at(Session.start(*example, path=home / "s.yaml"), "waarom_weinig")
    session.answer(odd)
    document = transcript.load(home / "s.yaml")
    stored = document["answers"][-1]["value"] if document["answers"][-1]["question"] == "waarom_weinig" else \
        next(a["value"] for a in document["answers"] if a["question"] == "waarom_weinig")
    assert "\ufffd" in stored and "\x00" not in stored
    event = next(e for e in document["events"] if e.get("question") == "waarom_weinig" and e["type"] == "answer")
    assert "vervangen" in event["replaced"]


def test_names_and_group_that_are_not_text_are_stored_as_replacement(example, home: Path) -> None:
    session = Session.start(*example, path=home / "s.yaml", participant={"name": "Jan \udcff"}, group="RvT \udcfe")
    session.set_note("notitie \udc80")
    document = transcript.load(home / "s.yaml")
    assert document["participant"]["name"] == "Jan \ufffd" and document["group"] == "RvT \ufffd"
    assert document["coach_notes"]["session"] == "notitie \ufffd"


def test_start_with_a_name_that_is_not_utf8(home: Path) -> None:
    """Arguments are decoded with surrogateescape: a Latin-1 name must not crash the first save."""
    import os
    import subprocess
    import sys

    from conftest import ROOT, coach_env

    result = subprocess.run([sys.executable, "-m", "coach", "start", "example", b"--name".decode(),
                             os.fsdecode(b"Jos\xe9")], input=b"", capture_output=True,
                            env=coach_env(home, COACH_DIALOGUES=str(DATA)), cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    (saved,) = (home / "sessions").glob("*.yaml")
    assert transcript.load(saved)["participant"]["name"] == "Jos\ufffd"


def test_invalid_utf8_in_a_transcript_is_named_with_its_line(example, home: Path) -> None:
    path = home / "sessions" / "s.yaml"
    at(Session.start(*example, path=path), "energie")
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Dementiezorg", b"Dementie\xffzorg", 1))
    line = data[: data.index(b"Dementiezorg")].count(b"\n") + 1
    result = run_coach(home, "resume", "s", COACH_DIALOGUES=str(DATA))
    assert result.returncode == 1 and f"s.yaml:{line}: verwacht UTF-8-tekst" in result.stderr
