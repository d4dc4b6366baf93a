"""Commitments from a plan section, outcome statements from a summary section.

A commitment is a sentence (or a target-table row) of a plan that commits the body to something,
with its actions (its clauses) and a stable id. The preamble that states the year's theme, bare
headings, and the signature and date are not commitments. Outcomes are the summary's sentences; a
long one is cut at ；so each quote says one thing.
"""

from __future__ import annotations

import hashlib
import re

from followup.models import BlanketLine, Commitment, Document, ProjectSet, Section, Segment
from followup.normalize import ITEM_MARKER, fold
from followup.rules import Rules
from followup.quantities import chinese_value, parse_quantities
from followup.sections import five_year_plan
from followup.segments import clauses, heading_level

MIN_SENTENCE_CHARS = 6
LONG_OUTCOME = 120


def commitment_id(year: int, series: str, text: str, seen: dict[str, int]) -> str:
    """An id that depends only on the body, the year and the sentence itself.

    So it is the same on every run and machine, and an edit elsewhere in the document leaves it
    alone. The same sentence twice in one plan gets -2, -3 … in order.
    """
    key = re.sub(r"\s+", "", fold(text))
    digest = hashlib.sha1(f"{series}|{year}|{key}".encode("utf-8")).hexdigest()[:8]
    base = f"{year}-{digest}"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def section_label(path: list[str]) -> str:
    return " / ".join(path)


_SPAN = re.compile(r"(\d{4})\s*[-—–~至到]\s*(\d{4})\s*年")


def _five_year(text: str, rules: Rules, year: int | None) -> bool:
    """A record of five years: 五年来, 年均增长, a span of years, or 十四五时期 — a plan that has ended
    (the “十五五” research of a 2024 summary is that year's work, not a record)."""
    folded = fold(text)
    for mean in rules.cue("annual_mean"):
        folded = folded.replace(mean, "")
    span = _SPAN.search(folded)
    plan = five_year_plan(folded)
    return bool(any(w in folded for w in rules.cue("five_year"))
                or (plan and year is not None and plan[1] <= year and re.search(r"五”?(?:时期|以来|期间)", folded))
                or (span and int(span.group(2)) - int(span.group(1)) >= 2))


def _names_year(text: str, year: int, rules: Rules) -> bool:
    folded = fold(text)
    return f"{year}年" in folded.replace(" ", "") or any(w in folded for w in rules.cue("last_year"))


def _opens_five_years(text: str, rules: Rules) -> bool:
    """A sentence that opens a record of five years (五年来，我们…; 经过五年接续奋斗，…; 这是…的五年)."""
    folded = re.sub(r"^[\W\d_]+", "", fold(text).replace(" ", ""))
    return folded.startswith(tuple(rules.cue("five_year_opening"))) or folded.rstrip("。！；").endswith("的五年")


def _opens_year(text: str, year: int | None, rules: Rules) -> bool:
    """A sentence that opens a passage on the year (过去一年，我们…; 2025年，…)."""
    folded = re.sub(r"^[\W_]+", "", fold(text).replace(" ", ""))
    return (year is not None and folded.startswith(f"{year}年")) or folded.startswith(tuple(rules.cue("last_year")))


