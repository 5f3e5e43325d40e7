"""The dialogue model: frozen dataclasses built from validated YAML.

Nothing here knows a theme: a dialogue is nodes, routes, loops, insight rules and a
summary layout, each carrying the line it came from so later errors can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from coach.engine.record import Record

NodeType = Literal["text", "choice", "multichoice", "scale", "polarity", "list", "info", "loop"]
ASKING_TYPES: frozenset[str] = frozenset({"text", "choice", "multichoice", "scale", "polarity", "list"})
END = "end"
"""The reserved target that finishes the dialogue."""
NEXT_ITEM = "next_item"
"""The reserved target, inside a loop, that goes on to the next item."""


@dataclass(eq=False, repr=False)
class Option(Record):
    """One option of a choice or multichoice question."""

    value: str
    """What is stored and compared (always a string)."""
    label: str
    """What the director reads."""


@dataclass(eq=False, repr=False)
class Help(Record):
    """A toelichting: our own explanation of the idea behind a question."""

    text: str
    source: str | None = None
    """Where the idea comes from, e.g. "Kaats & Opheij, 2023"."""


@dataclass(eq=False, repr=False)
class CoachPrompts(Record):
    """Content for a coach: probing follow-ups and the handreiking's advice."""

    followups: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()


@dataclass(eq=False, repr=False)
class Route(Record):
    """A conditional way on: ``to`` when ``when`` holds."""

    when: str
    to: str
    line: int = 0


@dataclass(eq=False, repr=False)
class Probe(Record):
    """A follow-up asked when a free-text answer matches (behaviour: a later issue)."""

    id: str
    ask: str
    """The follow-up question, a template that may use ``fragment``."""
    match: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    negation: bool = False
    """Not when negated nearby ("geen vertrouwen")."""
    when: str | None = None
    model: str | None = None
    help: str | None = None
    priority: int = 0
    line: int = 0
    path: str = ""


@dataclass(eq=False, repr=False)
class Node(Record):
    """One step of a dialogue: a question, an informational text, or a loop."""

    id: str
    type: NodeType
    line: int
    text: str = ""
    text_line: int = 0
    """The line where ``text`` starts, for template errors."""
    short: str | None = None
    """A short name for summaries, tables and progress ("Strateeg")."""
    help: Help | None = None
    coach_prompts: CoachPrompts = CoachPrompts()
    kernvragen: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    min: int | None = None
    """Scale/polarity: lowest value; multichoice/list: fewest entries."""
    max: int | None = None
    """Scale/polarity: highest value; multichoice/list: most entries (None: no limit)."""
    labels: tuple[str, str] | None = None
    """Scale: the labels of the lowest and highest value."""
    poles: tuple[str, str] | None = None
    """Polarity: the left (min) and right (max) pole."""
    ask: tuple[str, ...] = ()
    """Polarity: which of ``now`` and ``desired`` are asked."""
    item_name: str | None = None
    """List and loop: how one item is called ("opgave")."""
    min_words: int | None = None
    routes: tuple[Route, ...] = ()
    next: str | None = None
    """The default next node as written (None: the following node)."""
    loop: str | None = None
    """The id of the loop this node is asked in, if any."""
    over: str | None = None
    """Loop: the list question whose items it iterates."""
    children: tuple[str, ...] = ()
    """Loop: the ids of its nodes, in order."""
    probes: tuple[Probe, ...] = ()
    max_probes: int = 1
    exclude_probes: tuple[str, ...] = ()
    """Ids of the dialogue's or the shared probes that stay off this question (one that
    would repeat what the question itself, or the next one, asks)."""
    exclude_line: int = 0

    @property
    def name(self) -> str:
        """The short name, else the text when it holds no template, else the id."""
        if self.short:
            return self.short
        text = " ".join(self.text.split())
        if text and "{" not in text:
            return text if len(text) <= 60 else text[:57].rsplit(" ", 1)[0] + "…"
        return self.id.replace("_", " ").capitalize()

    @property
    def asks(self) -> bool:
        """True when the node asks for an answer."""
        return self.type in ASKING_TYPES

    def option_label(self, value: str) -> str:
        """The label of an option value (the value itself when unknown)."""
        for option in self.options:
            if option.value == value:
                return option.label
        return value


@dataclass(eq=False, repr=False)
class ModelRef(Record):
    """A model suggested, with one line on why it fits."""

    id: str
    why: str
    line: int = 0


@dataclass(eq=False, repr=False)
class RestsOn(Record):
    """A question an insight rests on; ``items`` picks loop items (an expression)."""

    question: str
    items: str | None = None


@dataclass(eq=False, repr=False)
class Insight(Record):
    """A rule: when ``when`` holds, ``text`` is an observation on named answers."""

    id: str
    when: str
    text: str
    rests_on: tuple[RestsOn, ...]
    models: tuple[ModelRef, ...] = ()
    line: int = 0


@dataclass(eq=False, repr=False)
class Axis(Record):
    """Two sides of a profile, each a group of its scales."""

    left_label: str
    left: tuple[str, ...]
    right_label: str
    right: tuple[str, ...]


@dataclass(eq=False, repr=False)
class Pair(Record):
    """A polarity shown as now vs. desired (from one node, or two)."""

    now: str
    desired: str


SectionKind = Literal["table", "profile", "polarities", "list"]


@dataclass(eq=False, repr=False)
class Section(Record):
    """One part of the summary layout."""

    kind: SectionKind
    title: str
    intro: str | None = None
    loop: str | None = None
    """Table: the loop whose items are the rows."""
    columns: tuple[str, ...] = ()
    """Table: the loop questions shown as columns."""
    questions: tuple[str, ...] = ()
    """Profile and list: the questions shown."""
    axes: tuple[Axis, ...] = ()
    pairs: tuple[Pair, ...] = ()
    line: int = 0


@dataclass(eq=False, repr=False)
class Source(Record):
    """A publication a dialogue draws on."""

    title: str
    authors: str | None = None
    year: int | None = None
    file: str | None = None
    lines: str | None = None


@dataclass(eq=False, repr=False)
class Dialogue(Record):
    """A theme: metadata, nodes in file order (loop children after their loop), rules."""

    id: str
    title: str
    version: str
    intro: str
    path: str
    nodes: tuple[Node, ...]
    minutes: int | None = None
    perspectives: tuple[str, ...] = ()
    kernvragen: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    insights: tuple[Insight, ...] = ()
    default_models: tuple[ModelRef, ...] = ()
    probes: tuple[Probe, ...] = ()
    summary_intro: str | None = None
    summary_intro_line: int = 0
    sections: tuple[Section, ...] = ()
    checksum: str = ""
    """sha256 of the file's bytes: tells a transcript whether its dialogue changed."""
    defaults: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Each node's default next node, resolved (END or NEXT_ITEM where implied)."""

    @cached_property
    def by_id(self) -> dict[str, Node]:
        """Every node by id."""
        return {node.id: node for node in self.nodes}

    def node(self, node_id: str) -> Node:
        """The node with ``node_id`` (KeyError when unknown)."""
        return self.by_id[node_id]

    @property
    def start(self) -> str:
        """The first node."""
        return self.nodes[0].id

    @cached_property
    def questions(self) -> tuple[Node, ...]:
        """The nodes that ask for an answer, in order."""
        return tuple(node for node in self.nodes if node.asks)

    @cached_property
    def insights_by_id(self) -> dict[str, Insight]:
        """Every insight rule by id."""
        return {insight.id: insight for insight in self.insights}

    @cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        """Option labels per question, for the ``label`` helper."""
        return {n.id: {o.value: o.label for o in n.options} for n in self.nodes if n.options}

