"""Targets in plans, actuals in summaries, and the test of one against the other.

A target is a figure of a plan clause with its metric (the words that name what is counted), its
qualifier (力争, 不少于, 突破 …: what the actual must do) and its kind (a level, a new count, a growth
rate or a ratio). An actual is a figure of a summary clause whose metric matches, of the same kind
and unit; a figure for a neighbouring metric (新增 against a total, 累计 against a year) is named as
such, not compared. Target/actual tables of a summary (目标 | 全年完成情况 | 完成率) carry both, and
their printed completion rates are checked against the arithmetic.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from followup.matching import Lexicon
from followup.models import Figure, FigureCheck, Note, Quantity, Segment
from followup.normalize import EDGE, fold
from followup.quantities import parse_quantities
from followup.rules import MetricRule, Rules
from followup.segments import clauses

METRIC_MATCH = 0.75


def _period(text: str, rules: Rules) -> str:
    folded = fold(text)
    for _, pattern in rules.patterns.periods:
        m = pattern.search(folded)
        if m:
            return m.group(0).replace(" ", "")
    return ""


def _kind(before: str, rules: Rules, unit: str) -> str:
    rate = unit in ("%", "个百分点")
    for kind in ("growth_rate", "ratio", "new_count"):
        words = rules.figure_kinds.get(kind, [])
        # A rate is never a count of new things (城镇新增就业1361万人、调查失业率稳定在5%左右).
        if (kind in ("growth_rate", "ratio")) != rate:
            continue
        if any(w in before for w in words):
            return kind
    return "level"


def _declines(before: str, rules: Rules, unit: str) -> bool:
    """A rate given as a fall ("固定资产投资下降3.3%", "能耗降低3%左右"): read as a negative growth.
    "下降到4.5%" names the level reached, not the fall."""
    if unit not in ("%", "个百分点"):
        return False
    head = before.rstrip(" 了约近")
    return any(head.endswith(w) for w in rules.figure_kinds.get("decline", []))


def _strip_words(text: str, pattern: re.Pattern[str] | None) -> str:
    """Take words (an ``rules.patterns`` edge pattern) and punctuation off both ends of ``text``."""
    if pattern is None:
        return text.strip(EDGE)
    previous = None
    while previous != text:
        previous, text = text, pattern.sub("", text)
    return text


def _balanced(metric: str) -> str:
    if metric.count("“") != metric.count("”"):
        metric = metric.replace("“", "").replace("”", "")
    return metric


def _metric(before: str, after: str, rules: Rules, lexicon: Lexicon, unit: str = "") -> str:
    """The words that name what a figure counts.

    Before the figure ("有效高企数达1164家"), unless the figure is the object of a verb and a noun
    follows it ("培育300家创新型中小企业", "、100家“专精特新”企业"); a rate never names what follows it
    ("…5.2万亿元、增长5.4%、高于全国…": the growth is of the 地区生产总值 before).
    """
    patterns = rules.patterns
    tail = re.split(r"[、，；的]", after.strip(EDGE), maxsplit=1)[0].strip(EDGE)
    tail = _strip_words(tail, patterns.metric_edge)
    raw_head = before.strip(EDGE + " ")
    ends = patterns.kind_or_verb_end
    counts_object = not raw_head or bool(ends and ends.search(raw_head))
    # …only when the noun follows the figure: in "粮食产量达到732.5亿斤、创历史新高" what follows is another clause.
    follows = bool(re.match(r"\s*[\u4e00-\u9fff“]", after))
    if counts_object and follows and unit not in ("%", "个百分点") and len(re.findall(r"[\u4e00-\u9fff]", tail)) >= 2:
        return tail
    head = _strip_words(_strip_words(lexicon.strip_lead(raw_head), patterns.scope_edge), patterns.metric_edge)
    head = re.sub(r"^到?\d{4}年", "", _strip_words(head, patterns.scope_edge)).strip(EDGE)
    if len(re.findall(r"[\u4e00-\u9fff]", head)) >= 2 or unit in ("%", "个百分点"):
        return head
    return tail or head


def _qualifier(before: str, after: str, rules: Rules) -> tuple[str, str, str]:
    word, test, strength = "", "at_least", "plain"
    before = before.rstrip()
    for w, q in rules.patterns.qualifiers:
        where = before if q.position == "before" else after.lstrip()[: len(w) + 1]
        # A one-character word (达, 约) qualifies only when it touches the figure: not 履约贷.
        if len(w) == 1 and q.position == "before":
            where = before[-1:]
        if w in where:
            # A ceiling stays a ceiling: 居民消费价格涨幅控制在3.5%左右 is met by 2% (docs/labelling.md).
            if test == "at_most" and word and q.test == "about":
                continue
            if not word or q.position == "after" or q.test != "at_least":
                word, test = w, q.test
            if q.strength != "plain":
                strength = q.strength
    return word, test, strength


def read_figures(text: str, rules: Rules, lexicon: Lexicon, quote_line: int = 0, document: str = "") -> list[Figure]:
    """Every figure of a sentence, clause by clause, with metric, kind, qualifier and period."""
    folded = fold(text)
    if not rules.patterns.quantity.search(folded) and not any(w in folded for w in rules.cue("flat")):
        return []  # most sentences hold no figure: one search instead of a parse per clause
    figures: list[Figure] = []
    carried_period = ""  # "截至2024年底，有效高企数达1164家": a period carries forward, never back
    for clause in clauses(text):
        quantities = parse_quantities(clause, rules)
        flat = _flat(clause, rules, lexicon, quote_line, document)
        if flat is not None and not quantities:
            figures.append(flat)
        prev = 0
        for i, q in enumerate(quantities):
            nxt = quantities[i + 1].start if i + 1 < len(quantities) else len(clause)
            # Only the words since the last 、 belong to this figure: "…企业、100家…".
            before, after = re.split(r"[、]", clause[prev : q.start])[-1], clause[q.end : nxt]
            word, test, strength = _qualifier(fold(before), fold(after), rules)
            metric = _balanced(_metric(before, after, rules, lexicon, q.unit))
            if not metric and figures:
                metric = figures[-1].metric  # "…1164家，同比增长6.11%": the growth of the same thing
            kind = _kind(fold(clause[: q.start]), rules, q.unit)
            value = q.value
            if _declines(fold(clause[: q.start]), rules, q.unit):
                kind, value = "growth_rate", (-q.value if q.value is not None else None)
            if kind == "level" and not clause[: q.start].strip() and figures:
                kind = figures[-1].kind  # "新增 320 家…，15 家…": the verb governs the whole list
            if kind == "level":
                kind = declared_kind(metric, lexicon) or kind
            period = _period(clause[: q.end], rules) or _period(clause, rules) or carried_period
            if kind == "new_count" and period == "累计":
                kind = "level"  # "累计培育…148家" is a running total, not this year's new ones
            figures.append(Figure(
                metric=metric, value=value, unit=q.unit, raw=q.raw,
                kind=kind, qualifier=word, test=test, strength=strength,
                period=period, quote=clause, document=document, line=quote_line,
            ))
            prev = q.end
        carried_period = _period(clause, rules) or carried_period
    return figures


def _narrower(metric: str, lexicon: Lexicon) -> bool:
    """A declared metric named with more words than its rule's (拉美市场出口: part of 出口, not all of it)."""
    canonical, _ = lexicon.canonical(fold(metric).replace(" ", ""))
    names = sorted((n for n in lexicon.rules.metrics if n in canonical), key=len, reverse=True)
    rest = canonical.replace(names[0], "") if names else canonical
    rest = _strip_words(rest, lexicon.rules.patterns.scope_edge)
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) > 2


