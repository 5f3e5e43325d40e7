"""Plain mode: a dialogue line by line on standard input and output.

For scripts, pipes and screen readers. The protocol (documented in the README):
each question is printed with its options numbered; the answer is one line (a list
or a text: lines up to an empty line); ``:terug``, ``:overslaan``, ``:pauze`` and
``:hulp`` are commands. After every saved answer a line ``opgeslagen`` is written
(to stderr, or stdout with ``--ack-stdout``) before the next question. End of input
pauses the session: it is saved and can be resumed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from coach.engine.model import Node
from coach.errors import AnswerError, TranscriptError
from coach.session.answers import display_value
from coach.session.session import Session, Step
from coach.text import cite, strip_controls

COMMANDS = {":terug": "back", ":overslaan": "skip", ":pauze": "pause", ":hulp": "help"}
MULTILINE = frozenset({"text", "list"})


class EndOfInput(Exception):
    """Standard input ended: the session pauses."""


class PlainRunner:
    """Runs a session on text streams."""

    def __init__(self, session: Session, stdin: TextIO, stdout: TextIO, stderr: TextIO, ack_stdout: bool = False) -> None:
        self.session = session
        self.stdin = stdin
        self.out = stdout
        self.err = stderr
        self.ack = stdout if ack_stdout else stderr

    def say(self, text: str = "") -> None:
        self.out.write(strip_controls(text) + "\n")
        self.out.flush()

    def acknowledge(self) -> None:
        self.ack.write("opgeslagen\n")
        self.ack.flush()

    def warn(self, text: str) -> None:
        """One line on stderr, control sequences stripped (messages may quote what was typed)."""
        self.err.write(f"coach: {strip_controls(text)}\n")
        self.err.flush()

    def read_line(self) -> str:
        line = self.stdin.readline()
        if not line:
            raise EndOfInput
        return line.rstrip("\n").rstrip("\r")

    def read_block(self, first: str) -> list[str]:
        lines = [first]
        while True:
            line = self.read_line()
            if not line.strip():
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
            lines = self.read_block(first) if first.strip() else [first]
            return "\n".join(lines) if node.type == "text" else [line for line in lines if line.strip()]
        if node.type == "multichoice":
            return split_choices(node, first)
        if node.type == "choice":
            return _numbered(node, first.strip())
        if node.type == "polarity":
            result: dict[str, object] = {}
            for index, part in enumerate(node.ask):
                if index:
                    self.say("  " + ("Nu:" if part == "now" else "Gewenst:"))
                    first = self.read_line()
                    if first.strip() in COMMANDS:
                        return COMMANDS[first.strip()]
                result[part] = first.strip()
            return result
        return first.strip()

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

    def retry(self, action: Callable[[], object]) -> bool:
        """Run a saving action; on a save failure say where and why, and let the user try again.

        The session keeps the answer in memory and stays where it was, so the same
        question is asked again; no ``opgeslagen`` is written.
        """
        try:
            action()
        except TranscriptError as err:
            self.warn(str(err))
            self.warn("niet opgeslagen; de vraag komt terug. Geef je antwoord opnieuw zodra het probleem is verholpen, "
                      "of typ :pauze (dat probeert ook eerst op te slaan)")
            return False
        return True

    def run(self) -> int:
        """Ask until the end or a pause; returns the exit code."""
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
                step = session.current
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
                if value == "pause":
                    if self.pause():
                        return 0
                    continue
                if value == "back":
                    went: list[bool] = []
                    if self.retry(lambda: went.append(session.back())) and not went[0]:
                        self.say("Dit is de eerste vraag.")
                    continue
                try:
                    if value == "skip":
                        done = self.retry(session.skip_probe if step.kind == "probe" else session.skip)
                    elif step.kind == "probe":
                        done = self.retry(lambda: session.answer_probe(str(value)))
                    else:
                        done = self.retry(lambda: session.answer(value))
                except AnswerError as err:
                    self.warn(str(err))
                    continue
                if done:
                    self.acknowledge()
                    self.say_notices()
        except EndOfInput:
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
        self.say(f"Sessie bewaard. Verder gaan: coach resume {self.session.session_id}")

    def say_summary(self) -> None:
        from coach.wording import render_summary_text

        self.say()
        self.say(render_summary_text(self.session.dialogue, self.session.summary or {}))
        if self.session.path:
            self.say(f"Bewaard in {self.session.path}")


def _numbered(node: Node, part: str) -> str:
    """An option's value for its number (1 is the first), else ``part`` as typed (checked later)."""
    if part.isdecimal() and 1 <= int(part) <= len(node.options):
        return node.options[int(part) - 1].value
    return part


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
    is passed on as typed, for the answer check to name what it did not recognise.
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
        return not part or _name_key(part) in names or (part.isdecimal() and 1 <= int(part) <= len(node.options))

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
