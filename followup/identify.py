"""Who issued a document, under which number, and when.

The issuing body is read from the letterhead, the document number (发文字号, e.g. 青科委〔2025〕1号),
the title or the signature, and named in its short form (上海市青浦区科学技术委员会 → 青浦区科委)
with the agency names of the rules. A joint document (区科委、科协) belongs to the first body named:
it continues that body's series.
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
_DISTRICT = r"(?:[\u4e00-\u9fff]{2}新区|[\u4e00-\u9fff]{2}[区县])"

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
    """The signature date at the end, else a date in the front matter or the title."""
    tail = doc.paragraphs[-TAIL_PARAGRAPHS:]
    front = doc.paragraphs[:FRONT_PARAGRAPHS]
    for paras, reverse in ((tail, True), (front, False)):
        for para in reversed(paras) if reverse else paras:
            text = fold(para.text)
            if len(text) > 40:
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


def _agency_pattern(rules: Rules) -> tuple[re.Pattern[str], dict[str, str]]:
    to_short: dict[str, str] = {}
    for short, fulls in rules.agencies.items():
        to_short[short] = short
        for full in fulls:
            to_short[full] = short
    names = sorted(to_short, key=len, reverse=True)
    pattern = re.compile(r"(?:上海市)?(" + _DISTRICT + r")(" + "|".join(map(re.escape, names)) + ")")
    return pattern, to_short


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
    pattern, to_short = _agency_pattern(rules)
    # The front matter first (letterhead, title), then the signature, then the opening text.
    opening = "".join(p.text for p in doc.paragraphs[:FRONT_PARAGRAPHS * 2])[:3000]
    for text in texts + [opening]:
        m = pattern.search(fold(text).replace(" ", ""))
        if m:
            return m.group(1) + to_short[m.group(2)]
    return None
