"""The data a report template gets for one transcript (the shape is in the README).

Texts are kept exactly as stored: JSON writes them as they are, and the Markdown and
HTML environments strip control sequences and escape on output. A transcript is
reported from the summary stored in it; ``--recompute`` makes a new one with the
current dialogue. Everything read from a transcript is checked to have the shape the
templates expect, so a hand-made transcript with a valid checksum gives an error that
names it, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError, ReportError, TranscriptError
from coach.text import quote

if TYPE_CHECKING:
    from coach.engine.catalogue import Catalogue
    from coach.engine.model import Dialogue, Node
    from coach.reports.inputs import Input

SECTION_KINDS = ("table", "profile", "polarities", "list")


class ShapeError(Exception):
    """A part of a transcript that does not have the shape schema 1 gives it."""


@dataclass
class Theme:
    """A theme as this version knows it (or not)."""

    dialogue: Dialogue | None
    catalogue: Catalogue | None

    @property
    def known(self) -> bool:
        return self.dialogue is not None


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ShapeError(f"'{what}' is geen mapping")
    return value


def _sequence(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ShapeError(f"'{what}' is geen lijst")
    return value


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _number(value: Any) -> int | float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the participant letters."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def generic_display(value: Any) -> str:
    """An answer as text when its question is not known (an unknown or changed theme)."""
    if value is None:
        return "(overgeslagen)"
    if isinstance(value, list):
        from coach.session.answers import ITEM_SEPARATOR

        return ITEM_SEPARATOR.join(str(v) for v in value) or "(geen)"
    if isinstance(value, dict):
        if "now" in value or "desired" in value:
            from coach.session.answers import polarity_display

            return polarity_display(value)
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


class Builder:
    """Turns checked transcripts into report data, one at a time.

    It remembers little across transcripts: the themes it loaded and the letter each
    participant got, so the same person is "Deelnemer B" throughout a report.
    """

    def __init__(self, *, coach_notes: bool = False, anonymous: bool = False, recompute: bool = False,
                 warn: Callable[[str], None] = lambda message: None) -> None:
        self.coach_notes = coach_notes
        self.anonymous = anonymous
        self.recompute = recompute
        self.warn = warn
        self._themes: dict[tuple[str, str | None], Theme] = {}
        self._letters: dict[Any, str] = {}

    # ------------------------------------------------------------------ themes

    def theme(self, theme_id: str, own_file: str | None) -> Theme:
        """The theme of a transcript, loaded once per report (None when unknown)."""
        key = (theme_id, own_file)
        if key not in self._themes:
            from coach.engine.library import load_catalogue_for, load_theme

            target = own_file if own_file and Path(own_file).suffix in (".yaml", ".yml") and Path(own_file).is_file() else theme_id
            try:
                dialogue = load_theme(target) if target else None
                catalogue = load_catalogue_for(dialogue) if dialogue else None
            except CoachError:
                dialogue, catalogue = None, None  # reported from its stored summary, with a note
            self._themes[key] = Theme(dialogue, catalogue)
        return self._themes[key]

    def option_label(self, theme_id: str, question: str, value: Any) -> str:
        """The label of a choice value (the value itself when the theme or option is unknown)."""
        for (known_id, _), theme in self._themes.items():
            if known_id == theme_id and theme.dialogue is not None:
                node = theme.dialogue.by_id.get(question)
                if node is not None and node.options:
                    return node.option_label(str(value))
        return str(value)

    # ------------------------------------------------------------ participants

    def participant(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Name, organisation, date and the label a report uses (Deelnemer A, B, … when anonymous)."""
        name = _text(raw.get("name"))
        organisation = _text(raw.get("organisation"))
        key: Any = (" ".join(name.split()).casefold(), " ".join((organisation or "").split()).casefold()) if name and name.strip() else object()
        letter = self._letters.get(key)
        if letter is None:
            letter = self._letters[key] = letters(len(self._letters))
        if self.anonymous:
            return {"label": f"Deelnemer {letter}", "name": None, "organisation": None,
                    "date": _text(raw.get("date")), "letter": letter}
        label = " ".join(name.split()) if name and name.strip() else f"Deelnemer {letter}"
        return {"label": label, "name": name, "organisation": organisation, "date": _text(raw.get("date")), "letter": letter}

    # ----------------------------------------------------------------- answers

    @staticmethod
    def _display(node: Node | None, value: Any, skipped: bool) -> str:
        if skipped:
            return "(overgeslagen)"
        if node is not None and node.asks:
            from coach.session.answers import display_value

            try:
                return display_value(node, value)
            except (TypeError, AttributeError, KeyError, ValueError):
                pass  # a value that no longer fits a changed question: shown as it is stored
        return generic_display(value)

    def _answers(self, document: dict[str, Any], dialogue: Dialogue | None) -> list[dict[str, Any]]:
        followups: dict[tuple[str, Any], list[dict[str, Any]]] = {}
        for probe in _sequence(document.get("probes"), "probes"):
            probe = _mapping(probe, "probes")
            skipped = bool(probe.get("skipped"))
            followups.setdefault((str(probe.get("question")), probe.get("item")), []).append({
                "probe": _text(probe.get("probe")), "text": _text(probe.get("text")) or "",
                "value": None if skipped else _text(probe.get("value")), "skipped": skipped,
                "fragment": _text(probe.get("fragment")), "model": _text(probe.get("model")),
            })
        out = []
        for answer in _sequence(document.get("answers"), "answers"):
            answer = _mapping(answer, "answers")
            question = str(answer.get("question"))
            item = _text(answer.get("item"))
            skipped = bool(answer.get("skipped"))
            node = dialogue.by_id.get(question) if dialogue else None
            out.append({
                "question": question, "item": item, "text": _text(answer.get("text")) or "",
                "label": node.name if node is not None else quote(_text(answer.get("text")), 8) or question,
                "value": answer.get("value"), "display": self._display(node, answer.get("value"), skipped),
                "skipped": skipped, "at": _text(answer.get("at")),
                "followups": followups.get((question, answer.get("item")), []),
            })
        return out

    def _coach_notes(self, document: dict[str, Any], answers: list[dict[str, Any]]) -> dict[str, Any] | None:
        if not self.coach_notes:
            return None
        notes = _mapping(document.get("coach_notes"), "coach_notes")
        texts = {(a["question"], a["item"]): a["text"] for a in answers}
        labels = {a["question"]: a["label"] for a in answers}
        questions = []
        for note in _sequence(notes.get("questions"), "coach_notes.questions"):
            note = _mapping(note, "coach_notes.questions")
            question, item = str(note.get("question")), _text(note.get("item"))
            questions.append({"question": question, "item": item, "text": _text(note.get("text")) or "",
                              "question_text": texts.get((question, item)) or labels.get(question) or question})
        return {"session": _text(notes.get("session")) or "", "questions": questions}

    # ----------------------------------------------------------------- summary

    @staticmethod
    def _scale(data: dict[str, Any], what: str) -> tuple[int, int]:
        """A scale's ends: whole numbers, at most 100 steps apart (charts draw every step)."""
        low, high = data.get("min"), data.get("max")
        low = 1 if low is None else low
        high = 5 if high is None else high
        if not (type(low) is int and type(high) is int and 0 < high - low <= 100):
            raise ShapeError(f"'{what}' heeft een schaal van {low} tot {high}")
        return low, high

    @classmethod
    def _section(cls, raw: Any) -> dict[str, Any]:
        section = _mapping(raw, "summary.sections")
        kind = str(section.get("kind"))
        out: dict[str, Any] = {"kind": kind, "title": _text(section.get("title")) or "", "intro": _text(section.get("intro"))}
        if kind == "table":
            out["item_name"] = _text(section.get("item_name"))
            out["columns"] = [{"question": str(c.get("question")), "label": _text(c.get("label")) or str(c.get("question"))}
                              for c in map(lambda c: _mapping(c, "columns"), _sequence(section.get("columns"), "columns"))]
            rows = []
            for row in _sequence(section.get("rows"), "rows"):
                row = _mapping(row, "rows")
                cells = [{"question": str(cell.get("question")), "value": cell.get("value"), "display": _text(cell.get("display")) or ""}
                         for cell in map(lambda c: _mapping(c, "cells"), _sequence(row.get("cells"), "cells"))]
                rows.append({"item": _text(row.get("item")) or "", "cells": cells})
            out["rows"] = rows
        elif kind == "profile":
            bars = []
            for bar in _sequence(section.get("bars"), "bars"):
                bar = _mapping(bar, "bars")
                labels = bar.get("labels")
                low, high = cls._scale(bar, "bars")
                bars.append({"question": str(bar.get("question")), "label": _text(bar.get("label")) or str(bar.get("question")),
                             "value": _number(bar.get("value")), "min": low, "max": high,
                             "labels": [str(x) for x in labels] if isinstance(labels, list) and len(labels) == 2 else None})
            out["bars"] = bars
            out["ranked"] = [str(q) for q in _sequence(section.get("ranked"), "ranked")]
            axes = []
            for axis in _sequence(section.get("axes"), "axes"):
                axis = _mapping(axis, "axes")
                sides = {}
                for side in ("left", "right"):
                    data = _mapping(axis.get(side), f"axes.{side}")
                    sides[side] = {"label": _text(data.get("label")) or "", "questions": [str(q) for q in _sequence(data.get("questions"), "questions")],
                                   "total": _number(data.get("total")), "mean": _number(data.get("mean"))}
                axes.append(sides)
            out["axes"] = axes
        elif kind == "polarities":
            pairs = []
            for pair in _sequence(section.get("pairs"), "pairs"):
                pair = _mapping(pair, "pairs")
                low, high = cls._scale(pair, "pairs")
                pairs.append({"question": str(pair.get("question")), "desired_question": _text(pair.get("desired_question")),
                              "left": _text(pair.get("left")) or "", "right": _text(pair.get("right")) or "",
                              "min": low, "max": high,
                              "now": _number(pair.get("now")), "desired": _number(pair.get("desired")), "gap": _number(pair.get("gap"))})
            out["pairs"] = pairs
        elif kind == "list":
            groups = []
            for group in _sequence(section.get("groups"), "groups"):
                group = _mapping(group, "groups")
                entries = [{"item": _text(e.get("item")), "value": e.get("value"), "display": _text(e.get("display")) or ""}
                           for e in map(lambda e: _mapping(e, "entries"), _sequence(group.get("entries"), "entries"))]
                followups = [{"item": _text(f.get("item")), "text": _text(f.get("text")) or "", "value": _text(f.get("value")) or "",
                              "skipped": False}
                             for f in map(lambda f: _mapping(f, "followups"), _sequence(group.get("followups"), "followups"))]
                groups.append({"question": str(group.get("question")), "text": _text(group.get("text")) or "",
                               "entries": entries, "followups": followups})
            out["groups"] = groups
        return out

    def _summary(self, raw: Any, labels: dict[str, str], given: set[tuple[str, str | None]]) -> dict[str, Any] | None:
        """A stored (or recomputed) summary, checked; ``given`` holds the answers given, so an
        insight of an older transcript does not name a skipped answer as one it rests on."""
        from coach.summary import answers_given

        if raw is None:
            return None
        summary = _mapping(raw, "summary")
        insights = []
        for insight in _sequence(summary.get("insights"), "summary.insights"):
            insight = _mapping(insight, "summary.insights")
            rests_on = []
            for rest in _sequence(insight.get("rests_on"), "rests_on"):
                rest = _mapping(rest, "rests_on")
                question = str(rest.get("question"))
                rests_on.append({"question": question, "item": _text(rest.get("item")), "label": labels.get(question, question)})
            insights.append({"id": str(insight.get("id")), "text": _text(insight.get("text")) or "",
                             "rests_on": answers_given(rests_on, given),
                             "models": [str(m) for m in _sequence(insight.get("models"), "insights.models")]})
        models = []
        for model in _sequence(summary.get("models"), "summary.models"):
            model = _mapping(model, "summary.models")
            why = [{"text": _text(w.get("text")) or "", "insight": _text(w.get("insight"))}
                   for w in map(lambda w: _mapping(w, "why"), _sequence(model.get("why"), "why"))]
            models.append({"id": str(model.get("id")), "title": _text(model.get("title")) or str(model.get("id")),
                           "authors": [str(a) for a in _sequence(model.get("authors"), "authors")],
                           "year": model.get("year") if isinstance(model.get("year"), (int, str)) else None,
                           "source": _text(model.get("source")), "why": why})
        return {
            "version": summary.get("version"),
            "intro": _text(summary.get("intro")),
            "sections": [self._section(s) for s in _sequence(summary.get("sections"), "summary.sections")],
            "insights": insights,
            "models": models,
        }

    def _recomputed(self, item: Input, document: dict[str, Any], theme: Theme, notes: list[str]) -> Any:
        """A summary made now with the current dialogue (or the stored one when that is impossible)."""
        info = _mapping(document.get("dialogue"), "dialogue")
        theme_id = str(info.get("id"))
        if theme.dialogue is None:
            self.warn(f"{item.name}: het thema '{theme_id}' is onbekend; de opgeslagen samenvatting wordt gebruikt")
            notes.append("Niet herberekend: dit thema is onbekend; de opgeslagen samenvatting staat hieronder.")
            return document.get("summary"), "stored"
        if info.get("checksum") != theme.dialogue.checksum:
            self.warn(f"{item.name}: het thema '{theme_id}' is gewijzigd sinds deze sessie "
                      f"(versie {info.get('version')} → {theme.dialogue.version}); de samenvatting is herberekend met de huidige versie")
            notes.append(f"Het thema is gewijzigd sinds deze sessie (versie {info.get('version')} → {theme.dialogue.version}); "
                         "de samenvatting is herberekend met de huidige versie.")
        if not document.get("finished"):
            return None, None
        from coach.session.session import Session
        from coach.summary import make_summary

        try:
            session = Session.resume(document, theme.dialogue, theme.catalogue)
        except TranscriptError as err:
            err.path, err.line = item.name, item.line
            raise
        return make_summary(session), "recomputed"

    # ------------------------------------------------------------------ build

    def build(self, item: Input) -> dict[str, Any]:
        """The template data of one transcript."""
        try:
            return self._build(item)
        except ShapeError as err:
            raise ReportError(f"het transcript heeft niet de vorm van schema 1: {err}", path=item.name, line=item.line) from err
        except (KeyError, TypeError, AttributeError, ValueError) as err:
            raise ReportError(f"het transcript heeft niet de vorm van schema 1 ({type(err).__name__}: {err})",
                              path=item.name, line=item.line) from err

    def _build(self, item: Input) -> dict[str, Any]:
        document = item.document
        info = _mapping(document.get("dialogue"), "dialogue")
        theme_id = str(info.get("id") or "")
        theme = self.theme(theme_id, _text(info.get("file")))
        dialogue = theme.dialogue
        notes: list[str] = []
        if dialogue is None:
            notes.append(f"Deze versie van Netwerkcoach kent het thema '{theme_id}' niet; "
                         "het rapport toont de samenvatting zoals die in het transcript is bewaard.")
        answers = self._answers(document, dialogue)
        labels = {a["question"]: a["label"] for a in answers}
        if dialogue is not None:
            labels.update({n.id: n.name for n in dialogue.questions})
        finished = bool(document.get("finished"))
        raw_summary, source = (document.get("summary"), "stored") if finished else (None, None)
        if self.recompute:
            raw_summary, source = self._recomputed(item, document, theme, notes)
        given = {(a["question"], a["item"]) for a in answers if not a["skipped"]}
        summary = self._summary(raw_summary, labels, given) if finished else None
        if summary is None:
            source = None
        answered = sum(1 for a in answers if not a["skipped"])
        return {
            "session": str(document.get("session")),
            "theme": {"id": theme_id, "title": _text(info.get("title")) or theme_id, "version": _text(info.get("version")),
                      "checksum": _text(info.get("checksum")), "known": dialogue is not None},
            "participant": self.participant(_mapping(document.get("participant"), "participant")),
            "group": _text(document.get("group")),
            "mode": _text(document.get("mode")),
            "app": _text(document.get("app")),
            "started": _text(document.get("started")),
            "updated": _text(document.get("updated")),
            "finished": _text(document.get("finished")),
            "status": "finished" if finished else "unfinished",
            "progress": {"answered": answered, "skipped": len(answers) - answered},
            "summary": summary,
            "summary_source": source,
            "notes": notes,
            "answers": answers,
            "coach_notes": self._coach_notes(document, answers),
        }
