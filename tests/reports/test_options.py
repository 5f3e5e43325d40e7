"""What a report leaves out or changes on request: coach notes, names, recomputed
summaries; unknown themes and unfinished sessions; where the report goes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import yaml
from report_helpers import CALM, as_yaml, board, make_session, transcript_text  # noqa: F401 - fixtures

from conftest import DATA, EXAMPLE, run_coach

NOTES = {None: "Sessienotitie: ze twijfelt.", "stap": "Vraagnotitie bij de stap."}


def test_coach_notes_are_left_out_unless_asked_for(home: Path, tmp_path: Path, transcript_text) -> None:  # noqa: F811
    path = tmp_path / "notes.yaml"
    path.write_text(transcript_text(notes=NOTES), encoding="utf-8")
    for fmt in ("md", "html", "json"):
        plain = run_coach(home, "report", str(path), "--format", fmt)
        assert plain.returncode == 0, plain.stderr
        assert "Sessienotitie" not in plain.stdout and "Vraagnotitie" not in plain.stdout, fmt
        asked = run_coach(home, "report", str(path), "--format", fmt, "--include-coach-notes")
        assert "Sessienotitie: ze twijfelt." in asked.stdout and "Vraagnotitie bij de stap." in asked.stdout, fmt
    data = json.loads(run_coach(home, "report", str(path), "--format", "json").stdout)
    assert data["parts"][0]["sessions"][0]["coach_notes"] is None


def test_anonymous_replaces_names_and_organisations(home: Path, board: list[Path]) -> None:  # noqa: F811
    stream = "".join(p.read_text(encoding="utf-8") for p in board)
    for fmt in ("md", "html", "json"):
        result = run_coach(home, "report", "--anonymous", "--format", fmt, input=stream)
        assert result.returncode == 0, result.stderr
        for secret in ("Anna", "Vries", "Bram", "Jansen", "Dilan", "Yilmaz", "Zorggroep Oost", "Thuiszorg", "GGZ Midden"):
            assert secret not in result.stdout, (fmt, secret)
        for label in ("Deelnemer A", "Deelnemer B", "Deelnemer C", "Deelnemer D"):
            assert label in result.stdout, (fmt, label)


def test_same_person_keeps_one_letter(home: Path, tmp_path: Path) -> None:
    first = make_session(CALM, name="Anna", organisation="Oost", number=1)
    second = make_session(CALM, name="Bram", organisation="West", number=2)
    again = make_session(CALM, name=" anna ", organisation="oost", number=3)
    stream = "".join(as_yaml(s) for s in (first, second, again))
    data = json.loads(run_coach(home, "report", "--anonymous", "--format", "json", input=stream).stdout)
    assert [s["participant"]["label"] for s in data["parts"][0]["sessions"]] == ["Deelnemer A", "Deelnemer B", "Deelnemer A"]


def test_unfinished_transcript_is_reported_with_its_answers_so_far(home: Path) -> None:
    from coach.engine.library import load_catalogue, load_dialogue
    from coach.session.session import Session

    catalogue = load_catalogue(DATA)
    session = Session.start(load_dialogue(EXAMPLE, catalogue), catalogue, session_id="20261123-201500-example-open",
                            participant={"name": "Eva"})
    session.acknowledge()  # the welcome text
    session.answer(["Dementiezorg", "Wonen"])
    session.answer("proactief")
    stream = as_yaml(session) + as_yaml(make_session(CALM, name="Anna"))
    markdown = run_coach(home, "report", input=stream)
    assert markdown.returncode == 0, markdown.stderr
    assert "## Eva (nog niet afgerond)" in markdown.stdout
    assert "Deze sessie is nog niet afgerond: hieronder de antwoorden tot nu toe (2 beantwoord)" in markdown.stdout
    assert "### Antwoorden tot nu toe" in markdown.stdout
    assert "1 van de 2 sessies is nog niet afgerond en staat niet in de vergelijking" in markdown.stdout
    data = json.loads(run_coach(home, "report", "--format", "json", input=stream).stdout)
    part = data["parts"][0]
    assert (part["finished"], part["unfinished"], part["group"]["compared"]) == (1, 1, 1)
    eva = part["sessions"][0]
    assert eva["status"] == "unfinished" and eva["summary"] is None
    assert [a["display"] for a in eva["answers"]] == ["Dementiezorg; Wonen", "Proactief / initiërend"]


def test_unknown_theme_is_reported_from_its_stored_summary_with_a_note(home: Path, transcript_text) -> None:  # noqa: F811
    from coach.session import transcript

    document = yaml.safe_load(transcript_text())
    document["dialogue"].update(id="verdwenen-thema", file=None, title="Een thema van later")
    text = transcript.dump_yaml(transcript.seal(document))
    result = run_coach(home, "report", input=text)
    assert result.returncode == 0, result.stderr
    assert "# Een thema van later" in result.stdout
    assert "kent het thema 'verdwenen-thema' niet" in result.stdout
    assert "### Opgaven en posities" in result.stdout  # the stored summary
    assert "Je koos op 2 opgaven een actieve rol." in result.stdout
    recomputed = run_coach(home, "report", "--recompute", input=text)
    assert recomputed.returncode == 0
    assert "verdwenen-thema" in recomputed.stderr and "opgeslagen samenvatting" in recomputed.stderr


def test_recompute_uses_the_current_dialogue_and_says_which_changed(home: Path, tmp_path: Path) -> None:
    dialogue = tmp_path / "dialogues" / "example.yaml"
    dialogue.parent.mkdir()
    dialogue.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    for name in ("models.yaml", "kernvragen.yaml", "probes.yaml"):
        if (DATA / name).exists():
            (dialogue.parent / name).write_text((DATA / name).read_text(encoding="utf-8"), encoding="utf-8")
    unchanged = tmp_path / "voor.yaml"
    unchanged.write_text(as_yaml(make_session(CALM, name="Anna", dialogue_path=dialogue)), encoding="utf-8")
    source = dialogue.read_text(encoding="utf-8")
    changed_text = source.replace("Tussen nu en gewenst zit", "Tussen nu en straks zit").replace('version: "1.0"', 'version: "1.1"')
    assert changed_text != source
    dialogue.write_text(changed_text, encoding="utf-8")

    stored = run_coach(home, "report", str(unchanged))
    assert "Tussen nu en gewenst zit 3 stappen" in stored.stdout and stored.stderr == ""
    again = run_coach(home, "report", "--recompute", str(unchanged))
    assert again.returncode == 0, again.stderr
    assert "Tussen nu en straks zit 3 stappen" in again.stdout
    assert again.stderr.count("\n") == 1
    assert str(unchanged) in again.stderr and "gewijzigd" in again.stderr and "1.0 → 1.1" in again.stderr


def test_output_file_is_private_and_its_suffix_picks_the_format(home: Path, tmp_path: Path, transcript_text) -> None:  # noqa: F811
    source = tmp_path / "a.yaml"
    source.write_text(transcript_text(), encoding="utf-8")
    for name, start in (("r.html", "<!DOCTYPE html>"), ("r.json", "{"), ("r.md", "# Voorbeeldgesprek"), ("r.txt", "# Voorbeeld")):
        target = tmp_path / name
        result = run_coach(home, "report", str(source), "-o", str(target))
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
        assert target.read_text(encoding="utf-8").startswith(start), name
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".r.*.tmp"))


def test_an_output_named_as_another_format_is_refused(home: Path, tmp_path: Path, transcript_text) -> None:  # noqa: F811
    """`-o rapport.pdf` wrote Markdown into a file named .pdf, without a word."""
    source = tmp_path / "a.yaml"
    source.write_text(transcript_text(), encoding="utf-8")
    for name in ("rapport.pdf", "rapport.DOCX"):
        result = run_coach(home, "report", str(source), "-o", str(tmp_path / name))
        assert result.returncode == 2, result.stderr
        assert "kies .md, .html of .json" in result.stderr and "als PDF af te drukken" in result.stderr
        assert not (tmp_path / name).exists()
    forced = run_coach(home, "report", str(source), "--format", "md", "-o", str(tmp_path / "rapport.pdf"))
    assert forced.returncode == 0, "--format says what is meant"


def test_failed_report_leaves_the_output_file_alone(home: Path, tmp_path: Path, transcript_text) -> None:  # noqa: F811
    target = tmp_path / "r.html"
    target.write_text("het vorige rapport", encoding="utf-8")
    result = run_coach(home, "report", "-o", str(target), input=transcript_text() + "---\n- geen transcript\n")
    assert result.returncode == 1
    assert target.read_text(encoding="utf-8") == "het vorige rapport"
    assert not list(tmp_path.glob(".r.html.*"))


def test_several_themes_give_one_part_each(home: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from conftest import ROOT, coach_env

    runs = []
    for theme in ("netwerkleiderschap", "positionering"):
        runs.append(subprocess.run([sys.executable, "-m", "coach", "run", theme, "--answers",
                                    str(DATA / "answers" / f"{theme}-calm.yaml")], capture_output=True, text=True,
                                   env=coach_env(home), cwd=ROOT, timeout=120).stdout)
    stream = runs[0] + as_yaml(make_session(CALM, name="Anna")) + runs[1] + runs[0]
    data = json.loads(run_coach(home, "report", "--format", "json", input=stream).stdout)
    assert [(p["theme"]["id"], p["count"]) for p in data["parts"]] == [("netwerkleiderschap", 2), ("example", 1), ("positionering", 1)]
    html = run_coach(home, "report", "--format", "html", input=stream).stdout
    assert html.count('<section class="part"') == 3 and "Rapport over 3 thema's" in html
