"""Coach mode: the panel, private notes kept apart, hiding for screen sharing, free navigation."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, Static, TextArea

from coach.session import transcript
from coach.ui.app import make_app
from coach.ui.widgets.coach_panel import CoachPanel
from ui_helpers import jump_to, open_jump_list, rendered_options


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """Everything visible on screen, as a person would read it."""
    return "\n".join(str(w.render()) for w in app.screen.query("Static, Label") if w.display and w.visible
                     and all(a.display for a in w.ancestors_with_self if hasattr(a, "display")))


async def start_coached(pilot, name: str = "Anna de Vries") -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press(*name, "tab", *"Zorggroep Noord", "enter")  # the session details
    await pilot.pause()


async def test_details_and_mode_are_stored(ui_home: Path) -> None:
    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_coached(pilot)
        document = transcript.load(app.screen.session.path)
        assert document["participant"]["name"] == "Anna de Vries"
        assert document["participant"]["organisation"] == "Zorggroep Noord"
        assert document["mode"] == "coach"


async def test_panel_shows_prompts_help_and_timer(ui_home: Path) -> None:
    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_coached(pilot)
        await pilot.press("enter")                                # the welcome text
        await pilot.pause()
        text = screen_text(app)
        assert "Welke opgave kwam als eerste op?" in text          # coach prompts (followups)
        assert 'Vraag "Wat is voor jou (écht) belangrijk?"' in text  # the handreiking's advice
        assert "Een opgave is breder dan je eigen organisatie." in text  # the toelichting
        assert str(app.screen.query_one("#coach-timer", Label).render()).startswith("Deze vraag 0:")


async def test_notes_are_saved_apart_from_answers(ui_home: Path) -> None:
    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_coached(pilot)
        await pilot.press("enter")
        await pilot.pause()
        panel = app.screen.query_one(CoachPanel)
        panel.query_one("#note-question", TextArea).focus()
        await pilot.press(*"Aarzelt bij de regio")
        panel.query_one("#note-session", TextArea).focus()
        await pilot.press(*"Open gesprek")
        await pilot.pause()
        document = transcript.load(app.screen.session.path)
        assert document["coach_notes"]["questions"] == [{"question": "opgaven", "item": None, "text": "Aarzelt bij de regio"}]
        assert document["coach_notes"]["session"] == "Open gesprek"
        assert all("Aarzelt" not in str(a["value"]) for a in document["answers"])


async def test_hidden_panel_leaves_nothing_private_on_screen(ui_home: Path) -> None:
    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_coached(pilot)
        await pilot.press("enter")
        await pilot.pause()
        panel = app.screen.query_one(CoachPanel)
        panel.query_one("#note-question", TextArea).focus()
        await pilot.press(*"Geheime observatie")
        await pilot.press("f4")
        await pilot.pause()
        text = screen_text(app)
        for private in ("Welke opgave kwam als eerste op?", "Deze vraag", "Notitie", "coachmodus"):
            assert private not in text, private
        assert not panel.display or panel.has_class("-hidden")
        assert "Geheime observatie" not in " ".join(t.text for t in app.screen.query(TextArea) if t.display and panel not in t.ancestors)
        await pilot.press("f4")
        await pilot.pause()
        assert "Welke opgave kwam als eerste op?" in screen_text(app)


async def test_panel_hidden_from_the_start(ui_home: Path) -> None:
    app = make_app(theme="example", coach=True, panel_hidden=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_coached(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Welke opgave kwam als eerste op?" not in screen_text(app)


async def test_coach_can_jump_to_any_question(ui_home: Path) -> None:
    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_coached(pilot)
        await jump_to(pilot, app, "Welke stap zet je als eerste?")
        assert str(app.screen.query_one("#question", Static).render()) == "Welke stap zet je als eerste?"


async def test_coach_jump_list_shows_long_questions_whole_at_80_columns(real_home: Path) -> None:
    """A question without a short name is listed by its whole text, wrapped, not cut with "…"."""
    app = make_app(theme="positionering", coach=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_coached(pilot)
        dialogue = app.screen.session.dialogue
        long = next(n for n in dialogue.nodes if n.type != "loop" and not n.short and not n.loop and "{" not in n.text
                    and len(" ".join(n.text.split())) > 70)
        whole = " ".join(long.text.split())
        options = await open_jump_list(pilot, app)
        index = next(i for i in range(options.option_count) if long.id == app.screen.entries[i][0])
        options.highlighted = index
        await pilot.pause()
        drawn = rendered_options(options)
        assert whole in " ".join(" ".join(drawn).split()), drawn
        assert "…" not in "".join(drawn)
        await pilot.press("enter")
        await pilot.pause()
        assert " ".join(str(app.screen.query_one("#question", Static).render()).split()) == whole


async def test_after_a_jump_the_keys_go_to_the_answer(ui_home: Path) -> None:
    """The question drawn while the list was on top gets the focus, not the band above it."""
    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_coached(pilot)
        await jump_to(pilot, app, "eigen doel")                  # a polarity
        await pilot.pause()
        assert app.screen.answer_widget is not None and app.screen.answer_widget.has_focus_within
        await pilot.press("4")
        await pilot.pause()
        assert app.screen.answer_widget.value() == {"now": 4, "desired": None}


async def test_solo_session_continues_in_coach_mode(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", *"Dementiezorg", "enter", "ctrl+s")
        await pilot.pause()
        path = app.screen.session.path
        await pilot.press("escape")
        await pilot.pause()
    coached = make_app(resume=str(path), coach=True)
    async with coached.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert coached.screen.query(CoachPanel)
        document = transcript.load(path)
        assert document["mode"] == "coach"
        assert [e["mode"] for e in document["events"] if e["type"] == "mode"] == ["coach"]


async def test_coach_panel_below_at_80x24(ui_home: Path) -> None:
    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_coached(pilot)
        await pilot.press("enter")
        await pilot.pause()
        panel = app.screen.query_one(CoachPanel)
        question = app.screen.query_one("#question")
        assert panel.region.y > question.region.y, "the panel sits below the question when narrow"
        assert panel.region.height > 0


async def test_probe_shows_in_conversation_and_coach_panel(ui_home: Path) -> None:
    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_coached(pilot)
        await pilot.press("enter", *"Dementiezorg", "enter", "ctrl+s", "3")  # afhoudend: on to energie
        await pilot.pause()
        await pilot.press("2", "enter")
        await pilot.pause()
        await pilot.press(*"We moeten wel meedoen van de gemeente", "ctrl+s")
        await pilot.pause()
        assert str(app.screen.query_one("#item-line").render()) == "Vervolgvraag"
        assert str(app.screen.query_one("#question").render()).startswith("Je schrijft: 'We moeten wel meedoen")
        assert "» Je schrijft: 'We moeten wel meedoen" in str(app.screen.query_one("#coach-prompts").render())
        await pilot.press("ctrl+o")                               # the coach lets it go
        await pilot.pause()
        session = app.screen.session
        assert session.probe_log[-1]["skipped"] is True
        assert str(app.screen.query_one("#question").render()).startswith("Waar sta je")


async def test_at_80x24_the_text_box_and_its_hint_fit_above_the_panel(real_home: Path) -> None:
    """Below the coach panel's rows the whole text box and its hint stay in view; without the panel it is taller."""
    app = make_app(theme="netwerkdip", coach=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_coached(pilot)
        screen = app.screen
        current = screen.query_one("#current").region
        hint = screen.query_one(".answer-widget .hint").region
        box = screen.query_one("#text-answer").region
        assert current.contains_region(box) and current.contains_region(hint), (current, box, hint)
        assert box.height == 4
        await pilot.press("f4")                                        # the panel hidden: room again
        await pilot.pause()
        assert screen.query_one("#text-answer").region.height == 6


async def test_typing_while_the_panel_has_the_focus_never_reaches_the_answer(real_home: Path) -> None:
    """One Tab from the text box puts the focus on the coach panel; what the coach typed
    next went into the director's answer (the keys for an answer on its way were sent there)."""
    app = make_app(theme="netwerkdip", coach=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_coached(pilot)
        await pilot.pause()
        assert isinstance(app.focused, TextArea) and app.focused.id == "text-answer"
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(app.focused, CoachPanel)
        await pilot.press(*"geheim")
        await pilot.pause()
        assert app.screen.answer_widget.shown() == ""


async def test_the_total_time_survives_switching_coach_mode_off_and_on(ui_home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """F5 twice made the panel again and its total started at 0:00."""
    now = [1000.0]
    monkeypatch.setattr(CoachPanel, "clock", staticmethod(lambda: now[0]))
    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_coached(pilot)
        now[0] += 67
        await pilot.press("f5")                                   # solo
        await pilot.pause()
        assert not app.screen.query(CoachPanel)
        now[0] += 10
        await pilot.press("f5")                                   # coach again
        await pilot.pause()
        await pilot.pause()
        timer = str(app.screen.query_one("#coach-timer", Label).render())
        assert "totaal 1:17" in timer, timer


async def test_a_coached_session_resumed_alone_says_how_to_bring_the_panel_back(ui_home: Path) -> None:
    """`coach resume` of a coach session opens without the panel (the notes stay out of sight);
    it did so without a word, and the coach looked for the panel."""
    app = make_app(theme="example", coach=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_coached(pilot)
        path = app.screen.session.path
        await pilot.press("enter")                                # past the welcome text: something given
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    resumed = make_app(resume=str(path))
    async with resumed.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not resumed.screen.query(CoachPanel)
        assert any("met een coach gevoerd" in str(n.message) and "F5" in str(n.message) for n in resumed._notifications)
