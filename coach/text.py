"""Making untrusted text safe to show: control sequences out, Markdown escaped."""

from __future__ import annotations

import re
from functools import cache

# Any character the substitutions below would touch: most text has none and is returned at once.
_ANY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@cache
def _controls() -> tuple[re.Pattern[str], ...]:
    """What ``strip_controls`` takes out, compiled when some text first needs it."""
    return (
        # ESC-initiated sequences (OSC, CSI, then DCS and the like), then any remaining
        # C0/C1 control other than tab and newline, and DEL. The 8-bit forms (C1
        # introducers OSC \x9d, CSI \x9b, DCS \x90, SOS \x98, PM \x9e, APC \x9f, ended by
        # BEL, ESC \ or ST \x9c) go with their payload too.
        re.compile(r"(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"),
        re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"),
        re.compile(r"(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?|\x1b.?"),
        re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"),
    )


# Lone surrogates (from invalid bytes read with surrogateescape) cannot be printed.
_SURROGATE = r"[\ud800-\udfff]"
# Bidirectional overrides and isolates can make text read differently from what it is.
_BIDI = r"[\u202a-\u202e\u2066-\u2069]"


def strip_controls(text: str) -> str:
    """Remove terminal control sequences; show bidi overrides visibly.

    Carriage returns are normalised to newlines first, so Windows line ends survive.
    Lone surrogates (text that was not valid UTF-8) become "�", so printing never fails.
    """
    if not _ANY_CONTROL.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for sequence in _controls():
        text = sequence.sub("", text)
    text = re.sub(_SURROGATE, "\ufffd", text)
    return re.sub(_BIDI, lambda m: f"<U+{ord(m.group()):04X}>", text)


@cache
def _markdown() -> tuple[re.Pattern[str], ...]:
    """What ``escape_markdown`` escapes, compiled on first use (reports need it, the app not)."""
    return (
        re.compile(r"([\\`*_{}\[\]<#|~&$^])"),
        # What only counts at the start of a line: quotes, list items (pandoc's "(1)" and
        # "(@)" too), setext underlines, and pandoc's definitions (": ") and lettered lists:
        # "a. ", "iv) ", and with a capital only before two spaces ("B.  x"), so
        # "M. de Caluwé" stays as is.
        re.compile(r"^(\s*)([>+:]|\((?=(?:@[\w-]*|\d+|#|[A-Za-z]|[ivxlcdmIVXLCDM]+)\)(?:\s|$)))", re.MULTILINE),
        re.compile(r"^(\s*)(\d+)([.)])", re.MULTILINE),
        re.compile(r"^(\s*)([-=]+)", re.MULTILINE),
        re.compile(r"^(\s*)([a-z]|[ivxlcdm]+|[A-Z]|[IVXLCDM]+)([.)])(?=\s|$)", re.MULTILINE),
    )


def _letter_list(match: re.Match[str]) -> str:
    indent, marker, mark = match.groups()
    after = match.string[match.end():match.end() + 2]
    if marker[0].isupper() and mark == "." and not (after == "  " or after.startswith("\t")):
        return match.group(0)  # an initial ("M. de Caluwé"), not a list item
    return f"{indent}{marker}\\{mark}"


def escape_markdown(text: str) -> str:
    """Escape what would change Markdown structure or add links and images.

    Covers CommonMark, GitHub's dialect and pandoc's Markdown: emphasis, code, links
    and images (their brackets), raw HTML and entities, headings, quotes, lists (pandoc's
    lettered ones too), tables, TeX math and super/subscripts. Marks that only count at
    the start of a line are escaped there, and at the start of ``text`` (which may land at
    the start of a line). Control sequences are stripped first.
    """
    special, line_mark, line_start, line_dash, line_letter = _markdown()
    text = special.sub(r"\\\1", strip_controls(text))
    text = line_mark.sub(r"\1\\\2", text)
    text = line_start.sub(r"\1\2\\\3", text)
    text = line_letter.sub(_letter_list, text)
    return line_dash.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


_SENTENCE_END = (".", "!", "?", '."', '!"', '?"', ".'", "!'", "?'", ".)", "!)", "?)")

ABBREVIATIONS = frozenset({
    "a.s", "bijv", "b.v", "bv", "c.q", "ca", "d.w.z", "dhr", "dr", "drs", "e.a", "e.d", "enz", "etc", "evt",
    "excl", "i.p.v", "i.v.m", "incl", "ing", "ir", "jl", "m.b.t", "m.i", "m.n", "max", "min", "mevr", "mld",
    "mln", "mr", "n.a.v", "nl", "nr", "o.a", "o.b.v", "p.m", "prof", "resp", "t.a.v", "t.o.v", "vs", "z.s.m",
})
"""Dutch abbreviations whose full stop ends no sentence ("o.a.", "t.o.v.", "bijv.")."""


def ends_sentence(word: str) -> bool:
    """True when ``word`` (a whitespace-separated token) closes a sentence: it ends in ".",
    "!" or "?" (perhaps inside a closing quote or bracket), and is not an abbreviation or
    an initial ("o.a.", "ca.", "M.")."""
    if not word.endswith(_SENTENCE_END):
        return False
    bare = word.rstrip("\"')")
    if not bare.endswith("."):
        return True
    stem = bare[:-1].lstrip("(\"'")
    return not (stem.casefold() in ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()))


def quote(text: str | None, words: int = 12) -> str:
    """A short fragment of ``text``, cut at a word boundary, with "…" when cut.

    When a sentence ends in the second half of the words kept, the fragment ends with
    that sentence instead ("… en bij mij." rather than "… en bij mij. De…"): a whole
    sentence quotes better than the first word of the next.
    """
    if not text:
        return ""
    parts = str(text).split()
    if len(parts) <= words:
        return " ".join(parts)
    for end in range(words, (words + 1) // 2, -1):
        if ends_sentence(parts[end - 1]):
            return " ".join(parts[:end])
    return " ".join(parts[:words]) + "…"


def cite(source: str) -> str:
    """A source as a reader takes it in: "Kaats & Opheij, 2023 · Quick scan samenwerking".

    Sources name their chapter in brackets ("…, 2024 (Onze samenwerking(en))"); put in
    brackets once more, as help texts did, they read as a tangle of parentheses. Several
    sources (split on "; " outside brackets) each get the same treatment.
    """
    parts: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(source):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and source.startswith("; ", index):
            parts.append(source[start:index])
            start = index + 2
    parts.append(source[start:])
    return "; ".join(_chapter_apart(part.strip()) for part in parts if part.strip())


def _chapter_apart(source: str) -> str:
    """"Work, year (chapter)" as "Work, year · chapter"; anything else as it is."""
    if not source.endswith(")"):
        return source
    depth = 0
    for index in range(len(source) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(source[index], 0)
        if depth == 0:
            work, chapter = source[:index].rstrip(), source[index + 1:-1].strip()
            return f"{work} · {chapter}" if work and chapter else source
    return source  # brackets that do not match: shown as written


def dutch_number(value: object, digits: int = 1) -> str:
    """A number the Dutch way: 3,5; whole numbers without decimals; "–" for none."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}".rstrip("0").rstrip(".").replace(".", ",")


def authors_line(authors: list[str] | tuple[str, ...]) -> str:
    """Authors as a citation names them: "A", "A & B", "A, B & C" (", " alone read
    "Klaster, W. Opheij" as one surname and its initial)."""
    names = [str(name) for name in authors if str(name).strip()]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1] if names else ""
