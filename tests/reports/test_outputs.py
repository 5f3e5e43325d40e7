"""The formats as other programs read them: HTML parsed strictly, Markdown through pandoc
to .docx, JSON in its documented, versioned shape."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from report_helpers import board, transcript_text  # noqa: F401 - fixtures

from conftest import run_coach


@pytest.fixture
def group_html(home: Path, board: list[Path]) -> str:  # noqa: F811
    result = run_coach(home, "report", "--format", "html", *map(str, board))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_html_parses_without_errors(group_html: str) -> None:
    import html5lib

    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(group_html)  # raises html5lib.html5parser.ParseError on the first error
    assert parser.errors == []
    assert document.find("head/title").text == "Voorbeeldgesprek"
    assert len(document.findall(".//article")) == 4


def test_html_is_self_contained_with_a_policy_that_forbids_scripts(group_html: str) -> None:
    assert "<script" not in group_html.lower()
    assert not re.search(r"https?://|\s(?:src|href)=\"(?!#)", group_html)
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', group_html)
    assert policy is not None
    rules = dict(rule.strip().split(" ", 1) for rule in policy.group(1).split(";"))
    assert rules["default-src"] == "'none'" and rules["script-src"] == "'none'"
    # The one stylesheet is allowed by its hash, and it is the one in the page.
    import base64
    import hashlib

    style = re.search(r"<style>(.*?)</style>", group_html, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode("utf-8")).digest()).decode()
    assert rules["style-src"] == f"'sha256-{digest}'"
    assert " style=" not in group_html  # inline style attributes would be blocked
    assert '<meta name="viewport"' in group_html
    assert "@media print" in group_html and "break-before: page" in group_html


def test_html_draws_profile_bars_and_polarity_markers(group_html: str) -> None:
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", group_html, re.S)
    assert any('class="bar"' in s and "bar-fill" in s for s in svgs)
    assert any("pole-now" in s and "pole-desired" in s for s in svgs)
    assert 'aria-label="Anna de Vries: nu 1, gewenst 4 (van 1 tot 5)"' in group_html


def test_markdown_converts_to_docx_with_pandoc(home: Path, board: list[Path], tmp_path: Path) -> None:  # noqa: F811
    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed (CI installs it through .ci/run)")
    markdown = run_coach(home, "report", *map(str, board))
    assert markdown.returncode == 0, markdown.stderr
    target = tmp_path / "bestuur.docx"
    converted = subprocess.run(["pandoc", "-f", "gfm", "-o", str(target)], input=markdown.stdout, text=True,
                               capture_output=True, timeout=120)
    assert converted.returncode == 0, converted.stderr
    assert converted.stderr == ""
    with zipfile.ZipFile(target) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert body.count("<w:tbl>") >= 6  # the comparison and per-session tables came through as tables
    assert "Anna de Vries" in body and "Wat opvalt" in body
    assert "\\#" not in body and "\\|" not in body  # escapes were read as escapes


# What a director may type that pandoc's own `markdown` reader (its default) would turn
# into typography or layout: curled quotes, dashes from `--` and `---`, a comment.
LITERAL = {
    "opgaven": ['Wonen "thuis" | \'zorg\'', "Zorg --- welzijn"],
    "positie": {'Wonen "thuis" | \'zorg\'': "proactief", "Zorg --- welzijn": "actief"},
    "overwegingen": {'Wonen "thuis" | \'zorg\'': ["regio"], "Zorg --- welzijn": []},
    "energie": 2,
    "waarom_weinig": "Hij zei: \"we doen 't wel\" -- of niet...\n---\n<!--\nen dan | nog iets",
    "spanning": {"now": 1, "desired": 4},
    "stap": "A -- B --- C | D \"E\" 'F' <!-- G -->",
}


def test_readme_converts_markdown_with_pandoc_as_gfm() -> None:
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"pandoc [^`#\n]*-o [^`#\s]+", readme)
    assert commands, "the README shows how to convert a report with pandoc"
    assert all(" -f gfm " in f" {c} " for c in commands), commands
    assert "GitHub Flavored Markdown" in readme and "is CommonMark (tables as pipes)" not in readme


def test_typed_text_stays_literal_through_pandoc_gfm(home: Path, tmp_path: Path, transcript_text) -> None:  # noqa: F811
    import html

    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed (CI installs it through .ci/run)")
    source = tmp_path / "a.yaml"
    source.write_text(transcript_text(LITERAL), encoding="utf-8")
    markdown = run_coach(home, "report", str(source))
    assert markdown.returncode == 0, markdown.stderr
    converted = subprocess.run(["pandoc", "-f", "gfm", "-t", "html"], input=markdown.stdout, text=True,
                               capture_output=True, timeout=120, check=True).stdout
    assert "<!--" not in converted and "<hr" not in converted, "no comment, no rule: the text stays text"
    text = html.unescape(re.sub(r"<[^>]+>", "", converted))
    for typed in ('Wonen "thuis" | \'zorg\'', "Zorg --- welzijn", "Hij zei: \"we doen 't wel\" -- of niet...",
                  "---\n<!--\nen dan | nog iets", "A -- B --- C | D \"E\" 'F' <!-- G -->"):
        assert typed in text, typed
    assert not re.search("[“”‘’–—…]", text), "no curled quotes, dashes or ellipses that nobody typed"


def test_json_has_its_shape_and_version(home: Path, board: list[Path]) -> None:  # noqa: F811
    data = json.loads(run_coach(home, "report", "--format", "json", *map(str, board)).stdout)
    assert (data["shape"], data["shape_version"]) == ("netwerkcoach.report", 1)
    assert set(data) == {"shape", "shape_version", "app", "generated", "options", "count", "parts"}
    part = data["parts"][0]
    assert set(part) == {"theme", "count", "finished", "unfinished", "sessions", "group"}
    session = part["sessions"][0]
    assert set(session) == {"session", "number", "theme", "participant", "group", "mode", "app", "started", "updated",
                            "finished", "status", "progress", "summary", "summary_source", "notes", "answers", "coach_notes"}
    assert set(part["group"]) == {"count", "compared", "participants", "sections", "insights", "insight_counts", "models"}
    kinds = {s["kind"]: s for s in part["group"]["sections"]}
    assert set(kinds) == {"table", "profile", "polarities", "list"}
    assert kinds["profile"]["bars"][0]["spread"] == {"count": 4, "min": 1, "max": 5, "mean": 3.0, "range": 4, "skipped": 0}
    assert [r["participant"] for r in kinds["polarities"]["pairs"][0]["scores"]] == [
        "Anna de Vries", "Bram Jansen", "Deelnemer C", "Dilan Yilmaz"]
    assert part["group"]["models"][0]["count"] == 3
