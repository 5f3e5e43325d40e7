"""Writes the hostile inputs of this folder (run from the repository root: python tests/data/hostile/make_files.py).

The files are kept in the repository; this script documents how each was made and
makes them again after a schema change. The large inputs are not stored: the tests
make them (see INDEX.yaml, ``generated``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("COACH_NOW", "2026-11-23T20:15:00+00:00")

from coach.engine.library import load_catalogue, load_dialogue  # noqa: E402
from coach.session import transcript  # noqa: E402
from coach.session.session import Session  # noqa: E402

MARKER = "/tmp/netwerkcoach-hostile-ran"
"""A file only a constructed Python object would make: the tests check it never appears."""


def write(name: str, data: str | bytes) -> None:
    path = HERE / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="\n")
    else:
        path.write_bytes(data)


def lol(levels: int = 9, first: str = '"lol"') -> list[str]:
    lines = [f"l0: &l0 {first}"]
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return lines


def merge_bomb(levels: int = 9) -> list[str]:
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: x" for i in range(9)) + "}"]
    for i in range(1, levels + 1):
        lines.append(f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 9) + "]}")
    return lines


def session_document() -> dict:
    """A real transcript of the example dialogue, half-way, made by the engine itself."""
    catalogue = load_catalogue(ROOT / "tests" / "data")
    dialogue = load_dialogue(ROOT / "tests" / "data" / "example.yaml", catalogue)
    path = HERE / "_scratch.yaml"
    session = Session.start(dialogue, catalogue, path=path, session_id="20261123-201500-example-beef")
    session.acknowledge()
    session.answer(["Dementiezorg", "Wonen"])
    session.answer("proactief")
    session.answer(["regio"])
    document = transcript.load(path)
    path.unlink()
    document["dialogue"]["file"] = None  # found by id (COACH_DIALOGUES), wherever the checkout is
    return transcript.seal(document)


def main() -> None:
    # Dialogues
    write("dialogue-python-object.yaml", f'format: 1\nid: !!python/object/apply:os.system ["touch {MARKER}"]\n')
    write("dialogue-python-name.yaml", "format: 1\nid: !!python/name:os.system\n")
    write("dialogue-billion-laughs.yaml", "\n".join(["format: 1", *lol()]) + "\ntitle: *l9\n")
    write("dialogue-merge-bomb.yaml", "\n".join(["format: 1", *merge_bomb()]) + "\n")
    write("dialogue-deep-flow.yaml", "format: 1\nnodes: " + "[" * 10_000 + "]" * 10_000 + "\n")
    write("dialogue-deep-block.yaml", "format: 1\nnodes:\n" + "- " * 10_000 + "x\n")
    write("dialogue-deep-mapping.yaml", "format: 1\nnodes: " + "{a: " * 10_000 + "x" + "}" * 10_000 + "\n")
    write("dialogue-invalid-utf8.yaml", b'format: 1\nid: dialogue-invalid-utf8\ntitle: "Caf\xe9 \xff"\n')
    write("dialogue-nul-byte.yaml", 'format: 1\nid: "dialogue\x00nul"\n')
    write("dialogue-empty.yaml", "")
    write("dialogue-not-a-mapping.yaml", "- een\n- lijst\n")
    write("dialogue-template-bomb.yaml", (ROOT / "tests" / "data" / "example.yaml").read_text(encoding="utf-8")
          .replace("id: example", "id: dialogue-template-bomb")
          .replace("text: Wat kost je energie?", "text: \"{{ 'x' * 1000000000 }}\""))
    escape = "\x1b[2J\x1b]0;gekaapt\x07\x1b]8;;https://example.invalid\x07klik\x1b]8;;\x07\u202e"
    write("dialogue-escapes.yaml", (ROOT / "tests" / "data" / "example.yaml").read_text(encoding="utf-8")
          .replace("id: example", "id: dialogue-escapes")
          .replace("title: Voorbeeldgesprek", f'title: "Voorbeeld{json.dumps(escape)[1:-1]}gesprek"')
          .replace("text: Tot welke opgaven wil je je verhouden?",
                   f'text: "Tot welke opgaven{json.dumps(escape)[1:-1]} wil je je verhouden?"')
          .replace("label: Proactief / initiërend", f'label: "Proactief{json.dumps(escape)[1:-1]}"'))

    # Transcripts
    document = session_document()
    whole = transcript.dump_yaml(document)
    write("transcript-whole.yaml", whole)
    write("transcript-truncated.yaml", whole[: len(whole) * 2 // 3])
    write("transcript-edited.yaml", whole.replace("value: proactief", "value: actief"))
    events_removed = dict(document)
    events_removed["events"] = document["events"][:-1]
    write("transcript-events-removed.yaml", transcript.dump_yaml(events_removed))
    write("transcript-python-object.yaml", f'--- !!python/object/apply:os.system ["touch {MARKER}"]\n')
    write("transcript-python-in-value.yaml", whole.replace("value: proactief", f'value: !!python/object/apply:os.system ["touch {MARKER}"]'))
    write("transcript-billion-laughs.yaml", "---\nschema: 1\n" + "\n".join(lol()) + "\nevents: *l9\n")
    write("transcript-merge-bomb.yaml", "---\nschema: 1\n" + "\n".join(merge_bomb()) + "\n")
    write("transcript-alias-cycle.yaml", "---\nschema: 1\nevents: &a [*a]\nintegrity: {events: 1, checksum: x}\n")
    write("transcript-deep-nesting.yaml", "---\nschema: 1\nevents: " + "[" * 10_000 + "]" * 10_000 + "\n")
    write("transcript-invalid-utf8.yaml", whole.encode("utf-8").replace(b"Wonen", b"Wo\xffnen", 1))
    write("transcript-nul-byte.yaml", whole.replace("Wonen", "Wo\x00nen", 1))
    newer = dict(document, schema=7, app="netwerkcoach 3.0")
    write("transcript-newer-schema.yaml", transcript.dump_yaml(transcript.seal(newer)))
    old = {k: v for k, v in document.items()
           if k not in ("group", "visited", "pending_probes", "aside", "probes", "coach_notes", "summary", "integrity")}
    old["schema"] = 0
    old["log"] = old.pop("events")
    old["checksum"] = transcript.content_checksum(old)
    write("transcript-schema-0.yaml", transcript.dump_yaml(old))
    write("transcript-two-documents.yaml", whole + whole)
    write("transcript-not-a-mapping.yaml", "---\n- schema\n- 1\n")
    write("transcript-empty.yaml", "")
    dated = whole.replace("started: '2026-11-23T20:15:00+00:00'", "started: 2026-11-23")
    write("transcript-date-value.yaml", dated)
    write("transcript-resealed-wrong-types.yaml", transcript.dump_yaml(transcript.seal(dict(document, answers="alles", history=7))))
    unknown = json.loads(json.dumps(document))
    unknown["answers"][0]["question"] = "verzonnen"
    write("transcript-resealed-unknown-question.yaml", transcript.dump_yaml(transcript.seal(unknown)))
    bad = json.loads(json.dumps(document))
    bad["answers"][1]["value"] = "nergens"
    write("transcript-resealed-bad-value.yaml", transcript.dump_yaml(transcript.seal(bad)))
    hostile = json.loads(json.dumps(document))
    hostile["session"] = "20261123-201500-example-\x1b]0;gekaapt\x07\x1b[31mrood"
    hostile["dialogue"]["id"] = "example\x1b[2J"
    hostile["participant"]["name"] = "Jan\x1b]8;;https://example.invalid\x07klik\x1b]8;;\x07\u202e"
    write("transcript-escapes.yaml", transcript.dump_yaml(transcript.seal(hostile)))

    # Answers files for `coach run`
    write("answers-python-object.yaml", f'opgaven: !!python/object/apply:os.system ["touch {MARKER}"]\n')
    write("answers-billion-laughs.yaml", "\n".join(lol()) + "\nopgaven: *l9\n")
    write("answers-deep-nesting.yaml", "opgaven: " + "[" * 10_000 + "]" * 10_000 + "\n")
    write("answers-huge-integer.json", '{"energie": ' + "9" * 5_000 + "}\n")
    write("answers-lone-surrogates.json",
          '{"opgaven": ["Zorg \\ud800", "Wonen"], "positie": {"Zorg \\ufffd": "actief", "Wonen": "actief"}, '
          '"overwegingen": {"Zorg \\ufffd": [], "Wonen": []}, "energie": 4, "spanning": {"now": 1, "desired": 2}, '
          '"stap": "Bellen \\udc80 en \\u0000 mailen"}\n')

    # Plain-mode input (standard input of `coach start example`)
    write("plain-escapes.txt", "Zorg\x1b[2J\x1b[H\x1b]0;gekaapt\x07\x1b]52;c;ZWNobyBoYWNr\x07\x9b31m\x1bPq#0\x1b\\\nWonen\n\n")
    write("plain-template.txt", "{{ 7*7 }}\n{% for x in range(3) %}lus{% endfor %}\n\n1\n\n1\n\n2\n{{ 7*7 }} kost energie\n\n")
    write("plain-invalid-utf8.txt", b"Zorg \xff\xfe en \xc3\x28 meer\nWonen\n\n")
    write("plain-nul-byte.txt", "Zorg\x00 en welzijn\nWonen\n\n")
    write("plain-bidi.txt", "Zorg \u202egnidlehcsgninnapS\u202c\nWonen\n\n")


if __name__ == "__main__":
    main()
