"""The coach's panel: what to ask, the toelichting, time, answers so far, private notes.

Shown only in coach mode; the whole panel hides with one key for screen sharing. It
reports note edits upwards; the screen saves them through the session.
"""

from __future__ import annotations

import time
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, Static, TextArea

from coach.engine.model import Node
from coach.text import cite, strip_controls
from coach.ui.widgets import css_beside


def clock_text(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``)."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class CoachPanel(VerticalScroll):
    """Coach prompts, help, timers, answers in short, and notes."""

    DEFAULT_CSS = css_beside(__file__, "coach_panel.tcss")
    SCOPED_CSS = False  # its rules name the screen (the panel moves beneath the conversation when narrow)

    class NoteChanged(Message):
        """The coach edited a note (``question`` None: the session note)."""

        def __init__(self, text: str, question: str | None, item: str | None) -> None:
            super().__init__()
            self.text = text
            self.question = question
            self.item = item

    clock = staticmethod(time.monotonic)
    """Where time comes from (tests fix it for stable snapshots)."""

    def __init__(self, started: float | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.started = self.clock() if started is None else started
        """When the coached conversation began (kept when the panel is made again after F5)."""
        self.question_started = self.clock()
        self.key: tuple[str | None, str | None] = (None, None)
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Label(Content("Coach"), classes="panel-title")
        yield Label(Content(""), id="coach-timer")
        yield Static(Content(""), id="coach-prompts")
        yield Static(Content(""), id="coach-help")
        yield Label(Content("Notitie bij deze vraag (privé)"), classes="panel-label")
        yield TextArea("", id="note-question", soft_wrap=True)
        yield Label(Content("Notitie bij de sessie (privé)"), classes="panel-label")
        yield TextArea("", id="note-session", soft_wrap=True)
        yield Label(Content("Antwoorden tot nu toe"), classes="panel-label")
        yield Static(Content(""), id="coach-answers")

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)
        self.tick()

    def tick(self) -> None:
        now = self.clock()
        self.query_one("#coach-timer", Label).update(
            Content(f"Deze vraag {clock_text(now - self.question_started)} · totaal {clock_text(now - self.started)}")
        )

    def show(self, node: Node | None, item: str | None, notes: dict[str, Any], answers: list[str],
             probe: str | None = None) -> None:
        """Fill the panel for the current question (and the follow-up asked now, if any)."""
        key = (node.id if node else None, item)
        if key != self.key:
            self.key = key
            self.question_started = self.clock()
        lines: list[str] = []
        if probe:
            lines += [f"Vervolgvraag (in eigen woorden stellen, of laten gaan met Ctrl+O):", f"» {probe}", ""]
        if node is not None:
            if node.coach_prompts.followups:
                lines.append("Doorvragen:")
                lines += [f"• {f}" for f in node.coach_prompts.followups]
            if node.coach_prompts.advice:
                lines.append("Advies uit de handreiking:")
                lines += [f"• {a}" for a in node.coach_prompts.advice]
        self.query_one("#coach-prompts", Static).update(Content(strip_controls("\n".join(lines) or "Geen coachvragen bij deze stap.")))
        help_text = ""
        if node is not None and node.help:
            source = f"\n— {cite(node.help.source)}" if node.help.source else ""
            help_text = f"Toelichting: {node.help.text.strip()}{source}"
        self.query_one("#coach-help", Static).update(Content(strip_controls(help_text)))
        question_note = next((n["text"] for n in notes.get("questions", []) if (n["question"], n["item"]) == key), "")
        self._loading = True
        self.query_one("#note-question", TextArea).load_text(question_note)
        session_area = self.query_one("#note-session", TextArea)
        if session_area.text != (notes.get("session") or ""):
            session_area.load_text(notes.get("session") or "")
        self._loading = False
        self.query_one("#coach-answers", Static).update(Content(strip_controls("\n".join(answers[-8:]) or "Nog geen.")))

    @on(TextArea.Changed)
    def _note_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._loading:
            return
        if event.text_area.id == "note-question":
            self.post_message(self.NoteChanged(event.text_area.text, self.key[0], self.key[1]))
        elif event.text_area.id == "note-session":
            self.post_message(self.NoteChanged(event.text_area.text, None, None))
