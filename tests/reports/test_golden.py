"""Golden files: one transcript and a group of four, as Markdown, HTML and JSON.

The transcripts are made from tests/data/example.yaml with fixed answers, a fixed
session id and the clock fixed (COACH_NOW), so a report is the same byte for byte on
every machine. When a template or the data changes on purpose, look at the diff, then
regenerate and review the new files:

    COACH_REGENERATE_GOLDENS=1 .venv/bin/python -m pytest tests/reports/test_golden.py
    git diff tests/reports/golden/
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from report_helpers import board, transcript_text  # noqa: F401 - fixtures

from coach import __version__
from conftest import run_coach

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("COACH_REGENERATE_GOLDENS") == "1"


def normalised(text: str) -> str:
    """The report with the app's version replaced, so a release does not change every golden."""
    return text.replace(f"netwerkcoach {__version__}", "netwerkcoach X.Y.Z")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    text = normalised(text)
    if REGENERATE:
        path.write_text(text, encoding="utf-8")
        pytest.skip(f"regenerated {path.name}")
    assert path.exists(), f"{path} is missing; regenerate (see this file's docstring)"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden file; if that is intended, regenerate (see the docstring)"


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_one_transcript_matches_golden(fmt: str, home: Path, tmp_path: Path, transcript_text) -> None:  # noqa: F811
    source = tmp_path / "anna.yaml"
    source.write_text(transcript_text(name="Anna de Vries", organisation="Zorggroep Oost", group="bestuur",
                                      notes={None: "Ze twijfelt over de wethouder."}), encoding="utf-8")
    result = run_coach(home, "report", str(source), "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    check_golden(f"one.{fmt}", result.stdout)


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_group_of_four_matches_golden(fmt: str, home: Path, board: list[Path]) -> None:  # noqa: F811
    stream = "".join(path.read_text(encoding="utf-8") for path in board)
    result = run_coach(home, "report", "--format", fmt, input=stream)
    assert result.returncode == 0, result.stderr
    check_golden(f"group.{fmt}", result.stdout)
