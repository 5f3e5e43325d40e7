"""`coach check` on broken dialogues: every rule names the file, the line and what is wrong.

Each file in tests/data/broken breaks one rule of the format (dialogues/README.md) and is
otherwise valid; it is checked against the catalogue one folder up (tests/data).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from coach.engine.library import check_paths, load_catalogue, load_dialogue
from coach.errors import CheckFailed, CoachError, DialogueError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
BROKEN = DATA / "broken"
EXAMPLE = DATA / "example.yaml"

HEADER = """\
format: 1
id: {id}
title: Kapot gesprek
version: "1.0"
intro: Een gesprek met een fout erin.
perspectives: [maatschappelijke-opgaven]
"""
"""The smallest valid top of a dialogue (6 lines); ``nodes:`` starts on line 7."""


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in messages are shown relative to the working folder: work from the repo.

    The dialogue cache is off, so every load validates and nothing is written outside.
    """
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COACH_CACHE", "off")


def problem_texts(path: Path) -> list[str]:
    problems, _ = check_paths([path])
    return [str(p) for p in problems]


def assert_reported(texts: list[str], prefix: str, words: list[str]) -> None:
    """Some problem starts with ``prefix`` (``file:line:``) and contains every word."""
    hits = [t for t in texts if t.startswith(prefix) and all(w in t for w in words)]
    assert hits, f"no problem starting {prefix!r} with {words}; found:\n" + "\n".join(texts)


# (file in tests/data/broken, line, words the message must contain)
CASES = [
    ("unknown_key.yaml", 11, ["node 'vraag'.colour", "unknown key", "expected one of", "min_words"]),
    ("wrong_type.yaml", 11, ["node 'energie'.min", "expected a whole number", "found a string ('drie')"]),
    ("missing_required_key.yaml", 8, ["node 'energie'.labels", "required key is missing"]),
    ("unknown_route_target.yaml", 13, ["node 'energie'.routes", "expected a node id", "slot", "found 'nergens'"]),
    ("unreachable_node.yaml", 12, ["node 'vergeten'", "unreachable from the first node", "'vraag'"]),
    ("no_way_to_end.yaml", 8, ["node 'vraag'", "has no way to the end"]),
    ("no_way_to_end.yaml", 12, ["node 'nog_een'", "has no way to the end"]),
    ("expression_does_not_compile.yaml", 13, ["node 'energie'.routes.when", "expression does not compile"]),
    ("expression_unknown_question.yaml", 13, ["node 'energie'.routes.when", "unknown question 'enrgie'"]),
    ("expression_unknown_name.yaml", 13, ["node 'energie'.routes.when", "unknown name 'average'"]),
    ("helper_unknown_question.yaml", 13, ["node 'energie'.routes.when", "unknown question 'nope'"]),
    ("template_does_not_parse.yaml", 13, ["node 'energie'.text", "template does not parse"]),
    ("template_unknown_variable.yaml", 10, ["node 'vraag'.text", "unknown name 'organisatie'"]),
    ("unknown_model.yaml", 18, ["insight 'lang'.models", "expected a model id from models.yaml", "found 'onbekend_model'"]),
    ("unknown_kernvraag.yaml", 8, ["node 'vraag'.kernvragen", "expected a kernvraag id", "found 'bestaat-niet'"]),
    ("duplicate_node_id.yaml", 11, ["node 'vraag'", "duplicate id", "first on line 8"]),
    ("duplicate_yaml_key.yaml", 11, ["duplicate key 'text'", "first on line 10"]),
    ("loop_over_non_list.yaml", 11, ["node 'per_opgave'.over", "expected a question of type list", "found 'opgave' of type text"]),
    ("nested_loop.yaml", 16, ["node 'nog_eens'.type", "loops cannot nest", "'per_opgave'"]),
    ("next_item_outside_loop.yaml", 8, ["node 'vraag'.next", "'next_item'", "only possible inside a loop"]),
    ("wrong_format.yaml", 1, ["format", "expected format: 1", "found a number (2)"]),
    ("id_not_file_name.yaml", 2, ["id", "expected 'id_not_file_name' (the file name)", "found 'een_ander_gesprek'"]),
    ("invalid_yaml.yaml", 10, ["mapping values are not allowed"]),
    ("python_tag.yaml", 10, ["could not determine a constructor", "python/object/apply:os.system"]),
    ("billion_laughs.yaml", 12, ["more than 100 aliases", "refused"]),
    ("bad_probe_pattern.yaml", 12, ["probe 'vertrouwen'.match", "'vertrouw(en|d)'", "is not a word or phrase"]),
    ("probes_on_non_text.yaml", 8, ["node 'energie'.probes", "expected a text question", "found type scale"]),
    ("duplicate_option_value.yaml", 8, ["node 'positie'.options", "duplicate value 'actief'"]),
    ("summary_unknown_question.yaml", 13, ["summary.sections (list 'Wat je schreef').questions", "expected a question id", "found 'stap'"]),
    ("route_into_loop.yaml", 12, ["node 'opgaven'.routes", "'positie' is inside loop 'per_opgave'"]),
    ("exclude_unknown_probe.yaml", 16, ["node 'vraag'.exclude_probes", "expected the id of a probe", "found 'bestaat_niet'"]),
]


