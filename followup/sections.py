"""Finding the 工作总结 (summary) and 工作要点/计划 (plan) sections of a document.

A department's document: a heading such as "2024 年工作要点" or "第一部分 2023 年工作总结" opens a
section that runs to the next one. A title that names several ("2023 年工作总结和 2024 年工作要点",
"上半年工作总结和下半年工作要点") announces sections; one it announces but the document does not hold
is reported, so a truncated copy does not pass for a complete one.

A government work report: its top-level parts (一、二、三、…) are each a review, a plan, a five-year
record or outline, or an appendix. The heading says which when it can (一、2025年工作回顾,
三、2026年重点工作, 二、“十五五”时期主要目标); a theme heading (福建's 一、牢记殷殷嘱托…) is read by its
content: 过去一年/一年来 make a review of last year, 今年 and the 主要预期目标 a plan of this year, a
十四五/十五五 outline is five-year. Consecutive parts of one kind and year are one section (a plan's
总体要求 with its targets, then its tasks); 名词解释 and 附件 close the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from followup.identify import YEAR, cn_year_to_int, find_body, find_date, find_number
from followup.models import Document, DocumentInfo, Period, Section, Warning
from followup.normalize import fold, looks_like_heading
from followup.rules import Rules

_PERIODS: dict[str, Period] = {"上半年": "first_half", "下半年": "second_half", "全年": "annual"}
PERIOD_LABELS = {"annual": "", "first_half": "上半年", "second_half": "下半年", "five_year": "五年"}
KIND_LABELS = {"summary": "工作总结", "plan": "工作要点", "appendix": "附件"}


@dataclass(frozen=True)
class _Mention:
    kind: str
    year: int | None
    period: Period
    word: str


_YEAR_BEFORE = re.compile(r"(" + YEAR + r")\s*年?度?")
_PERIOD_WORD = re.compile(r"上半年|下半年|全年")


def mentions(text: str, rules: Rules) -> list[_Mention]:
    """Every 'year + section word' a heading or title names, in order.

    Each section word (工作总结, 工作要点 …) is found first; its year and period are looked for in the
    words just before it, back to the previous 和/及/与 or punctuation. A word with neither a year
    nor a period before it, but other words, is not a section name ("任务目标要点" is not).
    """
    folded = fold(text).replace(" ", "")
    words = "|".join(map(re.escape, sorted(rules.sections, key=len, reverse=True)))
    found: list[_Mention] = []
    for m in re.finditer(words, folded):
        window = re.split(r"[和及与，。；：、（）()《》]", folded[max(0, m.start() - 24) : m.start()])[-1]
        years = list(_YEAR_BEFORE.finditer(window))
        period_match = _PERIOD_WORD.search(window)
        year = cn_year_to_int(years[-1].group(1)) if years else None
        if year is None and period_match is None and window:
            continue
        mid = window[years[-1].end():] if years else window
        if len(mid.replace(period_match.group(0) if period_match else "", "")) > 16:
            continue
        period = _PERIODS.get(period_match.group(0) if period_match else "", "annual")
        found.append(_Mention(rules.sections[m.group(0)], year, period, m.group(0)))
    # A title names the year once: "2023年上半年工作总结和下半年工作要点".
    for i, mention in enumerate(found):
        if mention.year is None and i and found[i - 1].year is not None:
            found[i] = _Mention(mention.kind, found[i - 1].year, mention.period, mention.word)
    return found


def describe(kind: str, year: int, period: Period) -> str:
    return f"{year} {PERIOD_LABELS[period]}{KIND_LABELS[kind]}"


def identify(doc: Document, rules: Rules) -> tuple[DocumentInfo, list[Warning]]:
    """Body, number, date and sections of one document, and what is wrong with it."""
    warnings: list[Warning] = []
    number, prefix, number_year = find_number(doc)
    body = find_body(doc, rules, prefix)
    date = find_date(doc)
    if is_report(doc, rules):
        return _identify_report(doc, rules, body, number, date, warnings)

    headings: list[tuple[int, _Mention]] = []
    announced: list[_Mention] = []
    title: str | None = None
    for index, para in enumerate(doc.paragraphs):
        if para.is_table_row:
            continue
        text = para.text
        if not looks_like_heading(text, rules) and not (index < 12 and len(text) <= 60 and "。" not in fold(text)):
            continue
        found = mentions(text, rules)
        if not found:
            continue
        kinds = {m.kind for m in found}
        if len(found) >= 2 and len(kinds) >= 2:
            title = title or text
            for m in found:
                if m not in announced:
                    announced.append(m)
        elif looks_like_heading(text, rules) and len(found) == 1:
            headings.append((index, found[0]))
            if title is None and index < 12 and "部分" not in text:
                title = text

    sections: list[Section] = []
    default_year = number_year or (int(date[:4]) if date else None)
    title_year = next((m.year for m in announced if m.year), None)
    for k, (index, mention) in enumerate(headings):
        year = mention.year or _inherit_year(sections, title_year, default_year)
        if year is None:
            warnings.append(Warning(document=doc.name, code="section_without_year",
                                    args={"line": doc.paragraphs[index].line_numbers[0], "heading": doc.paragraphs[index].text}))
            continue
        end = headings[k + 1][0] if k + 1 < len(headings) else len(doc.paragraphs)
        sections.append(
            Section(
                kind=mention.kind, year=year, period=mention.period, heading=doc.paragraphs[index].text,
                line=doc.paragraphs[index].line_numbers[0], first_paragraph=index + 1, end_paragraph=end,
            )
        )

    # A copy with no section headings: the text after the title is its first announced section.
    if not sections and announced and announced[0].year is not None:
        first = announced[0]
        start = next((i for i, p in enumerate(doc.paragraphs) if mentions(p.text, rules)), 0)
        sections.append(
            Section(
                kind=first.kind, year=first.year, period=first.period, heading=doc.paragraphs[start].text[:60],
                line=doc.paragraphs[start].line_numbers[0], first_paragraph=start + 1 if start + 1 < len(doc.paragraphs) else start,
                end_paragraph=len(doc.paragraphs),
            )
        )
        if start + 1 >= len(doc.paragraphs) or len(doc.paragraphs[start].text) > 80:
            # The title runs on into the text (a chunked copy): the section starts in that paragraph.
            sections[-1].first_paragraph = start

    for mention in announced:
        if mention.year is None:
            continue
        if not any(s.kind == mention.kind and s.year == mention.year and s.period == mention.period for s in sections):
            warnings.append(Warning(document=doc.name, code="truncated",
                                    args={"year": mention.year, "period": mention.period, "kind": mention.kind}))
    if not sections:
        warnings.append(Warning(document=doc.name, code="no_sections"))
    if body is None:
        warnings.append(Warning(document=doc.name, code="no_body"))

    info = DocumentInfo(
        name=doc.name, encoding=doc.encoding, body=body, series=body, number=number, date=date, title=title,
        sections=sections, announced=[describe(m.kind, m.year, m.period) for m in announced if m.year],
    )
    return info, warnings


def is_report(doc: Document, rules: Rules) -> bool:
    """A government work report: its title or first lines say 政府工作报告."""
    opening = "".join(fold(p.text).replace(" ", "") for p in doc.paragraphs[:6])
    return any(cue in opening for cue in rules.cue("report"))


# The Nth five-year plan from the third on: 十四五 is 2021-2025 (the first two and a gap came before).
_FIVE_YEAR_PLAN = re.compile(r"“?十([一二三四五六七八九])五”?|第十([一二三四五六七八九])个五年")
_CN_ONES = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
_TOP_LEVEL = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")


def five_year_plan(text: str) -> tuple[int, int] | None:
    """(first, last) year of the five-year plan a text names: 十四五 → (2021, 2025)."""
    m = _FIVE_YEAR_PLAN.search(text)
    if not m:
        return None
    number = 10 + _CN_ONES[m.group(1) or m.group(2)]
    first = 1966 + 5 * (number - 3)
    return first, first + 4


def _count(text: str, words: list[str]) -> int:
    return sum(text.count(w) for w in words)


def _report_parts(doc: Document, rules: Rules) -> list[tuple[int, str]]:
    """(paragraph index, heading) of each top-level part of a report, in order."""
    review, plan, appendix = rules.cue("review_heading"), rules.cue("plan_heading"), rules.cue("appendix_heading")
    parts = []
    for index, para in enumerate(doc.paragraphs):
        if para.is_table_row:
            continue
        text = fold(para.text).strip()
        if len(text) > 60:
            continue
        numbered = _TOP_LEVEL.match(text)
        words = any(w in text for w in review + plan)
        dated = re.search(YEAR + r"年|今年|过去一年|过去五年", text)
        if numbered or (words and dated and not any(p in text for p in "，。；：")) or any(text.startswith(w) for w in appendix):
            parts.append((index, para.text.strip()))
    return parts


def _classify_part(heading: str, body: str, doc_year: int | None, rules: Rules) -> tuple[str, int | None, str] | None:
    """(kind, year, period) of a report's part from its heading, else from its content; None if unclear."""
    folded = fold(heading).replace(" ", "")
    if any(folded.lstrip("一二三四五六七八九十、").startswith(w) for w in rules.cue("appendix_heading")):
        return "appendix", doc_year, "annual"
    kind = ("summary" if any(w in folded for w in rules.cue("review_heading")) else
            "plan" if any(w in folded for w in rules.cue("plan_heading")) else None)
    years = [cn_year_to_int(y) for y in re.findall(r"(" + YEAR + r")年", folded)]
    year = next((y for y in years if y), None)
    if year is None and doc_year is not None:
        if any(w in folded for w in rules.cue("last_year")):
            year = doc_year - 1
        elif any(w in folded for w in rules.cue("this_year")):
            year = doc_year
    span = five_year_plan(folded)
    five = year is None and (span is not None or any(w in folded for w in rules.cue("five_year")))
    if kind is None:  # a theme heading: read the part itself
        text = fold(body)[:6000]
        last, this = _count(text, rules.cue("last_year")), _count(text, rules.cue("this_year"))
        targets = any(w in text for w in rules.cue("targets"))
        if targets and this:
            kind, year, five = "plan", doc_year, False
        elif last > this:
            kind, year, five = "summary", (doc_year - 1 if doc_year else None), False
        elif this:
            kind, year, five = "plan", doc_year, False
        elif len(_FIVE_YEAR_PLAN.findall(text)) + _count(text, rules.cue("five_year")) >= 3:
            # an outline of the five years ahead (or a record of the five past), mentioned throughout
            span = span or five_year_plan(text)
            five = True
        else:
            return None
    if five:
        # A 十四五 record (it ended before the report) reviews; a 十五五 outline plans.
        if span is not None and doc_year is not None:
            kind = kind or ("summary" if span[1] < doc_year else "plan")
            year = min(span[1], doc_year - 1) if kind == "summary" else max(span[0], doc_year)
        elif doc_year is not None:
            year = doc_year - 1 if kind == "summary" else doc_year
        return (kind or "summary"), year, "five_year"
    return kind, year, "annual"


