"""The four themes: insights fire on the answers meant for them, every kernvraag of the
sources is catalogued (or left out with a reason), and every listed kernvraag is asked."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from coach.engine.library import dialogue_paths, load_catalogue, load_dialogue
from coach.session.headless import run_headless
from conftest import DATA, DIALOGUES, ROOT

ANSWERS = sorted((DATA / "answers").glob("*.yaml"))
THEMES = [p.stem for p in dialogue_paths(DIALOGUES)]
SEEDS = Path(os.environ.get("COACH_SEEDS", ROOT.parent / "shared" / "seeds"))


def expectations(path: Path) -> tuple[set[str], set[str]]:
    """The `# expects: a, b; not: c, d` line of an answers file."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.match(r"#\s*expects:\s*(.*?)\s*;\s*not:\s*(.*)$", first)
    assert match, f"{path.name} starts with '# expects: …; not: …'"

    def ids(text: str) -> set[str]:
        return {part.strip() for part in text.split(",") if part.strip() and part.strip() != "-"}

    return ids(match.group(1)), ids(match.group(2))


def theme_of(path: Path) -> str:
    return next(t for t in sorted(THEMES, key=len, reverse=True) if path.stem.startswith(t + "-"))


@pytest.fixture(scope="module")
def catalogue():  # type: ignore[no-untyped-def]
    return load_catalogue(DIALOGUES)


@pytest.mark.parametrize("path", ANSWERS, ids=[p.stem for p in ANSWERS])
def test_insights_fire_on_their_answers_and_not_on_others(path: Path, catalogue) -> None:  # type: ignore[no-untyped-def]
    expected, unexpected = expectations(path)
    dialogue = load_dialogue(DIALOGUES / f"{theme_of(path)}.yaml", catalogue)
    given = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))  # noqa: S506
    session = run_headless(dialogue, catalogue, given, str(path), probes=False)
    assert session.summary is not None
    fired = {i["id"] for i in session.summary["insights"]}
    assert expected <= fired, f"expected {expected - fired} to fire"
    assert not (unexpected & fired), f"{unexpected & fired} fired but should not"
    for insight in session.summary["insights"]:
        assert insight["rests_on"], f"{insight['id']} names the answers it rests on"
        assert "{{" not in insight["text"] and insight["text"].rstrip().endswith("?"), "an observation and a question"
        doubled = re.search(r"[.!?][\"']\.|\.\.(?!\.)", insight["text"])
        assert not doubled, f"{insight['id']}: a quoted answer's own full stop and the sentence's: {doubled.group()!r}"
    assert session.summary["models"], "models to read next"
    for model in session.summary["models"]:
        assert model["why"] and all(w["text"] for w in model["why"])


@pytest.mark.parametrize("theme", THEMES)
def test_every_insight_has_a_triggering_and_a_calm_answers_file(theme: str, catalogue) -> None:  # type: ignore[no-untyped-def]
    dialogue = load_dialogue(DIALOGUES / f"{theme}.yaml", catalogue)
    triggered: set[str] = set()
    refused: set[str] = set()
    for path in ANSWERS:
        if theme_of(path) == theme:
            expected, unexpected = expectations(path)
            triggered |= expected
            refused |= unexpected
    ids = {i.id for i in dialogue.insights}
    assert ids <= triggered, f"no answers file triggers {ids - triggered}"
    assert ids <= refused, f"no answers file shows {ids - refused} staying quiet"


@pytest.mark.parametrize("theme", THEMES)
def test_every_listed_kernvraag_is_asked(theme: str, catalogue) -> None:  # type: ignore[no-untyped-def]
    dialogue = load_dialogue(DIALOGUES / f"{theme}.yaml", catalogue)
    asked = {k for node in dialogue.nodes for k in node.kernvragen}
    assert dialogue.kernvragen, "a theme names the kernvragen it works on"
    assert set(dialogue.kernvragen) <= asked, f"listed but asked by no question: {set(dialogue.kernvragen) - asked}"


def _normal(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.sub(r"[•\"']", " ", text).split()).casefold()


def question_sentences(lines: list[str]) -> list[str]:
    """Every sentence ending in '?' in a stretch of extracted text (blank lines end sentences)."""
    text = " ¶ ".join(line.strip() for line in lines)
    pieces = re.split(r"(?<=[.!?¶•:])\s+", text)
    found = []
    for piece in pieces:
        piece = piece.replace("¶", " ").strip()
        if piece.endswith("?") and "http" not in piece and "www." not in piece and len(piece) > 3:
            found.append(piece)
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_kernvragen_catalogue_is_complete_for_the_theme_sources(theme: str, catalogue) -> None:  # type: ignore[no-untyped-def]
    if not SEEDS.is_dir():
        pytest.skip(f"the source documents are not at {SEEDS} (set COACH_SEEDS)")
    dialogue = load_dialogue(DIALOGUES / f"{theme}.yaml", catalogue)
    known = [_normal(k.text) for k in catalogue.kernvragen] + [_normal(o.text) for o in catalogue.left_out]
    missing = []
    for source in dialogue.sources:
        if not source.file or not source.lines:
            continue
        first, _, last = str(source.lines).partition("-")
        lines = (SEEDS / source.file).read_text(encoding="utf-8").splitlines()[int(first) - 1:int(last or first)]
        for sentence in question_sentences(lines):
            text = _normal(sentence)
            if not any(k in text or text in k for k in known if len(k) > 8):
                missing.append(f"{source.file}:{first}-{last}: {sentence}")
    assert not missing, "question sentences neither catalogued nor left out:\n" + "\n".join(missing)


def test_catalogued_words_stand_in_the_source(catalogue) -> None:  # type: ignore[no-untyped-def]
    if not SEEDS.is_dir():
        pytest.skip(f"the source documents are not at {SEEDS} (set COACH_SEEDS)")
    for kernvraag in catalogue.kernvragen:
        if not kernvraag.source.file:
            continue
        lines = (SEEDS / kernvraag.source.file).read_text(encoding="utf-8").splitlines()
        around = _normal(" ".join(lines[kernvraag.source.line - 1:kernvraag.source.line + 12]))
        assert _normal(kernvraag.text) in around, f"{kernvraag.id}: not at {kernvraag.source.file}:{kernvraag.source.line}"
