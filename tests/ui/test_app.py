"""The terminal app driven through the keyboard, as a director would use it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, Static, Tree

from coach.session import transcript
from coach.ui.app import make_app
from coach.ui.screens.dialogue import DialogueScreen
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.summary import SummaryScreen
from coach.ui.widgets.conversation import Bubble
from ui_helpers import open_jump_list, question_text, rendered_options, saved_answers



def conversation(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(b.render()) for b in app.screen.query(Bubble)]


async def answer_first_half(pilot) -> None:  # type: ignore[no-untyped-def]
    """Welcome, two opgaven, positie and overwegingen for the first."""
    await pilot.press("enter")                                   # info
    await pilot.press(*"Dementiezorg", "enter", *"Wonen", "enter", "ctrl+s")  # list
    await pilot.press("1")                                       # choice: proactief
    await pilot.press("1", "3", "ctrl+s")                         # multichoice
    await pilot.pause()


async def test_home_shows_the_four_perspectives_and_starts_a_theme(real_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        tree = app.screen.query_one(Tree)
        labels = [str(node.label) for node in tree.root.children]
        assert labels == ["MAATSCHAPPELIJKE OPGAVEN", "ONZE ORGANISATIE", "ONZE SAMENWERKING(EN)", "BESTUUR EN TOEZICHT"]
        leaves = [str(leaf.label) for branch in tree.root.children for leaf in branch.children]
        assert any(label.startswith("▶ Gesprek: Positionering") for label in leaves)
        assert any("Hoe geven we netwerkleiderschap vorm?" in label for label in leaves)
        await pilot.press("enter")  # the first leaf: the positionering dialogue
        await pilot.pause()
        assert isinstance(app.screen, DialogueScreen)
        assert question_text(app).startswith("Tot welke maatschappelijke opgaven")


async def test_every_kernvraag_on_home_leads_somewhere(real_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        for branch in screen.query_one(Tree).root.children:
            for leaf in branch.children:
                text = screen._describe(leaf.data)
                assert "Enter: begin" in text or "komt nog een eigen gesprek" in text, str(leaf.label)


async def test_every_answer_type_then_summary(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_first_half(pilot)
        assert question_text(app) == "Welke positie kies je bij Wonen?"
        assert str(app.screen.query_one("#item-line").render()) == "Voor de opgave 'Wonen':"
        await pilot.press("down", "enter")                       # choice by arrows: actief
        await pilot.press("ctrl+s")                               # multichoice: none
        await pilot.pause()
        assert question_text(app) == "Je noemde Dementiezorg en Wonen. Hoeveel energie geeft dat?"
        await pilot.press("2", "enter")                           # scale: 2 opens a branch
        await pilot.pause()
        assert question_text(app) == "Wat kost je energie?"
        await pilot.press(*"Veel overleg zonder besluiten.", "ctrl+s")
        await pilot.pause()
        await pilot.press("1", "enter")                           # polarity: now 1 ...
        await pilot.pause()
        await pilot.press("4", "enter")                           # ... desired 4
        await pilot.pause()
        assert question_text(app) == "Welke stap zet je als eerste?"
        await pilot.press(*"Bellen met de wethouder over de planning.", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "Je koos op 2 opgaven een actieve rol." in shown
        assert "Maatschappelijke zeshoek" in shown and "Laat zien wie de opgaven nog meer kan dragen." in shown
        assert filled_parts(app) == [(2, 5), (1, 5), (4, 5)], "energy 2; the polarity now 1, desired 4"


def filled_parts(app) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Each summary bar as drawn: (filled cells, all cells) rounded to the bar's own steps.

    The bar inside Textual's ProgressBar was 32 cells wide in a place of 24: cut off, a
    4 of 5 was drawn as full and a 2 as more than half.
    """
    from textual.widgets import ProgressBar

    drawn = []
    for bar in app.screen.query(ProgressBar):
        segments = list(bar.query_one("Bar").render_line(0))
        width = sum(len(s.text) for s in segments)
        assert width == bar.size.width, "the bar fits its place"
        filled = 0
        for segment in segments:
            if segment.style != segments[0].style:
                break
            filled += len(segment.text)
        total = int(bar.total or 0)
        drawn.append((round(filled * total / width), total))
    return drawn


