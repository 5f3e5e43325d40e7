"""Command palette providers: the themes, and the actions of the current screen."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from coach.ui.app import CoachApp


class ThemesProvider(Provider):
    """Start any theme from the palette."""

    @property
    def coach_app(self) -> CoachApp:
        return self.app  # type: ignore[return-value]

    def _themes(self) -> list[tuple[str, str, str]]:
        return [(d.id, f"Gesprek: {d.title}", d.intro.strip().split("\n")[0]) for d in self.coach_app.dialogues()]

    async def discover(self) -> Hits:
        for theme_id, title, help_text in self._themes():
            yield DiscoveryHit(title, partial(self.coach_app.start_theme, theme_id), help=help_text)
        yield DiscoveryHit("Vindplaats", partial(self.coach_app.show_vindplaats, None),
                           help="Modellen, literatuur en voorbeelden per kernvraag")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for theme_id, title, help_text in self._themes():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.coach_app.start_theme, theme_id), help=help_text)
        score = matcher.match("Vindplaats")
        if score > 0:
            yield Hit(score, matcher.highlight("Vindplaats"), partial(self.coach_app.show_vindplaats, None),
                      help="Modellen, literatuur en voorbeelden per kernvraag")


class ActionsProvider(Provider):
    """The current screen's actions, as declared in coach.ui.actions."""

    def _actions(self):  # type: ignore[no-untyped-def]
        screen = self.screen
        for action in getattr(screen, "UI_ACTIONS", ()):
            base = action.name.split("(")[0]
            target = screen if hasattr(screen, f"action_{base}") else self.app
            if target.check_action(base, ()) is not False:
                yield action, partial(target.run_action, action.name)

    async def discover(self) -> Hits:
        for action, run in self._actions():
            yield DiscoveryHit(action.label, run, help=f"{action.help} ({action.key})")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action, run in self._actions():
            score = matcher.match(action.label)
            if score > 0:
                yield Hit(score, matcher.highlight(action.label), run, help=f"{action.help} ({action.key})")
