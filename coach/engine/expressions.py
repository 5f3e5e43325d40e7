"""Sandboxed Jinja2 expressions and templates, and the names they use.

Expressions (``when``) and templates (question text, insight text) come from dialogue
files. They are compiled by Jinja2's SandboxedEnvironment, never by ``eval``; the
sandbox refuses attribute walks such as ``__class__`` and huge ranges, and this module
also bounds ``**`` and ``*`` so no expression can exhaust memory or time.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.parser import Parser
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from coach.engine.helpers import HELPERS, QUESTION_ID_HELPERS

MAX_POWER = 64
"""The largest exponent ``**`` accepts."""

MAX_PRODUCT_LENGTH = 100_000
"""The longest string or list ``*`` may make."""


ORDERING = {"lt": operator.lt, "lteq": operator.le, "gt": operator.gt, "gteq": operator.ge}


def compare_ordered(op: str, left: Any, right: Any) -> bool:
    """``left <op> right``; false when either side is missing (a skipped answer)."""
    if left is None or right is None or isinstance(left, Undefined) or isinstance(right, Undefined):
        return False
    try:
        return bool(ORDERING[op](left, right))
    except TypeError:
        return False


class _Generator(CodeGenerator):
    """Compiles ``a < b`` (and <=, >, >=) to ``compare_ordered``: a comparison with a
    missing answer is false on its own, without making the whole expression fail."""

    def visit_Compare(self, node: nodes.Compare, frame: Frame) -> None:
        if len(node.ops) == 1 and node.ops[0].op in ORDERING:
            self.write(f"environment.compare_ordered({node.ops[0].op!r}, ")
            self.visit(node.expr, frame)
            self.write(", ")
            self.visit(node.ops[0].expr, frame)
            self.write(")")
        else:
            super().visit_Compare(node, frame)


def _bounded(*numbers: Any) -> None:
    for number in numbers:
        if isinstance(number, int) and not isinstance(number, bool) and abs(number) > MAX_PRODUCT_LENGTH:
            raise SecurityError(f"{number} is larger than {MAX_PRODUCT_LENGTH}")


_WIDTH = __import__("re").compile(r"\d{6,}")


class _Sandbox(SandboxedEnvironment):
    """The sandbox with ``**``, ``*``, ``%``, widths and calls bounded."""

    intercepted_binops = frozenset({"**", "*", "%", "+", "-", "/", "//"})
    code_generator_class = _Generator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.compare_ordered = compare_ordered
        for name in ("abs", "round"):
            self.filters[name] = self._missing_stays_missing(self.filters[name])
        for name in ("center", "indent", "wordwrap", "truncate", "format", "batch", "slice"):
            self.filters[name] = self._bounded_filter(self.filters[name])

    @staticmethod
    def _missing_stays_missing(func: Any) -> Any:
        def guarded(value: Any, *args: Any, **kwargs: Any) -> Any:
            return None if value is None else func(value, *args, **kwargs)

        guarded.__name__ = func.__name__
        return guarded

    @staticmethod
    def _bounded_filter(func: Any) -> Any:
        def bounded(*args: Any, **kwargs: Any) -> Any:
            _bounded(*args[1:], *kwargs.values())
            if func.__name__ == "do_format" and args and isinstance(args[0], str) and _WIDTH.search(args[0]):
                raise SecurityError("format width too large")
            return func(*args, **kwargs)

        bounded.__name__ = func.__name__
        return bounded

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _bounded(*args, *kwargs.values())
        if getattr(__obj, "__name__", "") in ("format", "format_map") and any(
            isinstance(a, str) and _WIDTH.search(a) for a in (getattr(__obj, "__self__", ""),)
        ):
            raise SecurityError("format width too large")
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_POWER:
                raise SecurityError(f"exponent {right} is larger than {MAX_POWER}")
            if isinstance(left, (int, float)) and abs(left) > 2**MAX_POWER:
                raise SecurityError("base of ** is too large")
            return operator.pow(left, right)
        if left is None or right is None:
            return None  # arithmetic with a missing answer stays missing (and compares false)
        if operator_name == "%":
            if isinstance(left, str) and _WIDTH.search(left):
                raise SecurityError("format width too large")
            return operator.mod(left, right)
        if operator_name == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * times > MAX_PRODUCT_LENGTH:
                        raise SecurityError("result of * would be too long")
            return operator.mul(left, right)
        return super().call_binop(context, operator_name, left, right)


BASE_NAMES = frozenset({"answers", "item"})
"""Names every expression and template may use besides the helpers."""

PROBE_NAMES = frozenset({"answer", "fragment"})
"""Names a probe's ``when`` and ``ask`` may use besides the base names."""


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one sandboxed environment for dialogue expressions and templates."""
    env = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.globals.update(HELPERS)
    return env


def has_template_syntax(text: str) -> bool:
    """True when a text holds Jinja2 syntax; plain text is shown without Jinja2."""
    return "{{" in text or "{%" in text or "{#" in text


@dataclass(frozen=True)
class NameUse:
    """A name an expression or template uses, for validation."""

    kind: str
    """``name`` (a variable), ``question`` (``answers.x`` or a helper's id), ``filter`` or ``test``."""
    value: str
    """The name, question id or id passed to a helper."""


def parse_expression(source: str) -> nodes.Expr:
    """Parse one expression; raises jinja2.TemplateSyntaxError."""
    parser = Parser(environment(), source, state="variable")
    expr = parser.parse_expression()
    if not parser.stream.eos:
        token = parser.stream.current
        parser.fail(f"unexpected '{token.value}' after the expression", token.lineno)
    return expr


def name_uses(tree: nodes.Node) -> Iterator[NameUse]:
    """Every variable, question id, helper id argument, filter and test a tree uses (one walk)."""
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
            if isinstance(target, nodes.Name) and target.name == "answers":
                if isinstance(node, nodes.Getattr):
                    yield NameUse("question", node.attr)
                elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                    yield NameUse("question", node.arg.value)
        elif isinstance(node, nodes.Call):
            if isinstance(node.node, nodes.Name) and node.node.name in QUESTION_ID_HELPERS:
                args = node.args[:1] if node.node.name == "label" else node.args
                for arg in args:
                    if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                        yield NameUse("question", arg.value)
        elif isinstance(node, nodes.Filter) and node.name:
            yield NameUse("filter", node.name)
        elif isinstance(node, nodes.Test):
            yield NameUse("test", node.name)
        stack.extend(node.iter_child_nodes())
    for name in loads:
        if name not in assigned:
            yield NameUse("name", name)


def check_names(tree: nodes.Node, allowed: frozenset[str], questions: set[str]) -> list[str]:
    """Problems with the names a tree uses, as messages (empty when all is well)."""
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
    try:
        return compiled_template(source).render(**namespace)
    except (TemplateError, TypeError, ArithmeticError, ValueError, LookupError, AttributeError) as err:
        raise EvaluationError(str(err)) from err
