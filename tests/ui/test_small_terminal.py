"""At 80×24 (and with the coach panel) everything a director must read is on the screen.

These tests read the terminal as drawn (the compositor's rows), not the widgets' texts:
a text that is cut off, scrolled away or pushed off the screen is not shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widget import Widget
from textual.widgets import OptionList, Static

from coach.engine.library import dialogue_paths, load_catalogue, load_dialogue
from coach.engine.model import Dialogue, Node
from coach.paths import dialogues_dir
from coach.session.headless import run_headless
from coach.session.session import Session
from coach.ui.actions import APP_ACTIONS, DIALOGUE_ACTIONS
from coach.ui.app import make_app
from coach.ui.widgets.coach_panel import CoachPanel
from coach.ui.widgets.conversation import Bubble, Conversation
from conftest import ROOT


def screen_rows(app: Any) -> list[str]:
    """The terminal's rows as drawn."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def shown_in(app: Any, widget: Widget) -> str:
    """The words drawn inside a widget's place on the screen, within its border and
    scrollbar (spaces folded)."""
    region = widget.content_region
    rows = screen_rows(app)[region.y:region.bottom]
    return " ".join(" ".join(row[region.x:region.right] for row in rows).split())


def words(text: str) -> list[str]:
    return text.split()


def shipped_dialogues() -> list[Dialogue]:
    catalogue = load_catalogue()
    return [load_dialogue(path, catalogue) for path in dialogue_paths(dialogues_dir())]


async def show(pilot: Any, node: Node) -> None:
    """Bring the open conversation to ``node`` (its loop gets two items first)."""
    screen = pilot.app.screen
    session: Session = screen.session
    if node.loop:
        over = session.dialogue.node(node.loop).over or ""
        if not session.items_of(over):
            session.jump(over)
            session.answer(["Eerste opgave", "Tweede opgave"])
    session.jump(node.id)
    screen.show_step()
    await pilot.pause()
    await pilot.pause()


async def test_the_intro_reads_from_its_first_line(real_home: Path) -> None:
    """At the first question of every theme the band above it starts with the title and
    the intro's first words (it used to open at the intro's last lines)."""
    for dialogue in shipped_dialogues():
        app = make_app(theme=dialogue.id)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            band = app.screen.query_one(Conversation)
            opening = " ".join(words(f"{dialogue.title} {dialogue.intro}")[:14])
            assert shown_in(app, band).startswith(opening), dialogue.id


