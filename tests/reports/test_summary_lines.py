"""Lines of a report's summary that say more than the answers: the ranking of a profile
(equal scores are equal), the answers an insight rests on (only those given) and the date
of each participant (one Dutch format, the session's own date marked as such)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from report_helpers import CALM, as_yaml, make_session

from conftest import DATA, DIALOGUES, run_coach


def theme_session(theme: str, answers_name: str) -> Any:
    """A finished session of a real theme from one of its answers files."""
    from coach.engine.library import load_catalogue, load_dialogue
    from coach.session.headless import run_headless

    catalogue = load_catalogue(DIALOGUES)
    dialogue = load_dialogue(DIALOGUES / f"{theme}.yaml", catalogue)
    text = (DATA / "answers" / f"{answers_name}.yaml").read_text(encoding="utf-8")
    given = yaml.load(text, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))  # noqa: S506
    session = run_headless(dialogue, catalogue, given, answers_name, probes=False)
    session.session_id = f"20261123-201500-{theme}-0000"
    return session


def report(home: Path, path: Path, fmt: str, *more: Path) -> str:
    result = run_coach(home, "report", str(path), *map(str, more), "--format", fmt)
    assert result.returncode == 0, result.stderr
    return result.stdout


# ------------------------------------------------------------------ ranking

@pytest.fixture
def netwerkdip_calm(home: Path, tmp_path: Path) -> Path:
    path = tmp_path / "calm.yaml"
    path.write_text(as_yaml(theme_session("netwerkdip", "netwerkdip-calm")), encoding="utf-8")
    return path


RANKED = "Van sterk naar zwak: Burger of patiënt beter af, Waarde van de ontmoeting (4); Effect voor de regio (3)."


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_equal_scores_are_ranked_as_equal(fmt: str, home: Path, netwerkdip_calm: Path) -> None:
    text = report(home, netwerkdip_calm, fmt)
    # The four ingredients all scored 4 of 5: no order among them, so no ranking at all.
    ingredients = text[text.index("Vier ingrediënten"):text.index("Wat je schreef over de ingrediënten")]
    assert "4 van 5" in ingredients
    assert "sterk naar zwak" not in ingredients
    # Economisch kapitaal: 4, 3, 4 -> the two fours together, in the dialogue's order.
    assert RANKED in text
    assert ("Van sterk naar zwak: Snel veranderende context, Zorgen om capaciteit en geld (3); Steeds meer overleg, "
            "Gedoe over de doelen, Vraag om verantwoording, Haarscheurtjes in de ambitie (2); Terugval op oude "
            "sturing, Verschuivende macht (1).") in text


def test_the_plain_summary_ranks_equal_scores_as_equal() -> None:
    from coach.wording import render_summary_text

    session = theme_session("netwerkdip", "netwerkdip-calm")
    text = render_summary_text(session.dialogue, session.summary)
    ingredients = text[text.index("Vier ingrediënten"):text.index("Wat je schreef over de ingrediënten")]
    assert "sterk naar zwak" not in ingredients
    assert RANKED.rstrip(".") + "\n" in text


def test_one_answered_bar_is_no_ranking(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(as_yaml(make_session(CALM)), encoding="utf-8")  # the profile 'Energie' has one question
    for fmt in ("md", "html"):
        assert "sterk naar zwak" not in report(home, path, fmt)


# ---------------------------------------------------------------- rests_on

def test_a_stored_insight_does_not_rest_on_a_skipped_answer(home: Path, tmp_path: Path) -> None:
    # A summary stored by an older version names every answer of its rule, skipped or not.
    session = make_session(dict(CALM, stap="~skip"))
    assert session.answers[("stap", None)].skipped
    kloof = next(i for i in session.summary["insights"] if i["id"] == "kloof")
    kloof["rests_on"] += [{"question": "stap", "item": None}, {"question": "waarom_weinig", "item": None}]
    path = tmp_path / "old.yaml"
    path.write_text(as_yaml(session), encoding="utf-8")

    data = json.loads(report(home, path, "json"))
    insights = {i["id"]: i for i in data["parts"][0]["sessions"][0]["summary"]["insights"]}
    assert [r["question"] for r in insights["kloof"]["rests_on"]] == ["spanning", "waarom_weinig"]
    kept = "Waar sta je tussen eigen doel en gezamenlijke opgave?, Wat kost je energie?"
    assert f"*Rust op:* {kept}\n" in report(home, path, "md")
    assert f'<p class="rests">Rust op: {kept}</p>' in report(home, path, "html")


# ------------------------------------------------------------------- dates

@pytest.fixture
def dated(home: Path, tmp_path: Path) -> list[Path]:
    """Three of a group: a typed ISO date, no date (the session's own), a date typed otherwise."""
    paths = []
    for number, (name, date) in enumerate([("Anna", "2026-11-20"), ("Bram", None), ("Cas", "vrijdag 20-11")]):
        session = make_session(CALM, name=name, group="bestuur", number=number)
        session.participant["date"] = date
        path = tmp_path / f"{name}.yaml"
        path.write_text(as_yaml(session), encoding="utf-8")
        paths.append(path)
    return paths


def test_the_group_dates_share_one_format(home: Path, dated: list[Path]) -> None:
    markdown = report(home, dated[0], "md", *dated[1:])
    assert "| Anna | — | 20 november 2026 | afgerond |" in markdown
    assert "| Bram | — | 23 november 2026 (sessie) | afgerond |" in markdown
    assert "| Cas | — | vrijdag 20-11 | afgerond |" in markdown, "a date typed otherwise is shown as typed"
    assert "2026-11-20" not in markdown
    assert "*Datum:* 20 november 2026" in markdown, "the session's own header too"
    html = report(home, dated[0], "html", *dated[1:])
    assert "<td>20 november 2026</td>" in html
    assert '<td>23 november 2026 <span class="muted">(sessie)</span></td>' in html
    assert "<td>vrijdag 20-11</td>" in html
    assert "<dd>20 november 2026</dd>" in html


def test_the_date_filter_reads_iso_dates_only() -> None:
    from coach.reports.render import _date

    assert _date("2026-11-20") == "20 november 2026"
    assert _date(" 2026-11-20 ") == "20 november 2026"
    assert _date("2026-11-20", True) == "20 november 2026", "no time that was not given"
    assert _date("2026-11-23T20:15:00+00:00", True) == "23 november 2026, 20:15"
    assert _date("2026-11-23T20:15:00.123456Z", True) == "23 november 2026, 20:15"
    for typed in ("20261120", "2026-W47-5", "2026-02-30", "20-11-2026", "vrijdag", "2026-11-20 en 21"):
        assert _date(typed) == typed


# ------------------------------------------------------------- wording of the lines

@pytest.fixture
def leadership(home: Path, tmp_path: Path) -> Path:
    """Netwerkleiderschap, whose profile has two axes (Richten: strateeg 5 and verkenner 5)."""
    path = tmp_path / "leiderschap.yaml"
    path.write_text(as_yaml(theme_session("netwerkleiderschap", "netwerkleiderschap-eenzijdig_richten")), encoding="utf-8")
    return path


def test_the_axes_are_means_on_the_scale_of_the_bars_and_say_so(home: Path, leadership: Path) -> None:
    """A sum (Richten: 10) next to bars of 1 to 5, unlabelled, read as a score of 10; the group
    report gave means. Every place now gives the mean, and says it is one."""
    from coach.wording import render_summary_text

    markdown = report(home, leadership, "md")
    assert "Gemiddeld per as:\n\n- Richten: 5 ↔ Inrichten \\& verrichten: 3\n- Verduurzamen: 4 ↔ Vernieuwen: 4\n" in markdown
    html = report(home, leadership, "html")
    assert "<li>Gemiddeld: <span>Richten <strong>5</strong></span>" in html
    session = theme_session("netwerkleiderschap", "netwerkleiderschap-eenzijdig_richten")
    text = render_summary_text(session.dialogue, session.summary)
    assert "Gemiddeld per as:\nRichten 5 ↔ Inrichten & verrichten 3\nVerduurzamen 4 ↔ Vernieuwen 4\n" in text
    assert "10" not in text[text.index("Gemiddeld per as"):text.index("Vernieuwen 4")]


def test_a_report_of_one_session_without_a_name_is_not_about_participant_a(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "alone.yaml"
    path.write_text(as_yaml(make_session(CALM)), encoding="utf-8")
    assert "\n## Jouw sessie\n" in report(home, path, "md")
    assert "<h2>Jouw sessie</h2>" in report(home, path, "html")
    named = tmp_path / "named.yaml"
    named.write_text(as_yaml(make_session(CALM, name="Anna de Vries", number=1)), encoding="utf-8")
    assert "\n## Anna de Vries\n" in report(home, named, "md")
    both = report(home, path, "md", named)
    assert "\n## Deelnemer " in both and "Jouw sessie" not in both, "among others, a letter tells it apart"


def test_a_score_everyone_gave_is_one_number_not_a_range(home: Path, tmp_path: Path) -> None:
    paths = []
    for number, name in enumerate(["Anna", "Bram"]):
        path = tmp_path / f"{name}.yaml"
        path.write_text(as_yaml(make_session(dict(CALM, spanning={"now": 2, "desired": 4 + number}), name=name,
                                             group="bestuur", number=number)), encoding="utf-8")
        paths.append(path)
    markdown = report(home, paths[0], "md", paths[1])
    assert "**Energie**: allebei 2 (2 deelnemers)" in markdown
    assert "nu 2, gewenst 4–5;" in markdown and "2–2" not in markdown
    html = report(home, paths[0], "html", paths[1])
    assert "allebei 2" in html and "nu 2 (gemiddeld 2)" in html and "2–2" not in html


def test_the_group_says_how_its_bars_are_ordered(home: Path, tmp_path: Path) -> None:
    paths = []
    for number, answers in enumerate(["netwerkdip-calm", "netwerkdip-diepe_dip"]):
        session = theme_session("netwerkdip", answers)
        session.session_id = f"20261123-20150{number}-netwerkdip-0000"
        path = tmp_path / f"{answers}.yaml"
        path.write_text(as_yaml(session), encoding="utf-8")
        paths.append(path)
    markdown = report(home, paths[0], "md", paths[1])
    signs = markdown[markdown.index("### Tekenen van de netwerkdip"):]
    assert signs.index("Waar de scores het verst uiteenlopen eerst.") < signs.index("**")
    assert "Waar de scores het verst uiteenlopen eerst." in report(home, paths[0], "html", paths[1])


def test_authors_read_as_a_citation() -> None:
    from coach.text import authors_line

    assert authors_line(["Klaster", "W. Opheij"]) == "Klaster & W. Opheij"
    assert authors_line(["K.G. Provan", "P. Kenis", "X"]) == "K.G. Provan, P. Kenis & X"
    assert authors_line(["E. Kaats"]) == "E. Kaats"
    assert authors_line([]) == ""
