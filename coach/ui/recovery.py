"""A damaged transcript in the app: say what is wrong, keep the file, offer a copy.

The same domain code as ``coach resume ID --recover`` (``coach.session.recover``)
makes the copy; this module only asks first and opens the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.content import Content

from coach.errors import CoachError
from coach.text import strip_controls

if TYPE_CHECKING:
    from coach.ui.app import CoachApp


def offer_recovery(app: CoachApp, path: Path) -> None:
    """A saved session that could not be opened: say why, and for damage offer a copy.

    A file that is not damaged after all is simply resumed; trouble a copy cannot mend
    (a newer schema, a theme that is gone) is said in a notification. When the file was
    recovered before, the earlier copy is offered instead of making a second one.
    """
    from coach.session.recover import damage
    from coach.session.store import recovered_copy_of
    from coach.ui.screens.recover import RecoverScreen

    from coach.ui.screens.home import HomeScreen

    if not any(isinstance(screen, HomeScreen) for screen in app.screen_stack):
        app.push_home()  # home stays beneath the question
    try:
        problem = damage(path)
    except CoachError as err:
        app.notify(Content(strip_controls(str(err))), title="Sessie niet te openen", severity="error", timeout=15)
        return
    if problem is None:
        from coach.commands import open_saved

        try:
            session = open_saved(str(path), probes=app.probes)
        except CoachError as err:
            app.notify(Content(strip_controls(str(err))), title="Sessie niet te openen", severity="error", timeout=15)
            return
        app.open_session(session)
        return
    earlier = recovered_copy_of(path)

    def chosen(open_copy: bool | None) -> None:
        if not open_copy:
            return
        if earlier is not None:
            app.open_saved(earlier)
        else:
            open_new_copy(app, path, problem)

    where = (earlier.session_id, earlier.path) if earlier is not None else None
    app.push_screen(RecoverScreen(path, problem, where), chosen)


def open_new_copy(app: CoachApp, path: Path, problem: str) -> None:
    """Make the copy and open it at its first open question, saying what was left out."""
    from coach.session.recover import recover_copy

    try:
        recovery = recover_copy(path, problem, probes=app.probes)
    except CoachError as err:
        app.notify(Content(strip_controls(str(err))), title="Herstellen mislukt", severity="error", timeout=15)
        return
    recovery.session.notices += recovery.report()
    app.open_session(recovery.session)


def warn_newer_unreadable(app: CoachApp, path: Path) -> None:
    """Resuming the latest session: say when a newer one was passed over because it cannot be read."""
    from coach.session.store import unreadable_newer_than

    for saved in unreadable_newer_than(path):
        app.notify(Content(strip_controls(
            f"Een nieuwere sessie is onleesbaar en overgeslagen: {saved.path} ({saved.problem}). "
            "Onder Sessies op het beginscherm kun je er een kopie van openen.")),
            title="Let op", severity="warning", timeout=15)
