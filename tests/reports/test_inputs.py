"""Where transcripts come from: files, standard input (YAML stream, JSON, JSON Lines),
saved sessions; and every bad input named, with its line, in one line on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from report_helpers import CALM, as_yaml, board, make_session, transcript_text  # noqa: F401 - fixtures

from conftest import run_coach


def report_json(home: Path, *args: str, input: str | None = None) -> dict:
    result = run_coach(home, "report", "--format", "json", *args, input=input)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def labels(report: dict) -> list[str]:
    return [s["participant"]["label"] for part in report["parts"] for s in part["sessions"]]


def test_cat_of_several_files_on_stdin_gives_one_report(home: Path, board: list[Path]) -> None:  # noqa: F811
    stream = "".join(p.read_text(encoding="utf-8") for p in board)
    report = report_json(home, input=stream)
    assert report["count"] == 4
    assert labels(report) == ["Anna de Vries", "Bram Jansen", "Deelnemer C", "Dilan Yilmaz"]
    assert report["parts"][0]["group"]["count"] == 4


def test_files_and_dash_mix_in_order(home: Path, board: list[Path]) -> None:  # noqa: F811
    report = report_json(home, str(board[3]), "-", str(board[0]), input=board[1].read_text(encoding="utf-8"))
    assert labels(report) == ["Dilan Yilmaz", "Bram Jansen", "Anna de Vries"]


def test_json_array_and_json_lines(home: Path, board: list[Path]) -> None:  # noqa: F811
    documents = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in board]
    array = report_json(home, input=json.dumps(documents, ensure_ascii=False, indent=2))
    lines = report_json(home, input="".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents))
    single = report_json(home, input=json.dumps(documents[1]))
    assert labels(array) == labels(lines) == ["Anna de Vries", "Bram Jansen", "Deelnemer C", "Dilan Yilmaz"]
    assert labels(single) == ["Bram Jansen"]


def test_saved_sessions_by_group_and_by_id(home: Path) -> None:
    folder = home / "sessions"
    folder.mkdir(parents=True)
    for number, group in enumerate(["bestuur", "bestuur", "raad"]):
        session = make_session(CALM, name=f"Lid {number}", group=group, number=number)
        (folder / f"{session.session_id}.yaml").write_text(as_yaml(session), encoding="utf-8")
    by_group = report_json(home, "--group", "bestuur")
    assert sorted(labels(by_group)) == ["Lid 0", "Lid 1"]
    by_id = report_json(home, "--session", "20261123-201500-example-0002")
    assert labels(by_id) == ["Lid 2"]
    missing = run_coach(home, "report", "--group", "niemand")
    assert missing.returncode == 1
    assert "niemand" in missing.stderr and "Traceback" not in missing.stderr


def test_files_and_saved_sessions_do_not_mix(home: Path, board: list[Path]) -> None:  # noqa: F811
    result = run_coach(home, "report", str(board[0]), "--group", "bestuur")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1


def _damaged(text: str) -> str:
    return text.replace("Ik bel morgen de wethouder.", "Ik bel morgen de burgemeester.")


def _newer(text: str) -> str:
    return text.replace("schema: 1\n", "schema: 2\n", 1)


# (what, how the second of two documents on stdin is spoilt, words the error must hold, line)
BAD_DOCUMENTS = [
    ("not YAML", lambda text: "---\nschema: 1\nanswers: [a, b\n", "geen geldige YAML", 4),
    ("a list, not a mapping", lambda text: "---\n- een\n- lijst\n", "verwacht een transcript (een mapping), gevonden een lijst", 1),
    ("edited: integrity fails", _damaged, "de controlesom klopt niet", 1),
    ("a newer schema", _newer, "schema 2", 1),
    ("cut short: no integrity block", lambda text: text.split("integrity:")[0], "'integrity' ontbreekt", 1),
    ("a python tag", lambda text: "---\nschema: !!python/object/apply:os.system [ls]\n", "python/object", 2),
]


@pytest.mark.parametrize(("what", "spoil", "words", "line"), BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
def test_bad_document_on_stdin_is_named_with_its_line(what: str, spoil, words: str, line: int, home: Path,  # type: ignore[no-untyped-def]
                                                      transcript_text) -> None:  # noqa: F811
    good = transcript_text()
    result = run_coach(home, "report", input=good + spoil(good))
    assert result.returncode == 1, what
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"coach: <stdin> document 2:{line}: "), result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("what", "spoil", "words", "line"), BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
def test_bad_file_is_named_with_its_line(what: str, spoil, words: str, line: int, home: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                         transcript_text) -> None:  # noqa: F811
    path = tmp_path / "kapot.yaml"
    path.write_text(spoil(transcript_text()), encoding="utf-8")
    result = run_coach(home, "report", str(path))
    assert result.returncode == 1, what
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"coach: {path}:{line}: "), result.stderr
    assert words in result.stderr


def test_missing_file_and_folder_are_named(home: Path, tmp_path: Path) -> None:
    missing = run_coach(home, "report", str(tmp_path / "weg.yaml"))
    assert missing.returncode == 1
    assert missing.stderr == f"coach: {tmp_path / 'weg.yaml'}: kan niet lezen: No such file or directory\n"
    folder = run_coach(home, "report", str(tmp_path))
    assert folder.returncode == 1
    assert folder.stderr.startswith(f"coach: {tmp_path}: is een map")


def test_an_empty_file_is_skipped_by_name(home: Path, board: list[Path], tmp_path: Path) -> None:  # noqa: F811
    """It was skipped without a word: a report of one session fewer than asked, unnoticed."""
    empty = tmp_path / "leeg.yaml"
    empty.write_text("", encoding="utf-8")
    result = run_coach(home, "report", "--format", "json", str(board[0]), str(empty))
    assert result.returncode == 0 and json.loads(result.stdout)["count"] == 1
    assert result.stderr == f"coach: {empty}: bevat geen transcript; overgeslagen\n"
    alone = run_coach(home, "report", str(empty))
    assert alone.returncode == 1
    assert str(empty) in alone.stderr and "er staat geen transcript in de invoer" in alone.stderr


def test_bad_json_names_document_and_line(home: Path, transcript_text) -> None:  # noqa: F811
    document = yaml.safe_load(transcript_text())
    lines = json.dumps(document) + "\n" + json.dumps(document)[:-20] + "\n"
    result = run_coach(home, "report", input=lines)
    assert result.returncode == 1
    assert result.stderr.startswith("coach: <stdin> document 2:2: geen geldige JSON"), result.stderr
    edited = dict(document, group="iets anders")
    result = run_coach(home, "report", input=json.dumps([document, edited], indent=1))
    assert result.returncode == 1
    assert result.stderr.startswith("coach: <stdin> document 2:"), result.stderr
    assert "controlesom" in result.stderr


def test_not_utf8_and_empty_input(home: Path) -> None:
    binary = run_coach(home, "report", input="schema: 1\nnaam: \udcff\n".encode("utf-8", "surrogateescape").decode("latin-1"))
    assert binary.returncode == 1
    assert "Traceback" not in binary.stderr
    empty = run_coach(home, "report", input="")
    assert empty.returncode == 1
    assert empty.stderr == "coach: er staat geen transcript in de invoer\n"


def test_hand_made_transcript_with_a_valid_checksum_but_wrong_shape(home: Path, transcript_text) -> None:  # noqa: F811
    from coach.session import transcript

    document = yaml.safe_load(transcript_text())
    document["summary"]["sections"] = "geen lijst"
    result = run_coach(home, "report", input=transcript.dump_yaml(transcript.seal(document)))
    assert result.returncode == 1
    assert result.stderr.startswith("coach: <stdin> document 1:1: het transcript heeft niet de vorm van schema 1"), result.stderr


def test_bombs_are_refused_before_they_cost_memory(home: Path) -> None:
    laughs = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9))
    deep_yaml = "---\nschema: 1\nx:\n" + "".join("  " * i + "- \n" for i in range(1, 300))
    deep_json = "[" * 100_000 + "]" * 100_000
    for stream, words in ((laughs, "herhalingen"), (deep_yaml, "niveaus diep"), (deep_json, "te diep genest")):
        result = run_coach(home, "report", input=stream)
        assert result.returncode == 1
        assert result.stderr.startswith("coach: <stdin> document 1:"), result.stderr
        assert words in result.stderr and "Traceback" not in result.stderr
