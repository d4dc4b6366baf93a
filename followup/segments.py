"""Cutting a section into sentences and clauses, each with its heading path and source line.

Sentences end at 。！？ outside brackets and quotes; an enumeration "一是…；二是…" is cut at each
item. Clauses (a commitment's actions) are cut at ，；. A paragraph that opens with a marker and a
short first sentence ("（一）夯实核心产业支撑。要…") carries a heading: it goes into the path and
is not itself a sentence to match.
"""

from __future__ import annotations

import re

from followup.models import Document, Paragraph, Section, Segment
from followup.normalize import ITEM_MARKER, SENTENCE_END, fold, looks_like_heading
from followup.rules import Rules

_OPEN = "“‘（《【〔「『"
_CLOSE = "”’）》】〕」』"
_NUM = "一二三四五六七八九十"
_LEVELS = (
    re.compile(r"^第[一二三四五六七八九十]+部分"),
    re.compile(rf"^[{_NUM}]+、"),
    re.compile(rf"^[（(][{_NUM}]+[）)]"),
    re.compile(r"^(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])"),
    re.compile(rf"^[{_NUM}]+是"),
)
MAX_HEADING_SENTENCE = 25


def heading_level(text: str) -> int | None:
    folded = fold(text)
    for level, pattern in enumerate(_LEVELS):
        if pattern.match(folded):
            return level
    return None


_SENTENCE_MARKS = re.compile("[" + re.escape(_OPEN + _CLOSE + SENTENCE_END) + "；]")
_CLAUSE_MARKS = re.compile("[" + re.escape(_OPEN + _CLOSE) + "，；：]")


def _spans(norm: str, cut_items: bool) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a folded paragraph."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    n = len(norm)
    # Only brackets, quotes and sentence marks matter: jump from one to the next.
    for m in _SENTENCE_MARKS.finditer(norm):
        i, ch = m.start(), m.group()
        if i < start:
            continue  # swallowed by the sentence end before it (。” or ？！)
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in SENTENCE_END and depth == 0:
            end = i + 1
            while end < n and norm[end] in _CLOSE + SENTENCE_END:
                end += 1
            spans.append((start, end))
            start = end
        elif ch == "；" and cut_items and depth == 0 and ITEM_MARKER.match(norm[i + 1 : i + 4]):
            spans.append((start, i + 1))
            start = i + 1
    if start < n:
        spans.append((start, n))
    out = []
    for s, e in spans:
        while s < e and norm[s] == " ":
            s += 1
        while e > s and norm[e - 1] == " ":
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def clauses(text: str) -> list[str]:
    """Cut at ，；： outside brackets and quotes (、 joins a list, not clauses)."""
    norm = fold(text)
    pieces: list[str] = []
    depth, start = 0, 0
    for m in _CLAUSE_MARKS.finditer(norm):
        i, ch = m.start(), m.group()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in "，；：" and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return [p.strip().rstrip("。！？!?") for p in pieces if p.strip().rstrip("。！？!?")]


def _table_row_text(para: Paragraph) -> str:
    cells = [c for c in para.cells if c]
    if len(cells) > 1 and re.fullmatch(r"\d{1,3}", cells[0]):
        cells = cells[1:]
    return " | ".join(cells)


def _is_table_header(para: Paragraph) -> bool:
    cells = [c for c in para.cells if c]
    return bool(cells) and cells[0] in ("序号", "编号", "序") or not any(re.search(r"\d", c) for c in cells)


# A report's paragraph often opens with a short theme sentence ("大力提振消费。扩大…"): a heading of
# the sentences after it, not a task. Below 一是 in the path.
RUN_IN_LEVEL = 5
MAX_RUN_IN = 20
MAX_RUN_IN_INSIDE = 8  # "…治理效能。要强化政治引领。牢记…": a short one inside the paragraph too
MAX_REPORT_HEADING = 45


def segment_section(doc: Document, section: Section, rules: Rules, report: bool = False) -> list[Segment]:
    """Every sentence and table row of a section, in order, with its heading path.

    ``report``: the section is a government work report's, whose paragraphs open with run-in headings.
    """
    path: list[tuple[int, str]] = []
    segments: list[Segment] = []
    for index in range(section.first_paragraph, section.end_paragraph):
        para = doc.paragraphs[index]
        if para.is_table_row:
            if _is_table_header(para):
                continue
            text = _table_row_text(para)
            segments.append(
                Segment(text=text, norm=fold(text), line=para.line_numbers[0], path=[h for _, h in path],
                        paragraph=index, is_table_row=True)
            )
            continue
        level = heading_level(para.text)
        if level is None and _is_caption(para.norm):
            # A bare heading with no marker (a table caption, a sub-title): part of the path, below all.
            _push(path, 9, para.text.strip())
            segments.append(_segment(doc, index, para, 0, len(para.text), path, heading=True))
            continue
        spans = _spans(para.norm, cut_items=True)
        levels = [heading_level(para.norm[s:e]) for s, e in spans]  # norm is text folded, offsets alike
        for k, (s, e) in enumerate(spans):
            sentence = para.text[s:e]
            sentence_level = levels[k]
            is_heading = False
            # "二是为2万名高危人群进行上消化道健康筛查。三是…": an item of a list followed by the next item
            # (or by nothing) heads no sentences: a task, however short. ("七是加快生物医药产业发展布局。
            # 坚持…" heads the sentences after it.)
            listed = sentence_level == 4 and (k + 1 == len(spans) or levels[k + 1] == 4)
            if sentence_level is not None and (k == 0 or sentence_level == 4) and not listed:
                body = fold(sentence).rstrip("。：")
                if looks_like_heading(sentence, rules) or (
                    len(body) <= MAX_HEADING_SENTENCE and "，" not in body and "；" not in body and len(spans) > 1
                ) or (report and k == 0 and sentence_level <= 2 and len(body) <= MAX_REPORT_HEADING):
                    # (the last: "（一）保持宏观政策连续性稳定性可持续性，促进经济运行在合理区间。" on its own line)
                    is_heading = True
                    _push(path, sentence_level, sentence.strip().rstrip("。："))
            elif report and sentence_level is None and k + 1 < len(spans):
                body = fold(sentence).strip().rstrip("。！")
                if not any(p in body for p in "，；：、") and (len(body) <= MAX_RUN_IN if k == 0 else len(body) <= MAX_RUN_IN_INSIDE):
                    is_heading = True
                    _push(path, RUN_IN_LEVEL, body)
            segments.append(_segment(doc, index, para, s, e, path, heading=is_heading))
    return segments


def _is_caption(norm: str) -> bool:
    """A short line with no sentence punctuation: a table caption or a sub-title."""
    return len(norm.strip()) <= 40 and not any(p in norm for p in SENTENCE_END + "，；：")


def _push(path: list[tuple[int, str]], level: int, text: str) -> None:
    while path and path[-1][0] >= level:
        path.pop()
    path.append((level, text))


def _segment(doc: Document, index: int, para: Paragraph, start: int, end: int, path: list[tuple[int, str]], heading: bool) -> Segment:
    text = para.text[start:end].strip()
    return Segment(
        text=text, norm=fold(text), line=para.line_at(start), path=[h for _, h in path],
        paragraph=index, start=start, is_heading_sentence=heading,
    )