def _marked(segments: list[Segment], rules: Rules, section: Section | None) -> list[Segment]:
    """The segments with ``five_year`` and ``estimate`` set (see ``extract_outcomes``).

    A review of the year often goes on with a record of five years (一、2025年和“十四五”时期工作回顾:
    …各位代表！经过五年接续奋斗，…五年来…): from the sentence that opens such a record to one that opens
    a passage on the year again, every sentence is of the five years, cue or not."""
    out = []
    five_year_section = section is not None and section.period == "five_year"
    year = section.year if section is not None else None
    about_year = not five_year_section  # inside a passage about the year?
    paragraph = None
    for seg in segments:
        if five_year_section and seg.paragraph != paragraph:
            paragraph = seg.paragraph
            if _names_year(seg.text, section.year, rules) and not _five_year(seg.text, rules, year):
                about_year = True  # "刚刚过去的2025年，…": the year's passage starts
            elif _five_year(seg.text, rules, year) or (seg.is_heading_sentence and len(seg.path) <= 2):
                about_year = False
        if _opens_five_years(seg.text, rules):
            about_year = False
        elif _opens_year(seg.text, year, rules) and not _five_year(seg.text, rules, year):
            about_year = True
        five_year = _five_year(seg.text, rules, year) or not about_year
        if five_year_section and _names_year(seg.text, section.year, rules) and not _five_year(seg.text, rules, year):
            five_year = False
        estimate = any(w in seg.text for w in rules.cue("estimate"))
        out.append(seg.model_copy(update={"five_year": five_year, "estimate": estimate}) if five_year or estimate else seg)
    return out


def _problems(segments: list[Segment], rules: Rules, year: int | None) -> list[bool]:
    """For each segment, whether it states the problems a review owns to rather than what was done
    (同时，我们也清醒认识到，工作中还存在不少问题不足和风险挑战：…新的消费热点不多…): from the sentence that
    opens them (cues.problems) to the end of its paragraph, and on through the paragraphs after when that
    sentence is a paragraph of its own (a text of one sentence a line), until a heading or a sentence that
    opens a passage on the year or on the five years."""
    sentences: dict[int, int] = {}
    for seg in segments:
        sentences[seg.paragraph] = sentences.get(seg.paragraph, 0) + 1
    cues = tuple(rules.cue("problems"))
    out: list[bool] = []
    inside = carry_on = False
    paragraph = None
    for seg in segments:
        if seg.paragraph != paragraph:
            paragraph = seg.paragraph
            inside = inside and carry_on
        if seg.is_heading_sentence or _opens_year(seg.text, year, rules) or _opens_five_years(seg.text, rules):
            inside = False
        if any(cue in fold(seg.text) for cue in cues):
            inside, carry_on = True, sentences[seg.paragraph] == 1
        out.append(inside)
    return out


def _content_chars(text: str) -> int:
    return len(re.sub(r"[\s\W\d_]", "", fold(text)))


# A plan's preamble states the year's theme in a sentence or two; more than this before the first
# heading means a heading was not recognised (markup in it?) and its commitments would be lost.
MAX_PREAMBLE = 3


def preamble(segments: list[Segment]) -> list[Segment]:
    """The sentences before a plan's first heading, which are not commitments (none when it has no heading)."""
    if not any(s.is_heading_sentence for s in segments):
        return []
    out = []
    for seg in segments:
        if seg.is_heading_sentence:
            break
        out.append(seg)
    return out


