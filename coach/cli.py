"""The ``coach`` command line: argparse, one handler per subcommand.

Only the standard library is imported here at module level; each handler imports
what it needs, so ``coach --help`` and ``coach list`` stay quick and never load the UI.
A CoachError becomes one line on stderr and exit 1 (2 for usage); anything else is a bug.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from coach import __version__
from coach.errors import CoachError, UsageError

Handler = Callable[[argparse.Namespace], int]


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_list(args: argparse.Namespace) -> int:
    """List the themes."""
    from coach.engine.library import dialogue_paths, load_theme
    from coach.paths import dialogues_dir

    rows = []
    for path in dialogue_paths(dialogues_dir()):
        dialogue = load_theme(str(path))
        rows.append({
            "id": dialogue.id, "title": dialogue.title, "perspectives": list(dialogue.perspectives),
            "questions": len(dialogue.questions), "version": dialogue.version, "minutes": dialogue.minutes,
        })
    if args.json:
        _print_json({"shape": "netwerkcoach.themes", "shape_version": 1, "themes": rows})
        return 0
    if not rows:
        print("Geen thema's gevonden.")
        return 0
    width = max(len(r["id"]) for r in rows)
    for row in rows:
        perspectives = ", ".join(row["perspectives"])
        print(f"{row['id']:<{width}}  {row['title']}  ({row['questions']} vragen; {perspectives})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Show a theme as data."""
    from coach.engine.describe import dialogue_as_data
    from coach.engine.library import load_theme

    dialogue = load_theme(args.theme)
    data = dialogue_as_data(dialogue)
    if args.json:
        _print_json(data)
        return 0
    print(f"{dialogue.title}  [{dialogue.id} {dialogue.version}]")
    print(dialogue.intro.strip())
    print()
    for node in data["nodes"]:
        indent = "    " if node["loop"] else ""
        print(f"{indent}{node['id']} ({node['type']})" + (f": {node['text']}" if node.get("text") else f" over {node.get('over')}"))
        for option in node.get("options", []):
            print(f"{indent}    - {option['value']}: {option['label']}")
        for route in node["routes"]:
            print(f"{indent}    als {route['when']} -> {route['to']}")
        print(f"{indent}    anders -> {node['default']}")
    if data["insights"]:
        print("\nInzichten:")
        for insight in data["insights"]:
            print(f"  {insight['id']}: als {insight['when']}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check dialogues, catalogues and templates."""
    from coach.engine.library import check_paths
    from coach.paths import dialogues_dir, prompts_dir
    from coach.wording import check_templates

    paths = [Path(p) for p in args.paths] or [dialogues_dir()]
    problems, files = check_paths(paths)
    if not args.paths:
        template_problems, templates = check_templates(prompts_dir())
        problems.extend(template_problems)
        files += templates
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} probleem/problemen gevonden in {files} bestanden.", file=sys.stderr)
        return 1
    print(f"Alles in orde: {files} bestanden gecontroleerd.")
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    """Draw the state diagram."""
    from coach.engine.library import load_theme
    from coach.engine.machine import draw_graph

    if args.format == "dot":
        import importlib.util

        if importlib.util.find_spec("graphviz") is None:
            raise CoachError(
                "--format dot needs the Python package 'graphviz' (pip install graphviz); "
                "--format mermaid needs nothing extra"
            )
    dialogue = load_theme(args.theme)
    print(draw_graph(dialogue, args.format))
    return 0


def _open_app(args: argparse.Namespace) -> int:
    """`coach` alone in a terminal: the app, at its home screen."""
    from coach.ui.launch import launch_app

    return launch_app(coach=args.coach, panel_hidden=args.panel_hidden)


def _print_help(parser: argparse.ArgumentParser) -> Handler:
    def show(args: argparse.Namespace) -> int:
        parser.print_help()
        return 0

    return show


COMMANDS = ("list", "show", "check", "graph", "models", "kernvragen", "app", "serve",
            "run", "start", "resume", "sessions", "export", "delete", "forget", "report")
"""Every subcommand's name (a test keeps this in step with the parser)."""


