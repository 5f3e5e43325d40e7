"""Plain mode: a dialogue line by line on standard input and output.

For scripts, pipes and screen readers. The protocol (documented in the README):
each question is printed with its options numbered; the answer is one line (a list
or a text: lines up to an empty line); ``:terug``, ``:overslaan``, ``:pauze`` and
``:hulp`` are commands. After every saved answer a line ``opgeslagen`` is written
(to stderr, or stdout with ``--ack-stdout``) before the next question. End of input
pauses the session: it is saved and can be resumed.

Nothing typed is lost on the way out: a text or list answer that is not yet ended by
its empty line is saved as typed at end of input, at ``:pauze`` and at Ctrl+C; and when
standard output is closed early (``coach start THEME < answers.txt | head``) the input
is still read and saved, and a line on stderr says so.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TextIO

from coach.engine.model import Node
from coach.errors import AnswerError, CoachError, TranscriptError
from coach.session.answers import display_value, option_named
from coach.session.session import Session, Step
from coach.text import cite, strip_controls

COMMANDS = {":terug": "back", ":overslaan": "skip", ":pauze": "pause", ":hulp": "help"}
MULTILINE = frozenset({"text", "list"})


class EndOfInput(Exception):
    """Standard input ended: the session pauses."""


class PauseWith:
    """``:pauze`` typed inside a text or list answer: save what was typed, then pause."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines


KEPT_AS_TYPED = "Wat je bij deze vraag typte, is als antwoord bewaard; aanpassen kan later met :terug."
"""Said when an answer not yet ended by its empty line is saved (end of input, :pauze, Ctrl+C)."""
ASKED_AGAIN = ("niet opgeslagen; de vraag komt terug. Geef je antwoord opnieuw zodra het probleem is verholpen, "
               "of typ :pauze (dat probeert ook eerst op te slaan)")
"""Said after a failed save, unless the caller says otherwise."""
OUTPUT_GONE = "de uitvoer werd gesloten, maar je antwoorden zijn bewaard."
"""Before the closing line, on stderr, when standard output was closed early."""


