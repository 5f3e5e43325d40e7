"""Where the probes of the shipped dialogues live, and what a probe is chosen among.

A probe is asked among the candidates of the question it follows: the question's own
probes, then the dialogue's, then the shared ones of ``dialogues/probes.yaml`` (the order
``Session._probes_for`` uses). Its "home" is the narrowest place it is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from coach.engine.library import dialogue_paths, load_catalogue, load_dialogue
from coach.engine.catalogue import Catalogue
from coach.engine.model import Dialogue, Node, Probe
from coach.session.session import Session
from conftest import DIALOGUES

EXAMPLES = Path(__file__).with_name("probe_examples.yaml")


@dataclass(frozen=True)
class Home:
    """A probe and the place it is written: shared, a theme, or one question of a theme."""

    probe: Probe
    theme: str | None = None
    node: str | None = None

    @property
    def where(self) -> str:
        if self.theme is None:
            return "probes.yaml"
        return f"{self.theme}.yaml" + (f", question '{self.node}'" if self.node else "")


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    return load_catalogue(DIALOGUES)


@lru_cache(maxsize=None)
def dialogue(theme: str) -> Dialogue:
    return load_dialogue(DIALOGUES / f"{theme}.yaml", catalogue())


def themes() -> list[str]:
    return [path.stem for path in dialogue_paths(DIALOGUES)]


def homes() -> list[Home]:
    """Every probe of the shipped dialogues, with where it is written."""
    found = [Home(p) for p in catalogue().probes]
    for theme in themes():
        d = dialogue(theme)
        found += [Home(p, theme) for p in d.probes]
        found += [Home(p, theme, node.id) for node in d.nodes for p in node.probes]
    return found


def text_nodes(theme: str) -> list[Node]:
    return [n for n in dialogue(theme).nodes if n.type == "text"]


def candidates(home: Home) -> tuple[list[Probe], int]:
    """The probes this one is chosen among where it is written, and how many may be asked."""
    shared = list(catalogue().probes)
    if home.theme is None:
        return shared, 1
    d = dialogue(home.theme)
    if home.node is None:
        return list(d.probes) + shared, 1
    node = d.node(home.node)
    return node_candidates(home.theme, home.node), node.max_probes


def node_candidates(theme: str, node_id: str) -> list[Probe]:
    """What the session chooses among after an answer to this question (its exclusions left out)."""
    d = dialogue(theme)
    node = d.node(node_id)
    pool = list(node.probes) + list(d.probes) + list(catalogue().probes)
    return [p for p in pool if p.id not in node.exclude_probes]


def namespace(theme: str | None, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a probe's ``when`` and ``ask`` see at the start of a session, plus ``answers``."""
    session = Session.start(dialogue(theme or themes()[0]), catalogue(), probes=False)
    scope = session.namespace()
    scope["answers"] = dict(scope["answers"], **(answers or {}))
    return scope


@lru_cache(maxsize=1)
def examples() -> dict[str, dict[str, list[Any]]]:
    data = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8")) or {}
    assert isinstance(data, dict), f"{EXAMPLES.name}: a mapping probe id -> {{triggers, quiet}}"
    return data


def entry(example: Any) -> tuple[str, dict[str, Any]]:
    """An example as (answer text, earlier answers)."""
    if isinstance(example, dict):
        return str(example["answer"]), dict(example.get("answers") or {})
    return str(example), {}


def source_file(probe: Probe) -> Path:
    return DIALOGUES / Path(probe.path).name
