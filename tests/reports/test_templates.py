"""A user's own template (`--template`): the same data as the built-in ones, in a
sandbox that refuses Python internals and files, naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import board, transcript_text  # noqa: F401 - fixtures

from conftest import run_coach

CSV = """\
deelnemer;thema;energie;inzichten
{% for part in report.parts %}{% for s in part.sessions %}
{{ s.participant.label }};{{ part.theme.id }};{{ s.summary.sections[1].bars[0].value }};{{ s.summary.insights|length }}
{% endfor %}{% endfor %}
{% for part in report.parts %}{% for section in part.group.sections if section.kind == "profile" %}
{% for bar in section.bars %}spreiding {{ bar.label }}: {{ bar.spread.min }}-{{ bar.spread.max }}, {% for row in bar.scores %}{{ row.participant }}={{ row.value }} {% endfor %}
{% endfor %}{% endfor %}{% endfor %}
"""


def test_own_template_gets_the_documented_data(home: Path, tmp_path: Path, board: list[Path]) -> None:  # noqa: F811
    template = tmp_path / "energie.csv.j2"
    template.write_text(CSV, encoding="utf-8")
    result = run_coach(home, "report", "--template", str(template), *map(str, board))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines[:5] == ["deelnemer;thema;energie;inzichten", "Anna de Vries;example;2;2", "Bram Jansen;example;4;1",
                         "Deelnemer C;example;1;1", "Dilan Yilmaz;example;5;0"]
    assert lines[5].startswith("spreiding Energie: 1-5, Anna de Vries=2 Bram Jansen=4 Deelnemer C=1 Dilan Yilmaz=5")


def test_own_html_template_is_autoescaped(home: Path, tmp_path: Path, transcript_text) -> None:  # noqa: F811
    source = tmp_path / "a.yaml"
    source.write_text(transcript_text(name="<b>Anna</b>"), encoding="utf-8")
    template = tmp_path / "kaart.html.j2"
    template.write_text("<p>{% for p in report.parts %}{% for s in p.sessions %}{{ s.participant.label }}{% endfor %}{% endfor %}</p>\n",
                        encoding="utf-8")
    result = run_coach(home, "report", str(source), "--template", str(template))
    assert result.stdout == "<p>&lt;b&gt;Anna&lt;/b&gt;</p>\n"


REFUSED = [
    ("{{ ''.__class__ }}", "'__class__'"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "'__class__'"),
    ("{{ report.__class__.__init__.__globals__ }}", "is unsafe"),
    ("{{ cycler.__init__.__globals__.os }}", "'__init__'"),
    ("{{ lipsum.__globals__['os'].system('id') }}", "'__globals__'"),
    ("{{ os.system('id') }}", "'os' is undefined"),
    ("{% for p in report.parts %}{{ p.sessions._spool }}{% endfor %}", "'_spool'"),
    ("{% include '/etc/passwd' %}", "/etc/passwd"),
    ("{% include '../../../../../etc/passwd' %}", "etc/passwd"),
    ("{% import 'os' as os %}", "'os'"),
]


@pytest.mark.parametrize(("line", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_sandbox_refuses_internals_and_files_naming_file_and_line(line: str, words: str, home: Path, tmp_path: Path,
                                                                 transcript_text) -> None:  # noqa: F811
    source = tmp_path / "a.yaml"
    source.write_text(transcript_text(), encoding="utf-8")
    template = tmp_path / "boos.txt.j2"
    template.write_text(f"Rapport\n{{# een regel commentaar #}}\n{line}\n", encoding="utf-8")
    result = run_coach(home, "report", str(source), "--template", str(template))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"coach: {template}:3: de template "), result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert "uid=" not in result.stdout and "root:" not in result.stdout


def test_broken_template_is_named_with_its_line(home: Path, tmp_path: Path, transcript_text) -> None:  # noqa: F811
    source = tmp_path / "a.yaml"
    source.write_text(transcript_text(), encoding="utf-8")
    template = tmp_path / "kapot.md.j2"
    template.write_text("# Rapport\n\n{% for p in report.parts %}\n{{ p.theme.title }\n", encoding="utf-8")
    result = run_coach(home, "report", str(source), "--template", str(template))
    assert result.returncode == 1
    assert result.stderr.startswith(f"coach: {template}:4: de template is geen geldige Jinja2"), result.stderr
    missing = run_coach(home, "report", str(source), "--template", str(tmp_path / "weg.j2"))
    assert missing.returncode == 1
    assert missing.stderr.startswith(f"coach: {tmp_path / 'weg.j2'}: kan de template niet lezen")


def test_shipped_templates_parse(home: Path) -> None:
    result = run_coach(home, "check")
    assert "prompts/report" not in result.stderr, result.stderr
