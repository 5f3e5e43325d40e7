"""Equality, hashing and repr for the model's frozen dataclasses, written once.

``@dataclass`` compiles an ``__eq__``, ``__hash__`` and ``__repr__`` for every class when
its module is imported. The dialogue model and the catalogue have two dozen classes, and
the app imports the model before it draws its first question, so they declare
``@dataclass(frozen=True, eq=False, repr=False)`` and inherit these instead. They behave
as the generated ones do: same class and equal compared fields, a hash over those
fields, and ``Name(field=value, ...)`` over the fields shown in a repr.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

_compared: dict[type, tuple[str, ...]] = {}
_shown: dict[type, tuple[str, ...]] = {}


def _names(cls: type, cache: dict[type, tuple[str, ...]], flag: str) -> tuple[str, ...]:
    names = cache.get(cls)
    if names is None:
        names = cache[cls] = tuple(f.name for f in fields(cls) if getattr(f, flag))
    return names


class Record:
    """Base of a frozen dataclass declared with ``eq=False, repr=False``."""

    __slots__ = ()

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _names(type(self), _compared, "compare"))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _names(type(self), _shown, "repr"))
        return f"{type(self).__qualname__}({shown})"
