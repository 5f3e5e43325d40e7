"""Dialogue -> ``transitions`` state machine: one state per node, routes as transitions.

Every node has one trigger, ``advance``; its transitions are the node's routes in
order (each guarded by its sandboxed expression) and then the default. A loop node is
a transient state: from it, ``advance`` enters the first inner node while an item is
pending, else leaves by the loop's own routes. Navigation outside the routes (back,
jump, resume) is done by the session with ``set_state``, so the machine is built with
``auto_transitions=False`` and stays linear in size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coach.engine.expressions import EvaluationError, condition
from coach.engine.model import END, NEXT_ITEM, Dialogue
from coach.errors import ExpressionError

if TYPE_CHECKING:
    from transitions import EventData, Machine

TRIGGER = "advance"
"""The one trigger of every dialogue machine."""


@dataclass
class RouteCondition:
    """A route's guard: the expression, evaluated in the namespace the trigger carries."""

    source: str
    path: str
    line: int
    node: str

    def __call__(self, event: EventData) -> bool:
        namespace = event.kwargs.get("namespace", {})
        try:
            return condition(self.source, namespace)
        except EvaluationError as err:
            raise ExpressionError(f"route 'when: {self.source}' failed: {err}", path=self.path, line=self.line, question=self.node) from err

    def __str__(self) -> str:
        return self.source


def _has_pending_item(event: EventData) -> bool:
    return event.kwargs.get("pending_item") is not None


def machine_config(
    dialogue: Dialogue,
    guard: Callable[[str, int, str], Any],
    end_state: str = END,
) -> tuple[list[str], list[dict[str, Any]]]:
    """The states and transitions of a dialogue; ``guard`` makes a route's condition."""
    states = [node.id for node in dialogue.nodes] + [end_state]
    transitions: list[dict[str, Any]] = []

    def target(node_loop: str | None, to: str) -> str:
        if to == END:
            return end_state
        if to == NEXT_ITEM and node_loop:
            return node_loop
        return to

    for node in dialogue.nodes:
        if node.type == "loop" and node.children:
            transitions.append({
                "trigger": TRIGGER, "source": node.id, "dest": node.children[0],
                "conditions": [guard("pending item", node.line, node.id)],
            })
        for route in node.routes:
            transitions.append({
                "trigger": TRIGGER, "source": node.id, "dest": target(node.loop, route.to),
                "conditions": [guard(route.when, route.line or node.line, node.id)],
            })
        default = dialogue.defaults.get(node.id, END)
        transitions.append({"trigger": TRIGGER, "source": node.id, "dest": target(node.loop, default)})
    return states, transitions


def build_machine(dialogue: Dialogue) -> Machine:
    """The runtime machine of a dialogue (no model yet: sessions add theirs)."""
    from transitions import Machine

    def guard(source: str, line: int, node: str) -> Callable[[EventData], bool]:
        if source == "pending item":
            return _has_pending_item
        return RouteCondition(source, dialogue.path, line, node)

    states, transitions = machine_config(dialogue, guard)
    return Machine(
        model=None, states=states, transitions=transitions, initial=dialogue.start,
        auto_transitions=False, queued=True, send_event=True, ignore_invalid_triggers=False,
    )


def draw_graph(dialogue: Dialogue, graph_format: str) -> str:
    """The state diagram as Mermaid or Graphviz dot source."""
    end_state = "einde"
    if graph_format == "mermaid":
        from transitions.extensions.diagrams import GraphMachine

        states, transitions = machine_config(dialogue, lambda source, line, node: source, end_state)
        machine = GraphMachine(
            states=states, transitions=transitions, initial=dialogue.start,
            auto_transitions=False, graph_engine="mermaid", show_conditions=True, title=dialogue.title,
        )
        return machine.get_graph().source
    import graphviz  # optional; the CLI checks it is there first

    states, transitions = machine_config(dialogue, lambda source, line, node: source, end_state)
    graph = graphviz.Digraph(dialogue.id, graph_attr={"label": dialogue.title, "rankdir": "TB"})
    for state in states:
        graph.node(state, shape="doublecircle" if state == end_state else "box")
    for transition in transitions:
        label = " & ".join(str(c) for c in transition.get("conditions", []))
        graph.edge(transition["source"], transition["dest"], label=label)
    return str(graph.source)
