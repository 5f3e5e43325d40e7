"""What the fuzzers run and how they make their inputs (shared by tests/hostile and tests/benchmarks).

Three targets, each of which may raise nothing but a ``coach.errors.CoachError``:

- the dialogue loader: YAML text -> ``parse_yaml`` -> ``dialogue_from_data`` ->
  ``validate_dialogue`` (and, for a dialogue that passes, its state machine and a
  first step of a session);
- the transcript loader: text -> ``iter_documents`` -> ``check_document`` ->
  ``Session.resume`` (and what the session shows then);
- the answer validator: ``validate_answer`` for every node type, whose result must
  check again unchanged and survive a transcript's YAML round trip.

Inputs are mutations of real files (the example dialogue, a real transcript): random
edits of the text, and random changes of the parsed structure, which for transcripts
is sealed again so the checksum passes and the structure itself is what is tested.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from coach.errors import CoachError

TESTS = Path(__file__).resolve().parents[1]
DATA = TESTS / "data"
EXAMPLE = DATA / "example.yaml"

# ------------------------------------------------------------------ values

SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)
           | st.sampled_from(["", " ", "~skip", "now", "desired", "end", "next_item", "\udc80", "\x00", "a\x1b[2Jb",
                              "{{ 7*7 }}", "9" * 50, "1", "5", "-1", "1.0", "yes", "proactief", "Dementiezorg"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5)
                      | st.dictionaries(st.text(max_size=10) | st.sampled_from(["now", "desired", "skip", "answer"]), inner, max_size=4),
                      max_leaves=12)
"""Any value a YAML or JSON document could hold."""
ODD = st.sampled_from([10**5000, -(10**5000), 2**63, float("nan"), float("-inf"), b"bytes", (1, 2), frozenset({1}), object()])
"""Values no file holds but a caller could pass to the validator."""


def _places(data: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in a parsed document."""
    if isinstance(data, dict):
        for key, value in data.items():
            out.append((data, key))
            _places(value, out)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out.append((data, index))
            _places(value, out)
    return out


def _strings(data: Any, out: set[str]) -> set[str]:
    """Every string in a document (ids, expressions, texts): plausible values to move around."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                out.add(key)
            _strings(value, out)
    elif isinstance(data, list):
        for value in data:
            _strings(value, out)
    elif isinstance(data, str) and len(data) < 80:
        out.add(data)
    return out


@st.composite
def mutated(draw: st.DrawFn, base: Any, moves: int = 4) -> Any:
    """``base`` with a few values replaced, removed, duplicated or swapped for others found in it."""
    data = copy.deepcopy(base)
    known = sorted(_strings(base, set()))
    for _ in range(draw(st.integers(1, moves))):
        places = _places(data, [])
        if not places:
            break
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "known", "delete", "duplicate", "empty"]))
        if action == "replace":
            container[key] = draw(VALUES)
        elif action == "known":
            container[key] = draw(st.sampled_from(known)) if known else None
        elif action == "delete":
            if isinstance(container, dict):
                del container[key]
            else:
                container.pop(key)
        elif action == "duplicate" and isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        elif action == "empty":
            value = container[key]
            container[key] = type(value)() if isinstance(value, (list, dict, str)) else None
    return data


TOKENS = [*"[]{}:-&*!|>'\"#\n\t ?%@`,\x00\x1b\ufeff", "<<", "!!python/object/apply:os.system", "&a", "*a", "\n- ", ": ", "\udc80"]
"""What edits insert: YAML's own syntax, tags, anchors, and characters it refuses."""


