"""The ``coach`` command line: argparse, one handler per subcommand.

Only the standard library is imported here at module level; each handler imports
what it needs, so ``coach --help`` and ``coach list`` stay quick and never load the UI.
A CoachError becomes one line on stderr and exit 1 (2 for usage); anything else is a bug.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from coach import __version__
from coach.errors import CoachError, UsageError

Handler = Callable[[argparse.Namespace], int]


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _healthy_dialogues(load: Callable[[Path], Any]) -> tuple[list[Any], list[CoachError]]:
    """Every dialogue of the dialogues folder that loads, and the problems of those that do not.

    One broken file (a tab in its indentation, a folder named ``x.yaml``) must not hide
    the others: they are listed, and the broken one is named by ``_say_skipped``.
    """
    from coach.engine.library import dialogue_paths
    from coach.errors import CheckFailed
    from coach.paths import dialogues_dir

    dialogues: list[Any] = []
    problems: list[CoachError] = []
    for path in dialogue_paths(dialogues_dir()):
        if not path.exists():  # a link to nothing: loading it would call it an unknown theme
            from coach.engine.files import shown_path

            problems.append(CoachError("kan niet lezen: het bestand bestaat niet (een verbroken koppeling?)",
                                       path=shown_path(path)))
            continue
        try:
            dialogues.append(load(path))
        except CheckFailed as err:
            problems.extend(err.problems)
        except CoachError as err:
            problems.append(err)
    return dialogues, problems


def _say_skipped(problems: list[CoachError], effect: tuple[str, str]) -> int:
    """Name each dialogue left out, as ``coach: file:line: message`` on stderr, then one line
    saying so (``effect``: what that means, for one file and for several); the exit code.

    Exit 1 when anything was left out, as `coach check` does: what is shown is right but
    not all there is, and a script reading the list should know; a person still sees the
    healthy ones on stdout.
    """
    if not problems:
        return 0
    from coach.text import strip_controls

    sys.stdout.flush()
    for problem in problems:
        print(f"coach: {strip_controls(str(problem))}", file=sys.stderr)
    files = len({problem.path for problem in problems})
    said = (f"dit gespreksbestand is overgeslagen; {effect[0]}" if files == 1
            else f"deze {files} gespreksbestanden zijn overgeslagen; {effect[1]}")
    print(f"coach: {said} (meer: coach check)", file=sys.stderr)
    return 1


def cmd_list(args: argparse.Namespace) -> int:
    """List the themes (the healthy ones, when a dialogue file is broken; it is named on stderr)."""
    from coach.engine.library import load_theme

    dialogues, problems = _healthy_dialogues(lambda path: load_theme(str(path)))
    rows = [{
        "id": dialogue.id, "title": dialogue.title, "perspectives": list(dialogue.perspectives),
        "questions": len(dialogue.questions), "version": dialogue.version, "minutes": dialogue.minutes,
    } for dialogue in dialogues]
    if args.json:
        _print_json({"shape": "netwerkcoach.themes", "shape_version": 1, "themes": rows})
    elif not rows:
        print("Geen thema's gevonden.")
    else:
        width = max(len(r["id"]) for r in rows)
        for row in rows:
            perspectives = ", ".join(row["perspectives"])
            print(f"{row['id']:<{width}}  {row['title']}  ({row['questions']} vragen; {perspectives})")
    return _say_skipped(problems, ("de andere thema's staan hierboven",) * 2)


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
    from coach.text import strip_controls
    from coach.wording import check_templates

    paths = [Path(p) for p in args.paths] or [dialogues_dir()]
    transcripts = [p for p in paths if p.suffix.lower() in (".yaml", ".yml") and _is_transcript(p)]
    for path in transcripts:
        # A transcript read as a dialogue gave dozens of schema errors about keys it never had.
        print(strip_controls(f"coach: {path}: dit is het transcript van een sessie, geen gesprek; `coach check` "
                             "controleert gesprekken en catalogi (een sessie lezen: coach export, verder gaan: "
                             "coach resume)"), file=sys.stderr)
    paths = [p for p in paths if p not in transcripts]
    if transcripts and not paths:
        return 1
    problems, files = check_paths(paths)
    if not args.paths:
        template_problems, templates = check_templates(prompts_dir())
        problems.extend(template_problems)
        files += templates
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        found = "1 probleem" if len(problems) == 1 else f"{len(problems)} problemen"
        print(f"{found} gevonden in {_files(files)}.", file=sys.stderr)
        return 1
    print(f"Alles in orde: {_files(files)} gecontroleerd.")
    return 1 if transcripts else 0


def _is_transcript(path: Path) -> bool:
    from coach.session.store import transcript_id

    return transcript_id(path) is not None


def _files(count: int) -> str:
    return "1 bestand" if count == 1 else f"{count} bestanden"


def cmd_graph(args: argparse.Namespace) -> int:
    """Draw the state diagram."""
    from coach.engine.library import load_theme
    from coach.engine.machine import draw_graph

    if args.format == "dot":
        import importlib.util

        if importlib.util.find_spec("graphviz") is None:
            raise CoachError(
                "--format dot heeft het Python-pakket 'graphviz' nodig (pip install graphviz); "
                "--format mermaid heeft niets extra nodig"
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


# argparse's own words, in Dutch: its gettext message ids (what it passes to `_()`) and
# their translations. A small catalogue instead of a gettext domain: argparse ships no
# Dutch, and a .mo file or a replaced `argparse._` would change every parser in the
# process (textual-serve's, pytest's). Here only ours change, in two ways: what argparse
# lets a parser pass itself (the usage prefix, the group titles, the help of -h) is
# passed in Dutch, and its error messages, built from these ids, are translated back
# from the ids in `DutchArgumentParser.error`. An id a future Python words differently
# is simply not matched and stays English: never a failure.
ARGPARSE_DUTCH: dict[str, str] = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    # Error messages, tried in this order ('expected one argument' before 'expected %s argument',
    # which would match it too).
    "argument %(argument_name)s: %(message)s": "bij %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "dit ontbreekt nog: %s",
    "one of the arguments %s is required": "geef een van deze op: %s",
    "unrecognized arguments: %s": "niet herkend: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "expected one argument": "hier hoort één waarde achter",
    "expected at most one argument": "hier hoort hooguit één waarde achter",
    "expected at least one argument": "hier hoort minstens één waarde achter",
    "expected %s argument": "hier hoort %s waarde achter",
    "expected %s arguments": "hier horen %s waarden achter",
    "ignored explicit argument %r": "hier hoort geen waarde bij: %r",
    "not allowed with argument %s": "gaat niet samen met %s",
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s is niet eenduidig: bedoel je %(matches)s?",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
    "unexpected option string: %s": "onverwachte optie: %s",
}

_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[sr]")


def argparse_in_dutch(message: str) -> str:
    """One of argparse's error messages in Dutch (unchanged when it is none it knows).

    The message is matched against the ids' wording, its values (an option, a choice)
    are kept, and a message wrapped in another (``argument --port: …``) is translated too.
    """
    for english, dutch in ARGPARSE_DUTCH.items():
        names: list[str] = []
        pattern, position = "", 0
        for found in _PLACEHOLDER.finditer(english):
            names.append(found.group(1) or f"p{len(names)}")
            pattern += re.escape(english[position:found.start()]) + f"(?P<{names[-1]}>.+?)"
            position = found.end()
        matched = re.fullmatch(pattern + re.escape(english[position:]), message, re.DOTALL)
        if matched is None:
            continue
        values = iter(names)

        def fill(placeholder: re.Match[str]) -> str:
            name = placeholder.group(1) or next(values)
            value = matched.group(name)
            return argparse_in_dutch(value) if name == "message" else value

        return _PLACEHOLDER.sub(fill, dutch)
    return message


class DutchHelpFormatter(argparse.HelpFormatter):
    """argparse's help, with a Dutch usage line."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, ARGPARSE_DUTCH["usage: "] if prefix is None else prefix)