class PlainRunner:
    """Runs a session on text streams."""

    def __init__(self, session: Session, stdin: TextIO, stdout: TextIO, stderr: TextIO, ack_stdout: bool = False) -> None:
        self.session = session
        self.stdin = stdin
        self.out = stdout
        self.err = stderr
        self.ack = stdout if ack_stdout else stderr
        self.pending: list[str] | None = None
        """The lines of a text or list answer being typed (not yet ended by its empty line)."""
        self.pending_parts: dict[str, object] = {}
        """The parts of a polarity answer typed so far."""
        self.gone: set[int] = set()
        """The streams (by id) found closed: the reader went away (``| head``)."""
        self.step: Step | None = None
        """The step being asked."""

    def write(self, stream: TextIO, text: str) -> bool:
        """``text`` on ``stream``; False, and nothing more is written there, once it is closed.

        A closed standard output must not stop the session: the input is still read and
        saved. The file descriptor is pointed at the null device, so the interpreter's
        last flush at exit has nowhere to fail.
        """
        if id(stream) in self.gone:
            return False
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError):  # BrokenPipeError, EBADF; ValueError: a closed file object
            self.gone.add(id(stream))
            _to_null(stream)
            return False
        return True

    def say(self, text: str = "") -> None:
        self.write(self.out, strip_controls(text) + "\n")

    def acknowledge(self) -> None:
        self.write(self.ack, "opgeslagen\n")

    def warn(self, text: str) -> None:
        """One line on stderr, control sequences stripped (messages may quote what was typed)."""
        self.write(self.err, f"coach: {strip_controls(text)}\n")

    @property
    def output_gone(self) -> bool:
        return id(self.out) in self.gone

    def say_last(self, text: str) -> None:
        """The closing line: on stdout, or on stderr when stdout was closed (saying so)."""
        if self.output_gone:
            self.warn(f"{OUTPUT_GONE} {text}")
        else:
            self.say(text)

    def read_line(self) -> str:
        line = self.stdin.readline()
        if not line:
            raise EndOfInput
        return line.rstrip("\n").rstrip("\r")

    def read_block(self, first: str, node: Node) -> list[str] | PauseWith:
        """The lines of a text or list answer, up to an empty line.

        A command on its own line works here too, and what was typed is kept: ``:pauze``
        saves it as the answer and pauses, ``:hulp`` helps and the answer goes on;
        ``:terug`` and ``:overslaan`` would drop it, so they say how to end it first.
        Until the empty line the lines are ``self.pending``, saved at end of input or Ctrl+C.
        """
        lines = [first]
        self.pending = lines
        while True:
            line = self.read_line()
            command = COMMANDS.get(line.strip())
            if command == "pause":
                self.pending = None
                return PauseWith(lines)
            if command == "help":
                self.help(node)
                self.say("  (je antwoord loopt nog: typ verder, of sluit af met een lege regel)")
                continue
            if command is not None:
                self.warn(f"{line.strip()} werkt alleen op de eerste regel van een antwoord; wat je typte blijft staan. "
                          "Sluit het af met een lege regel, of typ :pauze om het te bewaren en te stoppen")
                continue
            if not line.strip():
                self.pending = None
                return lines
            lines.append(line)

    def show(self, step: Step) -> None:
        done, todo = self.session.progress()
        node = step.node
        assert node is not None
        if step.kind == "probe":
            self.say(f"Vervolgvraag: {step.text}")
            self.say("  (een of meer regels; lege regel om af te sluiten; :overslaan laat de vraag gaan)")
            return
        if step.kind == "info":
            self.say(step.text)
            self.say()
            return
        prefix = f"[{done + 1}/{done + todo}] "
        if step.item and node.loop:
            loop = self.session.dialogue.node(node.loop)
            self.say(f"Voor de {loop.item_name or 'keuze'} '{step.item}':")
        self.say(prefix + step.text)
        for line in self.instructions(node):
            self.say("  " + line)
        if step.previous is not None:
            self.say(f"  (eerder: {display_value(node, step.previous)})")

    def instructions(self, node: Node) -> list[str]:
        kind = node.type
        lines: list[str] = []
        if kind in ("choice", "multichoice"):
            lines += [f"{i}. {o.label}" for i, o in enumerate(node.options, 1)]
            lines.append("(kies een nummer)" if kind == "choice" else "(nummers met komma's, bijvoorbeeld 1,3; lege regel voor geen)")
        elif kind == "scale":
            low, high = node.labels or ("", "")
            lines.append(f"({node.min} = {low} … {node.max} = {high})")
        elif kind == "polarity":
            left, right = node.poles or ("", "")
            lines.append(f"({node.min} = {left} … {node.max} = {right})")
        elif kind == "list":
            lines.append("(één per regel; lege regel om af te sluiten)")
        elif kind == "text":
            lines.append("(een of meer regels; lege regel om af te sluiten)")
        return lines

    def read_answer(self, node: Node) -> object:
        first = self.read_line()
        if first.strip() in COMMANDS:
            return COMMANDS[first.strip()]
        if node.type in MULTILINE:
            lines = self.read_block(first, node) if first.strip() else [first]
            if isinstance(lines, PauseWith):
                return lines
            return block_value(node, lines)
        if node.type == "multichoice":
            return chosen_options(node, split_choices(node, first))
        if node.type == "choice":
            return chosen_option(node, first.strip())
        if node.type == "polarity":
            result: dict[str, object] = {}
            self.pending_parts = result
            for index, part in enumerate(node.ask):
                if index:
                    self.say("  " + ("Nu:" if part == "now" else "Gewenst:"))
                    first = self.read_line()
                    if first.strip() in COMMANDS:
                        if first.strip() == ":pauze":
                            self.drop_parts(node)
                        self.pending_parts = {}
                        return COMMANDS[first.strip()]
                result[part] = first.strip()
            self.pending_parts = {}
            return result
        return first.strip()

    def drop_parts(self, node: Node) -> None:
        """Say which parts of a polarity answer are not kept (it is saved whole or not at all)."""
        parts = self.pending_parts
        self.pending_parts = {}
        if parts:
            from coach.session.answers import polarity_display

            missing = ", ".join("nu" if part == "now" else "gewenst" for part in node.ask if part not in parts)
            self.warn(f"vraag '{node.id}': '{polarity_display(parts)}' is niet bewaard: {missing} ontbrak nog "
                      f"(dit antwoord wordt alleen in zijn geheel bewaard)")

    def ask_polarity_label(self, node: Node) -> None:
        if node.type == "polarity":
            self.say("  " + ("Nu:" if node.ask[0] == "now" else "Gewenst:"))

    def help(self, node: Node | None) -> None:
        if node and node.help:
            source = f" (bron: {cite(node.help.source)})" if node.help.source else ""
            self.say(f"Toelichting: {node.help.text.strip()}{source}")
        else:
            self.say("Bij deze vraag is geen toelichting.")
        self.say("Commando's: :terug, :overslaan, :pauze, :hulp")

    def retry(self, action: Callable[[], object], hint: str | None = None) -> bool:
        """Run a saving action; on a save failure say where and why, and let the user try again.

        The session keeps the answer in memory and stays where it was, so the same
        question is asked again; no ``opgeslagen`` is written.
        """
        try:
            action()
        except TranscriptError as err:
            self.warn(str(err))
            self.warn(hint or ASKED_AGAIN)
            return False
        return True

    def save(self, step: Step, value: object, hint: str | None = None) -> bool:
        """Save ``value`` as the answer to ``step`` (a question or a follow-up); True when saved.

        A wrong answer or a failed save is said on stderr, followed by ``hint`` (for a
        failed save by default: the question comes again); a saved one is acknowledged.
        """
        session = self.session
        try:
            if step.kind == "probe":
                done = self.retry(lambda: session.answer_probe(str(value)), hint)
            else:
                done = self.retry(lambda: session.answer(value), hint)
        except AnswerError as err:
            self.warn(str(err))
            if hint:
                self.warn(hint)
            return False
        if done:
            self.acknowledge()
            self.say_notices()
        return done

    def save_pending(self) -> None:
        """At end of input or Ctrl+C: an answer being typed is saved as typed.

        A half-typed polarity cannot be (it is saved whole or not at all): that is said.
        """
        lines, self.pending = self.pending, None
        step = self.step
        node = step.node if step is not None else None
        if step is None or node is None or step.kind not in ("question", "probe"):
            return
        if self.pending_parts:
            self.drop_parts(node)
        if not lines or not any(line.strip() for line in lines):
            return
        if self.save(step, block_value(node, lines), hint="wat je bij deze vraag typte, is daardoor niet bewaard"):
            self.say(KEPT_AS_TYPED)

    def run(self) -> int:
        """Ask until the end or a pause; returns the exit code.

        Ctrl+C saves what was being typed and says how to go on; the command line
        then says "onderbroken" (exit 130).
        """
        try:
            return self._run()
        except KeyboardInterrupt:
            self.interrupted()
            raise

    def interrupted(self) -> None:
        """After Ctrl+C: save what was being typed, and say how to go on."""
        try:
            self.save_pending()
        except CoachError as err:  # neither a wrong answer nor a failed save (those are said): say it, go on
            self.warn(str(err))
        self.say()
        if self.session.finished is not None and self.session.path:
            self.say_last(f"Bewaard in {self.session.path}")
        else:
            self.say_paused()

    def _run(self) -> int:
        session = self.session
        for notice in session.notices:
            self.say(notice)
        session.notices = []
        if not session.history and not session.answers:
            self.say(session.dialogue.title)
            self.say(strip_controls(session.dialogue.intro.strip()))
            self.say()
        try:
            while True:
                step = self.step = session.current
                if step.kind == "end":
                    self.say_summary()
                    return 0
                self.show(step)
                if step.kind == "info":
                    if not self.retry(session.acknowledge):
                        self.say("(Enter om het opnieuw te proberen, :pauze om te stoppen)")
                        if self.read_line().strip() == ":pauze" and self.pause():
                            return 0
                    else:
                        self.say_notices()
                    continue
                node = step.node
                assert node is not None
                self.ask_polarity_label(node)
                try:
                    value = self.read_answer(node)
                except AnswerError as err:  # a line that cannot be read one way only
                    self.warn(str(err))
                    continue
                if value == "help":
                    self.help(node)
                    continue
                if isinstance(value, PauseWith):  # :pauze inside a text or list answer: keep what was typed
                    if not self.save(step, block_value(node, value.lines)):
                        self.warn("niet gepauzeerd: de sessie loopt nog. Geef je antwoord opnieuw, "
                                  "of typ :pauze als eerste regel om zonder dit antwoord te stoppen")
                        continue
                    self.say(KEPT_AS_TYPED)
                    value = "pause"
                if value == "pause":
                    if self.pause():
                        return 0
                    continue
                if value == "back":
                    went: list[bool] = []
                    if self.retry(lambda: went.append(session.back())) and not went[0]:
                        self.say("Dit is de eerste vraag.")
                    continue
                if value == "skip":
                    if self.retry(session.skip_probe if step.kind == "probe" else session.skip):
                        self.acknowledge()
                        self.say_notices()
                    continue
                self.save(step, value)
        except EndOfInput:
            self.save_pending()
            try:
                session.pause()
            except TranscriptError as err:
                self.warn(str(err))
                self.warn(f"de invoer is op en de sessie kon niet opnieuw worden bewaard; wat na het laatste 'opgeslagen' "
                          f"kwam, is niet bewaard. Het laatst opgeslagen deel staat in {session.path}")
                return 1
            self.say_notices()
            self.say()
            self.say_paused()
            return 0

    def pause(self) -> bool:
        """Save and stop; False (and the session goes on) when saving fails."""
        if not self.retry(self.session.pause):
            return False
        self.say_notices()
        self.say_paused()
        return True

    def say_notices(self) -> None:
        for notice in self.session.notices:
            self.say(notice)
        self.session.notices = []

    def say_paused(self) -> None:
        # A session opened by a path outside the sessions folder is found again by that path.
        from coach.session.store import session_reference

        path = self.session.path
        self.say_last(f"Sessie bewaard. Verder gaan: coach resume {session_reference(path) if path else self.session.session_id}")

    def say_summary(self) -> None:
        from coach.wording import render_summary_text

        self.say()
        self.say(render_summary_text(self.session.dialogue, self.session.summary or {}))
        if self.session.path:
            self.say_last(f"Bewaard in {self.session.path}")
        elif self.output_gone:
            self.warn(f"{OUTPUT_GONE} Het gesprek is af.")


