"""Subcommands that run dialogues and keep sessions: run, start, resume, sessions,
export, delete, forget. Each handler imports what it needs when it runs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from coach.errors import CoachError, UsageError


def _print(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _read_answers(path_text: str) -> dict[str, Any]:
    """An answers file: YAML (read without type guessing) or JSON, a mapping."""
    import yaml

    if path_text == "-":
        name, text = "<stdin>", sys.stdin.read()
    else:
        path = Path(path_text)
        name = path_text
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise CoachError(f"kan het antwoordenbestand niet lezen: {getattr(err, 'strerror', None) or err}", path=name) from err
    try:
        if name.endswith(".json") or text.lstrip().startswith(("{", "[")):
            data = json.loads(text)
        else:
            loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
            data = yaml.load(text, Loader=loader)  # noqa: S506 - BaseLoader builds only str, list and dict
    except json.JSONDecodeError as err:
        raise CoachError(f"geen geldige JSON: {err.msg}", path=name, line=err.lineno) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise CoachError(f"geen geldige YAML: {getattr(err, 'problem', err)}", path=name, line=mark.line + 1 if mark else None) from err
    if not isinstance(data, dict):
        raise CoachError(f"verwacht een mapping van vraag-id naar antwoord, gevonden {type(data).__name__}", path=name)
    return data


def cmd_run(args: argparse.Namespace) -> int:
    """Run a theme headless from an answers file; print the finished transcript."""
    from coach.engine.library import load_catalogue_for, load_theme
    from coach.session import transcript
    from coach.session.headless import run_headless

    dialogue = load_theme(args.theme)
    catalogue = load_catalogue_for(dialogue)
    given = _read_answers(args.answers)
    known = {n.id for n in dialogue.questions}
    for key in given:
        if key not in known:
            print(f"coach: waarschuwing: {args.answers}: '{key}' is geen vraag van '{dialogue.id}'; genegeerd", file=sys.stderr)
    session = run_headless(dialogue, catalogue, given, args.answers, probes=not args.no_probes)
    document = transcript.seal(session.to_document())
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n" if args.json else transcript.dump_yaml(document)
    if args.output:
        _write_private(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def _write_private(path: Path, text: str) -> None:
    """Write a file the user asked for, atomically and readable by them alone."""
    from coach.session.transcript import write_atomic

    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as err:
        raise CoachError(f"kan niet schrijven: {err.strerror}", path=str(path)) from err


def _new_session_file(session_id: str) -> Path:
    from coach.paths import data_dir
    from coach.session.store import new_session_path

    try:
        return new_session_path(session_id)
    except OSError as err:
        raise CoachError(
            f"de datamap {data_dir()} is niet te beschrijven ({err.strerror}); "
            "kies een andere met de omgevingsvariabele COACH_HOME, bijvoorbeeld COACH_HOME=~/netwerkcoach"
        ) from err


def _wants_app(args: argparse.Namespace) -> bool:
    """The terminal app when both ends are a terminal and it is installed, else plain."""
    if getattr(args, "plain", False) or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    import importlib.util

    return importlib.util.find_spec("coach.ui.app") is not None


def cmd_start(args: argparse.Namespace) -> int:
    """Start a theme: the app in a terminal, plain mode otherwise."""
    if _wants_app(args):
        from coach.ui.app import run_app

        return run_app(theme=args.theme, coach=args.coach or args.panel_hidden, panel_hidden=args.panel_hidden)
    from coach.engine.library import load_catalogue_for, load_theme
    from coach.session.session import Session

    dialogue = load_theme(args.theme)
    catalogue = load_catalogue_for(dialogue)
    participant = {"name": args.name, "organisation": args.organisation}
    import secrets

    from coach import clock

    session_id = f"{clock.now():%Y%m%d-%H%M%S}-{dialogue.id}-{secrets.token_hex(2)}"
    path = _new_session_file(session_id)
    session = Session.start(dialogue, catalogue, path=path, group=args.group, participant=participant,
                            probes=not args.no_probes, session_id=session_id)
    from coach.plain import run_plain

    return run_plain(session, ack_stdout=args.ack_stdout)


def open_saved(reference: str | None, *, probes: bool = True):  # type: ignore[no-untyped-def]
    """A saved session resumed (the latest unfinished one when no reference)."""
    from coach.engine.library import load_catalogue_for, load_theme
    from coach.errors import DialogueError
    from coach.session import transcript
    from coach.session.session import Session
    from coach.session.store import find_session

    path = find_session(reference, unfinished=reference is None)
    document = transcript.load(path)
    theme = str((document.get("dialogue") or {}).get("id", ""))
    own_file = (document.get("dialogue") or {}).get("file")
    try:
        dialogue = load_theme(own_file if own_file and Path(own_file).exists() else theme)
    except DialogueError as err:
        raise CoachError(f"het thema '{theme}' van deze sessie is er niet (meer): {err.message}", path=str(path)) from err
    return Session.resume(document, dialogue, load_catalogue_for(dialogue), path=path, probes=probes)


def cmd_resume(args: argparse.Namespace) -> int:
    """Continue a saved session."""
    if _wants_app(args):
        from coach.ui.app import run_app

        return run_app(resume=args.session or "", coach=args.coach or args.panel_hidden, panel_hidden=args.panel_hidden)
    session = open_saved(args.session, probes=not args.no_probes)
    from coach.plain import run_plain

    return run_plain(session, ack_stdout=args.ack_stdout)


def cmd_sessions(args: argparse.Namespace) -> int:
    """List saved sessions."""
    from coach.session.store import all_sessions

    sessions = [s for s in all_sessions() if args.all or not s.finished]
    if args.json:
        rows = []
        for s in sessions:
            answered, skipped = s.progress()
            rows.append({"session": s.session_id, "theme": s.theme, "started": (s.document or {}).get("started"),
                         "updated": s.updated or None, "finished": (s.document or {}).get("finished"),
                         "answered": answered, "skipped": skipped, "group": (s.document or {}).get("group"),
                         "path": str(s.path), "problem": s.problem})
        json.dump({"shape": "netwerkcoach.sessions", "shape_version": 1, "sessions": rows}, sys.stdout, ensure_ascii=False, indent=2)
        _print()
        return 0
    if not sessions:
        _print("Geen onderbroken sessies." if not args.all else "Geen sessies.")
        return 0
    for s in sessions:
        if s.problem:
            _print(f"{s.path.stem}  ONLEESBAAR: {s.problem}  {s.path}")
            continue
        answered, skipped = s.progress()
        state = "klaar" if s.finished else "onderbroken"
        started = str((s.document or {}).get("started", ""))[:16].replace("T", " ")
        _print(f"{s.session_id}  {s.theme}  {started}  {state}, {answered} beantwoord, {skipped} overgeslagen  {s.path}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a saved session's transcript to stdout or a file."""
    from coach.session import transcript
    from coach.session.store import find_session

    path = find_session(args.session)
    document = transcript.load(path)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n" if args.json else transcript.dump_yaml(document)
    if args.output:
        _write_private(Path(args.output), text)
        print(f"Geëxporteerd naar {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _confirm(prompt: str, word: str) -> bool:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    return line.strip().casefold() == word.casefold()


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete one saved session."""
    from coach.session.store import find_session

    path = find_session(args.session)
    if not args.yes and not _confirm(f"Sessie {path.stem} verwijderen? Typ 'ja' om te bevestigen: ", "ja"):
        print("Niets verwijderd.", file=sys.stderr)
        return 1
    path.unlink()
    print(f"Verwijderd: {path}", file=sys.stderr)
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    """Delete every saved session, after the confirmation word."""
    from coach.paths import sessions_dir

    if not args.all:
        raise UsageError("`coach forget` wist alles en vraagt daarom om --all")
    folder = sessions_dir()
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        print("Er zijn geen sessies om te wissen.", file=sys.stderr)
        return 0
    if not _confirm(f"Alle {len(files)} sessies in {folder} wissen? Typ VERGEET om te bevestigen: ", "VERGEET"):
        print("Niets gewist.", file=sys.stderr)
        return 1
    for path in files:
        path.unlink()
    for temp in folder.glob(".*.tmp"):
        temp.unlink()
    print(f"{len(files)} sessies gewist.", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    """Add the session subcommands to the parser."""
    p = sub.add_parser("run", help="run a theme headless from an answers file")
    p.add_argument("theme", help="theme id or dialogue file")
    p.add_argument("--answers", required=True, metavar="FILE", help="YAML or JSON: question id -> answer ('-' for stdin)")
    p.add_argument("-o", "--output", metavar="OUT", help="write the transcript here (default: stdout)")
    p.add_argument("--json", action="store_true", help="JSON instead of YAML")
    p.add_argument("--no-probes", action="store_true", help="ask no follow-ups")
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser("start", help="start a theme (the app in a terminal; plain mode when piped)")
    p.add_argument("theme", help="theme id (see `coach list`)")
    p.add_argument("--plain", action="store_true", help="line by line, also in a terminal")
    p.add_argument("--no-probes", action="store_true", help="ask no follow-ups")
    p.add_argument("--ack-stdout", action="store_true", help="write 'opgeslagen' to stdout instead of stderr")
    p.add_argument("--group", metavar="NAME", help="tag the session (a board, a partnership)")
    p.add_argument("--name", help="the director's name (optional)")
    p.add_argument("--organisation", help="the organisation (optional)")
    p.add_argument("--coach", action="store_true", help="coach mode: coach panel, notes, free navigation")
    p.add_argument("--panel-hidden", action="store_true", help="coach mode with the panel hidden (screen sharing)")
    p.set_defaults(handler=cmd_start)

    p = sub.add_parser("resume", help="continue a saved session")
    p.add_argument("session", nargs="?", help="session id, prefix or file (default: the latest unfinished)")
    p.add_argument("--plain", action="store_true", help="line by line, also in a terminal")
    p.add_argument("--no-probes", action="store_true", help="ask no follow-ups")
    p.add_argument("--ack-stdout", action="store_true", help="write 'opgeslagen' to stdout instead of stderr")
    p.add_argument("--coach", action="store_true", help="continue in coach mode")
    p.add_argument("--panel-hidden", action="store_true", help="coach mode with the panel hidden")
    p.set_defaults(handler=cmd_resume)

    p = sub.add_parser("sessions", help="list saved sessions (unfinished by default)")
    p.add_argument("--all", action="store_true", help="also finished ones")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_sessions)

    p = sub.add_parser("export", help="write a saved session's transcript")
    p.add_argument("session", help="session id, prefix or file")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (mode 0600) instead of stdout")
    p.add_argument("--json", action="store_true", help="JSON instead of YAML")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("delete", help="delete a saved session")
    p.add_argument("session", help="session id, prefix or file")
    p.add_argument("--yes", action="store_true", help="do not ask (for scripts)")
    p.set_defaults(handler=cmd_delete)

    p = sub.add_parser("forget", help="delete every saved session")
    p.add_argument("--all", action="store_true", help="required: everything")
    p.set_defaults(handler=cmd_forget)