async def test_an_intro_taller_than_the_band_shows_its_start_and_a_short_turn_its_end(real_home: Path) -> None:
    dialogue = max(shipped_dialogues(), key=lambda d: len(d.intro))
    app = make_app(theme=dialogue.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f3")  # the toelichting takes rows from the band
        await pilot.pause()
        await pilot.pause()
        band = app.screen.query_one(Conversation)
        assert band.max_scroll_y > 0, "the intro should not fit here"
        assert shown_in(app, band).startswith(" ".join(words(dialogue.title)))
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"Een netwerk van zorgaanbieders en de gemeente.", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        band = app.screen.query_one(Conversation)
        newest = list(band.query(Bubble))[-1]
        assert band.scroll_y == band.max_scroll_y, "a short newest turn sits at the bottom"
        assert "Een netwerk van zorgaanbieders en de gemeente." in shown_in(app, newest)


async def test_both_ends_of_every_scale_and_polarity_show_at_80_columns(real_home: Path) -> None:
    for dialogue in shipped_dialogues():
        nodes = [n for n in dialogue.nodes if n.type in ("scale", "polarity")]
        if not nodes:
            continue
        app = make_app(theme=dialogue.id)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for node in nodes:
                await show(pilot, node)
                widget = app.screen.answer_widget
                assert widget is not None and widget.region.right <= 80
                shown = shown_in(app, widget)
                ends = node.poles if node.type == "polarity" else node.labels
                for end in ends or ():
                    for word in words(end):
                        assert word in shown, (dialogue.id, node.id, end)
                assert "Enter om verder te gaan" in shown, (dialogue.id, node.id)


async def test_every_option_reads_in_full_and_the_hint_stays_in_view(real_home: Path) -> None:
    """Long labels wrap (no "…"); a long list scrolls in its own room under the question."""
    for dialogue in shipped_dialogues():
        nodes = [n for n in dialogue.nodes if n.type in ("choice", "multichoice")]
        app = make_app(theme=dialogue.id)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for node in nodes:
                await show(pilot, node)
                widget = app.screen.answer_widget
                options = widget.query_one(OptionList)
                for index, option in enumerate(node.options):
                    options.highlighted = index
                    await pilot.pause()
                    shown = shown_in(app, options)
                    assert "…" not in shown
                    assert " ".join(words(option.label)) in shown, (dialogue.id, node.id, option.label)
                hint = widget.query_one(".hint", Static)
                assert shown_in(app, hint) == str(hint.render()), (dialogue.id, node.id)
                assert hint.region.bottom <= app.screen.query_one("#status").region.y


async def test_a_multichoice_answer_reads_back_with_semicolons(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Dementiezorg", "enter", "ctrl+s", "1", "1", "2", "ctrl+s")
        await pilot.pause()
        answers = [str(b.render()) for b in app.screen.query(Bubble) if b.turn.kind == "answer"]
        assert answers[-1] == "Rol in de regio; Past bij onze missie"


async def test_summary_table_wraps_its_cells_at_80_columns(real_home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import yaml

    from coach.session import transcript

    dialogue = next(d for d in shipped_dialogues() if any(s.kind == "table" for s in d.sections))
    given = yaml.safe_load(next((ROOT / "tests" / "data" / "answers").glob(f"{dialogue.id}-*.yaml")).read_text())
    session = run_headless(dialogue, load_catalogue(), given, "test", probes=False)
    path = real_home / "sessions" / "klaar.yaml"
    session.session_id = "klaar"
    transcript.save(path, session.to_document())
    app = make_app(resume=str(path))
    async with app.run_test(size=(80, 120)) as pilot:  # tall, so the whole table is on the screen
        await pilot.pause()
        table = app.screen.query_one(".summary-table")
        assert table.region.right <= 80
        shown = shown_in(app, table)
        for section in app.screen.summary["sections"]:
            if section["kind"] == "table":
                for row in section["rows"]:
                    for text in [row["item"], *[cell["display"] for cell in row["cells"]]]:
                        for word in words(text):
                            assert word in shown, text


def test_summary_columns_share_the_width_without_breaking_a_word() -> None:
    from coach.ui.screens.summary import column_widths

    columns = [["Opgave", "Dementiezorg", "Wonen en zorg voor ouderen", "Eerstelijnsbedden"],
               ["Positie", "Proactief, initiërend", "Afhoudend: heel belangrijk, maar niet nu voor ons"],
               ["Overwegingen", "Past bij de rol die we in de regio willen vervullen; We kunnen er écht van "
                                "betekenis zijn; Past bij onze missie, kernfunctie en strategie"]]
    widths = column_widths(columns, 74)
    assert sum(widths) == 74
    for width, column in zip(widths, columns):
        assert width - 2 >= max(len(word) for cell in column for word in cell.split())
    assert widths[2] == max(widths), "the column of long answers gets the most room"
    assert column_widths([["A", "b"], ["C", "d"]], 40) == [3, 37], "short columns take what they need"


async def test_coach_panel_names_a_source_without_brackets_in_brackets(ui_home: Path) -> None:
    from dataclasses import replace

    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # no session details
        await pilot.pause()
        node = app.screen.session.dialogue.node("opgaven")
        assert node.help is not None
        cited = replace(node, help=replace(node.help, source="Handreiking Effectief Samenwerken, 2024 (Onze samenwerking(en))"))
        app.screen.query_one(CoachPanel).show(cited, None, {}, [])
        text = str(app.screen.query_one("#coach-help").render())
        assert text.endswith("\n— Handreiking Effectief Samenwerken, 2024 · Onze samenwerking(en)")


async def test_hiding_and_showing_the_coach_panel_keeps_the_newest_exchange_in_view(ui_home: Path) -> None:
    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # no session details
        # Opgaven long enough to wrap beside the panel, not without it: the band's height changes.
        await pilot.press("enter", *"Dementiezorg samen met de huisartsen, de gemeente en het ziekenhuis", "enter",
                          *"Wonen en zorg voor ouderen in de wijk, met de woningcorporatie", "enter", "ctrl+s",
                          "1", "1", "ctrl+s", "1")
        await pilot.pause()
        band = app.screen.query_one(Conversation)
        assert band.max_scroll_y > 0, "the exchange should not fit here"
        for _ in range(2):
            await pilot.press("f4")
            await pilot.pause()
            await pilot.pause()
            band = app.screen.query_one(Conversation)
            newest = list(band.query(Bubble))[-1]
            assert band.scroll_y == band.max_scroll_y
            assert str(newest.render()) in shown_in(app, newest)


async def test_help_is_in_the_footer_at_80_columns_on_every_screen(real_home: Path) -> None:
    help_key = f"{APP_ACTIONS[0].key} {APP_ACTIONS[0].label}"
    dialogue = next(d for d in shipped_dialogues() if any(n.type == "polarity" for n in d.nodes))
    app = make_app(theme=dialogue.id, coach=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # no session details
        await pilot.pause()
        await pilot.pause()
        assert screen_rows(app)[-1].startswith(help_key), "the footer fills in after the session details"
        for node in [n for n in app.screen.session.dialogue.nodes if n.type in ("text", "polarity", "multichoice")][:3]:
            await show(pilot, node)
            footer = screen_rows(app)[-1]
            assert footer.startswith(help_key), footer
            for action in DIALOGUE_ACTIONS:  # and every other key of a conversation, in coach mode too
                if action.footer:
                    assert action.label in footer, (node.type, action.label)
        await pilot.press("escape")  # pause: to the home screen
        await pilot.pause()
        await pilot.pause()
        assert screen_rows(app)[-1].startswith(help_key)
        await pilot.press("w")  # the vindplaats
        await pilot.pause()
        await pilot.pause()
        assert screen_rows(app)[-1].startswith(help_key)


async def test_the_summary_gives_each_axis_as_a_mean_and_says_so(real_home: Path) -> None:
    """Sums (Richten 10) under bars of 1 to 5 read as a score of 10; the screen gives means,
    written the Dutch way, under a line that says they are means."""
    import yaml

    from coach.session import transcript

    dialogue = next(d for d in shipped_dialogues() if any(getattr(s, "axes", None) for s in d.sections))
    given = yaml.safe_load((ROOT / "tests" / "data" / "answers" / f"{dialogue.id}-weinig_aandacht_condities.yaml").read_text())
    session = run_headless(dialogue, load_catalogue(), given, "test", probes=False)
    path = real_home / "sessions" / "klaar.yaml"
    session.session_id = "klaar"
    transcript.save(path, session.to_document())
    app = make_app(resume=str(path))
    async with app.run_test(size=(80, 120)) as pilot:
        await pilot.pause()
        axes = [str(line.render()) for line in app.screen.query(".axis")]
        assert axes[0] == "Gemiddeld per as:"
        assert axes[1] == "Richten 3,5  ↔  Inrichten & verrichten 2,5", "strateeg 4 and verkenner 3; 2 and 3"
