"""Validate and normalise one answer by the type of its question.

Messages are Dutch: the director reads them. Each names the question and says what
was expected and what was found. Values from YAML answer files arrive as strings
(read without type guessing), from JSON or the UI as typed values; both are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from coach.engine.model import Node
from coach.errors import AnswerError

MAX_TEXT_CHARS = 100_000
"""The longest free-text answer accepted (about 40 pages)."""
MAX_ITEM_CHARS = 300
"""The longest list item accepted."""
MAX_LIST_ITEMS = 1_000
"""The most list items accepted."""

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, bool]:
    """Text YAML can hold: lone surrogates and NUL replaced. Returns (text, replaced)."""
    cleaned = _SURROGATE.sub("\ufffd", text).replace("\x00", "\ufffd")
    return cleaned, cleaned != text


def _shown(value: Any) -> str:
    """A found value as the person wrote it: YAML and JSON words for empty and yes/no, not Python's."""
    import reprlib

    if value is None:
        return "niets"
    if isinstance(value, bool):
        return "true" if value else "false"
    try:
        text = reprlib.repr(value) if not isinstance(value, str) else f"'{value[:40]}'"
    except ValueError:  # an integer too long to write out (Python refuses past 4,300 digits)
        return "een getal van duizenden cijfers"
    return text if len(text) <= 40 else text[:37] + "..."


def _count(number: int, one: str, more: str) -> str:
    """"1 keuze", "2 keuzes"."""
    return f"{number} {one if number == 1 else more}"


def _as_text(node: Node, value: Any, expected: str) -> str:
    """``str(value)``, or the usual AnswerError for a value that cannot be written out."""
    try:
        return str(value)
    except ValueError:  # an integer of thousands of digits
        raise _fail(node, expected, value) from None


def _fail(node: Node, expected: str, found: Any) -> AnswerError:
    return AnswerError(f"verwacht {expected}, gevonden {_shown(found)}", question=node.id)


def _integer(node: Node, value: Any, low: int, high: int, what: str = "") -> int:
    expected = f"{what}een geheel getal van {low} tot en met {high}"
    if isinstance(value, bool):
        raise _fail(node, expected, value)
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[+-]?\d{1,6}", text):
            raise _fail(node, expected, value)
        value = int(text)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or not low <= value <= high:
        raise _fail(node, expected, value)
    return value


def option_named(node: Node, text: str) -> str | None:
    """The value of the option ``text`` names: its value as written, else its value or label in any case."""
    for option in node.options:
        if text == option.value:
            return option.value
    folded = text.casefold()
    for option in node.options:
        if folded in (option.value.casefold(), option.label.casefold()):
            return option.value
    return None


def _option(node: Node, value: Any) -> str:
    if isinstance(value, (list, dict)) or value is None:
        raise _fail(node, "één van: " + ", ".join(o.value for o in node.options), value)
    text = _as_text(node, value, "één van: " + ", ".join(o.value for o in node.options)).strip()
    named = option_named(node, text)
    if named is not None:
        return named
    if isinstance(value, bool):  # YAML 1.1 made yes/no/on/off into booleans
        words = {"true", "yes", "on", "y", "ja"} if value else {"false", "no", "off", "n", "nee"}
        for option in node.options:
            if option.value.casefold() in words:
                return option.value
    raise _fail(node, "één van: " + ", ".join(o.value for o in node.options), value)


