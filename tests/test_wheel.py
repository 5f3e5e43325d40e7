"""A normal (not editable) install carries the dialogues and prompts: `coach` works anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_runs_from_another_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, text=True, timeout=300)
    wheel = next(dist.glob("netwerkcoach-*.whl"))
    venv = tmp_path / "venv"
    # Dependencies come from this interpreter's site-packages; the wheel itself is installed for real.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    venv_site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip()
    Path(venv_site, "deps.pth").write_text(site + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
                   check=True, capture_output=True, text=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_") and k != "PYTHONPATH"}
    env["COACH_HOME"] = str(tmp_path / "home")
    coach = venv / "bin" / "coach"
    located = subprocess.run([str(python), "-c", "import coach, sys; print(coach.__file__)"], cwd=elsewhere,
                             capture_output=True, text=True, env=env, check=True).stdout
    assert str(venv) in located, "the installed copy is used, not the checkout"
    check = subprocess.run([str(coach), "check"], cwd=elsewhere, capture_output=True, text=True, env=env, timeout=120)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("Alles in orde")
    listing = subprocess.run([str(coach), "list"], cwd=elsewhere, capture_output=True, text=True, env=env, timeout=120)
    assert listing.returncode == 0 and listing.stdout.strip(), listing.stderr
