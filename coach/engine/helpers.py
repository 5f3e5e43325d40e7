"""The small library of functions that dialogue expressions and templates may call.

Each helper gets the evaluation context (for ``answers``) from Jinja2 and takes plain
values or question ids, so no expression ever needs Python. Missing answers are
``None`` and every helper treats them as "not answered".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from coach.text import quote



def _entries(value: Any) -> list[Any]:
    """Flatten an answer into its entries: a loop mapping's values, a list's items."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        out: list[Any] = []
        for inner in value.values():
            if isinstance(inner, (list, tuple)):
                out.extend(inner)
            else:
                out.append(inner)
        return out
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def count(value: Any, *wanted: Any) -> int:
    """How many entries equal one of ``wanted`` (as strings); without: answered ones."""
    entries = [e for e in _entries(value) if e is not None]
    if not wanted:
        return len(entries)
    targets = {str(w) for w in wanted}
    return sum(1 for e in entries if str(e) in targets)


def size(value: Any) -> int:
    """The number of entries of a list or mapping; 0 for none."""
    if value is None:
        return 0
    if isinstance(value, (Mapping, list, tuple, str)):
        return len(value)
    return 1


def words(text: Any) -> int:
    """The number of words in a text; 0 for none."""
    return len(str(text).split()) if text else 0


def _holds(answer: Any, targets: set[str]) -> bool:
    if isinstance(answer, (list, tuple)):
        return any(str(a) in targets for a in answer)
    return answer is not None and str(answer) in targets


def contains(value: Any, *wanted: Any) -> bool:
    """True when a multichoice or list answer holds one of ``wanted``."""
    targets = {str(w) for w in wanted}
    return any(str(e) in targets for e in _entries(value) if e is not None)


def items_with(value: Any, *wanted: Any) -> list[str]:
    """The loop items whose answer equals, or contains, one of ``wanted``."""
    if not isinstance(value, Mapping):
        return []
    targets = {str(w) for w in wanted}
    return [item for item, answer in value.items() if _holds(answer, targets)]


def items_without(value: Any, *wanted: Any) -> list[str]:
    """The loop items whose answer holds none of ``wanted``."""
    if not isinstance(value, Mapping):
        return []
    targets = {str(w) for w in wanted}
    return [item for item, answer in value.items() if not _holds(answer, targets)]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


def _scores(context: Context, ids: Iterable[str]) -> list[tuple[str, float]]:
    answers = context.get("answers") or {}
    scored = []
    for qid in ids:
        number = _number(answers.get(qid))
        if number is not None:
            scored.append((qid, number))
    return scored


@pass_context
def lowest(context: Context, *question_ids: str) -> str | None:
    """The id of the lowest-scoring named scale question (first on a tie)."""
    scored = _scores(context, question_ids)
    return min(scored, key=lambda pair: pair[1])[0] if scored else None


@pass_context
def highest(context: Context, *question_ids: str) -> str | None:
    """The id of the highest-scoring named scale question (first on a tie)."""
    scored = _scores(context, question_ids)
    return max(scored, key=lambda pair: pair[1])[0] if scored else None


def mean(*values: Any) -> float | None:
    """The mean of the numbers given (lists and mappings flattened), ignoring none."""
    numbers = [n for n in (_number(v) for value in values for v in _entries(value)) if n is not None]
    return sum(numbers) / len(numbers) if numbers else None


def polarity_gap(now_answer: Any, desired_answer: Any) -> int | None:
    """``desired - now`` of two polarity answers, or None when either is missing."""
    now = now_answer.get("now") if isinstance(now_answer, Mapping) else None
    desired = desired_answer.get("desired") if isinstance(desired_answer, Mapping) else None
    if _number(now) is None or _number(desired) is None:
        return None
    return int(desired) - int(now)


@pass_context
def gap(context: Context, now_id: str, desired_id: str | None = None) -> int | None:
    """``desired - now`` of a polarity question (or of two: now of one, desired of other)."""
    answers = context.get("answers") or {}
    return polarity_gap(answers.get(now_id), answers.get(desired_id or now_id))


@pass_context
def largest_gap(context: Context, *question_ids: str) -> str | None:
    """The id of the polarity question with the largest absolute gap (first on a tie)."""
    answers = context.get("answers") or {}
    best: tuple[str, int] | None = None
    for qid in question_ids:
        value = polarity_gap(answers.get(qid), answers.get(qid))
        if value is not None and (best is None or abs(value) > best[1]):
            best = (qid, abs(value))
    return best[0] if best else None


@pass_context
def label(context: Context, question_id: str, value: Any) -> Any:
    """The option label of a choice value, or of each value of a list."""
    labels: Mapping[str, str] = (context.get("_labels") or {}).get(question_id, {})
    if isinstance(value, (list, tuple)):
        return [labels.get(str(v), str(v)) for v in value]
    if value is None:
        return None
    return labels.get(str(value), str(value))


def joined(values: Any) -> str:
    """A Dutch enumeration: ``a, b en c``."""
    parts = [str(v) for v in _entries(values) if v is not None and str(v) != ""]
    if isinstance(values, Mapping):
        parts = [str(k) for k in values]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


HELPERS: dict[str, Any] = {
    "count": count,
    "size": size,
    "words": words,
    "contains": contains,
    "items_with": items_with,
    "items_without": items_without,
    "lowest": lowest,
    "highest": highest,
    "mean": mean,
    "gap": gap,
    "largest_gap": largest_gap,
    "label": label,
    "joined": joined,
    "quote": quote,
}
"""Every helper by the name expressions use."""