def metric_rule(metric: str, lexicon: Lexicon) -> MetricRule | None:
    """The metrics rule a figure's metric falls under (the longest name it holds), if any."""
    canonical, _ = lexicon.canonical(fold(metric).replace(" ", ""))
    found = [name for name in lexicon.rules.metrics if name in canonical]
    return lexicon.rules.metrics[max(found, key=len)] if found else None


def _flat(clause: str, rules: Rules, lexicon: Lexicon, line: int, document: str) -> Figure | None:
    """"居民消费价格与上年持平": a rate of 0."""
    word = next((w for w in rules.cue("flat") if w in clause), None)
    if word is None:
        return None
    before = re.sub(r"(?:与|和|同)(?:上年|去年|上一年)(?:基本)?$|同比(?:基本)?$", "", clause[: clause.index(word)].strip(EDGE))
    metric = _balanced(_metric(before, "", rules, lexicon, "%"))
    if not metric:
        return None
    return Figure(metric=metric, value=0.0, unit="%", raw=word, kind="level", quote=clause, document=document, line=line)


def declared_kind(metric: str, lexicon: Lexicon) -> str | None:
    """The kind a metrics rule gives a metric (有效高新技术企业数 is a level), if one does."""
    canonical, _ = lexicon.canonical(fold(metric).replace(" ", ""))
    for name, rule in lexicon.rules.metrics.items():
        if rule.kind and name in canonical:
            return rule.kind
    return None


