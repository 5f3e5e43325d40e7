"""The modal for a damaged transcript: what is wrong, that the file is kept, and a copy offered."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from coach.text import strip_controls
from coach.ui.screens.modals import CoachModal


class RecoverScreen(CoachModal[bool]):
    """Say what is wrong with a saved session and offer to go on in a copy.

    Enter opens the copy (a new one, or the one made earlier), Esc goes back. The
    buttons are for the mouse only, so Enter always means the same thing. Every text
    here comes from a file or a file name: shown as text, never as markup.
    """

    CSS_PATH = "recover.tcss"
    BINDINGS = [
        Binding("enter", "choose(True)", "Openen als kopie", show=False),
        Binding("escape", "choose(False)", "Terug", show=False),
    ]

    def __init__(self, path: Path, problem: str, earlier: tuple[str, Path] | None = None) -> None:
        super().__init__()
        self.path = path
        self.problem = problem
        self.earlier = earlier
        """(session id, path) of a copy made before, offered instead of a second one."""

    def body(self) -> str:
        """The explanation, in the words a director reads."""
        lines = [
            f"Wat er mis is: {self.problem.rstrip('.')}.",
            "",
            f"Bestand: {self.path}",
            "Dit bestand blijft zoals het is: er wordt niets aan veranderd of verwijderd.",
            "",
        ]
        if self.earlier is not None:
            session_id, copy = self.earlier
            lines.append(f"Wat nog leesbaar was, is al eerder als kopie bewaard: sessie {session_id} ({copy}).")
        else:
            lines.append("Wat nog leesbaar is, kan verder in een kopie: een nieuwe sessie met de antwoorden "
                         "die nog te lezen zijn. Wat wegvalt, zie je daarna.")
        return strip_controls("\n".join(lines))

    def compose(self) -> ComposeResult:
        action = "open die kopie" if self.earlier is not None else "open wat nog leesbaar is als kopie"
        with Vertical(id="recover"):
            yield Static(Content("Deze sessie is beschadigd"), id="recover-title")
            yield Static(Content(self.body()), id="recover-text")
            yield Static(Content(f"Enter: {action}    Esc: terug"), id="recover-keys")
            with Horizontal(id="recover-buttons"):
                yield Button(Content("Kopie openen"), variant="primary", id="recover-yes")
                yield Button(Content("Terug"), id="recover-no")

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False  # Enter and Esc are the keys; the buttons are for the mouse

    def action_choose(self, open_copy: bool) -> None:
        self.dismiss(open_copy)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "recover-yes")
