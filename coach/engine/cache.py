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
import sys
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any

from coach import __version__
from coach.engine.model import Dialogue
from coach.engine.record import Record


def cache_dir() -> Path | None:
    """``$COACH_CACHE`` or the platform's user cache folder; ``COACH_CACHE=off`` disables."""
    override = os.environ.get("COACH_CACHE")
    if override == "off":
        return None
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_cache_path("netwerkcoach", appauthor=False) / "dialogues"


def catalogue_key(catalogue_digest: str, part: str = "whole") -> str:
    """The key of a catalogue (its files' digest) checked by this engine version, or of a
    ``part`` of it (``Catalogue.for_sessions``)."""
    return hashlib.sha256(f"{catalogue_digest}\0{__version__}\0catalogue-3\0{part}".encode()).hexdigest()


def cache_key(raw: bytes, catalogue_digest: str) -> str:
    """The key of a dialogue's bytes checked against a catalogue by this engine version."""
    digest = hashlib.sha256(raw)
    digest.update(f"\0{catalogue_digest}\0{__version__}\0format-2".encode())
    return digest.hexdigest()


TAG = "$"
"""The key naming a value's class in an entry (no model field or node id holds a "$")."""


def _plain(value: Any) -> Any:
    """A model value as JSON data: each dataclass a mapping tagged with its class's name."""
    if isinstance(value, Record):
        data = {TAG: type(value).__name__}
        for name in _field_names(type(value)):
            data[name] = _plain(getattr(value, name))
        return data
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=None)
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


def _rebuilder(kind: type) -> typing.Callable[[dict[str, Any]], Any]:
    """The JSON object hook that makes tagged mappings into ``kind``'s model classes again.

    Only the model classes ``kind``'s module knows can be made (an entry names no
    code), and each with every field (entries are written whole): anything else raises.
    The model holds only tuples, so every list becomes one.
    """
    module = sys.modules[kind.__module__]
    classes = {c.__name__: c for c in vars(module).values()
               if isinstance(c, type) and issubclass(c, Record) and dataclasses.is_dataclass(c)}

    def rebuild(data: dict[str, Any]) -> Any:
        name = data.pop(TAG, None)
        if name is None:
            return data  # a plain mapping, e.g. a dialogue's default targets
        cls = classes[name]
        if data.keys() != _field_names(cls):
            raise KeyError(f"{name}: fields differ")
        for key, value in data.items():
            if type(value) is list:
                data[key] = tuple(value)
        # Every field is there (checked above) and the model has no __post_init__: the
        # fields go straight into the new object, without __init__ setting them one by one.
        built = object.__new__(cls)
        vars(built).update(data)
        return built

    return rebuild


Cached = typing.TypeVar("Cached")


def load_entry(key: str, kind: type[Cached]) -> Cached | None:
    """The cached ``kind`` (a dialogue or a catalogue) for ``key``; None when absent or unreadable."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        built = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"), object_hook=_rebuilder(kind))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # absent or damaged: the caller validates from scratch
    return built if isinstance(built, kind) else None


def load(key: str, shown_path: str) -> Dialogue | None:
    """The cached dialogue for ``key`` (None when absent or unreadable)."""
    dialogue = load_entry(key, Dialogue)
    return None if dialogue is None else dataclasses.replace(dialogue, path=shown_path)


def store(key: str, dialogue: Record) -> None:
    """Keep a validated dialogue or catalogue (best effort: a read-only cache only costs speed)."""
    folder = cache_dir()
    if folder is None:
        return
    temp = folder / f".{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp.write_text(json.dumps(_plain(dialogue), ensure_ascii=False), encoding="utf-8")
        os.replace(temp, folder / f"{key}.json")
    except OSError:
        try:
            temp.unlink(missing_ok=True)  # a full disk: no half entry left behind
        except OSError:
            pass
        return  # the cache is an optimisation; failing to write it changes nothing else
    prune(folder)


KEEP_DAYS = 30
"""Entries older than this go when a new one is stored: every edit of a dialogue makes a
new entry, and the old ones would pile up. One still in use is simply made again."""


def prune(folder: Path, now: float | None = None) -> None:
    """Remove entries written more than KEEP_DAYS ago, and temp files a crash left (best effort)."""
    import time

    cutoff = (time.time() if now is None else now) - KEEP_DAYS * 86400
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not (name.endswith(".json") or (name.startswith(".") and name.endswith(".tmp"))):
            continue  # not ours
        path = folder / name
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass
