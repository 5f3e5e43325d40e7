"""Deleting, forgetting and naming sessions safely, through real subprocesses.

`coach delete` removes only coach transcripts and the files that are theirs, checks
everything before the first file goes, and names every file it will remove; `coach
forget --all` skips what is open elsewhere or is no file; session references are literal;
a damaged transcript's hint names a reference that works.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT, coach_env, run_coach


def coach(home: Path, *args: str, input: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = run_coach(home, *args, input=input, cwd=cwd, COACH_DIALOGUES=str(DATA))
    assert "Traceback" not in result.stderr, result.stderr
    return result


def start_session(home: Path) -> Path:
    """A new saved (unfinished) session of the example; returns its transcript."""
    folder = home / "sessions"
    before = set(folder.glob("*.yaml")) if folder.is_dir() else set()
    assert coach(home, "start", "example", input="Dementiezorg\n\n").returncode == 0
    (path,) = set(folder.glob("*.yaml")) - before
    return path


def truncate(path: Path, keep: float = 0.8) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# ------------------------------------------------------------------ 1. only transcripts


def test_delete_refuses_a_file_that_is_no_transcript(home: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.yaml").write_text("titel: plan\n")
    (docs / "plan.md").write_text("# mijn plan\n")
    (docs / "plan.html").write_text("<p>plan</p>\n")
    for extra in ([], ["--yes"]):
        result = coach(home, "delete", "docs/plan.yaml", *extra, input="ja\n", cwd=tmp_path)
        assert result.returncode == 1
        assert "docs/plan.yaml" in result.stderr and "geen transcript" in result.stderr
        assert "niets verwijderd" in result.stderr.lower()
        assert names(docs) == {"plan.yaml", "plan.md", "plan.html"}, "nothing deleted"
    (docs / "notes.json").write_text('{"schema": 1, "titel": "plan"}\n')
    assert coach(home, "delete", "docs/notes.json", "--yes", cwd=tmp_path).returncode == 1
    assert (docs / "notes.json").exists()


def test_delete_outside_takes_only_the_files_that_name_the_session(home: Path, tmp_path: Path) -> None:
    saved = start_session(home)
    docs = tmp_path / "docs"
    docs.mkdir()
    copy = docs / "plan.yaml"
    copy.write_bytes(saved.read_bytes())
    (docs / "plan.md").write_text("# mijn eigen plan\n")  # shares the name, not the session's
    (docs / "plan.html").write_text(f"<dd>{saved.stem}</dd>\n")  # a report of the session
    (docs / "plan.schema0.bak").write_text("iets anders\n")

    refused = coach(home, "delete", "docs/plan.yaml", input="nee\n", cwd=tmp_path)
    assert refused.returncode == 1 and "Niets verwijderd" in refused.stderr
    prompt = refused.stderr
    assert "docs/plan.yaml" in prompt and "docs/plan.html" in prompt, "the prompt names every file it would delete"
    assert "plan.md" not in prompt and "plan.schema0.bak" not in prompt
    assert names(docs) == {"plan.yaml", "plan.md", "plan.html", "plan.schema0.bak"}, "no lock file left behind either"

    deleted = coach(home, "delete", "docs/plan.yaml", "--yes", cwd=tmp_path)
    assert deleted.returncode == 0, deleted.stderr
    assert "docs/plan.html" in deleted.stderr
    assert names(docs) == {"plan.md", "plan.schema0.bak"}
    assert saved.exists(), "the session in the sessions folder is another file"


def test_delete_in_the_sessions_folder_names_the_companions_and_takes_them(home: Path) -> None:
    saved = start_session(home)
    folder = saved.parent
    report = saved.with_suffix(".md")
    report.write_text("export")
    backup = folder / f"{saved.stem}.schema0.bak"
    backup.write_text("old")
    other = start_session(home)
    refused = coach(home, "delete", saved.stem, input="nee\n")
    assert refused.returncode == 1
    assert str(report) in refused.stderr and str(backup) in refused.stderr
    assert coach(home, "delete", saved.stem, "--yes").returncode == 0
    assert names(folder) == {other.name, f".{other.name}.lock"}


def test_damaged_transcripts_stay_deletable(home: Path, tmp_path: Path) -> None:
    truncated = start_session(home)
    truncate(truncated)
    junk = home / "sessions" / "rommel.yaml"
    junk.write_text("[niet, eens, een, mapping\n")
    listed = coach(home, "sessions").stdout
    assert f"{truncated.stem}  ONLEESBAAR" in listed and "rommel  ONLEESBAAR" in listed
    for path in (truncated, junk):
        result = coach(home, "delete", path.stem, "--yes")
        assert result.returncode == 0, result.stderr
        assert not path.exists()
    outside = tmp_path / "kapot.yaml"
    outside.write_bytes(start_session(home).read_bytes())
    truncate(outside, 0.6)
    result = coach(home, "delete", str(outside), "--yes")
    assert result.returncode == 0, result.stderr
    assert not outside.exists()


# ------------------------------------------------------------------ 2. literal references


@pytest.mark.parametrize("reference", ["*", "2*", "?0261123*", "[2]*", "**"])
@pytest.mark.parametrize("command", [["export"], ["resume"], ["delete", "--yes"], ["report", "--session"]])
def test_session_references_are_no_patterns(home: Path, command: list[str], reference: str) -> None:
    saved = start_session(home)
    args = [*command, reference] if command[0] == "report" else [command[0], reference, *command[1:]]
    result = coach(home, *args)
    assert result.returncode == 2
    assert f"geen sessie '{reference}' gevonden" in result.stderr
    assert saved.exists()


def test_prefix_must_be_unique_and_an_exact_id_wins(home: Path) -> None:
    first = start_session(home)
    second = first.with_name(f"{first.stem}-kopie.yaml")
    second.write_bytes(first.read_bytes())
    prefix = first.stem[:10]
    ambiguous = coach(home, "delete", prefix, "--yes")
    assert ambiguous.returncode == 2
    assert first.stem in ambiguous.stderr and second.stem in ambiguous.stderr
    assert first.exists() and second.exists()
    exported = coach(home, "export", first.stem)
    assert exported.returncode == 0 and f"session: {first.stem}" in exported.stdout
    empty = coach(home, "delete", "", "--yes")
    assert empty.returncode == 2 and "geen sessie genoemd" in empty.stderr
    assert first.exists() and second.exists(), "an empty reference is not 'the latest'"


# ------------------------------------------------------------------ 3. check before deleting


def test_delete_of_a_folder_deletes_nothing(home: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "x.yaml").mkdir(parents=True)
    (docs / "x.md").write_text("keep\n")
    result = coach(home, "delete", "docs/x.yaml", "--yes", cwd=tmp_path)
    assert result.returncode == 1 and "docs/x.yaml" in result.stderr and "map" in result.stderr
    assert (docs / "x.md").read_text() == "keep\n"
    assert (docs / "x.yaml").is_dir()


# ------------------------------------------------------------------ 4. and 5. forget


def test_forget_skips_what_is_no_file_and_finishes(home: Path) -> None:
    sessions = [start_session(home) for _ in range(2)]
    folder = home / "sessions"
    (folder / "adir.yaml").mkdir()
    (folder / "rapport.md").mkdir()  # a folder among the leftovers it sweeps
    result = coach(home, "forget", "--all", input="VERGEET\n")
    assert result.returncode == 0, result.stderr
    assert "adir.yaml" in result.stderr and "2 sessies gewist" in result.stderr
    assert not any(p.exists() for p in sessions)
    assert names(folder) == {"adir.yaml", "rapport.md"}


@pytest.fixture
def held_elsewhere(home: Path):  # type: ignore[no-untyped-def]
    """A session whose lock another process holds (as `coach resume` in another window)."""
    path = start_session(home)
    code = ("import sys\nfrom pathlib import Path\nfrom coach.session.lock import SessionLock\n"
            "lock = SessionLock(Path(sys.argv[1])).acquire()\nprint('held', flush=True)\nsys.stdin.read()\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, env=coach_env(home), cwd=ROOT)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield path
    assert holder.stdin is not None
    holder.stdin.close()
    holder.wait(timeout=30)


def test_forget_skips_a_session_open_elsewhere(home: Path, held_elsewhere: Path) -> None:
    other = start_session(home)
    report = held_elsewhere.with_suffix(".html")
    report.write_text("rapport")
    refused = coach(home, "delete", held_elsewhere.stem, "--yes")
    assert refused.returncode == 1 and "geopend in een ander venster" in refused.stderr
    result = coach(home, "forget", "--all", input="VERGEET\n")
    assert result.returncode == 1, "not everything was forgotten"
    assert held_elsewhere.stem in result.stderr and "geopend in een ander venster" in result.stderr
    assert "1 sessie gewist" in result.stderr
    assert held_elsewhere.exists() and report.exists(), "the open session and its files stay"
    assert (held_elsewhere.parent / f".{held_elsewhere.name}.lock").exists(), "its lock stays too"
    assert not other.exists()


# ------------------------------------------------------------------ 6. the recovery hint


def test_recovery_hint_outside_the_sessions_folder_works(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    damaged = bad / "trunc.yaml"
    damaged.write_bytes(start_session(home).read_bytes())
    truncate(damaged)
    refused = coach(home, "resume", "bad/trunc.yaml", cwd=tmp_path)
    assert refused.returncode == 1 and "bad/trunc.yaml" in refused.stderr
    hint = refused.stderr.rsplit("als kopie: ", 1)[1].strip()
    assert hint == "coach resume bad/trunc.yaml --recover"
    recovered = coach(home, *shlex.split(hint)[1:], cwd=tmp_path)
    assert recovered.returncode == 0, recovered.stderr
    assert "nieuwe sessie" in recovered.stderr

    spaced = bad / "mijn sessie.yaml"
    spaced.write_bytes(damaged.read_bytes())
    refused = coach(home, "resume", str(spaced))
    hint = refused.stderr.rsplit("als kopie: ", 1)[1].strip()
    assert coach(home, *shlex.split(hint)[1:]).returncode == 0, hint