@st.composite
def edited_text(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few slices cut, repeated or replaced by odd characters."""
    for _ in range(draw(st.integers(1, 3))):
        if not text:
            break
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 200)))
        action = draw(st.sampled_from(["cut", "repeat", "insert", "truncate"]))
        if action == "cut":
            text = text[:start] + text[end:]
        elif action == "repeat":
            text = text[:end] + text[start:end] + text[end:]
        elif action == "insert":
            text = text[:start] + "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=8))) + text[start:]
        else:
            text = text[:start]
    return text


# ------------------------------------------------------------------ dialogues

@lru_cache(maxsize=1)
def example_catalogue() -> Any:
    from coach.engine.library import load_catalogue

    return load_catalogue(DATA)


@lru_cache(maxsize=1)
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def example_data() -> Any:
    import yaml

    return yaml.load(example_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe


def dialogue_texts() -> st.SearchStrategy[str]:
    """Mutated example dialogues: structure changed and dumped, or the text edited."""
    import yaml

    structural = mutated(example_data()).map(lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return st.one_of(structural, edited_text(example_text()))


def check_dialogue_text(text: str) -> None:
    """Load a dialogue from text as `coach check` does; anything but a CoachError is a bug."""
    from coach.engine.loader import dialogue_from_data
    from coach.engine.machine import build_machine
    from coach.engine.reader import Problems
    from coach.engine.validate import default_targets, validate_dialogue
    from coach.engine.yamlio import parse_yaml
    from coach.session.session import Session

    path = str(EXAMPLE)
    try:
        data = parse_yaml(text, path)
        problems = Problems(path)
        dialogue = dialogue_from_data(data, path, "sha256:fuzz", problems)
        if problems.items:
            return
        validate_dialogue(dialogue, example_catalogue(), problems)
        if problems.items:
            return
        import dataclasses

        dialogue = dataclasses.replace(dialogue, defaults=default_targets(dialogue))
        build_machine(dialogue)
        session = Session.start(dialogue, example_catalogue())
        session.current  # noqa: B018 - the first step is worded: templates run
    except CoachError:
        pass


# ------------------------------------------------------------------ transcripts

@lru_cache(maxsize=1)
def example_dialogue() -> Any:
    from coach.engine.library import load_dialogue

    return load_dialogue(EXAMPLE, example_catalogue())


@lru_cache(maxsize=1)
def transcript_document() -> dict[str, Any]:
    """A finished session of the example with a follow-up, a change of mind and a skip."""
    from coach.session import transcript
    from coach.session.session import Session

    session = Session.start(example_dialogue(), example_catalogue())
    session.acknowledge()
    session.answer(["Dementiezorg", "Wonen"])
    session.answer("proactief")
    session.back()
    session.answer("afhoudend")
    session.answer("actief")
    session.answer(["regio", "yes"])
    session.answer(1)
    session.answer("We moeten wel meedoen, zegt de gemeente")
    if session.current.kind == "probe":
        session.answer_probe("De wethouder")
    session.answer({"now": 1, "desired": 4})
    session.skip()
    while session.current.kind == "probe":
        session.skip_probe()
    return json.loads(json.dumps(transcript.seal(session.to_document())))


@lru_cache(maxsize=1)
def transcript_text() -> str:
    from coach.session import transcript

    return transcript.dump_yaml(transcript_document())


def transcript_texts() -> st.SearchStrategy[str]:
    """Edited transcript texts (mostly refused by the checksum) and changed, resealed ones."""
    from coach.session import transcript

    def sealed(data: Any) -> str:
        data = transcript.storable(data)  # as a save does with text YAML cannot hold
        # A save seals only documents it made (events a list); one whose events were mutated
        # into something without a length (None, a number) is written as it is, unsealed.
        can_seal = isinstance(data, dict) and hasattr(data.get("events", []), "__len__")
        return transcript.dump_yaml(transcript.seal(data) if can_seal else data)

    resealed = mutated(transcript_document()).map(sealed)
    return st.one_of(resealed, edited_text(transcript_text()))


def check_transcript_text(text: str) -> None:
    """Read a transcript as `coach resume` does; anything but a CoachError is a bug."""
    from coach.session import transcript
    from coach.session.session import Session

    try:
        for _, document in transcript.iter_documents(text, "fuzz.yaml"):
            checked = transcript.check_document(document, "fuzz.yaml")
            session = Session.resume(checked, example_dialogue(), example_catalogue())
            step = session.current
            if step.kind in ("question", "probe") and step.node is not None:
                session.progress()
    except CoachError:
        pass


# ------------------------------------------------------------------ answers

@lru_cache(maxsize=1)
def answer_nodes() -> tuple[Any, ...]:
    """Every node that asks, from the example and the shipped themes: every node type."""
    from coach.engine.library import dialogue_paths, load_catalogue, load_dialogue
    from coach.paths import dialogues_dir

    nodes = [n for n in example_dialogue().nodes if n.asks]
    shipped = TESTS.parent / "dialogues"
    folder = shipped if shipped.is_dir() else dialogues_dir()
    catalogue = load_catalogue(folder)
    for path in dialogue_paths(folder):
        try:
            nodes += [n for n in load_dialogue(path, catalogue).nodes if n.asks]
        except CoachError:
            continue  # a theme being edited: `coach check` and the theme tests report it

    return tuple(nodes)


def answer_cases() -> st.SearchStrategy[tuple[Any, Any]]:
    """A node and a value for it: random, or made of its own option values and labels."""
    def for_node(node: Any) -> st.SearchStrategy[tuple[Any, Any]]:
        own = [o.value for o in node.options] + [o.label for o in node.options] + [str(i) for i in range(-1, 8)]
        plausible = st.sampled_from(own) if own else st.text(max_size=20)
        value = st.one_of(VALUES, ODD, st.lists(ODD, max_size=2), plausible, st.lists(plausible, max_size=8),
                          st.fixed_dictionaries({"now": plausible, "desired": plausible}),
                          st.lists(st.text(max_size=400), max_size=3), st.text(max_size=2000))
        return st.tuples(st.just(node), value)

    return st.sampled_from(answer_nodes()).flatmap(for_node)


def check_answer(node: Any, value: Any) -> None:
    """Validate one answer; a valid result must be stable and survive the transcript's YAML."""
    from coach.errors import AnswerError
    from coach.session import transcript
    from coach.session.answers import validate_answer

    try:
        result = validate_answer(node, value)
    except AnswerError:
        return
    assert validate_answer(node, result) == result, "normalising twice changes nothing"
    text = transcript.dump_yaml({"value": result})
    ((_, back),) = list(transcript.iter_documents(text, "x"))
    assert back["value"] == result, "the stored answer reads back exactly"