def block_value(node: Node, lines: list[str]) -> object:
    """The lines of a text answer as one text, of a list answer as its items."""
    return "\n".join(lines) if node.type == "text" else [line for line in lines if line.strip()]


def _option_number(node: Node, part: str) -> str | None:
    """The value of the option ``part`` gives the number of (1 is the first); None otherwise."""
    if part.isdecimal() and 1 <= int(part) <= len(node.options):
        return node.options[int(part) - 1].value
    return None


def _option_value(node: Node, part: str) -> str | None:
    """The option ``part`` names: its number (1 is the first), its value or its label (any case)."""
    part = part.strip()
    number = _option_number(node, part)
    return number if number is not None else option_named(node, part)


def _typed(part: str) -> str:
    """What was typed, quoted as the answer check quotes it."""
    return f"'{part[:40]}'"


def chosen_option(node: Node, part: str) -> str:
    """A choice line as the option it names, or AnswerError in the words plain mode asks in.

    The answer check would list the options' values, which plain mode never shows.
    """
    value = _option_value(node, part)
    if value is None:
        raise AnswerError(f"verwacht een nummer van 1 tot en met {len(node.options)} (of de tekst van een keuze), "
                          f"gevonden {_typed(part)}", question=node.id)
    return value


def chosen_options(node: Node, parts: list[str]) -> list[str]:
    """``split_choices``'s reading as option values; a part it did not recognise is named."""
    values: list[str] = []
    for part in parts:
        value = _option_value(node, part)
        if value is None:
            raise AnswerError(f"verwacht nummers van 1 tot en met {len(node.options)} met komma's ertussen "
                              f"(of de tekst van de keuzes), gevonden {_typed(part)}", question=node.id)
        values.append(value)
    return values