XFAIL: dict[str, str] = {}
"""Cases that show a bug in the engine (see the report), expected to fail until it is fixed."""

PARAMS = [
    pytest.param(*case, id=f"{case[0]}:{case[1]}",
                 marks=[pytest.mark.xfail(reason=XFAIL[case[0]], strict=True)] if case[0] in XFAIL else [])
    for case in CASES
]


@pytest.mark.parametrize(("name", "line", "words"), PARAMS)
def test_broken_file_names_file_line_and_problem(name: str, line: int, words: list[str]) -> None:
    texts = problem_texts(BROKEN / name)
    assert texts, f"{name}: no problem found"
    assert_reported(texts, f"tests/data/broken/{name}:{line}: ", words)


def _case_names() -> set[str]:
    return {case[0] for case in CASES}


def test_every_broken_file_has_a_case() -> None:
    on_disk = {p.name for p in BROKEN.glob("*.yaml")}
    assert on_disk == _case_names()


@pytest.mark.parametrize("name", sorted(_case_names()))
def test_every_problem_of_a_broken_file_names_the_file(name: str) -> None:
    texts = problem_texts(BROKEN / name)
    assert texts
    for text in texts:
        assert text.startswith(f"tests/data/broken/{name}")


def test_broken_file_outside_the_working_folder_is_shown_with_its_full_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    texts = problem_texts(BROKEN / "wrong_type.yaml")
    assert_reported(texts, f"{BROKEN / 'wrong_type.yaml'}:11: ", ["expected a whole number"])


def test_alias_bomb_is_refused_quickly() -> None:
    started = time.monotonic()
    texts = problem_texts(BROKEN / "billion_laughs.yaml")
    assert time.monotonic() - started < 5
    assert_reported(texts, "tests/data/broken/billion_laughs.yaml", ["more than 100 aliases", "refused"])


