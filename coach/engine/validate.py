"""The checks behind ``coach check``: everything that needs the whole dialogue.

Each problem names ``file:line: key: expected …, found …``. The loader has already
checked structure; here are routes, reachability, loops, expressions, templates and
the ids that point into the catalogues.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from jinja2 import TemplateSyntaxError
from jinja2.exceptions import TemplateAssertionError

from coach.engine.expressions import BASE_NAMES, PROBE_NAMES, check_names, environment, has_template_syntax, parse_expression
from coach.engine.catalogue import Catalogue
from coach.engine.model import END, NEXT_ITEM, Dialogue, Node, Probe
from coach.engine.patterns import PatternError, pattern_regex
from coach.engine.reader import Problems


def default_targets(dialogue: Dialogue) -> dict[str, str]:
    """Each node's default next node: its ``next``, else the following node at its level."""
    defaults: dict[str, str] = {}
    levels: dict[str | None, list[Node]] = {}
    for node in dialogue.nodes:
        levels.setdefault(node.loop, []).append(node)
    for loop, nodes in levels.items():
        for index, node in enumerate(nodes):
            if node.next:
                defaults[node.id] = node.next
            elif index + 1 < len(nodes):
                defaults[node.id] = nodes[index + 1].id
            else:
                defaults[node.id] = NEXT_ITEM if loop else END
    return defaults


def edges(dialogue: Dialogue, defaults: dict[str, str]) -> dict[str, list[str]]:
    """Where each node can lead (reserved targets resolved to states)."""
    graph: dict[str, list[str]] = {END: []}
    for node in dialogue.nodes:
        targets = [route.to for route in node.routes] + [defaults.get(node.id, END)]
        resolved = [node.loop if t == NEXT_ITEM and node.loop else t for t in targets]
        if node.type == "loop" and node.children:
            resolved.insert(0, node.children[0])
        graph[node.id] = resolved
    return graph


def _reachable(graph: dict[str, list[str]], start: str) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for target in graph.get(queue.popleft(), []):
            if target in graph and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


