"""Running a dialogue from an answers mapping, without a person: ``coach run``."""

from __future__ import annotations

from typing import Any

from coach.engine.catalogue import Catalogue
from coach.engine.model import Dialogue
from coach.errors import AnswerError, CoachError, MissingAnswerError
from coach.session.session import Session

SKIP = "~skip"
"""The value that skips a question in an answers file (JSON: ``{"skip": true}``)."""


def is_skip(value: Any) -> bool:
    """True for ``~skip`` and ``{"skip": true}``."""
    return value == SKIP or (isinstance(value, dict) and set(value) == {"skip"} and value["skip"] in (True, "true"))


def run_headless(dialogue: Dialogue, catalogue: Catalogue | None, given: dict[str, Any], source: str,
                 *, probes: bool = True) -> Session:
    """Answer every reached question from ``given``; the finished session.

    A loop question is answered per item (question id -> {item: value}); a text answer
    may be ``{answer, probes: {probe id: answer}}``; a follow-up not given is skipped.
    A reached question with no answer raises MissingAnswerError naming it.
    """
    session = Session.start(dialogue, catalogue, probes=probes)
    probes_given: dict[tuple[str, str | None], dict[str, Any]] = {}
    limit = 1_000 * (len(dialogue.nodes) + 1)
    for _ in range(limit):
        step = session.current
        if step.kind == "end":
            return session
        node = step.node
        assert node is not None
        if step.kind == "info":
            session.acknowledge()
            continue
        if step.kind == "probe":
            assert step.probe is not None
            answer = probes_given.get((node.id, step.item), {}).get(step.probe.probe.id)
            if answer is None or is_skip(answer):
                session.skip_probe()
            else:
                session.answer_probe(str(answer))
            continue
        where = f" (bij '{step.item}')" if step.item else ""
        value: Any = given.get(node.id)
        if node.loop:
            value = value.get(step.item) if isinstance(value, dict) else None
        if value is None:
            raise MissingAnswerError(f"is bereikt{where}, maar heeft geen antwoord in het antwoordenbestand",
                                     path=source, question=node.id)
        if is_skip(value):
            session.skip()
            continue
        if node.type == "text" and isinstance(value, dict) and "answer" in value:
            probes_given[(node.id, step.item)] = value.get("probes") or {}
            value = value["answer"]
        try:
            session.answer(value)
        except AnswerError as err:
            err.path = source
            if step.item:
                err.message = f"(bij '{step.item}') {err.message}"
            raise
    raise CoachError("de dialoog komt niet tot een einde met deze antwoorden", path=source)
