"""A truncated or hand-edited transcript is never taken for a shorter session.

`coach resume` and `coach sessions` say what is wrong and keep the file as it is;
`coach resume ID --recover` copies what can still be read into a new session (new id,
a ``recovered`` event naming the damaged file), never touching the damaged one, and
says both paths.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, run_coach

from coach.session import transcript
from coach.session.session import Session

ANSWERS = (["Dementiezorg", "Wonen"], "proactief", ["regio"], "actief")
"""Four answers: the session then stands at 'overwegingen' for Wonen."""
REST = "1\n2\nTe veel overleg\n\n1\n4\nBellen\n\n:overslaan\n"
"""Plain-mode lines that finish the example from 'overwegingen' (Wonen) on."""


@pytest.fixture
def saved(example, home: Path) -> Path:
    """A saved, unfinished session of the example with four answers."""
    path = home / "sessions" / "20261123-201500-example-abcd.yaml"
    session = Session.start(*example, path=path, session_id=path.stem)
    session.acknowledge()
    for value in ANSWERS:
        session.answer(value)
    return path


def coach(home: Path, *args: str, input: str = "") -> tuple[int, str, str]:
    result = run_coach(home, *args, input=input, COACH_DIALOGUES=str(DATA))
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout, result.stderr


def truncate(path: Path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def truncate_at_line(path: Path, keep: float) -> None:
    """Cut after the last whole line before ``keep``: still YAML, but events are missing."""
    data = path.read_bytes()
    path.write_bytes(data[: data.rfind(b"\n", 0, int(len(data) * keep)) + 1])


def new_sessions(home: Path, damaged: Path) -> list[Path]:
    return [p for p in sorted((home / "sessions").glob("*.yaml")) if p != damaged]


@pytest.mark.parametrize("keep", [0.97, 0.8, 0.6])
def test_truncated_file_is_refused_kept_and_named(saved: Path, home: Path, keep: float) -> None:
    truncate(saved, keep)
    damaged = saved.read_bytes()
    code, _, err = coach(home, "resume", saved.stem, input="1\n")
    assert code == 1
    assert str(saved) in err and "het bestand blijft zoals het is" in err.lower()
    assert f"coach resume {saved.stem} --recover" in err
    assert saved.read_bytes() == damaged, "the damaged file is kept as it is"
    code, out, _ = coach(home, "sessions")
    assert code == 0 and f"{saved.stem}  ONLEESBAAR:" in out and f"coach resume {saved.stem} --recover" in out
    code, _, err = coach(home, "resume")
    assert code == 2 and "onleesbaar" in err and saved.stem in err, "never silently another (or no) session"


def test_hand_edited_answer_is_refused(saved: Path, home: Path) -> None:
    saved.write_text(saved.read_text(encoding="utf-8").replace("proactief", "afhoudend"), encoding="utf-8")
    code, _, err = coach(home, "resume", saved.stem)
    assert code == 1 and "controlesom" in err and "--recover" in err


def test_recover_copies_what_is_readable_into_a_new_session(saved: Path, home: Path) -> None:
    truncate(saved, 0.85)
    damaged = saved.read_bytes()
    code, out, err = coach(home, "resume", saved.stem, "--recover", input=REST)
    assert code == 0, err
    (copy,) = new_sessions(home, saved)
    assert str(saved) in err and str(copy) in err, "both paths are named"
    assert "blijft ongewijzigd" in err
    assert saved.read_bytes() == damaged, "never overwritten"
    assert "Hersteld uit" in out and "4 antwoord(en) overgenomen" in out
    first_question = next(line for line in out.splitlines() if line.startswith("["))
    assert "Wat weegt mee bij Wonen" in first_question, "goes on at the first question without an answer"
    document = transcript.load(copy)
    assert document["session"] == copy.stem != saved.stem
    assert document["finished"]
    recovered = [e for e in document["events"] if e["type"] == "recovered"]
    assert len(recovered) == 1 and recovered[0]["from"] == str(saved.resolve()) and recovered[0]["kept"] == 4
    values = {(a["question"], a["item"]): a["value"] for a in document["answers"]}
    assert values[("positie", "Dementiezorg")] == "proactief" and values[("stap", None)] == "Bellen"
    code, out, _ = coach(home, "sessions", "--all")
    assert f"al hersteld als {copy.stem}" in out


def test_recover_drops_a_cut_answer_rather_than_keep_it_short(saved: Path, home: Path) -> None:
    text = saved.read_text(encoding="utf-8")
    cut = text.index("- question: positie\n  item: Wonen")
    saved.write_text(text[: cut + len("- question: positie\n  item: Wo")], encoding="utf-8")
    code, out, err = coach(home, "resume", saved.stem, "--recover", input="")
    assert code == 0, err
    (copy,) = new_sessions(home, saved)
    answered = {(a["question"], a["item"]) for a in transcript.load(copy)["answers"]}
    assert answered == {("opgaven", None), ("positie", "Dementiezorg")}, "answers are kept in the order of the dialogue"
    assert "2 antwoord(en) overgenomen" in out
    first_question = next(line for line in out.splitlines() if line.startswith("["))
    assert "Wat weegt mee bij Dementiezorg" in first_question
    assert "weggelaten" in err


def test_recover_sets_aside_an_edited_answer_that_no_longer_fits(saved: Path, home: Path) -> None:
    saved.write_text(saved.read_text(encoding="utf-8").replace("value: proactief", "value: nergens"), encoding="utf-8")
    code, out, err = coach(home, "resume", saved.stem, "--recover", input="")
    assert code == 0, err
    (copy,) = new_sessions(home, saved)
    document = transcript.load(copy)
    aside = {(a["question"], a["item"]): a for a in document["aside"]}
    assert ("positie", "Dementiezorg") in aside and "past niet bij de vraag" in aside[("positie", "Dementiezorg")]["reason"]
    assert "1 apart gezet" in out
    first_question = next(line for line in out.splitlines() if line.startswith("["))
    assert "Welke positie kies je bij Dementiezorg" in first_question


def test_recover_reads_past_invalid_bytes(saved: Path, home: Path) -> None:
    data = saved.read_bytes()
    saved.write_bytes(data.replace(b"  - Wonen\n", b"  - Wo\xffnen\n", 1))
    code, _, err = coach(home, "resume", saved.stem)
    assert code == 1 and "UTF-8" in err
    code, out, err = coach(home, "resume", saved.stem, "--recover", input="")
    assert code == 0, err
    assert "ongeldige bytes" in err
    (copy,) = new_sessions(home, saved)
    assert transcript.load(copy)["answers"][0]["value"] == ["Dementiezorg", "Wo\ufffdnen"]


def test_recover_of_an_intact_session_just_resumes(saved: Path, home: Path) -> None:
    code, out, err = coach(home, "resume", saved.stem, "--recover", input="")
    assert code == 0 and "niet beschadigd" in err
    assert new_sessions(home, saved) == []


def test_nothing_to_recover_is_said_plainly(home: Path) -> None:
    path = home / "sessions" / "kapot.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("---\n[[[ niets\n", encoding="utf-8")
    code, _, err = coach(home, "resume", "kapot", "--recover")
    assert code == 1 and "niets te herstellen" in err and str(path) in err
    assert path.read_text(encoding="utf-8") == "---\n[[[ niets\n"


def test_recover_needs_a_session_named(home: Path) -> None:
    code, _, err = coach(home, "resume", "--recover")
    assert code == 2 and "coach resume ID --recover" in err


def test_latest_resume_warns_about_a_newer_damaged_session(example, saved: Path, home: Path) -> None:
    import os

    newer = home / "sessions" / "20261124-090000-example-ffff.yaml"
    Session.start(*example, path=newer, session_id=newer.stem)
    truncate(newer, 0.7)
    stamp = saved.stat().st_mtime
    os.utime(saved, (stamp - 60, stamp - 60))
    code, out, err = coach(home, "resume", input="")
    assert code == 0
    assert "een nieuwere sessie is onleesbaar" in err and str(newer) in err
    assert "Sessie bewaard. Verder gaan: coach resume " + saved.stem in out


def test_a_sealed_file_holding_nonsense_is_damage_and_recoverable(home: Path) -> None:
    """A valid checksum over an answer that does not fit (made by hand or by another tool)."""
    path = home / "sessions" / "vreemd.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes((DATA / "hostile" / "transcript-resealed-bad-value.yaml").read_bytes())
    code, _, err = coach(home, "resume", "vreemd")
    assert code == 1 and "het bewaarde antwoord past niet" in err and "coach resume vreemd --recover" in err
    code, out, err = coach(home, "resume", "vreemd", "--recover", input="")
    assert code == 0, err
    assert "het bestand zelf is heel" in err and "1 apart gezet" in out
    (copy,) = new_sessions(home, path)
    assert [a["value"] for a in transcript.load(copy)["aside"]] == ["nergens"]


def test_damage_names_the_problem_and_recover_copy_keeps_the_file(saved: Path, home: Path) -> None:
    """The domain functions both `coach resume --recover` and the app go through."""
    from coach.session.recover import damage, recover_copy
    from coach.session.store import recovered_copy_of

    assert damage(saved) is None, "a whole file is not damaged"
    truncate_at_line(saved, 0.85)
    before = saved.read_bytes()
    problem = damage(saved)
    assert problem and "integrity" in problem
    assert recovered_copy_of(saved) is None
    recovery = recover_copy(saved, problem)
    try:
        copy = recovery.session
        assert copy.path is not None and copy.path != saved and copy.path.exists()
        assert saved.read_bytes() == before, "only read"
        assert copy.current.node is not None and copy.current.node.id == "overwegingen" and copy.current.item == "Wonen"
        first, second = recovery.report()
        assert "blijft ongewijzigd" in first and str(saved) in first and problem in first
        assert "weggelaten" in second and str(copy.path) in second and copy.session_id in second
        found = recovered_copy_of(saved)
        assert found is not None and found.path == copy.path
    finally:
        recovery.session.close()


def test_recovering_again_warns_that_a_copy_exists(saved: Path, home: Path) -> None:
    truncate(saved, 0.85)
    code, _, err = coach(home, "resume", saved.stem, "--recover", input="")
    assert code == 0, err
    (first,) = new_sessions(home, saved)
    code, _, err = coach(home, "resume", saved.stem, "--recover", input="")
    assert code == 0, err
    assert f"al eerder hersteld als {first.stem}" in err and f"coach resume {first.stem}" in err