def extract_commitments(segments: list[Segment], year: int, series: str, rules: Rules,
                        doc: Document | None = None, report: bool = False) -> list[Commitment]:
    """The commitments among a plan section's sentences (``segment_section``).

    A department's plan: every sentence after its preamble. A government work report's: every task
    sentence (a stance, an exhortation or a lead-in is none), and each item of its 主要预期目标 as a
    target of its own.
    """
    seen: dict[str, int] = {}
    commitments: list[Commitment] = []

    def add(text: str, seg: Segment, line: int, kind: str = "task", actions: list[str] | None = None) -> None:
        commitments.append(Commitment(
            id=commitment_id(year, series, text, seen), section=section_label(seg.path), path=seg.path, text=text,
            line=line, actions=actions if actions is not None else ([text] if seg.is_table_row else clauses(text)), kind=kind,
        ))

    k = 0 if report else len(preamble(segments))
    while k < len(segments):
        seg = segments[k]
        k += 1
        # "…主要预期目标" broken off (a caption, a line end) with "是：地区生产总值…" after it (广东)
        led = report and k >= 2 and fold(seg.text).startswith(("是：", "：")) \
            and any(cue in segments[k - 2].text for cue in rules.cue("targets"))
        if seg.is_heading_sentence or _content_chars(seg.text) < MIN_SENTENCE_CHARS or rules.ignored_sentence(seg.text):
            continue
        if report and (led or any(cue in seg.text for cue in rules.cue("targets"))) and "：" in fold(seg.text):
            passage = [seg]
            while not fold(passage[-1].text).rstrip().endswith("。") and k < len(segments) and len(passage) < 12 \
                    and not segments[k].is_heading_sentence:
                passage.append(segments[k])
                k += 1
            # "…居民消费价格涨幅2%左右。不折不扣完成国家下达的约束性指标任务。": a target in a sentence of its own, in
            # the same paragraph, or with a figure in the next (国务院 2016, a sentence a line: "单位国内生产总值能耗下降
            # 3.4%以上，主要污染物排放继续减少。")
            while k < len(segments) and not segments[k].is_heading_sentence and not is_stance(segments[k].text, rules) \
                    and (segments[k].paragraph == passage[-1].paragraph
                         or (segments[k].paragraph == passage[-1].paragraph + 1 and parse_quantities(segments[k].text, rules))) \
                    and any(t in segments[k].text for t in rules.cue("target_terms")):
                passage.append(segments[k])
                k += 1
            for text, item_seg, offset in target_items(passage, rules):
                line = doc.paragraphs[item_seg.paragraph].line_at(offset) if doc is not None else item_seg.line
                add(text, item_seg, line, kind="target", actions=[text])
            continue
        if report and is_stance(seg.text, rules):
            continue
        add(seg.text, seg, seg.line)
    return commitments


# "保障粮食安全的要害是种子和耕地。": a statement (its first clause says what something is), no task;
# "加强农村特别是边远贫困地区教师队伍建设" is a task (特别是, 尤其是, 或是 are no copula).
_COPULA = re.compile(r"^[^，；]{2,24}?(?<![一二三四五六七八九十就还而正更总于但也都只即凡别其或])是(?!否)")


def is_stance(text: str, rules: Rules) -> bool:
    """A report's sentence that urges, states or leads in rather than commits: 各位代表！…,
    我们要坚定信心…, 这些目标…, 今年要重点做好以下几方面工作。, …如下：; a stance on a topic no
    government task decides (台湾问题, 中美关系); "坚持…" with nothing else to do."""
    folded = fold(text).strip()
    if folded.endswith("：") or folded.startswith(tuple(rules.cue("stance"))) or _COPULA.match(folded):
        return True
    if any(w in folded for w in rules.cue("stance_topics")):
        return True
    return folded.startswith("坚持") and len(clauses(text)) == 1


def target_items(passage: list[Segment], rules: Rules) -> list[tuple[str, Segment, int]]:
    """Each item of a 主要预期目标 passage: (text, its segment, its offset in the paragraph).

    Items are the clauses after the colon ("地区生产总值增长5%左右、努力争取更好结果，一般公共预算收入
    增长4%左右，…"); a clause that names no figure and no indicator ("根据实际情况争取更好的结果") stays
    with the item before it.
    """
    terms = [n for name, m in rules.metrics.items() for n in [name, *m.aliases]] + rules.cue("target_terms")
    items: list[list] = []
    for n, seg in enumerate(passage):
        text = seg.text
        skip = fold(text).find("：") + 1 if n == 0 else 0
        position = skip
        for clause in clauses(text[skip:]):
            offset = text.find(clause, position)
            position = offset + len(clause)
            if items and not parse_quantities(clause, rules) and not any(t in clause for t in terms):
                items[-1][0] += "，" + clause
                continue
            items.append([clause, seg, seg.start + max(offset, 0)])
    return [(text, seg, offset) for text, seg, offset in items]


def _run_in(seg: Segment) -> bool:
    """A run-in heading of a review (深入实施国企改革三年行动。 opening its paragraph): unnumbered, a
    sentence, so a statement of what was done as much as a title of what follows."""
    return heading_level(seg.text) is None and seg.text.rstrip().endswith(("。", "！"))


