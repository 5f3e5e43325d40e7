"""Every UI action, declared once: key, label, help. Bindings, palette and help read these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding

from coach.engine.record import Record


@dataclass(eq=False, repr=False)
class UiAction(Record):
    """One action a person can take on a screen."""

    name: str
    """Runs ``action_<name>`` on the screen."""
    key: str
    label: str
    """Footer and palette title (Dutch)."""
    help: str
    """Palette help line and help screen."""
    footer: bool = True
    priority: bool = False
    """Taken before the focused widget sees the key, in the order keys were typed: a step
    change then happens before the keys typed after it (which belong to the next step)."""


_KEY_NAMES = {"escape": "Esc", "delete": "Delete", "enter": "Enter", "slash": "/", "tab": "Tab", "space": "Spatie"}


def key_name(key: str) -> str:
    """A key as people write it: "Ctrl+S", "F1", "Esc", "/" (Textual's names are "ctrl+s", "escape", "slash")."""
    *modifiers, last = key.split("+")
    if last in _KEY_NAMES:
        last = _KEY_NAMES[last]
    elif len(last) > 1 and last[0] == "f" and last[1:].isdigit():
        last = last.upper()
    elif modifiers:
        last = last.upper()  # "Ctrl+S"; a letter alone stays as typed ("v", not "V", which reads as Shift)
    return "+".join([*(m.capitalize() for m in modifiers), last])


def bindings(actions: Iterable[UiAction]) -> list[Binding]:
    """Textual bindings for a screen's actions."""
    return [Binding(a.key, a.name, a.label, show=a.footer, tooltip=a.help, priority=a.priority) for a in actions]


def help_binding() -> Binding:
    """The help key as a screen's own first key (it runs the app's action).

    The footer lists a screen's keys before the app's and cuts off at the right edge:
    as an app key, F1 fell off at 80 columns, and help must always be findable.
    """
    return Binding(HELP.key, f"app.{HELP.name}", HELP.label, tooltip=HELP.help)


HELP = UiAction("help", "f1", "Hulp", "Toetsen, waar alles bewaard wordt, en privacy")

APP_ACTIONS = (
    HELP,
    UiAction("toggle_dark", "f2", "Licht/donker", "Wissel tussen licht en donker", footer=False),
    UiAction("quit", "ctrl+q", "Stoppen", "Netwerkcoach afsluiten (alles is al bewaard)", footer=False),
)

HOME_ACTIONS = (
    UiAction("open_selected", "enter", "Openen", "Open de gekozen vraag, het gesprek of de sessie"),
    UiAction("resume_latest", "v", "Verder", "Ga verder met je laatste onderbroken sessie"),
    UiAction("show_tab('tab-praatplaat')", "p", "Praatplaat", "De vier perspectieven met hun kernvragen"),
    UiAction("show_tab('tab-sessies')", "s", "Sessies", "Je bewaarde sessies: verder gaan, teruglezen, verwijderen"),
    UiAction("delete_session", "delete", "Verwijderen", "Verwijder de gekozen sessie (met bevestiging)"),
    UiAction("vindplaats", "w", "Vindplaats", "Modellen, literatuur en voorbeelden per kernvraag, doorzoekbaar"),
)

VINDPLAATS_ACTIONS = (
    UiAction("search", "slash", "Zoeken", "Zoek in kernvragen, modellen, literatuur en voorbeelden"),
    UiAction("open_link", "o", "Link openen", "Open een link van deze pagina in je browser"),
    UiAction("go_home", "escape", "Begin", "Terug naar de praatplaat"),
)

DIALOGUE_ACTIONS = (
    UiAction("submit", "ctrl+s", "Verder", "Bewaar het antwoord en ga naar de volgende vraag", priority=True),
    UiAction("go_back", "ctrl+b", "Terug", "Terug naar de vorige vraag", priority=True),
    UiAction("skip", "ctrl+o", "Overslaan", "Sla deze vraag over (dat wordt bewaard)", priority=True),
    UiAction("toggle_help", "f3", "Uitleg", "Toon of verberg de toelichting bij deze vraag"),
    UiAction("jump", "ctrl+g", "Vragen", "Ga naar een eerder beantwoorde vraag om die te wijzigen"),
    UiAction("pause", "escape", "Pauze", "Bewaar en ga terug naar het begin; later ga je verder"),
    UiAction("toggle_panel", "f4", "Paneel", "Verberg of toon het coachpaneel (voor scherm delen)"),
    UiAction("toggle_coach", "f5", "Coachmodus", "Wissel tussen alleen en coachmodus (wordt bewaard)", footer=False),
)

SUMMARY_ACTIONS = (
    UiAction("export_markdown", "m", "Markdown", "Bewaar het rapport als Markdown, naast de sessie"),
    UiAction("export_html", "h", "HTML", "Bewaar het rapport als HTML-pagina, naast de sessie"),
    UiAction("copy_path", "c", "Pad kopiëren", "Kopieer het pad van het bewaarde bestand"),
    UiAction("go_home", "escape", "Begin", "Terug naar het begin om een ander gesprek te kiezen"),
)
