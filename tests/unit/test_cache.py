"""The cache of validated dialogues and catalogues: same result, found again, never trusted blindly."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from coach.engine import cache, library
from coach.engine.files import catalogue_digest
from coach.engine.library import load_catalogue, load_dialogue


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the test dialogues and catalogue, with a cache of its own."""
    monkeypatch.setenv("COACH_CACHE", str(tmp_path / "cache"))
    copy = tmp_path / "dialogues"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("broken", "hostile", "answers", "quickscan-partners"))
    return copy


def refuse_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(library, "_validated_catalogue", refuse)


def test_a_cached_catalogue_is_the_validated_one(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validated = load_catalogue(folder)
    refuse_validation(monkeypatch)
    cached = load_catalogue(folder)
    assert cached == validated and cached is not validated
    assert cached.models_by_id.keys() == validated.models_by_id.keys()


def test_the_shipped_catalogue_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_CACHE", str(tmp_path / "cache"))
    validated = load_catalogue(ROOT / "dialogues")
    assert load_catalogue(ROOT / "dialogues") == validated
    assert validated.tensions and validated.examples and validated.probes, "every part of the catalogue is kept"
    whole, part = (len(json.dumps(cache._plain(c))) for c in (validated, validated.for_sessions()))
    assert part < whole / 2, "a session holds less than half of the shipped catalogue"


def test_a_session_gets_the_probes_and_models_of_the_catalogue_from_an_entry_of_their_own(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a conversation reads (its probes, its summary's models) and nothing it never reads."""
    whole = load_catalogue(folder)
    dialogue = load_dialogue(folder / "example.yaml", whole)
    part = library.load_catalogue_for(dialogue)
    assert part is not None and part.models == whole.models and part.probes == whole.probes and part.probes
    assert part.digest == whole.digest
    assert not (part.kernvragen or part.examples or part.left_out or part.perspectives or part.tensions)
    assert whole.kernvragen and whole.perspectives, "the whole catalogue keeps them (home screen, vindplaats)"
    entry = cache.cache_dir() / f"{cache.catalogue_key(whole.digest, part='sessions')}.json"  # type: ignore[operator]
    assert entry.exists()
    refuse_validation(monkeypatch)
    monkeypatch.setattr(library, "load_catalogue", lambda *a: (_ for _ in ()).throw(AssertionError("whole read")))
    assert library.load_catalogue_for(dialogue) == part, "found again without reading the whole catalogue"


def test_a_session_gets_no_catalogue_when_the_catalogue_has_problems(folder: Path) -> None:
    dialogue = load_dialogue(folder / "example.yaml", load_catalogue(folder))
    models = folder / "models.yaml"
    models.write_text(models.read_text(encoding="utf-8") + "\n  - id: [kapot\n", encoding="utf-8")
    assert library.load_catalogue_for(dialogue) is None


def test_a_changed_catalogue_file_is_validated_again(folder: Path) -> None:
    before = load_catalogue(folder)
    models = folder / "models.yaml"
    models.write_text(models.read_text(encoding="utf-8").replace("title: Maatschappelijke zeshoek",
                                                                "title: Nieuwe zeshoek"), encoding="utf-8")
    after = load_catalogue(folder)
    assert after.digest == catalogue_digest(folder) != before.digest
    assert after.models[0].title == "Nieuwe zeshoek"


def test_a_damaged_entry_is_ignored_and_rebuilt(folder: Path) -> None:
    validated = load_catalogue(folder)
    entry = cache.cache_dir() / f"{cache.catalogue_key(catalogue_digest(folder))}.json"  # type: ignore[operator]
    for damage in ("{not json", '{"perspectives": 3}', "[]", "{}", '{"perspectives": []}',
                   '{"$": "Catalogue"}', '{"$": "Path", "args": []}', '{"$": ["Catalogue"]}', '{"$": 7}'):
        entry.write_text(damage, encoding="utf-8")
        assert load_catalogue(folder) == validated


def test_a_cached_dialogue_is_the_validated_one(folder: Path) -> None:
    catalogue = load_catalogue(folder)
    validated = load_dialogue(folder / "example.yaml", catalogue, use_cache=False)
    load_dialogue(folder / "example.yaml", catalogue)  # stores it
    assert load_dialogue(folder / "example.yaml", catalogue) == validated


def test_old_entries_and_crash_leftovers_go_when_a_new_entry_is_stored(folder: Path) -> None:
    """Every edit of a dialogue makes a new entry; a month-old one is removed, today's stay."""
    load_catalogue(folder)
    cache_folder = cache.cache_dir()
    assert cache_folder is not None
    month_ago = time.time() - (cache.KEEP_DAYS + 1) * 86400
    stale = cache_folder / ("0" * 64 + ".json")
    stale.write_text("{}", encoding="utf-8")
    leftover = cache_folder / ".abc.123.tmp"
    leftover.write_text("{", encoding="utf-8")
    foreign = cache_folder / "LEESMIJ.txt"
    foreign.write_text("niet van ons", encoding="utf-8")
    for path in (stale, leftover, foreign):
        os.utime(path, (month_ago, month_ago))
    fresh = sorted(p.name for p in cache_folder.glob("*.json") if p != stale)
    load_dialogue(folder / "example.yaml", load_catalogue(folder))  # a miss: stores, then prunes
    assert not stale.exists() and not leftover.exists() and foreign.exists()
    assert set(fresh) <= {p.name for p in cache_folder.glob("*.json")}, "today's entries stay"


def test_a_failed_store_leaves_no_temp_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(self: Path, *args: object, **kwargs: object) -> None:
        Path.write_bytes(self, b'{"$": "Cat')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full_disk)
    load_catalogue(folder)
    cache_folder = cache.cache_dir()
    assert cache_folder is not None and not list(cache_folder.glob(".*.tmp"))
