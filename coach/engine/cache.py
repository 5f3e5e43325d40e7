"""A cache of validated dialogues and catalogues, keyed by the bytes they were built from.

Validating a dialogue parses every template and expression; an unchanged file need
not be validated again. The same holds for the catalogue (its four YAML files read
with line numbers kept, then checked), which the app reads at every start. Entries
are JSON (never pickle: nothing in the cache can run code) in the user's cache folder,
keyed by a sha256 over the dialogue's bytes (or the catalogue's files), the catalogue's
digest and the engine version, so any change makes a new entry. A broken or
unreadable entry is ignored and rebuilt.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any

from coach import __version__
from coach.engine import model
from coach.engine.model import Dialogue


def cache_dir() -> Path | None:
    """``$COACH_CACHE`` or the platform's user cache folder; ``COACH_CACHE=off`` disables."""
    override = os.environ.get("COACH_CACHE")
    if override == "off":
        return None
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_cache_path("netwerkcoach", appauthor=False) / "dialogues"


def catalogue_key(catalogue_digest: str) -> str:
    """The key of a catalogue (its files' digest) checked by this engine version."""
    return hashlib.sha256(f"{catalogue_digest}\0{__version__}\0catalogue-1".encode()).hexdigest()


def cache_key(raw: bytes, catalogue_digest: str) -> str:
    """The key of a dialogue's bytes checked against a catalogue by this engine version."""
    digest = hashlib.sha256(raw)
    digest.update(f"\0{catalogue_digest}\0{__version__}\0format-1".encode())
    return digest.hexdigest()


Builder = typing.Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


@lru_cache(maxsize=None)
def _builder(hint: Any) -> Builder:
    """A function rebuilding values of type ``hint`` from JSON data (made once per type)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union or (origin is not None and origin.__name__ == "UnionType"):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            return _identity
        build_inner = _builder(inner[0])
        return lambda value: None if value is None else build_inner(value)
    if origin is tuple:
        build_item = _builder(args[0]) if args else _identity
        if build_item is _identity:
            return tuple
        return lambda value: tuple(build_item(v) for v in value)
    if dataclasses.is_dataclass(hint):
        from coach.engine import catalogue

        hints = typing.get_type_hints(hint, {**vars(model), **vars(catalogue)})
        plan = [(f.name, _builder(hints[f.name])) for f in dataclasses.fields(hint)]
        cls = hint
        # Every field, always (entries are written whole): a partial entry raises KeyError.
        return lambda value: cls(**{name: build(value[name]) for name, build in plan})
    return _identity


Cached = typing.TypeVar("Cached")


def load_entry(key: str, kind: type[Cached]) -> Cached | None:
    """The cached ``kind`` (a dialogue or a catalogue) for ``key``; None when absent or unreadable."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        built = _builder(kind)(data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # absent or damaged: the caller validates from scratch
    return built if isinstance(built, kind) else None


def load(key: str, shown_path: str) -> Dialogue | None:
    """The cached dialogue for ``key`` (None when absent or unreadable)."""
    dialogue = load_entry(key, Dialogue)
    return None if dialogue is None else dataclasses.replace(dialogue, path=shown_path)


def store(key: str, dialogue: Any) -> None:
    """Keep a validated dialogue or catalogue (best effort: a read-only cache only costs speed)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = folder / f".{key}.{os.getpid()}.tmp"
        temp.write_text(json.dumps(dataclasses.asdict(dialogue), ensure_ascii=False), encoding="utf-8")
        os.replace(temp, folder / f"{key}.json")
    except OSError:
        pass  # the cache is an optimisation; failing to write it changes nothing else
