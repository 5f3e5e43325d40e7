"""The quick scan for a whole partnership: four partners' transcripts piped into one report
give the comparison per condition (golden Markdown), and the HTML parses strictly.

Regenerate after an intended change: COACH_REGENERATE_GOLDENS=1 .venv/bin/python -m pytest
tests/reports/test_quickscan_partners.py, then review `git diff tests/reports/golden/`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from test_golden import check_golden

from coach.engine.library import load_catalogue, load_dialogue
from coach.session import transcript
from coach.session.headless import run_headless
from conftest import DATA, DIALOGUES, run_coach

PARTNERS = sorted((DATA / "quickscan-partners").glob("partner-*.yaml"))
NAMES = ["Anna de Vries", "Bram Jansen", "Carla Smit", "Dilan Yilmaz"]


@pytest.fixture
def partners(home: Path, tmp_path: Path) -> list[Path]:
    catalogue = load_catalogue(DIALOGUES)
    dialogue = load_dialogue(DIALOGUES / "quickscan.yaml", catalogue)
    paths = []
    for index, (source, name) in enumerate(zip(PARTNERS, NAMES)):
        given = yaml.load(source.read_text(encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))  # noqa: S506
        session = run_headless(dialogue, catalogue, given, str(source), probes=False)
        session.session_id = f"quickscan-{index}"
        session.participant.update({"name": name, "organisation": f"Partner {index + 1}"})
        session.group = "Langer Thuis Vallei"
        path = tmp_path / f"{source.stem}.yaml"
        transcript.save(path, session.to_document())
        paths.append(path)
    return paths


def test_four_partners_compare_per_condition(partners: list[Path], home: Path) -> None:
    assert len(partners) == 4
    stream = "".join(p.read_text(encoding="utf-8") for p in partners)
    result = run_coach(home, "report", "--format", "md", input=stream)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for condition in ("Gedeelde ambitie", "Motieven en belangen", "Persoonlijke relaties",
                      "Professioneel organiseren", "Goed proces"):
        assert condition in text
    for name in NAMES:
        assert name in text
    spreads = [int(high) - int(low) for low, high in re.findall(r"\*\*: spreiding (\d)–(\d)", text)]
    assert len(spreads) >= 5 and spreads[:5] == sorted(spreads[:5], reverse=True), "largest differences first"
    check_golden("quickscan-partners.md", result.stdout)


def test_partner_comparison_html_parses_and_has_no_scripts(partners: list[Path], home: Path) -> None:
    import html5lib

    result = run_coach(home, "report", "--format", "html", *map(str, partners))
    assert result.returncode == 0, result.stderr
    html5lib.HTMLParser(strict=True).parse(result.stdout)
    assert "<script" not in result.stdout.lower()
    assert result.stdout.count("<svg") >= 5, "a chart per condition"
