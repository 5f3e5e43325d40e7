"""Subcommands that run dialogues and keep sessions: run, start, resume, sessions,
export, delete, forget. Each handler imports what it needs when it runs."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coach.errors import CoachError, UsageError


def _print(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _read_answers(path_text: str) -> dict[str, Any]:
    """An answers file: YAML (read without type guessing) or JSON, a mapping."""
    import yaml

    from coach.engine.yamlio import MAX_FILE_BYTES, deep_nesting_line, lone_surrogate_line

    if path_text == "-":
        name, text = "<stdin>", sys.stdin.read(MAX_FILE_BYTES + 1)
    else:
        path = Path(path_text)
        name = path_text
        try:
            with path.open(encoding="utf-8") as handle:
                text = handle.read(MAX_FILE_BYTES + 1)
        except (OSError, UnicodeDecodeError) as err:
            raise CoachError(f"kan het antwoordenbestand niet lezen: {getattr(err, 'strerror', None) or err}", path=name) from err
    if len(text) > MAX_FILE_BYTES:
        raise CoachError(f"het antwoordenbestand is groter dan {MAX_FILE_BYTES} tekens; geweigerd", path=name)
    for problem, line in (("tekens die geen tekst zijn", lone_surrogate_line(text)),
                          ("te diep genest", deep_nesting_line(text))):
        if line is not None:
            raise CoachError(f"{problem}; geweigerd", path=name, line=line)
    try:
        if name.endswith(".json") or text.lstrip().startswith(("{", "[")):
            data = json.loads(text)
        else:
            loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
            data = yaml.load(text, Loader=loader)  # noqa: S506 - BaseLoader builds only str, list and dict
    except json.JSONDecodeError as err:
        raise CoachError(f"geen geldige JSON: {err.msg}", path=name, line=err.lineno) from err
    except (ValueError, RecursionError) as err:  # e.g. an integer of thousands of digits
        raise CoachError(f"kan het antwoordenbestand niet lezen: {err}", path=name) from err
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
    """Write a file the user asked for, atomically and readable by them alone (see coach.outputs)."""
    from coach.outputs import replaced_path, written_in_place
    from coach.session.transcript import write_atomic

    try:
        if written_in_place(path):  # /dev/null, a pipe: never replaced by a file
            with open(path, "wb") as handle:
                handle.write(text.encode("utf-8"))
        else:
            write_atomic(replaced_path(path), text.encode("utf-8"))
    except OSError as err:
        raise CoachError(f"kan niet schrijven: {err.strerror}", path=str(path)) from err


def _clean_errors(handler):  # type: ignore[no-untyped-def]
    """Strip terminal control sequences from what an error quotes (values, file names)."""
    import functools

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except CoachError as err:
            from coach.errors import CheckFailed

            for problem in [err, *(err.problems if isinstance(err, CheckFailed) else [])]:
                _clean_error(problem)
            raise

    return run


def _clean_error(err: CoachError) -> None:
    from coach.text import strip_controls

    err.message = strip_controls(err.message)
    err.args = (err.message,)
    if err.path is not None:
        err.path = strip_controls(err.path)
    if err.question is not None:
        err.question = strip_controls(err.question)


def _warn(text: str) -> None:
    """A line for the user on stderr (stdout carries the dialogue in plain mode)."""
    from coach.text import strip_controls

    sys.stderr.write(f"coach: {strip_controls(text)}\n")
    sys.stderr.flush()


def _wants_app(args: argparse.Namespace) -> bool:
    """The terminal app when both ends are a terminal and it is installed, else plain."""
    if getattr(args, "plain", False) or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    import importlib.util

    return importlib.util.find_spec("coach.ui.app") is not None


@_clean_errors
def cmd_start(args: argparse.Namespace) -> int:
    """Start a theme: the app in a terminal, plain mode otherwise."""
    if _wants_app(args):
        from coach.ui.launch import launch_app

        return launch_app(theme=args.theme, coach=args.coach or args.panel_hidden, panel_hidden=args.panel_hidden,
                          group=args.group, participant={"name": args.name, "organisation": args.organisation},
                          probes=not args.no_probes)
    from coach.engine.library import load_catalogue_for, load_theme
    from coach.errors import TranscriptError
    from coach.session.lock import SessionLock
    from coach.session.session import Session

    dialogue = load_theme(args.theme)
    catalogue = load_catalogue_for(dialogue)
    participant = {"name": args.name, "organisation": args.organisation}
    from coach.session.store import data_dir_error, new_session_file, new_session_id

    session_id = new_session_id(dialogue.id)
    path = new_session_file(session_id)
    lock = SessionLock(path).acquire()
    try:
        session = Session.start(dialogue, catalogue, path=path, group=args.group, participant=participant,
                                probes=not args.no_probes, session_id=session_id)
    except TranscriptError as err:
        lock.release()
        if isinstance(err.__cause__, OSError):
            raise data_dir_error(err.__cause__) from err
        raise
    session.lock = lock
    from coach.plain import run_plain

    try:
        return run_plain(session, ack_stdout=args.ack_stdout)
    finally:
        session.close()


def _with_recovery_hint(err: CoachError, path: Path) -> CoachError:
    """A damaged transcript's message, saying the file is kept and how to open a copy."""
    from coach.session.store import session_reference
    from coach.session.transcript import TranscriptDamaged

    return TranscriptDamaged(
        f"{err.message}. Het bestand blijft zoals het is. Verder met wat nog leesbaar is, als kopie: "
        f"coach resume {session_reference(path)} --recover",
        path=err.path or str(path), line=err.line,
    )