class _Subcommands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands whose line in ``coach --help`` also opens their own ``--help``."""

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        text = kwargs.get("help")
        if text and "description" not in kwargs:
            kwargs["description"] = text[0].upper() + text[1:] + "."
        return super().add_parser(name, **kwargs)


class DutchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Dutch: its help and its error messages (see ARGPARSE_DUTCH).

    Subcommands' parsers are of this class too (argparse makes them of the parent's class).
    """

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self.register("action", "parsers", _Subcommands)
        self._positionals.title = ARGPARSE_DUTCH["positional arguments"]
        self._optionals.title = ARGPARSE_DUTCH["options"]
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=ARGPARSE_DUTCH["show this help message and exit"])

    def error(self, message: str) -> NoReturn:
        """The usage, then one line saying what is wrong; exit 2 (as argparse does)."""
        from coach.text import strip_controls

        self.print_usage(sys.stderr)
        line = ARGPARSE_DUTCH["%(prog)s: error: %(message)s\n"] % {"prog": self.prog, "message": argparse_in_dutch(message)}
        self.exit(2, strip_controls(line.rstrip("\n")) + "\n")


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
    parser = DutchArgumentParser(
        prog="coach",
        description="Netwerkcoach: reflecteren op samenwerken in netwerken, vraag voor vraag.",
        epilog="Zonder opdracht opent in een terminal de app. Meer over een opdracht: coach OPDRACHT --help",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}", help="toon het versienummer en stop")
    # Subcommands take --coach and --panel-hidden too; theirs default to SUPPRESS, so one given
    # before the subcommand (`coach --coach start THEME`) is not overwritten by their default.
    parser.add_argument("--coach", action="store_true", help="open de app in coachmodus (coachpaneel, notities)")
    parser.add_argument("--panel-hidden", action="store_true", help="in coachmodus: begin met het coachpaneel verborgen")
    sub: Any = parser.add_subparsers(title="opdrachten", dest="command", metavar="OPDRACHT")
    if only is not None:
        sub = _OnlySubcommand(sub, only)

    p = sub.add_parser("list", help="de thema's: id, titel, perspectieven en aantal vragen")
    p.add_argument("--json", action="store_true", help="als JSON")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="een thema als gegevens: de vragen, hun vertakkingen en inzichten")
    p.add_argument("theme", metavar="THEMA", help="een thema-id (zie `coach list`) of een gespreksbestand")
    p.add_argument("--json", action="store_true", help="als JSON")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("check", help="controleer gesprekken, catalogi en sjablonen (fouten met bestand en regel)")
    p.add_argument("paths", nargs="*", metavar="PAD",
                   help="bestanden of mappen (standaard: de meegeleverde gesprekken en sjablonen)")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("graph", help="het toestandsdiagram van een thema")
    p.add_argument("theme", metavar="THEMA", help="een thema-id of een gespreksbestand")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid",
                   help="taal van het diagram (standaard mermaid; dot vraagt het pakket graphviz)")
    p.set_defaults(handler=cmd_graph)

    p = sub.add_parser("models", help="de modellencatalogus, of één model met zijn literatuur")
    p.add_argument("model", nargs="?", metavar="MODEL", help="een model-id (zie `coach models`)")
    p.add_argument("--json", action="store_true", help="als JSON")
    p.set_defaults(handler=cmd_models)

    p = sub.add_parser("kernvragen", help="alle kernvragen, met perspectief, bronregel en waar ze heen leiden")
    p.add_argument("--json", action="store_true", help="als JSON")
    p.set_defaults(handler=cmd_kernvragen)

    p = sub.add_parser("app", help="open de app (ook zonder terminal; coach serve gebruikt dit)")
    p.add_argument("--coach", action="store_true", default=argparse.SUPPRESS, help="in coachmodus")
    p.add_argument("--panel-hidden", action="store_true", default=argparse.SUPPRESS,
                   help="in coachmodus, met het coachpaneel verborgen")
    p.set_defaults(handler=_open_app)

    p = sub.add_parser("serve", help="de app in je browser (alleen op deze computer, met een toegangscode in het adres)")
    p.add_argument("--host", metavar="ADRES", default="127.0.0.1",
                   help="het adres om op te luisteren (standaard 127.0.0.1: alleen deze computer)")
    p.add_argument("--port", metavar="POORT", type=_port, default=8000,
                   help="de poort, 1 tot en met 65535 (standaard 8000; 0: een vrije poort)")
    p.add_argument("--coach", action="store_true", default=argparse.SUPPRESS, help="open de app in coachmodus")
    p.set_defaults(handler=cmd_serve)

    _add_session_commands(sub, only)
    return parser


