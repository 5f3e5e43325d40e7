"""Nothing injected: what a user typed, a dialogue said or a file was called never steers the terminal.

Answer text, participant names, dialogue text and file names pass through
``coach.text.strip_controls`` before plain mode or the command line shows them
(escape sequences, C0 and C1 controls out; bidi overrides shown as ``<U+202E>``).
Answers are data, never templates: ``{{ 7*7 }}`` stays as typed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import DATA, ROOT, coach_env

from coach.session import transcript
from coach.text import strip_controls

ESCAPES = "\x1b[2J\x1b[H\x1b]0;gekaapt\x07\x1b]8;;https://example.invalid\x07link\x1b]8;;\x1b\\\x9b31m\x90q\x9c\u202e"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def coach(home: Path, args: list[str], typed: str, dialogues: Path = DATA) -> tuple[int, str, str]:
    result = subprocess.run([sys.executable, "-m", "coach", *args], input=typed.encode("utf-8", "surrogateescape"),
                            capture_output=True, env=coach_env(home, COACH_DIALOGUES=str(dialogues)), cwd=ROOT, timeout=60)
    return result.returncode, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")


def assert_clean(*outputs: str) -> None:
    for output in outputs:
        found = UNSAFE.findall(output.replace("\ufffd", ""))
        assert not found, f"control characters reached the terminal: {found!r}"


def test_escapes_in_answers_name_and_group_never_reach_the_terminal(home: Path) -> None:
    typed = "".join([
        f"Zorg{ESCAPES}\nWonen\n\n",        # a list item, shown back in every loop question
        f"9{ESCAPES}\n",                    # a wrong choice, quoted in the error message
        "1\n1\n:terug\n:terug\n",           # back: the earlier answer is shown again
        "1\n1\n2\n\n2\n",
        f"Het moet van de gemeente {ESCAPES}\n\n",   # a text that raises a follow-up quoting it
        ":overslaan\n1\n4\n:terug\n1\n4\n",
        f"Bellen {ESCAPES}\n\n:overslaan\n",
    ])
    code, out, err = coach(home, ["start", "example", "--name", f"Jan{ESCAPES}", "--group", f"RvT{ESCAPES}"], typed)
    assert code == 0, err
    assert_clean(out, err)
    assert "Voor de opgave 'Zorglink<U+202E>':" in out
    assert "verwacht een nummer van 1 tot en met 3 (of de tekst van een keuze), gevonden '9" in err
    assert "  (eerder: Proactief / initiërend)" in out, "going back shows the earlier answer"
    assert "Vervolgvraag: Je schrijft: 'Het moet van de gemeente " in out, "the follow-up quotes the answer (cleaned)"
    (saved,) = (home / "sessions").glob("*.yaml")
    document = transcript.load(saved)
    assert document["participant"]["name"] == f"Jan{ESCAPES}", "stored as typed: data, not display"
    listing = subprocess.run([sys.executable, "-m", "coach", "sessions", "--all"], capture_output=True, text=True,
                             env=coach_env(home, COACH_DIALOGUES=str(DATA)), cwd=ROOT, timeout=60)
    assert_clean(listing.stdout, listing.stderr)


def test_answers_are_never_rendered_as_templates(home: Path) -> None:
    typed = ("{{ 7*7 }}\n{{ answers }}\n\n1\n\n1\n\n2\n"
             "Het moet {{ 7*7 }} van {% if true %}ja{% endif %}\n\n"
             "{{ fragment }}\n\n"
             "1\n4\n{{ 6*7 }}\n\n:overslaan\n")
    code, out, err = coach(home, ["start", "example"], typed)
    assert code == 0, err
    assert "Welke positie kies je bij {{ 7*7 }}?" in out
    assert "Je noemde {{ 7*7 }} en {{ answers }}." in out
    assert "Vervolgvraag: Je schrijft: 'Het moet {{ 7*7 }}…'. Wie zegt dat eigenlijk?" in out
    (saved,) = (home / "sessions").glob("*.yaml")
    shown = out.replace(str(home), "").replace(saved.stem, "")  # a path or session id may hold any digits
    assert "49" not in shown and "42" not in shown and "{'" not in shown, "nothing was evaluated"
    assert "{{ 6*7 }}" in out, "the summary shows the answer as typed"
    values = {a["question"]: a["value"] for a in transcript.load(saved)["answers"]}
    assert values["stap"] == "{{ 6*7 }}" and values["opgaven"] == ["{{ 7*7 }}", "{{ answers }}"]


def test_an_unknown_theme_with_escapes_is_quoted_clean(home: Path) -> None:
    code, out, err = coach(home, ["start", f"geen{ESCAPES}"], "")
    assert code == 1 and "onbekend thema 'geenlink<U+202E>'" in err
    assert_clean(out, err)


def test_a_resumed_session_named_with_escapes_is_quoted_clean(home: Path) -> None:
    code, out, err = coach(home, ["resume", f"sessie{ESCAPES}"], "")
    # the escapes hold a URL, so a "/": the reference is read as a path (ids hold no folders)
    assert code == 2 and "geen transcript gevonden op 'sessielink<U+202E>'" in err
    assert_clean(out, err)


def test_a_template_bomb_in_a_dialogue_is_refused_when_shown(home: Path) -> None:
    bomb = DATA / "hostile" / "dialogue-template-bomb.yaml"
    code, out, err = coach(home, ["start", str(bomb)], "A\n\n1\n\n1\n")
    assert code == 1 and "result of * would be too long" in err and "vraag 'waarom_weinig'" in err
    assert "Traceback" not in err


@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=200))
def test_strip_controls_leaves_nothing_that_steers_a_terminal(text: str) -> None:
    cleaned = strip_controls(text)
    assert not UNSAFE.search(cleaned)
    assert strip_controls(cleaned) == cleaned, "stable: stripping twice changes nothing"


@given(st.lists(st.sampled_from(["\x1b", "[", "]", "\x07", "\x9b", "\x9d", "\x90", "\\", "0", ";", "m", "P", "x", "\u202e", "\n", "\r"]),
                max_size=60))
def test_strip_controls_survives_broken_sequences(parts: list[str]) -> None:
    cleaned = strip_controls("".join(parts))
    assert "\x1b" not in cleaned and "\x07" not in cleaned and "\r" not in cleaned and not UNSAFE.search(cleaned)
