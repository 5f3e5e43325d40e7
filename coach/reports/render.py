"""Rendering a report: Markdown, HTML, JSON or a user's own template, streamed.

Templates run in Jinja2's SandboxedEnvironment, the built-in ones too, and are
streamed with ``Template.generate()`` so the output is written while the (lazy) data
is read. Every environment strips terminal control sequences from what it outputs:

- HTML autoescapes everything (``{{ x }}`` is HTML-escaped);
- Markdown escapes everything too, with Markdown's rules (``coach.text.escape_markdown``):
  ``{{ x }}`` gives one line, safe in a paragraph, a heading or a table cell;
  ``{{ x|block(2) }}`` keeps the answer's lines and paragraphs, indented for a list item.
  The trick: the environment autoescapes, and its ``finalize`` hands Jinja's escaper
  text that is already Markdown-escaped (as ``Markup``), so it is escaped exactly once;
- a user's template for another format (``report.txt.j2``) only has controls stripped.

JSON is written by a small streaming encoder; it keeps every text exactly as stored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from coach.errors import TemplateError
from coach.reports.data import letters
from coach.text import authors_line, dutch_number, escape_markdown, quote, strip_controls

FORMATS = ("md", "html", "json")
BUILT_IN = {"md": "report/report.md.j2", "html": "report/report.html.j2"}
STYLESHEET = "report/style.css"
_FLUSH_CHARS = 1 << 16


class Output:
    """Text written to a binary stream as UTF-8, in blocks (templates yield many small pieces)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self._pieces: list[str] = []
        self._size = 0

    def write(self, text: str) -> None:
        self._pieces.append(text)
        self._size += len(text)
        if self._size >= _FLUSH_CHARS:
            self._drain()

    def _drain(self) -> None:
        if self._pieces:
            self.stream.write("".join(self._pieces).encode("utf-8", "replace"))
            self._pieces.clear()
            self._size = 0

    def finish(self) -> None:
        """Write what is left and flush the stream."""
        self._drain()
        self.stream.flush()


class MarkdownOutput(Output):
    """Markdown with at most one blank line in a row (templates need not count them).

    Blank lines never change what Markdown means outside code blocks, and a report has
    none (answers cannot open one: their backticks and indentation are escaped).
    """

    _RUNS = re.compile(r"\n(?:[ \t]*\n){2,}")

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__(stream)
        self._tail = ""
        self._started = False

    def write(self, text: str) -> None:
        text = self._tail + text
        head = text.rstrip(" \t\n")
        self._tail = text[len(head):]
        if not head:
            return
        if not self._started:
            head = head.lstrip("\n")
            self._started = True
        super().write(self._RUNS.sub("\n\n", head))

    def finish(self) -> None:
        if self._started and self._tail:
            super().write("\n")
            self._tail = ""
        super().finish()


# ------------------------------------------------------------------ filters

def _fraction(value: Any, low: Any, high: Any) -> float:
    """Where ``value`` lies between ``low`` and ``high``, from 0 to 1 (0 when unknown)."""
    try:
        low, high, value = float(low), float(high), float(value)
    except (TypeError, ValueError):
        return 0.0
    if high <= low:
        return 0.0
    return max(0.0, min(1.0, (value - low) / (high - low)))


def _filled(value: Any, low: Any, high: Any) -> float:
    """The share of a bar filled for a score: the lowest score still shows one step."""
    try:
        low, high, value = int(low), int(high), float(value)
    except (TypeError, ValueError):
        return 0.0
    steps = high - low + 1
    return max(0.0, min(1.0, (value - low + 1) / steps)) if steps > 0 else 0.0


def _text_bar(value: Any, low: Any, high: Any) -> str:
    """A score as blocks: ███░░ for 3 of 5."""
    try:
        low, high = int(low), int(high)
    except (TypeError, ValueError):
        return ""
    steps = max(1, min(high - low + 1, 20))
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "·" * steps
    filled = round(_filled(value, low, high) * steps)
    return "█" * filled + "░" * (steps - filled)


def _pole_x(value: Any, low: Any, high: Any) -> str:
    """The x of a point on a polarity chart's line (16 to 584 of 600)."""
    return _svg(16 + _fraction(value, low, high) * 568)


