"""Finding, loading and checking the dialogues in a folder, with their catalogues."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from typing import TYPE_CHECKING

from coach.engine.files import CATALOGUE_FILES, catalogue_digest, gc_paused, shown_path
from coach.errors import CheckFailed, CoachError, DialogueError
from coach.paths import dialogues_dir

if TYPE_CHECKING:
    from coach.engine.catalogue import Catalogue
    from coach.engine.model import Dialogue

# YAML, Jinja2 and the validator are imported inside the functions that read and check
# files: a dialogue from the cache needs none of them (start-up stays quick).


def dialogue_paths(directory: Path) -> list[Path]:
    """The dialogue files of a folder (everything but the catalogues), sorted."""
    return sorted(p for p in directory.glob("*.yaml") if p.name not in CATALOGUE_FILES)


def catalogue_dir_for(path: Path) -> Path:
    """The catalogue a dialogue file is checked against: beside it, one up, or shipped."""
    for candidate in (path.parent, path.parent.parent):
        if (candidate / "models.yaml").exists() or (candidate / "kernvragen.yaml").exists():
            return candidate
    return dialogues_dir()


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """The catalogues of a folder, validated (raises CheckFailed on problems).

    A catalogue validated before (same files, same engine) comes from the cache, like
    a dialogue; ``coach check`` reads the files itself and always validates.
    """
    from coach.engine import cache
    from coach.engine.catalogue import Catalogue

    folder = directory or dialogues_dir()
    key = cache.catalogue_key(catalogue_digest(folder))
    cached = cache.load_entry(key, Catalogue)
    if cached is not None:
        return cached
    with gc_paused():
        catalogue = _validated_catalogue(folder)
    cache.store(key, catalogue)
    return catalogue


def _validated_catalogue(folder: Path) -> Catalogue:
    from coach.engine.loader import catalogue_from_files
    from coach.engine.reader import Problems
    from coach.engine.validate import validate_catalogue

    problems: dict[str, Problems] = {}
    catalogue = catalogue_from_files(folder, problems)
    validate_catalogue(catalogue, problems)
    found = [p for group in problems.values() for p in group.items]
    if found:
        raise CheckFailed(found)
    return catalogue


def _finish(dialogue: Dialogue) -> Dialogue:
    from coach.engine.validate import default_targets

    return replace(dialogue, defaults=default_targets(dialogue))


def load_dialogue(path: Path, catalogue: Catalogue | None = None, *, use_cache: bool = True) -> Dialogue:
    """Read and validate one dialogue; raises CheckFailed listing every problem.

    A dialogue validated before (same bytes, same catalogue, same engine) comes from
    the cache; ``coach check`` passes ``use_cache=False`` and always validates.
    """
    with gc_paused():
        return _load_dialogue(path, catalogue, use_cache, None)


def _load_dialogue(path: Path, catalogue: Catalogue | None, use_cache: bool, digest: str | None) -> Dialogue:
    from coach.engine import cache

    shown = shown_path(path)
    key = None
    if use_cache:
        try:
            # The file name is part of the key: a dialogue's id must match it.
            key = cache.cache_key(path.name.encode() + b"\0" + path.read_bytes(),
                                  digest if digest is not None else (catalogue.digest if catalogue else ""))
        except OSError:
            key = None  # read_dialogue below reports the file
        cached = cache.load(key, shown) if key else None
        if cached is not None:
            return cached
    if catalogue is None and digest:
        try:
            catalogue = load_catalogue(catalogue_dir_for(path))
        except CheckFailed:
            catalogue = None  # `coach check` reports the catalogue; the dialogue still loads
    from coach.engine.loader import read_dialogue
    from coach.engine.reader import Problems
    from coach.engine.validate import validate_dialogue

    problems = Problems(shown)
    dialogue = read_dialogue(path, problems)
    if not problems.items:
        validate_dialogue(dialogue, catalogue, problems)
    if problems.items:
        raise CheckFailed(list(problems.items))
    dialogue = _finish(dialogue)
    if key:
        cache.store(key, dialogue)
    return dialogue


def theme_path(theme: str, directory: Path | None = None) -> Path:
    """The file of a theme id, or the path given; DialogueError when there is none."""
    candidate = Path(theme)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        return candidate
    folder = directory or dialogues_dir()
    path = folder / f"{theme}.yaml"
    if theme in {p.stem for p in dialogue_paths(folder)}:
        return path
    known = ", ".join(p.stem for p in dialogue_paths(folder)) or "none"
    raise DialogueError(f"onbekend thema '{theme}'; bekende thema's: {known}")


def load_theme(theme: str, catalogue: Catalogue | None = None) -> Dialogue:
    """Load a theme by id (or path), checked against its catalogue."""
    path = theme_path(theme)
    if catalogue is not None:
        return load_dialogue(path, catalogue)
    # The catalogue's digest is enough to find a cached dialogue; it is parsed only when
    # the dialogue must be validated.
    with gc_paused():
        return _load_dialogue(path, None, True, catalogue_digest(catalogue_dir_for(path)))


def check_paths(paths: list[Path]) -> tuple[list[CoachError], int]:
    """Check dialogues and catalogues; returns the problems and how many files were read.

    A folder is checked whole (its catalogues and dialogues); a file on its own is
    checked against the catalogue beside it (or the shipped one).
    """
    from coach.engine.loader import catalogue_from_files
    from coach.engine.reader import Problems
    from coach.engine.validate import validate_catalogue

    problems: list[CoachError] = []
    files = 0
    checked_catalogues: dict[Path, Catalogue | None] = {}

    def catalogue_of(folder: Path) -> Catalogue | None:
        folder = folder.resolve()
        if folder not in checked_catalogues:
            by_file: dict[str, Problems] = {}
            catalogue = catalogue_from_files(folder, by_file)
            validate_catalogue(catalogue, by_file)
            problems.extend(p for group in by_file.values() for p in group.items)
            checked_catalogues[folder] = catalogue
        return checked_catalogues[folder]

    for target in paths:
        if target.is_dir():
            catalogue = catalogue_of(target)
            files += sum(1 for name in CATALOGUE_FILES if (target / name).exists())
            dialogues = dialogue_paths(target)
        elif target.exists():
            if target.name in CATALOGUE_FILES:
                catalogue_of(target.parent)
                files += 1
                continue
            catalogue = catalogue_of(catalogue_dir_for(target))
            dialogues = [target]
        else:
            problems.append(DialogueError("no such file or folder", path=str(target)))
            continue
        for path in dialogues:
            files += 1
            try:
                load_dialogue(path, catalogue, use_cache=False)
            except CheckFailed as err:
                problems.extend(err.problems)
            except CoachError as err:
                problems.append(err)
    return problems, files


def load_catalogue_for(dialogue: Dialogue) -> Catalogue | None:
    """What a conversation with ``dialogue`` reads of the catalogue beside it (None when
    the catalogue has problems: check reports them).

    That is its shared probes and its models (see ``Catalogue.for_sessions``), kept in a
    cache entry of their own: a session holds them from its first answer to its summary,
    and the kernvragen, examples and the rest would more than double that memory.
    """
    from coach.engine import cache
    from coach.engine.catalogue import Catalogue

    folder = catalogue_dir_for(Path(dialogue.path))
    key = cache.catalogue_key(catalogue_digest(folder), part="sessions")
    cached = cache.load_entry(key, Catalogue)
    if cached is not None:
        return cached
    try:
        part = load_catalogue(folder).for_sessions()
    except CheckFailed:
        return None
    cache.store(key, part)
    return part
