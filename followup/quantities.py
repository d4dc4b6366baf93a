"""Reading Chinese quantities exactly as a person does.

Arabic and Chinese numerals (cn2an reads 一千二百一十 and 百分之十二), 万 and 亿 multipliers
(1.4245亿元, 5700万元, 189.65万次), percentages and 个百分点, ranges (2000-5000), and the units of
the rules, normalised so that 1.46亿元 and 14600万元 compare equal. ``XX`` is a redacted figure,
never a number.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import cn2an

from followup.models import Quantity
from followup.normalize import fold

if TYPE_CHECKING:
    from followup.rules import Rules

_CN_NUM = "零〇一二两三四五六七八九十百千万亿点"
_ARABIC = r"\d+(?:\.\d+)?"


def quantity_pattern(units, multipliers, unitless=(), links=()) -> re.Pattern[str]:
    """The shape of a quantity with the units and multipliers of the rules (compiled in ``rules.patterns``).

    ``unitless``: words after which a bare number is a figure (两化融合指数达到92), ``links`` the words
    that may stand between (达到, 提升至).
    """
    unit_alt = "|".join(map(re.escape, sorted(units, key=lambda u: (-len(u), u))))
    mult_alt = "|".join(map(re.escape, sorted(multipliers, key=lambda m: (-len(m), m))))
    number = rf"(?:(?P<arabic>{_ARABIC})(?:\s*[-—–~至]\s*(?P<high>{_ARABIC}))?|(?P<redacted>[XＸxX]{{1,4}})|(?P<chinese>[{_CN_NUM}]+))"
    bare = ""
    if unitless:
        word_alt = "|".join(map(re.escape, sorted(unitless, key=lambda w: (-len(w), w))))
        link_alt = "|".join(map(re.escape, sorted(links, key=lambda w: (-len(w), w))))
        # Not when a unit or another digit follows: 指数下降13.3% is a percentage.
        bare = rf"|(?:{word_alt})(?:{link_alt})?\s*(?P<bare>{_ARABIC})(?![\d.]|\s*(?:{mult_alt}|{unit_alt}))"
    return re.compile(
        rf"(?P<percent_cn>百分之(?P<pct>[{_CN_NUM}]+|{_ARABIC}))"
        rf"|(?<![\d.]){number}\s*(?P<mult>{mult_alt})?\s*(?P<unit>{unit_alt})"
        + bare
    )


def chinese_value(text: str) -> float | None:
    """一千二百一十 → 1210.0; None when it is no number."""
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _multiplier_in_chinese(text: str, rules: Rules) -> tuple[str, float]:
    """'三十万' → ('三十', 10000): a Chinese numeral swallows the multiplier after it."""
    for word in sorted(rules.multipliers, key=len, reverse=True):
        if text.endswith(word) and len(text) > len(word):
            return text[: -len(word)], rules.multipliers[word]
    return text, 1.0


def parse_quantities(text: str, rules: Rules) -> list[Quantity]:
    """Every quantity in ``text``, in order, with its offsets in ``text``."""
    folded = fold(text)
    pattern = rules.patterns.quantity
    found: list[Quantity] = []
    quoted = _quoted_spans(folded)
    for m in pattern.finditer(folded):
        if any(a <= m.start() < b for a, b in quoted):
            continue  # “四个一批” is a name, not four of anything
        raw = text[m.start() : m.end()]
        if m.groupdict().get("bare"):
            start = m.start("bare")
            found.append(Quantity(value=float(m.group("bare")), unit="", raw=text[start : m.end()], start=start, end=m.end()))
            continue
        if m.group("percent_cn"):
            pct = m.group("pct")
            value = float(pct) if re.fullmatch(_ARABIC, pct) else chinese_value(pct)
            if value is not None:
                found.append(Quantity(value=value, unit="%", raw=raw, start=m.start(), end=m.end()))
            continue
        unit = rules.units[m.group("unit")]
        factor = rules.multipliers.get(m.group("mult") or "", 1.0)
        if m.group("redacted"):
            found.append(Quantity(value=None, unit=unit, raw=raw, start=m.start(), end=m.end(), redacted=True))
            continue
        high = None
        if m.group("arabic"):
            value = float(m.group("arabic"))
            if m.group("high"):
                high = round(float(m.group("high")) * factor, 6)
        else:
            numeral = m.group("chinese")
            if not re.search(r"[一二两三四五六七八九十百千]", numeral) or numeral in ("百", "千"):
                continue  # 一是 / a lone 百 or 千 are words, not numbers (十家 is ten)
            # cn2an reads 万 and 亿 inside a numeral itself (一千二百万); split only what it cannot.
            value = chinese_value(numeral)
            if value is None:
                numeral, extra = _multiplier_in_chinese(numeral, rules)
                value = chinese_value(numeral)
                if value is None:
                    continue
                factor *= extra
            if value < 10 and unit in ("个", "张", "场"):
                continue  # 四个方面, 两张清单: a way of speaking, not a figure
        if _is_year_or_date(folded, m):
            continue
        found.append(Quantity(value=round(value * factor, 6), unit=unit, raw=raw, high=high, start=m.start(), end=m.end()))
    return found


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"“[^”]{1,20}”|\"[^\"]{1,20}\"", text)]


def _is_year_or_date(text: str, m: re.Match[str]) -> bool:
    after = text[m.end() : m.end() + 1]
    return m.group("unit") in ("个", "场") and after in ("月", "年")