def _svg(value: float) -> str:
    """A coordinate for SVG: short, no exponent."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


# An ISO 8601 date as the app stores it, or as a person types one (2026-11-20), optionally
# with a time; anything else (a date typed as "20-11" or "vrijdag") is shown as it is.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def _date(value: Any, with_time: bool = False) -> str:
    """An ISO date or time as a Dutch date (23 november 2026, optionally 20:15); any other
    text as it is (a typed date is not guessed at)."""
    from datetime import datetime

    if not value:
        return ""
    stored = str(value).strip()
    if not _ISO_DATE.fullmatch(stored):
        return str(value)
    try:
        moment = datetime.fromisoformat(stored)
    except ValueError:
        return str(value)
    text = f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"
    return f"{text}, {moment:%H:%M}" if with_time and len(stored) > 10 else text


def _common_filters(env: Any) -> None:
    env.filters.update({
        "nl": dutch_number,
        "authors": authors_line,
        "date": _date,
        "fraction": _fraction,
        "filled": _filled,
        "text_bar": _text_bar,
        "svg": _svg,
        "pole_x": _pole_x,
        "quote": lambda text, words=12: quote(text, words),
        "plain": lambda text: strip_controls("" if text is None else str(text)),
    })
    env.globals["letters"] = letters


_BLANK_LINES = re.compile(r"\n\s*\n")


def _md_block(value: Any, indent: int = 0) -> Any:
    """Multi-line text for Markdown: lines kept (hard breaks), paragraphs kept, each escaped,
    continuation lines indented by ``indent`` (to stay inside a list item)."""
    from markupsafe import Markup

    if value is None:
        return Markup("")
    pad = " " * indent
    paragraphs = []
    for paragraph in _BLANK_LINES.split(strip_controls(str(value)).strip()):
        lines = [escape_markdown(line.strip()) for line in paragraph.split("\n") if line.strip()]
        if lines:
            paragraphs.append(("\\\n" + pad).join(lines))
    return Markup(("\n\n" + pad).join(paragraphs))


_LINE_BREAKS = re.compile(r"[ \t]*\n[ \t\n]*")
_SPACE_RUNS = re.compile(r"[ \t]{2,}|\t")


def _md_inline(value: Any) -> Any:
    """One line of escaped Markdown (safe in a paragraph, heading or table cell).

    Line breaks become spaces and runs of spaces one space (no indented code block can
    start); a single space at either end stays, so ``", "`` in a template keeps its space.
    """
    from markupsafe import Markup

    text = _SPACE_RUNS.sub(" ", _LINE_BREAKS.sub(" ", strip_controls(str(value))))
    return Markup(escape_markdown(text))


def _md_finalize(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, str):
        return _md_inline(value)
    return value


def _html_finalize(value: Any) -> Any:
    if value is None:
        return ""
    if type(value) is str:
        return strip_controls(value)
    return value


def _text_finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return strip_controls(value)
    return value


# ------------------------------------------------------------- environments

def _environment_class():  # type: ignore[no-untyped-def]
    from jinja2.sandbox import SandboxedEnvironment

    class ReportEnvironment(SandboxedEnvironment):
        """The sandbox, where a key of a dict wins over a dict method of the same name.

        ``section.items`` is the data, not ``dict.items``; report data is plain dicts
        and lists, so nothing but data is reachable through it.
        """

        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is dict:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return super().getattr(obj, attribute)

    return ReportEnvironment


def _stylesheet_text() -> str:
    from coach.paths import prompts_dir

    return (prompts_dir() / STYLESHEET).read_text(encoding="utf-8")


def environment(kind: str, user_template: Path | None = None, user_source: str | None = None):  # type: ignore[no-untyped-def]
    """A sandboxed environment over prompts/ for ``md``, ``html`` or ``text`` output.

    With a user template, its file is the one template outside prompts/ it can load.
    """
    from jinja2 import ChoiceLoader, FileSystemLoader, FunctionLoader, StrictUndefined
    from markupsafe import Markup

    from coach.paths import prompts_dir

    loaders: list[Any] = [FileSystemLoader(str(prompts_dir()))]
    if user_template is not None:
        name, source, filename = user_template.name, user_source, str(user_template)
        loaders.insert(0, FunctionLoader(lambda wanted: (source, filename, lambda: True) if wanted == name else None))
    finalize = {"md": _md_finalize, "html": _html_finalize, "text": _text_finalize}[kind]
    env = _environment_class()(
        loader=ChoiceLoader(loaders), autoescape=kind in ("md", "html"), undefined=StrictUndefined,
        finalize=finalize, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    _common_filters(env)
    env.filters["bar_label"] = lambda question, bars: next((b["label"] for b in bars if b["question"] == question), question)
    if kind == "md":
        env.filters["block"] = _md_block
        env.filters["inline"] = _md_inline
        env.globals["pad"] = lambda width: Markup(" " * int(width))
    if kind == "html":
        css = _stylesheet_text()
        digest = "sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
        env.globals["stylesheet"] = lambda: Markup(css)
        env.globals["stylesheet_hash"] = lambda: digest
    return env


# ------------------------------------------------------------------ errors

def _template_line(err: BaseException, names: Iterable[str]) -> tuple[str | None, int | None]:
    """The template file and line an exception was raised at (Jinja rewrites the traceback)."""
    wanted = set(names)
    found: tuple[str | None, int | None] = (None, None)
    tb = err.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in wanted or filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _shown(path: str | None) -> str | None:
    """A built-in template named from the project root (prompts/…); a user's as given."""
    if path is None:
        return None
    from coach.paths import prompts_dir

    try:
        return "prompts/" + str(Path(path).resolve().relative_to(prompts_dir().resolve()))
    except ValueError:
        return path