def open_saved(reference: str | None, *, probes: bool = True, lock: bool = True):  # type: ignore[no-untyped-def]
    """A saved session resumed (the latest unfinished one when no reference).

    With ``lock`` (the default) the session is opened for writing: its lock is taken
    first (SessionInUse when another process has it open), temp files of a crashed
    write are cleared, an older schema is upgraded on disk (original kept as
    ``NAME.schemaN.bak``), and ``session.close()`` lets go again. A damaged file is
    refused with a message that keeps it and names ``--recover``.
    """
    from coach.session import transcript
    from coach.session.lock import SessionLock
    from coach.session.session import Session
    from coach.session.store import dialogue_of, find_session, session_reference

    path = find_session(reference, unfinished=reference is None)
    held = SessionLock(path).acquire() if lock else None
    try:
        if held is not None:
            transcript.remove_stale_temps(path)
            try:
                transcript.check_writable(path.parent)
            except OSError as err:
                raise CoachError(f"kan deze sessie niet voortzetten: de map {path.parent} is niet te beschrijven: "
                                 f"{transcript.explain(err)}. Lezen kan wel: coach export {session_reference(path)}", path=str(path)) from err
        try:
            document = transcript.load(path, upgrade=held is not None)
        except transcript.TranscriptDamaged as err:
            raise _with_recovery_hint(err, path) from err
        dialogue, catalogue = dialogue_of(document, path)
        try:
            session = Session.resume(document, dialogue, catalogue, path=path, probes=probes)
        except transcript.TranscriptDamaged as err:
            raise _with_recovery_hint(err, path) from err
    except BaseException:
        if held is not None:
            held.release()
        raise
    session.lock = held
    return session


def recover_saved(reference: str, *, probes: bool = True,  # type: ignore[no-untyped-def]
                  say: Callable[[str], None] | None = None):
    """A new session holding what can still be read of a damaged one (which is kept as is).

    What was left out and what to know is told line by line to ``say`` (stderr by default;
    the app shows the lines once it is on screen).
    """
    say = say or _warn
    from coach.session.recover import damage, recover_copy
    from coach.session.store import find_session, recovered_copy_of

    path = find_session(reference)
    problem = damage(path)
    if problem is None:
        say(f"{path} is niet beschadigd; er is niets te herstellen. Je gaat gewoon verder.")
        return open_saved(str(path), probes=probes)
    earlier = recovered_copy_of(path)
    if earlier is not None:
        say(f"let op: dit bestand is al eerder hersteld als {earlier.session_id} ({earlier.path}); "
              f"dit wordt een tweede kopie. Verder in de eerste: coach resume {earlier.session_id}")
    recovery = recover_copy(path, problem, probes=probes)
    for line in recovery.report():
        say(line)
    return recovery.session


