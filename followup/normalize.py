"""From decoded text to paragraphs: markup stripped, broken lines joined, widths folded.

Government documents reach the tool as PDF extractions (one sentence broken over many lines, a
blank line between each, a stray space at each page break, the letterhead repeated mid-sentence),
markdown conversions (``#``, ``**``, ``<b>``, tab-separated tables) and copies from document-sharing
sites (boilerplate, and the text cut into chunks that start ``1、`` ``2、`` …). This stage undoes
that and keeps, for every character, the source line it came from.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from followup.models import Document, Paragraph, SourceText

if TYPE_CHECKING:
    from followup.rules import Rules

# One-to-one character folding, so that offsets in the folded text are offsets in the original.
_FOLD = str.maketrans(
    {
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)},  # full-width digits
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)},  # full-width A-Z
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)},  # full-width a-z
        "％": "%",
        "\u3000": " ",
        "\u00a0": " ",
        "(": "（",
        ")": "）",
        ";": "；",
        "!": "！",
        "?": "？",
        "〈": "《",
        "〉": "》",
    }
)
# ',' ':' and '.' are folded only outside numbers (1,000 / 19:37 / 1.5 keep theirs).
_COMMA = re.compile(r"(?<!\d),|,(?!\d)")
_COLON = re.compile(r"(?<!\d):|:(?!\d)")
_FW_POINT = re.compile(r"(?<=\d)．(?=\d)")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Fold punctuation and letter widths; the result has exactly the length of ``text``.

    Memoised: every stage folds the same sentences again, and a string folds the same way always.
    """
    out = text.translate(_FOLD)
    out = _COMMA.sub("，", out)
    out = _COLON.sub("：", out)
    return _FW_POINT.sub(".", out)


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
# Markup left in a text copy: any HTML or XML tag, a comment, a template placeholder ({{ x }}, {% x %}).
# A Chinese document has no use for "<" followed by a letter, so a tag is never document text.
_HTML_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>|\{\{[^{}]{0,80}\}\}|\{%[^{}]{0,80}%\}")
_MD_EMPH = re.compile(r"\*\*|__")
_MD_LIST = re.compile(r"^\s*[-*+]\s+(?=\S)")
_MD_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_WS = " \t\u3000\u00a0\ufeff"

SENTENCE_END = "。！？!?"
# Punctuation (and spaces, quotes, brackets) that may stand around a word: stripped off metric names.
EDGE = "，、；：:,。 （）()“”\"'"
# Markers that open a new item of a Chinese official document: 第一部分 / 一、 / （一） / 1. / 一是.
_NUM = "一二三四五六七八九十"
STRUCTURE_MARKER = re.compile(
    rf"^(?:第[{_NUM}]+部分|[{_NUM}]+、|[（(][{_NUM}]+[）)]|\d{{1,2}}[.．、](?!\d)|[（(]\d{{1,2}}[）)])"
)
ITEM_MARKER = re.compile(rf"^[{_NUM}]+是")
# A chunk marker of a document-sharing site copy: "12、" at the start of a long line.
_CHUNK_MARKER = re.compile(r"^(\d{1,3})、")


def clean_line(line: str) -> tuple[str, list[str] | None]:
    """Strip markup from one source line; return (text, cells if it is a table row)."""
    if _MD_RULE.match(line) or _PIPE_SEPARATOR.match(line) and "|" in line:
        return "", None
    line = _MD_HEADING.sub("", line)
    line = _MD_QUOTE.sub("", line)
    line = _HTML_TAG.sub("", line)
    line = _MD_EMPH.sub("", line)
    line = _MD_LIST.sub("", line)
    if "\t" in line.strip(_WS) or line.strip().startswith("|") and line.strip().endswith("|"):
        sep = "\t" if "\t" in line else "|"
        cells = [c.strip(_WS) for c in line.strip(_WS + "|").split(sep)]
        while cells and not cells[-1]:
            cells.pop()
        if len([c for c in cells if c]) >= 2:
            return "\t".join(cells), cells
        line = " ".join(c for c in cells if c)
    return line.strip(_WS), None


