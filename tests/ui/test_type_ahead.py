"""Keys typed straight after Ctrl+S belong to the next question: they are neither added to the
answer just given nor lost while the next question's widget is being made."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import TextArea

from coach.session import transcript
from coach.ui.app import make_app
from coach.ui.screens.dialogue import DialogueScreen
from ui_helpers import question_text, saved_answers


def burst(app, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Keys as a fast typist (or a paste into the terminal) delivers them: all queued at once."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_right_after_ctrl_s_go_to_the_next_question(real_home: Path) -> None:
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Netwerk A")
        first = app.screen.session.current.node.id
        burst(app, "ctrl+s", *"Het zorgnetwerk")
        await pilot.pause()
        await pilot.pause()
        saved = saved_answers(app.screen.session.path)
        assert saved[first] == "Netwerk A", "nothing typed after Ctrl+S joined the answer"
        assert app.screen.session.current.node.id != first or app.screen.session.current.kind == "probe"
        assert app.screen.query_one("#answer").query_one(TextArea).text == "Het zorgnetwerk", "and nothing was lost"


async def test_keys_typed_right_before_ctrl_s_are_all_in_the_answer(real_home: Path) -> None:
    """A fast typist, tmux or a paste ends with Ctrl+S while the text box still has keys to
    handle; Ctrl+S waits for them, so the answer is saved whole (it lost its end before)."""
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#answer").query(TextArea), "the text box itself, not its stand-in"
        first = app.screen.session.current.node.id
        typed = "Het regionale netwerk ouderenzorg Noord: drie aanbieders, het ziekenhuis en de huisartsen."
        burst(app, *typed, "ctrl+s", "2")                         # the next question is a choice
        for _ in range(4):
            await pilot.pause()
        saved = saved_answers(app.screen.session.path)
        assert saved[first] == typed
        assert "verloop" in saved, "the key typed after Ctrl+S chose in the next question"


async def test_a_paste_right_before_ctrl_s_is_in_the_answer(real_home: Path) -> None:
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        first = app.screen.session.current.node.id
        pasted = "Zorgnetwerk Noord.\nDrie aanbieders en twee gemeenten."
        app.post_message(events.Paste(pasted))
        burst(app, "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        saved = saved_answers(app.screen.session.path)
        assert saved[first] == pasted


async def test_a_superscript_digit_is_no_number_and_breaks_nothing(real_home: Path) -> None:
    """"²" (a key of its own on Belgian keyboards) is a digit to ``str.isdigit`` but no
    number: in a choice or on a scale it ended the app with a traceback."""
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press(*"Het regionale netwerk ouderenzorg Noord met drie aanbieders en de gemeente.", "ctrl+s")
        await pilot.pause()
        assert app.screen.session.current.node.id == "verloop"
        await pilot.press("²")                                    # a choice
        await pilot.pause()
        assert app.is_running and app.screen.session.current.node.id == "verloop"
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.session.current.node.type == "scale"
        scale = app.screen.session.current.node.id
        await pilot.press("²", "enter")                           # a scale: nothing chosen yet
        await pilot.pause()
        assert app.is_running and app.screen.session.current.node.id == scale
        await pilot.press("4", "enter")
        await pilot.pause()
        saved = saved_answers(app.screen.session.path)
        assert saved[scale] == 4


async def test_a_key_typed_right_after_skipping_reaches_the_next_question(real_home: Path) -> None:
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        burst(app, "ctrl+o", "2")                                 # skip the text; choose in the choice after it
        for _ in range(4):
            await pilot.pause()
        answers = {a["question"]: a for a in transcript.load(app.screen.session.path)["answers"]}
        assert answers["netwerk"]["skipped"] is True
        assert answers["verloop"]["value"] == "stokt"



async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        await pilot.pause()


async def test_a_number_that_goes_on_leaves_the_keys_after_it_to_the_next_question(ui_home: Path) -> None:
    """"1" on a choice goes on; "2" and Ctrl+S typed straight after are the next question's.

    The "2" reached the choice still on screen: it changed the answer just given, and its
    second going-on read a widget half made, which ended the app with a traceback.
    """
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Dementiezorg", "enter", *"Wonen", "enter", "ctrl+s")
        await pilot.pause()
        assert question_text(app) == "Welke positie kies je bij Dementiezorg?"
        burst(app, "1", "2", "ctrl+s")
        await settle(pilot)
        saved = saved_answers(app.screen.session.path)
        assert saved["positie"] == "proactief", "the choice is the number typed for it"
        assert saved["overwegingen"] == ["missie"], "the next number is the next question's"
        assert question_text(app) == "Welke positie kies je bij Wonen?"


async def test_a_scale_and_a_polarity_typed_in_one_go(ui_home: Path) -> None:
    """Enter on a polarity's first row moves on at once: the digit after it is for the second
    row (it reached the first, still focused, and the answer never went on)."""
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Dementiezorg", "enter", *"Wonen", "enter", "ctrl+s")
        await pilot.press("1", "1", "3", "ctrl+s", "down", "enter", "ctrl+s")
        await settle(pilot)
        assert question_text(app) == "Je noemde Dementiezorg en Wonen. Hoeveel energie geeft dat?"
        burst(app, "2", "enter", *"Veel overleg zonder besluiten.", "ctrl+s", "3", "enter", "1", "enter", *"Bel")
        await settle(pilot)
        saved = saved_answers(app.screen.session.path)
        assert saved["energie"] == 2
        assert saved["waarom_weinig"] == "Veel overleg zonder besluiten."
        assert saved.get("spanning") == {"now": 3, "desired": 1}
        assert question_text(app) == "Welke stap zet je als eerste?"
        assert app.screen.query_one("#answer").query_one(TextArea).text == "Bel", "nothing typed was lost"


async def test_skip_and_back_typed_after_a_number_act_on_the_question_after_it(ui_home: Path) -> None:
    """Ctrl+O and Ctrl+B are taken the moment they arrive; they now wait for the keys before
    them, so "1 Ctrl+O" answers the choice and skips the next question (it skipped the choice)."""
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Dementiezorg", "enter", *"Wonen", "enter", "ctrl+s")
        await pilot.pause()
        burst(app, "1", "ctrl+o")
        await settle(pilot)
        answers = {a["question"]: a for a in transcript.load(app.screen.session.path)["answers"]}
        assert answers["positie"]["value"] == "proactief" and not answers["positie"].get("skipped")
        assert answers["overwegingen"]["skipped"] is True
        burst(app, "1", "ctrl+b")
        await settle(pilot)
        assert question_text(app) == "Welke positie kies je bij Wonen?", "back from the step the number led to"


async def test_quitting_right_after_a_scale_keeps_what_was_typed_for_the_next_question(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Dementiezorg", "enter", *"Wonen", "enter", "ctrl+s")
        await pilot.press("1", "1", "3", "ctrl+s", "down", "enter", "ctrl+s")
        await settle(pilot)
        path = app.screen.session.path
        burst(app, "2", "enter", *"Veel overleg", "ctrl+q")
        await settle(pilot)
        assert not app.is_running
    saved = saved_answers(path)
    assert saved["energie"] == 2 and saved["waarom_weinig"] == "Veel overleg", "kept, as the quit says"


async def test_an_answer_and_ctrl_s_typed_before_the_first_question_is_built(real_home: Path) -> None:
    """On a slow machine a person can type the answer and Ctrl+S before the question is on
    screen. Ctrl+S runs at once (a priority key): it waits for the question, and the keys
    before it, instead of reading an answer widget not yet built (a traceback before)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_theme("netwerkdip")  # the keys arrive while the screen is still being built
        burst(app, "N", "ctrl+s")
        await settle(pilot)
        session = app.screen.session
        assert saved_answers(session.path)["netwerk"] == "N"
        assert (session.current.kind, session.current.node.id) != ("question", "netwerk"), "and it went on"


