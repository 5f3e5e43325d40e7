"""A dialogue as a conversation: the exchange so far, and the current question beneath it.

The screen only shows and forwards: the session validates, routes and saves. Every
answer is saved (atomically) before the next question is drawn; the "opgeslagen"
mark says so. When saving fails the answer stays on screen and in memory, the line
under the question says where and why, and the save is tried again after 1, 2, 4 …
seconds (``coach.ui.save_retry``); the next question shows only once it succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, Static

from coach.errors import AnswerError, CoachError, TranscriptConflict, TranscriptError
from coach.session.answers import display_value
from coach.session.session import Session, Step
from coach.text import cite, strip_controls
from coach.ui.actions import APP_ACTIONS, DIALOGUE_ACTIONS, bindings, key_name
from coach.ui.save_retry import PendingSave, in_seconds, retry_delay
from coach.ui.screens.base import CoachScreen, Landmark
from coach.ui.widgets.answers import AnswerWidget, widget_class
from coach.ui.widgets.conversation import Bubble, Conversation, Turn
from coach.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from coach.ui.widgets.coach_panel import CoachPanel

SKIP_KEY = key_name(next(action.key for action in DIALOGUE_ACTIONS if action.name == "skip"))
"""The skip key as people write it, for the notices that offer it."""


def conversation_turns(session: Session) -> list[Turn]:
    """The exchange so far, in the order it was had (changed answers in their place)."""
    dialogue = session.dialogue
    turns = [Turn("intro", f"{dialogue.title}\n{dialogue.intro.strip()}")]
    seen: set[tuple[str, str | None]] = set()
    # The current position only while one of its follow-ups is asked: a question gone back
    # or jumped to is asked below, not shown twice (once above with its old answer).
    for position in [*session.history, *([session.position] if session.pending_probes else [])]:
        key = (position.node, position.item)
        answer = session.answers.get(key)
        if key in seen or answer is None:
            continue
        seen.add(key)
        node = dialogue.node(position.node)
        turns.append(Turn("question", answer.text))
        turns.append(Turn("answer", display_value(node, answer.value), node.id, position.item))
        for probe in session.probe_log:
            if probe["question"] == node.id and probe["item"] == position.item:
                turns.append(Turn("probe", f"Vervolgvraag: {probe['text']}"))
                turns.append(Turn("probe-answer", probe["value"] if probe["value"] else "(overgeslagen)"))
    return turns


class StepLines(NamedTuple):
    """The words around the answer widget: loop item, question, toelichting."""

    item_line: str
    question: str
    help: str


def step_lines(session: Session, step: Step) -> StepLines:
    """What the question area says for a step (all as plain text, controls stripped)."""
    node = step.node
    assert node is not None
    item_line = ""
    if step.item and node.loop:
        loop = session.dialogue.node(node.loop)
        item_line = f"Voor de {loop.item_name or 'keuze'} '{step.item}':"
    if step.kind == "probe":
        item_line = "Vervolgvraag"
    help_text = ""
    if node.help and step.kind != "probe":
        source = f"\n— {cite(node.help.source)}" if node.help.source else ""
        help_text = f"Toelichting: {node.help.text.strip()}{source}"
    elif step.kind == "probe" and step.probe and step.probe.probe.help:
        help_text = step.probe.probe.help
    return StepLines(strip_controls(item_line), step.text,
                     strip_controls(help_text or "Bij deze vraag is geen toelichting."))


class DialogueScreen(CoachScreen):
    """One theme, question by question."""

    CSS_PATH = "dialogue.tcss"
    UI_ACTIONS = DIALOGUE_ACTIONS + APP_ACTIONS
    BINDINGS = bindings(DIALOGUE_ACTIONS)

    def __init__(self, session: Session, *, coach: bool = False, panel_hidden: bool = False,
                 claim: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.title = session.dialogue.title  # before the first frame: the title bar shows it there
        self.session = session
        self.answer_widget: AnswerWidget | None = None
        self.coach = coach
        self.panel_hidden = panel_hidden
        self.pending: PendingSave | None = None
        """A change whose save failed and is tried again on a timer."""
        self._claim = claim
        """Takes the session's file (lock, first save) once the question shows; see CoachApp."""
        self._coach_started: float | None = None
        """When the coach panel's total time began, kept while F5 hides the panel."""
        self._taking_keys: AnswerWidget | None = None
        """The answer widget once it is in place and has the focus (see ``take_keys``)."""
        self._typed_ahead: list[str] = []
        """Characters typed while no answer widget could take them (the step was changing)."""
        self._answer_ready: asyncio.Event | None = None
        """Set when the answer widget last put in takes keys (see ``next_answer_ready``)."""

    def compose(self) -> ComposeResult:
        # The first step is composed, not mounted later: one layout, one frame.
        step = self.session.current
        lines = step_lines(self.session, step) if step.kind != "end" else StepLines("", "", "")
        # The footer's keys come a moment later, into a slot of their size: the question is
        # what a person waits for.
        yield TitleBar()
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Conversation(conversation_turns(self.session), id="conversation")
                with Vertical(id="current"):
                    yield Label(Content(lines.item_line), id="item-line", classes="" if lines.item_line else "-empty")
                    yield Landmark(Content(lines.question), id="question")
                    with Vertical(id="answer"):
                        if step.kind != "end":
                            self.answer_widget = self.new_answer_widget(step)
                            # A priority key (Ctrl+S, typed along with the answer at launch) can
                            # run before this screen is mounted: it waits for this (on_mount).
                            self._answer_ready = asyncio.Event()
                            yield self.answer_widget
                with Horizontal(id="status"):
                    yield Label(Content(""), id="progress")
                    yield Label(Content(""), id="saved")
            if self.coach:
                from coach.ui.widgets.coach_panel import CoachPanel

                yield CoachPanel(id="coach-panel", classes="-hidden" if self.panel_hidden else "")
        yield Static(Content(""), id="footer-slot")

    def on_resize(self) -> None:
        super().on_resize()
        self.set_class(self.app.size.width < 120, "-narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_panel":
            return self.coach
        return True

    def on_mount(self) -> None:
        self.mark_panel()
        for notice in self.session.notices:
            self.notify(Content(strip_controls(notice)), timeout=12)  # may name files: text, never markup
        self.session.notices = []
        step = self.session.current
        if step.kind == "end":
            self.coach_app.show_summary(self.session)
            return
        if self.answer_widget is not None:
            # Composed with the screen, it takes keys from the start (through ``on_key`` until
            # it has the focus); the focus itself comes in the app's next turn, after the
            # first frame: moving it restyles the screen, and the question is what people wait for.
            self._taking_keys = self.answer_widget
            self.app.call_later(self.answer_widget.focus_input)
            if self._answer_ready is not None:
                self._answer_ready.set()
        self.show_panel(step)
        self.after_paint(self.mount_chrome)
        self.after_paint(self.claim)
        self.after_paint(self.show_progress)

    def mount_chrome(self) -> None:
        """The footer, in place of the slot held for it."""
        for slot in self.query("#footer-slot"):
            slot.remove()
        self.mount(self.footer())
        # A footer fills itself when the screen's keys change; mounted while nothing changes
        # (coach mode at 80x24, after the session details) it stayed empty without this.
        self.call_after_refresh(self.refresh_bindings)

    def claim_file(self) -> None:
        """Take the session's file if that is still to do (raises TranscriptError when it cannot)."""
        if self._claim is not None:
            try:
                self._claim()
            except OSError as err:
                from coach.session.store import data_dir_error

                raise TranscriptError(str(data_dir_error(err))) from err
            self._claim = None

    def claim(self) -> None:
        """Take the session's file once the question shows; say so when that fails (the first answer tries again)."""
        try:
            self.claim_file()
        except CoachError as err:
            saved = self.query_one("#saved", Label)
            saved.update(Content("✗ niet opgeslagen"))
            saved.add_class("-failed")
            self.show_save_problem(f"✗ {err}")
            self.notify(Content(strip_controls(str(err))), title="Opslaan mislukt", severity="error", timeout=15)

    def _claiming_first(self, change: Callable[[], object]) -> Callable[[], object]:
        """``change``, after the session's file is taken (a retry takes it again if that failed)."""
        def claimed_then_changed() -> object:
            self.claim_file()
            return change()

        return claimed_then_changed

    # ----------------------------------------------------------------- drawing

    def show_step(self) -> None:
        """Draw the current step (or go to the summary at the end)."""
        self._stop_retry()  # a new step: nothing of the old one is waiting any more
        step = self.session.current
        if step.kind == "end":
            self.coach_app.show_summary(self.session)
            return
        self.query_one(Conversation).show(conversation_turns(self.session))
        lines = step_lines(self.session, step)
        item_line = self.query_one("#item-line", Label)
        item_line.update(Content(lines.item_line))
        item_line.set_class(not lines.item_line, "-empty")  # no blank row above the question
        self.query_one("#question", Landmark).update(Content(lines.question))
        for help_text in self.query("#help-text").results(Static):
            help_text.update(Content(lines.help))
        self.mount_answer(step)
        self.after_paint(self.show_progress)
        self.show_panel(step)

    def coach_panel(self) -> CoachPanel:
        from coach.ui.widgets.coach_panel import CoachPanel

        return self.query_one("#coach-panel", CoachPanel)

    def show_panel(self, step: Step) -> None:
        """Fill the coach panel for this step (coach mode only)."""
        if not self.coach:
            return
        answers = []
        for answer in self.session.answers.values():
            node = self.session.dialogue.by_id.get(answer.question)
            if node is not None:
                where = f" [{answer.item}]" if answer.item else ""
                answers.append(f"{node.name}{where}: {display_value(node, answer.value)}")
        probe = step.text if step.kind == "probe" else None
        self.coach_panel().show(step.node, step.item, self.session.notes, answers, probe)

    def show_progress(self) -> None:
        """Answered and an estimate of what is left (drawn after the question: it walks the routes)."""
        answered, skipped, todo = self.session.progress_detail()
        passed = f" · {skipped} overgeslagen" if skipped else ""
        self.query_one("#progress", Label).update(Content(f"{answered} beantwoord{passed} · nog ongeveer {todo}"))

    def new_answer_widget(self, step: Step) -> AnswerWidget:
        node = step.node
        assert node is not None
        widget = widget_class("text" if step.kind == "probe" else node.type)
        previous = None if step.kind == "probe" else step.previous
        answer = widget(node, previous, classes=f"answer-widget -{node.type}")
        answer.taker = self.take_answer
        return answer

    def mount_answer(self, step: Step) -> None:
        container = self.query_one("#answer", Vertical)
        container.remove_children()
        widget = self.answer_widget = self.new_answer_widget(step)
        if self._answer_ready is not None:
            self._answer_ready.set()  # nobody waits for a widget already replaced
        self._answer_ready = asyncio.Event()
        container.mount(widget)
        # Asked of the widget itself, so it runs once the widget holds its inputs: after a jump
        # from the list (drawn while the list was on top) the screen's own turn came too early,
        # found nothing to focus, and the conversation band got the keys.
        widget.call_after_refresh(self.take_keys, widget)

    def take_keys(self, widget: AnswerWidget) -> None:
        """The answer widget is in place: give it the focus, and the characters typed meanwhile."""
        if widget is not self.answer_widget:
            return
        widget.focus_input()
        self._taking_keys = widget
        self.pass_typed_ahead()
        if self._answer_ready is not None:
            self._answer_ready.set()

    def pass_typed_ahead(self) -> None:
        """Characters typed while the step changed go into the answer now, in order; those after
        one that goes on (a choice's number) wait for the next question."""
        widget = self.answer_widget
        while self._typed_ahead and widget is not None and widget is self._taking_keys and not widget.handed_in:
            widget.type_ahead(self._typed_ahead.pop(0))

    def mark_saved(self) -> None:
        saved = self.query_one("#saved", Label)
        saved.update(Content("✓ opgeslagen"))
        saved.remove_class("-failed")

    def show_save_problem(self, text: str | None) -> None:
        """The line under the question that says why the answer is not saved (None hides it)."""
        if not self.query("#save-problem"):  # made when first needed
            if not text:
                return
            self.query_one("#main").mount(Static(id="save-problem"), after="#current")
        line = self.query_one("#save-problem", Static)
        line.update(Content(strip_controls(text or "")))
        line.set_class(bool(text), "-shown")

    # ----------------------------------------------------------------- running a change

    def _run(self, change: Callable[[], object], *, retry: bool = False) -> bool:
        """Run a session change; errors become a notification and the question stays.

        With ``retry``, a failed save (not a conflict with another writer: trying again
        cannot mend that) is tried again on a timer until it succeeds.
        """
        if self._claim is not None:
            change = self._claiming_first(change)
        try:
            change()
        except AnswerError as err:
            message = strip_controls(err.message)  # worded to follow "vraag 'x': " on a command line
            self.notify(Content(message[:1].upper() + message[1:]), title="Dat past nog niet", severity="warning", timeout=6)
            return False
        except TranscriptError as err:
            saved = self.query_one("#saved", Label)
            saved.update(Content("✗ niet opgeslagen"))
            saved.add_class("-failed")
            again = retry and not isinstance(err, TranscriptConflict)
            more = " Het wordt vanzelf opnieuw geprobeerd; Ctrl+S probeert het nu." if again else ""
            self.notify(Content(strip_controls(f"{err}.{more}")), title="Opslaan mislukt", severity="error", timeout=10)
            if again:
                self.pending = PendingSave(change, self._on_screen())
                self._schedule_retry(err)
            else:
                self.show_save_problem(f"✗ {err}")
            return False
        except CoachError as err:
            self.notify(Content(strip_controls(str(err))), severity="error", timeout=10)
            return False
        return True

    # ----------------------------------------------------------------- saving, and trying again

    def _save_then_go_on(self, change: Callable[[], object]) -> None:
        """Do a change that moves on; the next step shows only once it is saved (else it is retried)."""
        self._stop_retry()
        if self._run(change, retry=True):
            self._went_on()

    def _went_on(self) -> None:
        self.mark_saved()
        for notice in self.session.notices:
            self.notify(Content(strip_controls(notice)), timeout=8)
        self.session.notices = []
        self.show_step()

    def _on_screen(self) -> Any:
        """What the answer widget holds now (an edit after a failed save stops the automatic retry)."""
        return self.answer_widget.shown() if self.answer_widget is not None else None

    def _schedule_retry(self, err: TranscriptError) -> None:
        pending = self.pending
        if pending is None:
            return
        delay = retry_delay(pending.attempts)
        pending.timer = self.set_timer(delay, self._retry_save)
        self.show_save_problem(f"✗ {err}. Nieuwe poging {in_seconds(delay)}; Ctrl+S probeert het nu.")

    def _retry_save(self) -> None:
        """The timer's attempt: the same change again, unless the answer was edited meanwhile."""
        pending = self.pending
        if pending is None:
            return
        pending.timer = None
        if self._on_screen() != pending.shown:
            self.pending = None
            self.show_save_problem("✗ Nog niet opgeslagen. Je hebt het antwoord daarna veranderd, dus het wordt niet "
                                   "vanzelf opnieuw geprobeerd: Ctrl+S bewaart het zoals het nu is.")
            return
        pending.attempts += 1
        try:
            pending.change()
        except TranscriptConflict as err:
            self.pending = None
            self.show_save_problem(f"✗ {err}")
            return
        except TranscriptError as err:
            self._schedule_retry(err)
            return
        except CoachError as err:
            self.pending = None
            self.show_save_problem(f"✗ {err}")
            return
        self.pending = None
        self.notify(Content("Alsnog opgeslagen."), timeout=4)
        self._went_on()

    def _stop_retry(self) -> None:
        if self.pending is not None:
            self.pending.stop()
            self.pending = None
        self.show_save_problem(None)

    # ----------------------------------------------------------------- actions

    def on_key(self, event: events.Key) -> None:
        """A character or Enter that reached the screen, not the answer (typed while the step
        changed and the keyboard focus was on its way), goes into the answer instead of being lost."""
        widget = self.answer_widget
        character = "\n" if event.key == "enter" else event.character if event.is_printable else None
        if character is None or widget is None:
            return
        focused = self.app.focused
        if focused is not None and not any(node.id == "main" for node in focused.ancestors_with_self):
            return  # the coach panel has the focus: a coach's words must never land in the answer
        if character == "\n" and focused is not None and widget not in focused.ancestors_with_self:
            return  # Enter on an earlier answer in the conversation opens that one, nothing more
        if widget.handed_in or widget is not self._taking_keys:
            self._typed_ahead.append(character)  # for the answer to come (see take_keys)
        elif not widget.type_ahead(character):
            return
        else:
            widget.focus_input()
        event.stop()
        event.prevent_default()

    def take_answer(self, answer: AnswerWidget) -> None:
        """An answer widget went on (a choice's number, Enter on a scale): save it and go on.

        Called while the widget handles that key, before the keys typed after it, which
        then reach the next question (see ``on_key`` and ``take_keys``).
        """
        if answer is not self.answer_widget:
            return  # a widget already replaced: Ctrl+S went on with it first
        focused = self.app.focused
        had_focus = focused is not None and answer in focused.ancestors_with_self
        self.submit()
        if self.answer_widget is answer:  # not taken (nothing chosen, or refused): it is still the one
            answer.handed_in = False
            self.pass_typed_ahead()
        elif had_focus:
            # Until the next answer takes the focus, keys on their way reach this screen, which
            # keeps them for it: not the answer just given (its option list took an Enter as
            # its own), nor what Textual focuses in its place (Enter there opened an earlier answer).
            self.set_focus(None)

    async def action_submit(self) -> None:
        """Save the answer and go on (Ctrl+S; also tries a failed save again at once)."""
        await self.keys_settled()
        self.submit()
        await self.next_answer_ready()

    async def keys_settled(self) -> None:
        """Before a priority key (Ctrl+S, Ctrl+O, Ctrl+B, Esc) acts: the keys typed before it
        are handled, and the step one of them led to (a choice's number) is in place."""
        await self.keys_handled()
        await self.next_answer_ready()

    async def next_answer_ready(self) -> None:
        """Wait until the step now shown has its answer widget in place.

        The app takes the next keys only after this, so keys typed straight after Ctrl+S
        find the next question's widget there (see ``on_key``) for certain, not only when
        the mount happens to be quicker. Never longer than two seconds (the app waits), except
        while this screen is still being built at launch: that ends, however slow the machine.
        """
        ready = self._answer_ready
        if ready is None:
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(ready.wait(), timeout=2 if self.is_mounted else 30)

    async def keys_handled(self) -> None:
        """Wait until the keys typed before this one are handled, all the way up to this screen.

        Ctrl+S is a priority binding: the app runs it the moment the key arrives, and keys
        typed just before it (a fast typist, a paste) may still wait in the text box's
        queue, or in its parents' when it passed them up (a choice's number, which goes
        on). Read then, the answer would lose its end, or be the wrong one. Each widget
        from the focused one up is waited for in turn: a key a child passes up is then
        already in its parent's queue. The app's own queue waits meanwhile, so keys typed
        after Ctrl+S reach the next question, not this one.
        """
        focused = self.app.focused
        if focused is None:  # before the first focus (a key typed at launch): this screen's own queue
            chain: list[Widget] = [self]
        else:
            chain = [node for node in focused.ancestors_with_self if isinstance(node, Widget)]
        for widget in chain[: chain.index(self) + 1] if self in chain else chain:
            if not widget.is_attached:
                continue
            handled = asyncio.Event()
            if widget.call_later(handled.set):
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(handled.wait(), timeout=2)

    def submit(self) -> None:
        """Save what the answer widget holds now and go on."""
        step = self.session.current
        widget = self.answer_widget
        if widget is None or not widget.is_attached or step.kind == "end":
            return  # not on screen yet (a very slow start): nothing shown can be taken
        if step.kind == "info":
            self._save_then_go_on(self.session.acknowledge)
            return
        missing = widget.missing()
        if missing:
            self.notify(Content(f"{missing}, of sla de vraag over ({SKIP_KEY})."), title="Dat past nog niet",
                        severity="warning", timeout=6)
            widget.focus_input()
        elif step.kind == "probe":
            text = widget.value()
            self._save_then_go_on(lambda: self.session.answer_probe(text))
        else:
            value = widget.value()
            self._save_then_go_on(lambda: self.session.answer(value))

    async def action_skip(self) -> None:
        await self.keys_settled()
        step = self.session.current
        if step.kind == "probe":
            self._save_then_go_on(self.session.skip_probe)
        elif step.kind == "question":
            self._save_then_go_on(self.session.skip)
        elif step.kind == "info":
            self._save_then_go_on(self.session.acknowledge)
        await self.next_answer_ready()

    async def action_go_back(self) -> None:
        await self.keys_settled()
        moved: list[bool] = []
        if self._run(lambda: moved.append(self.session.back())) and moved and moved[0]:
            self.show_step()
        elif moved and not moved[0]:
            self.notify(Content("Dit is de eerste vraag."), timeout=3)
        await self.next_answer_ready()

    def action_toggle_help(self) -> None:
        if not self.query("#help-text"):  # made when first asked for
            lines = step_lines(self.session, self.session.current)
            self.query_one("#current").mount(Static(Content(lines.help), id="help-text", classes="-hidden"),
                                             after="#question")
        self.query_one("#help-text", Static).toggle_class("-hidden")

    def jump_entries(self) -> list[tuple[str, str | None, str]]:
        """Answered questions; in coach mode every question of the dialogue."""
        entries: list[tuple[str, str | None, str]] = []
        if not self.coach:
            for (question, item), answer in self.session.answers.items():
                label = f"{answer.text}" + (f"  [{item}]" if item else "")
                entries.append((question, item, strip_controls(label)))
            return entries
        for node in self.session.dialogue.nodes:
            if node.type == "loop":
                continue
            items = [None]
            if node.loop:
                items = self.session.items_of(self.session.dialogue.node(node.loop).over or "") or []
            whole = " ".join(node.text.split())
            name = node.short or (whole if whole and "{" not in whole else node.name)  # not cut: the list wraps
            for item in items:
                mark = "✓" if (node.id, item) in self.session.answers else " "
                where = f"  [{item}]" if item else ""
                entries.append((node.id, item, strip_controls(f"{mark} {name}{where}")))
        return entries

    def action_jump(self) -> None:
        from coach.ui.screens.modals import JumpScreen

        entries = self.jump_entries()
        if not entries:
            self.notify(Content("Er zijn nog geen beantwoorde vragen."), timeout=3)
            return
        order = {n.id: i for i, n in enumerate(self.session.dialogue.nodes)}
        entries.sort(key=lambda e: order.get(e[0], 0))
        self.app.push_screen(JumpScreen(entries), self._jump_to)

    def _jump_to(self, target: tuple[str, str | None] | None) -> None:
        if target is not None and self._run(lambda: self.session.jump(*target)):
            self.show_step()

    def mark_panel(self) -> None:
        """Say in the header whether the coach panel shows; the screen's class lets the layout make room for it."""
        shown = self.coach and not self.panel_hidden
        self.sub_title = "coachmodus" if shown else ""
        self.set_class(shown, "-panel")

    def action_toggle_panel(self) -> None:
        """Hide or show the whole coach panel (for sharing the screen)."""
        panel = self.coach_panel()
        panel.toggle_class("-hidden")
        self.panel_hidden = panel.has_class("-hidden")
        self.mark_panel()
        if self.panel_hidden:
            self.app.clear_notifications()
            self.query_one("#main").focus()
            self.call_after_refresh(self.answer_widget.focus_input if self.answer_widget else lambda: None)

    async def action_toggle_coach(self) -> None:
        """Switch between solo and coach mode (recorded in the transcript).

        The panel's mount and removal are waited for: F5 pressed again meanwhile found a
        panel on its way out, made none, and filled one that was gone (a traceback).
        """
        mode = "solo" if self.coach else "coach"
        if not self._run(lambda: self.session.set_mode(mode)):
            return
        self.coach = mode == "coach"
        self.mark_panel()
        if self.coach and not self.query("#coach-panel"):
            from coach.ui.widgets.coach_panel import CoachPanel

            await self.query_one("#body").mount(CoachPanel(started=self._coach_started, id="coach-panel"))
            self.show_panel(self.session.current)
        elif not self.coach:
            for panel in self.query("#coach-panel"):
                self._coach_started = panel.started  # type: ignore[attr-defined]
                await panel.remove()
        self.refresh_bindings()

    def on_coach_panel_note_changed(self, event: CoachPanel.NoteChanged) -> None:
        try:
            self.session.set_note(event.text, event.question, event.item)
        except TranscriptError as err:
            if not self.panel_hidden:  # nothing about notes on screen while shared
                self.notify(Content(strip_controls(str(err))), title="Notitie niet opgeslagen", severity="error")

    @on(Bubble.Selected)
    def _change_answer(self, event: Bubble.Selected) -> None:
        self._jump_to((event.question, event.item))

    def keep_what_was_typed(self) -> bool:
        """Save a half-typed text or list answer as the answer, as plain mode does on a pause;
        False (and the reason shown) when it cannot be saved as it stands.

        Pausing or quitting used to drop it while saying everything was kept.
        """
        step = self.session.current
        widget = self.answer_widget
        if widget is None or step.node is None or step.kind not in ("question", "probe"):
            return True
        if step.kind == "question" and step.node.type not in ("text", "list"):
            return True  # a choice or a scale is one key away, not typed work
        typed = widget.value()

        def same(a: Any, b: Any) -> bool:
            return (list(a) == list(b)) if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) else a == b

        if not typed or (step.kind == "question" and same(typed, step.previous)):
            return True
        change = (lambda: self.session.answer_probe(typed)) if step.kind == "probe" else (lambda: self.session.answer(typed))
        if not self._run(change):
            return False
        self.notify(Content("Wat je typte, is als antwoord bewaard; aanpassen kan later met Ctrl+G."), timeout=8)
        return True

    def discard_if_empty(self) -> bool:
        """Close and delete the session when nothing was given yet (True then): a session of
        "0 beantwoord" in the list holds nothing to go on with."""
        if not self.session.holds_nothing or self.session.path is None:
            return False
        self.coach_app.close_session(self.session)
        from coach.session.deletion import delete_saved

        try:
            delete_saved(self.session.path)
        except CoachError:
            pass  # it stays in the list, harmless
        return True

    async def action_pause(self) -> None:
        await self.keys_settled()
        if not self.keep_what_was_typed():
            return
        if self.discard_if_empty():
            self.notify(Content("Je had nog niets beantwoord, dus er is niets bewaard."), timeout=4)
            self.coach_app.go_home()
            return
        if self._run(self.session.pause):
            self.notify(Content("Bewaard. Je gaat later verder waar je was."), timeout=4)
            self.coach_app.close_session(self.session)
            self.coach_app.go_home()