def metric_similarity(a: str, b: str, lexicon: Lexicon) -> float:
    ca, _ = lexicon.canonical(fold(a).replace(" ", ""))
    cb, _ = lexicon.canonical(fold(b).replace(" ", ""))
    if not ca or not cb or min(len(ca), len(cb)) < 2:
        return 0.0
    # Half containment, half whole-string likeness: 高新技术企业 is inside 有效高新技术企业数 but
    # 有效高企数 (read 有效高新技术企业数) is the same metric.
    return (fuzz.partial_ratio(ca, cb) + fuzz.ratio(ca, cb)) / 200.0


def _neighbour(target: Figure, actual: Figure) -> str:
    """Why an actual of a similar metric is not the target's actual (a code), or ''."""
    if target.kind == "level" and actual.kind == "new_count":
        return "neighbour_new_count"  # a new count (新增) where the target is a total
    if target.kind == "new_count" and actual.period == "累计":
        return "neighbour_cumulative"  # a cumulative total (累计) where the target is a yearly count
    return ""


def reached(target: Figure, actual: float, direction: str, tolerance: float) -> bool:
    """Whether an actual reaches a target, by the labelling guide.

    higher (more is better): 以上/no hedge actual ≥ value, 突破 more, 左右 from (1 − tolerance) × value up;
    lower (a ceiling: 城镇调查失业率, a 能耗 fall): actual ≤ value, with the tolerance for 左右;
    level (居民消费价格涨幅2%左右): within the tolerance either side; 以内/控制在 is always a ceiling.
    """
    t, test, slack = target.value, target.test, tolerance * abs(target.value)
    if test == "at_most":
        return actual <= t
    if direction == "lower":
        return actual <= t + (slack if test == "about" else 0)
    if test == "about":
        return abs(actual - t) <= slack if direction == "level" else actual >= t - slack
    return actual > t if test == "more_than" else actual >= t


def compare(target: Figure, actual: Figure, rules: Rules, lexicon: Lexicon | None = None) -> FigureCheck:
    if target.value is None or actual.value is None:
        return FigureCheck(target=target, actual=actual, note=Note(code="redacted"))
    rule = metric_rule(target.metric, lexicon) if lexicon is not None else None
    t, a = target.value, actual.value
    ok = reached(target, a, rule.direction if rule else "higher", rules.thresholds.get("about_tolerance", 0.05))
    completion = round(a / t, 4) if t else None
    note = Note(code="part_of_year", args={"period": actual.period}) if actual.period.endswith("月") and not ok else None
    return FigureCheck(target=target, actual=actual, completion=completion, status="met" if ok else "partial", note=note)


