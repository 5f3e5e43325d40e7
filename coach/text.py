"""Making untrusted text safe to show: control sequences out, Markdown escaped."""

from __future__ import annotations

import re

# ESC-initiated sequences (CSI, OSC, DCS and the like), then any remaining C0/C1 control
# other than tab and newline, and DEL.
_OSC = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
_CSI = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?")
_ESC = re.compile(r"\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b.?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional overrides and isolates can make text read differently from what it is.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """Remove terminal control sequences; show bidi overrides visibly.

    Carriage returns are normalised to newlines first, so Windows line ends survive.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _OSC.sub("", text)
    text = _CSI.sub("", text)
    text = _ESC.sub("", text)
    text = _CONTROL.sub("", text)
    return _BIDI.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])", re.MULTILINE)
_MD_LINE_DASH = re.compile(r"^(\s*)([-=]+)", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Escape what would change Markdown structure or add links and images."""
    text = _MD_SPECIAL.sub(r"\\\1", strip_controls(text))
    text = _MD_LINE_START.sub(r"\1\2\\\3", text)
    return _MD_LINE_DASH.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def quote(text: str | None, words: int = 12) -> str:
    """A short fragment of ``text``, cut at a word boundary, with "…" when cut."""
    if not text:
        return ""
    parts = str(text).split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]) + "…"
