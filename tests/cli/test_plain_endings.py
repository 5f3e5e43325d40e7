"""Plain mode at its edges, through real pipes: how a run ends (end of input, :pauze,
Ctrl+C, a reader that goes away) never loses what was typed, and a wrong choice is
answered in the words the question was asked in (numbers), not in internal values."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import yaml

from conftest import DATA, EXAMPLE, ROOT, coach_env, run_coach

# A dialogue that asks a text first, then a list, a choice, a multichoice and a polarity.
ENDINGS = """\
format: 1
id: einde
title: Einde
version: "1.0"
intro: Vragen om het einde van de invoer mee te proberen.
perspectives: [maatschappelijke-opgaven]
nodes:
  - id: netwerk
    type: text
    text: Over welk netwerk wil je het hebben?
  - id: opgaven
    type: list
    text: Welke opgaven?
    min: 1
  - id: verloop
    type: choice
    text: Hoe verloopt het?
    options:
      - {value: start, label: We zitten nog in de beginfase}
      - {value: stokt, label: Het stokt}
      - {value: doorstart, label: Een doorstart}
      - {value: stabiel, label: Stabiel}
  - id: spelregels
    type: multichoice
    text: Welke spelregels zijn er?
    options:
      - {value: deelname, label: Wie doen mee}
      - {value: financiering, label: Financiering}
    min: 0
  - id: spanning
    type: polarity
    text: Waar sta je?
    poles: {left: Eigen doel, right: Samen}
    ask: both
probes: []
"""


def start(home: Path, tmp_path: Path, typed: str, *args: str) -> subprocess.CompletedProcess[str]:
    dialogue = tmp_path / "einde.yaml"
    dialogue.write_text(ENDINGS, encoding="utf-8")
    return run_coach(home, "start", str(dialogue), "--no-probes", *args, input=typed, COACH_DIALOGUES=str(DATA))


def saved_path(home: Path) -> Path:
    """Where the one saved transcript is."""
    (session,) = json.loads(run_coach(home, "sessions", "--all", "--json", COACH_DIALOGUES=str(DATA)).stdout)["sessions"]
    return Path(session["path"])


def saved(home: Path) -> dict[str, Any]:
    """The one saved transcript."""
    return yaml.safe_load(saved_path(home).read_text(encoding="utf-8"))


def answers(home: Path) -> dict[str, Any]:
    return {a["question"]: a["value"] for a in saved(home)["answers"]}


KEPT = "Wat je bij deze vraag typte, is als antwoord bewaard; aanpassen kan later met :terug."


def last_line(output: str) -> str:
    return output.rstrip().splitlines()[-1]


# ---------------------------------------------------------------- end of input, :pauze

def test_end_of_input_saves_an_unfinished_text_answer(home: Path, tmp_path: Path) -> None:
    """`printf 'antwoord\\n' | coach start THEME`: no empty line ends the text; the text is kept."""
    result = start(home, tmp_path, "Ons netwerk\nvoor dementiezorg\n")
    assert result.returncode == 0, result.stderr
    assert answers(home) == {"netwerk": "Ons netwerk\nvoor dementiezorg"}
    assert result.stderr.count("opgeslagen") == 1
    assert KEPT in result.stdout
    assert last_line(result.stdout).startswith("Sessie bewaard. Verder gaan: coach resume ")


def test_end_of_input_saves_an_unfinished_list_answer(home: Path) -> None:
    """`printf 'Dementie\\nWonen\\n' | coach start positionering`, on the example's list."""
    result = run_coach(home, "start", "example", input="Dementiezorg\nWonen\n", COACH_DIALOGUES=str(DATA))
    assert result.returncode == 0, result.stderr
    assert answers(home) == {"opgaven": ["Dementiezorg", "Wonen"]}
    assert KEPT in result.stdout and last_line(result.stdout).startswith("Sessie bewaard.")


def test_end_of_input_saves_an_unfinished_follow_up(home: Path) -> None:
    result = run_coach(home, "start", "example", COACH_DIALOGUES=str(DATA),
                       input="Dementiezorg\n\n3\n2\nHet moet van de gemeente\n\nDe wethouder\nzegt het\n")
    assert result.returncode == 0, result.stderr
    (probe,) = saved(home)["probes"]
    assert probe["probe"] == "moeten" and probe["value"] == "De wethouder\nzegt het" and not probe["skipped"]


