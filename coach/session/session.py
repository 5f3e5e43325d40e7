"""A running dialogue: answer, back, skip, jump, probes, pause, resume, finish.

The session owns the answers and the position; the dialogue's state machine decides
where the routes lead. Rules worth knowing:

- After an answer the session moves along the routes to the first question that has
  no answer yet (answered questions on the way are kept and passed).
- Changing an earlier answer keeps later answers while the routes still reach their
  questions; the others are set aside (never deleted) and come back when the routes
  reach them again. Renaming a list item moves its loop answers to the new name.
- Every change is saved (when the session has a file) before the next step shows;
  if saving fails the answer stays in memory, the position does not move, and the
  error says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from coach import __version__, clock
from coach.engine.expressions import EvaluationError, render
from coach.engine.machine import TRIGGER, build_machine
from coach.engine.model import END, Dialogue, Node
from coach.engine.record import Record
from coach.errors import AnswerError, CoachError, ExpressionError, TranscriptDamaged, TranscriptError, UsageError
from coach.session.answers import clean_text, display_value, validate_answer
from coach.text import strip_controls

if TYPE_CHECKING:
    from coach.engine.catalogue import Catalogue
    from coach.session.probes import ProbeMatch


class Position(NamedTuple):
    """Where a session is: a node, and the loop item when the node is in a loop."""

    node: str
    item: str | None = None


ENDED = Position(END)


@dataclass
class Answer:
    """One stored answer (``skipped`` answers have value None)."""

    question: str
    item: str | None
    value: Any
    text: str
    """The question exactly as it was shown."""
    at: str
    skipped: bool = False
    reason: str | None = None
    """Why it was set aside (only for answers set aside)."""

    def as_data(self) -> dict[str, Any]:
        data = {"question": self.question, "item": self.item, "text": self.text, "value": self.value,
                "skipped": self.skipped, "at": self.at}
        if self.reason:
            data["reason"] = self.reason
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Answer:
        return cls(question=str(data["question"]), item=data.get("item"), value=data.get("value"),
                   text=str(data.get("text", "")), at=str(data.get("at", "")),
                   skipped=bool(data.get("skipped")), reason=data.get("reason"))


@dataclass(eq=False, repr=False)
class Step(Record):
    """What the session shows now: a question, an informational text, a follow-up, or the end."""

    kind: str
    """``question``, ``info``, ``probe`` or ``end``."""
    node: Node | None
    item: str | None
    text: str
    """Worded and safe to show (control sequences stripped)."""
    probe: ProbeMatch | None = None
    previous: Any = None
    """The stored answer to this question, when it has one (for changing it)."""


def _holds_unstorable(value: Any) -> bool:
    """True when a raw answer holds characters YAML cannot store (replaced on the way in)."""
    if isinstance(value, str):
        return clean_text(value)[1]
    if isinstance(value, (list, tuple)):
        return any(_holds_unstorable(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_unstorable(v) for v in value.values())
    return False


class _Cursor:
    """The model object the state machine moves."""

    state: str


@dataclass(eq=False)
class Session:
    """One director's conversation on one theme."""

    dialogue: Dialogue
    catalogue: Catalogue | None = None
    path: Path | None = None
    """Where the transcript is saved (None: in memory only, as in ``coach run``)."""
    session_id: str = ""
    mode: str = "solo"
    participant: dict[str, str | None] = field(default_factory=lambda: {"name": None, "organisation": None, "date": None})
    group: str | None = None
    probes_enabled: bool = True
    started: str = ""
    updated: str = ""
    finished: str | None = None
    position: Position = ENDED
    history: list[Position] = field(default_factory=list)
    answers: dict[tuple[str, str | None], Answer] = field(default_factory=dict)
    aside: dict[tuple[str, str | None], Answer] = field(default_factory=dict)
    visited: set[Position] = field(default_factory=set)
    events: list[dict[str, Any]] = field(default_factory=list)
    probe_log: list[dict[str, Any]] = field(default_factory=list)
    pending_probes: list[ProbeMatch] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=lambda: {"session": "", "questions": []})
    summary: dict[str, Any] | None = None
    notices: list[str] = field(default_factory=list)
    """Messages for the user about the last change (answers set aside, restored …)."""
    saved_once: bool = False
    lock: Any = field(default=None, repr=False, compare=False)
    """The SessionLock held while this session is open for writing (None: not locked)."""
    disk_stamp: Any = field(default=None, repr=False, compare=False)
    """The transcript's stamp as last written or read: a save refuses to overwrite another version."""

    def __post_init__(self) -> None:
        self._built: Any = None
        self._cursor = _Cursor()

    @property
    def _machine(self) -> Any:
        """The dialogue's state machine, built on the first move (not before the first paint)."""
        if self._built is None:
            self._built = build_machine(self.dialogue)
            self._built.add_model(self._cursor, initial=self.dialogue.start)
        return self._built

    # ----------------------------------------------------------------- creation

    @classmethod
    def start(
        cls, dialogue: Dialogue, catalogue: Catalogue | None = None, *, path: Path | None = None,
        mode: str = "solo", participant: dict[str, str | None] | None = None, group: str | None = None,
        probes: bool = True, session_id: str | None = None, save: bool = True,
    ) -> Session:
        """A new session at the dialogue's first node (saved at once when it has a path).

        ``save=False`` leaves the first write to the caller: the app draws the first
        question before it writes a file that holds no answer yet (see ``saved_once``).
        """
        if session_id is None:
            from coach.session.store import new_session_id

            session_id = new_session_id(dialogue.id)
        moment = clock.now()
        session = cls(
            dialogue=dialogue, catalogue=catalogue, path=path, mode=mode, group=group, probes_enabled=probes,
            session_id=session_id,
            started=moment.isoformat(timespec="seconds"),
        )
        if participant:
            session.participant.update({k: clean_text(v)[0] if isinstance(v, str) else v for k, v in participant.items()})
        if isinstance(group, str):
            session.group = clean_text(group)[0]
        session.updated = session.started
        session.position = Position(dialogue.start)
        session._event("start", mode=mode)
        session._settle()
        if save:
            session.save()
        return session

    # ------------------------------------------------------------ the namespace

    def items_of(self, list_question: str) -> list[str]:
        """The items of a list answer (empty when not answered)."""
        answer = self.answers.get((list_question, None))
        return list(answer.value) if answer and isinstance(answer.value, list) else []

    def namespace(self, item: str | None = None) -> dict[str, Any]:
        """What expressions and templates see: answers, item, option labels."""
        values: dict[str, Any] = {}
        for node in self.dialogue.questions:
            if node.loop:
                loop = self.dialogue.node(node.loop)
                per_item: dict[str, Any] = {}
                for loop_item in self.items_of(loop.over or ""):
                    stored = self.answers.get((node.id, loop_item))
                    per_item[loop_item] = stored.value if stored is not None else None
                values[node.id] = per_item
            else:
                stored = self.answers.get((node.id, None))
                values[node.id] = stored.value if stored else None
        return {"answers": values, "item": item, "_labels": self.dialogue.labels}

    # ----------------------------------------------------------------- movement

    def _move(self, position: Position) -> Position:
        """One step along the routes from ``position`` (loops entered and left)."""
        self._machine.set_state(position.node, model=self._cursor)
        self._cursor.trigger(TRIGGER, namespace=self.namespace(position.item), pending_item=None)
        previous = position
        state = self._cursor.state
        while state != END:
            node = self.dialogue.node(state)
            if node.type != "loop":
                item = previous.item if node.loop and node.loop == self.dialogue.by_id[previous.node].loop else None
                return Position(state, item)
            items = self.items_of(node.over or "")
            came_from_inside = self.dialogue.node(previous.node).loop == node.id
            if came_from_inside:
                index = items.index(previous.item) + 1 if previous.item in items else len(items)
            else:
                index = 0
            pending = items[index] if index < len(items) else None
            self._cursor.trigger(TRIGGER, namespace=self.namespace(None), pending_item=pending)
            state = self._cursor.state
            if state in node.children:
                return Position(state, pending)
            previous = Position(node.id, None)
        return ENDED

    def _settle(self) -> None:
        """Move on from the position to the first step that needs the director."""
        seen: set[Position] = set()
        position = self.position
        while position != ENDED and position not in seen:
            seen.add(position)
            node = self.dialogue.node(position.node)
            if node.type == "loop":
                position = self._move(position)
                continue
            if node.asks and (node.id, position.item) not in self.answers:
                break
            if node.type == "info" and position not in self.visited:
                break
            position = self._move(position)
        self.position = position
        if position == ENDED and self.finished is None:
            self._finish()

    def reached(self) -> list[tuple[str, str | None]]:
        """The questions the routes reach with the current answers, in order.

        A question without an answer is passed as if skipped, so answers given after
        a jump stay reachable while their route holds.
        """
        keys: list[tuple[str, str | None]] = []
        seen: set[Position] = set()
        position = Position(self.dialogue.start)
        limit = 50 * (len(self.dialogue.nodes) + 1)
        while position != ENDED and position not in seen and len(seen) < limit:
            seen.add(position)
            node = self.dialogue.node(position.node)
            if node.asks:
                keys.append((node.id, position.item))
            position = self._move(position)
        return keys

    # ------------------------------------------------------------------ the step

    def _word(self, node: Node, item: str | None) -> str:
        try:
            text = render(node.text, self.namespace(item))
        except EvaluationError as err:
            raise ExpressionError(f"de vraagtekst kon niet worden gemaakt: {err}", path=self.dialogue.path, line=node.line, question=node.id) from err
        return strip_controls(text).strip()

    @property
    def current(self) -> Step:
        """What to show now."""
        if self.pending_probes:
            match = self.pending_probes[0]
            node = self.dialogue.node(self.position.node)
            return Step("probe", node, self.position.item, strip_controls(match.question), probe=match)
        if self.position == ENDED:
            return Step("end", None, None, "")
        node = self.dialogue.node(self.position.node)
        stored = self.answers.get((node.id, self.position.item))
        kind = "question" if node.asks else "info"
        return Step(kind, node, self.position.item, self._word(node, self.position.item),
                    previous=stored.value if stored and not stored.skipped else None)

    @property
    def holds_nothing(self) -> bool:
        """True while nothing was given yet: no answer (skipped ones count), note or participant detail."""
        return (not self.answers and not self.probe_log and not self.notes.get("session")
                and not self.notes.get("questions") and not any(self.participant.values()))

    @property
    def is_finished(self) -> bool:
        """True once the end was reached."""
        return self.finished is not None

    def progress(self) -> tuple[int, int]:
        """(questions answered or skipped on the current route, an estimate of those still to come)."""
        answered, skipped, todo = self.progress_detail()
        return answered + skipped, todo

    def progress_detail(self) -> tuple[int, int, int]:
        """(answered, skipped, an estimate of those still to come) on the current route."""
        reached = self.reached()
        given = [self.answers[key] for key in reached if key in self.answers]
        skipped = sum(1 for answer in given if answer.skipped)
        return len(given) - skipped, skipped, len(reached) - len(given)

    # ------------------------------------------------------------------ changes

    def _event(self, kind: str, **data: Any) -> None:
        self.events.append({"type": kind, "at": clock.stamp(), **data})

    def _key(self) -> tuple[str, str | None]:
        return (self.position.node, self.position.item)

    def _require(self, kind: str) -> Step:
        step = self.current
        if step.kind != kind:
            wanted = {"question": "een vraag", "probe": "een vervolgvraag", "info": "een tekst"}[kind]
            raise UsageError(f"er staat nu geen {wanted} open (maar: {step.kind})")
        return step

    def _snapshot(self) -> tuple[Any, ...]:
        return (self.position, list(self.history), list(self.pending_probes), set(self.visited),
                len(self.events), self.finished, self.summary, dict(self.aside), dict(self.answers))

    def _commit(self, snapshot: tuple[Any, ...], keep_answers: bool = True) -> None:
        """Save; on failure go back to ``snapshot`` (answers stay in memory) and raise."""
        try:
            self.save()
        except TranscriptError:
            answers = dict(self.answers)
            (self.position, self.history, self.pending_probes, self.visited, count,
             self.finished, self.summary, self.aside, self.answers) = snapshot
            if keep_answers:
                self.answers.update({k: v for k, v in answers.items() if k == self._key()})
            del self.events[count:]
            raise

    def _forward(self) -> None:
        self.history.append(self.position)
        if self.position != ENDED and self.dialogue.node(self.position.node).type == "info":
            self.visited.add(self.position)
        self.position = self._move(self.position)
        self._settle()

    def answer(self, value: Any) -> list[str]:
        """Answer the current question; returns notices (answers set aside or restored)."""
        step = self._require("question")
        assert step.node is not None
        node = step.node
        normalised = validate_answer(node, value)
        snapshot = self._snapshot()
        self.notices = []
        key = self._key()
        old = self.answers.get(key)
        if node.type == "list" and old is not None and not old.skipped:
            self._move_items(node, list(old.value), normalised)
        replaced = _holds_unstorable(value)
        self.answers[key] = Answer(node.id, step.item, normalised, step.text, clock.stamp())
        event: dict[str, Any] = {"question": node.id, "item": step.item, "text": step.text, "value": normalised}
        if replaced:
            event["replaced"] = "tekens die niet bewaard kunnen worden zijn vervangen door �"
        self._event("answer", **event)
        if old is not None and (old.skipped or old.value != normalised):
            self._reconcile()
        if node.type == "text" and self.probes_enabled:
            self.pending_probes = self._probes_for(node, step.item, normalised)
            for match in self.pending_probes:
                self._event("probe_asked", question=node.id, item=step.item, probe=match.probe.id,
                            matched=match.matched, text=match.question)
        if not self.pending_probes:
            self._forward()
        self._commit(snapshot)
        return self.notices

    def _probes_for(self, node: Node, item: str | None, text: str, pending: Iterable[str] = ()) -> list[ProbeMatch]:
        """The follow-ups to ask after ``text``; ``pending`` ones (asked, not yet answered) still count."""
        asked = {entry["probe"] for entry in self.probe_log}
        asked |= {e["probe"] for e in self.events if e["type"] == "probe_asked"} - set(pending)
        candidates = list(node.probes) + list(self.dialogue.probes)
        if self.catalogue is not None:
            candidates += list(self.catalogue.probes)
        if node.exclude_probes:
            candidates = [p for p in candidates if p.id not in node.exclude_probes]
        from coach.session.probes import choose_probes

        return choose_probes(candidates, text, self.namespace(item), asked, node.max_probes)

    def _move_items(self, node: Node, old: list[str], new: list[str]) -> None:
        """A renamed list item takes its loop answers along (same place, new text)."""
        loops = [n for n in self.dialogue.nodes if n.type == "loop" and n.over == node.id]
        children = [c for loop in loops for c in loop.children]
        renames: dict[str, str] = {}
        if len(old) == len(new):
            for before, after in zip(old, new):
                if before != after and before not in new and after not in old:
                    renames[before] = after
        for before, after in renames.items():
            for child in children:
                stored = self.answers.pop((child, before), None)
                if stored is not None:
                    stored.item = after
                    self.answers[(child, after)] = stored
            self.notices.append(f"De antwoorden bij '{before}' horen nu bij '{after}'.")
        if renames:
            self._event("rename_items", question=node.id, renames=[{"from": b, "to": a} for b, a in renames.items()])

    def _reconcile(self) -> None:
        """Set aside answers the routes no longer reach; bring back those they reach again."""
        for _ in range(3):  # restoring can change routes; settle in a few rounds
            reached = set(self.reached())
            restored = [key for key in self.aside if key in reached and key not in self.answers and self._fits(self.aside[key])]
            for key in restored:
                answer = self.aside.pop(key)
                answer.reason = None
                self.answers[key] = answer
            if restored:
                names = ", ".join(self._name(k) for k in restored)
                self.notices.append(f"Weer meegenomen: {names}.")
                self._event("restored", entries=[{"question": q, "item": i} for q, i in restored])
                continue
            gone = [key for key in self.answers if key not in reached]
            for key in gone:
                answer = self.answers.pop(key)
                answer.reason = "niet meer bereikt na een gewijzigd antwoord"
                self.aside[key] = answer
            if gone:
                names = ", ".join(self._name(k) for k in gone)
                self.notices.append(f"Apart gezet (niet gewist), omdat je route nu anders loopt: {names}.")
                self._event("set_aside", entries=[{"question": q, "item": i} for q, i in gone])
            break

    def _fits(self, answer: Answer) -> bool:
        """True when a set-aside answer may come back: its question asks, and the value fits it."""
        node = self.dialogue.by_id.get(answer.question)
        if node is None or not node.asks or (answer.item is None) != (node.loop is None):
            return False
        if answer.skipped:
            return True
        try:
            validate_answer(node, answer.value)
        except AnswerError:
            return False
        return True

    def _name(self, key: tuple[str, str | None]) -> str:
        question, item = key
        return f"'{question}' ({item})" if item else f"'{question}'"

    def skip(self) -> None:
        """Skip the current question (recorded)."""
        step = self._require("question")
        assert step.node is not None
        snapshot = self._snapshot()
        key = self._key()
        old = self.answers.get(key)
        self.answers[key] = Answer(step.node.id, step.item, None, step.text, clock.stamp(), skipped=True)
        self._event("skip", question=step.node.id, item=step.item, text=step.text)
        if old is not None and not old.skipped:
            self.notices = []
            self._reconcile()
        self._forward()
        self._commit(snapshot)

    def acknowledge(self) -> None:
        """Go on from an informational text."""
        self._require("info")
        snapshot = self._snapshot()
        self._forward()
        self._commit(snapshot)

    def answer_probe(self, text: str) -> None:
        """Answer the follow-up that is asked now."""
        step = self._require("probe")
        assert step.probe is not None and step.node is not None
        value = validate_answer(step.node, text) if step.node.type == "text" else text
        snapshot = self._snapshot()
        self._log_probe(step, value)
        self._event("probe_answered", question=step.node.id, item=step.item, probe=step.probe.probe.id, value=value)
        self._after_probe(snapshot)

    def skip_probe(self) -> None:
        """Let the follow-up go (recorded)."""
        step = self._require("probe")
        assert step.probe is not None and step.node is not None
        snapshot = self._snapshot()
        self._log_probe(step, None)
        self._event("probe_skipped", question=step.node.id, item=step.item, probe=step.probe.probe.id)
        self._after_probe(snapshot)

    def _log_probe(self, step: Step, value: str | None) -> None:
        assert step.probe is not None and step.node is not None
        self.probe_log.append({
            "question": step.node.id, "item": step.item, "probe": step.probe.probe.id,
            "matched": step.probe.matched, "fragment": step.probe.fragment, "text": step.text,
            "value": value, "skipped": value is None, "model": step.probe.probe.model,
        })

    def _after_probe(self, snapshot: tuple[Any, ...]) -> None:
        self.pending_probes.pop(0)
        if not self.pending_probes:
            self._forward()
        self._commit(snapshot)

    def back(self) -> bool:
        """Back to the previous step; False when there is none."""
        snapshot = self._snapshot()
        if self.pending_probes:
            for match in self.pending_probes:
                self._event("probe_skipped", question=self.position.node, item=self.position.item, probe=match.probe.id)
            self.pending_probes = []
            self._event("back", **{"from": self._pos_data(self.position), "to": self._pos_data(self.position)})
            self._commit(snapshot)
            return True
        if not self.history:
            return False
        target = self.history.pop()
        self._event("back", **{"from": self._pos_data(self.position), "to": self._pos_data(target)})
        if self.finished is not None:
            self.finished = None
            self.summary = None
        self.position = target
        self._commit(snapshot)
        return True

    def jump(self, node_id: str, item: str | None = None) -> None:
        """Go to any question or text of the dialogue (recorded); routes go on from there."""
        node = self.dialogue.by_id.get(node_id)
        if node is None or node.type == "loop":
            raise UsageError(f"onbekende vraag '{node_id}'")
        if node.loop:
            items = self.items_of(self.dialogue.node(node.loop).over or "")
            if not items:
                raise UsageError(f"vraag '{node_id}' wordt per onderdeel gesteld, en er zijn nog geen onderdelen")
            if item is None:
                item = items[0]
            if item not in items:
                raise UsageError(f"'{item}' is geen onderdeel van deze lijst; kies uit: {', '.join(items)}")
        else:
            item = None
        snapshot = self._snapshot()
        self.pending_probes = []
        target = Position(node_id, item)
        self._event("jump", **{"from": self._pos_data(self.position), "to": self._pos_data(target)})
        if self.position != ENDED:
            self.history.append(self.position)
        if self.finished is not None:
            self.finished = None
            self.summary = None
        self.position = target
        self._commit(snapshot)

    def pause(self) -> None:
        """Save and stop for now (recorded)."""
        snapshot = self._snapshot()
        self._event("pause")
        self._commit(snapshot)

    def set_mode(self, mode: str) -> None:
        """Switch between solo and coach mode (recorded)."""
        if mode not in ("solo", "coach"):
            raise UsageError(f"onbekende modus '{mode}'; kies solo of coach")
        if mode != self.mode:
            snapshot = self._snapshot()
            self.mode = mode
            self._event("mode", mode=mode)
            self._commit(snapshot)

    def set_note(self, text: str, question: str | None = None, item: str | None = None) -> None:
        """Keep a coach note, for a question or for the whole session."""
        snapshot = self._snapshot()
        cleaned, _ = clean_text(text)
        if question is None:
            self.notes["session"] = cleaned
        else:
            entries = [n for n in self.notes["questions"] if not (n["question"] == question and n["item"] == item)]
            if cleaned.strip():
                entries.append({"question": question, "item": item, "text": cleaned})
            self.notes["questions"] = entries
        self._commit(snapshot)

    def _finish(self) -> None:
        from coach.summary import make_summary

        self.finished = clock.stamp()
        self.summary = make_summary(self)
        self._event("finish")

    # ------------------------------------------------------------------ storage

    @staticmethod
    def _pos_data(position: Position) -> dict[str, Any]:
        return {"node": position.node, "item": position.item}

    def to_document(self) -> dict[str, Any]:
        """The transcript (schema 1) of this session."""
        from coach.session import transcript

        return {
            "schema": transcript.SCHEMA,
            "session": self.session_id,
            "dialogue": {"id": self.dialogue.id, "title": self.dialogue.title, "version": self.dialogue.version,
                         "checksum": self.dialogue.checksum, "file": self._dialogue_file()},
            "app": f"netwerkcoach {__version__}",
            "mode": self.mode,
            "started": self.started,
            "updated": self.updated,
            "finished": self.finished,
            "participant": dict(self.participant),
            "group": self.group,
            "position": self._pos_data(self.position),
            "history": [self._pos_data(p) for p in self.history],
            "visited": [self._pos_data(p) for p in sorted(self.visited, key=lambda p: (p.node, p.item or ""))],
            "pending_probes": [m.probe.id for m in self.pending_probes],
            "answers": [a.as_data() for a in self._ordered(self.answers)],
            "aside": [a.as_data() for a in self._ordered(self.aside)],
            "probes": list(self.probe_log),
            "coach_notes": {"session": self.notes["session"], "questions": list(self.notes["questions"])},
            "events": list(self.events),
            "summary": self.summary,
        }

    def _dialogue_file(self) -> str | None:
        """The dialogue's file when it is not one of the shipped themes (to resume it)."""
        from coach.paths import dialogues_dir

        path = Path(self.dialogue.path).resolve()
        return None if path.parent == dialogues_dir().resolve() else str(path)

    def _ordered(self, store: dict[tuple[str, str | None], Answer]) -> Iterable[Answer]:
        order = {node.id: index for index, node in enumerate(self.dialogue.nodes)}
        return sorted(store.values(), key=lambda a: (order.get(a.question, 10**6), a.at))

    def save(self) -> None:
        """Write the transcript (atomically) when the session has a file.

        Refuses (TranscriptConflict) when the file is no longer the version this
        session wrote or read last: another process changed it. When the new version is
        in place but the folder could not be synced, a warning goes to ``notices``.
        """
        self.updated = clock.stamp()
        if self.path is None:
            return
        from coach.session import transcript

        written = transcript.write(self.path, self.to_document(), expect=self.disk_stamp)
        self.disk_stamp = written.stamp
        if written.warning:
            self.notices.append(written.warning)
        self.saved_once = True

    def close(self) -> None:
        """Let go of the session's lock (idempotent); the session can no longer be trusted to save."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    @classmethod
    def resume(cls, document: dict[str, Any], dialogue: Dialogue, catalogue: Catalogue | None = None,
               *, path: Path | None = None, probes: bool = True) -> Session:
        """Continue a saved session; ``notices`` says what changed in its dialogue.

        Every part is checked for its type, and (when the dialogue is unchanged) every
        answer against its question, so a file that passed the checksum but was made by
        hand is refused with TranscriptDamaged rather than failing later.
        """
        name = str(path) if path else None
        try:
            session = cls(
                dialogue=dialogue, catalogue=catalogue, path=path, session_id=_text(document["session"], "session"),
                mode=_text(document.get("mode", "solo"), "mode"), group=_optional_text(document.get("group"), "group"),
                probes_enabled=probes, started=_text(document["started"], "started"),
                updated=str(document.get("updated") or ""), finished=_optional_text(document.get("finished"), "finished"),
            )
            session.participant.update({_text(k, "participant"): _optional_text(v, "participant")
                                        for k, v in _mapping(document.get("participant") or {}, "participant").items()})
            session.events = [_event_data(e) for e in _sequence(document.get("events") or [], "events")]
            session.probe_log = [_probe_data(e) for e in _sequence(document.get("probes") or [], "probes")]
            notes = _mapping(document.get("coach_notes") or {}, "coach_notes")
            session.notes = {"session": _optional_text(notes.get("session"), "coach_notes") or "",
                             "questions": [_note_data(n) for n in _sequence(notes.get("questions") or [], "coach_notes")]}
            summary = document.get("summary")
            session.summary = _mapping(summary, "summary") if summary is not None else None
            for data in _sequence(document.get("answers") or [], "answers"):
                answer = _answer(data)
                session.answers[(answer.question, answer.item)] = answer
            for data in _sequence(document.get("aside") or [], "aside"):
                answer = _answer(data)
                session.aside[(answer.question, answer.item)] = answer
            session.history = [_position(p, "history") for p in _sequence(document.get("history") or [], "history")]
            session.visited = {_position(p, "visited") for p in _sequence(document.get("visited") or [], "visited")}
            session.position = _position(document["position"], "position")
            pending = [_text(p, "pending_probes") for p in _sequence(document.get("pending_probes") or [], "pending_probes")]
        except (KeyError, TypeError, AttributeError, ValueError) as err:
            raise TranscriptDamaged(f"het transcript mist of verkeert in een onderdeel ({err})", path=name) from err
        about = document.get("dialogue") or {}
        if not isinstance(about, dict):
            raise TranscriptDamaged(f"dialogue: verwacht een mapping, gevonden {type(about).__name__}", path=name)
        if about.get("checksum") != dialogue.checksum:
            session._adapt_to_changed_dialogue(str(about.get("version")))
        else:
            session._check_stored(name)
            if pending and session.position != ENDED:
                key = session.answers.get((session.position.node, session.position.item))
                if key is not None and isinstance(key.value, str):
                    asked = {e["probe"] for e in session.probe_log}
                    candidates = session._probes_for(dialogue.node(session.position.node), session.position.item, key.value,
                                                     pending)
                    session.pending_probes = [m for m in candidates if m.probe.id in pending and m.probe.id not in asked]
                    if not session.pending_probes:
                        session._forward()
        if session.finished is not None and session.summary is None and session.position == ENDED:
            from coach.summary import make_summary

            session.summary = make_summary(session)  # a migrated transcript has none yet
        if path is not None:
            from coach.session import transcript

            session.disk_stamp = transcript.disk_stamp(path)
        return session

    def _check_stored(self, name: str | None) -> None:
        """Positions and answers of an unchanged dialogue must exist and fit (else: damaged)."""
        known = self.dialogue.by_id
        for where in [self.position, *self.history, *self.visited]:
            if where != ENDED and (where.node not in known or known[where.node].type == "loop"):
                raise TranscriptDamaged(f"het transcript noemt een stap die het thema niet kent: '{where.node}'", path=name)
        for store in (self.answers, self.aside):
            for (question, item), answer in store.items():
                node = known.get(question)
                if node is None or not node.asks:
                    if store is self.aside:
                        continue  # set aside from an older version of the dialogue: kept, never used
                    raise TranscriptDamaged(f"het transcript heeft een antwoord op een onbekende vraag '{question}'", path=name)
                if (item is None) != (node.loop is None):
                    raise TranscriptDamaged(f"vraag '{question}': het onderdeel klopt niet bij de vraag", path=name)
                if not answer.skipped:
                    try:
                        validate_answer(node, answer.value)
                    except AnswerError as err:
                        raise TranscriptDamaged(f"vraag '{question}': het bewaarde antwoord past niet: {err.message}",
                                                           path=name) from err

    @classmethod
    def recover(cls, salvaged: dict[str, Any], dialogue: Dialogue, catalogue: Catalogue | None = None, *,
                path: Path, session_id: str, source: Path, problem: str, probes: bool = True) -> Session:
        """A new session from what could still be read of a damaged transcript.

        Answers that still fit their question are kept; the rest are set aside with the
        reason. The position is worked out again from the answers (the first question
        without one), and an event ``recovered`` names the damaged file and what was
        wrong with it. The damaged file is never touched; the new session is saved at
        ``path`` under ``session_id``.
        """
        moment = clock.stamp()
        session = cls(dialogue=dialogue, catalogue=catalogue, path=path, session_id=session_id, probes_enabled=probes,
                      started=moment)
        session.updated = moment
        started = salvaged.get("started")
        if isinstance(started, str) and started:
            session.started = started
        mode = salvaged.get("mode")
        if mode in ("solo", "coach"):
            session.mode = mode
        group = salvaged.get("group")
        session.group = group if isinstance(group, str) else None
        participant = salvaged.get("participant")
        if isinstance(participant, dict):
            session.participant.update({k: v for k, v in participant.items()
                                        if k in ("name", "organisation", "date") and isinstance(v, str)})
        events = salvaged.get("events")
        session.events = [e for e in events if _is_event(e)] if isinstance(events, list) else []
        probe_log = salvaged.get("probes")
        session.probe_log = [e for e in probe_log if _is_probe(e)] if isinstance(probe_log, list) else []
        notes = salvaged.get("coach_notes")
        if isinstance(notes, dict):
            text = notes.get("session")
            session.notes["session"] = text if isinstance(text, str) else ""
            questions = notes.get("questions")
            if isinstance(questions, list):
                session.notes["questions"] = [n for n in questions if _is_note(n)]
        kept = aside = 0
        for store_name in ("answers", "aside"):
            entries = salvaged.get(store_name)
            for data in entries if isinstance(entries, list) else []:
                try:
                    answer = _answer(data)
                except (KeyError, TypeError, AttributeError, ValueError):
                    continue  # not an answer any more: nothing to keep
                node = dialogue.by_id.get(answer.question)
                reason = answer.reason if store_name == "aside" else None
                if node is None or not node.asks:
                    reason = reason or "deze vraag bestaat niet (meer)"
                elif (answer.item is None) != (node.loop is None):
                    reason = reason or "het onderdeel klopt niet bij de vraag"
                elif not answer.skipped and reason is None:
                    try:
                        answer.value = validate_answer(node, answer.value)
                    except AnswerError as err:
                        reason = f"past niet bij de vraag: {err.message}"
                key = (answer.question, answer.item)
                if reason is None and key not in session.answers:
                    session.answers[key] = answer
                    kept += 1
                else:
                    answer.reason = reason or "dubbel in het beschadigde bestand"
                    session.aside.setdefault(key, answer)
                    aside += 1
        visited = salvaged.get("visited")
        for data in visited if isinstance(visited, list) else []:
            try:
                where = _position(data, "visited")
            except (KeyError, TypeError, AttributeError, ValueError):
                continue
            if where.node in dialogue.by_id:
                session.visited.add(where)
        session.position = Position(dialogue.start)
        session._reconcile()
        session._settle()
        reached = session.reached()
        here = (session.position.node, session.position.item)
        session.history = [Position(q, i) for q, i in (reached[: reached.index(here)] if here in reached else reached)
                           if (q, i) in session.answers]
        session._event("recovered", **{"from": str(source), "problem": problem, "kept": kept, "set_aside": aside})
        session.notices = [f"Hersteld uit {source}: {kept} antwoord(en) overgenomen"
                           + (f", {aside} apart gezet" if aside else "") + "."]
        session.save()
        return session

    def _adapt_to_changed_dialogue(self, old_version: str) -> None:
        """Keep what still fits a changed dialogue; set the rest aside and say so."""
        self.notices.append(
            f"Het thema '{self.dialogue.title}' is gewijzigd sinds deze sessie begon "
            f"(versie {old_version} → {self.dialogue.version})."
        )
        for key, answer in list(self.answers.items()):
            node = self.dialogue.by_id.get(answer.question)
            reason = None
            if node is None or not node.asks:
                reason = "deze vraag bestaat niet meer"
            elif not answer.skipped:
                try:
                    answer.value = validate_answer(node, answer.value)
                except AnswerError as err:
                    reason = f"past niet meer bij de vraag: {err.message}"
            if reason:
                answer.reason = reason
                self.aside[key] = self.answers.pop(key)
                self.notices.append(f"Apart gezet: {self._name(key)}: {reason}.")
        valid = lambda p: p.node in self.dialogue.by_id  # noqa: E731
        self.history = [p for p in self.history if valid(p)]
        self.visited = {p for p in self.visited if valid(p)}
        if self.position != ENDED and not valid(self.position):
            self.notices.append("De vraag waar je was bestaat niet meer; je gaat verder bij de eerste open vraag.")
            self.position = Position(self.dialogue.start)
        if self.finished is None or self.position != ENDED:
            self._settle()
        self._ask_again_what_was_set_aside()
        self._event("dialogue_changed", version=self.dialogue.version, checksum=self.dialogue.checksum)

    def _ask_again_what_was_set_aside(self) -> None:
        """Go back to the first question on the route, before where the session was, whose
        answer was just set aside: it would otherwise never be asked again."""
        if self.finished is not None or not self.aside:
            return
        reached = self.reached()
        here = (self.position.node, self.position.item)
        before = reached[: reached.index(here)] if here in reached else reached
        open_again = next((key for key in before if key in self.aside and key not in self.answers), None)
        if open_again is None:
            return
        self.history = [Position(q, i) for q, i in before[: before.index(open_again)] if (q, i) in self.answers]
        self.position = Position(*open_again)
        self.pending_probes = []
        self.notices.append(f"Je gaat verder bij {self._name(open_again)}: die vraag is opnieuw aan de beurt.")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where}: verwacht tekst, gevonden {type(value).__name__}")
    return value


def _optional_text(value: Any, where: str) -> str | None:
    return None if value is None else _text(value, where)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: verwacht een mapping, gevonden {type(value).__name__}")
    return value


def _sequence(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: verwacht een lijst, gevonden {type(value).__name__}")
    return value


def _is_item(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _position(data: Any, where: str) -> Position:
    data = _mapping(data, where)
    item = data.get("item")
    if not _is_item(item):
        raise ValueError(f"{where}: het onderdeel is geen tekst")
    return Position(_text(data["node"], where), item)


def _answer(data: Any) -> Answer:
    data = _mapping(data, "answers")
    _text(data["question"], "answers")
    if not _is_item(data.get("item")):
        raise ValueError("answers: het onderdeel is geen tekst")
    reason = data.get("reason")
    answer = Answer.from_data(data)
    answer.reason = reason if isinstance(reason, str) else None
    if answer.skipped:
        answer.value = None
    return answer


def _is_event(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("type"), str) and (
        data["type"] != "probe_asked" or isinstance(data.get("probe"), str))


def _event_data(data: Any) -> dict[str, Any]:
    if not _is_event(data):
        raise ValueError("events: een gebeurtenis zonder soort")
    return data


def _is_probe(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("probe"), str) and isinstance(data.get("question"), str)
            and _is_item(data.get("item")) and isinstance(data.get("skipped"), bool))


def _is_note(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("question"), str) and isinstance(data.get("text"), str)
            and _is_item(data.get("item")))


def _note_data(data: Any) -> dict[str, Any]:
    if not _is_note(data):
        raise ValueError("coach_notes: een notitie zonder vraag of tekst")
    return data


def _probe_data(data: Any) -> dict[str, Any]:
    if not _is_probe(data):
        raise ValueError("probes: een vervolgvraag zonder id")
    return data