def _catalogue_and_dialogues():  # type: ignore[no-untyped-def]
    """The catalogue, the dialogues that load, and the problems of those that do not."""
    from coach.engine.library import load_catalogue, load_dialogue

    catalogue = load_catalogue()
    dialogues, problems = _healthy_dialogues(lambda path: load_dialogue(path, catalogue))
    return catalogue, dialogues, problems


# What a dialogue left out means for `coach models` and `coach kernvragen` (one file, several).
_LEFT_OUT_OF_CATALOGUE = ("hierboven telt het niet mee", "hierboven tellen ze niet mee")


def cmd_models(args: argparse.Namespace) -> int:
    """The model catalogue (a broken dialogue file is named on stderr; the rest is shown)."""
    from coach.text import authors_line

    catalogue, dialogues, problems = _catalogue_and_dialogues()

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
            return _say_skipped(problems, _LEFT_OUT_OF_CATALOGUE)
        print(f"{model.title} ({authors_line(model.authors)}{', ' + str(model.year) if model.year else ''})")
        print()
        print(data["description"])
        for lit in model.literature:
            print(f"- {lit.authors} ({lit.year or 'z.j.'}). {lit.title}." + (f" {lit.publisher}." if lit.publisher else ""))
        if data["kernvragen"]:
            print("\nKernvragen: " + ", ".join(data["kernvragen"]))
        return _say_skipped(problems, _LEFT_OUT_OF_CATALOGUE)
    rows = [as_data(m) for m in catalogue.models]
    if args.json:
        _print_json({"shape": "netwerkcoach.models", "shape_version": 1, "models": rows})
        return _say_skipped(problems, _LEFT_OUT_OF_CATALOGUE)
    width = max((len(r["id"]) for r in rows), default=0)
    for row in rows:
        print(f"{row['id']:<{width}}  {row['title']} ({authors_line(row['authors'])}{', ' + str(row['year']) if row['year'] else ''})")
    return _say_skipped(problems, _LEFT_OUT_OF_CATALOGUE)


def cmd_kernvragen(args: argparse.Namespace) -> int:
    """Every kernvraag, its perspective, source line and where it leads."""
    catalogue, dialogues, problems = _catalogue_and_dialogues()
    rows = []
    for k in catalogue.kernvragen:
        leads = [d.id for d in dialogues if k.id in d.kernvragen or any(k.id in n.kernvragen for n in d.nodes)]
        rows.append({"id": k.id, "text": k.text, "perspective": k.perspective, "praatplaat": k.praatplaat,
                     "source": {"file": k.source.file, "line": k.source.line}, "dialogues": leads,
                     "models": list(k.models), "leads_to": f"gesprek {leads[0]}" if leads else "vindplaats"})
    if args.json:
        _print_json({"shape": "netwerkcoach.kernvragen", "shape_version": 1, "kernvragen": rows})
        return _say_skipped(problems, _LEFT_OUT_OF_CATALOGUE)
    for row in rows:
        print(f"{row['perspective']:<26} r.{row['source']['line']:<5} {row['text']}  → {row['leads_to']}")
    return _say_skipped(problems, _LEFT_OUT_OF_CATALOGUE)


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