def test_end_of_input_with_nothing_typed_saves_nothing_more(home: Path, tmp_path: Path) -> None:
    result = start(home, tmp_path, "Ons netwerk\n\nDementiezorg\n\n")
    assert result.returncode == 0, result.stderr
    assert answers(home) == {"netwerk": "Ons netwerk", "opgaven": ["Dementiezorg"]}
    assert KEPT not in result.stdout


def test_pause_inside_a_text_answer_saves_it_then_pauses(home: Path, tmp_path: Path) -> None:
    """`:pauze` after two lines: they are the answer, said in one line, then the usual pause."""
    result = start(home, tmp_path, "regel een\nregel twee\n:pauze\nDit wordt niet meer gelezen\n")
    assert result.returncode == 0, result.stderr
    assert answers(home) == {"netwerk": "regel een\nregel twee"}
    lines = result.stdout.rstrip().splitlines()
    assert lines[-2:] == [KEPT, f"Sessie bewaard. Verder gaan: coach resume {saved(home)['session']}"]
    assert saved(home)["events"][-1]["type"] == "pause"
    again = run_coach(home, "resume", "--no-probes", input="", COACH_DIALOGUES=str(DATA))
    assert "Welke opgaven?" in again.stdout, "goes on at the next question"


def test_pause_inside_a_list_answer_that_is_not_valid_yet_asks_again(home: Path, tmp_path: Path) -> None:
    """A list needing an item cannot be saved empty; nothing half-done is claimed as saved."""
    result = start(home, tmp_path, "Ons netwerk\n\nDementiezorg\nDementiezorg\n:pauze\nWonen\n\n")
    assert "'Dementiezorg' staat er twee keer in" in result.stderr
    assert "coach: niet gepauzeerd: de sessie loopt nog" in result.stderr
    assert result.stdout.count("Welke opgaven?") == 2
    assert answers(home) == {"netwerk": "Ons netwerk", "opgaven": ["Wonen"]}


def test_help_and_other_commands_inside_an_answer_keep_what_was_typed(home: Path, tmp_path: Path) -> None:
    result = start(home, tmp_path, "regel een\n:hulp\n:overslaan\n:terug\nregel twee\n\n")
    assert result.returncode == 0, result.stderr
    assert "Commando's: :terug, :overslaan, :pauze, :hulp" in result.stdout
    assert "coach: :overslaan werkt alleen op de eerste regel van een antwoord; wat je typte blijft staan" in result.stderr
    assert "coach: :terug werkt alleen op de eerste regel" in result.stderr
    assert answers(home) == {"netwerk": "regel een\nregel twee"}


def test_half_a_polarity_at_end_of_input_is_named(home: Path, tmp_path: Path) -> None:
    result = start(home, tmp_path, "Ons netwerk\n\nDementiezorg\n\n1\n\n2\n")
    assert result.returncode == 0, result.stderr
    assert "coach: vraag 'spanning': 'nu 2' is niet bewaard: gewenst ontbrak nog" in result.stderr
    assert "spanning" not in answers(home)


# ---------------------------------------------------------------- wrong choices

def test_wrong_choice_is_answered_in_numbers_not_values(home: Path, tmp_path: Path) -> None:
    result = start(home, tmp_path, "Ons netwerk\n\nDementiezorg\n\nx\n9\nHET STOKT\n1,x\n7\n2\n")
    assert result.returncode == 0, result.stderr
    assert ("coach: vraag 'verloop': verwacht een nummer van 1 tot en met 4 (of de tekst van een keuze), "
            "gevonden 'x'") in result.stderr
    assert "gevonden '9'" in result.stderr
    assert ("coach: vraag 'spelregels': verwacht nummers van 1 tot en met 2 met komma's ertussen "
            "(of de tekst van de keuzes), gevonden 'x'") in result.stderr
    assert "gevonden '7'" in result.stderr
    assert "start, stokt" not in result.stderr and "deelname" not in result.stderr, "values the user never saw"
    assert result.stdout.count("Hoe verloopt het?") == 3 and result.stdout.count("Welke spelregels") == 3
    assert answers(home) == {"netwerk": "Ons netwerk", "opgaven": ["Dementiezorg"], "verloop": "stokt",
                             "spelregels": ["financiering"]}


def test_answers_files_still_name_the_values(home: Path, tmp_path: Path) -> None:
    """`coach run` reads values from a file: there the values are what to name."""
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text("opgaven: [Dementiezorg]\npositie: {Dementiezorg: misschien}\n", encoding="utf-8")
    result = run_coach(home, "run", str(EXAMPLE), "--answers", str(answers_file))
    assert result.returncode == 1 and "verwacht één van: proactief, actief, afhoudend" in result.stderr


