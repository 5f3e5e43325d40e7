"""Widgets: they show and report (messages up); routing and saving live in the session."""

from __future__ import annotations

from pathlib import Path


def css_beside(module_file: str, name: str) -> str:
    """The styles in a ``.tcss`` file beside a widget's module, to use as its ``DEFAULT_CSS``.

    Textual parses a widget's ``DEFAULT_CSS`` when the widget is first mounted, while a
    screen's ``CSS_PATH`` is parsed before the screen shows: styles of a widget that a
    screen does not always show (the coach panel, a scale) are kept here, so a start
    does not parse them.
    """
    return (Path(module_file).parent / name).read_text(encoding="utf-8")
