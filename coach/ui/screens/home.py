"""Home: the handreiking's praatplaat (four perspectives, their kernvragen, the themes)
and the saved sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static, TabbedContent, TabPane, Tree
from textual.widgets.option_list import Option

from coach.errors import CoachError
from coach.text import cite, strip_controls
from coach.ui.actions import APP_ACTIONS, HOME_ACTIONS, bindings
from coach.ui.screens.base import CoachScreen
from coach.ui.widgets.fitting_tree import FittingTree
from coach.ui.widgets.path_text import PathText
from coach.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from coach.session.store import SavedSession


@dataclass(frozen=True)
class Entry:
    """What a tree leaf leads to."""

    kind: str
    """``theme`` or ``kernvraag``."""
    id: str


class HomeScreen(CoachScreen):
    """The praatplaat and the sessions."""

    CSS_PATH = "home.tcss"
    UI_ACTIONS = HOME_ACTIONS + APP_ACTIONS
    BINDINGS = bindings(HOME_ACTIONS)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with TabbedContent(id="home-tabs"):
            with TabPane("Praatplaat", id="tab-praatplaat"):
                with Horizontal(id="praatplaat"):
                    yield FittingTree[Entry](Text("Praatplaat"), id="perspectives")
                    with VerticalScroll(id="detail"):
                        yield Static(Content("Kies een vraag of een gesprek en druk op Enter."), id="detail-text")
            with TabPane("Sessies", id="tab-sessies"):
                with Horizontal(id="sessions-pane"):
                    yield OptionList(id="sessions")
                    with VerticalScroll(id="session-detail"):
                        yield PathText(id="session-text")
        yield self.footer()

    def on_mount(self) -> None:
        self.title = "Netwerkcoach"
        self.sub_title = "Effectief samenwerken, vraag voor vraag"
        self.fill_tree()
        self.fill_sessions()
        self.query_one(Tree).focus()

    def on_screen_resume(self) -> None:
        self.fill_sessions()

    def on_resize(self) -> None:
        super().on_resize()
        # A browser resizes the app right after it starts; redraw the tree's lines for it.
        for tree in self.query(Tree):
            tree.refresh(layout=True)

    # ----------------------------------------------------------------- praatplaat

    def fill_tree(self) -> None:
        tree = self.query_one(Tree)
        tree.show_root = False
        catalogue = self.coach_app.catalogue()
        dialogues = self.coach_app.dialogues()
        for perspective in catalogue.perspectives if catalogue else ():
            branch = tree.root.add(Text(perspective.title.upper()), expand=True)
            for dialogue in dialogues:
                if perspective.id in dialogue.perspectives[:1]:
                    branch.add_leaf(Text(f"▶ Gesprek: {dialogue.title}"), data=Entry("theme", dialogue.id))
            for kernvraag in catalogue.kernvragen:
                if kernvraag.perspective == perspective.id and kernvraag.praatplaat:
                    branch.add_leaf(Text(f"• {kernvraag.text}"), data=Entry("kernvraag", kernvraag.id))
        tree.cursor_line = 1

    def _describe(self, entry: Entry) -> str:
        app = self.coach_app
        if entry.kind == "theme":
            dialogue = app.dialogue_by_id(entry.id)
            minutes = f" Duur: ongeveer {dialogue.minutes} minuten." if dialogue.minutes else ""
            return f"{dialogue.title}\n\n{dialogue.intro.strip()}{minutes}\n\nEnter: begin dit gesprek."
        catalogue = app.catalogue()
        kernvraag = catalogue.kernvragen_by_id[entry.id] if catalogue else None
        if kernvraag is None:
            return ""
        lines = [kernvraag.text, *([f"Bron: {kernvraag.source.title}"] if kernvraag.source.title else []), ""]
        if kernvraag.toelichting:
            source = f"\n— {cite(kernvraag.toelichting.source)}" if kernvraag.toelichting.source else ""
            lines += [kernvraag.toelichting.text.strip() + source, ""]
        dialogue = app.dialogue_for_kernvraag(entry.id)
        if dialogue:
            lines.append(f"Enter: begin het gesprek '{dialogue.title}', dat op deze vraag ingaat.")
        else:
            lines.append("Voor deze vraag komt nog een eigen gesprek. Enter: de vindplaats, met modellen, literatuur en voorbeelden.")
        return "\n".join(lines)

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[Entry]) -> None:
        entry = event.node.data
        if entry is not None:
            self.query_one("#detail-text", Static).update(Content(strip_controls(self._describe(entry))))

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[Entry]) -> None:
        entry = event.node.data
        if entry is None:
            return
        if entry.kind == "theme":
            self.coach_app.start_theme(entry.id)
            return
        dialogue = self.coach_app.dialogue_for_kernvraag(entry.id)
        if dialogue is not None:
            self.coach_app.start_theme(dialogue.id)
        else:
            self.coach_app.show_vindplaats(entry.id)

    # ------------------------------------------------------------------- sessions

    def fill_sessions(self) -> None:
        from coach.session.store import all_sessions, recovered_copies

        self.saved: list[SavedSession] = all_sessions()
        self.copies: dict[str, SavedSession] = recovered_copies(self.saved)
        """Damaged file -> the session recovered from it (to say so, and offer it)."""
        option_list = self.query_one("#sessions", OptionList)
        option_list.clear_options()
        titles = {d.id: d.title for d in self.coach_app.dialogues()}
        for saved in self.saved:
            if saved.problem:
                label = f"⚠ {saved.path.name}: {saved.problem}"
            else:
                answered, _ = saved.progress()
                date = str((saved.document or {}).get("started", ""))[:16].replace("T", " ")
                state = "✓ klaar" if saved.finished else f"⏸ {answered} beantwoord"
                label = f"{titles.get(saved.theme, saved.theme)} · {date} · {state}"
            option_list.add_option(Option(Content(strip_controls(label))))
        if not self.saved:
            option_list.add_option(Option(Content("Nog geen sessies. Kies een gesprek op de praatplaat."), disabled=True))
        else:
            option_list.highlighted = 0
        tabs = self.query_one(TabbedContent)
        unfinished = sum(1 for s in self.saved if s.document and not s.finished)
        tabs.get_tab("tab-sessies").label = Content(f"Sessies ({unfinished} onderbroken)" if unfinished else "Sessies")
        self.refresh_bindings()

    @on(OptionList.OptionHighlighted, "#sessions")
    def _session_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index >= len(self.saved):
            return
        saved = self.saved[event.option_index]
        if saved.problem:
            text = self._unreadable_text(saved)
        elif saved.finished:
            text = "Enter: lees de samenvatting. Delete: verwijderen."
        else:
            text = "Enter: ga verder waar je was. Delete: verwijderen."
        self.query_one("#session-text", PathText).show("", str(saved.path), f"\n\n{text}")

    def _unreadable_text(self, saved: SavedSession) -> str:
        """What is wrong with an unreadable session, that the file is kept, and what Enter does."""
        text = f"Onleesbaar: {saved.problem}\n\nHet bestand blijft zoals het is.\n\n"
        copy = self.copies.get(str(saved.path.resolve()))
        if copy is not None:
            return text + f"Al hersteld als {copy.session_id}.\nEnter: open die kopie. Delete: verwijderen."
        if saved.damaged:
            return text + "Enter: open wat nog leesbaar is als kopie (met bevestiging). Delete: verwijderen."
        return text + "Enter: lees waarom het niet te openen is. Delete: verwijderen."

    @on(OptionList.OptionSelected, "#sessions")
    def _session_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_index < len(self.saved):
            self.coach_app.open_saved(self.saved[event.option_index])

    def action_open_selected(self) -> None:
        focused = self.focused
        if isinstance(focused, Tree) and focused.cursor_node is not None:
            focused.select_node(focused.cursor_node)
        elif isinstance(focused, OptionList) and focused.highlighted is not None:
            focused.action_select()

    def action_vindplaats(self) -> None:
        self.coach_app.show_vindplaats(None)

    def action_resume_latest(self) -> None:
        unfinished = [s for s in self.saved if s.document and not s.finished]
        if unfinished:
            self.coach_app.open_saved(unfinished[0])

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        target = "#perspectives" if tab == "tab-praatplaat" else "#sessions"
        self.query_one(target).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume_latest":
            return any(s.document and not s.finished for s in getattr(self, "saved", []))
        if action == "delete_session":
            return self.query_one(TabbedContent).active == "tab-sessies"
        return True

    def action_delete_session(self) -> None:
        option_list = self.query_one("#sessions", OptionList)
        if not option_list.has_focus or option_list.highlighted is None or option_list.highlighted >= len(self.saved):
            return
        saved = self.saved[option_list.highlighted]
        from coach.session import deletion

        reports = [p.name for p, _ in deletion.companions(saved.path, None)]

        def done(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                deletion.delete_saved(saved.path)
            except CoachError as err:
                self.notify(Content(strip_controls(str(err))), title="Niet verwijderd", severity="error", timeout=10)
            else:
                self.notify(Content("Sessie verwijderd."))
            self.fill_sessions()

        from coach.ui.screens.modals import ConfirmScreen

        also = f" Ook {', '.join(reports)} gaat weg." if len(reports) == 1 else (
            f" Ook {', '.join(reports[:-1])} en {reports[-1]} gaan weg." if reports else "")
        question = strip_controls(f"Sessie {saved.path.stem} verwijderen?{also} Dit kan niet ongedaan worden.")
        self.app.push_screen(ConfirmScreen(question, "Verwijderen"), done)
