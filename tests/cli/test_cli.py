"""The command line through real subprocesses and pipes: what a user sees and gets."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import yaml

from conftest import DATA, EXAMPLE, run_coach

EXAMPLE_ANSWERS = """\
opgaven: [Dementiezorg, Wonen]
positie: {Dementiezorg: proactief, Wonen: actief}
overwegingen: {Dementiezorg: [regio, yes], Wonen: []}
energie: 2
waarom_weinig: {answer: "We moeten wel meedoen", probes: {moeten: "De wethouder vraagt het."}}
spanning: {now: 1, desired: 4}
stap: ~skip
"""


def test_version_and_help(home: Path) -> None:
    result = run_coach(home, "--version")
    assert result.returncode == 0 and result.stdout.startswith("coach ")
    for command in ("list", "show", "check", "graph", "run", "start", "resume", "sessions", "export", "delete", "forget"):
        result = run_coach(home, command, "--help")
        assert result.returncode == 0, command
        assert "gebruik: coach " + command in result.stdout


def test_every_subcommand_is_known_before_the_parser_is_built() -> None:
    """The CLI builds only the subcommand a command line names; its list of names must
    be the parser's, or a command would be missing from its own parser."""
    import argparse

    from coach.cli import COMMANDS, build_parser

    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert tuple(sub.choices) == COMMANDS
    for name in COMMANDS:
        (only,) = [a for a in build_parser(only=name)._actions if isinstance(a, argparse._SubParsersAction)]
        assert list(only.choices) == [name]


def test_options_and_typos_still_get_the_whole_parser(home: Path) -> None:
    result = run_coach(home, "--coach", "strat", "x")
    assert result.returncode == 2 and "ongeldige keuze: 'strat'" in result.stderr and "'start'" in result.stderr
    result = run_coach(home, "--help")
    assert result.returncode == 0 and all(name in result.stdout for name in ("report", "sessions", "serve"))


def test_usage_error_exits_2(home: Path) -> None:
    result = run_coach(home, "show")
    assert result.returncode == 2 and "dit ontbreekt nog: THEMA" in result.stderr


def test_list_shows_the_themes(home: Path) -> None:
    result = run_coach(home, "list", "--json")
    assert result.returncode == 0, result.stderr
    themes = {t["id"]: t for t in json.loads(result.stdout)["themes"]}
    assert themes, "the shipped themes are listed"
    for theme in themes.values():
        assert theme["title"] and theme["perspectives"] and theme["questions"] > 0
    plain = run_coach(home, "list")
    assert all(theme_id in plain.stdout for theme_id in themes)


def test_list_and_check_from_the_example_folder(home: Path) -> None:
    result = run_coach(home, "list", COACH_DIALOGUES=str(DATA))
    assert result.stdout.startswith("example  Voorbeeldgesprek  (7 vragen;")


