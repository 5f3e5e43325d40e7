"""The vindplaats: every kernvraag of the praatplaat with its toelichting, kernmodel,
literature, the dialogues that work on it and practical examples; fuzzy search; the
tensions between the perspectives. Links are shown in full and opened only on request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Static, Tree

from coach.search import score as search_score
from coach.text import authors_line, cite, strip_controls
from coach.ui.actions import APP_ACTIONS, VINDPLAATS_ACTIONS, bindings
from coach.ui.screens.base import CoachScreen
from coach.ui.widgets.fitting_tree import FittingTree
from coach.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from coach.engine.catalogue import Catalogue, Kernvraag, Tension


@dataclass(frozen=True)
class Page:
    """What a leaf of the vindplaats shows."""

    kind: str
    """``kernvraag`` or ``tension``."""
    id: str


class VindplaatsScreen(CoachScreen):
    """Browse and search the handreiking's kernvragen, models and examples."""

    CSS_PATH = "vindplaats.tcss"
    UI_ACTIONS = VINDPLAATS_ACTIONS + APP_ACTIONS
    BINDINGS = bindings(VINDPLAATS_ACTIONS)

    def __init__(self, focus_kernvraag: str | None = None) -> None:
        super().__init__()
        self.focus_kernvraag = focus_kernvraag
        self.page: Page | None = None

    @property
    def catalogue(self) -> Catalogue:
        from coach.engine.catalogue import Catalogue

        return self.coach_app.catalogue() or Catalogue()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(placeholder="Zoek in kernvragen, modellen, literatuur en voorbeelden", id="search")
        with Horizontal(id="vindplaats"):
            yield FittingTree[Page](Text("Vindplaats"), id="pages")
            with VerticalScroll(id="page"):
                yield Static(Content("Kies een kernvraag."), id="page-text")
        yield self.footer()

    def on_mount(self) -> None:
        self.title = "Vindplaats"
        self.sub_title = "modellen, literatuur en voorbeelden per kernvraag"
        self.fill("")
        tree = self.query_one(Tree)
        tree.focus()
        if self.focus_kernvraag:
            for node in tree.root.children:
                for leaf in node.children:
                    if leaf.data == Page("kernvraag", self.focus_kernvraag):
                        tree.select_node(leaf)
                        tree.move_cursor(leaf)
                        self.show(leaf.data)

    def on_resize(self) -> None:
        super().on_resize()
        for tree in self.query(Tree):
            tree.refresh(layout=True)

    # ----------------------------------------------------------------- content

    def haystack(self, kernvraag: Kernvraag) -> str:
        """Everything a kernvraag's page holds, for searching."""
        catalogue = self.catalogue
        parts = [kernvraag.text, kernvraag.toelichting.text if kernvraag.toelichting else ""]
        for model_id in kernvraag.models:
            model = catalogue.models_by_id.get(model_id)
            if model:
                parts += [model.title, " ".join(model.authors), model.description]
                parts += [f"{lit.authors} {lit.title}" for lit in model.literature]
        parts += [f"{e.name} {e.kind} {e.description}" for e in self.examples_for(kernvraag)]
        return " ".join(parts)

    def examples_for(self, kernvraag: Kernvraag) -> list:  # type: ignore[type-arg]
        examples = self.catalogue.examples
        direct = [e for e in examples if kernvraag.id in e.kernvragen]
        return direct or [e for e in examples if kernvraag.perspective in e.perspectives][:4]

    def fill(self, query: str) -> None:
        """The tree: perspectives with their kernvragen (filtered and ranked by ``query``)."""
        tree = self.query_one(Tree)
        tree.clear()
        tree.show_root = False
        catalogue = self.catalogue
        matcher = query.strip() or None
        if matcher:
            scored = []
            for kernvraag in catalogue.kernvragen:
                score = search_score(matcher, self.haystack(kernvraag)) + 2 * search_score(matcher, kernvraag.text)
                if score > 0:
                    scored.append((score, kernvraag))
            scored.sort(key=lambda pair: (-pair[0], len(pair[1].text)))  # closer, then shorter
            branch = tree.root.add(Text(f"ZOEKRESULTATEN ({len(scored)})"), expand=True)
            for _, kernvraag in scored:
                mark = "▶ " if self.coach_app.dialogue_for_kernvraag(kernvraag.id) else "• "
                branch.add_leaf(Text(mark + kernvraag.text), data=Page("kernvraag", kernvraag.id))
            return
        for perspective in catalogue.perspectives:
            branch = tree.root.add(Text(perspective.title.upper()), expand=True)
            for kernvraag in catalogue.kernvragen:
                if kernvraag.perspective == perspective.id:
                    mark = "▶ " if self.coach_app.dialogue_for_kernvraag(kernvraag.id) else "• "
                    branch.add_leaf(Text(mark + kernvraag.text), data=Page("kernvraag", kernvraag.id))
        if catalogue.tensions and not matcher:
            branch = tree.root.add(Text("SPANNINGEN TUSSEN DE PERSPECTIEVEN"), expand=True)
            for tension in catalogue.tensions:
                branch.add_leaf(Text(tension.title), data=Page("tension", tension.id))

    def kernvraag_page(self, kernvraag: Kernvraag) -> str:
        catalogue = self.catalogue
        titles = {p.id: p.title for p in catalogue.perspectives}
        lines = [kernvraag.text, "",
                 f"Perspectief: {titles.get(kernvraag.perspective, kernvraag.perspective)}"
                 + (f" · bron: {kernvraag.source.title}" if kernvraag.source.title else ""), ""]
        if kernvraag.toelichting:
            source = f"\n— {cite(kernvraag.toelichting.source)}" if kernvraag.toelichting.source else ""
            lines += ["Toelichting", kernvraag.toelichting.text.strip() + source, ""]
        models = [catalogue.models_by_id[m] for m in kernvraag.models if m in catalogue.models_by_id]
        if models:
            lines.append("Kernmodel" if len(models) == 1 else "Kernmodellen")
            for model in models:
                year = f", {model.year}" if model.year else ""
                lines.append(f"• {model.title} ({authors_line(model.authors)}{year})")
                lines.append(f"  {' '.join(model.description.split())}")
                for lit in model.literature:
                    extra = f". {lit.publisher}" if lit.publisher else ""
                    lines.append(f"  Literatuur: {lit.authors} ({lit.year or 'z.j.'}). {lit.title}{extra}.")
                    if lit.url:
                        lines.append(f"    {lit.url}")
            lines.append("")
        dialogue = self.coach_app.dialogue_for_kernvraag(kernvraag.id)
        if dialogue:
            lines += ["Gesprek", f"▶ {dialogue.title} — Enter begint dit gesprek.", ""]
        else:
            lines += ["Gesprek", "Voor deze kernvraag komt nog een eigen gesprek.", ""]
        examples = self.examples_for(kernvraag)
        if examples:
            lines.append("Praktijkvoorbeelden")
            for example in examples:
                lines.append(f"• {example.name} ({example.kind})")
                lines.append(f"  {' '.join(example.description.split())}")
                if example.url:
                    lines.append(f"  {example.url}")
            lines.append("")
        if self.links():
            lines.append("o: open een link in je browser. Netwerkcoach haalt zelf niets op.")
        return "\n".join(lines)

    def tension_page(self, tension: Tension) -> str:
        lines = [tension.title, ""]
        lines += [f"• {point}" for point in tension.points]
        if tension.toelichting:
            source = f"\n— {cite(tension.toelichting.source)}" if tension.toelichting.source else ""
            lines += ["", tension.toelichting.text.strip() + source]
        if tension.source and tension.source.title:
            lines += ["", f"Bron: {tension.source.title}"]
        return "\n".join(lines)

    def links(self) -> list[tuple[str, str]]:
        """(label, url) of the links on the current page."""
        if self.page is None or self.page.kind != "kernvraag":
            return []
        kernvraag = self.catalogue.kernvragen_by_id.get(self.page.id)
        if kernvraag is None:
            return []
        found = [(e.name, e.url) for e in self.examples_for(kernvraag) if e.url]
        for model_id in kernvraag.models:
            model = self.catalogue.models_by_id.get(model_id)
            for lit in model.literature if model else ():
                if lit.url:
                    found.append((lit.title, lit.url))
        return found

    @staticmethod
    def page_for(kernvraag_id: str) -> Page:
        """The page of a kernvraag."""
        return Page("kernvraag", kernvraag_id)

    def show(self, page: Page | None) -> None:
        self.page = page
        if page is None:
            return
        if page.kind == "kernvraag":
            kernvraag = self.catalogue.kernvragen_by_id[page.id]
            text = self.kernvraag_page(kernvraag)
        else:
            tension = next(t for t in self.catalogue.tensions if t.id == page.id)
            text = self.tension_page(tension)
        self.query_one("#page-text", Static).update(Content(strip_controls(text)))

    # ----------------------------------------------------------------- events

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#search")
    def _to_results(self) -> None:
        tree = self.query_one(Tree)
        tree.focus()
        if tree.root.children and tree.root.children[0].children:
            first = tree.root.children[0].children[0]
            tree.move_cursor(first)
            self.show(first.data)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[Page]) -> None:
        self.show(event.node.data)

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[Page]) -> None:
        page = event.node.data
        if page is None or page.kind != "kernvraag":
            return
        dialogue = self.coach_app.dialogue_for_kernvraag(page.id)
        if dialogue:
            self.coach_app.start_theme(dialogue.id)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_open_link(self) -> None:
        from coach.ui.screens.modals import JumpScreen

        links = self.links()
        if not links:
            self.notify(Content("Op deze pagina staan geen links."), timeout=3)
            return

        def chosen(choice: tuple[str, str | None] | None) -> None:
            if choice is not None:
                self.app.open_url(choice[0])
                self.notify(Content(f"Geopend in je browser: {choice[0]}"), timeout=5)

        self.app.push_screen(JumpScreen([(url, None, f"{label}\n  {url}") for label, url in links]), chosen)

    def action_go_home(self) -> None:
        self.coach_app.go_home()