def extract_outcomes(segments: list[Segment], doc: Document, rules: Rules, section: Section | None = None) -> list[Segment]:
    """The outcome statements among a summary section's sentences (``segment_section``) of ``doc``.

    Each is marked ``five_year`` when it records five years rather than the section's year (五年来…,
    年均增长…, 十四五时期…; in a five-year review, every sentence outside the passages about the year),
    and ``estimate`` when its figures are 预计. The problems a review owns to (``_problems``) are no outcomes.
    """
    outcomes: list[Segment] = []
    problems = _problems(segments, rules, section.year if section is not None else None)
    for seg, problem in zip(_marked(segments, rules, section), problems):
        if (seg.is_heading_sentence and not _run_in(seg)) or _content_chars(seg.text) < MIN_SENTENCE_CHARS \
                or rules.ignored_sentence(seg.text) or problem:
            continue
        if len(seg.text) <= LONG_OUTCOME or seg.is_table_row:
            outcomes.append(seg)
            continue
        offset = 0
        para = doc.paragraphs[seg.paragraph]
        for piece in re.split(r"(?<=[；;])", seg.text):
            if _content_chars(piece) >= MIN_SENTENCE_CHARS:
                start = seg.start + offset
                outcomes.append(seg.model_copy(update={
                    "text": piece.strip(), "norm": fold(piece.strip()), "start": start, "line": para.line_at(start),
                }))
            offset += len(piece)
    return outcomes


# -- sets of projects and the lines that close them ---------------------------------------------------
_CLAUSE = re.compile(r"[^，,；;。！!？?]+")
_SET_SIZE = re.compile(r"(\d+|[一二两三四五六七八九十百]+)\s*[件项个类大]")


def named_sets(text: str, rules: Rules) -> tuple[list[str], str | None]:
    """The project sets a text names (cues.project_sets) and the count before them: 办好十件民生实事 →
    (['民生实事'], '10')."""
    names = sorted(n for n in rules.cue("project_sets") if n in text)
    if not names:
        return [], None
    before = text[: min(text.index(n) for n in names)]
    sizes = _SET_SIZE.findall(before)
    if not sizes:
        return names, None
    size = sizes[-1]
    value = float(size) if size.isdigit() else chinese_value(size)
    return names, f"{value:g}" if value is not None else size


def extract_blanket_lines(segments: list[Segment], rules: Rules, section: Section | None = None) -> list[BlanketLine]:
    """The review's lines saying a set of projects was done as a whole: a clause naming the set and a
    word of completion (十件民生实事全面完成, 15件民生实事全部兑现). A report often puts them as a
    paragraph's opening line, so heading sentences count; a five-year record never does."""
    done = rules.cue("set_done")
    found = []
    for seg in _marked(segments, rules, section):
        if seg.five_year:
            continue
        for clause in _CLAUSE.findall(seg.text):
            if any(w in clause for w in done):
                names, count = named_sets(clause, rules)
                if names:
                    found.append(BlanketLine(segment=seg, sets=names, count=count))
                    break
    return found


def project_sets(commitments: list[Commitment], rules: Rules) -> dict[str, ProjectSet]:
    """The set of projects each commitment belongs to, by commitment id: a heading above it names the
    set (办好十件民生实事), or it names the set itself, or it is an item (一是…, 二是…) listed right after
    a sentence that names a counted set (今年再办好15件民生实事。一是…). An umbrella topic is no set."""
    members: dict[str, ProjectSet] = {}
    lead: tuple[ProjectSet, str] | None = None  # a counted set opened by a sentence, and its section
    for c in commitments:
        for where in [*reversed(c.path), c.text]:
            names, count = named_sets(where, rules)
            if names:
                members[c.id] = ProjectSet(sets=names, count=count, heading=where)
                lead = (members[c.id], c.section) if where == c.text and count else lead
                break
        else:
            if lead is not None and lead[1] == c.section and ITEM_MARKER.match(fold(c.text)):
                members[c.id] = lead[0]
            else:
                lead = None
    return members