def _drop_chunk_markers(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], set[int]]:
    """Remove the 1、 2、 3、 markers a sharing site puts at each chunk of a long text.

    Returns the lines and the set of line numbers that continue the previous chunk mid-sentence.
    Only a run of three or more long lines numbered 1, 2, 3… in order counts: a real list is short.
    """
    continued: set[int] = set()
    runs: list[list[int]] = []
    current: list[int] = []
    expected = 1
    for i, (_, text) in enumerate(lines):
        m = _CHUNK_MARKER.match(text)
        if m and int(m.group(1)) == expected and len(text) > 120:
            current.append(i)
            expected += 1
            continue
        if len(current) >= 3:
            runs.append(current)
        current, expected = [], 1
        m = _CHUNK_MARKER.match(text)
        if m and int(m.group(1)) == 1 and len(text) > 120:
            current, expected = [i], 2
    if len(current) >= 3:
        runs.append(current)
    out = list(lines)
    for run in runs:
        for k, i in enumerate(run):
            number, text = out[i]
            out[i] = (number, _CHUNK_MARKER.sub("", text, count=1))
            if k:
                continued.add(number)
    return out, continued


def _is_wrapped(lengths: list[int]) -> tuple[bool, int]:
    """Tell a hard-wrapped (PDF) text from one paragraph per line, and its line width."""
    long_lines = sorted(n for n in lengths if n >= 8)
    if len(long_lines) < 8:
        return False, 0
    width = long_lines[int(len(long_lines) * 0.8)]
    near = sum(1 for n in long_lines if 0.8 * width <= n <= 1.15 * width)
    return near >= 0.5 * len(long_lines) and width <= 80, width


def _visible_len(text: str) -> int:
    return len(text.replace(" ", ""))


def normalize(source: SourceText, rules: Rules) -> Document:
    """Turn a decoded file into paragraphs; pure, and loses no document text but markup."""
    raw_lines = source.text.split("\n")
    lines: list[tuple[int, str]] = []
    table_cells: dict[int, list[str]] = {}
    nonblank = 0
    for number, raw in enumerate(raw_lines, start=1):
        text, cells = clean_line(raw)
        if not text:
            continue
        nonblank += 1
        verdict = rules.line_filter(text, early=nonblank <= 5)
        if verdict == "rest":
            break
        if verdict == "drop":
            continue
        if cells:
            table_cells[number] = cells
        lines.append((number, text))
    lines, continued = _drop_chunk_markers(lines)
    wrapped, width = _is_wrapped([_visible_len(t) for n, t in lines if n not in table_cells])

    paragraphs: list[Paragraph] = []
    buf: list[tuple[int, str]] = []

    def flush() -> None:
        if not buf:
            return
        text, offsets, numbers = "", [], []
        for number, piece in buf:
            if text and text[-1].isascii() and text[-1].isalnum() and piece[:1].isascii() and piece[:1].isalnum():
                text += " "
            offsets.append(len(text))
            numbers.append(number)
            text += piece
        paragraphs.append(Paragraph(text=text, norm=fold(text), line_offsets=offsets, line_numbers=numbers))
        buf.clear()

    for i, (number, text) in enumerate(lines):
        if number in table_cells:
            flush()
            cells = table_cells[number]
            paragraphs.append(
                Paragraph(text=text, norm=fold(text), line_offsets=[0], line_numbers=[number], is_table_row=True, cells=cells)
            )
            continue
        buf.append((number, text))
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is None or _ends_paragraph(text, nxt[1], nxt[0] in table_cells, nxt[0] in continued, wrapped, width, rules):
            flush()
    flush()
    return Document(name=source.name, encoding=source.encoding, sha1=source.sha1, paragraphs=paragraphs)


def looks_like_heading(text: str, rules: Rules) -> bool:
    folded = fold(text)
    if any(p in folded for p in "。！？；"):
        return False
    if STRUCTURE_MARKER.match(folded) and len(folded) <= 40:
        return True
    return len(folded) <= 40 and bool(rules.patterns.section_heading.search(folded))


def _ends_paragraph(line: str, nxt: str, nxt_is_table: bool, nxt_continues: bool, wrapped: bool, width: int, rules: Rules) -> bool:
    if nxt_continues:
        return False
    # The tail of a wrapped title ("…2024 年工作" / "要点") belongs to the line above it.
    if rules.patterns.section_heading.search(fold(line)) and _visible_len(nxt) <= 4 and not any(p in fold(nxt) for p in SENTENCE_END + "，；："):
        return False
    if nxt_is_table:
        return True
    folded, nxt_folded = fold(line), fold(nxt)
    if folded[-1] in SENTENCE_END + "：":
        return True
    if STRUCTURE_MARKER.match(nxt_folded) or looks_like_heading(nxt_folded, rules):
        return True
    if ITEM_MARKER.match(nxt_folded) and folded[-1] in "；。":
        return True
    if looks_like_heading(folded, rules):
        return True
    if wrapped:
        return _visible_len(line) < 0.75 * width
    # One paragraph per line: only a long line can have been broken mid-sentence.
    return _visible_len(line) <= 20