def _text(node: Node, value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(node, "tekst", value)
    text, _ = clean_text(value.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.strip()
    if not text:
        raise AnswerError("het antwoord is leeg; schrijf iets, of sla de vraag over", question=node.id)
    if len(text) > MAX_TEXT_CHARS:
        raise AnswerError(f"het antwoord is {len(text)} tekens lang; het maximum is {MAX_TEXT_CHARS}", question=node.id)
    return text


def _items(node: Node, value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)):
        raise _fail(node, "een lijst", value)
    if len(value) > MAX_LIST_ITEMS:
        raise AnswerError(f"de lijst heeft {len(value)} onderdelen; het maximum is {MAX_LIST_ITEMS}", question=node.id)
    items: list[str] = []
    seen: set[str] = set()
    for raw in value:
        if isinstance(raw, (list, dict)) or raw is None:
            raise _fail(node, "een korte tekst per onderdeel", raw)
        item, _ = clean_text(" ".join(_as_text(node, raw, "een korte tekst per onderdeel").split()))
        if not item:
            continue
        if len(item) > MAX_ITEM_CHARS:
            raise AnswerError(f"een onderdeel is {len(item)} tekens lang; het maximum is {MAX_ITEM_CHARS}", question=node.id)
        key = item.casefold()
        if key in seen:
            raise AnswerError(f"'{item}' staat er twee keer in; noem elk onderdeel één keer", question=node.id)
        seen.add(key)
        items.append(item)
    low = node.min or 0
    if len(items) < low:
        raise AnswerError(f"verwacht minstens {_count(low, 'onderdeel', 'onderdelen')}, gevonden {len(items)}",
                          question=node.id)
    if node.max is not None and len(items) > node.max:
        raise AnswerError(f"verwacht hoogstens {_count(node.max, 'onderdeel', 'onderdelen')}, gevonden {len(items)}",
                          question=node.id)
    return items


def _choices(node: Node, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise _fail(node, "een lijst van keuzes", value)
    if len(value) > MAX_LIST_ITEMS:
        raise AnswerError(f"de keuze heeft {len(value)} onderdelen; het maximum is {MAX_LIST_ITEMS}", question=node.id)
    chosen: list[str] = []
    for raw in value:
        option = _option(node, raw)
        if option not in chosen:
            chosen.append(option)
    order = {o.value: i for i, o in enumerate(node.options)}
    chosen.sort(key=order.__getitem__)
    low = node.min or 0
    if len(chosen) < low:
        raise AnswerError(f"verwacht minstens {_count(low, 'keuze', 'keuzes')}, gevonden {len(chosen)}", question=node.id)
    if node.max is not None and len(chosen) > node.max:
        raise AnswerError(f"verwacht hoogstens {_count(node.max, 'keuze', 'keuzes')}, gevonden {len(chosen)}",
                          question=node.id)
    return chosen


def _polarity(node: Node, value: Any) -> dict[str, int]:
    low, high = node.min or 1, node.max or 5
    if not isinstance(value, Mapping):
        if len(node.ask) == 1:
            return {node.ask[0]: _integer(node, value, low, high)}
        raise _fail(node, "nu en gewenst, elk een getal (bijvoorbeeld {now: 2, desired: 4})", value)
    unknown = [k for k in value if k not in ("now", "desired")]
    if unknown:
        raise _fail(node, "alleen 'now' en 'desired'", unknown[0])
    result: dict[str, int] = {}
    for part in node.ask:
        if part not in value:
            raise AnswerError(f"'{part}' ontbreekt; verwacht {', '.join(node.ask)}", question=node.id)
        word = "nu: " if part == "now" else "gewenst: "
        result[part] = _integer(node, value[part], low, high, word)
    return result


def validate_answer(node: Node, value: Any) -> Any:
    """The normalised answer to ``node``, or AnswerError saying what is wrong."""
    kind = node.type
    if kind == "text":
        return _text(node, value)
    if kind == "choice":
        return _option(node, value)
    if kind == "multichoice":
        return _choices(node, value)
    if kind == "scale":
        return _integer(node, value, node.min or 1, node.max or 5)
    if kind == "polarity":
        return _polarity(node, value)
    if kind == "list":
        return _items(node, value)
    raise AnswerError(f"deze stap ({kind}) vraagt geen antwoord", question=node.id)


def polarity_display(value: Mapping[str, Any]) -> str:
    """A polarity answer as read back: "nu 2, gewenst 4" (only the parts given)."""
    words = {"now": "nu", "desired": "gewenst"}
    return ", ".join(f"{words[part]} {value[part]}" for part in ("now", "desired") if part in value)


ITEM_SEPARATOR = "; "
"""Between the parts of a multichoice or list answer read back: option labels hold commas
("Overheden: gemeente, provincie, Rijk"), so a comma would run two options together."""


def display_value(node: Node, value: Any) -> str:
    """An answer as a director reads it back (labels, not values)."""
    if value is None:
        return "(overgeslagen)"
    if node.type == "choice":
        return node.option_label(str(value))
    if node.type == "multichoice":
        return ITEM_SEPARATOR.join(node.option_label(v) for v in value) or "(geen)"
    if node.type == "scale":
        return f"{value} van {node.max}"
    if node.type == "polarity":
        return polarity_display(value)
    if node.type == "list":
        return ITEM_SEPARATOR.join(value)
    return str(value)