class _OnlySubcommand:
    """Subparsers that keep just one subcommand: the others are not needed to read this
    command line, and building all of them is a noticeable part of starting the app."""

    def __init__(self, subparsers: Any, name: str) -> None:
        self._subparsers = subparsers
        self._name = name

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if name == self._name:
            return self._subparsers.add_parser(name, **kwargs)
        return _Ignored()


class _Ignored:
    """Stands in for a subcommand's parser that is not built."""

    def __getattr__(self, name: str) -> Callable[..., _Ignored]:
        return lambda *args, **kwargs: self


def _named_subcommand(argv: Sequence[str]) -> str | None:
    """The subcommand a command line names (None for --help, --version, or a typo)."""
    for arg in argv:
        if arg in ("-h", "--help", "--version"):
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand (or, with ``only``, with that one)."""
    parser = argparse.ArgumentParser(
        prog="coach",
        description="Netwerkcoach: reflecteren op samenwerken in netwerken, vraag voor vraag.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    # Subcommands take --coach and --panel-hidden too; theirs default to SUPPRESS, so one given
    # before the subcommand (`coach --coach start THEME`) is not overwritten by their default.
    parser.add_argument("--coach", action="store_true", help="open the app in coach mode (coach panel, notes)")
    parser.add_argument("--panel-hidden", action="store_true", help="in coach mode, start with the coach panel hidden")
    sub: Any = parser.add_subparsers(dest="command", metavar="COMMAND")
    if only is not None:
        sub = _OnlySubcommand(sub, only)

    p = sub.add_parser("list", help="list the themes")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="show a theme as data")
    p.add_argument("theme", help="theme id (see `coach list`) or a dialogue file")
    p.add_argument("--json", action="store_true", help="print JSON (documented shape)")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("check", help="check dialogues, catalogues and templates")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the shipped dialogues and prompts)")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("graph", help="draw a theme's state diagram")
    p.add_argument("theme", help="theme id or a dialogue file")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="diagram language (default mermaid)")
    p.set_defaults(handler=cmd_graph)

    p = sub.add_parser("models", help="the model catalogue, or one model")
    p.add_argument("model", nargs="?", help="a model id (see `coach models`)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_models)

    p = sub.add_parser("kernvragen", help="every kernvraag of the catalogue and where it leads")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_kernvragen)

    p = sub.add_parser("app", help="open the terminal app (also when not attached to a terminal; used by serve)")
    p.add_argument("--coach", action="store_true", default=argparse.SUPPRESS, help="coach mode")
    p.add_argument("--panel-hidden", action="store_true", default=argparse.SUPPRESS, help="coach mode with the panel hidden")
    p.set_defaults(handler=_open_app)

    p = sub.add_parser("serve", help="serve the app in a browser (127.0.0.1, with a token)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this computer only)")
    p.add_argument("--port", type=_port, default=8000, help="port, 1-65535 (default 8000; 0: any free port)")
    p.add_argument("--coach", action="store_true", default=argparse.SUPPRESS, help="open the app in coach mode")
    p.set_defaults(handler=cmd_serve)

    _add_session_commands(sub, only)
    return parser


def _catalogue_and_dialogues():  # type: ignore[no-untyped-def]
    from coach.engine.library import dialogue_paths, load_catalogue, load_dialogue
    from coach.paths import dialogues_dir

    catalogue = load_catalogue()
    dialogues = [load_dialogue(p, catalogue) for p in dialogue_paths(dialogues_dir())]
    return catalogue, dialogues


def cmd_models(args: argparse.Namespace) -> int:
    """The model catalogue."""
    catalogue, dialogues = _catalogue_and_dialogues()

    def as_data(model: Any) -> dict[str, Any]:
        used_by = sorted({d.id for d in dialogues for i in d.insights for m in i.models if m.id == model.id}
                         | {d.id for d in dialogues for m in d.default_models if m.id == model.id})
        return {
            "id": model.id, "title": model.title, "authors": list(model.authors), "year": model.year,
            "source": vars(model.source) if model.source else None, "description": " ".join(model.description.split()),
            "perspectives": list(model.perspectives), "literature": [vars(lit) for lit in model.literature],
            "kernvragen": [k.id for k in catalogue.kernvragen if model.id in k.models], "suggested_by": used_by,
        }

    if args.model:
        model = catalogue.models_by_id.get(args.model)
        if model is None:
            known = ", ".join(sorted(catalogue.models_by_id))
            raise CoachError(f"onbekend model '{args.model}'; bekende modellen: {known}")
        data = as_data(model)
        if args.json:
            _print_json(data)
            return 0
        print(f"{model.title} ({', '.join(model.authors)}{', ' + str(model.year) if model.year else ''})")
        print()
        print(data["description"])
        for lit in model.literature:
            print(f"- {lit.authors} ({lit.year or 'z.j.'}). {lit.title}." + (f" {lit.publisher}." if lit.publisher else ""))
        if data["kernvragen"]:
            print("\nKernvragen: " + ", ".join(data["kernvragen"]))
        return 0
    rows = [as_data(m) for m in catalogue.models]
    if args.json:
        _print_json({"shape": "netwerkcoach.models", "shape_version": 1, "models": rows})
        return 0
    width = max((len(r["id"]) for r in rows), default=0)
    for row in rows:
        print(f"{row['id']:<{width}}  {row['title']} ({', '.join(row['authors'])}{', ' + str(row['year']) if row['year'] else ''})")
    return 0


def cmd_kernvragen(args: argparse.Namespace) -> int:
    """Every kernvraag, its perspective, source line and where it leads."""
    catalogue, dialogues = _catalogue_and_dialogues()
    rows = []
    for k in catalogue.kernvragen:
        leads = [d.id for d in dialogues if k.id in d.kernvragen or any(k.id in n.kernvragen for n in d.nodes)]
        rows.append({"id": k.id, "text": k.text, "perspective": k.perspective, "praatplaat": k.praatplaat,
                     "source": {"file": k.source.file, "line": k.source.line}, "dialogues": leads,
                     "models": list(k.models), "leads_to": f"gesprek {leads[0]}" if leads else "vindplaats"})
    if args.json:
        _print_json({"shape": "netwerkcoach.kernvragen", "shape_version": 1, "kernvragen": rows})
        return 0
    for row in rows:
        print(f"{row['perspective']:<26} r.{row['source']['line']:<5} {row['text']}  → {row['leads_to']}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the app in a browser (the address and port are checked when bound: a clear line, no traceback)."""
    from coach.serve import serve

    return serve(host=args.host, port=args.port, coach=args.coach)