def _identify_report(doc: Document, rules: Rules, body: str | None, number: str | None, date: str | None,
                     warnings: list[Warning]) -> tuple[DocumentInfo, list[Warning]]:
    title = next((p.text.strip() for p in doc.paragraphs[:6] if any(c in p.text for c in rules.cue("report"))), None)
    title_year = re.search(r"(" + YEAR + r")年", fold(title or ""))
    doc_year = int(date[:4]) if date else (cn_year_to_int(title_year.group(1)) if title_year else None)
    parts = _report_parts(doc, rules)
    sections: list[Section] = []
    previous = None
    in_appendix = False
    for k, (index, heading) in enumerate(parts):
        end = parts[k + 1][0] if k + 1 < len(parts) else len(doc.paragraphs)
        body_text = "".join(p.text for p in doc.paragraphs[index + 1 : end])
        found = ("appendix", doc_year, "annual") if in_appendix else _classify_part(heading, body_text, doc_year, rules)
        if found is None:
            found = previous  # a theme part that says nothing of its own continues the one before
        if found is None or found[1] is None:
            warnings.append(Warning(document=doc.name, code="part_unclear",
                                    args={"line": doc.paragraphs[index].line_numbers[0], "heading": heading[:30]}))
            continue
        kind, year, period = found
        in_appendix = in_appendix or kind == "appendix"
        if sections and (sections[-1].kind, sections[-1].year, sections[-1].period) == found and sections[-1].end_paragraph == index:
            sections[-1].end_paragraph = end  # 总体要求 then 重点工作: one plan
        else:
            sections.append(Section(kind=kind, year=year, period=period, heading=heading, line=doc.paragraphs[index].line_numbers[0],
                                    first_paragraph=index + 1, end_paragraph=end))
        previous = found
    if not any(s.kind in ("summary", "plan") for s in sections):
        warnings.append(Warning(document=doc.name, code="report_without_parts"))
    if body is None:
        warnings.append(Warning(document=doc.name, code="report_without_government"))
    info = DocumentInfo(name=doc.name, encoding=doc.encoding, body=body, series=body, number=number, date=date, title=title,
                        sections=sections, report=True)
    return info, warnings


def _inherit_year(sections: list[Section], title_year: int | None, default_year: int | None) -> int | None:
    if sections:
        return sections[-1].year
    return title_year or default_year


def document_year(info: DocumentInfo) -> int | None:
    """The year a document was issued: its number's, its date's, else the year after its summary."""
    if info.number:
        m = re.search(r"〔(\d{4})〕", info.number)
        if m:
            return int(m.group(1))
    if info.date:
        return int(info.date[:4])
    plans = [s.year for s in info.sections if s.kind == "plan"]
    if plans:
        return max(plans)
    summaries = [s.year for s in info.sections if s.kind == "summary" and s.period == "annual"]
    return max(summaries) + 1 if summaries else None
