"""`coach report`: transcripts in, one report out (Markdown, HTML, JSON or your own template).

Only the standard library is imported at module level: the parser is built for every
``coach`` command, ``coach --help`` included; the handler imports the rest.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from coach.errors import ReportError, UsageError

SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}
OTHER_FORMATS = frozenset({".pdf", ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ppt", ".pptx", ".epub"})
"""Suffixes that promise a format coach report does not write (any other suffix gets Markdown)."""
SHAPE = "netwerkcoach.report"
SHAPE_VERSION = 1


def _format(args: argparse.Namespace) -> str:
    """--format, else the output file's suffix, else Markdown."""
    if args.format:
        return str(args.format)
    if args.output:
        suffix = Path(args.output).suffix.lower()
        if suffix in OTHER_FORMATS and not args.template:
            # "-o rapport.pdf" wrote Markdown into a file named .pdf, without a word.
            raise UsageError(f"een rapport als '{suffix}' kan coach report niet maken; kies .md, .html of .json "
                             "(of --format). Een PDF maak je door het HTML-rapport in je browser als PDF af te drukken")
        return SUFFIX_FORMATS.get(suffix, "md")
    return "md"


def _template_kind(args: argparse.Namespace, template: Path) -> str:
    """How a user's template is escaped: --format, else its name (x.html.j2), else plain text."""
    if args.format == "json":
        raise UsageError("--template maakt zelf de uitvoer; --format json gaat daar niet mee samen")
    if args.format:
        return str(args.format)
    suffixes = [s.lower() for s in template.suffixes]
    if ".html" in suffixes or ".htm" in suffixes:
        return "html"
    if ".md" in suffixes or ".markdown" in suffixes:
        return "md"
    return "text"


@contextmanager
def _destination(output: str | None) -> Iterator[IO[bytes]]:
    """Standard output, or a file replaced atomically (mode 0600) once the report is complete
    (a device or pipe is written into instead, and a link's target is replaced: coach.outputs).

    The same steps as ``transcript.write_atomic`` (temp file beside the target, flush,
    fsync, ``os.replace``, folder fsync), but streamed: a report can be larger than
    memory should hold. On an error the temp file goes and the target is untouched.
    """
    if output is None:
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    from coach.outputs import replaced_path, written_in_place
    from coach.session.transcript import _fsync_dir

    if written_in_place(Path(output)):  # /dev/null, a pipe: written into, never replaced by a file
        try:
            with open(output, "wb") as handle:
                yield handle
        except OSError as err:
            raise ReportError(f"kan niet schrijven: {err.strerror or err}", path=output) from err
        return
    path = replaced_path(Path(output))
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise ReportError(f"kan niet schrijven: {err.strerror or err}", path=output) from err
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException as err:
        try:
            temp.unlink()
        except FileNotFoundError:
            pass  # already renamed or never made: nothing to clean up
        if isinstance(err, OSError):
            raise ReportError(f"kan niet schrijven: {err.strerror or err}", path=output) from err
        raise
    try:
        _fsync_dir(folder)
    except OSError as err:  # the report is in place; only a power cut right now could undo the rename
        _warn(f"{output} is geschreven, maar de map kon niet worden gesynchroniseerd ({err.strerror or err})")


def _warn(message: str) -> None:
    print(f"coach: {message}", file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    """Write a report of transcripts."""
    from coach import __version__, clock
    from coach.reports import inputs
    from coach.reports.data import Builder
    from coach.reports.group import Collector
    from coach.reports.render import MarkdownOutput, Output, render_template, write_json

    fmt = _format(args)
    template = Path(args.template) if args.template else None
    kind = _template_kind(args, template) if template is not None else fmt
    saved = bool(args.group or args.session)
    if saved and args.transcripts:
        raise UsageError("noem transcripten óf gebruik --group/--session, niet allebei")
    if not saved and not args.transcripts and sys.stdin.isatty():
        raise UsageError("geef transcripten: bestanden, '-' voor standaardinvoer (bijvoorbeeld `cat *.yaml | coach report`), "
                         "--group NAAM of --session ID")
    if saved:
        items = inputs.from_saved(args.group, args.session or [], _warn)
    else:
        items = inputs.from_arguments(args.transcripts, sys.stdin.buffer, _warn)

    builder = Builder(coach_notes=args.include_coach_notes, anonymous=args.anonymous, recompute=args.recompute, warn=_warn)
    collector = Collector(labeler=builder.option_label)
    try:
        for item in items:
            collector.add(builder.build(item))
        if collector.count == 0:
            raise ReportError("er staat geen transcript in de invoer")
        report: dict[str, Any] = {
            "shape": SHAPE,
            "shape_version": SHAPE_VERSION,
            "app": f"netwerkcoach {__version__}",
            "generated": clock.stamp(),
            "options": {"coach_notes": args.include_coach_notes, "anonymous": args.anonymous, "recompute": args.recompute},
            "count": collector.count,
            "parts": collector.data(),
        }
        with _destination(args.output) as stream:
            out = MarkdownOutput(stream) if kind == "md" else Output(stream)
            if template is None and fmt == "json":
                write_json(report, out)
            else:
                render_template(report, kind, out, user_template=template)
            out.finish()
    finally:
        collector.close()
    if args.output:
        print(f"Rapport geschreven naar {args.output} ({collector.count} transcript{'en' if collector.count != 1 else ''})", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    """Add the ``report`` subcommand (help in Dutch, as everything a user reads)."""
    p = sub.add_parser(
        "report", help="een rapport van transcripten: Markdown, HTML of JSON",
        description="Een rapport van transcripten: één sessie, of een groep naast elkaar. "
                    "Leest de genoemde bestanden, of standaardinvoer (YAML-stroom, JSON, JSON Lines).",
    )
    p.add_argument("transcripts", nargs="*", metavar="TRANSCRIPT",
                   help="transcriptbestanden ('-' of geen: standaardinvoer)")
    p.add_argument("--format", choices=("md", "html", "json"),
                   help="de vorm (standaard: volgens de extensie van -o, anders md)")
    p.add_argument("-o", "--output", metavar="BESTAND",
                   help="schrijf het rapport hierheen (in één keer, alleen voor jou leesbaar) in plaats van naar standaarduitvoer")
    p.add_argument("--template", metavar="BESTAND", help="je eigen Jinja2-sjabloon (afgeschermd; welke gegevens: zie de README)")
    p.add_argument("--group", metavar="NAAM", help="je bewaarde sessies met deze groepsnaam")
    p.add_argument("--session", metavar="SESSIE", action="append",
                   help="een bewaarde sessie (id, het begin ervan, of een pad); mag vaker")
    p.add_argument("--include-coach-notes", action="store_true", help="met de notities van de coach (standaard weggelaten)")
    p.add_argument("--anonymous", action="store_true", help="namen en organisaties vervangen door Deelnemer A, B, …")
    p.add_argument("--recompute", action="store_true", help="bereken de samenvattingen opnieuw met de huidige gesprekken")
    p.set_defaults(handler=cmd_report)
