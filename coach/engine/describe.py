"""A dialogue as plain data: the documented, versioned shape of ``coach show --json``."""

from __future__ import annotations

from typing import Any

from coach.engine.model import Dialogue, Node, Probe

SHOW_SHAPE = "netwerkcoach.dialogue"
SHOW_VERSION = 1


def _probe(probe: Probe) -> dict[str, Any]:
    return {
        "id": probe.id, "match": list(probe.match), "without": list(probe.without),
        "negation": probe.negation, "when": probe.when, "ask": probe.ask,
        "model": probe.model, "help": probe.help, "priority": probe.priority,
    }


def node_as_data(dialogue: Dialogue, node: Node) -> dict[str, Any]:
    """One node as plain data."""
    data: dict[str, Any] = {"id": node.id, "type": node.type, "line": node.line}
    if node.type != "loop":
        data["text"] = node.text
        data["help"] = {"text": node.help.text, "source": node.help.source} if node.help else None
        data["coach_prompts"] = {"followups": list(node.coach_prompts.followups), "advice": list(node.coach_prompts.advice)}
        data["kernvragen"] = list(node.kernvragen)
    if node.options:
        data["options"] = [{"value": o.value, "label": o.label} for o in node.options]
    if node.type in ("scale", "polarity", "multichoice", "list"):
        data["range"] = {"min": node.min, "max": node.max}
    if node.labels:
        data["labels"] = {"min": node.labels[0], "max": node.labels[1]}
    if node.poles:
        data["poles"] = {"left": node.poles[0], "right": node.poles[1]}
        data["ask"] = list(node.ask)
    if node.item_name:
        data["item_name"] = node.item_name
    if node.type == "loop":
        data["over"] = node.over
        data["nodes"] = list(node.children)
    data["loop"] = {"id": node.loop, "over": dialogue.node(node.loop).over} if node.loop else None
    data["routes"] = [{"when": r.when, "to": r.to} for r in node.routes]
    data["default"] = dialogue.defaults.get(node.id)
    if node.asks:
        data["probes"] = [_probe(p) for p in node.probes]
        data["max_probes"] = node.max_probes
        data["exclude_probes"] = list(node.exclude_probes)
    return data


def dialogue_as_data(dialogue: Dialogue) -> dict[str, Any]:
    """The whole dialogue as plain data (see the README for the shape)."""
    return {
        "shape": SHOW_SHAPE,
        "shape_version": SHOW_VERSION,
        "format": 1,
        "id": dialogue.id,
        "title": dialogue.title,
        "version": dialogue.version,
        "minutes": dialogue.minutes,
        "intro": dialogue.intro,
        "perspectives": list(dialogue.perspectives),
        "kernvragen": list(dialogue.kernvragen),
        "sources": [vars(s) | {} for s in dialogue.sources],
        "checksum": dialogue.checksum,
        "nodes": [node_as_data(dialogue, n) for n in dialogue.nodes],
        "insights": [
            {
                "id": i.id, "when": i.when, "text": i.text,
                "rests_on": [{"question": r.question, "items": r.items} for r in i.rests_on],
                "models": [{"id": m.id, "why": m.why} for m in i.models],
            }
            for i in dialogue.insights
        ],
        "default_models": [{"id": m.id, "why": m.why} for m in dialogue.default_models],
        "probes": [_probe(p) for p in dialogue.probes],
        "summary": {
            "intro": dialogue.summary_intro,
            "sections": [
                {
                    "kind": s.kind, "title": s.title, "intro": s.intro, "loop": s.loop,
                    "columns": list(s.columns), "questions": list(s.questions),
                    "axes": [{"left": {"label": a.left_label, "questions": list(a.left)},
                              "right": {"label": a.right_label, "questions": list(a.right)}} for a in s.axes],
                    "pairs": [{"now": p.now, "desired": p.desired} for p in s.pairs],
                }
                for s in dialogue.sections
            ],
        },
    }
