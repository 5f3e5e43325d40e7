"""Every hostile input of tests/data/hostile/INDEX.yaml through its loader: it does what the index says.

In-process loaders (dialogues, transcripts) must answer within a second and 50 MB of
Python memory (tracemalloc); subprocess loaders (`coach run`, plain mode, `coach
sessions`) must answer without a traceback. Nothing a file holds may ever run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DATA, EXAMPLE, ROOT, coach_env

from coach.engine.library import load_catalogue, load_dialogue
from coach.errors import CoachError
from coach.session import transcript
from coach.session.session import Session

HOSTILE = DATA / "hostile"
INDEX: list[dict[str, Any]] = yaml.safe_load((HOSTILE / "INDEX.yaml").read_text(encoding="utf-8"))
MARKER = Path("/tmp/netwerkcoach-hostile-ran")
"""Only a constructed Python object would make this file (see make_files.py)."""
SECONDS = 1.0
PEAK_BYTES = 50_000_000


def generate(entry: dict[str, Any], folder: Path) -> Path:
    """Make a generated input in ``folder``; returns its path."""
    name = entry["file"]
    path = folder / name
    if name in ("dialogue-huge.yaml", "transcript-huge.yaml"):
        with path.open("wb") as handle:
            handle.truncate(6_000_000 if name.startswith("dialogue") else 60_000_000)  # sparse: no disk used
    elif name.startswith("dialogue-\x1b"):
        if sys.platform == "win32":
            pytest.skip("Windows file names cannot hold control characters")
        for catalogue in ("kernvragen.yaml", "models.yaml", "probes.yaml"):
            shutil.copy(DATA / catalogue, folder / catalogue)
        # A comment makes the bytes differ from example.yaml: the dialogue cache is keyed by bytes, not
        # by name, and a cached copy would skip the check that the id matches the file name.
        path.write_text(EXAMPLE.read_text(encoding="utf-8") + "# copy under a hostile name\n", encoding="utf-8")
    elif name == "answers-100k-items.json":
        path.write_text(json.dumps({"opgaven": [f"opgave {i}" for i in range(100_000)]}), encoding="utf-8")
    elif name == "answers-10mb-text.json":
        path.write_text(json.dumps({"opgaven": ["A"], "positie": {"A": "afhoudend"}, "energie": 1,
                                    "waarom_weinig": "x" * 10_000_000}), encoding="utf-8")
    elif name == "plain-10mb-answer.txt":
        path.write_text("x" * 10_000_000 + "\n\nKort\n\n", encoding="utf-8")
    elif name == "plain-100k-items.txt":
        path.write_text("\n".join(f"opgave {i}" for i in range(100_000)) + "\n\nEen\nTwee\n\n", encoding="utf-8")
    else:
        raise AssertionError(f"no generator for {name!r}")
    return path


def entry_id(entry: dict[str, Any]) -> str:
    return entry["file"].encode("ascii", "backslashreplace").decode()


def cases() -> list[Any]:
    found = []
    for entry in INDEX:
        marks = [pytest.mark.xfail(strict=True, reason=entry["bug"])] if "bug" in entry else []
        found.append(pytest.param(entry, id=entry_id(entry), marks=marks))
    return found


@pytest.fixture(scope="module")
def example_and_catalogue():  # type: ignore[no-untyped-def]
    catalogue = load_catalogue(DATA)
    return load_dialogue(EXAMPLE, catalogue), catalogue


def measured(action: Any) -> tuple[Any, BaseException | None, float, int]:
    """Run ``action``: its result or CoachError, the seconds and the peak of Python memory."""
    tracemalloc.start()
    started = time.perf_counter()
    result, error = None, None
    try:
        result = action()
    except CoachError as err:
        error = err
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, error, seconds, peak


def coach(home: Path, args: list[str], stdin: bytes = b"", **env: str) -> tuple[int, str, str]:
    """A `coach` subprocess on real pipes; output decoded leniently (it is under test)."""
    result = subprocess.run([sys.executable, "-m", "coach", *args], input=stdin, capture_output=True,
                            env=coach_env(home, COACH_DIALOGUES=str(DATA), **env), cwd=ROOT, timeout=120)
    return (result.returncode, result.stdout.decode("utf-8", "backslashreplace"),
            result.stderr.decode("utf-8", "backslashreplace"))


def check_words(entry: dict[str, Any], seen: str) -> None:
    for words in entry.get("words", []):
        assert words in seen, f"{entry_id(entry)}: {words!r} not in {seen[-600:]!r}"
    for words in entry.get("absent", []):
        assert words not in seen, f"{entry_id(entry)}: {words!r} must not be shown"


@pytest.mark.parametrize("entry", cases())
def test_hostile_input(entry: dict[str, Any], home: Path, tmp_path: Path, example_and_catalogue: Any) -> None:
    MARKER.unlink(missing_ok=True)
    path = generate(entry, tmp_path) if "generated" in entry else HOSTILE / entry["file"]
    loader, expect = entry["loader"], entry["expect"]

    if loader in ("dialogue", "transcript"):
        dialogue, catalogue = example_and_catalogue
        if loader == "dialogue":
            def action() -> Any:
                return load_dialogue(path, catalogue, use_cache=False)
        else:
            def action() -> Any:
                return Session.resume(transcript.load(path), dialogue, catalogue, path=None)
        result, error, seconds, peak = measured(action)
        assert seconds < SECONDS, f"{entry_id(entry)} took {seconds:.2f} s"
        assert peak < PEAK_BYTES, f"{entry_id(entry)} took {peak / 1e6:.0f} MB"
        if expect == "error":
            assert error is not None, f"{entry_id(entry)}: expected a refusal, got {result!r}"
            check_words(entry, str(error))
            assert "\n" not in str(error), "one line"
        else:
            assert error is None, f"{entry_id(entry)}: {error}"

    elif loader == "answers":
        code, out, err = coach(home, ["run", str(EXAMPLE), "--answers", str(path)])
        assert "Traceback" not in err, err[-2000:]
        if expect == "error":
            assert code == entry.get("exit", 1), err
            check_words(entry, err)
        else:
            assert code == 0, err
            check_words(entry, out + err)

    elif loader == "plain":
        code, out, err = coach(home, ["start", "example"], path.read_bytes(), **entry.get("env", {}))
        assert code == 0 and "Traceback" not in err, err[-2000:]
        check_words(entry, out + err)
        (saved,) = (home / "sessions").glob("*.yaml")
        document = transcript.load(saved)  # loadable after whatever was typed
        if "invalid-utf8" in entry["file"] or "nul-byte" in entry["file"]:
            assert any("vervangen" in e.get("replaced", "") for e in document["events"]), "the answer event says so"

    elif loader == "plain-theme":
        code, out, err = coach(home, ["start", str(path)], b"Zorg\n\n")
        assert "Traceback" not in err, err[-2000:]
        assert code == (1 if expect == "error" else 0), err
        check_words(entry, out + err)

    elif loader == "sessions":
        folder = home / "sessions"
        folder.mkdir(parents=True)
        shutil.copy(path, folder / entry["file"])
        seen = ""
        for args in (["sessions"], ["sessions", "--json"], ["resume", entry["file"][: -len(".yaml")]]):
            code, out, err = coach(home, args)
            assert "Traceback" not in err, err[-2000:]
            seen += out + err
        check_words(entry, seen)

    else:
        raise AssertionError(f"unknown loader {loader!r}")
    assert not MARKER.exists(), "a hostile file made the process run code"


def test_every_file_in_the_folder_is_in_the_index() -> None:
    listed = {entry["file"] for entry in INDEX}
    present = {p.name for p in HOSTILE.iterdir() if p.name not in ("INDEX.yaml", "make_files.py")}
    assert present <= listed, f"not in INDEX.yaml: {sorted(present - listed)}"
    assert {e["file"] for e in INDEX if "generated" not in e} <= present, "every stored entry exists"


def test_index_entries_say_what_must_happen() -> None:
    for entry in INDEX:
        assert entry["expect"] in ("error", "handled") and entry.get("why"), entry_id(entry)
        if entry["expect"] == "error":
            assert entry.get("words"), f"{entry_id(entry)}: an error names its words"


def test_make_files_reproduces_the_stored_files(tmp_path: Path) -> None:
    """The stored files are what make_files.py writes (so a reviewer can trust the index)."""
    copy = tmp_path / "tests" / "data" / "hostile"
    copy.mkdir(parents=True)
    shutil.copy(HOSTILE / "make_files.py", copy / "make_files.py")
    for name in ("example.yaml", "kernvragen.yaml", "models.yaml", "probes.yaml"):
        shutil.copy(DATA / name, copy.parent / name)
    env = coach_env(tmp_path / "home")
    env["PYTHONPATH"] = str(ROOT)
    subprocess.run([sys.executable, str(copy / "make_files.py")], check=True, cwd=tmp_path, env=env, timeout=120)
    made = {p.name: p.read_bytes() for p in copy.iterdir() if p.name != "make_files.py"}
    stored = {p.name: p.read_bytes() for p in HOSTILE.iterdir() if p.name not in ("INDEX.yaml", "make_files.py")}
    assert made.keys() == stored.keys()
    differ = [name for name in made if made[name] != stored[name]]
    assert differ == [], (f"make_files.py writes these differently: {differ}; after a deliberate change (of "
                          "tests/data/example.yaml, say) run `python tests/data/hostile/make_files.py` and check INDEX.yaml")


def test_marker_is_outside_the_repository() -> None:
    assert not str(MARKER).startswith(str(ROOT)) and os.path.isabs(MARKER)
