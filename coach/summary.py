"""The summary of a finished session: the layout filled in, insights, suggested models.

Everything is plain data (stored in the transcript, drawn by screens and reports
without knowing the theme): sections as the dialogue declares them, the insights
whose conditions hold with the answers they rest on, and models deduplicated with
every reason that led to them.
"""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING, Any

from coach.engine.expressions import EvaluationError, condition, evaluate, render
from coach.engine.helpers import polarity_gap
from coach.engine.model import Dialogue, Node, Section
from coach.errors import ExpressionError
from coach.session.answers import display_value
from coach.text import strip_controls

if TYPE_CHECKING:
    from coach.session.session import Session

SUMMARY_VERSION = 1


def _table(session: Session, section: Section) -> dict[str, Any]:
    dialogue = session.dialogue
    loop = dialogue.node(section.loop or "")
    columns = [dialogue.node(c) for c in section.columns]
    rows = []
    for item in session.items_of(loop.over or ""):
        cells = []
        for column in columns:
            stored = session.answers.get((column.id, item))
            value = None if stored is None or stored.skipped else stored.value
            cells.append({"question": column.id, "value": value,
                          "display": display_value(column, value) if stored else "—"})
        rows.append({"item": item, "cells": cells})
    return {"item_name": loop.item_name, "columns": [{"question": c.id, "label": c.name} for c in columns], "rows": rows}


def _profile(session: Session, section: Section) -> dict[str, Any]:
    dialogue = session.dialogue
    bars = []
    for qid in section.questions:
        node = dialogue.node(qid)
        stored = session.answers.get((qid, None))
        value = stored.value if stored and not stored.skipped else None
        bars.append({"question": qid, "label": node.name, "value": value, "min": node.min, "max": node.max,
                     "labels": list(node.labels) if node.labels else None})
    values = {bar["question"]: bar["value"] for bar in bars}
    axes = []
    for axis in section.axes:
        sides = []
        for label, questions in ((axis.left_label, axis.left), (axis.right_label, axis.right)):
            numbers = [values[q] for q in questions if values.get(q) is not None]
            sides.append({"label": label, "questions": list(questions), "total": sum(numbers),
                          "mean": round(sum(numbers) / len(numbers), 2) if numbers else None})
        axes.append({"left": sides[0], "right": sides[1]})
    ranked = sorted((b for b in bars if b["value"] is not None), key=lambda b: -b["value"])
    return {"bars": bars, "ranked": [b["question"] for b in ranked], "axes": axes}


def _polarities(session: Session, section: Section) -> dict[str, Any]:
    dialogue = session.dialogue
    rows = []
    for pair in section.pairs:
        node = dialogue.node(pair.now)
        now_answer = session.answers.get((pair.now, None))
        desired_answer = session.answers.get((pair.desired, None))
        now_value = now_answer.value if now_answer and not now_answer.skipped else None
        desired_value = desired_answer.value if desired_answer and not desired_answer.skipped else None
        gap = polarity_gap(now_value, desired_value)
        rows.append({
            "question": pair.now, "desired_question": pair.desired,
            "left": node.poles[0] if node.poles else "", "right": node.poles[1] if node.poles else "",
            "min": node.min, "max": node.max,
            "now": now_value.get("now") if isinstance(now_value, dict) else None,
            "desired": desired_value.get("desired") if isinstance(desired_value, dict) else None,
            "gap": gap,
        })
    rows.sort(key=lambda r: -(abs(r["gap"]) if r["gap"] is not None else -1))
    return {"pairs": rows}


def _list(session: Session, section: Section) -> dict[str, Any]:
    dialogue = session.dialogue
    groups = []
    for qid in section.questions:
        node = dialogue.node(qid)
        entries = []
        skipped = False
        for (question, item), stored in session.answers.items():
            if question == qid and not stored.skipped:
                entries.append({"item": item, "value": stored.value, "display": display_value(node, stored.value)})
            skipped = skipped or (question == qid and stored.skipped)
        followups = [p for p in session.probe_log if p["question"] == qid and not p["skipped"]]
        # "skipped": the director passed the question by; a question with no answer and not
        # skipped was not on this conversation's route (a section says which, not "not answered").
        groups.append({"question": qid, "text": node.name, "entries": entries, "skipped": skipped,
                       "followups": [{"item": p["item"], "text": p["text"], "value": p["value"]} for p in followups]})
    return {"groups": groups}