def _port(text: str) -> int:
    """``--port``: 1 to 65535, or 0 for a free port (the address printed says which)."""
    text = text.strip()
    if not text.isascii() or not text.isdecimal() or len(text) > 5 or int(text) > 65535:
        from coach.text import strip_controls

        raise argparse.ArgumentTypeError(f"ongeldige poort '{strip_controls(text[:20])}': kies een getal van "
                                         f"1 tot en met 65535 (of 0 voor een vrije poort)")
    return int(text)


def _add_session_commands(sub: Any, only: str | None = None) -> None:
    """Subcommands that run and keep sessions (see coach.commands), and ``report``.

    The report command's module is imported only when its parser is built.
    """
    from coach import commands

    commands.register(sub)
    if only in (None, "report"):
        from coach.reports import command as report_command

        report_command.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(only=_named_subcommand(arguments))
    args = parser.parse_args(arguments)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        handler = _open_app if sys.stdin.isatty() and sys.stdout.isatty() else _print_help(parser)
    del parser  # not needed while the command (the app, say) runs
    try:
        return handler(args)
    except CoachError as err:
        from coach.text import strip_controls

        print(f"coach: {strip_controls(str(err))}", file=sys.stderr)
        return UsageError.exit_code if isinstance(err, UsageError) else err.exit_code
    except KeyboardInterrupt:
        print("coach: onderbroken", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `coach show | head`); nothing left to say.
        sys.stderr.close()
        return 0