def _numbered(node: Node, part: str) -> str:
    """An option's value for its number (1 is the first), else ``part`` as typed (checked later)."""
    number = _option_number(node, part)
    return number if number is not None else part


def _name_key(text: str) -> str:
    """An option name as compared: case and the spaces around its commas do not count."""
    return ",".join(part.strip() for part in text.split(",")).casefold()


def split_choices(node: Node, line: str) -> list[str]:
    """A multichoice line (numbers or names, comma-separated) as the options it names.

    A name may hold commas itself ("Zorg, welzijn en wonen"): consecutive parts that
    together make an option's name are that option. When the line can be read in only
    one way, that reading is the answer. When it can be read in more than one way (the
    parts of such a name are options too), AnswerError asks for the numbers. When it
    cannot be read at all, the longest names are taken from the left and what is left
    is passed on as typed, for ``chosen_options`` to name what it did not recognise.
    """
    parts = [part.strip() for part in line.split(",")]
    names: dict[str, int] = {}
    for index, option in enumerate(node.options):
        for name in (option.value, option.label):
            names.setdefault(_name_key(name), index)
    widest = max((key.count(",") for key in names), default=0) + 1  # the most parts one name can span

    def joined(start: int, end: int) -> int | None:
        """The option whose name is parts[start:end] (two parts or more), if any."""
        return names.get(_name_key(",".join(parts[start:end]))) if end - start > 1 else None

    def reads(start: int, end: int) -> bool:
        """parts[start:end] is one option (or, one empty part, nothing)."""
        if end - start > 1:
            return joined(start, end) is not None
        part = parts[start]
        return not part or _name_key(part) in names or _option_number(node, part) is not None

    def ends(start: int) -> range:
        return range(start + 1, min(len(parts), start + widest) + 1)

    # readings[i]: in how many ways parts[i:] reads as options (2 stands for "more than one")
    readings = [0] * len(parts) + [1]
    for start in reversed(range(len(parts))):
        readings[start] = min(2, sum(readings[end] for end in ends(start) if reads(start, end)))

    values: list[str] = []
    start = 0
    while start < len(parts):
        if readings[0]:
            ways = [end for end in ends(start) if readings[end] and reads(start, end)]
            if len(ways) > 1:
                end = max(ways)
                index = joined(start, end)
                assert index is not None  # more than one way: at least one is a name of several parts
                raise AnswerError(
                    f"verwacht nummers, gevonden '{', '.join(parts[start:end])}': dat is één keuze "
                    f"('{node.options[index].label}', nummer {index + 1}) maar ook te lezen als losse keuzes; "
                    f"typ {index + 1}, of de nummers van de losse keuzes", question=node.id)
            end = ways[0]
        else:
            end = next((end for end in reversed(ends(start)) if joined(start, end) is not None), start + 1)
        index = joined(start, end)
        if index is not None:
            values.append(node.options[index].value)
        elif parts[start]:
            values.append(_numbered(node, parts[start]))
        start = end
    return values


def _to_null(stream: TextIO) -> None:
    """Point a closed pipe's file descriptor at the null device (what is still buffered goes nowhere)."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return  # not a file (a StringIO in tests), or already closed
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)


def _tolerant(stream: TextIO, errors: str) -> TextIO:
    """The stream with another error handler for text that is not valid in its encoding."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors=errors)
        except (ValueError, OSError):
            pass  # a stream that cannot change (already read from, or not a text file): keep it as it is
    return stream


def run_plain(session: Session, ack_stdout: bool = False) -> int:
    """Plain mode on this process's standard streams.

    Invalid bytes on standard input are kept as lone surrogates, which the answer
    check replaces by "�" (and notes); what is printed never fails on odd text.
    """
    stdin = _tolerant(sys.stdin, "surrogateescape")
    stdout = _tolerant(sys.stdout, "replace")
    stderr = _tolerant(sys.stderr, "backslashreplace")
    return PlainRunner(session, stdin, stdout, stderr, ack_stdout).run()
