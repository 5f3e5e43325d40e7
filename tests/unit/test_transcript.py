"""Transcripts: exact round trips, private files, atomic replace, integrity, streams."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from coach.errors import TranscriptError
from coach.session import transcript
from coach.session.session import Session

TRICKY = ["no", "yes", "on", "1.0", "2024-01-01", "0x1F", "~", "null", "😀 emoji", "---", "# geen commentaar",
          "a: b", "'quoted'", '"dubbel"', "  voorloopspaties", "regel\nnog een regel", "tab\tin tekst", "…"]


def finished_session(example, path: Path, text: str) -> Session:  # type: ignore[no-untyped-def]
    session = Session.start(*example, path=path, probes=False)
    session.acknowledge()
    for value in (["Dementiezorg"], "afhoudend", 4, {"now": 3, "desired": 3}, text):
        session.answer(value)
    return session


@pytest.mark.parametrize("text", TRICKY)
def test_round_trip_is_exact(example, home: Path, text: str) -> None:
    path = home / "s.yaml"
    finished_session(example, path, text)
    loaded = transcript.load(path)
    stap = next(a for a in loaded["answers"] if a["question"] == "stap")
    assert stap["value"] == text.strip()


def test_lone_surrogate_is_replaced_and_noted(example, home: Path) -> None:
    path = home / "s.yaml"
    finished_session(example, path, "kapot \udc80 teken")
    loaded = transcript.load(path)
    event = next(e for e in loaded["events"] if e.get("question") == "stap" and e["type"] == "answer")
    assert event["value"] == "kapot \ufffd teken" and "vervangen" in event["replaced"]


def test_file_is_private_and_a_yaml_document(example, home: Path) -> None:
    path = home / "sessions" / "s.yaml"
    finished_session(example, path, "Bellen")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n") and text.endswith("\n")


def test_failing_replace_leaves_the_old_file(example, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "s.yaml"
    session = Session.start(*example, path=path, probes=False)
    session.acknowledge()
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(TranscriptError, match="No space left on device"):
        session.answer(["Dementiezorg"])
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["s.yaml"], "no temp file left behind"
    assert session.current.node is not None and session.current.node.id == "opgaven", "the question stays"
    monkeypatch.undo()
    session.answer(["Dementiezorg"])
    assert transcript.load(path)["position"]["node"] == "positie"


def test_truncated_file_is_detected(example, home: Path) -> None:
    path = home / "s.yaml"
    finished_session(example, path, "Bellen")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2].rsplit("\n- ", 1)[0] + "\n", encoding="utf-8")
    with pytest.raises(TranscriptError):
        transcript.load(path)


def test_edited_answer_is_detected(example, home: Path) -> None:
    path = home / "s.yaml"
    finished_session(example, path, "Bellen met de wethouder")
    path.write_text(path.read_text(encoding="utf-8").replace("Bellen met de wethouder", "Mailen"), encoding="utf-8")
    with pytest.raises(TranscriptError, match="controlesom"):
        transcript.load(path)


def test_newer_schema_is_refused_with_the_version(home: Path) -> None:
    path = home / "s.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("---\nschema: 7\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match="schema 7"):
        transcript.load(path)


def test_concatenated_files_are_a_stream(example, home: Path) -> None:
    a, b = home / "a.yaml", home / "b.yaml"
    finished_session(example, a, "Eerste")
    finished_session(example, b, "Tweede")
    stream = a.read_text(encoding="utf-8") + b.read_text(encoding="utf-8")
    documents = list(transcript.iter_documents(stream, "<stdin>"))
    assert [n for n, _ in documents] == [1, 2]
    for _, document in documents:
        transcript.check_document(document, "<stdin>")


def test_python_tag_never_runs(home: Path) -> None:
    path = home / "s.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("--- !!python/object/apply:os.system ['touch /tmp/pwned-coach']\n", encoding="utf-8")
    with pytest.raises(TranscriptError):
        transcript.load(path)
    assert not Path("/tmp/pwned-coach").exists()