class Checker:
    """Validates one dialogue against itself and the catalogue."""

    def __init__(self, dialogue: Dialogue, catalogue: Catalogue | None, problems: Problems) -> None:
        self.d = dialogue
        self.catalogue = catalogue
        self.problems = problems
        self.questions = {n.id for n in dialogue.nodes if n.asks}

    def add(self, line: int, where: str, message: str) -> None:
        self.problems.add(line, where, message)

    def run(self) -> None:
        ids = self._unique_ids()
        if not ids:
            return
        defaults = default_targets(self.d)
        self._targets(defaults)
        self._loops()
        self._reachability(defaults)
        self._wording()
        self._insights()
        self._summary()
        self._catalogue_ids()
        self._probes()

    def _unique_ids(self) -> bool:
        seen: dict[str, int] = {}
        for node in self.d.nodes:
            if not node.id:
                continue
            if node.id in seen:
                self.add(node.line, f"node '{node.id}'", f"duplicate id (first on line {seen[node.id]})")
            else:
                seen[node.id] = node.line
        for kind, items in (("insight", self.d.insights),):
            first: dict[str, int] = {}
            for item in items:
                if item.id in first:
                    self.add(item.line, f"{kind} '{item.id}'", f"duplicate id (first on line {first[item.id]})")
                first.setdefault(item.id, item.line)
        for node in self.d.nodes:
            if node.options:
                values: set[str] = set()
                for option in node.options:
                    if option.value in values:
                        self.add(node.line, f"node '{node.id}'.options", f"duplicate value '{option.value}'")
                    values.add(option.value)
        return bool(seen) and len(seen) == len([n for n in self.d.nodes if n.id])

    def _target_ok(self, node: Node, target: str, line: int, key: str) -> None:
        if target == END:
            return
        if target == NEXT_ITEM:
            if node.loop is None:
                self.add(line, f"node '{node.id}'.{key}", "'next_item' is only possible inside a loop")
            return
        found = self.d.by_id.get(target)
        if found is None:
            known = ", ".join(n.id for n in self.d.nodes if n.loop == node.loop)
            self.add(line, f"node '{node.id}'.{key}", f"expected a node id ({known}, end), found '{target}'")
        elif found.loop != node.loop:
            where = f"inside loop '{found.loop}'" if found.loop else "outside the loop"
            self.add(line, f"node '{node.id}'.{key}", f"'{target}' is {where}; routes stay at their own level")

    def _targets(self, defaults: dict[str, str]) -> None:
        for node in self.d.nodes:
            for route in node.routes:
                self._target_ok(node, route.to, route.line or node.line, "routes")
            if node.next:
                self._target_ok(node, node.next, node.line, "next")

    def _loops(self) -> None:
        position = {n.id: i for i, n in enumerate(self.d.nodes)}
        for node in self.d.nodes:
            if node.type != "loop" or not node.over:
                continue
            over = self.d.by_id.get(node.over)
            if over is None:
                self.add(node.line, f"node '{node.id}'.over", f"expected the id of a list question, found '{node.over}'")
            elif over.type != "list":
                self.add(node.line, f"node '{node.id}'.over", f"expected a question of type list, found '{node.over}' of type {over.type}")
            elif over.loop is not None or position[over.id] > position[node.id]:
                self.add(node.line, f"node '{node.id}'.over", f"'{node.over}' must be asked before the loop, outside any loop")

    def _reachability(self, defaults: dict[str, str]) -> None:
        graph = edges(self.d, defaults)
        reached = _reachable(graph, self.d.start)
        for node in self.d.nodes:
            if node.id not in reached:
                self.add(node.line, f"node '{node.id}'", f"unreachable from the first node ('{self.d.start}')")
        reverse: dict[str, list[str]] = {key: [] for key in graph}
        for source, targets in graph.items():
            for target in targets:
                reverse.setdefault(target, []).append(source)
        finishing = _reachable(reverse, END)
        for node in self.d.nodes:
            if node.id in reached and node.id not in finishing:
                self.add(node.line, f"node '{node.id}'", "has no way to the end")

    def expression(self, source: str, line: int, where: str, extra: frozenset[str] = frozenset()) -> None:
        """Check one expression compiles and names only what exists."""
        try:
            tree = parse_expression(source)
        except (TemplateSyntaxError, TemplateAssertionError) as err:
            self.add(line, where, f"expression does not compile: {err.message}")
            return
        for message in check_names(tree, BASE_NAMES | extra, self.questions):
            self.add(line, where, f"expression {message}")

    def template(self, source: str, line: int, where: str, extra: frozenset[str] = frozenset()) -> None:
        """Check one template parses and names only what exists."""
        if not has_template_syntax(source):
            return
        env = environment()
        try:
            tree = env.parse(source)
        except (TemplateSyntaxError, TemplateAssertionError) as err:
            self.add(line + max((err.lineno or 1) - 1, 0), where, f"template does not parse: {err.message}")
            return
        for message in check_names(tree, BASE_NAMES | extra, self.questions):
            self.add(line, where, f"template uses {message}")

    def _wording(self) -> None:
        for node in self.d.nodes:
            if node.text:
                self.template(node.text, node.text_line or node.line, f"node '{node.id}'.text")
            for route in node.routes:
                self.expression(route.when, route.line or node.line, f"node '{node.id}'.routes.when")
        if self.d.summary_intro:
            self.template(self.d.summary_intro, self.d.summary_intro_line, "summary.intro")

    def _insights(self) -> None:
        for insight in self.d.insights:
            where = f"insight '{insight.id}'"
            self.expression(insight.when, insight.line, f"{where}.when")
            self.template(insight.text, insight.line, f"{where}.text")
            for rest in insight.rests_on:
                if rest.question not in self.questions:
                    self.add(insight.line, f"{where}.rests_on", f"expected a question id, found '{rest.question}'")
                if rest.items:
                    self.expression(rest.items, insight.line, f"{where}.rests_on.items")
            self._models(insight.models, where)
        self._models(self.d.default_models, "default_models")

    def _models(self, refs: Iterable, where: str) -> None:
        if self.catalogue is None:
            return
        for ref in refs:
            if ref.id not in self.catalogue.models_by_id:
                self.add(ref.line, f"{where}.models", f"expected a model id from models.yaml, found '{ref.id}'")

    def _question(self, qid: str, line: int, where: str, types: tuple[str, ...], loop: str | None = None) -> None:
        node = self.d.by_id.get(qid)
        if node is None or not node.asks:
            self.add(line, where, f"expected a question id, found '{qid}'")
        elif types and node.type not in types:
            self.add(line, where, f"expected a question of type {' or '.join(types)}, found '{qid}' of type {node.type}")
        elif loop is not None and node.loop != loop:
            self.add(line, where, f"expected a question inside loop '{loop}', found '{qid}'")

    def _summary(self) -> None:
        for section in self.d.sections:
            where = f"summary.sections ({section.kind} '{section.title}')"
            if section.kind == "table":
                loop = self.d.by_id.get(section.loop or "")
                if loop is None or loop.type != "loop":
                    self.add(section.line, where + ".loop", f"expected a loop node id, found '{section.loop}'")
                    continue
                for column in section.columns:
                    self._question(column, section.line, where + ".columns", (), loop.id)
            elif section.kind == "profile":
                for qid in section.questions:
                    self._question(qid, section.line, where + ".questions", ("scale",))
                for axis in section.axes:
                    for qid in axis.left + axis.right:
                        if qid not in section.questions:
                            self.add(section.line, where + ".axes", f"expected one of the section's questions, found '{qid}'")
            elif section.kind == "polarities":
                for pair in section.pairs:
                    self._question(pair.now, section.line, where + ".pairs", ("polarity",))
                    if pair.desired != pair.now:
                        self._question(pair.desired, section.line, where + ".pairs", ("polarity",))
            else:
                for qid in section.questions:
                    self._question(qid, section.line, where + ".questions", ())

    def _catalogue_ids(self) -> None:
        if self.catalogue is None:
            return
        perspectives = {p.id for p in self.catalogue.perspectives}
        for pid in self.d.perspectives:
            if pid not in perspectives:
                self.add(1, "perspectives", f"expected one of {', '.join(sorted(perspectives))}, found '{pid}'")
        kernvragen = self.catalogue.kernvragen_by_id
        for kid in self.d.kernvragen:
            if kid not in kernvragen:
                self.add(1, "kernvragen", f"expected a kernvraag id from kernvragen.yaml, found '{kid}'")
        for node in self.d.nodes:
            for kid in node.kernvragen:
                if kid not in kernvragen:
                    self.add(node.line, f"node '{node.id}'.kernvragen", f"expected a kernvraag id from kernvragen.yaml, found '{kid}'")

    def _probes(self) -> None:
        seen: dict[str, int] = {}
        for node in self.d.nodes:
            if node.probes and node.type != "text":
                self.add(node.line, f"node '{node.id}'.probes", f"probes follow free text; expected a text question, found type {node.type}")
        probes = list(self.d.probes) + [p for n in self.d.nodes for p in n.probes]
        for probe in probes:
            if probe.id in seen:
                self.add(probe.line, f"probe '{probe.id}'", f"duplicate id (first on line {seen[probe.id]})")
            seen.setdefault(probe.id, probe.line)
            check_probe(probe, self)
        shared = {p.id for p in self.d.probes} | {p.id for p in (self.catalogue.probes if self.catalogue else ())}
        for node in self.d.nodes:
            for probe_id in node.exclude_probes:
                if probe_id not in shared:
                    self.add(node.exclude_line or node.line, f"node '{node.id}'.exclude_probes",
                             f"expected the id of a probe of this dialogue or of probes.yaml, found '{probe_id}'")


