"""Sandboxed Jinja2 expressions and templates, and the names they use.

Expressions (``when``) and templates (question text, insight text) come from dialogue
files. They are compiled by Jinja2's SandboxedEnvironment, never by ``eval``; the
sandbox refuses attribute walks such as ``__class__`` and huge ranges, and this module
also bounds ``**`` and ``*`` so no expression can exhaust memory or time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from coach.engine.record import Record

if TYPE_CHECKING:
    from jinja2 import nodes
    from jinja2.sandbox import SandboxedEnvironment

QUESTION_ID_HELPERS = frozenset({"lowest", "highest", "gap", "largest_gap", "label"})
"""Helpers whose literal string arguments (the first only, for ``label``) name questions."""

BASE_NAMES = frozenset({"answers", "item"})
"""Names every expression and template may use besides the helpers."""

PROBE_NAMES = frozenset({"answer", "fragment"})
"""Names a probe's ``when`` and ``ask`` may use besides the base names."""


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one sandboxed environment for dialogue expressions and templates (made on first use)."""
    from coach.engine.sandbox import make_environment

    return make_environment()


def has_template_syntax(text: str) -> bool:
    """True when a text holds Jinja2 syntax; plain text is shown without Jinja2."""
    return "{{" in text or "{%" in text or "{#" in text


@dataclass(eq=False, repr=False)
class NameUse(Record):
    """A name an expression or template uses, for validation."""

    kind: str
    """``name`` (a variable), ``question`` (``answers.x`` or a helper's id), ``filter``, ``test``,
    or ``private`` (an attribute or key starting with "_", which the sandbox refuses)."""
    value: str
    """The name, question id or id passed to a helper."""


def parse_expression(source: str) -> nodes.Expr:
    """Parse one expression; raises jinja2.TemplateSyntaxError."""
    from jinja2.parser import Parser

    parser = Parser(environment(), source, state="variable")
    expr = parser.parse_expression()
    if not parser.stream.eos:
        token = parser.stream.current
        parser.fail(f"unexpected '{token.value}' after the expression", token.lineno)
    return expr


def name_uses(tree: nodes.Node) -> Iterator[NameUse]:
    """Every variable, question id, helper id argument, filter and test a tree uses (one walk)."""
    from jinja2 import nodes
    assigned: set[str] = set()
    loads: list[str] = []
    stack: list[nodes.Node] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Name):
            if node.ctx in ("store", "param"):
                assigned.add(node.name)
            else:
                loads.append(node.name)
        elif isinstance(node, (nodes.Getattr, nodes.Getitem)):
            target = node.node
            key = node.attr if isinstance(node, nodes.Getattr) else (
                node.arg.value if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) else None)
            if key is not None and key.startswith("_"):
                yield NameUse("private", key)
            elif key is not None and isinstance(target, nodes.Name) and target.name == "answers":
                yield NameUse("question", key)
        elif isinstance(node, nodes.Call):
            if isinstance(node.node, nodes.Name) and node.node.name in QUESTION_ID_HELPERS:
                args = node.args[:1] if node.node.name == "label" else node.args
                for arg in args:
                    if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                        yield NameUse("question", arg.value)
        elif isinstance(node, nodes.Filter) and node.name:
            yield NameUse("filter", node.name)
            if node.name == "attr" and node.args and isinstance(node.args[0], nodes.Const) \
                    and str(node.args[0].value).startswith("_"):
                yield NameUse("private", str(node.args[0].value))
        elif isinstance(node, nodes.Test):
            yield NameUse("test", node.name)
        stack.extend(node.iter_child_nodes())
    for name in loads:
        if name not in assigned:
            yield NameUse("name", name)


def check_names(tree: nodes.Node, allowed: frozenset[str], questions: set[str]) -> list[str]:
    """Problems with the names a tree uses, as messages (empty when all is well)."""
    from coach.engine.helpers import HELPERS

    problems: list[str] = []
    for use in name_uses(tree):
        if use.kind == "name" and use.value not in allowed and use.value not in HELPERS:
            problems.append(f"unknown name '{use.value}'")
        elif use.kind == "question" and use.value not in questions:
            problems.append(f"unknown question '{use.value}'")
        elif use.kind == "filter" and use.value not in environment().filters:
            problems.append(f"unknown filter '{use.value}'")
        elif use.kind == "test" and use.value not in environment().tests:
            problems.append(f"unknown test '{use.value}'")
        elif use.kind == "private":
            problems.append(f"'{use.value}' is not allowed: names starting with '_' are internal to Python "
                            "and the sandbox refuses them")
    return list(dict.fromkeys(problems))


@lru_cache(maxsize=4096)
def compiled_expression(source: str) -> Any:
    """The compiled expression for ``source`` (cached: dialogues repeat them)."""
    return environment().compile_expression(source, undefined_to_none=False)


@lru_cache(maxsize=4096)
def compiled_template(source: str) -> Any:
    """The compiled template for ``source`` (cached)."""
    return environment().from_string(source)


class EvaluationError(Exception):
    """An expression or template that failed while running (not a user mistake)."""


def evaluate(source: str, namespace: Mapping[str, Any]) -> Any:
    """Evaluate an expression in the sandbox.

    An ordering comparison with a missing answer (``answers.x >= 3`` when x was
    skipped) is false on its own (see ``compare_ordered``), so authors need not guard
    every route against skips.
    """
    from jinja2 import TemplateError, Undefined

    try:
        result = compiled_expression(source)(**namespace)
        if isinstance(result, Undefined):
            result._fail_with_undefined_error()
        return result
    except (TemplateError, ArithmeticError, ValueError, LookupError, TypeError, AttributeError) as err:
        raise EvaluationError(str(err)) from err


def condition(source: str, namespace: Mapping[str, Any]) -> bool:
    """Evaluate an expression as a condition."""
    return bool(evaluate(source, namespace))


def render(source: str, namespace: Mapping[str, Any]) -> str:
    """Render a template in the sandbox; plain text is returned as it is."""
    if not has_template_syntax(source):
        return source
    from jinja2 import TemplateError

    try:
        return compiled_template(source).render(**namespace)
    except (TemplateError, TypeError, ArithmeticError, ValueError, LookupError, AttributeError) as err:
        raise EvaluationError(str(err)) from err