def find_actual(target: Figure, candidates: list[Figure], lexicon: Lexicon) -> tuple[Figure | None, Note | None]:
    """The summary figure that reports the target's metric, or a note on the nearest neighbour."""
    best, best_score, neighbour_note = None, 0.0, None
    for fig in candidates:
        if fig.unit != target.unit or fig.value is None and not fig.raw:
            continue
        if (target.kind in ("growth_rate", "ratio")) != (fig.kind in ("growth_rate", "ratio")):
            continue
        score = metric_similarity(target.metric, fig.metric, lexicon)
        if score < METRIC_MATCH:
            continue
        declared = metric_rule(target.metric, lexicon), metric_rule(fig.metric, lexicon)
        # The same words on both sides are the same metric, whatever name they hold (研发经费支出相当于
        # 生产总值的比例 holds 生产总值 and is no part of it).
        if score < 1 and None not in declared and (declared[0] is not declared[1] or _narrower(fig.metric, lexicon)):
            continue  # 出口 is not 进出口, nor 拉美市场出口, though one name holds the other
        why = _neighbour(target, fig)
        if why:
            neighbour_note = neighbour_note or Note(code=why, args={"quote": fig.quote})
            continue
        if score > best_score:
            best, best_score = fig, score
    return best, None if best else neighbour_note


def summary_figures(outcomes: list[Segment], rules: Rules, lexicon: Lexicon, document: str) -> list[Figure]:
    """The figures a summary reports of its year. Rows of a target table are read by their columns
    elsewhere; a five-year record's figures (年均增长…) are no actual of the year."""
    return [f.model_copy(update={"estimate": True}) if seg.estimate else f
            for seg in outcomes if not seg.is_table_row and not seg.five_year
            for f in read_figures(seg.text, rules, lexicon, seg.line, document)]


def check_targets(targets: list[Figure], candidates: list[Figure], rules: Rules, lexicon: Lexicon) -> list[FigureCheck]:
    """Each target against the summary's figures (``summary_figures``, read once per summary)."""
    checks = []
    for target in targets:
        actual, note = find_actual(target, candidates, lexicon)
        if actual is None:
            checks.append(FigureCheck(target=target, note=note or Note(code="no_actual")))
        else:
            checks.append(compare(target, actual, rules, lexicon))
    return checks


TIES = _IN_STEP = re.compile(r"(?P<a>[\u4e00-\u9fff]{2,16}?)(?:实际)?增长(?:和|与|同)(?P<b>[\u4e00-\u9fff]{2,12}?)(?:增长)?(?:保持)?(?:基本)?同步")


def relation_check(text: str, reported: list[Figure], lexicon: Lexicon) -> FigureCheck | None:
    """A target that ties two growths together (居民收入增长与经济增长同步): met when the first grows at
    least as fast as the second in the year's figures — within ``about_tolerance`` of it when only 基本
    (basically) in step, as 左右 is read; None when the text is no such target or the review gives either
    growth no figure."""
    m = _IN_STEP.search(fold(text).replace(" ", ""))
    if not m:
        return None
    growths = [f for f in reported if f.kind == "growth_rate" and f.value is not None]

    def actual(metric: str) -> Figure | None:  # "经济增长" is read as 地区生产总值 by the metrics rules
        probe = Figure(metric=metric, value=0, unit="%", raw="", kind="growth_rate", quote=text)
        return find_actual(probe, growths, lexicon)[0]

    first, second = actual(m.group("a") + "增长"), actual(m.group("b") + "增长")
    if first is None or second is None:
        return None
    target = Figure(metric=m.group("a"), value=second.value, unit="%", raw=f"{second.raw}（{second.metric}）",
                    kind="growth_rate", quote=text)
    slack = lexicon.rules.thresholds.get("about_tolerance", 0.05) if "基本同步" in m.group(0) else 0.0
    ok = first.value >= second.value * (1 - slack)
    return FigureCheck(target=target, actual=first, completion=round(first.value / second.value, 4) if second.value else None,
                       status="met" if ok else "partial")


# -- target / actual tables of a summary ----------------------------------------------------
_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def rate_agrees(printed: float, computed: float) -> bool:
    """A printed rate agrees when it is the computed one rounded to the digits printed."""
    decimals = 0
    text = f"{printed}"
    if "." in text and not text.endswith(".0"):
        decimals = len(text.split(".")[1])
    return abs(round(computed, decimals) - printed) < 10 ** -(decimals + 3) or abs(computed - printed) <= 0.5 * 10 ** -decimals + 1e-9


