"""Shared fixtures: an empty data directory per test, the example dialogue, a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EXAMPLE = DATA / "example.yaml"
DIALOGUES = ROOT / "dialogues"

# Validated-dialogue cache: one fresh folder per test run, never the user's own.
os.environ["COACH_CACHE"] = tempfile.mkdtemp(prefix="coach-cache-")

settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """COACH_HOME pointed at an empty folder; the clock fixed."""
    folder = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(folder))
    monkeypatch.setenv("COACH_NOW", "2026-11-23T20:15:00+00:00")
    return folder


@pytest.fixture
def example():  # type: ignore[no-untyped-def]
    """The example dialogue with its catalogue."""
    from coach.engine.library import load_catalogue, load_dialogue

    catalogue = load_catalogue(DATA)
    return load_dialogue(EXAMPLE, catalogue), catalogue


def coach_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for a `coach` subprocess: empty home, fixed clock, no tty."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({"COACH_HOME": str(home), "COACH_NOW": "2026-11-23T20:15:00+00:00", "HOME": str(home.parent)})
    env.update(extra)
    return env


def run_coach(home: Path, *args: str, input: str | None = None, cwd: Path | None = None,
              **extra: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m coach ARGS` in a subprocess, through real pipes."""
    return subprocess.run(
        [sys.executable, "-m", "coach", *args], input=input if input is not None else "",
        capture_output=True, text=True, env=coach_env(home, **extra), cwd=cwd or ROOT, timeout=120,
    )


@pytest.fixture
def ui_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """COACH_HOME empty and the example folder as the only dialogues (for UI tests)."""
    monkeypatch.setenv("COACH_DIALOGUES", str(DATA))
    return home


@pytest.fixture
def real_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """COACH_HOME empty and the shipped themes."""
    monkeypatch.delenv("COACH_DIALOGUES", raising=False)
    return home
