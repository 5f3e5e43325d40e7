"""One answer widget per question type. Each shows a value and hands it in (``hand_in``).

A widget never validates or saves: the screen passes ``value()`` to the session, which
checks it and says what is wrong. Every text shown comes from dialogue data or answers
and is shown as literal text (``Content``), never parsed as markup.

Each type's widget has its own module, imported when a question of that type is first
shown: defining a Textual widget class takes time, and a start defines only those of
its first question.
"""

from __future__ import annotations

from importlib import import_module

from coach.ui.widgets.answers.base import AnswerWidget

WIDGETS: dict[str, tuple[str, str]] = {
    "text": ("text", "TextAnswer"),
    "choice": ("choice", "ChoiceAnswer"),
    "multichoice": ("choice", "MultiChoiceAnswer"),
    "scale": ("scale", "ScaleAnswer"),
    "polarity": ("scale", "PolarityAnswer"),
    "list": ("items", "ListAnswer"),
    "info": ("info", "InfoAnswer"),
}
"""Each question type's widget: its module in this package and its class."""


def widget_class(kind: str) -> type[AnswerWidget]:
    """The answer widget for a question type (``text`` also answers a follow-up)."""
    module, name = WIDGETS[kind]
    widget: type[AnswerWidget] = getattr(import_module(f"{__name__}.{module}"), name)
    return widget