@_clean_errors
def cmd_resume(args: argparse.Namespace) -> int:
    """Continue a saved session (or, with --recover, a copy of what a damaged one still holds)."""
    from coach.plain import run_plain

    if getattr(args, "recover", False):
        if not args.session:
            raise UsageError("zeg welke sessie je wilt herstellen: coach resume ID --recover (zie `coach sessions`)")
        in_app = _wants_app(args)
        told: list[str] = []
        session = recover_saved(args.session, probes=not args.no_probes, say=told.append if in_app else None)
        if in_app:
            from coach.ui.launch import launch_app

            session.close()
            return launch_app(resume=session.session_id, coach=args.coach or args.panel_hidden, panel_hidden=args.panel_hidden,
                              probes=not args.no_probes, notices=told)
    else:
        if _wants_app(args):
            from coach.ui.launch import launch_app

            return launch_app(resume=args.session or "", coach=args.coach or args.panel_hidden, panel_hidden=args.panel_hidden,
                              probes=not args.no_probes)
        reference = args.session
        if reference is None:
            from coach.session.store import find_session, unreadable_newer_than

            latest = find_session(None, unfinished=True)
            for saved in unreadable_newer_than(latest):
                _warn(f"let op: een nieuwere sessie is onleesbaar en wordt overgeslagen: {saved.path} ({saved.problem}); "
                      f"zie `coach resume {saved.path.stem} --recover`")
            reference = str(latest)
        session = open_saved(reference, probes=not args.no_probes)
    try:
        return run_plain(session, ack_stdout=args.ack_stdout)
    finally:
        session.close()


@_clean_errors
def cmd_sessions(args: argparse.Namespace) -> int:
    """List saved sessions; unreadable ones are listed too, with what is wrong."""
    from coach.session.lock import in_use_elsewhere
    from coach.session.store import all_sessions, recovered_copies
    from coach.text import strip_controls as clean

    every = all_sessions()
    recovered = recovered_copies(every)

    def recovered_as(saved) -> str | None:  # type: ignore[no-untyped-def]
        copy = recovered.get(str(saved.path.resolve()))
        return copy.session_id if copy else None

    sessions = [s for s in every if args.all or not s.finished]
    if args.json:
        rows = []
        for s in sessions:
            answered, skipped = s.progress()
            document = s.document or {}
            rows.append({"session": clean(s.session_id), "theme": clean(s.theme), "started": document.get("started"),
                         "updated": s.updated or None, "finished": document.get("finished"),
                         "answered": answered, "skipped": skipped, "group": document.get("group"),
                         "path": clean(str(s.path)), "problem": clean(s.problem) if s.problem else None,
                         "damaged": s.damaged, "recovered_as": recovered_as(s),
                         "in_use": in_use_elsewhere(s.path)})
        json.dump({"shape": "netwerkcoach.sessions", "shape_version": 1, "sessions": rows}, sys.stdout, ensure_ascii=False, indent=2)
        _print()
        return 0
    if not sessions:
        _print("Geen onderbroken sessies." if not args.all else "Geen sessies.")
        return 0
    for s in sessions:
        if s.problem:
            _print(clean(f"{s.path.stem}  ONLEESBAAR: {s.problem}  {s.path}"))
            if recovered_as(s):
                _print(clean(f"    al hersteld als {recovered_as(s)}; het bestand zelf blijft bewaard"))
            elif s.damaged:
                _print(clean(f"    een kopie van wat nog leesbaar is: coach resume {s.path.stem} --recover"))
            continue
        answered, skipped = s.progress()
        state = "klaar" if s.finished else "onderbroken"
        if in_use_elsewhere(s.path):
            state += ", nu geopend in een ander venster"
        started = str((s.document or {}).get("started", ""))[:16].replace("T", " ")
        _print(clean(f"{s.session_id}  {s.theme}  {started}  {state}, {answered} beantwoord, {skipped} overgeslagen  {s.path}"))
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
    """Delete one saved session and the files that belong to it, after checking them all."""
    from coach.session import deletion
    from coach.session.lock import SessionInUse, SessionLock
    from coach.text import strip_controls

    path, session_id, companions = deletion.plan(args.session)
    lock = SessionLock(path)
    had_lock_file = lock.path.is_file()
    try:
        lock.acquire()  # held until the end: nobody opens the session while it goes
    except SessionInUse as err:
        raise CoachError("deze sessie is nu geopend in een ander venster of proces; sluit dat eerst. Niets verwijderd",
                         path=str(path)) from err
    removed = False
    try:
        also = "".join(f"\n  en {what}: {p}" for p, what in companions)
        if had_lock_file:
            also += f"\n  en het slotbestand: {lock.path}"
        prompt = f"Sessie {session_id} verwijderen?\n  transcript: {path}{also}\nTyp 'ja' om te bevestigen: "
        if args.yes or _confirm(strip_controls(prompt), "ja"):
            deletion.remove_session(path, companions)
            removed = True
    finally:
        lock.release()
        if removed or not had_lock_file:
            deletion.remove_lock_file(path)
    if not removed:
        print("Niets verwijderd.", file=sys.stderr)
        return 1
    print(strip_controls(f"Verwijderd: {path}"), file=sys.stderr)
    for companion, what in companions:
        print(strip_controls(f"Verwijderd: {companion} ({what})"), file=sys.stderr)
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    """Delete every saved session, after the confirmation word. Sessions open elsewhere and
    entries that are no files are skipped and named; a file that cannot be deleted is
    named and the rest still goes."""
    from coach.paths import sessions_dir
    from coach.session import deletion
    from coach.session.lock import SessionLock, in_use_elsewhere
    from coach.session.store import session_files
    from coach.session.transcript import explain
    from coach.text import strip_controls

    if not args.all:
        raise UsageError("`coach forget` wist alles en vraagt daarom om --all")
    folder = sessions_dir()
    entries = session_files(folder)
    for entry in entries:
        if not entry.is_file():
            _warn(f"overgeslagen: {entry} is geen bestand (een map?) en blijft staan")
    files = [p for p in entries if p.is_file()]
    busy = [p for p in files if in_use_elsewhere(p)]
    for path in busy:
        _warn(f"overgeslagen: sessie {path.stem} is nu geopend in een ander venster of proces en blijft bewaard ({path})")
    files = [p for p in files if p not in busy]
    if not files:
        print("Er zijn geen sessies om te wissen." if not busy else "Er zijn verder geen sessies om te wissen.",
              file=sys.stderr)
        return 1 if busy else 0
    except_busy = ("" if not busy else " (1 die nu geopend is, blijft staan)" if len(busy) == 1
                   else f" ({len(busy)} die nu geopend zijn, blijven staan)")
    which = "De ene sessie" if len(files) == 1 else f"Alle {len(files)} sessies"
    prompt = f"{which} in {folder} wissen{except_busy}? Typ VERGEET om te bevestigen: "
    if not _confirm(strip_controls(prompt), "VERGEET"):
        print("Niets gewist.", file=sys.stderr)
        return 1
    kept = set(busy)
    failed: list[str] = []
    count = 0
    for path in files:
        try:
            held = SessionLock(path).acquire()
        except CoachError as err:  # opened meanwhile (SessionInUse), or no lock can be made here
            kept.add(path)
            failed.append(f"{path}: {err.message}")
            continue
        try:
            deletion.remove_session(path, deletion.companions(path, None))
            count += 1
        except CoachError as err:
            kept.add(path)
            failed.append(str(err))
        finally:
            held.release()
        if path not in kept:
            deletion.remove_lock_file(path)
    for leftover in _forget_leftovers(folder, kept):
        try:
            leftover.unlink(missing_ok=True)
        except OSError as err:
            failed.append(f"{leftover}: kan niet verwijderen: {explain(err)}")
    print(f"{count} sessie gewist." if count == 1 else f"{count} sessies gewist.", file=sys.stderr)
    for line in failed:
        _warn(f"niet gewist: {line}")
    return 1 if kept or failed else 0


