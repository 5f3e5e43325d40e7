"""Small modal screens: confirm, jump to a question, help."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.screen import ModalScreen, ScreenResultType
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from coach.ui.actions import APP_ACTIONS, DIALOGUE_ACTIONS, HOME_ACTIONS, SUMMARY_ACTIONS, key_name
from coach.ui.closing import ClosesOnce


class CoachModal(ClosesOnce, ModalScreen[ScreenResultType]):
    """Our modal screens: each closes once (see ``ClosesOnce``)."""


class ConfirmScreen(CoachModal[bool]):
    """Ask yes or no; dismisses with the answer.

    What it confirms cannot be undone, so the focus starts on "Annuleren": Enter alone
    never deletes or loses anything.
    """

    CSS_PATH = "modals.tcss"
    AUTO_FOCUS = "#no"

    BINDINGS = [("escape", "dismiss(False)", "Nee")]

    def __init__(self, question: str, yes: str = "Ja") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Content(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(Content(self.yes), variant="error", id="yes")
                yield Button(Content("Annuleren"), id="no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class Hanging(Visual):
    """Text that wraps with its further lines indented, so a long entry in a list reads as one.

    The further lines start ``indent`` cells further in than the text of the first line
    (after any spaces it starts with). Every line is wrapped that much narrower than the
    width, so the first line ends that much short of the edge.
    """

    def __init__(self, content: Content, indent: int = 2) -> None:
        self.content = content
        plain = content.plain
        self.indent = indent + len(plain) - len(plain.lstrip(" "))

    def __str__(self) -> str:
        return str(self.content)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width) + self.indent

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.content.get_height(rules, max(1, width - self.indent))

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        inner = max(1, width - self.indent)
        strips = self.content.render_strips(inner, height, style, options)
        rich_style = style.rich_style
        return [strip.crop_pad(inner, self.indent if index else 0, 0 if index else self.indent, rich_style)
                for index, strip in enumerate(strips)]


class JumpScreen(CoachModal[tuple[str, str | None] | None]):
    """Choose a question to go to.

    Entries are never cut: a long question wraps onto more lines, indented under its first.
    """

    CSS_PATH = "modals.tcss"

    BINDINGS = [("escape", "dismiss(None)", "Sluiten")]

    def __init__(self, entries: list[tuple[str, str | None, str]]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="jump"):
            yield Label(Content("Naar welke vraag? (Enter kiest, Esc sluit)"))
            yield OptionList(*[Option(Hanging(Content(text))) for _, _, text in self.entries], id="jump-list")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        question, item, _ = self.entries[event.option_index]
        self.dismiss((question, item))


class HelpScreen(CoachModal[None]):
    """Keys, what is stored where, and privacy."""

    CSS_PATH = "modals.tcss"

    BINDINGS = [("escape", "dismiss", "Sluiten"), ("f1", "dismiss", "Sluiten")]

    def __init__(self, data_path: str) -> None:
        super().__init__()
        self.data_path = data_path

    def compose(self) -> ComposeResult:
        import textwrap

        # The help column wraps beneath itself, not back to the left edge: the box is 90% of
        # the screen, less its border and padding, and the key and name columns.
        indent = 2 + 10 + 1 + 14 + 1
        width = max(24, int(self.app.size.width * 0.9) - 8 - indent)  # border 2, padding 4, scrollbar 2
        lines = ["Toetsen (Esc of F1 sluit deze hulp)", ""]
        for title, actions in (("Overal", APP_ACTIONS), ("Begin", HOME_ACTIONS), ("In een gesprek", DIALOGUE_ACTIONS),
                               ("Samenvatting", SUMMARY_ACTIONS)):
            lines.append(title)
            for action in actions:
                wrapped = textwrap.wrap(action.help, width) or [""]
                lines.append(f"  {key_name(action.key):<10} {action.label:<14} {wrapped[0]}")
                lines += [" " * indent + more for more in wrapped[1:]]
            lines.append("")
        lines += [
            "Ctrl+P opent het opdrachtenpalet: alle acties en gesprekken, doorzoekbaar.",
            "",
            "Waar alles staat",
            f"  Je sessies staan in {self.data_path} (één bestand per sessie).",
            "",
            "Privacy",
            "  Netwerkcoach stuurt nooit iets weg: alles blijft op deze computer.",
            "  Je sessiebestanden zijn alleen door jou te lezen.",
        ]
        with VerticalScroll(id="help"):
            yield Static(Content("\n".join(lines)), id="help-text")


class DetailsScreen(CoachModal[dict[str, str] | None]):
    """Optional session details at the start of a coached session."""

    CSS_PATH = "modals.tcss"

    BINDINGS = [("escape", "dismiss(None)", "Overslaan")]

    def __init__(self, today: str) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        from textual.widgets import Input

        with Vertical(id="details"):
            yield Static(Content("Gegevens van de sessie (mag leeg blijven)"), id="details-title")
            yield Input(placeholder="Naam van de bestuurder", id="details-name")
            yield Input(placeholder="Organisatie", id="details-organisation")
            yield Input(value=self.today, placeholder="Datum", id="details-date")
            with Horizontal(id="details-buttons"):
                yield Button(Content("Beginnen"), variant="primary", id="details-ok")
                yield Button(Content("Overslaan"), id="details-skip")

    @on(Button.Pressed, "#details-ok")
    def _ok(self) -> None:
        from textual.widgets import Input

        values = {key: self.query_one(f"#details-{key}", Input).value.strip() for key in ("name", "organisation", "date")}
        self.dismiss(values)

    @on(Button.Pressed, "#details-skip")
    def _skip(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self) -> None:
        self._ok()
