"""The summary as Markdown for the app's export (reports use coach.reports)."""

from __future__ import annotations

from typing import Any

from coach.text import escape_markdown as esc


def summary_markdown(title: str, summary: dict[str, Any]) -> str:
    """A Markdown document of a summary: sections, insights, models (answers escaped)."""
    out = [f"# Samenvatting: {esc(title)}", ""]
    if summary.get("intro"):
        out += [esc(summary["intro"]), ""]
    for section in summary.get("sections", []):
        out += [f"## {esc(section['title'])}", ""]
        kind = section["kind"]
        if kind == "table":
            head = [esc(section.get("item_name") or "Onderdeel")] + [esc(c["label"]) for c in section["columns"]]
            out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            for row in section["rows"]:
                cells = [esc(row["item"])] + [esc(str(c["display"])).replace("\n", " ") for c in row["cells"]]
                out.append("| " + " | ".join(cells) + " |")
        elif kind == "profile":
            out += [f"- {esc(b['label'])}: {b['value'] if b['value'] is not None else '–'} van {b['max']}" for b in section["bars"]]
        elif kind == "polarities":
            out += [f"- {esc(p['left'])} ↔ {esc(p['right'])}: nu {p['now']}, gewenst {p['desired']}" for p in section["pairs"]]
        else:
            for group in section["groups"]:
                out += [f"- {esc((e['item'] + ': ') if e.get('item') else '')}{esc(str(e['display']))}" for e in group["entries"]]
        out.append("")
    out += ["## Wat opvalt", ""] + [f"- {esc(i['text'])}" for i in summary.get("insights", [])] + [""]
    out += ["## Om verder te lezen", ""]
    for model in summary.get("models", []):
        out.append(f"- **{esc(model['title'])}**" + (f" ({esc(', '.join(model.get('authors') or []))})" if model.get("authors") else ""))
        out += [f"  {esc(w['text'])}" for w in model.get("why", [])]
    return "\n".join(out) + "\n"