def check_probe(probe: Probe, checker: Checker) -> None:
    """Patterns compile, expression and template are sound, the model exists."""
    where = f"probe '{probe.id}'"
    for pattern in probe.match + probe.without:
        try:
            pattern_regex(pattern)
        except PatternError as err:
            checker.add(probe.line, f"{where}.match", str(err))
    if probe.when:
        checker.expression(probe.when, probe.line, f"{where}.when", PROBE_NAMES)
    checker.template(probe.ask, probe.line, f"{where}.ask", PROBE_NAMES)
    if probe.model and checker.catalogue is not None and probe.model not in checker.catalogue.models_by_id:
        checker.add(probe.line, f"{where}.model", f"expected a model id from models.yaml, found '{probe.model}'")


def validate_dialogue(dialogue: Dialogue, catalogue: Catalogue | None, problems: Problems) -> None:
    """Record every problem of ``dialogue``."""
    Checker(dialogue, catalogue, problems).run()


def validate_catalogue(catalogue: Catalogue, problems_by_file: dict[str, Problems]) -> None:
    """Record problems within the catalogues: duplicate ids and dangling references."""
    def problems_for(name: str) -> Problems:
        for shown, problems in problems_by_file.items():
            if shown.endswith(name):
                return problems
        return problems_by_file.setdefault(name, Problems(name))

    kv = problems_for("kernvragen.yaml")
    perspectives = {p.id for p in catalogue.perspectives}
    seen: set[str] = set()
    for k in catalogue.kernvragen:
        if k.id in seen:
            kv.add(k.line, f"kernvraag '{k.id}'", "duplicate id")
        seen.add(k.id)
        if k.perspective not in perspectives:
            kv.add(k.line, f"kernvraag '{k.id}'.perspective", f"expected one of {', '.join(sorted(perspectives))}, found '{k.perspective}'")
        for mid in k.models:
            if mid not in catalogue.models_by_id:
                kv.add(k.line, f"kernvraag '{k.id}'.models", f"expected a model id from models.yaml, found '{mid}'")
    mp = problems_for("models.yaml")
    seen = set()
    for m in catalogue.models:
        if m.id in seen:
            mp.add(m.line, f"model '{m.id}'", "duplicate id")
        seen.add(m.id)
        for pid in m.perspectives:
            if perspectives and pid not in perspectives:
                mp.add(m.line, f"model '{m.id}'.perspectives", f"expected one of {', '.join(sorted(perspectives))}, found '{pid}'")
    for tension in catalogue.tensions:
        for pid in tension.between:
            if pid not in perspectives:
                kv.add(tension.line, f"tension '{tension.id}'.between", f"expected one of {', '.join(sorted(perspectives))}, found '{pid}'")
    if catalogue.examples:
        wp = problems_for("wegwijzer.yaml")
        seen = set()
        for example in catalogue.examples:
            if example.id in seen:
                wp.add(example.line, f"example '{example.id}'", "duplicate id")
            seen.add(example.id)
            for pid in example.perspectives:
                if pid not in perspectives:
                    wp.add(example.line, f"example '{example.id}'.perspectives", f"expected one of {', '.join(sorted(perspectives))}, found '{pid}'")
            for kid in example.kernvragen:
                if kid not in catalogue.kernvragen_by_id:
                    wp.add(example.line, f"example '{example.id}'.kernvragen", f"expected a kernvraag id from kernvragen.yaml, found '{kid}'")
            for mid in example.models:
                if mid not in catalogue.models_by_id:
                    wp.add(example.line, f"example '{example.id}'.models", f"expected a model id from models.yaml, found '{mid}'")
    if catalogue.probes:
        pp = problems_for("probes.yaml")
        empty = Dialogue(id="", title="", version="", intro="", path=pp.path, nodes=())
        checker = Checker(empty, catalogue, pp)
        for probe in catalogue.probes:
            check_probe(probe, checker)
