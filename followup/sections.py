"""Finding the 工作总结 (summary) and 工作要点/计划 (plan) sections of a document.

A heading such as "2024 年工作要点" or "第一部分 2023 年工作总结" opens a section that runs to the
next one. A title that names several ("2023 年工作总结和 2024 年工作要点", "上半年工作总结和下半年
工作要点") announces sections; one it announces but the document does not hold is reported, so a
truncated copy does not pass for a complete one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from followup.identify import YEAR, cn_year_to_int, find_body, find_date, find_number
from followup.models import Document, DocumentInfo, Period, Section, Warning
from followup.normalize import fold, looks_like_heading
from followup.rules import Rules

_PERIODS: dict[str, Period] = {"上半年": "first_half", "下半年": "second_half", "全年": "annual"}
PERIOD_LABELS = {"annual": "", "first_half": "上半年", "second_half": "下半年"}
KIND_LABELS = {"summary": "工作总结", "plan": "工作要点"}


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
            warnings.append(Warning(document=doc.name, message=f"line {doc.paragraphs[index].line_numbers[0]}: section '{doc.paragraphs[index].text}' has no year"))
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
            warnings.append(
                Warning(
                    document=doc.name,
                    message=f"truncated or incomplete: the title announces a {describe(mention.kind, mention.year, mention.period)} section that the document does not hold",
                )
            )
    if not sections:
        warnings.append(Warning(document=doc.name, message="no 工作总结 or 工作要点/工作计划 section found"))
    if body is None:
        warnings.append(Warning(document=doc.name, message="issuing body not found (no letterhead, document number or signature names one)"))

    info = DocumentInfo(
        name=doc.name, encoding=doc.encoding, body=body, series=body, number=number, date=date, title=title,
        sections=sections, announced=[describe(m.kind, m.year, m.period) for m in announced if m.year],
    )
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