def test_alias_bomb_of_81_references_is_quick(tmp_path: Path) -> None:
    """Nine levels of nine aliases: refused or read without expanding, but quick either way."""
    levels = ["  - title: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        levels.append(f"  - title: &l{level} [{refs}]")
    text = HEADER.format(id="bom") + "nodes:\n  - {id: vraag, type: text, text: Wat?}\nsources:\n" + "\n".join(levels) + "\n"
    path = tmp_path / "bom.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    texts = problem_texts(path)
    assert time.monotonic() - started < 5
    assert texts
    assert all(t.startswith(str(path)) for t in texts)


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    path = _with_catalogue(tmp_path, "anker", """\
nodes:
  - id: positie
    type: choice
    text: Welke positie nu?
    options: &posities
      - {value: proactief, label: Proactief}
      - {value: afhoudend, label: Afhoudend}
  - id: positie_straks
    type: choice
    text: Welke positie straks?
    options: *posities
""")
    assert problem_texts(path) == []
    assert [o.value for o in load_dialogue(path).node("positie_straks").options] == ["proactief", "afhoudend"]


# --- the example and the whole test catalogue ---------------------------------------------


def test_example_has_no_problems() -> None:
    problems, files = check_paths([EXAMPLE])
    assert [str(p) for p in problems] == []
    assert files == 1


def test_test_data_folder_has_no_problems() -> None:
    """The folder is checked whole: the catalogues and example.yaml (not broken/)."""
    problems, files = check_paths([DATA])
    assert [str(p) for p in problems] == []
    assert files == 4


def test_example_loads() -> None:
    dialogue = load_dialogue(EXAMPLE, load_catalogue(DATA))
    assert dialogue.id == "example"
    assert dialogue.start == "welkom"
    assert dialogue.defaults["stap"] == "end"
    assert dialogue.defaults["overwegingen"] == "next_item"


# --- all problems of a file together --------------------------------------------------------


def _with_catalogue(tmp_path: Path, name: str, body: str) -> Path:
    for catalogue in ("kernvragen.yaml", "models.yaml", "probes.yaml"):
        (tmp_path / catalogue).write_text((DATA / catalogue).read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / f"{name}.yaml"
    path.write_text(HEADER.format(id=name) + body, encoding="utf-8")
    return path


def test_two_structural_problems_are_reported_together(tmp_path: Path) -> None:
    path = _with_catalogue(tmp_path, "twee", """\
nodes:
  - id: vraag
    type: text
    text: Wat speelt er?
    colour: rood
  - id: energie
    type: scale
    text: Hoeveel energie?
    max: veel
    labels: {min: Weinig, max: Veel}
""")
    texts = problem_texts(path)
    assert len(texts) == 2, texts
    assert_reported(texts, f"{path}:11: ", ["node 'vraag'.colour", "unknown key"])
    assert_reported(texts, f"{path}:15: ", ["node 'energie'.max", "expected a whole number", "found a string ('veel')"])


def test_two_validation_problems_are_reported_together(tmp_path: Path) -> None:
    path = _with_catalogue(tmp_path, "twee", """\
nodes:
  - id: vraag
    type: text
    text: Wat speelt er?
    kernvragen: [bestaat-niet]
    routes:
      - {when: "words(answers.vraag) < 3", to: nergens}
  - id: slot
    type: text
    text: Wat neem je mee?
""")
    texts = problem_texts(path)
    assert len(texts) == 2, texts
    assert_reported(texts, f"{path}:13: ", ["node 'vraag'.routes", "found 'nergens'"])
    assert_reported(texts, f"{path}:8: ", ["node 'vraag'.kernvragen", "found 'bestaat-niet'"])


def test_problems_of_several_files_are_all_reported() -> None:
    """As typed on the command line: paths relative to the working folder."""
    broken = Path("tests/data/broken")
    paths = [broken / "wrong_type.yaml", broken / "bestaat_niet.yaml", broken / "unknown_model.yaml"]
    problems, files = check_paths(paths)
    texts = [str(p) for p in problems]
    assert files == 2
    assert_reported(texts, "tests/data/broken/wrong_type.yaml:11: ", ["expected a whole number"])
    assert_reported(texts, "tests/data/broken/bestaat_niet.yaml", ["no such file or folder"])
    assert_reported(texts, "tests/data/broken/unknown_model.yaml:18: ", ["onbekend_model"])


# --- load_dialogue ---------------------------------------------------------------------------


def test_load_dialogue_raises_check_failed_listing_every_problem() -> None:
    with pytest.raises(CheckFailed) as caught:
        load_dialogue(BROKEN / "no_way_to_end.yaml", load_catalogue(DATA))
    err = caught.value
    assert len(err.problems) == 2
    lines = str(err).splitlines()
    assert lines[0].startswith("tests/data/broken/no_way_to_end.yaml:8: node 'vraag'")
    assert lines[1].startswith("tests/data/broken/no_way_to_end.yaml:12: node 'nog_een'")


def test_load_dialogue_raises_check_failed_for_a_structural_problem() -> None:
    with pytest.raises(CheckFailed) as caught:
        load_dialogue(BROKEN / "wrong_type.yaml", load_catalogue(DATA))
    assert [str(p) for p in caught.value.problems] == [
        "tests/data/broken/wrong_type.yaml:11: node 'energie'.min: expected a whole number, found a string ('drie')"
    ]


def test_load_dialogue_on_invalid_yaml_raises_a_coach_error_with_file_and_line() -> None:
    with pytest.raises(CoachError) as caught:
        load_dialogue(BROKEN / "invalid_yaml.yaml", load_catalogue(DATA))
    assert str(caught.value).startswith("tests/data/broken/invalid_yaml.yaml:10: ")


def test_python_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "gehackt"
    path = tmp_path / "tag.yaml"
    path.write_text(
        HEADER.format(id="tag")
        + f"nodes:\n  - id: vraag\n    type: text\n    text: !!python/object/apply:os.system [\"touch {marker}\"]\n",
        encoding="utf-8",
    )
    with pytest.raises(DialogueError):
        load_dialogue(path)
    assert not marker.exists()


# --- bugs found while writing these tests (see the report) ---------------------------------


def test_summary_intro_problem_names_its_line(tmp_path: Path) -> None:
    path = _with_catalogue(tmp_path, "intro", """\
nodes:
  - {id: vraag, type: text, text: Wat?}
summary:
  intro: "Je schreef {{ onbekend }}."
  sections: []
""")
    texts = problem_texts(path)
    assert_reported(texts, f"{path}:10: ", ["summary.intro", "unknown name 'onbekend'"])


def test_template_error_in_a_block_text_names_the_line_of_the_error(tmp_path: Path) -> None:
    path = _with_catalogue(tmp_path, "blok", """\
nodes:
  - id: vraag
    type: text
    text: |
      Eerste regel.
      Tweede regel.
      Derde regel {{ answers.vraag . }}
""")
    texts = problem_texts(path)
    assert_reported(texts, f"{path}:13: ", ["node 'vraag'.text", "template does not parse"])


def test_format_true_is_refused(tmp_path: Path) -> None:
    path = _with_catalogue(tmp_path, "waar", "nodes:\n  - {id: vraag, type: text, text: Wat?}\n")
    path.write_text(path.read_text(encoding="utf-8").replace("format: 1", "format: true"), encoding="utf-8")
    texts = problem_texts(path)
    assert_reported(texts, f"{path}:1: ", ["format", "expected format: 1", "found a boolean (true)"])


def test_unclosed_quote_names_the_line_where_it_opens(tmp_path: Path) -> None:
    path = _with_catalogue(tmp_path, "quote", """\
nodes:
  - id: vraag
    type: text
    text: "Wat speelt er?
  - id: slot
    type: text
    text: Wat neem je mee?
""")
    texts = problem_texts(path)
    assert len(texts) == 1
    assert texts[0].startswith(f"{path}:10: ") or "line 10" in texts[0], texts
