"""CoachApp: wiring only. Screens do the showing, the session does the work."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen

from coach.errors import CoachError
from coach.text import strip_controls
from coach.ui.actions import APP_ACTIONS, bindings
from coach.ui.commands import ThemesProvider

if TYPE_CHECKING:
    from coach.engine.catalogue import Catalogue
    from coach.engine.model import Dialogue
    from coach.session.session import Session
    from coach.session.store import SavedSession


class CoachApp(App[int]):
    """Netwerkcoach in the terminal."""

    TITLE = "Netwerkcoach"
    CSS_PATH = ["app.tcss"]
    BINDINGS = [*bindings(APP_ACTIONS),
                Binding("ctrl+p", "command_palette", "Opdrachten", show=False, priority=True,
                        tooltip="Zoek een opdracht of een gesprek")]
    COMMANDS = App.COMMANDS | {ThemesProvider}
    ENABLE_COMMAND_PALETTE = True
    SYSTEM_COMMANDS: ClassVar[dict[str, tuple[str, str]]] = {
        "Theme": ("Kleuren", "Kies een ander kleurenschema"),
        "Quit": ("Stoppen", "Netwerkcoach afsluiten (alles is al bewaard)"),
        "Maximize": ("Vergroten", "Laat het gekozen onderdeel het hele scherm vullen"),
        "Minimize": ("Verkleinen", "Terug naar het gewone scherm"),
        "Screenshot": ("Schermafdruk", "Bewaar een afbeelding (SVG) van dit scherm"),
    }
    """Textual's own palette commands, in Dutch (by their English title)."""

    def __init__(self, *, start_theme: str | None = None, resume: str | None = None,
                 coach: bool = False, panel_hidden: bool = False, group: str | None = None,
                 participant: dict[str, str | None] | None = None, probes: bool = True,
                 notices: list[str] | None = None) -> None:
        # The first screen's styles are read with the app's, so they are parsed once.
        first_screen_css = "screens/dialogue.tcss" if start_theme or resume is not None else "screens/home.tcss"
        super().__init__(css_path=[*self.CSS_PATH, first_screen_css])
        self.group = group
        self.participant = participant or {}
        self.start_theme_id = start_theme
        self.resume_reference = resume
        self.coach = coach
        self.panel_hidden = panel_hidden
        self.probes = probes
        """Follow-ups are asked (``--no-probes`` turns them off for the sessions this app opens)."""
        self._dialogues: list[Dialogue] | None = None
        self._catalogue: Catalogue | None = None
        self._open: list[Session] = []
        """Sessions opened for writing (their locks are let go when the app ends)."""
        self._waiting: list[Callable[[], object]] | None = []
        """What was found while the first screen was built (errors, a damaged file), done once mounted."""
        self._details_first = False
        self._started = False
        for notice in notices or []:  # e.g. what a recovered copy left out, said by the CLI before the app ran
            self.when_started(lambda text=notice: self.notify(Content(strip_controls(text)), severity="warning",
                                                              timeout=30))

    # ------------------------------------------------------------------ palette

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands, named in Dutch; one without a translation is left out.

        Textual's "Keys" panel names the text box's own keys in English ("Move cursor
        left"): "Toetsen" opens this app's help instead, where every key is in Dutch.
        """
        yield SystemCommand("Toetsen", "Alle toetsen, waar alles bewaard wordt, en privacy (F1)", self.action_help)
        for command in super().get_system_commands(screen):
            if command.title in self.SYSTEM_COMMANDS:
                title, help_text = self.SYSTEM_COMMANDS[command.title]
                yield command._replace(title=title, help=help_text)

    def action_command_palette(self) -> None:
        from coach.ui.palette import Palette

        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette", placeholder="Zoek een opdracht of gesprek…"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from coach.ui.palette import Palette

        self.push_screen(Palette(providers=[ThemeProvider], placeholder="Zoek een kleurenschema…"))

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

    def get_default_screen(self) -> Screen[Any]:
        """The first screen: the question when a theme or session is named, else home.

        Built here rather than pushed once the app is mounted, so the first frame
        Textual draws is the question itself (one layout, nothing drawn twice). Home is
        built only when it is the first screen or the person goes there (it reads every
        theme and session).
        """
        screen: Screen[Any] | None = None
        if self.start_theme_id:
            screen = self.theme_screen(self.start_theme_id)
            if self.coach and screen is not None:
                self._details_first = True
        elif self.resume_reference is not None:
            screen = self.resume_screen(self.resume_reference)
        if screen is None:
            from coach.ui.screens.home import HomeScreen

            screen = HomeScreen()
        # Textual reads a screen's CSS_PATH when the screen is pushed, not for the first one.
        unread = [path for path in screen.css_path if not self.stylesheet.has_source(str(path), "")]
        for path in unread:
            self.stylesheet.read(path)
        if unread:
            self.stylesheet.reparse()
        # Textual gives a pushed screen a (no-op) result callback, but not the default one,
        # so switching away from it (to the summary, to home) fails; give it one too.
        screen._push_result_callback(self, None)
        return screen

    def on_mount(self) -> None:
        waiting, self._waiting = self._waiting, None
        for callback in waiting or []:
            callback()
        if self._details_first and self._open:
            self.ask_details(self._open[-1])

    def when_started(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` now, or once the app is mounted when the first screen is still being built."""
        if self._waiting is not None:
            self._waiting.append(callback)
        else:
            callback()

    def report(self, message: str, timeout: float = 10) -> None:
        """An error for the person, as a notification."""
        self.when_started(lambda: self.notify(Content(message), severity="error", timeout=timeout))

    def push_home(self) -> None:
        from coach.ui.screens.home import HomeScreen

        self.push_screen(HomeScreen())

    def theme_screen(self, theme_id: str) -> Screen[Any] | None:
        """A new session of a theme, on its screen; None (and said why) when it cannot start.

        The session's file is claimed (lock, first save) once its question is on screen.
        """
        from coach.engine.library import load_theme
        from coach.session.session import Session
        from coach.session.store import data_dir_error, new_session_id, new_session_path

        try:
            dialogue = load_theme(theme_id)
            session_id = new_session_id(dialogue.id)
            path = new_session_path(session_id)
            session = Session.start(dialogue, None, path=path, session_id=session_id, group=self.group,
                                    participant={k: v for k, v in self.participant.items() if v}, save=False,
                                    probes=self.probes)
        except OSError as err:
            self.report(strip_controls(str(data_dir_error(err))), timeout=15)
            return None
        except CoachError as err:
            self.report(strip_controls(str(err)))
            return None
        return self.session_screen(session, claim=lambda: claim_new_session(session))

    def start_theme(self, theme_id: str) -> None:
        """Begin a new session of a theme (from home or the palette)."""
        screen = self.theme_screen(theme_id)
        if screen is None:
            return
        self.push_screen(screen)
        if self.coach and self._open:
            self.ask_details(self._open[-1])

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

    def resume_screen(self, reference: str) -> Screen[Any] | None:
        """A saved session ('' for the latest unfinished one) on its screen; None when it cannot open."""
        from coach.commands import open_saved
        from coach.session.transcript import TranscriptDamaged
        from coach.ui import recovery

        try:
            session = open_saved(reference or None, probes=self.probes)
        except TranscriptDamaged as err:
            damaged = Path(err.path or reference)
            self.when_started(lambda: recovery.offer_recovery(self, damaged))  # says what is wrong, offers a copy
            return None
        except CoachError as err:
            self.report(strip_controls(str(err)))
            return None
        if not reference and session.path is not None:
            latest = session.path
            self.when_started(lambda: recovery.warn_newer_unreadable(self, latest))
        return self.session_screen(session)

    def resume(self, reference: str) -> None:
        """Continue a saved session ('' for the latest unfinished one)."""
        screen = self.resume_screen(reference)
        if screen is not None:
            self.push_screen(screen)

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

    def open_session(self, session: Session, claim: Callable[[], None] | None = None) -> None:
        """Show a session: its question, or its summary when it is finished."""
        self.push_screen(self.session_screen(session, claim))

    def session_screen(self, session: Session, claim: Callable[[], None] | None = None) -> Screen[Any]:
        """The screen for a session; ``claim`` takes its file once the question shows."""
        from coach.ui.screens.dialogue import DialogueScreen

        self._open.append(session)
        if session.is_finished and session.summary:
            return self.summary_screen(session)
        if self.coach and session.mode != "coach":
            try:
                session.set_mode("coach")
            except CoachError as err:
                self.report(strip_controls(str(err)))
        elif not self.coach and session.mode == "coach":
            # Opened alone on purpose (the coach's notes stay out of sight), but said, so a coach
            # who resumes a call is not left looking for the panel.
            self.when_started(lambda: self.notify(
                Content("Deze sessie is met een coach gevoerd. F5 zet de coachmodus aan, met de notities."), timeout=10))
        return DialogueScreen(session, coach=self.coach, panel_hidden=self.panel_hidden, claim=claim)

    def summary_screen(self, session: Session) -> Screen[Any]:
        """A finished session's summary (its lock let go: nothing more to write, so another window may open it)."""
        from coach.ui.screens.summary import SummaryScreen

        session.close()
        return SummaryScreen(session.dialogue.title, session.summary or {}, session.path)

    def show_summary(self, session: Session, replace: bool = True) -> None:
        screen = self.summary_screen(session)
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
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.switch_screen(HomeScreen())

    def post_display_hook(self) -> None:
        """A frame is on the terminal: the top screen may now do what could wait."""
        from coach.ui.screens.base import CoachScreen

        screen = self.screen_stack[-1] if self.screen_stack else None
        if isinstance(screen, CoachScreen):
            # Textual drops a frame drawn while an update batch is open (and says so only
            # in this private counter).
            screen.displayed(dropped=bool(getattr(self, "_batch_count", 1)))
            if screen.painted and not self._started:
                self.started()

    def started(self) -> None:
        """The first screen is drawn: start-up is over (see coach.ui.launch)."""
        import gc

        self._started = True
        gc.collect()  # start-up's garbage goes first (frozen, it would be kept for good) ...
        gc.freeze()  # ... and what start-up made lives as long as the app: never scan it again
        gc.enable()

    # ------------------------------------------------------------------ actions

    def action_help(self) -> None:
        from coach.paths import sessions_dir
        from coach.ui.screens.modals import HelpScreen

        self.push_screen(HelpScreen(str(sessions_dir())))

    async def action_quit(self) -> None:
        """Stop, keeping a half-typed answer; ask first when something would be lost (an answer
        that cannot be saved as typed, or one waiting to be saved again)."""
        from coach.ui.screens.dialogue import DialogueScreen
        from coach.ui.screens.modals import ConfirmScreen

        screen = self.screen
        if isinstance(screen, DialogueScreen) and screen.pending is None:
            await screen.keys_settled()
            kept = screen.keep_what_was_typed()
            if kept and screen.discard_if_empty():  # after keeping: typed text makes it hold something
                self.exit()
                return
            if not kept:
                question = ("Wat je bij deze vraag typte, kan zo niet bewaard worden (zie de melding). Als je nu "
                            "stopt, gaat het verloren. Toch stoppen?")
                self.push_screen(ConfirmScreen(question, "Stoppen"), self._stop_if_confirmed)
                return
        if not (isinstance(screen, DialogueScreen) and screen.pending is not None):
            self.exit()
            return
        self.push_screen(ConfirmScreen("Je laatste antwoord is nog niet opgeslagen: de schijf weigerde en opslaan "
                                       "wordt opnieuw geprobeerd. Als je nu stopt, gaat dat antwoord verloren. "
                                       "Toch stoppen?", "Stoppen"), self._stop_if_confirmed)

    def _stop_if_confirmed(self, stop: bool | None) -> None:
        if stop:
            self.exit()

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"


def claim_new_session(session: Session) -> None:
    """Take a new session's file: its lock, its first save, and the catalogue its answers need.

    Done after the first question is on screen (a new file name cannot be open
    elsewhere, and nothing is answered yet), and always before the first answer.
    """
    from coach.engine.library import load_catalogue_for
    from coach.session.lock import SessionLock

    if session.lock is None and session.path is not None:
        session.lock = SessionLock(session.path).acquire()
    if not session.saved_once:
        session.save()
    if session.catalogue is None:
        session.catalogue = load_catalogue_for(session.dialogue)


def make_app(*, theme: str | None = None, resume: str | None = None, coach: bool = False,
             panel_hidden: bool = False, group: str | None = None,
             participant: dict[str, str | None] | None = None, probes: bool = True,
             notices: list[str] | None = None, **_: Any) -> CoachApp:
    """The app, as the CLI and the tests build it."""
    return CoachApp(start_theme=theme, resume=resume, coach=coach, panel_hidden=panel_hidden, group=group,
                    participant=participant, probes=probes, notices=notices)


def run_app(*, theme: str | None = None, resume: str | None = None, coach: bool = False,
            panel_hidden: bool = False, group: str | None = None,
            participant: dict[str, str | None] | None = None, probes: bool = True,
            notices: list[str] | None = None) -> int:
    """Run the app in this terminal; returns the exit code."""
    app = make_app(theme=theme, resume=resume, coach=coach, panel_hidden=panel_hidden, group=group,
                   participant=participant, probes=probes, notices=notices)
    app.run()
    return app.return_code or 0


__all__ = ["CoachApp", "make_app", "run_app", "Path"]