# ---------------------------------------------------------------- Ctrl+C, a closed stdout

def live(home: Path, *args: str, stdout: int = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "coach", *args], stdin=subprocess.PIPE, stdout=stdout,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=ROOT,
                            env=coach_env(home, COACH_DIALOGUES=str(DATA)))


def read_until(process: subprocess.Popen[str], words: str, timeout: float = 30.0) -> None:
    """Read stdout until a line holding ``words``; the process is killed when it does not come."""
    assert process.stdout is not None
    seen: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in iter(process.stdout.readline, ""):
            seen.append(line)
            if words in line:
                found.set()
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not found.wait(timeout):
        process.kill()
        raise AssertionError(f"no {words!r} in {seen[-5:]}")
    reader.join(timeout)


def interrupted(home: Path, typed: str, marker: str) -> tuple[int, str, str]:
    """Plain mode on the example: type, wait until ``marker`` is on screen, press Ctrl+C.
    Returns the exit code, standard output and standard error."""
    process = live(home, "start", "example")
    try:
        assert process.stdin is not None
        process.stdin.write(typed)
        process.stdin.flush()
        read_until(process, marker)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode, out, err


def test_ctrl_c_says_how_to_resume_and_keeps_the_answer_being_typed(home: Path) -> None:
    code, out, err = interrupted(home, "Dementiezorg\n\n1\n1\n4\n1\n2\nBellen met\n:hulp\n",  # :hulp: a sign it was read
                                 "je antwoord loopt nog")
    assert code == 130
    assert "Traceback" not in err and err.rstrip().splitlines()[-1] == "coach: onderbroken"
    document = saved(home)
    assert out.rstrip().splitlines()[-1] == f"Sessie bewaard. Verder gaan: coach resume {document['session']}"
    assert KEPT in out
    assert {a["question"]: a["value"] for a in document["answers"]}["stap"] == "Bellen met"


def test_ctrl_c_between_answers_says_how_to_resume(home: Path) -> None:
    code, out, err = interrupted(home, "Dementiezorg\n\n", "Welke positie kies je bij Dementiezorg?")
    assert code == 130 and "coach: onderbroken" in err
    assert out.rstrip().splitlines()[-1] == f"Sessie bewaard. Verder gaan: coach resume {saved(home)['session']}"
    assert KEPT not in out
    assert answers(home) == {"opgaven": ["Dementiezorg"]}


def test_a_closed_stdout_does_not_stop_saving_the_input(home: Path) -> None:
    """`coach start THEME < walk.txt | head -1`: the reader goes away; the input is still saved."""
    process = live(home, "start", "example", "--ack-stdout")
    assert process.stdout is not None and process.stdin is not None
    process.stdout.close()  # before coach writes anything: every write finds the pipe closed
    _, err = process.communicate("Dementiezorg\nWonen\n\n1\n1,3\n2\n\n2\n", timeout=60)
    assert process.returncode == 0
    assert "Traceback" not in err and "Exception ignored" not in err
    document = saved(home)
    assert err.rstrip().splitlines()[-1] == (
        "coach: de uitvoer werd gesloten, maar je antwoorden zijn bewaard. "
        f"Sessie bewaard. Verder gaan: coach resume {document['session']}")
    assert {(a["question"], a["item"]): a["value"] for a in document["answers"]} == {
        ("opgaven", None): ["Dementiezorg", "Wonen"],
        ("positie", "Dementiezorg"): "proactief", ("overwegingen", "Dementiezorg"): ["regio", "yes"],
        ("positie", "Wonen"): "actief", ("overwegingen", "Wonen"): [],
        ("energie", None): 2}


def test_a_closed_stdout_at_the_end_still_says_where_it_is_saved(home: Path) -> None:
    process = live(home, "start", "example", "--no-probes")
    assert process.stdout is not None
    process.stdout.close()
    _, err = process.communicate("Dementiezorg\n\n1\n1\n4\n2\n5\nBellen\n\n", timeout=60)
    assert process.returncode == 0 and "Traceback" not in err
    document = saved(home)
    assert document["finished"]
    assert err.rstrip().splitlines()[-1] == (
        f"coach: de uitvoer werd gesloten, maar je antwoorden zijn bewaard. Bewaard in {saved_path(home)}")