async def test_every_answer_is_saved_before_the_next_question(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_first_half(pilot)
        session = app.screen.session
        on_disk = transcript.load(session.path)
        assert on_disk["position"] == {"node": "positie", "item": "Wonen"}
        assert {a["question"] for a in on_disk["answers"]} == {"opgaven", "positie", "overwegingen"}
        assert "opgeslagen" in str(app.screen.query_one("#saved").render())


async def test_back_and_change_an_answer_tells_what_was_set_aside(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_first_half(pilot)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert question_text(app) == "Wat weegt mee bij Dementiezorg?"
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert question_text(app) == "Welke positie kies je bij Dementiezorg?"
        await pilot.press("3")                                    # afhoudend: skips overwegingen
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any("Apart gezet" in m and "overwegingen" in m for m in messages)
        assert question_text(app) == "Welke positie kies je bij Wonen?"


async def test_skip_is_recorded_and_shown(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Dementiezorg", "enter", "ctrl+s", "ctrl+o")
        await pilot.pause()
        assert "(overgeslagen)" in conversation(app)
        assert app.screen.session.events[-1]["type"] == "skip"


async def test_pause_and_resume_at_the_same_question(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_first_half(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("v")                                    # Verder: the latest unfinished session
        await pilot.pause()
        assert question_text(again) == "Welke positie kies je bij Wonen?"
        assert "Proactief / initiërend" in conversation(again)


async def test_answers_show_as_text_not_markup(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"[bold]x[/] [@click=app.quit]y[/]", "enter", "ctrl+s")
        await pilot.pause()
        assert "[bold]x[/] [@click=app.quit]y[/]" in conversation(app)
        assert app.is_running


async def test_jump_to_an_answered_question(ui_home: Path) -> None:
    app = make_app(theme="example")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_first_half(pilot)
        options = await open_jump_list(pilot, app)
        assert options.option_count == 3
        await pilot.press("enter")                                # the first: the opgaven list
        await pilot.pause()
        assert question_text(app) == "Tot welke opgaven wil je je verhouden?"


async def test_jump_list_shows_long_questions_whole_at_80_columns(real_home: Path) -> None:
    """A long question wraps in the Ctrl+G list, its further lines indented, instead of being cut."""
    app = make_app(theme="positionering")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = question_text(app)
        assert len(first) > 100, "a question longer than one line of the list"
        await pilot.press(*"Dementiezorg", "enter", "ctrl+s")
        await pilot.pause()
        options = await open_jump_list(pilot, app)
        lines = rendered_options(options)
        assert "…" not in "\n".join(lines)
        assert " ".join(" ".join(lines).split()) == first, lines
        assert len(lines) >= 2 and not lines[0].startswith(" ") and all(line.startswith("  ") for line in lines[1:]), lines
        await pilot.press("enter")                                # still chosen with the keyboard
        await pilot.pause()
        assert question_text(app) == first


async def test_help_screen_names_keys_storage_and_privacy(ui_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        text = str(app.screen.query_one("#help-text", Static).render())
        assert "Ctrl+S" in text and "Verder" in text and "Esc" in text and "escape" not in text
        assert str(ui_home / "sessions") in text
        assert "stuurt nooit iets weg" in text
        assert "Esc of F1 sluit deze hulp" in text
        # The help column wraps beneath itself (it wrapped to the left edge, through the keys).
        box = app.screen.query_one("#help-text", Static)
        lines = [line.rstrip() for line in str(box.render()).splitlines()]
        table = lines[lines.index("Overal") + 1: lines.index("Ctrl+P opent het opdrachtenpalet: alle acties en "
                                                            "gesprekken, doorzoekbaar.")]
        widest = max(len(line) for line in table)
        assert widest <= box.content_size.width, (widest, box.content_size.width)
        continued = [line for line in table if line.startswith(" " * 28)]
        assert continued, "some help wraps at 80 columns"
        assert all(line[:28].strip() == "" for line in continued)


async def test_too_small_terminal_says_so(ui_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-too-small")
        assert "te klein" in str(app.screen.query_one("#too-small", Static).render())


async def test_summary_exports_markdown_and_html_reports(ui_home: Path) -> None:
    import stat

    from coach.session.headless import run_headless
    from coach.engine.library import load_catalogue, load_dialogue
    from conftest import DATA

    catalogue = load_catalogue(DATA)
    dialogue = load_dialogue(DATA / "example.yaml", catalogue)
    given = {"opgaven": ["Dementiezorg"], "positie": {"Dementiezorg": "actief"}, "overwegingen": {"Dementiezorg": []},
             "energie": 4, "spanning": {"now": 1, "desired": 4}, "stap": "Bellen met de wethouder over de planning."}
    session = run_headless(dialogue, catalogue, given, "test", probes=False)
    path = ui_home / "sessions" / "klaar.yaml"
    transcript.save(path, session.to_document())
    app = make_app(resume=str(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("m")
        await pilot.press("h")
        await pilot.pause()
        markdown, html = path.with_suffix(".md"), path.with_suffix(".html")
        assert "Bellen met de wethouder" in markdown.read_text(encoding="utf-8")
        assert "<html" in html.read_text(encoding="utf-8").lower()
        assert stat.S_IMODE(html.stat().st_mode) == 0o600
        assert any(str(html) in str(n.message) for n in app._notifications), "the path is shown"


async def test_second_window_on_the_same_session_is_told_it_is_open_elsewhere(ui_home: Path) -> None:
    from conftest import DATA, run_coach

    first = make_app(theme="example")
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Dementiezorg", "enter", "ctrl+s")
        await pilot.pause()
        path = first.screen.session.path
        before = path.read_bytes()
        second = run_coach(ui_home, "resume", str(path), "--plain", input="2\n", COACH_DIALOGUES=str(DATA))
        assert second.returncode == 1, second.stdout
        assert str(path.name) in second.stderr and "Traceback" not in second.stderr
        assert path.read_bytes() == before, "the second window wrote nothing"
        await pilot.press("1")
        await pilot.pause()
        assert path.read_bytes() != before, "the first window still saves"
    again = run_coach(ui_home, "resume", str(path), "--plain", input="", COACH_DIALOGUES=str(DATA))
    assert again.returncode == 0, "after the first window closed, the session opens"


async def test_group_tag_and_participant_from_the_command_line(ui_home: Path) -> None:
    app = make_app(theme="example", group="Langer Thuis Vallei", participant={"name": "Anna", "organisation": None})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        document = transcript.load(app.screen.session.path)
        assert document["group"] == "Langer Thuis Vallei"
        assert document["participant"]["name"] == "Anna"


async def test_the_command_palette_speaks_dutch(ui_home: Path) -> None:
    """Ctrl+P showed "Search for commands…" with Theme, Quit, Keys and Screenshot, and the
    footer ended in "^p palette"."""
    from textual.command import CommandInput

    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        footer = str(app.screen.query_one("KeyBar").render())
        assert "Opdrachten" in footer and "palette" not in footer
        assert [c.title for c in app.get_system_commands(app.screen)] == [
            "Toetsen", "Kleuren", "Stoppen", "Vergroten", "Schermafdruk"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(CommandInput).placeholder == "Zoek een opdracht of gesprek…"
        await pilot.press(*"kleur")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("enter")                                # the colour schemes, searched in Dutch too
        await pilot.pause()
        assert app.screen.query_one(CommandInput).placeholder == "Zoek een kleurenschema…"


async def test_toetsen_in_the_palette_opens_the_dutch_help_not_textuals_key_panel(real_home: Path) -> None:
    """Textual's key panel named the text box's keys in English ("Move cursor left")."""
    from textual.widgets import HelpPanel

    from coach.ui.screens.modals import HelpScreen

    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"toetsen")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert not app.query(HelpPanel) and not app.screen_stack[-2].query(HelpPanel)
        assert "Toetsen (Esc of F1 sluit deze hulp)" in str(app.screen.query_one("#help-text").render())


async def test_pausing_keeps_a_half_typed_answer(real_home: Path) -> None:
    """Esc said "Bewaard" but dropped the text in the box; now it is the answer, as in plain mode."""
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        first = app.screen.session.current.node.id
        path = app.screen.session.path
        await pilot.press(*"Zorgnetwerk Noord met drie aanbieders", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        saved = saved_answers(path)
        assert saved[first] == "Zorgnetwerk Noord met drie aanbieders"
        assert any("als antwoord bewaard" in str(n.message) for n in app._notifications)


async def test_quitting_keeps_a_half_typed_answer_and_asks_when_it_cannot(real_home: Path) -> None:
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        first = app.screen.session.current.node.id
        path = app.screen.session.path
        await pilot.press(*"Zorgnetwerk Noord", "ctrl+q")
        await pilot.pause()
    saved = saved_answers(path)
    assert saved[first] == "Zorgnetwerk Noord"
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("space", "space", "ctrl+q")             # only spaces: no answer the session takes
        await pilot.pause()
        from coach.ui.screens.modals import ConfirmScreen

        assert app.is_running and isinstance(app.screen, ConfirmScreen), "asked before anything is lost"


async def test_an_answer_the_session_refuses_is_said_as_a_sentence(real_home: Path) -> None:
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        from textual.widgets import TextArea

        from coach.session.answers import MAX_TEXT_CHARS

        app.screen.query_one(TextArea).text = "x" * (MAX_TEXT_CHARS + 1)  # pasted, say
        await pilot.press("ctrl+s")
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications if n.title == "Dat past nog niet"]
        assert messages and messages[-1].startswith(f"Het antwoord is {MAX_TEXT_CHARS + 1} tekens lang"), messages


async def test_a_question_gone_back_to_is_not_also_in_the_conversation_above(real_home: Path) -> None:
    """After Ctrl+B the question stood twice: above with its old answer, and below to answer."""
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press(*"Het regionale netwerk ouderenzorg Noord met drie aanbieders en de gemeente.", "ctrl+s")
        await pilot.pause()
        await pilot.press("2")                                    # verloop: 'stokt'
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.screen.session.current.node.id == "verloop"
        bubbles = " ".join(str(b.render()) for b in app.screen.query(Bubble))
        assert "Hoe zou je het verloop" not in bubbles and "Na een energieke start stokt het" not in bubbles
        assert "Het regionale netwerk ouderenzorg Noord" in bubbles, "what came before stays"


async def test_progress_tells_skipped_from_answered(real_home: Path) -> None:
    """A skipped question counted as "beantwoord"."""
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("ctrl+o")                               # skip the first question
        await pilot.pause()
        await pilot.press("2")                                    # answer the second
        await pilot.pause()
        await pilot.pause()
        progress = str(app.screen.query_one("#progress", Label).render())
        assert progress.startswith("1 beantwoord · 1 overgeslagen · nog ongeveer "), progress


async def test_pausing_before_any_answer_leaves_no_empty_session(real_home: Path) -> None:
    """Every start left a session of "0 beantwoord" behind, and `coach resume` took it as the latest."""
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        path = app.screen.session.path
        assert path.exists(), "the session's file is taken once the question shows"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not path.exists() and not list(path.parent.glob("*"))
        assert any("niets bewaard" in str(n.message) for n in app._notifications)


async def test_quitting_before_any_answer_leaves_no_empty_session(real_home: Path) -> None:
    app = make_app(theme="netwerkdip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        path = app.screen.session.path
        assert path.exists()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not path.exists()


async def test_tree_labels_that_do_not_fit_end_in_an_ellipsis(real_home: Path) -> None:
    """At 80 columns the praatplaat cut labels mid-word ("… aan s"), with no sign more follows."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(Tree)
        drawn = ["".join(s.text for s in tree.render_line(y)).rstrip() for y in range(tree.size.height)]
        cut = [line for line in drawn if line.endswith("…")]
        assert cut, drawn
        assert all(len(line) <= tree.scrollable_content_region.width for line in drawn)
        labels = {str(node.label) for node in tree.root.children for node in [node, *node.children]}
        for line in cut:
            shown = line.lstrip("├└─│ ▼▶• ").removesuffix("…")
            assert any(shown in label for label in labels), line
