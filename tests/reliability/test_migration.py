"""Upgrades: older schemas go through ``transcript.MIGRATIONS``; newer ones are refused by name.

Schema 0 is the pre-release shape (never shipped), defined to prove the mechanism:
``log`` where schema 1 has ``events``; a top-level ``checksum`` (sha256 over the
canonical JSON of every other key) instead of the ``integrity`` block; and no
``group``, ``visited``, ``pending_probes``, ``aside``, ``probes``, ``coach_notes`` or
``summary``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, run_coach

from coach.session import transcript
from coach.session.session import Session

SCHEMA_0_ONLY = ("group", "visited", "pending_probes", "aside", "probes", "coach_notes", "summary", "integrity")


def as_schema_0(document: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 document rewritten in the pre-release shape."""
    old = {key: value for key, value in document.items() if key not in SCHEMA_0_ONLY}
    old["schema"] = 0
    old["log"] = old.pop("events")
    old["checksum"] = transcript.content_checksum(old)
    return old


@pytest.fixture
def schema_0(example, home: Path) -> Path:
    """A transcript of schema 0, half-way the example, in the sessions folder."""
    path = home / "sessions" / "20261123-201500-example-0000.yaml"
    session = Session.start(*example, path=path, session_id=path.stem)
    session.acknowledge()
    session.answer(["Dementiezorg", "Wonen"])
    session.answer("actief")
    path.write_text(transcript.dump_yaml(as_schema_0(transcript.load(path))), encoding="utf-8")
    return path


def test_schema_0_is_read_through_the_migration_table(schema_0: Path) -> None:
    original = schema_0.read_bytes()
    document = transcript.load(schema_0)
    assert document["schema"] == transcript.SCHEMA == 1
    assert document["events"][-1]["type"] == "migrated" and document["events"][-1]["from"] == 0
    assert document["visited"] == [] and document["aside"] == [] and document["coach_notes"]["questions"] == []
    transcript.check_document(document, "x")  # sealed: a valid schema-1 document
    assert schema_0.read_bytes() == original, "reading alone changes nothing on disk"
    assert not transcript.backup_path(schema_0, 0).exists()


def test_resume_upgrades_the_file_and_keeps_the_original(schema_0: Path, home: Path) -> None:
    original = schema_0.read_bytes()
    result = run_coach(home, "resume", schema_0.stem, input="2\n", COACH_DIALOGUES=str(DATA))
    assert result.returncode == 0, result.stderr
    assert "Wat weegt mee bij Dementiezorg" in result.stdout, "goes on where it stood"
    backup = schema_0.with_name(f"{schema_0.stem}.schema0.bak")
    assert backup.read_bytes() == original, "the original is kept beside it"
    upgraded = transcript.load(schema_0)
    assert upgraded["schema"] == 1 and "integrity" in upgraded.keys() and "log" not in upgraded
    assert upgraded["answers"][-1]["value"] == ["missie"], "and the new answer is saved in schema 1"
    listing = run_coach(home, "sessions")
    assert len(listing.stdout.splitlines()) == 1, "the backup is not listed as a session"


def test_damaged_schema_0_is_refused(schema_0: Path) -> None:
    schema_0.write_text(schema_0.read_text(encoding="utf-8").replace("actief", "afhoudend"), encoding="utf-8")
    with pytest.raises(transcript.TranscriptDamaged, match="schema 0: de controlesom klopt niet"):
        transcript.load(schema_0)


def test_newer_schema_is_refused_naming_the_version_needed(home: Path) -> None:
    path = home / "sessions" / "nieuw.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("---\nschema: 7\napp: netwerkcoach 3.0\n", encoding="utf-8")
    result = run_coach(home, "resume", "nieuw")
    assert result.returncode == 1
    assert "schema 7" in result.stderr and "netwerkcoach 3.0" in result.stderr and "Werk Netwerkcoach bij" in result.stderr
    assert "--recover" not in result.stderr, "not damaged: only newer"
    assert path.read_text(encoding="utf-8") == "---\nschema: 7\napp: netwerkcoach 3.0\n"


def test_migrations_chain_step_by_step(monkeypatch: pytest.MonkeyPatch, example, home: Path) -> None:
    """A future schema 2 would be one more entry in the table; 0 -> 1 -> 2 in turn."""
    path = home / "s.yaml"
    Session.start(*example, path=path)
    old = as_schema_0(transcript.load(path))

    def to_2(document: dict[str, Any], name: str) -> dict[str, Any]:
        return {**document, "schema": 2, "renamed": True}

    monkeypatch.setattr(transcript, "SCHEMA", 2)
    monkeypatch.setitem(transcript.MIGRATIONS, 1, to_2)
    document = transcript.check_document(old, "x")
    assert document["schema"] == 2 and document["renamed"] and document["events"][-1]["type"] == "migrated"


def test_unknown_old_schema_is_damage(home: Path) -> None:
    with pytest.raises(transcript.TranscriptDamaged, match="dit lijkt geen transcript"):
        transcript.check_document({"schema": -1}, "x")
    with pytest.raises(transcript.TranscriptDamaged):
        transcript.check_document({"schema": True}, "x")
