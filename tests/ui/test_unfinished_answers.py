"""An answer left half-done in the app is met with what to do, never with the session's raw check.

A polarity with only "Nu" chosen used to say "Verwacht nu: een geheel getal van 1 tot en
met 5, gevonden None" in a notice over the scale.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from coach.ui.app import CoachApp, make_app
from coach.ui.widgets.answers.scale import ScaleRow
from ui_helpers import question_text, saved_answers



def notices(app: CoachApp) -> list[str]:
    shown = [str(n.message) for n in app._notifications if n.title == "Dat past nog niet"]
    app.clear_notifications()
    return shown


async def to_the_polarity(pilot: Pilot[object]) -> None:
    """The example theme, answered up to its polarity question."""
    await pilot.press("enter")                                                  # info
    await pilot.press(*"Dementiezorg", "enter", *"Wonen", "enter", "ctrl+s")   # list
    await pilot.press("1")                                                      # choice
    await pilot.press("1", "3", "ctrl+s")                                       # multichoice
    await pilot.press("down", "enter")                                          # choice (Wonen)
    await pilot.press("ctrl+s")                                                 # multichoice: none
    await pilot.press("2", "enter")                                             # scale
    await pilot.press(*"Veel overleg zonder besluiten.", "ctrl+s")              # text
    await pilot.pause()


async def test_a_polarity_with_one_row_chosen_names_the_other_and_goes_there(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_polarity(pilot)
        asked = question_text(app)
        assert asked.startswith("Waar sta je tussen")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert notices(app) == ["Kies eerst een cijfer bij Nu en Gewenst, of sla de vraag over (Ctrl+O)."]
        await pilot.press("1", "ctrl+s")                                         # only "Nu"
        await pilot.pause()
        assert notices(app) == ["Kies nog een cijfer bij Gewenst, of sla de vraag over (Ctrl+O)."]
        assert question_text(app) == asked, "the question stays"
        assert app.focused is app.screen.query_one("#polarity-desired", ScaleRow), "the row to fill has the keys"
        assert "spanning" not in saved_answers(app.screen.session.path), "nothing half-done is saved"
        await pilot.press("4", "enter")
        await pilot.pause()
        assert question_text(app) == "Welke stap zet je als eerste?"
        assert saved_answers(app.screen.session.path)["spanning"] == {"now": 1, "desired": 4}


async def test_an_empty_list_says_what_to_do(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")                                               # info
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert notices(app) == ["Voeg eerst een opgave toe (typ en druk op Enter), of sla de vraag over (Ctrl+O)."]
        assert question_text(app) == "Tot welke opgaven wil je je verhouden?"


async def test_an_empty_text_says_what_to_do(real_home: Path) -> None:
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("space", "enter", "space", "ctrl+s")                   # spaces and a new line
        await pilot.pause()
        assert notices(app) == ["Schrijf eerst een antwoord, of sla de vraag over (Ctrl+O)."]
        assert question_text(app).startswith("Over welk netwerk")
