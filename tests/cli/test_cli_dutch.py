"""The command line speaks Dutch to the person using it: its help, argparse's own words and
errors, counts of one, a broken dialogue file beside healthy ones, and where to go on."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DATA, run_coach

from coach.cli import COMMANDS, argparse_in_dutch

ENGLISH = {"usage", "options", "optional", "positional", "arguments", "argument", "show", "this", "help", "message",
           "exit", "the", "and", "with", "instead", "default", "print", "list", "file", "files", "theme", "session",
           "write", "error", "required", "invalid", "choice", "expected", "unrecognized"}


def english_words(text: str, allowed: tuple[str, ...] = ()) -> set[str]:
    """Lower-case words that read as English; option names (--json) and quoted values aside."""
    words = set(re.findall(r"(?<![-\w'])[a-z]+(?![-\w'])", text))
    return (words & ENGLISH) - set(allowed)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_dutch(home: Path, command: str) -> None:
    result = run_coach(home, *([command] if command else []), "--help", COLUMNS="80")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"gebruik: coach{' ' + command if command else ''} ")
    assert "  -h, --help" in out and "toon deze hulp en stop" in out and "\nopties:\n" in out
    assert not english_words(out, allowed=COMMANDS), out  # the commands' own names (`coach list`) aside


def test_top_level_help_lists_every_command_in_dutch(home: Path) -> None:
    out = run_coach(home, "--help", COLUMNS="80").stdout
    assert "\nopdrachten:\n  OPDRACHT\n" in out
    assert "list          de thema's" in out and "forget        wis al je bewaarde sessies" in out
    assert "--version       toon het versienummer en stop" in out
    assert "Meer over een opdracht: coach OPDRACHT --help" in " ".join(out.split())
    show = run_coach(home, "show", "--help", COLUMNS="80").stdout
    assert "\nargumenten:\n  THEMA " in show and "Een thema als gegevens" in show, "a subcommand's own help says what it does"


@pytest.mark.parametrize(("argv", "said"), [
    (["show"], "coach show: fout: dit ontbreekt nog: THEMA"),
    (["run", "x"], "coach run: fout: dit ontbreekt nog: --answers"),
    (["strat"], "coach: fout: bij OPDRACHT: ongeldige keuze: 'strat' (kies uit 'list', 'show', "),
    (["list", "extra"], "coach: fout: niet herkend: extra"),
    (["run", "x", "--answers"], "coach run: fout: bij --answers: hier hoort één waarde achter"),
    (["start", "x", "--n"], "coach start: fout: --n is niet eenduidig: bedoel je --no-probes, --name?"),
    (["list", "--json=ja"], "coach list: fout: bij --json: hier hoort geen waarde bij: 'ja'"),
    (["graph", "x", "--format", "png"], "coach graph: fout: bij --format: ongeldige keuze: 'png' (kies uit 'mermaid', 'dot')"),
    (["serve", "--port", "99999"], "coach serve: fout: bij --port: ongeldige poort '99999'"),
])
def test_command_line_mistakes_are_said_in_dutch(home: Path, argv: list[str], said: str) -> None:
    result = run_coach(home, *argv)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("gebruik: coach"), result.stderr
    assert said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not english_words(result.stderr, allowed=COMMANDS), result.stderr


def test_a_mistake_quotes_no_control_sequences(home: Path) -> None:
    result = run_coach(home, "list", "\x1b]0;titel\x07\x1b[2Jzz")
    assert result.returncode == 2
    assert "coach: fout: niet herkend: zz" in result.stderr and "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_argparse_messages_it_does_not_know_stay_as_they_are() -> None:
    assert argparse_in_dutch("argument --port: invalid choice: 'x' (choose from 'a', 'b')") == \
        "bij --port: ongeldige keuze: 'x' (kies uit 'a', 'b')"
    assert argparse_in_dutch("argument --port: ongeldige poort 'x:y'") == "bij --port: ongeldige poort 'x:y'"
    assert argparse_in_dutch("expected 2 arguments") == "hier horen 2 waarden achter"
    assert argparse_in_dutch("something a newer Python says") == "something a newer Python says"


@pytest.fixture
def broken_folder(tmp_path: Path) -> tuple[Path, int]:
    """The example folder with a dialogue indented by a tab (line returned) and a folder named like a dialogue."""
    folder = tmp_path / "gesprekken"
    folder.mkdir()
    for source in DATA.glob("*.yaml"):
        shutil.copy(source, folder / source.name)
    lines = (DATA / "example.yaml").read_text(encoding="utf-8").replace("id: example", "id: kapot", 1).splitlines(True)
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("    type: list"))
    lines[line - 1] = "\t" + lines[line - 1].lstrip(" ")
    (folder / "kapot.yaml").write_text("".join(lines), encoding="utf-8")
    (folder / "extra.yaml").mkdir()
    return folder, line


def test_list_shows_the_healthy_themes_and_names_the_broken_files(home: Path, broken_folder: tuple[Path, int]) -> None:
    folder, line = broken_folder
    result = run_coach(home, "list", COACH_DIALOGUES=str(folder))
    assert result.returncode == 1, "an incomplete list says so, as coach check does"
    assert result.stdout.startswith("example  Voorbeeldgesprek  (7 vragen;"), result.stderr
    assert "kapot" not in result.stdout
    assert f"coach: {folder / 'kapot.yaml'}:{line}: " in result.stderr and "tab" in result.stderr
    assert f"coach: {folder / 'extra.yaml'}: " in result.stderr
    assert result.stderr.rstrip().endswith(
        "coach: deze 2 gespreksbestanden zijn overgeslagen; de andere thema's staan hierboven (meer: coach check)")
    assert "Traceback" not in result.stderr
    as_json = run_coach(home, "list", "--json", COACH_DIALOGUES=str(folder))
    assert as_json.returncode == 1
    assert [t["id"] for t in json.loads(as_json.stdout)["themes"]] == ["example"]


def test_list_names_one_broken_file_as_one(home: Path, broken_folder: tuple[Path, int]) -> None:
    folder, _ = broken_folder
    (folder / "extra.yaml").rmdir()
    result = run_coach(home, "list", COACH_DIALOGUES=str(folder))
    assert result.returncode == 1 and "example  Voorbeeldgesprek" in result.stdout
    assert "coach: dit gespreksbestand is overgeslagen; de andere thema's staan hierboven" in result.stderr


@pytest.mark.parametrize("argv", [["models"], ["models", "--json"], ["kernvragen"], ["kernvragen", "--json"]])
def test_models_and_kernvragen_show_the_catalogue_beside_a_broken_file(home: Path, broken_folder: tuple[Path, int],
                                                                        argv: list[str]) -> None:
    folder, line = broken_folder
    result = run_coach(home, *argv, COACH_DIALOGUES=str(folder))
    assert result.returncode == 1
    assert result.stdout.strip(), "the catalogue is shown"
    if "--json" in argv:
        assert json.loads(result.stdout)["shape"].startswith("netwerkcoach.")
    assert f"{folder / 'kapot.yaml'}:{line}: " in result.stderr and str(folder / "extra.yaml") in result.stderr
    assert "zijn overgeslagen; hierboven tellen ze niet mee" in result.stderr and "Traceback" not in result.stderr


def test_start_still_works_beside_a_broken_file(home: Path, broken_folder: tuple[Path, int]) -> None:
    folder, _ = broken_folder
    result = run_coach(home, "start", "example", input="Dementiezorg\n\n", COACH_DIALOGUES=str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().splitlines()[-1].startswith("Sessie bewaard. Verder gaan: coach resume ")


def test_forget_counts_one_session_as_one(home: Path) -> None:
    run_coach(home, "start", "example", input="Dementiezorg\n\n", COACH_DIALOGUES=str(DATA))
    one = run_coach(home, "forget", "--all", input="VERGEET\n")
    assert one.returncode == 0, one.stderr
    assert one.stderr.startswith(f"De ene sessie in {home / 'sessions'} wissen? Typ VERGEET om te bevestigen: ")
    assert "1 sessie gewist." in one.stderr and "sessies" not in one.stderr
    for _ in range(2):
        run_coach(home, "start", "example", input="Dementiezorg\n\n", COACH_DIALOGUES=str(DATA))
    two = run_coach(home, "forget", "--all", input="VERGEET\n")
    assert two.stderr.startswith(f"Alle 2 sessies in {home / 'sessions'} wissen?") and "2 sessies gewist." in two.stderr


def test_check_counts_one_file_and_one_problem_as_one(home: Path, broken_folder: tuple[Path, int]) -> None:
    folder, _ = broken_folder
    clean = run_coach(home, "check", str(folder / "example.yaml"))
    assert clean.returncode == 0 and clean.stdout.strip() == "Alles in orde: 1 bestand gecontroleerd."
    broken = run_coach(home, "check", str(folder / "kapot.yaml"))
    assert broken.returncode == 1 and broken.stderr.rstrip().endswith("1 probleem gevonden in 1 bestand.")


def test_plain_mode_says_how_to_go_on_in_a_session_kept_elsewhere(home: Path, tmp_path: Path) -> None:
    started = run_coach(home, "start", "example", input="Dementiezorg\n\n", COACH_DIALOGUES=str(DATA))
    (saved,) = (home / "sessions").glob("*.yaml")
    assert started.stdout.rstrip().splitlines()[-1] == f"Sessie bewaard. Verder gaan: coach resume {saved.stem}"
    elsewhere = tmp_path / "mijn map" / "sessie.yaml"
    elsewhere.parent.mkdir()
    saved.rename(elsewhere)
    resumed = run_coach(home, "resume", str(elsewhere), input="", COACH_DIALOGUES=str(DATA))
    assert resumed.returncode == 0, resumed.stderr
    last = resumed.stdout.rstrip().splitlines()[-1]
    assert last == f"Sessie bewaard. Verder gaan: coach resume {shlex.quote(str(elsewhere))}"
    again = run_coach(home, *shlex.split(last.split(": ", 1)[1])[1:], input="1\n", COACH_DIALOGUES=str(DATA))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Voor de opgave 'Dementiezorg':"), "the command shown goes on where it stopped"
    answers = yaml.safe_load(elsewhere.read_text(encoding="utf-8"))["answers"]
    assert {"question": "positie", "value": "proactief"}.items() <= answers[-1].items(), "in that very file"


def test_list_names_a_link_to_nothing_as_such(home: Path, broken_folder: tuple[Path, int]) -> None:
    folder, _ = broken_folder
    (folder / "weg.yaml").symlink_to(folder / "bestaat-niet.yaml")
    result = run_coach(home, "list", COACH_DIALOGUES=str(folder))
    assert result.returncode == 1 and "example  Voorbeeldgesprek" in result.stdout
    assert f"coach: {folder / 'weg.yaml'}: kan niet lezen: het bestand bestaat niet" in result.stderr
    assert "onbekend thema" not in result.stderr and "deze 3 gespreksbestanden zijn overgeslagen" in result.stderr


def test_graph_dot_without_graphviz_says_so_in_dutch(home: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("graphviz") is not None:
        pytest.skip("graphviz is installed here")
    result = run_coach(home, "graph", str(DATA / "example.yaml"), "--format", "dot")
    assert result.returncode == 1
    assert result.stderr == ("coach: --format dot heeft het Python-pakket 'graphviz' nodig (pip install graphviz); "
                             "--format mermaid heeft niets extra nodig\n")
