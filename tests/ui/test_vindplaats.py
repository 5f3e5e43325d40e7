"""The vindplaats: browse, search, follow a kernvraag to its dialogue; links on request."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static, Tree

from coach.ui.app import make_app
from coach.ui.screens.dialogue import DialogueScreen
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.vindplaats import VindplaatsScreen


def page(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#page-text", Static).render())


def leaves(app) -> list[str]:  # type: ignore[no-untyped-def]
    tree = app.screen.query_one(Tree)
    return [str(leaf.label) for branch in tree.root.children for leaf in branch.children]


async def test_browse_every_kernvraag_and_the_tensions(real_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, VindplaatsScreen)
        catalogue = app.catalogue()
        assert catalogue is not None
        shown = leaves(app)
        assert len([label for label in shown if label[:2] in ("▶ ", "• ")]) == len(catalogue.kernvragen)
        assert "Potentiële spanningen organisatie en samenwerking" in shown


async def test_search_finds_a_kernvraag_with_a_typo(real_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("w", "slash", *"vertrouwn", "enter")
        await pilot.pause()
        assert leaves(app)[0] == "• Hoe ontwikkelen we meer vertrouwen?"
        text = page(app)
        assert text.startswith("Hoe ontwikkelen we meer vertrouwen?")
        assert "De vertrouwensparadox" in text and "Literatuur:" in text


async def test_kernvraag_with_a_dialogue_starts_it(real_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("w", "slash", *"netwerkleiderschap vorm", "enter")
        await pilot.pause()
        assert "Enter begint dit gesprek" in page(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DialogueScreen)
        assert app.screen.session.dialogue.id == "netwerkleiderschap"


async def test_home_kernvraag_without_dialogue_opens_its_vindplaats_page(real_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        tree = screen.query_one(Tree)
        target = next(leaf for branch in tree.root.children for leaf in branch.children
                      if leaf.data and leaf.data.kind == "kernvraag" and app.dialogue_for_kernvraag(leaf.data.id) is None)
        tree.move_cursor(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VindplaatsScreen)
        assert page(app).startswith(str(target.label)[2:])


async def test_links_open_only_on_request(real_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    app = make_app()
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, VindplaatsScreen)
        with_links = next(k for k in app.catalogue().kernvragen if (screen.show(screen.page_for(k.id)) or screen.links()))
        assert opened == []
        url = screen.links()[0][1]
        assert url in page(app), "links are shown in full"
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert opened == [url], with_links.id


async def test_a_kernvraag_names_its_source_as_a_reader_knows_it(real_home: Path) -> None:
    """The home panel and the vindplaats showed "(Handreiking, 001_ac409411894042a7.txt r. 183)":
    the name of an extraction file, meaningless to a director."""
    from coach.ui.screens.vindplaats import VindplaatsScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        catalogue = app.catalogue()
        assert catalogue is not None
        for kernvraag in catalogue.kernvragen:
            assert kernvraag.source.title and ".txt" not in kernvraag.source.title, kernvraag.id
        page = VindplaatsScreen().kernvraag_page(catalogue.kernvragen[0])
        assert "Handreiking Effectief Samenwerken (NVZD & Common Eye, 2024)" in page and ".txt" not in page
        netwerkdip = next(k for k in catalogue.kernvragen if k.source.file.startswith("002_"))
        assert "netwerkdip-artikel" in VindplaatsScreen().kernvraag_page(netwerkdip)
        app.screen.query_one(Tree).focus()
        await pilot.press("down")                                 # the first kernvraag under the first theme
        await pilot.pause()
        detail = str(app.screen.query_one("#detail-text", Static).render())
        assert "Bron: Handreiking Effectief Samenwerken (NVZD & Common Eye, 2024)" in detail and ".txt" not in detail
