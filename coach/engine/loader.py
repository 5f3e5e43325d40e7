"""YAML files -> model: dialogues, the kernvragen and model catalogues, shared probes.

Structure (keys, types) is checked here, while reading; what needs the whole
dialogue (routes, reachability, expressions, ids in catalogues) is checked in
``validate``. Both report ``file:line: key: expected …, found …``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from coach.engine.catalogue import (
    Catalogue, Example, Kernvraag, LeftOut, Literature, Model, Perspective, SourceRef, Tension,
)
from coach.engine.model import (
    ASKING_TYPES, END, NEXT_ITEM, Axis, CoachPrompts, Dialogue, Help, Insight, ModelRef, Node, Option,
    Pair, Probe, RestsOn, Route, Section, Source,
)
from coach.engine.files import CATALOGUE_FILES, catalogue_digest, shown_path
from coach.engine.reader import Problems, Reader, describe
from coach.engine.yamlio import parse_yaml
from coach.errors import DialogueError

FORMAT = 1
"""The version of the dialogue format this engine reads."""

NODE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
CATALOGUE_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
RESERVED_IDS = frozenset({END, NEXT_ITEM})

COMMON_NODE_KEYS = frozenset({"id", "type", "routes", "next"})
ASKING_KEYS = COMMON_NODE_KEYS | {"text", "short", "help", "coach_prompts", "kernvragen", "probes", "max_probes",
                                  "exclude_probes"}
TYPE_KEYS: dict[str, frozenset[str]] = {
    "text": ASKING_KEYS | {"min_words"},
    "choice": ASKING_KEYS | {"options"},
    "multichoice": ASKING_KEYS | {"options", "min", "max"},
    "scale": ASKING_KEYS | {"min", "max", "labels"},
    "polarity": ASKING_KEYS | {"poles", "ask", "min", "max"},
    "list": ASKING_KEYS | {"item_name", "min", "max"},
    "info": COMMON_NODE_KEYS | {"text", "help", "coach_prompts", "kernvragen"},
    "loop": COMMON_NODE_KEYS | {"over", "nodes", "item_name"},
}
DIALOGUE_KEYS = frozenset({
    "format", "id", "title", "version", "minutes", "intro", "perspectives", "kernvragen",
    "sources", "nodes", "insights", "default_models", "probes", "summary",
})
PROBE_KEYS = frozenset({"id", "match", "without", "negation", "when", "ask", "model", "help", "priority"})
SECTION_KEYS = {
    "table": frozenset({"kind", "title", "intro", "loop", "columns"}),
    "profile": frozenset({"kind", "title", "intro", "questions", "axes"}),
    "polarities": frozenset({"kind", "title", "intro", "pairs"}),
    "list": frozenset({"kind", "title", "intro", "questions"}),
}
POLARITY_ASKS = {"now": ("now",), "desired": ("desired",), "both": ("now", "desired")}


def _check_format(reader: Reader) -> None:
    value = reader._get("format", True)
    if value is not None and (isinstance(value, bool) or value != FORMAT):
        reader.fail("format", f"format: {FORMAT} (this version of Netwerkcoach reads format {FORMAT})", value)


def _node_id(reader: Reader, key: str = "id") -> str:
    value = reader.str(key, required=True) or ""
    if value and not NODE_ID.match(value):
        reader.fail(key, "an id of lowercase letters, digits and _ (starting with a letter)", value)
    if value in RESERVED_IDS:
        reader.fail(key, "", message=f"'{value}' is reserved and cannot be a node id")
    return value


def _help(reader: Reader, key: str) -> Help | None:
    value = reader.data.get(key)
    if isinstance(value, str):
        reader.seen.add(key)
        return Help(text=value.strip())
    sub = reader.sub(key)
    if sub is None:
        return None
    help_ = Help(text=sub.str("text", required=True) or "", source=sub.str("source"))
    sub.finish({"text", "source"})
    return help_


def _coach_prompts(reader: Reader) -> CoachPrompts:
    sub = reader.sub("coach_prompts")
    if sub is None:
        return CoachPrompts()
    prompts = CoachPrompts(followups=sub.str_list("followups"), advice=sub.str_list("advice"))
    sub.finish({"followups", "advice"})
    return prompts


def _routes(reader: Reader) -> tuple[Route, ...]:
    routes = []
    for sub in reader.items("routes"):
        when = sub.str("when", required=True)
        to = sub.str("to", required=True)
        sub.finish({"when", "to"})
        if when and to:
            routes.append(Route(when=when, to=to, line=sub.line))
    return tuple(routes)


def read_probe(sub: Reader, path: str) -> Probe | None:
    """One probe rule (shared by dialogues and probes.yaml)."""
    probe = Probe(
        id=_node_id(sub),
        ask=sub.str("ask", required=True) or "",
        match=sub.str_list("match"),
        without=sub.str_list("without"),
        negation=sub.bool("negation"),
        when=sub.str("when"),
        model=sub.str("model"),
        help=sub.str("help"),
        priority=sub.int("priority", default=0),
        line=sub.line,
        path=path,
    )
    if not probe.match and not probe.when:
        sub.fail("match", "", message="a probe needs 'match' patterns or a 'when' expression")
    sub.finish(PROBE_KEYS)
    return probe


def _options(reader: Reader, node_id: str) -> tuple[Option, ...]:
    options: list[Option] = []
    for sub in reader.items("options", required=True):
        value = sub.text_of("value", required=True)
        label = sub.str("label", required=True)
        sub.finish({"value", "label"})
        if value is not None:
            options.append(Option(value=value, label=label or value))
    if reader.ok and "options" in reader.data and not options:
        reader.fail("options", "at least one option", reader.data.get("options"))
    return tuple(options)


def _node(sub: Reader, path: str, loop: str | None, out: list[Node]) -> None:
    node_id = _node_id(sub)
    node_type = sub.str("type", required=True) or ""
    if node_type and node_type not in TYPE_KEYS:
        sub.fail("type", "one of " + ", ".join(TYPE_KEYS), node_type)
        return
    if not node_type:
        return
    sub.where = f"node '{node_id}'" if node_id else sub.where
    fields: dict[str, Any] = {
        "id": node_id, "type": node_type, "line": sub.line, "loop": loop,
        "routes": _routes(sub), "next": sub.str("next"),
    }
    if node_type == "loop":
        if loop is not None:
            sub.fail("type", "", message=f"loops cannot nest (inside loop '{loop}')")
        fields["over"] = _node_id(sub, "over")
        fields["item_name"] = sub.str("item_name")
        loop_index = len(out)
        out.append(Node(**fields))
        children: list[Node] = []
        for child in sub.items("nodes", required=True):
            _node(child, path, node_id, children)
        if sub.ok and not children and "nodes" in sub.data:
            sub.fail("nodes", "at least one node", sub.data.get("nodes"))
        out[loop_index] = Node(**fields, children=tuple(c.id for c in children if c.loop == node_id))
        out.extend(children)
        sub.finish(TYPE_KEYS["loop"])
        return
    fields["text"] = sub.str("text", required=True) or ""
    fields["text_line"] = sub.value_line("text")
    if node_type in ASKING_TYPES:
        fields["short"] = sub.str("short")
    fields["help"] = _help(sub, "help")
    fields["coach_prompts"] = _coach_prompts(sub)
    fields["kernvragen"] = sub.str_list("kernvragen")
    if node_type in ASKING_TYPES:
        fields["probes"] = tuple(p for p in (read_probe(p, path) for p in sub.items("probes")) if p)
        fields["max_probes"] = sub.int("max_probes", default=1)
        fields["exclude_probes"] = sub.str_list("exclude_probes")
        fields["exclude_line"] = sub.key_line("exclude_probes") if "exclude_probes" in sub.data else 0
    if node_type in ("choice", "multichoice"):
        fields["options"] = _options(sub, node_id)
    if node_type in ("multichoice", "list"):
        fields["min"] = sub.int("min", default=1 if node_type == "list" else 0)
        fields["max"] = sub.int("max")
        if node_type == "list":
            fields["item_name"] = sub.str("item_name")
    if node_type in ("scale", "polarity"):
        fields["min"] = sub.int("min", default=1)
        fields["max"] = sub.int("max", default=5)
        if fields["min"] is not None and fields["max"] is not None and fields["min"] >= fields["max"]:
            sub.fail("max", f"a number above min ({fields['min']})", fields["max"])
    if node_type == "scale":
        labels = sub.sub("labels", required=True)
        if labels is not None:
            fields["labels"] = (labels.str("min", required=True) or "", labels.str("max", required=True) or "")
            labels.finish({"min", "max"})
    if node_type == "polarity":
        poles = sub.sub("poles", required=True)
        if poles is not None:
            fields["poles"] = (poles.str("left", required=True) or "", poles.str("right", required=True) or "")
            poles.finish({"left", "right"})
        ask = sub.str("ask", default="both")
        if ask not in POLARITY_ASKS:
            sub.fail("ask", "now, desired or both", ask)
            ask = "both"
        fields["ask"] = POLARITY_ASKS[ask]
    if node_type == "text":
        fields["min_words"] = sub.int("min_words")
    out.append(Node(**fields))
    sub.finish(TYPE_KEYS[node_type])


def _model_refs(reader: Reader, key: str) -> tuple[ModelRef, ...]:
    refs = []
    for sub in reader.items(key):
        model_id = sub.str("id", required=True)
        why = sub.str("why", required=True)
        sub.finish({"id", "why"})
        if model_id:
            refs.append(ModelRef(id=model_id, why=why or "", line=sub.line))
    return tuple(refs)


def _insight(sub: Reader) -> Insight:
    insight_id = _node_id(sub)
    sub.where = f"insight '{insight_id}'" if insight_id else sub.where
    rests: list[RestsOn] = []
    for index, entry in enumerate(sub.list("rests_on", required=True)):
        if isinstance(entry, str):
            rests.append(RestsOn(question=entry))
        else:
            line = sub.data["rests_on"].item_line(index)
            inner = Reader(entry, f"{sub.where}.rests_on[{index}]", sub.problems, line)
            question = inner.str("question", required=True)
            items = inner.str("items")
            inner.finish({"question", "items"})
            if question:
                rests.append(RestsOn(question=question, items=items))
    insight = Insight(
        id=insight_id, when=sub.str("when", required=True) or "", text=sub.str("text", required=True) or "",
        rests_on=tuple(rests), models=_model_refs(sub, "models"), line=sub.line,
    )
    sub.finish({"id", "when", "text", "rests_on", "models"})
    return insight


def _section(sub: Reader) -> Section | None:
    kind = sub.str("kind", required=True)
    if kind not in SECTION_KEYS:
        if kind:
            sub.fail("kind", "one of " + ", ".join(SECTION_KEYS), kind)
        return None
    fields: dict[str, Any] = {
        "kind": kind, "title": sub.str("title", required=True) or "", "intro": sub.str("intro"), "line": sub.line,
    }
    if kind == "table":
        fields["loop"] = sub.str("loop", required=True)
        fields["columns"] = sub.str_list("columns", required=True)
    if kind in ("profile", "list"):
        fields["questions"] = sub.str_list("questions", required=True)
    if kind == "profile":
        axes = []
        for axis in sub.items("axes"):
            sides = []
            for side in ("left", "right"):
                part = axis.sub(side, required=True)
                if part is not None:
                    sides.append((part.str("label", required=True) or "", part.str_list("questions", required=True)))
                    part.finish({"label", "questions"})
            axis.finish({"left", "right"})
            if len(sides) == 2:
                axes.append(Axis(sides[0][0], sides[0][1], sides[1][0], sides[1][1]))
        fields["axes"] = tuple(axes)
    if kind == "polarities":
        pairs = []
        for pair in sub.items("pairs", required=True):
            question = pair.str("question")
            now, desired = pair.str("now"), pair.str("desired")
            pair.finish({"question", "now", "desired"})
            if question:
                pairs.append(Pair(question, question))
            elif now and desired:
                pairs.append(Pair(now, desired))
            else:
                pair.fail("question", "", message="expected 'question', or both 'now' and 'desired'")
        fields["pairs"] = tuple(pairs)
    sub.finish(SECTION_KEYS[kind])
    return Section(**fields)


def _sources(reader: Reader) -> tuple[Source, ...]:
    sources = []
    for sub in reader.items("sources"):
        sources.append(Source(
            title=sub.str("title", required=True) or "", authors=sub.str("authors"), year=sub.int("year"),
            file=sub.str("file"), lines=sub.text_of("lines"),
        ))
        sub.finish({"title", "authors", "year", "file", "lines"})
    return tuple(sources)


def dialogue_from_data(data: Any, path: str, checksum: str, problems: Problems) -> Dialogue:
    """Build a Dialogue from parsed YAML, recording structural problems."""
    top = Reader(data, "", problems, 1)
    _check_format(top)
    nodes: list[Node] = []
    for sub in top.items("nodes", required=True):
        _node(sub, path, None, nodes)
    if top.ok and "nodes" in top.data and not nodes:
        top.fail("nodes", "at least one node", top.data.get("nodes"))
    summary = top.sub("summary")
    sections: list[Section] = []
    summary_intro = None
    summary_intro_line = 0
    if summary is not None:
        summary_intro = summary.str("intro")
        summary_intro_line = summary.value_line("intro")
        sections = [s for s in (_section(sec) for sec in summary.items("sections", required=True)) if s]
        summary.finish({"intro", "sections"})
    version = top.text_of("version", required=True) or ""
    dialogue = Dialogue(
        id=top.str("id", required=True) or "",
        title=top.str("title", required=True) or "",
        version=version,
        intro=top.str("intro", required=True) or "",
        path=path,
        nodes=tuple(nodes),
        minutes=top.int("minutes"),
        perspectives=top.str_list("perspectives", required=True),
        kernvragen=top.str_list("kernvragen"),
        sources=_sources(top),
        insights=tuple(_insight(s) for s in top.items("insights")),
        default_models=_model_refs(top, "default_models"),
        probes=tuple(p for p in (read_probe(s, path) for s in top.items("probes")) if p),
        summary_intro=summary_intro,
        summary_intro_line=summary_intro_line,
        sections=tuple(sections),
        checksum=checksum,
    )
    top.finish(DIALOGUE_KEYS)
    return dialogue


def read_dialogue(path: Path, problems: Problems | None = None) -> Dialogue:
    """Read one dialogue file (structure checked; see ``validate`` for the rest)."""
    from coach.engine.yamlio import read_yaml

    shown = shown_path(path)
    own = problems or Problems(shown)
    data = read_yaml(path, shown)
    checksum = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    dialogue = dialogue_from_data(data, shown, checksum, own)
    expected_id = path.stem
    if dialogue.id and dialogue.id != expected_id:
        top_line = data.key_line("id") if isinstance(data, dict) else 1
        own.add(top_line, "id", f"expected '{expected_id}' (the file name), found '{dialogue.id}'")
    if problems is None:
        own.raise_if_any()
    return dialogue


def _source_ref(reader: Reader, key: str, required: bool = True) -> SourceRef | None:
    sub = reader.sub(key, required=required)
    if sub is None:
        return None
    ref = SourceRef(file=sub.str("file", required=False) or "", line=sub.int("line", default=0), title=sub.str("title"))
    sub.finish({"file", "line", "title"})
    return ref


def catalogue_from_files(directory: Path, problems_by_file: dict[str, Problems]) -> Catalogue:
    """Read kernvragen.yaml, models.yaml and probes.yaml (each optional)."""
    from coach.engine.yamlio import read_yaml

    perspectives: list[Perspective] = []
    kernvragen: list[Kernvraag] = []
    left_out: list[LeftOut] = []
    models: list[Model] = []
    probes: list[Probe] = []
    tensions: list[Tension] = []
    examples: list[Example] = []

    def open_file(name: str) -> Reader | None:
        path = directory / name
        if not path.exists():
            return None
        shown = shown_path(path)
        problems = problems_by_file.setdefault(shown, Problems(shown))
        try:
            data = read_yaml(path, shown)
        except DialogueError as err:
            problems.items.append(err)
            return None
        top = Reader(data, "", problems, 1)
        _check_format(top)
        return top

    top = open_file("kernvragen.yaml")
    if top is not None:
        # What each source file is called where a director reads it (a source may name it itself).
        names: dict[str, str] = {}
        sources = top.sub("sources")
        if sources is not None:
            for file_name in list(sources.data):
                names[str(file_name)] = sources.str(str(file_name), required=True) or ""

        def named(ref: SourceRef) -> SourceRef:
            return replace(ref, title=names[ref.file]) if ref.title is None and ref.file in names else ref

        for sub in top.items("perspectives", required=True):
            perspectives.append(Perspective(
                id=sub.str("id", required=True) or "", title=sub.str("title", required=True) or "",
                description=sub.str("description") or "",
            ))
            sub.finish({"id", "title", "description"})
        for sub in top.items("kernvragen", required=True):
            kernvraag_id = sub.str("id", required=True) or ""
            sub.where = f"kernvraag '{kernvraag_id}'" if kernvraag_id else sub.where
            kernvragen.append(Kernvraag(
                id=kernvraag_id, text=" ".join((sub.str("text", required=True) or "").split()),
                perspective=sub.str("perspective", required=True) or "",
                source=named(_source_ref(sub, "source") or SourceRef("", 0)),
                praatplaat=sub.bool("praatplaat"), toelichting=_help(sub, "toelichting"),
                models=sub.str_list("models"), line=sub.line,
            ))
            sub.finish({"id", "text", "perspective", "source", "praatplaat", "toelichting", "models"})
        for sub in top.items("left_out"):
            left_out.append(LeftOut(
                text=" ".join((sub.str("text", required=True) or "").split()),
                source=named(_source_ref(sub, "source") or SourceRef("", 0)), reason=sub.str("reason", required=True) or "",
            ))
            sub.finish({"text", "source", "reason"})
        for sub in top.items("tensions"):
            between = sub.str_list("between", required=True)
            if len(between) != 2:
                sub.fail("between", "two perspective ids", list(between))
            tensions.append(Tension(
                id=sub.str("id", required=True) or "", between=tuple((list(between) + ["", ""])[:2]),
                title=sub.str("title", required=True) or "", points=sub.str_list("points", required=True),
                source=named(source) if (source := _source_ref(sub, "source", required=False)) else None,
                toelichting=_help(sub, "toelichting"), line=sub.line,
            ))
            sub.finish({"id", "between", "title", "points", "source", "toelichting"})
        top.finish({"format", "sources", "perspectives", "kernvragen", "left_out", "tensions"})
    top = open_file("models.yaml")
    if top is not None:
        for sub in top.items("models", required=True):
            model_id = _node_id(sub)
            sub.where = f"model '{model_id}'" if model_id else sub.where
            literature = []
            for lit in sub.items("literature"):
                authors = lit.data.get("authors")
                if isinstance(authors, list):
                    lit.seen.add("authors")
                    authors = "; ".join(str(a) for a in authors)
                else:
                    authors = lit.str("authors", required=True) or ""
                literature.append(Literature(
                    authors=authors, year=lit.int("year"), title=lit.str("title", required=True) or "",
                    publisher=lit.str("publisher"), url=lit.str("url"),
                ))
                lit.finish({"authors", "year", "title", "publisher", "url"})
            models.append(Model(
                id=model_id, title=sub.str("title", required=True) or "", authors=sub.str_list("authors", required=True),
                year=sub.int("year"), source=_source_ref(sub, "source", required=False),
                description=sub.str("description", required=True) or "", perspectives=sub.str_list("perspectives"),
                literature=tuple(literature), line=sub.line,
            ))
            sub.finish({"id", "title", "authors", "year", "source", "description", "perspectives", "literature"})
        top.finish({"format", "models"})
    top = open_file("wegwijzer.yaml")
    if top is not None:
        for sub in top.items("examples", required=True):
            example_id = _node_id(sub)
            sub.where = f"example '{example_id}'" if example_id else sub.where
            examples.append(Example(
                id=example_id, name=sub.str("name", required=True) or "", kind=sub.str("kind", required=True) or "",
                description=sub.str("description", required=True) or "", url=sub.str("url"),
                perspectives=sub.str_list("perspectives"), kernvragen=sub.str_list("kernvragen"),
                models=sub.str_list("models"), source=_source_ref(sub, "source", required=False), line=sub.line,
            ))
            sub.finish({"id", "name", "kind", "description", "url", "perspectives", "kernvragen", "models", "source"})
        top.finish({"format", "examples"})
    top = open_file("probes.yaml")
    if top is not None:
        probes.extend(p for p in (read_probe(s, top.problems.path) for s in top.items("probes")) if p)
        top.finish({"format", "probes"})
    return Catalogue(tuple(perspectives), tuple(kernvragen), tuple(left_out), tuple(models), tuple(probes),
                     tuple(tensions), tuple(examples), digest=catalogue_digest(directory))


__all__ = ["FORMAT", "CATALOGUE_FILES", "read_dialogue", "catalogue_from_files", "dialogue_from_data", "describe"]
