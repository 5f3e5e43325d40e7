"""The domain never loads the UI: checked in a fresh interpreter, as a user's process would."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = ["coach.engine.library", "coach.engine.machine", "coach.session.session", "coach.summary",
            "coach.plain", "coach.commands", "coach.cli", "coach.wording", "coach.reports.command",
            "coach.reports.render", "coach.reports.data", "coach.reports.group", "coach.reports.inputs"]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_module_loads_no_textual(module: str) -> None:
    code = f"import sys, {module}; bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; print(bad)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_help_loads_neither_textual_nor_jinja() -> None:
    code = ("import sys, runpy; sys.argv = ['coach', '--help']\n"
            "try:\n    runpy.run_module('coach', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print([m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'jinja2', 'yaml', 'transitions')], file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "[]"
