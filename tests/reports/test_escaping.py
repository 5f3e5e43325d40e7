"""Answers cannot change a report's layout, add links, images or scripts, or reach the
terminal: HTML is autoescaped, Markdown escaped, control sequences stripped; JSON keeps
every text exactly as stored."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from report_helpers import CALM, transcript_text  # noqa: F401 - fixtures

from conftest import run_coach

NASTY_ITEMS = ["a | b", "# kop", "<script>alert(1)</script>"]
NASTY_TEXT = ("We moeten wel. ![x](http://evil.example/x.png) en [klik](javascript:alert(1))\n"
              "# kop\n\x1b[31mrood\x1b[0m \x1b]8;;http://evil.example\x07link\x1b]8;;\x07\n1. lijst\n    code\n\n> citaat")
NASTY = {
    **CALM,
    "opgaven": NASTY_ITEMS,
    "positie": {"a | b": "proactief", "# kop": "actief", "<script>alert(1)</script>": "afhoudend"},
    "overwegingen": {"a | b": ["regio"], "# kop": []},
    "waarom_weinig": {"answer": NASTY_TEXT, "probes": {"moeten": "De *wethouder* | zegt <b>het</b> $x$ &amp;"}},
    "stap": "<img src=x onerror=alert(1)> `code` \u202egnirts",
}


@pytest.fixture
def nasty(home: Path, tmp_path: Path, transcript_text) -> Path:  # noqa: F811
    path = tmp_path / "nasty.yaml"
    path.write_text(transcript_text(NASTY, name="Jan <b>de</b> Vries | X", organisation="# Org"), encoding="utf-8")
    return path


def render(home: Path, path: Path, fmt: str) -> str:
    result = run_coach(home, "report", str(path), "--format", fmt)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_html_escapes_every_answer(home: Path, nasty: Path) -> None:
    html = render(home, nasty, "html")
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Jan &lt;b&gt;de&lt;/b&gt; Vries | X" in html
    assert "\x1b" not in html and "\x07" not in html
    assert "<U+202E>" not in html and "&lt;U+202E&gt;gnirts" in html
    assert 'href="javascript' not in html
    assert not re.search(r"<[^>]+\ssrc=", html)


def test_html_has_no_urls_but_inside_escaped_answers(home: Path, nasty: Path) -> None:
    html = render(home, nasty, "html")
    outside_text = re.sub(r'<div class="text">.*?</div>|<p class="followup-q">.*?</p>', "", html, flags=re.S)
    outside_text = re.sub(r"'sha256-[A-Za-z0-9+/=]+'", "", outside_text)  # the stylesheet's hash may hold "//c"
    assert not re.search(r"https?:|//[a-z]", outside_text.replace("http-equiv", ""))
    assert "http://evil.example/x.png" in html  # shown as text, in the answer


def markdown_to_html(markdown: str) -> str:
    from markdown_it import MarkdownIt  # comes with Textual (through Rich)

    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_markdown_escapes_structure_links_and_images(home: Path, nasty: Path) -> None:
    markdown = render(home, nasty, "md")
    assert "\x1b" not in markdown and "\x07" not in markdown
    assert "\\# kop" in markdown
    assert "| a \\| b |" in markdown
    assert "!\\[x\\](http://evil.example/x.png)" in markdown
    assert "\\[klik\\](javascript:alert(1))" in markdown
    html = markdown_to_html(markdown)
    assert "<a " not in html and "<img" not in html and "<script" not in html and "<code" not in html
    assert "<blockquote" not in html and "<ol" not in html
    assert html.count("<h1>") == 1  # the theme's title; "# kop" stayed text
    assert html.count("<h2>") == 1  # the participant
    # The table keeps its columns: "a | b" is one cell.
    row = re.search(r"<tr>\s*<td>a \| b</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*</tr>", html)
    assert row is not None, html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "rood link" in html


def test_pandoc_reads_the_escapes_the_same(home: Path, nasty: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed (CI installs it through .ci/run)")
    markdown = render(home, nasty, "md")
    for dialect in ("markdown", "gfm"):
        html = subprocess.run(["pandoc", "-f", dialect, "-t", "html"], input=markdown, capture_output=True, text=True,
                              check=True, timeout=60).stdout
        assert not re.search(r"<a |<img|<script|<code|<blockquote|<ol|<math|<sup|<sub|<del", html), dialect
        assert "a | b" in html


def test_json_keeps_every_text_as_stored(home: Path, nasty: Path) -> None:
    report = json.loads(render(home, nasty, "json"))
    session = report["parts"][0]["sessions"][0]
    texts = {a["question"]: a for a in session["answers"]}
    assert texts["waarom_weinig"]["value"] == NASTY_TEXT
    assert texts["waarom_weinig"]["followups"][0]["value"] == "De *wethouder* | zegt <b>het</b> $x$ &amp;"
    assert session["participant"]["name"] == "Jan <b>de</b> Vries | X"
    assert [row["item"] for row in session["summary"]["sections"][0]["rows"]] == NASTY_ITEMS