def _as_template_error(err: BaseException, template: Any, user_path: Path | None) -> TemplateError:
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateNotFound

    filename = getattr(template, "filename", None)
    names = [n for n in (filename, str(user_path) if user_path else None) if n]
    if isinstance(err, TemplateSyntaxError):
        path, line = err.filename or filename, err.lineno
        return TemplateError(f"de template is geen geldige Jinja2: {err.message}", path=_shown(path), line=line)
    path, line = _template_line(err, names)
    path = _shown(path or filename)
    if isinstance(err, SecurityError):
        return TemplateError(f"de template vraagt iets wat niet mag (geen toegang tot Python of bestanden): {err}", path=path, line=line)
    if isinstance(err, UndefinedError):
        return TemplateError(f"de template gebruikt iets wat er niet is: {err.message}", path=path, line=line)
    if isinstance(err, TemplateNotFound):
        return TemplateError(f"de template laadt '{err.name}', maar die is er niet (een eigen template kan geen andere bestanden lezen)",
                             path=path, line=line)
    return TemplateError(f"de template faalt: {type(err).__name__}: {err}", path=path, line=line)


# ---------------------------------------------------------------- rendering

def render_template(report: dict[str, Any], kind: str, out: Output, *, user_template: Path | None = None) -> None:
    """Stream ``report`` through the built-in template for ``kind`` or the user's own."""
    from jinja2 import TemplateError as JinjaError

    source = None
    if user_template is not None:
        try:
            source = user_template.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise TemplateError(f"kan de template niet lezen: {getattr(err, 'strerror', None) or err}", path=str(user_template)) from err
    env = environment(kind, user_template, source)
    template = None
    caught: tuple[type[BaseException], ...] = (JinjaError,)
    if user_template is not None:
        # A user's template may fail in any way its expressions can; that is their error, not ours.
        caught += (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, RecursionError)
    try:
        template = env.get_template(user_template.name if user_template is not None else BUILT_IN[kind])
        for piece in template.generate(report=report):
            out.write(piece)
    except caught as err:
        raise _as_template_error(err, template, user_template) from err


def _json_leaf(value: Any, indent: str) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + indent) if "\n" in text else text


def write_json(report: dict[str, Any], out: Output) -> None:
    """The report data as JSON, streamed: lazy rows are written as they are read."""
    from coach.reports.spool import Rows

    def emit(value: Any, indent: str, write: Callable[[str], None]) -> None:
        inner = indent + "  "
        if isinstance(value, dict):
            if not value:
                write("{}")
                return
            write("{")
            for index, (key, item) in enumerate(value.items()):
                write(("," if index else "") + "\n" + inner + json.dumps(str(key), ensure_ascii=False) + ": ")
                emit(item, inner, write)
            write("\n" + indent + "}")
        elif isinstance(value, Rows) or isinstance(value, list) and any(isinstance(v, (dict, list, Rows)) for v in value):
            lazy = isinstance(value, Rows)
            write("[")
            empty = True
            for index, item in enumerate(value):
                empty = False
                write(("," if index else "") + "\n" + inner)
                if lazy:
                    write(_json_leaf(item, inner))  # spooled rows hold plain data only
                else:
                    emit(item, inner, write)
            write("]" if empty else "\n" + indent + "]")
        else:
            write(_json_leaf(value, indent))

    emit(report, "", out.write)
    out.write("\n")
