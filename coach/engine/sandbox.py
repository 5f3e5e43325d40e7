"""The Jinja2 sandbox for dialogue expressions and templates (imported on first use).

SandboxedEnvironment refuses attribute walks such as ``__class__`` and huge ranges;
this subclass also bounds ``**``, ``*``, ``%``, widths and call arguments, and makes an
ordering comparison with a missing answer false on its own.
"""

from __future__ import annotations

import operator
import re
from typing import Any

from jinja2 import StrictUndefined, Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from coach.engine.helpers import HELPERS

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


_WIDTH = re.compile(r"\d{6,}")


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




def make_environment() -> SandboxedEnvironment:
    """A new sandbox with the helpers as globals."""
    env = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.globals.update(HELPERS)
    return env