async def test_ctrl_s_alone_before_the_first_question_is_built_asks_for_an_answer(real_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_theme("netwerkdip")
        burst(app, "ctrl+s")
        await settle(pilot)
        assert app.screen.session.current.node.id == "netwerk", "the question stays"
        assert [n.message for n in app._notifications] == ["Schrijf eerst een antwoord, of sla de vraag over (Ctrl+O)."]


async def test_an_enter_typed_while_the_next_question_is_built_is_kept_for_it(real_home: Path) -> None:
    """"2 3 Enter 4 Enter" over a choice and two scales: each Enter confirms its own scale.

    The Enter after the choice's number met the choice still on screen (its option list
    took it as its own), or the earlier answer Textual focused in its place, so the first
    scale showed 3 but never went on, and the 4 meant for the second changed it to 4.
    """
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        burst(app, *"Het regionale netwerk ouderenzorg Noord: drie aanbieders en de huisartsen.", "ctrl+s")
        await settle(pilot)
        assert app.screen.session.current.node.id == "verloop"
        burst(app, "2", "3", "enter", "4", "enter")
        await settle(pilot)
        saved = saved_answers(app.screen.session.path)
        assert (saved["verloop"], saved["teken_context"], saved["teken_overleg"]) == ("stokt", 3, 4)
        assert isinstance(app.screen, DialogueScreen), "no earlier answer was opened by the Enter"
        assert app.screen.session.current.node.id == "teken_capaciteit_geld"


async def test_enter_in_type_ahead_adds_list_items_and_breaks_text_lines(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "enter", *"Dementiezorg", "enter", *"Wonen", "enter", "ctrl+s")  # the opening, then a list
        await settle(pilot)
        assert saved_answers(app.screen.session.path)["opgaven"] == ["Dementiezorg", "Wonen"]


async def test_enter_on_an_earlier_answer_opens_it_and_answers_nothing(ui_home: Path) -> None:
    """Enter is now kept for the answer when it reaches the screen; on an earlier answer in
    the conversation it opens that one, and the current choice is left as it was."""
    from coach.ui.widgets.conversation import Bubble

    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Dementiezorg", "enter", "ctrl+s")
        await settle(pilot)
        assert question_text(app) == "Welke positie kies je bij Dementiezorg?"
        earlier = next(b for b in app.screen.query(Bubble) if b.turn.kind == "answer" and b.turn.question == "opgaven")
        earlier.focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert "positie" not in saved_answers(app.screen.session.path), "the choice on screen was not answered"
        assert app.screen.session.current.node.id == "opgaven", "the earlier answer is open to change"