def test_check_is_clean_for_the_shipped_content(home: Path) -> None:
    result = run_coach(home, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Alles in orde:")


def test_check_names_file_and_line(home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text(EXAMPLE.read_text(encoding="utf-8").replace("id: example", "id: kapot").replace("to: waarom_weinig", "to: nergens"), encoding="utf-8")
    (tmp_path / "models.yaml").write_text((DATA / "models.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "kernvragen.yaml").write_text((DATA / "kernvragen.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_coach(home, "check", str(broken))
    assert result.returncode == 1
    line = next(i for i, text in enumerate(broken.read_text().splitlines(), 1) if "to: nergens" in text) - 1
    assert f"kapot.yaml:{line}: node 'energie'.routes: expected a node id" in result.stderr
    assert "found 'nergens'" in result.stderr


def test_check_of_a_transcript_says_what_it_is(home: Path) -> None:
    """A transcript given to `coach check` gave dozens of schema errors about dialogue keys."""
    run_coach(home, "start", "example", input="Dementiezorg\n\n", COACH_DIALOGUES=str(DATA))
    (saved,) = (home / "sessions").glob("*.yaml")
    result = run_coach(home, "check", str(saved), COACH_DIALOGUES=str(DATA))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "dit is het transcript van een sessie, geen gesprek" in result.stderr
    beside = run_coach(home, "check", str(saved), str(EXAMPLE), COACH_DIALOGUES=str(DATA))
    assert beside.returncode == 1 and beside.stdout.startswith("Alles in orde: 1 bestand"), "the dialogue is still checked"


def test_show_json_has_the_documented_shape(home: Path) -> None:
    result = run_coach(home, "show", str(EXAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["shape"] == "netwerkcoach.dialogue" and data["shape_version"] == 1
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["positie"]["loop"] == {"id": "per_opgave", "over": "opgaven"}
    assert nodes["positie"]["options"][0] == {"value": "proactief", "label": "Proactief / initiërend"}
    assert nodes["energie"]["routes"] == [{"when": "answers.energie is not none and answers.energie <= 2", "to": "waarom_weinig"}]
    assert nodes["energie"]["labels"] == {"min": "Weinig", "max": "Veel"}
    assert nodes["spanning"]["poles"] == {"left": "Organisatiedoel", "right": "Gezamenlijke opgave"}
    assert nodes["waarom_weinig"]["probes"][0]["id"] == "moeten"
    assert [s["kind"] for s in data["summary"]["sections"]] == ["table", "profile", "polarities", "list"]


def test_graph_draws_mermaid(home: Path) -> None:
    result = run_coach(home, "graph", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "stateDiagram-v2" in result.stdout
    assert "energie --> waarom_weinig: advance [answers.energie is not none and answers.energie <= 2]" in result.stdout


def test_graph_dot_without_graphviz_says_what_to_install(home: Path) -> None:
    import importlib.util

    result = run_coach(home, "graph", str(EXAMPLE), "--format", "dot")
    if importlib.util.find_spec("graphviz") is None:
        assert result.returncode == 1 and "pip install graphviz" in result.stderr
    else:
        assert result.returncode == 0 and "digraph" in result.stdout


def test_unknown_theme_is_named(home: Path) -> None:
    result = run_coach(home, "show", "bestaatniet")
    assert result.returncode == 1
    assert "onbekend thema 'bestaatniet'" in result.stderr and "Traceback" not in result.stderr


def test_run_prints_a_finished_transcript_with_insights(home: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(EXAMPLE_ANSWERS + "onbekend: 3\n", encoding="utf-8")
    result = run_coach(home, "run", str(EXAMPLE), "--answers", str(answers))
    assert result.returncode == 0, result.stderr
    assert "'onbekend' is geen vraag" in result.stderr
    document = yaml.safe_load(result.stdout)
    assert document["finished"] and document["summary"]["insights"]
    assert {i["id"] for i in document["summary"]["insights"]} == {"breed", "kloof"}
    assert document["probes"][0]["probe"] == "moeten" and document["probes"][0]["value"] == "De wethouder vraagt het."
    skipped = [e for e in document["events"] if e["type"] == "skip"]
    assert [e["question"] for e in skipped] == ["stap"]


def test_run_json_output_to_a_private_file(home: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(yaml.safe_load(EXAMPLE_ANSWERS.replace("~skip", "{skip: true}"))), encoding="utf-8")
    out = tmp_path / "out.json"
    result = run_coach(home, "run", str(EXAMPLE), "--answers", str(answers), "--json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["summary"]["models"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_run_missing_answer_exits_2_naming_the_question(home: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("opgaven: [Dementiezorg, Wonen]\npositie: {Dementiezorg: actief}\n", encoding="utf-8")
    result = run_coach(home, "run", str(EXAMPLE), "--answers", str(answers))
    assert result.returncode == 2
    assert "vraag 'overwegingen': is bereikt (bij 'Dementiezorg')" in result.stderr


def test_run_wrong_value_names_file_question_and_expectation(home: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("opgaven: [Dementiezorg]\npositie: {Dementiezorg: misschien}\n", encoding="utf-8")
    result = run_coach(home, "run", str(EXAMPLE), "--answers", str(answers))
    assert result.returncode == 1
    assert f"{answers}: vraag 'positie': (bij 'Dementiezorg') verwacht één van: proactief, actief, afhoudend" in result.stderr


PLAIN_FIRST_HALF = "Dementiezorg\nWonen\n\n1\n1,3\n"
PLAIN_SECOND_HALF = "2\n\n4\n3\n4\nMorgen bel ik de wethouder over de planning\n\n"


def test_plain_mode_acknowledges_each_answer_and_resumes(home: Path) -> None:
    first = run_coach(home, "start", "example", input=PLAIN_FIRST_HALF, COACH_DIALOGUES=str(DATA))
    assert first.returncode == 0, first.stderr
    assert first.stderr.count("opgeslagen") == 3
    assert "Voor de opgave 'Wonen':" in first.stdout and first.stdout.rstrip().splitlines()[-1].startswith("Sessie bewaard. Verder gaan: coach resume ")
    sessions = json.loads(run_coach(home, "sessions", "--json", COACH_DIALOGUES=str(DATA)).stdout)["sessions"]
    assert len(sessions) == 1 and sessions[0]["answered"] == 3
    second = run_coach(home, "resume", input=PLAIN_SECOND_HALF, COACH_DIALOGUES=str(DATA))
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("Voor de opgave 'Wonen':\n[4/"), "resumes at the exact question and item"
    assert "Samenvatting: Voorbeeldgesprek" in second.stdout
    assert "Morgen bel ik de wethouder" in second.stdout
    path = Path(sessions[0]["path"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_plain_mode_ack_on_stdout_and_commands(home: Path) -> None:
    result = run_coach(home, "start", "example", "--ack-stdout", input="Dementiezorg\n\n:hulp\n:overslaan\n:terug\n:pauze\n", COACH_DIALOGUES=str(DATA))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "opgeslagen" in lines
    assert "Commando's: :terug, :overslaan, :pauze, :hulp" in lines
    assert lines[-1].startswith("Sessie bewaard.")


def test_plain_mode_wrong_answer_is_asked_again(home: Path) -> None:
    result = run_coach(home, "start", "example", input="Dementiezorg\n\n9\n2\n", COACH_DIALOGUES=str(DATA))
    assert "coach: vraag 'positie': verwacht een nummer van 1 tot en met 3 (of de tekst van een keuze), gevonden '9'" \
        in result.stderr
    assert result.stdout.count("Welke positie kies je bij Dementiezorg?") == 2


COMMA_LABELS = """\
format: 1
id: sectoren
title: Sectoren
version: "1.0"
intro: Keuzes met komma's in hun namen.
perspectives: [maatschappelijke-opgaven]
nodes:
  - id: sectoren
    type: multichoice
    text: In welke sectoren werk je samen?
    options:
      - {value: zorg, label: "Zorg, welzijn en wonen"}
      - {value: onderwijs, label: Onderwijs}
      - {value: overheden, label: "Overheden: gemeente, provincie, Rijk"}
    min: 0
  - id: partners
    type: multichoice
    text: Met wie overleg je?
    options:
      - {value: gemeente, label: Gemeente}
      - {value: provincie, label: Provincie}
      - {value: beide, label: "Gemeente, provincie"}
    min: 0
probes: []
"""


def _plain_answers(home: Path, tmp_path: Path, typed: str) -> tuple[str, dict[str, object]]:
    """Plain mode on the comma-labels dialogue: stderr and the saved answers by question."""
    dialogue = tmp_path / "sectoren.yaml"
    dialogue.write_text(COMMA_LABELS, encoding="utf-8")
    result = run_coach(home, "start", str(dialogue), "--plain", input=typed, COACH_DIALOGUES=str(DATA))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    (session,) = json.loads(run_coach(home, "sessions", "--all", "--json", COACH_DIALOGUES=str(DATA)).stdout)["sessions"]
    transcript = yaml.safe_load(Path(session["path"]).read_text(encoding="utf-8"))
    return result.stderr, {a["question"]: a["value"] for a in transcript["answers"]}


def test_plain_mode_multichoice_label_with_commas_is_one_choice(home: Path, tmp_path: Path) -> None:
    """A label that holds commas can be typed whole (any case, any spaces around its commas),
    between numbers and other labels; numbers keep working."""
    stderr, answers = _plain_answers(
        home, tmp_path, "zorg, Welzijn en wonen,2, Overheden: gemeente,provincie, Rijk\n1,2\n")
    assert "verwacht" not in stderr and stderr.count("opgeslagen") == 2
    assert answers == {"sectoren": ["zorg", "onderwijs", "overheden"], "partners": ["gemeente", "provincie"]}


def test_plain_mode_multichoice_label_with_commas_alone_and_by_number(home: Path, tmp_path: Path) -> None:
    stderr, answers = _plain_answers(home, tmp_path, "Zorg, welzijn en wonen\n3\n")
    assert "verwacht" not in stderr
    assert answers == {"sectoren": ["zorg"], "partners": ["beide"]}


def test_plain_mode_multichoice_ambiguous_label_asks_for_numbers(home: Path, tmp_path: Path) -> None:
    """'Gemeente, provincie' is an option and also two: the director is asked for numbers."""
    stderr, answers = _plain_answers(home, tmp_path, "1\nGemeente, provincie\n3\n")
    assert ("coach: vraag 'partners': verwacht nummers, gevonden 'Gemeente, provincie': dat is één keuze "
            "('Gemeente, provincie', nummer 3) maar ook te lezen als losse keuzes; typ 3") in stderr
    assert stderr.count("opgeslagen") == 2
    assert answers == {"sectoren": ["zorg"], "partners": ["beide"]}


def test_plain_mode_superscript_digits_are_no_numbers(home: Path, tmp_path: Path) -> None:
    """"²" is a digit to ``str.isdigit`` but no number: it ended plain mode with a traceback."""
    stderr, answers = _plain_answers(home, tmp_path, "²\n1\n³,1\n2\n")
    assert "Traceback" not in stderr
    assert "gevonden '²'" in stderr and "gevonden '³'" in stderr
    assert answers == {"sectoren": ["zorg"], "partners": ["provincie"]}


def test_plain_mode_multichoice_unknown_part_is_named(home: Path, tmp_path: Path) -> None:
    """Part of a comma-holding label is not a label: the answer check names what it found."""
    stderr, answers = _plain_answers(home, tmp_path, "Zorg, welzijn, 2\n1, 7\n\n\n")
    expected = "coach: vraag 'sectoren': verwacht nummers van 1 tot en met 3 met komma's ertussen (of de tekst van de keuzes)"
    assert f"{expected}, gevonden 'welzijn'" in stderr
    assert f"{expected}, gevonden '7'" in stderr
    assert answers == {"sectoren": [], "partners": []}


def test_sessions_export_delete_forget(home: Path, tmp_path: Path) -> None:
    for _ in range(2):
        run_coach(home, "start", "example", input="Dementiezorg\n\n", COACH_DIALOGUES=str(DATA))
    listed = json.loads(run_coach(home, "sessions", "--json").stdout)["sessions"]
    assert len(listed) == 2
    first = listed[0]["session"]
    out = tmp_path / "export.yaml"
    exported = run_coach(home, "export", first, "-o", str(out))
    assert exported.returncode == 0 and yaml.safe_load(out.read_text())["session"] == first
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    refused = run_coach(home, "delete", first, input="nee\n")
    assert refused.returncode == 1 and "Niets verwijderd" in refused.stderr
    deleted = run_coach(home, "delete", first, "--yes")
    assert deleted.returncode == 0
    assert len(json.loads(run_coach(home, "sessions", "--json").stdout)["sessions"]) == 1
    assert run_coach(home, "forget", "--all", input="nee\n").returncode == 1
    forgot = run_coach(home, "forget", "--all", input="VERGEET\n")
    assert forgot.returncode == 0 and "1 sessie gewist" in forgot.stderr
    assert run_coach(home, "sessions").stdout.strip() == "Geen onderbroken sessies."


def test_resume_with_nothing_to_resume_says_how_to_start(home: Path) -> None:
    result = run_coach(home, "resume")
    assert result.returncode == 2 and "coach start THEMA" in result.stderr


def test_unwritable_data_dir_is_reported_with_coach_home(home: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    result = run_coach(blocker / "sub", "start", "example", input="", COACH_DIALOGUES=str(DATA))
    assert result.returncode == 1
    assert "COACH_HOME" in result.stderr and "Traceback" not in result.stderr


def test_models_and_kernvragen(home: Path) -> None:
    listing = json.loads(run_coach(home, "models", "--json").stdout)
    ids = [m["id"] for m in listing["models"]]
    assert "vertrouwensparadox" in ids and listing["shape"] == "netwerkcoach.models"
    one = run_coach(home, "models", "vertrouwensparadox")
    assert one.returncode == 0 and one.stdout.startswith("De vertrouwensparadox")
    unknown = run_coach(home, "models", "bestaatniet")
    assert unknown.returncode == 1 and "onbekend model 'bestaatniet'" in unknown.stderr
    kernvragen = json.loads(run_coach(home, "kernvragen", "--json").stdout)["kernvragen"]
    assert all(k["leads_to"] for k in kernvragen)
    assert any(k["leads_to"] == "gesprek positionering" for k in kernvragen)


def test_delete_and_forget_leave_no_answers_behind(home: Path) -> None:
    run_coach(home, "start", "example", input="Dementiezorg\n\n", COACH_DIALOGUES=str(DATA))
    folder = home / "sessions"
    transcript_file = next(folder.glob("*.yaml"))
    transcript_file.with_suffix(".md").write_text("export")
    (folder / f"{transcript_file.stem}.schema0.bak").write_text("old")
    assert run_coach(home, "delete", transcript_file.stem, "--yes").returncode == 0
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == []
    run_coach(home, "start", "example", input="Dementiezorg\n\n", COACH_DIALOGUES=str(DATA))
    (folder / "x.schema0.bak").write_text("old")
    assert run_coach(home, "forget", "--all", input="VERGEET\n").returncode == 0
    assert list(folder.iterdir()) == []


def test_error_messages_carry_no_control_sequences(home: Path, tmp_path: Path) -> None:
    evil = tmp_path / "ev\x1b[31mil.yaml"
    result = run_coach(home, "show", str(evil))
    assert result.returncode == 1 and "\x1b" not in result.stderr


def test_answers_file_nested_too_deep_is_refused(home: Path, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 20_000 + "]" * 20_000)
    result = run_coach(home, "run", str(EXAMPLE), "--answers", str(deep))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    huge = tmp_path / "huge.json"
    huge.write_text('{"energie": ' + "9" * 5000 + "}")
    result = run_coach(home, "run", str(EXAMPLE), "--answers", str(huge))
    assert result.returncode == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("argv, coach, hidden", [
    (["--coach", "start", "positionering"], True, False),
    (["start", "positionering", "--coach"], True, False),
    (["--panel-hidden", "resume"], False, True),
    (["resume", "--coach", "--panel-hidden"], True, True),
    (["start", "positionering"], False, False),
    (["--coach", "app"], True, False),
])
def test_coach_mode_is_kept_wherever_the_flag_stands(argv: list[str], coach: bool, hidden: bool) -> None:
    """`coach --coach start THEME` opened solo mode: the subcommand's default overwrote the flag."""
    from coach.cli import _named_subcommand, build_parser

    for parser in (build_parser(), build_parser(only=_named_subcommand(argv))):
        args = parser.parse_args(argv)
        assert (args.coach, args.panel_hidden) == (coach, hidden)
