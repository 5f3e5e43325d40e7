"""Shared by the reliability tests: driving a session step by step, and a live plain-mode process."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from conftest import DATA, ROOT, coach_env

from coach.session.headless import is_skip
from coach.session.session import Session

ANSWERS = DATA / "answers"

EXAMPLE_GIVEN: dict[str, Any] = {
    "opgaven": ["Dementiezorg", "Wonen"],
    "positie": {"Dementiezorg": "proactief", "Wonen": "actief"},
    "overwegingen": {"Dementiezorg": ["regio", "yes"], "Wonen": []},
    "energie": 2,
    "waarom_weinig": {"answer": "We moeten wel meedoen", "probes": {"moeten": "De wethouder vraagt het."}},
    "spanning": {"now": 1, "desired": 4},
    "stap": "Bellen met de wethouder",
}
"""Every question of the example dialogue, with a follow-up answered."""


def answers_file(name: str) -> dict[str, Any]:
    """An answers file from tests/data/answers, read as `coach run` reads it (no type guessing)."""
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    return yaml.load((ANSWERS / name).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - strings only


def next_action(session: Session, given: dict[str, Any], probes_given: dict[Any, Any]) -> tuple[str, Callable[[], object]] | None:
    """The saving action the current step needs (None at the end), chosen as `coach run` would."""
    step = session.current
    if step.kind == "end":
        return None
    node = step.node
    assert node is not None
    if step.kind == "info":
        return f"info {node.id}", session.acknowledge
    if step.kind == "probe":
        assert step.probe is not None
        answer = probes_given.get((node.id, step.item), {}).get(step.probe.probe.id)
        if answer is None or is_skip(answer):
            return f"skip follow-up {step.probe.probe.id}", session.skip_probe
        return f"follow-up {step.probe.probe.id}", lambda: session.answer_probe(str(answer))
    value = given.get(node.id)
    if node.loop:
        value = value.get(step.item) if isinstance(value, dict) else None
    assert value is not None, f"no answer for {node.id} ({step.item})"
    if is_skip(value):
        return f"skip {node.id}", session.skip
    if node.type == "text" and isinstance(value, dict) and "answer" in value:
        probes_given[(node.id, step.item)] = value.get("probes") or {}
        value = value["answer"]
    return f"answer {node.id} ({step.item})", lambda: session.answer(value)


def where(session: Session) -> tuple[str, str | None, str | None]:
    """What a person sees now: the kind of step, the question and the item."""
    step = session.current
    return step.kind, step.node.id if step.node else None, step.item


def temp_files(folder: Path) -> list[str]:
    """Temp files of an atomic write left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------------------ plain mode, live

EXAMPLE_SCRIPT: list[tuple[tuple[str, str | None], str, str]] = [
    (("opgaven", None), "Dementiezorg\nWonen\n\n", "Tot welke opgaven"),
    (("positie", "Dementiezorg"), "1\n", "Welke positie kies je bij Dementiezorg"),
    (("overwegingen", "Dementiezorg"), "1,2\n", "Wat weegt mee bij Dementiezorg"),
    (("positie", "Wonen"), "2\n", "Welke positie kies je bij Wonen"),
    (("overwegingen", "Wonen"), "\n", "Wat weegt mee bij Wonen"),
    (("energie", None), "2\n", "Hoeveel energie"),
    (("waarom_weinig", None), "Te veel overleg\nen te weinig tijd\n\n", "Wat kost je energie"),
    (("spanning", None), "1\n4\n", "Waar sta je tussen"),
    (("stap", None), "Bellen met de wethouder\n\n", "Welke stap zet je"),
]
"""The example dialogue in plain mode: (question key, the lines typed, words of the question)."""


class LiveCoach:
    """A `coach` process in plain mode on real pipes, read line by line as a person would."""

    def __init__(self, home: Path, *args: str, **env: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coach", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=coach_env(home, **env), cwd=ROOT, text=True, encoding="utf-8", bufsize=1,
        )
        self.out: queue.Queue[str | None] = queue.Queue()
        self.err: queue.Queue[str | None] = queue.Queue()
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        for stream, target in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(target=self._pump, args=(stream, target), daemon=True).start()

    @staticmethod
    def _pump(stream: Any, target: queue.Queue[str | None]) -> None:
        for line in stream:
            target.put(line.rstrip("\n"))
        target.put(None)

    def type(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text)
        self.process.stdin.flush()

    def wait_for(self, words: str, timeout: float = 20.0, stream: str = "out") -> str:
        """Read until a line holding ``words`` (on stdout, or ``err``); fails on end or timeout."""
        source, seen = (self.out, self.stdout) if stream == "out" else (self.err, self.stderr)
        deadline = time.monotonic() + timeout
        while True:
            line = source.get(timeout=max(deadline - time.monotonic(), 0.01))
            if line is None:
                raise AssertionError(f"ended before {words!r}; stdout: {self.stdout[-5:]}, stderr: {self.stderr[-5:]}")
            seen.append(line)
            if words in line:
                return line

    def kill(self) -> None:
        """SIGKILL: no cleanup, no atexit, no flush."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def finish(self, timeout: float = 30.0) -> int:
        """Close stdin, wait for the end, collect what is left of both streams."""
        if self.process.stdin and not self.process.stdin.closed:
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass  # it already ended
        code = self.process.wait(timeout=timeout)
        self.drain()
        return code

    def drain(self) -> None:
        """Everything both streams still hold (after the process ended)."""
        for source, seen in ((self.out, self.stdout), (self.err, self.stderr)):
            while True:
                line = source.get(timeout=10)
                if line is None:
                    break
                seen.append(line)