def _owner(name: str) -> str | None:
    """The transcript (file name) a lock, temp, backup or report file in the sessions
    folder belongs to, by the names coach gives them; None when the name says nothing."""
    if name.startswith(".") and name.endswith(".lock"):
        return name[1:-5]
    if name.startswith(".") and name.endswith(".tmp") and name.count(".") >= 3:
        return name[1:-4].rsplit(".", 1)[0]
    if ".schema" in name and name.endswith(".bak"):
        return name.rsplit(".schema", 1)[0] + ".yaml"
    for suffix in (".md", ".html"):
        if name.endswith(suffix):
            return name[: -len(suffix)] + ".yaml"
    return None


def _forget_leftovers(folder: Path, kept: set[Path]) -> list[Path]:
    """Files in the sessions folder that `coach forget` sweeps after the sessions: temp
    files, backups, lock files and report exports, left by sessions deleted earlier;
    never those of a session that stays (open elsewhere, or not deletable)."""
    from coach.session.lock import in_use_elsewhere

    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    swept: list[Path] = []
    for entry in entries:
        name = entry.name
        if not (name.endswith((".tmp", ".bak", ".md", ".html")) or (name.startswith(".") and name.endswith(".lock"))):
            continue
        if not entry.is_file():
            continue
        owner = _owner(name)
        if owner is not None and (folder / owner in kept or in_use_elsewhere(folder / owner)):
            continue  # belongs to a session that stays, or to one being started right now
        swept.append(entry)
    return swept


