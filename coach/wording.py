"""Jinja2 environments over ``prompts/``: how summaries and reports are worded.

Templates compile on first use, never at import. The environment is sandboxed: report
templates may be supplied by users (``--template``).
"""

from __future__ import annotations

from pathlib import Path

from coach.errors import CoachError, TemplateError


def check_templates(directory: Path) -> tuple[list[CoachError], int]:
    """Parse every template under ``directory``; returns problems and the count."""
    from jinja2 import TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment()
    problems: list[CoachError] = []
    count = 0
    if not directory.is_dir():
        return problems, 0
    for path in sorted(directory.rglob("*.j2")):
        count += 1
        try:
            env.parse(path.read_text(encoding="utf-8"))
        except TemplateSyntaxError as err:
            problems.append(TemplateError(f"template does not parse: {err.message}", path=str(path), line=err.lineno))
        except (OSError, UnicodeDecodeError) as err:
            problems.append(TemplateError(f"cannot read: {err}", path=str(path)))
    return problems, count
