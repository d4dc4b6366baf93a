"""Who issued a document, under which number, and when.

A department's document: the body is read from the letterhead, the document number (发文字号, e.g.
青科委〔2025〕1号), the title or the signature, and named in its short form (上海市青浦区科学技术委员会
→ 青浦区科委) with the agency names of the rules; any district, county or city of any province works
(成都市武侯区科学技术局 → 武侯区科技局). A joint document (区科委、科协) belongs to the first body named:
it continues that body's series.

A government work report (政府工作报告): the body is the government, named by its division as the
report names it — in its title (2025年北京市政府工作报告), the congress it is given to (在福建省第十四届
人民代表大会…), the government it speaks for (代表北京市人民政府) or the signature (北京市市长 殷勇) —
so 北京市 in 2025 and 2026 is one series and 北京市海淀区 another; the State Council's is 国务院.
China's divisions are data (``divisions`` and ``cues.division_suffix`` in rules/), not a regex here.
"""

from __future__ import annotations

import re

from followup.models import Document
from followup.normalize import fold
from followup.rules import Rules

_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0"}


def cn_year_to_int(text: str) -> int | None:
    """'2024' or '二〇二四' → 2024."""
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        return int(text)
    digits = "".join(_CN_DIGITS.get(c, "") for c in text)
    return int(digits) if len(digits) == 4 and len(text) == 4 else None


YEAR = r"(?:\d{4}|[〇○零一二三四五六七八九]{4})"
_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,6})\s*[〔\[［【]\s*(" + YEAR + r")\s*[〕\]］】]\s*(\d{1,4})\s*号")
_DATE_CN = re.compile(r"(" + YEAR + r")\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
_DATE_ISO = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-./](\d{1,2})[-./](\d{1,2})(?!\d)")
_DATE_COMPACT = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")

FRONT_PARAGRAPHS = 12
TAIL_PARAGRAPHS = 4


def _cn_small(text: str) -> int:
    if text.isdigit():
        return int(text)
    values = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + values.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return values.get(tens, 0) * 10 + (values.get(ones, 0) if ones else 0)
    return values.get(text, 0)


def _iso(year: int | None, month: int, day: int) -> str | None:
    if year is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def find_number(doc: Document) -> tuple[str | None, str | None, int | None]:
    """(number as printed without spaces, its prefix, its year)."""
    for para in doc.paragraphs[:FRONT_PARAGRAPHS]:
        m = _NUMBER.search(fold(para.text))
        if m:
            year = cn_year_to_int(m.group(2))
            return f"{m.group(1)}〔{year}〕{int(m.group(3))}号", m.group(1), year
    return None, None, None


def find_date(doc: Document) -> str | None:
    """The signature date at the end, else a date in the front matter or the title (a report's:
    "——2026年1月25日在北京市第十六届人民代表大会第四次会议上")."""
    tail = doc.paragraphs[-TAIL_PARAGRAPHS:]
    front = doc.paragraphs[:FRONT_PARAGRAPHS]
    for paras, reverse in ((tail, True), (front, False)):
        for para in reversed(paras) if reverse else paras:
            text = fold(para.text)
            if len(text) > 40 and not ("人民代表大会" in text and len(text) <= 80):
                continue
            m = _DATE_CN.search(text)
            if m:
                found = _iso(cn_year_to_int(m.group(1)), _cn_small(m.group(2)), _cn_small(m.group(3)))
                if found:
                    return found
            for pattern in (_DATE_ISO, _DATE_COMPACT):
                m = pattern.search(text)
                if m:
                    found = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                    if found:
                        return found
    return None


def find_government(doc: Document, rules: Rules) -> str | None:
    """The government a 政府工作报告 is of (国务院, 北京市, 成都市武侯区), or None when the document is
    no report or does not say whose."""
    front = [fold(p.text).replace(" ", "") for p in doc.paragraphs[:FRONT_PARAGRAPHS * 2]]
    opening = "".join(front)[:4000]
    if not any(cue in opening for cue in rules.cue("report")):
        return None
    if any(cue in opening for cue in rules.cue("national")):
        return "国务院"
    # Every line that names it; the fullest name wins (a title may say 海淀区 where the congress says
    # 北京市海淀区), so the same government gets the same name every year.
    found = [chain for text in front for signal in rules.patterns.government_signals for m in signal.finditer(text)
             for chain in [division_chain(m.group("d"), rules)] if chain]
    return max(found, key=len) if found else None


def division_chain(text: str, rules: Rules) -> str | None:
    """'2025年北京市' → '北京市'; '北京' → '北京市'; '成都市武侯区' as it is; '省' or other words → None."""
    patterns = rules.patterns
    text = re.sub(r"^.*?\d{4}年度?", "", text)
    if not text or not patterns.division_chain.fullmatch(text):
        return None
    for short, full in patterns.province_full.items():
        rest = text[len(short):]
        # 北京 → 北京市, 北京海淀区 → 北京市海淀区; but 吉林市 is a city of 吉林省, not the province.
        if text.startswith(short) and not text.startswith(full) and not rest.startswith(tuple(rules.cue("division_suffix"))):
            return full + rest
    return text


def find_body(doc: Document, rules: Rules, number_prefix: str | None) -> str | None:
    """The issuing body's short name, or None when the document does not say."""
    for body, rule in rules.bodies.items():
        if number_prefix and number_prefix in rule.number_prefixes:
            return body
    front = doc.paragraphs[:FRONT_PARAGRAPHS]
    texts = [p.text for p in front] + [p.text for p in doc.paragraphs[-TAIL_PARAGRAPHS:]]
    for body, rule in rules.bodies.items():
        if any(name in t for name in rule.names for t in texts):
            return body
    government = find_government(doc, rules)
    if government is not None:
        return government
    pattern, to_short = rules.patterns.agency, rules.patterns.agency_short
    # The front matter first (letterhead, title), then the signature, then the opening text.
    opening = "".join(p.text for p in doc.paragraphs[:FRONT_PARAGRAPHS * 2])[:3000]
    for text in texts + [opening]:
        for m in pattern.finditer(fold(text).replace(" ", "")):
            division = m.group("county") or m.group("city") or m.group("province")
            if division:  # an agency with no division named is not yet a body
                return division + to_short[m.group("agency")]
    return None