def register(sub: Any) -> None:
    """Add the session subcommands to the parser (help in Dutch, as everything a user reads)."""
    p = sub.add_parser("run", help="doorloop een thema zonder vragen te stellen, met de antwoorden uit een bestand")
    p.add_argument("theme", metavar="THEMA", help="een thema-id of een gespreksbestand")
    p.add_argument("--answers", required=True, metavar="BESTAND",
                   help="YAML of JSON: vraag-id → antwoord ('-' voor standaardinvoer)")
    p.add_argument("-o", "--output", metavar="BESTAND", help="schrijf het transcript hierheen (standaard: standaarduitvoer)")
    p.add_argument("--json", action="store_true", help="JSON in plaats van YAML")
    p.add_argument("--no-probes", action="store_true", help="stel geen vervolgvragen")
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser("start", help="begin een gesprek over een thema (in een terminal de app, anders regel voor regel)")
    p.add_argument("theme", metavar="THEMA", help="een thema-id (zie `coach list`) of een gespreksbestand")
    p.add_argument("--plain", action="store_true", help="regel voor regel, ook in een terminal")
    p.add_argument("--no-probes", action="store_true", help="stel geen vervolgvragen")
    p.add_argument("--ack-stdout", action="store_true",
                   help="schrijf 'opgeslagen' naar standaarduitvoer in plaats van standaardfout")
    p.add_argument("--group", metavar="NAAM", help="een groepsnaam voor de sessie (een bestuur, een samenwerkingsverband)")
    p.add_argument("--name", metavar="NAAM", help="de naam van de bestuurder (niet verplicht)")
    p.add_argument("--organisation", metavar="ORGANISATIE", help="de organisatie (niet verplicht)")
    p.add_argument("--coach", action="store_true", default=argparse.SUPPRESS,
                   help="in coachmodus: coachpaneel, notities, vrij door de vragen")
    p.add_argument("--panel-hidden", action="store_true", default=argparse.SUPPRESS,
                   help="in coachmodus, met het coachpaneel verborgen (voor scherm delen)")
    p.set_defaults(handler=cmd_start)

    p = sub.add_parser("resume", help="ga verder met een bewaarde sessie")
    p.add_argument("session", nargs="?", metavar="SESSIE",
                   help="een sessie-id, het begin ervan, of een bestand (standaard: de laatste onderbroken sessie)")
    p.add_argument("--plain", action="store_true", help="regel voor regel, ook in een terminal")
    p.add_argument("--no-probes", action="store_true", help="stel geen vervolgvragen")
    p.add_argument("--ack-stdout", action="store_true",
                   help="schrijf 'opgeslagen' naar standaarduitvoer in plaats van standaardfout")
    p.add_argument("--coach", action="store_true", default=argparse.SUPPRESS, help="ga verder in coachmodus")
    p.add_argument("--panel-hidden", action="store_true", default=argparse.SUPPRESS,
                   help="in coachmodus, met het coachpaneel verborgen")
    p.add_argument("--recover", action="store_true",
                   help="een beschadigde sessie: kopieer wat nog leesbaar is naar een nieuwe sessie "
                        "(het beschadigde bestand blijft bewaard)")
    p.set_defaults(handler=cmd_resume)

    p = sub.add_parser("sessions", help="je bewaarde sessies (standaard alleen de onderbroken)")
    p.add_argument("--all", action="store_true", help="ook de afgeronde")
    p.add_argument("--json", action="store_true", help="als JSON")
    p.set_defaults(handler=cmd_sessions)

    p = sub.add_parser("export", help="het transcript van een bewaarde sessie")
    p.add_argument("session", metavar="SESSIE", help="een sessie-id, het begin ervan, of een bestand")
    p.add_argument("-o", "--output", metavar="BESTAND",
                   help="schrijf het hierheen (alleen voor jou leesbaar) in plaats van naar standaarduitvoer")
    p.add_argument("--json", action="store_true", help="JSON in plaats van YAML")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("delete", help="verwijder een bewaarde sessie en de bestanden die erbij horen")
    p.add_argument("session", metavar="SESSIE", help="een sessie-id, het begin ervan, of een bestand")
    p.add_argument("--yes", action="store_true", help="vraag niet om bevestiging (voor scripts)")
    p.set_defaults(handler=cmd_delete)

    p = sub.add_parser("forget", help="wis al je bewaarde sessies (na bevestiging)")
    p.add_argument("--all", action="store_true", help="verplicht: je bedoelt echt alles")
    p.set_defaults(handler=cmd_forget)
