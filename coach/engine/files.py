"""Content files: which names are catalogues, how paths are shown, the catalogue digest.

Kept free of YAML and Jinja2 so the path to a cached dialogue imports neither.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CATALOGUE_FILES = frozenset({"kernvragen.yaml", "models.yaml", "probes.yaml", "wegwijzer.yaml"})


def shown_path(path: Path) -> str:
    """How a content file is named in messages: relative to the working folder if inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def catalogue_digest(directory: Path) -> str:
    """sha256 over the catalogue files of a folder (part of the dialogue cache key)."""
    digest = hashlib.sha256()
    for name in sorted(CATALOGUE_FILES):
        if (directory / name).exists():
            digest.update(name.encode() + b"\0" + (directory / name).read_bytes())
    return digest.hexdigest()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Parsing makes tens of thousands of objects and no cycles; collections triggered
    half-way make the cost grow faster than the file (6x for 4x the nodes).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
