"""How a help text's source reads: no brackets inside brackets."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.text import cite


@pytest.mark.parametrize(("source", "shown"), [
    ("Kaats & Opheij, 2023 (Quick scan samenwerking)", "Kaats & Opheij, 2023 · Quick scan samenwerking"),
    ("Handreiking Effectief Samenwerken, 2024 (Onze samenwerking(en))",
     "Handreiking Effectief Samenwerken, 2024 · Onze samenwerking(en)"),
    ("Geurtsen, 2021 (leren balanceren); Handreiking Effectief Samenwerken, 2024",
     "Geurtsen, 2021 · leren balanceren; Handreiking Effectief Samenwerken, 2024"),
    ("Opheij & Van Dijk, 2019; Bourdieu, 1979", "Opheij & Van Dijk, 2019; Bourdieu, 1979"),
    # Brackets that are not a chapter at the end, or do not match, stay as written.
    ("Vier ingrediënten (Zorgvisie, 2019), ingrediënt 4", "Vier ingrediënten (Zorgvisie, 2019), ingrediënt 4"),
    ("Waarde(n) organisatie", "Waarde(n) organisatie"),
    ("(alleen een hoofdstuk)", "(alleen een hoofdstuk)"),
    ("Auteur, 2020 (niet gesloten", "Auteur, 2020 (niet gesloten"),
    ("Auteur, 2020 niet geopend)", "Auteur, 2020 niet geopend)"),
])
def test_a_source_names_its_chapter_after_a_dot(source: str, shown: str) -> None:
    assert cite(source) == shown


def test_every_shipped_source_reads_without_nested_brackets(real_home: Path) -> None:
    from coach.engine.library import dialogue_paths, load_catalogue, load_dialogue
    from coach.paths import dialogues_dir

    catalogue = load_catalogue()
    sources = [node.help.source for path in dialogue_paths(dialogues_dir())
               for node in load_dialogue(path, catalogue).nodes if node.help and node.help.source]
    assert sources
    for source in sources:
        depth = deepest = 0
        for char in cite(source):
            depth += {"(": 1, ")": -1}.get(char, 0)
            deepest = max(deepest, depth)
        assert deepest <= 1, source
