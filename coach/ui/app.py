"""CoachApp: wiring only. Screens do the showing, the session does the work."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.content import Content

from coach.errors import CoachError
from coach.text import strip_controls
from coach.ui.actions import APP_ACTIONS, bindings
from coach.ui.commands import ThemesProvider

if TYPE_CHECKING:
    from coach.engine.model import Catalogue, Dialogue
    from coach.session.session import Session
    from coach.session.store import SavedSession


class CoachApp(App[int]):
    """Netwerkcoach in the terminal."""

    TITLE = "Netwerkcoach"
    CSS_PATH = ["app.tcss"]
    BINDINGS = bindings(APP_ACTIONS)
    COMMANDS = App.COMMANDS | {ThemesProvider}
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, *, start_theme: str | None = None, resume: str | None = None,
                 coach: bool = False, panel_hidden: bool = False, group: str | None = None,
                 participant: dict[str, str | None] | None = None) -> None:
        super().__init__()
        self.group = group
        self.participant = participant or {}
        self.start_theme_id = start_theme
        self.resume_reference = resume
        self.coach = coach
        self.panel_hidden = panel_hidden
        self._dialogues: list[Dialogue] | None = None
        self._catalogue: Catalogue | None = None
        self._open: list[Session] = []
        """Sessions opened for writing (their locks are let go when the app ends)."""

    # ------------------------------------------------------------------ content

    def catalogue(self) -> Catalogue | None:
        if self._catalogue is None:
            from coach.engine.library import load_catalogue
            from coach.errors import CheckFailed

            try:
                self._catalogue = load_catalogue()
            except CheckFailed as err:
                self.notify(Content(strip_controls(str(err.problems[0]))), title="Catalogus", severity="error")
        return self._catalogue

    def dialogues(self) -> list[Dialogue]:
        if self._dialogues is None:
            from coach.engine.library import dialogue_paths, load_dialogue
            from coach.paths import dialogues_dir

            self._dialogues = []
            for path in dialogue_paths(dialogues_dir()):
                try:
                    self._dialogues.append(load_dialogue(path, self.catalogue()))
                except CoachError as err:
                    self.notify(Content(strip_controls(str(err))), title="Gesprek niet geladen", severity="error")
        return self._dialogues

    def dialogue_by_id(self, theme_id: str) -> Dialogue:
        return next(d for d in self.dialogues() if d.id == theme_id)

    def dialogue_for_kernvraag(self, kernvraag_id: str) -> Dialogue | None:
        for dialogue in self.dialogues():
            if kernvraag_id in dialogue.kernvragen or any(kernvraag_id in n.kernvragen for n in dialogue.nodes):
                return dialogue
        return None

    # ------------------------------------------------------------------ screens

    def on_unmount(self) -> None:
        for session in self._open:
            session.close()

    def on_mount(self) -> None:
        # Straight to the question when a theme or session is named: home is built only
        # when the person goes there (it reads every theme and session).
        if self.start_theme_id:
            self.start_theme(self.start_theme_id)
        elif self.resume_reference is not None:
            self.resume(self.resume_reference)
        if len(self.screen_stack) <= 1:
            self.push_home()

    def push_home(self) -> None:
        from coach.ui.screens.home import HomeScreen

        self.push_screen(HomeScreen())

    def start_theme(self, theme_id: str) -> None:
        """Begin a new session of a theme (saved at once)."""
        import secrets

        from coach import clock
        from coach.engine.library import load_catalogue_for, load_theme
        from coach.session.lock import SessionLock
        from coach.session.session import Session
        from coach.session.store import new_session_path

        try:
            dialogue = load_theme(theme_id)
            session_id = f"{clock.now():%Y%m%d-%H%M%S}-{dialogue.id}-{secrets.token_hex(2)}"
            path = new_session_path(session_id)
            lock = SessionLock(path).acquire()  # one writer per transcript (another tab, another terminal)
            try:
                session = Session.start(dialogue, None, path=path, session_id=session_id, group=self.group,
                                        participant={k: v for k, v in self.participant.items() if v})
            except BaseException:
                lock.release()
                raise
            session.lock = lock
            # The catalogue (models, shared follow-ups) is read once the question is on screen.
            self.call_after_refresh(lambda: setattr(session, "catalogue", load_catalogue_for(dialogue)))
        except OSError as err:
            self.notify(Content(f"Kan niet opslaan in {err.filename}: {err.strerror}. Kies een andere map met COACH_HOME."),
                        severity="error", timeout=15)
            return
        except CoachError as err:
            self.notify(Content(strip_controls(str(err))), severity="error", timeout=10)
            return
        self.open_session(session)
        if self.coach:
            self.ask_details(session)

    def ask_details(self, session: Session) -> None:
        """Optional name, organisation and date for a coached session."""
        from coach import clock
        from coach.ui.screens.modals import DetailsScreen

        def done(values: dict[str, str] | None) -> None:
            if values:
                session.participant.update({k: (v or None) for k, v in values.items()})
                try:
                    session.save()
                except CoachError as err:
                    self.notify(Content(strip_controls(str(err))), severity="error")

        self.push_screen(DetailsScreen(clock.now().date().isoformat()), done)

    def resume(self, reference: str) -> None:
        """Continue a saved session ('' for the latest unfinished one)."""
        from coach.commands import open_saved
        from coach.session.transcript import TranscriptDamaged
        from coach.ui import recovery

        try:
            session = open_saved(reference or None)
        except TranscriptDamaged as err:
            recovery.offer_recovery(self, Path(err.path or reference))  # says what is wrong, offers a copy
            return
        except CoachError as err:
            self.notify(Content(strip_controls(str(err))), severity="error", timeout=10)
            return
        self.open_session(session)
        if not reference and session.path is not None:
            recovery.warn_newer_unreadable(self, session.path)

    def open_saved(self, saved: SavedSession) -> None:
        """A saved session from the home screen: its summary when finished, else resume it."""
        if saved.problem:
            from coach.ui.recovery import offer_recovery

            offer_recovery(self, saved.path)
        elif saved.finished and saved.document and saved.document.get("summary"):
            from coach.ui.screens.summary import SummaryScreen

            title = (saved.document.get("dialogue") or {}).get("title", "")
            self.push_screen(SummaryScreen(str(title), saved.document["summary"], saved.path, saved.document))
        else:
            self.resume(str(saved.path))

    def open_session(self, session: Session) -> None:
        from coach.ui.screens.dialogue import DialogueScreen

        self._open.append(session)
        if session.is_finished and session.summary:
            self.show_summary(session, replace=False)
            return
        if self.coach and session.mode != "coach":
            try:
                session.set_mode("coach")
            except CoachError as err:
                self.notify(Content(strip_controls(str(err))), severity="error")
        self.push_screen(DialogueScreen(session, coach=self.coach, panel_hidden=self.panel_hidden))

    def show_summary(self, session: Session, replace: bool = True) -> None:
        from coach.ui.screens.summary import SummaryScreen

        session.close()  # finished: nothing more to write, so another window may open it
        screen = SummaryScreen(session.dialogue.title, session.summary or {}, session.path)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def show_vindplaats(self, kernvraag_id: str | None) -> None:
        from coach.ui.screens.vindplaats import VindplaatsScreen

        self.push_screen(VindplaatsScreen(kernvraag_id))

    def close_session(self, session: Session) -> None:
        """Called when a dialogue screen closes (pause): let go of its lock."""
        session.close()

    def go_home(self) -> None:
        """Back to the praatplaat, building it if the app started elsewhere."""
        from coach.ui.screens.home import HomeScreen

        homes = [i for i, screen in enumerate(self.screen_stack) if isinstance(screen, HomeScreen)]
        if homes:
            while len(self.screen_stack) > homes[-1] + 1:
                self.pop_screen()
        else:
            while len(self.screen_stack) > 2:
                self.pop_screen()
            self.switch_screen(HomeScreen())

    # ------------------------------------------------------------------ actions

    def action_help(self) -> None:
        from coach.paths import sessions_dir
        from coach.ui.screens.modals import HelpScreen

        self.push_screen(HelpScreen(str(sessions_dir())))

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"


def make_app(*, theme: str | None = None, resume: str | None = None, coach: bool = False,
             panel_hidden: bool = False, group: str | None = None,
             participant: dict[str, str | None] | None = None, **_: Any) -> CoachApp:
    """The app, as the CLI and the tests build it."""
    return CoachApp(start_theme=theme, resume=resume, coach=coach, panel_hidden=panel_hidden, group=group,
                    participant=participant)


def run_app(*, theme: str | None = None, resume: str | None = None, coach: bool = False,
            panel_hidden: bool = False, group: str | None = None,
            participant: dict[str, str | None] | None = None) -> int:
    """Run the app in this terminal; returns the exit code."""
    app = make_app(theme=theme, resume=resume, coach=coach, panel_hidden=panel_hidden, group=group,
                   participant=participant)
    app.run()
    return app.return_code or 0


__all__ = ["CoachApp", "make_app", "run_app", "Path"]
