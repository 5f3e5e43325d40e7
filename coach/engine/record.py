"""Immutability, equality, hashing and repr for the model's dataclasses, written once.

``@dataclass(frozen=True)`` compiles an ``__init__``, ``__setattr__``, ``__delattr__``,
``__eq__``, ``__hash__`` and ``__repr__`` for every class when its module is imported.
The dialogue model and the catalogue have two dozen classes, and the app imports the
model before it draws its first question, so they declare
``@dataclass(eq=False, repr=False)`` (only ``__init__`` is compiled) and inherit the rest
from ``Record``. It behaves as the generated methods do: a field, once set by
``__init__``, cannot be set again or deleted (``FrozenInstanceError``); objects are equal
when of the same class with equal compared fields; the hash is over those fields; and
the repr is ``Name(field=value, ...)``. Use ``dataclasses.replace`` for a changed copy.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields
from typing import Any

_compared: dict[type, tuple[str, ...]] = {}
_shown: dict[type, tuple[str, ...]] = {}


def _names(cls: type, cache: dict[type, tuple[str, ...]], flag: str) -> tuple[str, ...]:
    names = cache.get(cls)
    if names is None:
        names = cache[cls] = tuple(f.name for f in fields(cls) if getattr(f, flag))
    return names


class Record:
    """Base of an immutable dataclass declared with ``eq=False, repr=False``."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        # __init__ sets each field once; any later assignment is refused.
        if name in self.__dict__:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

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
