"""`coach report` over 1,000 transcripts into one HTML file: time and memory budgets.

From product.md: at most the time PyYAML's C loader needs to read the same files twice
(aim for 0.6×); 250 → 1,000 transcripts at most 5× the time; memory flat as the count
grows, under 60 MB peak for 1,000. Measured as ratios in one run on one machine,
because absolute times on shared machines vary from run to run. The report runs as a
user runs it: a fresh `coach` process, reading `cat *.yaml` from standard input (and,
once more, the files named on the command line).

Run: `pytest tests/benchmarks/test_report_speed.py -s` (about a minute: it first writes
the 1,000 transcripts, shaped like real ones: every theme and answers file in
tests/data/answers, each with a name, an organisation and a group).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = ROOT / "tests" / "data" / "answers"
BUDGET = 1.0
AIM = 0.6
MAX_GROWTH = 5.0
PEAK_MB = 60.0
FLAT_MB = 8.0
ROUNDS = 3
# The report in a fresh process, printing its peak resident memory: VmHWM where Linux has
# it (ru_maxrss would count the forking parent's pages from before exec), else ru_maxrss.
CHILD = """\
import resource, sys
from coach.cli import main
code = main(sys.argv[1:])
try:
    peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
except OSError:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = rss / 1048576 if sys.platform == "darwin" else rss / 1024
print(peak, file=sys.stderr)
raise SystemExit(code)
"""
# PyYAML's C loader reading the files named in argv[1] twice, in a fresh process too.
LOADER = """\
import sys, time, yaml
files = open(sys.argv[1]).read().split("\\n")
start = time.perf_counter()
for _ in range(2):
    for path in files:
        with open(path, "rb") as handle:
            yaml.load(handle.read(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
print(time.perf_counter() - start)
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000 transcripts of the four themes (folder), and all of them concatenated (all.yaml)."""
    os.environ.setdefault("COACH_NOW", "2026-11-23T20:15:00+00:00")
    from coach.engine.library import load_catalogue_for, load_theme
    from coach.session import transcript
    from coach.session.headless import run_headless

    folder = tmp_path_factory.mktemp("reports") / "sessions"
    folder.mkdir()
    sessions = []
    for path in sorted(ANSWERS.glob("*.yaml")):
        theme = path.stem.rsplit("-", 1)[0]
        dialogue = load_theme(theme)
        given = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
        sessions.append(run_headless(dialogue, load_catalogue_for(dialogue), given, str(path)))
    with open(folder.parent / "all.yaml", "w", encoding="utf-8") as everything:
        for number in range(1000):
            session = sessions[number % len(sessions)]
            session.session_id = f"20261123-201500-{session.dialogue.id}-{number:04d}"
            session.participant.update(name=f"Bestuurder {number}", organisation=f"Organisatie {number % 37}")
            session.group = "bestuur"
            text = transcript.dump_yaml(transcript.seal(session.to_document()))
            (folder / f"{number:04d}.yaml").write_text(text, encoding="utf-8")
            everything.write(text)
    return folder


def c_loader_twice(files: list[Path], listing: Path) -> float:
    """Seconds for PyYAML's C loader to read every file, twice over (best of ROUNDS)."""
    listing.write_text("\n".join(str(p) for p in files), encoding="utf-8")
    best = float("inf")
    for _ in range(ROUNDS):
        result = subprocess.run([sys.executable, "-c", LOADER, str(listing)], capture_output=True, text=True, check=True,
                                timeout=600)
        best = min(best, float(result.stdout))
    return best


def run_report(files: list[Path], stream: Path | None, output: Path) -> tuple[float, float]:
    """Seconds and peak MB of a fresh `coach report --format html` (best of ROUNDS)."""
    args = [sys.executable, "-c", CHILD, "report", "--format", "html", "-o", str(output)]
    if stream is None:
        args += [str(p) for p in files]
    env = {**os.environ, "COACH_HOME": str(output.parent / "home")}
    best, peak = float("inf"), 0.0
    for _ in range(ROUNDS):
        with open(stream, "rb") if stream else open(os.devnull, "rb") as stdin:
            start = time.perf_counter()
            result = subprocess.run(args, stdin=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
            elapsed = time.perf_counter() - start
        assert result.returncode == 0, result.stderr
        best, peak = min(best, elapsed), max(peak, float(result.stderr.strip().splitlines()[-1]))
    return best, peak


def test_thousand_transcripts_within_budget_linear_and_flat(corpus: Path, tmp_path: Path) -> None:
    files = sorted(corpus.glob("*.yaml"))
    assert len(files) == 1000
    quarter = tmp_path / "quarter.yaml"
    quarter.write_text("".join(p.read_text(encoding="utf-8") for p in files[:250]), encoding="utf-8")
    size_mb = sum(p.stat().st_size for p in files) / 1e6

    reference = c_loader_twice(files, tmp_path / "files.txt")
    piped, piped_peak = run_report(files, corpus.parent / "all.yaml", tmp_path / "board.html")
    named, named_peak = run_report(files, None, tmp_path / "board-named.html")
    small, small_peak = run_report(files[:250], quarter, tmp_path / "quarter.html")
    html_mb = (tmp_path / "board.html").stat().st_size / 1e6

    print(f"\n1,000 transcripts, {size_mb:.1f} MB of YAML -> {html_mb:.1f} MB of HTML")
    print(f"C loader, reading them twice:   {reference:6.2f} s")
    print(f"report, cat *.yaml | coach:     {piped:6.2f} s  ratio {piped / reference:.2f} (budget {BUDGET}, aim {AIM})"
          f"  peak {piped_peak:.1f} MB")
    print(f"report, files named:            {named:6.2f} s  ratio {named / reference:.2f}  peak {named_peak:.1f} MB")
    print(f"report, 250 transcripts:        {small:6.2f} s  1,000/250 = {piped / small:.2f}× (budget {MAX_GROWTH}×)"
          f"  peak {small_peak:.1f} MB")

    assert piped / reference <= BUDGET
    assert named / reference <= BUDGET
    assert piped / small <= MAX_GROWTH
    assert piped_peak < PEAK_MB and named_peak < PEAK_MB
    assert piped_peak - small_peak < FLAT_MB, "memory grows with the number of transcripts"
