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


def _environment(autoescape: bool = False):  # type: ignore[no-untyped-def]
    """A sandboxed environment over prompts/ (built-in templates, trusted data)."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from coach.paths import prompts_dir
    from coach.text import authors_line, dutch_number

    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(prompts_dir())), autoescape=autoescape,
        undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True,
    )
    env.filters["bar_name"] = lambda question, bars: next((b["label"] for b in bars if b["question"] == question), question)
    env.filters["nl"] = dutch_number
    env.filters["authors"] = authors_line
    return env


_ENVIRONMENTS: dict[bool, object] = {}


def environment(autoescape: bool = False):  # type: ignore[no-untyped-def]
    """The (cached) environment; templates compile on first use."""
    if autoescape not in _ENVIRONMENTS:
        _ENVIRONMENTS[autoescape] = _environment(autoescape)
    return _ENVIRONMENTS[autoescape]


def render_summary_text(dialogue, summary: dict) -> str:  # type: ignore[no-untyped-def,type-arg]
    """The summary as plain text (plain mode, terminal)."""
    from jinja2 import TemplateError as JinjaError

    try:
        template = environment().get_template("summary/text.j2")
        return template.render(title=dialogue.title, summary=summary).strip() + "\n"
    except JinjaError as err:
        raise TemplateError(f"summary template failed: {err}", path="prompts/summary/text.j2",
                            line=getattr(err, "lineno", None)) from err
