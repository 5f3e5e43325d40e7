"""Numbered lists print whole numbers: the marker ("10.", "17.") hangs in the list's own
padding, which is wide enough for its digits, so nothing reaches past the page's edge in
print, where the body has no padding (Chromium printed item 10 as "0.", 17 as ".7").

The widths: a digit of a sans-serif face is at most about 0.6em, the full stop and the
gap before the text take about 0.8em more. Checked by printing a report with chromium
--print-to-pdf and looking at the pages (two-digit and three-digit lists).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from report_helpers import transcript_text  # noqa: F401 - a fixture

from coach.paths import prompts_dir
from conftest import run_coach

DIGIT_EM = 0.6
REST_EM = 0.8


def needed(digits: int) -> float:
    return digits * DIGIT_EM + REST_EM


def rules(css: str) -> list[tuple[str, str, str]]:
    """(media, selector, declarations) of every rule, one level of @media deep."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for match in re.finditer(r"(@media[^{]*)\{((?:[^{}]*\{[^{}]*\})*\s*)\}|([^{}@]+)\{([^{}]*)\}", css):
        if match.group(1):
            for inner in re.finditer(r"([^{}]+)\{([^{}]*)\}", match.group(2)):
                found.append((match.group(1).strip(), inner.group(1).strip(), inner.group(2)))
        else:
            found.append(("", match.group(3).strip(), match.group(4)))
    return found


def padding_left(declarations: str) -> str | None:
    """The padding-left a rule sets (from `padding-left` or the `padding` shorthand)."""
    value = None
    for name, raw in re.findall(r"([\w-]+)\s*:\s*([^;]+)", declarations):
        parts = raw.replace("!important", "").split()
        if name == "padding-left":
            value = parts[0]
        elif name == "padding":
            value = parts[{1: 0, 2: 1, 3: 1, 4: 3}[len(parts)]]
    return value


def em(value: str) -> float:
    if value == "0":
        return 0.0
    match = re.fullmatch(r"([\d.]+)em", value)
    assert match, f"a list's padding is given in em, so it grows with the numbers' font: {value}"
    return float(match.group(1))


def targets_a_numbered_list(selector: str) -> bool:
    return any(re.search(r"(^|[\s>+~])ol(?![\w-])[^\s>+~]*$|\.answer-list[^\s>+~]*$", part.strip())
               for part in selector.split(","))


@pytest.fixture(scope="module")
def stylesheet() -> list[tuple[str, str, str]]:
    return rules((prompts_dir() / "report" / "style.css").read_text(encoding="utf-8"))


def test_every_numbered_list_has_room_for_two_digit_numbers(stylesheet: list[tuple[str, str, str]]) -> None:
    listed = [(media, selector, padding_left(body)) for media, selector, body in stylesheet
              if targets_a_numbered_list(selector) and padding_left(body) is not None]
    assert any(selector == "ol" and not media for media, selector, _ in listed), "one rule for every ol"
    for media, selector, value in listed:
        assert value is not None
        digits = 3 if ".wide" in selector else 2
        assert em(value) >= needed(digits), f"{media or 'screen'} {selector}: {value} is too narrow for {digits} digits"


def test_print_does_not_narrow_the_lists(stylesheet: list[tuple[str, str, str]]) -> None:
    printed = [(selector, body) for media, selector, body in stylesheet if "print" in media]
    assert any(selector == "body" for selector, _ in printed), "print has its own body rule (no padding)"
    for selector, body in printed:
        if targets_a_numbered_list(selector):
            value = padding_left(body)
            assert value is None or em(value) >= needed(2), selector
        assert "list-style-position" not in body or "outside" in body, selector


def test_a_list_of_a_hundred_answers_is_wide(home: Path, tmp_path: Path, transcript_text) -> None:  # noqa: F811
    from coach.reports.render import environment

    source = tmp_path / "a.yaml"
    source.write_text(transcript_text(), encoding="utf-8")
    result = run_coach(home, "report", str(source), "--format", "json")
    assert result.returncode == 0, result.stderr
    session = json.loads(result.stdout)["parts"][0]["sessions"][0]
    template = environment("html").from_string('{% import "report/macros.html.j2" as m %}{{ m.session(s, 1, false) }}')
    assert '<ol class="answer-list">' in template.render(s=session)
    session["answers"] = (session["answers"] * 100)[:100]
    assert '<ol class="answer-list wide">' in template.render(s=session)