def table_row_checks(name: str, target_cell: str, actual_cell: str, rate_cell: str, rules: Rules,
                     lexicon: Lexicon, document: str, line: int) -> list[FigureCheck]:
    """One row of a 目标 | 完成情况 | 完成率 table: a check per sub-target, printed rates verified."""
    targets = parse_quantities(target_cell, rules)
    actuals = parse_quantities(actual_cell, rules)
    rates = [float(m.group(1)) for m in _RATE.finditer(fold(rate_cell))]
    checks: list[FigureCheck] = []
    for i, tq in enumerate(targets):
        sub = _sub_label(target_cell, targets, i, rules) or name
        aq = actuals[i] if i < len(actuals) and _comparable(actuals[i].unit, tq.unit, rules) else None
        target = _figure_of(tq, f"{name}{('：' + sub) if sub != name else ''}", target_cell, rules, document, line)
        if aq is None:
            checks.append(FigureCheck(target=target, note=Note(code="no_table_actual")))
            continue
        actual = _figure_of(aq, target.metric, actual_cell, rules, document, line)
        check = compare(target, actual, rules)
        if i < len(rates) and check.completion is not None:
            check.printed_rate = f"{rates[i]:g}%"
            check.rate_agrees = rate_agrees(rates[i], check.completion * 100)
            if not check.rate_agrees:
                check.note = Note(code="rate_mismatch", args={"printed": f"{rates[i]:g}%", "actual": aq.raw, "target": tq.raw,
                                                              "computed": f"{check.completion * 100:.2f}%"})
        checks.append(check)
    return checks


def _comparable(a: str, b: str, rules: Rules) -> bool:
    counts = set(rules.unit_groups.get("count", []))
    return a == b or (a in counts and b in counts)


def _sub_label(cell: str, quantities: list[Quantity], i: int, rules: Rules) -> str:
    start = quantities[i - 1].end if i else 0
    label = cell[start : quantities[i].start].strip(EDGE)
    return _strip_words(label, rules.patterns.qualifier_edge)


def _figure_of(q: Quantity, metric: str, quote: str, rules: Rules, document: str, line: int) -> Figure:
    before = fold(quote[: q.start])
    word, test, strength = _qualifier(before, fold(quote[q.end :]), rules)
    return Figure(metric=metric, value=q.value, unit=q.unit, raw=q.raw, kind="ratio" if q.unit == "%" else "level",
                  qualifier=word, test=test, strength=strength, quote=quote, document=document, line=line)


def _header_columns(cells: list[str], rules: Rules) -> dict[str, int] | None:
    """Column positions of a 目标 | 完成情况 | 完成率 table, or None for any other table."""
    columns: dict[str, int] = {}
    for i, cell in enumerate(cells):
        for role in ("rate", "target", "actual", "name"):  # 完成率 is read before 完成情况
            if role not in columns and any(w in cell for w in rules.table_columns.get(role, [])):
                columns[role] = i
                break
    return columns if {"target", "actual"} <= set(columns) else None


def target_tables(doc, first: int, end: int, rules: Rules) -> list[tuple[int, list[str], dict[str, int], str]]:
    """Rows of the target/actual tables in paragraphs [first, end): (paragraph, cells, columns, group)."""
    rows = []
    columns = None
    group = ""
    for index in range(first, end):
        para = doc.paragraphs[index]
        if para.is_table_row:
            found = _header_columns(para.cells, rules)
            if found:
                columns = found
                continue
            if columns:
                rows.append((index, para.cells, columns, group))
            continue
        if columns and len(para.text) <= 20 and not re.search(r"[。，；]", para.text):
            group = para.text  # 区级挂图任务 / 部门挂图任务: a caption inside the table
            continue
        columns, group = None, ""
    return rows


def display(value: float, like: str, unit: str) -> str:
    """A value written in the scale of another figure: a gap of 1.621e9 元 beside 230亿元 is 16.21亿元."""
    for word, factor in (("亿", 1e8), ("万", 1e4)):
        if word in like:
            return f"{value / factor:+.4g}{word}{unit}"
    if unit == "%":
        return f"{value:+.4g} 个百分点"
    return f"{value:+.4g} {unit}"