FILLERS = {"table": _table, "profile": _profile, "polarities": _polarities, "list": _list}


def answers_given(rests_on: list[dict[str, Any]], given: Container[tuple[str, str | None]]) -> list[dict[str, Any]]:
    """The ``rests_on`` entries whose answer was given: a skipped answer, or one never
    asked on this conversation's route, is no ground for an insight.

    ``given`` holds the (question, item) of every answer given (not skipped). Used for
    a summary as it is made and for a summary a report reads from an older transcript.
    """
    return [rest for rest in rests_on if (rest["question"], rest["item"]) in given]


def _rests_on(session: Session, insight: Any, namespace: dict[str, Any]) -> list[dict[str, Any]]:
    dialogue = session.dialogue
    out: list[dict[str, Any]] = []
    for rest in insight.rests_on:
        node = dialogue.node(rest.question)
        if node.loop:
            if rest.items:
                try:
                    items = evaluate(rest.items, namespace) or []
                except EvaluationError as err:
                    raise ExpressionError(f"rests_on items failed: {err}", path=dialogue.path, line=insight.line) from err
            else:
                loop = dialogue.node(node.loop)
                items = [i for i in session.items_of(loop.over or "") if (node.id, i) in session.answers]
            out.extend({"question": node.id, "item": str(i)} for i in items)
        else:
            out.append({"question": node.id, "item": None})
    given = {key for key, stored in session.answers.items() if not stored.skipped}
    return answers_given(out, given)


def make_summary(session: Session) -> dict[str, Any]:
    """The summary of a session as plain data (see the README for the shape)."""
    dialogue: Dialogue = session.dialogue
    namespace = session.namespace()
    insights = []
    for insight in dialogue.insights:
        try:
            fired = condition(insight.when, namespace)
            text = render(insight.text, namespace) if fired else ""
        except EvaluationError as err:
            raise ExpressionError(f"insight '{insight.id}' failed: {err}", path=dialogue.path, line=insight.line) from err
        if fired:
            insights.append({
                "id": insight.id, "text": strip_controls(" ".join(text.split())),
                "rests_on": _rests_on(session, insight, namespace),
                "models": [ref.id for ref in insight.models],
            })
    refs = [(ref, i["id"]) for i in insights for ref in dialogue.insights_by_id[i["id"]].models] if insights else []
    if not refs:
        refs = [(ref, None) for ref in dialogue.default_models]
    models: dict[str, dict[str, Any]] = {}
    for ref, insight_id in refs:
        entry = models.get(ref.id)
        if entry is None:
            model = session.catalogue.models_by_id.get(ref.id) if session.catalogue else None
            entry = {
                "id": ref.id, "title": model.title if model else ref.id,
                "authors": list(model.authors) if model else [], "year": model.year if model else None,
                "source": (model.source.title if model and model.source else None),
                "why": [],
            }
            models[ref.id] = entry
        reason = {"text": ref.why, "insight": insight_id}
        if reason not in entry["why"]:
            entry["why"].append(reason)
    sections = []
    for section in dialogue.sections:
        data = {"kind": section.kind, "title": section.title, "intro": section.intro}
        data.update(FILLERS[section.kind](session, section))
        sections.append(data)
    intro = None
    if dialogue.summary_intro:
        try:
            intro = strip_controls(render(dialogue.summary_intro, namespace).strip())
        except EvaluationError as err:
            raise ExpressionError(f"summary intro failed: {err}", path=dialogue.path) from err
    return {
        "version": SUMMARY_VERSION,
        "intro": intro,
        "sections": sections,
        "insights": insights,
        "models": list(models.values()),
    }
