"""Parts per theme and the group comparison, kept as running tallies.

Transcripts arrive one at a time and in any order of themes. Each theme gets a part;
each part keeps counts, sums, minima and maxima (small, whatever the number of
transcripts) and spools the rows a template shows per participant (each session, each
participant's answers per section) to disk, to be read back lazily while rendering.

Sections are matched across transcripts by kind and title (and their order among
sections with the same kind and title), so transcripts of different versions of a
theme still line up where they can; a section only some have is shown for those.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coach.reports.spool import Rows, Spool


class Stats:
    """Count, minimum, maximum and mean of numbers seen one at a time."""

    __slots__ = ("count", "total", "low", "high")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self.low: float | None = None
        self.high: float | None = None

    def add(self, value: Any) -> None:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return
        self.count += 1
        self.total += value
        self.low = value if self.low is None or value < self.low else self.low
        self.high = value if self.high is None or value > self.high else self.high

    def data(self) -> dict[str, Any]:
        mean = round(self.total / self.count, 2) if self.count else None
        spread = (self.high - self.low) if self.count else None  # type: ignore[operator]
        return {"count": self.count, "min": self.low, "max": self.high, "mean": mean, "range": spread}


def _who(session: dict[str, Any]) -> dict[str, Any]:
    return {"participant": session["participant"]["label"], "session": session["session"], "number": session["number"]}


class _Section:
    """One section of a theme, compared across participants."""

    def __init__(self, spool: Spool, key: tuple[Any, ...], section: dict[str, Any], labeler: Callable[[str, Any], str]) -> None:
        self.spool = spool
        self.key = key
        self.kind = section["kind"]
        self.title = section["title"]
        self.intro = section.get("intro")
        self.labeler = labeler
        self.participants = 0
        self.item_name = section.get("item_name")
        self.columns: dict[str, dict[str, Any]] = {}
        self.bars: dict[str, dict[str, Any]] = {}
        self.axes: list[dict[str, Any]] = []
        self.pairs: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, Any]] = {}

    # -------------------------------------------------------------- tallying

    def add(self, section: dict[str, Any], who: dict[str, Any]) -> None:
        self.participants += 1
        getattr(self, f"_add_{self.kind}", lambda s, w: None)(section, who)

    def _add_table(self, section: dict[str, Any], who: dict[str, Any]) -> None:
        for column in section["columns"]:
            self.columns.setdefault(column["question"], {"question": column["question"], "label": column["label"], "counts": {}})
        for row in section["rows"]:
            self.spool.append(self.key + ("rows",), {**who, "item": row["item"], "cells": row["cells"]})
            for cell in row["cells"]:
                column = self.columns.get(cell["question"])
                if column is None:
                    continue
                value = cell["value"]
                if isinstance(value, list):
                    for each in value:
                        self._count(column, str(each), self.labeler(cell["question"], each))
                elif value is not None and not isinstance(value, dict):
                    self._count(column, str(value), cell["display"])

    @staticmethod
    def _count(column: dict[str, Any], value: str, display: str) -> None:
        entry = column["counts"].get(value)
        if entry is None:
            column["counts"][value] = [display, 1]
        else:
            entry[1] += 1

    def _add_profile(self, section: dict[str, Any], who: dict[str, Any]) -> None:
        for bar in section["bars"]:
            tally = self.bars.get(bar["question"])
            if tally is None:
                tally = self.bars[bar["question"]] = {"question": bar["question"], "label": bar["label"], "min": bar["min"],
                                                      "max": bar["max"], "labels": bar["labels"], "stats": Stats(), "skipped": 0}
            tally["min"] = min(tally["min"], bar["min"])
            tally["max"] = max(tally["max"], bar["max"])
            tally["stats"].add(bar["value"])
            if bar["value"] is None:
                tally["skipped"] += 1
            self.spool.append(self.key + ("bar", bar["question"]), {**who, "value": bar["value"]})
        for index, axis in enumerate(section["axes"]):
            if index >= len(self.axes):
                self.axes.append({side: {"label": axis[side]["label"], "questions": axis[side]["questions"], "stats": Stats()}
                                  for side in ("left", "right")})
            for side in ("left", "right"):
                self.axes[index][side]["stats"].add(axis[side]["mean"])

    def _add_polarities(self, section: dict[str, Any], who: dict[str, Any]) -> None:
        for pair in section["pairs"]:
            tally = self.pairs.get(pair["question"])
            if tally is None:
                tally = self.pairs[pair["question"]] = {
                    "question": pair["question"], "desired_question": pair["desired_question"], "left": pair["left"],
                    "right": pair["right"], "min": pair["min"], "max": pair["max"],
                    "now": Stats(), "desired": Stats(), "gap": Stats(), "order": len(self.pairs),
                }
            tally["now"].add(pair["now"])
            tally["desired"].add(pair["desired"])
            tally["gap"].add(pair["gap"])
            self.spool.append(self.key + ("pair", pair["question"]),
                              {**who, "now": pair["now"], "desired": pair["desired"], "gap": pair["gap"]})

    def _add_list(self, section: dict[str, Any], who: dict[str, Any]) -> None:
        for group in section["groups"]:
            tally = self.groups.setdefault(group["question"], {"question": group["question"], "text": group["text"], "answered": 0})
            if group["entries"] or group["followups"]:
                tally["answered"] += 1
                self.spool.append(self.key + ("group", group["question"]),
                                  {**who, "entries": group["entries"], "followups": group["followups"]})

    # ---------------------------------------------------------------- result

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "title": self.title, "intro": self.intro, "participants": self.participants}
        if self.kind == "table":
            out["item_name"] = self.item_name
            out["columns"] = [
                {"question": c["question"], "label": c["label"],
                 "counts": [{"value": value, "display": display, "count": count}
                            for value, (display, count) in sorted(c["counts"].items(), key=lambda kv: -kv[1][1])]}
                for c in self.columns.values()
            ]
            out["rows"] = Rows(self.spool, self.key + ("rows",))
        elif self.kind == "profile":
            out["bars"] = [
                {"question": b["question"], "label": b["label"], "min": b["min"], "max": b["max"], "labels": b["labels"],
                 "spread": {**b["stats"].data(), "skipped": b["skipped"]},
                 "scores": Rows(self.spool, self.key + ("bar", b["question"]))}
                for b in self.bars.values()
            ]
            # Largest differences between participants first: the conversation starters.
            out["bars"].sort(key=lambda bar: -(bar["spread"].get("range") or 0))
            out["axes"] = [{side: {"label": a[side]["label"], "questions": a[side]["questions"], "mean": a[side]["stats"].data()["mean"]}
                            for side in ("left", "right")} for a in self.axes]
        elif self.kind == "polarities":
            pairs = []
            for p in self.pairs.values():
                now, desired, gap = p["now"].data(), p["desired"].data(), p["gap"].data()
                disagreement = max(now["range"] or 0, desired["range"] or 0)
                pairs.append({"question": p["question"], "desired_question": p["desired_question"], "left": p["left"],
                              "right": p["right"], "min": p["min"], "max": p["max"], "now": now, "desired": desired,
                              "gap": gap, "disagreement": disagreement, "order": p["order"],
                              "scores": Rows(self.spool, self.key + ("pair", p["question"]))})
            pairs.sort(key=lambda p: (-p["disagreement"], -(abs(p["gap"]["mean"] or 0)), p["order"]))
            for p in pairs:
                del p["order"]
            out["pairs"] = pairs
        elif self.kind == "list":
            out["groups"] = [{"question": g["question"], "text": g["text"], "answered": g["answered"],
                              "answers": Rows(self.spool, self.key + ("group", g["question"]))}
                             for g in self.groups.values()]
        return out


class Part:
    """The sessions of one theme and their comparison."""

    def __init__(self, spool: Spool, index: int, session: dict[str, Any], labeler: Callable[[str, str, Any], str]) -> None:
        self.spool = spool
        self.key = ("part", index)
        theme = session["theme"]
        self.theme = {"id": theme["id"], "title": theme["title"], "known": theme["known"], "versions": []}
        self.labeler = lambda question, value: labeler(theme["id"], question, value)
        self.count = 0
        self.finished = 0
        self.compared = 0
        self.sections: dict[tuple[str, str, int], _Section] = {}
        self.models: dict[str, dict[str, Any]] = {}
        self.insight_counts: dict[str, int] = {}

    def add(self, session: dict[str, Any]) -> None:
        """Spool the session and count what the comparison needs."""
        self.count += 1
        session["number"] = self.count
        version = session["theme"]["version"]
        if version not in self.theme["versions"]:
            self.theme["versions"].append(version)
        self.theme["known"] = self.theme["known"] and session["theme"]["known"]
        self.spool.append(self.key + ("sessions",), session)
        who = _who(session)
        participant = session["participant"]
        self.spool.append(self.key + ("participants",), {
            **who, "name": participant["name"], "organisation": participant["organisation"], "date": participant["date"],
            "letter": participant["letter"], "status": session["status"], "started": session["started"],
            "finished": session["finished"], "progress": session["progress"], "group": session["group"],
        })
        if session["status"] == "finished":
            self.finished += 1
        summary = session["summary"]
        if summary is None:
            return
        self.compared += 1
        seen: dict[tuple[str, str], int] = {}
        for section in summary["sections"]:
            name = (section["kind"], section["title"])
            seen[name] = seen.get(name, 0) + 1
            key = (*name, seen[name])
            tally = self.sections.get(key)
            if tally is None:
                tally = self.sections[key] = _Section(self.spool, self.key + ("section", len(self.sections)), section, self.labeler)
            tally.add(section, who)
        self.spool.append(self.key + ("insights",), {**who, "insights": summary["insights"]})
        for insight in summary["insights"]:
            self.insight_counts[insight["id"]] = self.insight_counts.get(insight["id"], 0) + 1
        for model in summary["models"]:
            entry = self.models.get(model["id"])
            if entry is None:
                entry = self.models[model["id"]] = {key: model[key] for key in ("id", "title", "authors", "year", "source")}
                entry.update(count=0, why=[], order=len(self.models))
            entry["count"] += 1
            for why in model["why"]:
                if why["text"] not in entry["why"] and len(entry["why"]) < 5:
                    entry["why"].append(why["text"])

    def data(self) -> dict[str, Any]:
        """The part as templates see it; ``group`` only when it holds more than one session."""
        group = None
        if self.count > 1:
            models = sorted(self.models.values(), key=lambda m: (-m["count"], m["order"]))
            group = {
                "count": self.count,
                "compared": self.compared,
                "participants": Rows(self.spool, self.key + ("participants",)),
                "sections": [s.data() for s in self.sections.values()],
                "insights": Rows(self.spool, self.key + ("insights",)),
                "insight_counts": [{"id": k, "count": v} for k, v in sorted(self.insight_counts.items(), key=lambda kv: -kv[1])],
                "models": [{k: v for k, v in m.items() if k != "order"} for m in models],
            }
        return {
            "theme": self.theme,
            "count": self.count,
            "finished": self.finished,
            "unfinished": self.count - self.finished,
            "sessions": Rows(self.spool, self.key + ("sessions",)),
            "group": group,
        }


class Collector:
    """Every part of a report, in the order their themes first appear."""

    def __init__(self, labeler: Callable[[str, str, Any], str] = lambda theme, question, value: str(value)) -> None:
        self.spool = Spool()
        self.parts: dict[str, Part] = {}
        self.labeler = labeler
        self.count = 0

    def add(self, session: dict[str, Any]) -> None:
        theme_id = session["theme"]["id"]
        part = self.parts.get(theme_id)
        if part is None:
            part = self.parts[theme_id] = Part(self.spool, len(self.parts), session, self.labeler)
        part.add(session)
        self.count += 1

    def data(self) -> list[dict[str, Any]]:
        return [part.data() for part in self.parts.values()]

    def close(self) -> None:
        self.spool.close()
