"""The catalogue model: perspectives, kernvragen, models, tensions and examples.

Frozen dataclasses like the dialogue model (coach.engine.model), apart from it because
a dialogue on screen does not need them: they are defined when a catalogue is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from coach.engine.model import Help, Probe
from coach.engine.record import Record


@dataclass(eq=False, repr=False)
class Perspective(Record):
    """One of the handreiking's four perspectives."""

    id: str
    title: str
    description: str = ""


@dataclass(eq=False, repr=False)
class SourceRef(Record):
    """A place in a seed file."""

    file: str
    line: int
    title: str | None = None


@dataclass(eq=False, repr=False)
class Kernvraag(Record):
    """A key question of the handreiking, quoted exactly."""

    id: str
    text: str
    perspective: str
    source: SourceRef
    praatplaat: bool = False
    toelichting: Help | None = None
    models: tuple[str, ...] = ()
    line: int = 0


@dataclass(eq=False, repr=False)
class LeftOut(Record):
    """A question sentence in a cited passage that is deliberately not asked."""

    text: str
    source: SourceRef
    reason: str


@dataclass(eq=False, repr=False)
class Literature(Record):
    """A literature entry."""

    authors: str
    year: int | None
    title: str
    publisher: str | None = None
    url: str | None = None


@dataclass(eq=False, repr=False)
class Model(Record):
    """A model from the catalogue."""

    id: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    source: SourceRef | None
    description: str
    perspectives: tuple[str, ...] = ()
    literature: tuple[Literature, ...] = ()
    line: int = 0


@dataclass(eq=False, repr=False)
class Tension(Record):
    """A potential tension between two perspectives, as the praatplaat names it."""

    id: str
    between: tuple[str, str]
    """The two perspective ids."""
    title: str
    points: tuple[str, ...]
    """The tensions, in the source's words."""
    source: SourceRef | None = None
    toelichting: Help | None = None
    line: int = 0


@dataclass(eq=False, repr=False)
class Example(Record):
    """A practical example of collaboration from the handreiking's wegwijzer."""

    id: str
    name: str
    kind: str
    description: str
    url: str | None = None
    perspectives: tuple[str, ...] = ()
    kernvragen: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    source: SourceRef | None = None
    line: int = 0


@dataclass(eq=False, repr=False)
class Catalogue(Record):
    """The shared catalogues: perspectives, kernvragen, models and shared probes."""

    perspectives: tuple[Perspective, ...] = ()
    kernvragen: tuple[Kernvraag, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    models: tuple[Model, ...] = ()
    probes: tuple[Probe, ...] = ()
    tensions: tuple[Tension, ...] = ()
    examples: tuple[Example, ...] = ()
    digest: str = ""
    """sha256 over the catalogue files: part of the dialogue cache key."""

    def for_sessions(self) -> Catalogue:
        """What a conversation reads: the shared probes (after each answer) and the models
        (its summary's suggestions); nothing of the praatplaat, the vindplaats or check."""
        return Catalogue(models=self.models, probes=self.probes, digest=self.digest)

    @cached_property
    def models_by_id(self) -> dict[str, Model]:
        """Every model by id."""
        return {m.id: m for m in self.models}

    @cached_property
    def kernvragen_by_id(self) -> dict[str, Kernvraag]:
        """Every kernvraag by id."""
        return {k.id: k for k in self.kernvragen}
