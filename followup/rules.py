"""Matching rules and lexicons: YAML files in a rules folder, validated once, merged by name.

The defaults ship in the project's ``rules/`` folder (installed as ``followup.default_rules``); a
user's folder given with ``--rules`` is applied on top, and an entry of the same name replaces the
default one. Every problem is reported with its file, line and key, and an invalid folder stops
the run before anything is written.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field, replace
from functools import cached_property

try:  # the parser of Python's own regular expressions, to see a pattern's shape
    from re import _parser as _sre
except ImportError:  # Python 3.10
    import sre_parse as _sre  # type: ignore[no-redef]
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from followup.errors import RulesError
from followup.models import SectionKind, VerbClass
from followup.normalize import EDGE, fold
from followup.quantities import quantity_pattern

IgnoreScope = Literal["line", "header", "rest", "sentence"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _repeats(items) -> list[tuple[int, list]]:
    """(max, subpattern) of every repeat directly inside ``items`` (a parsed pattern), groups opened."""
    found = []
    for op, av in items:
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            found.append((av[1], av[2]))
        elif op is _sre.SUBPATTERN:
            found.extend(_repeats(av[-1]))
        elif op is _sre.BRANCH:
            for branch in av[1]:
                found.extend(_repeats(branch))
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            found.extend(_repeats(av[1]))
    return found


def nested_quantifier(pattern: str) -> bool:
    """An unbounded repeat of something that itself repeats, such as (a+)+ or (\\s*x)*: on a line it
    does not match, a backtracking engine can take exponential time."""
    try:
        parsed = _sre.parse(pattern)
    except Exception:  # noqa: BLE001 - an invalid pattern is reported by the compile check
        return False
    stack = list(_repeats(parsed))
    while stack:
        high, inner = stack.pop()
        nested = _repeats(inner)
        if high == _sre.MAXREPEAT and any(h > 1 for h, _ in nested):
            return True
        stack.extend(nested)
    return False


def _check_pattern(value: str) -> str:
    try:
        regex.compile(value)
    except (regex.error, re.error) as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    if nested_quantifier(value):
        raise ValueError("a repeat of a repeat, such as (a+)+ or (\\S+x)*, can take exponential time on a line it does "
                         "not match; bound the outer one ({0,3}) or rewrite it")
    return value


class IgnoreRule(_Strict):
    pattern: str = Field(description="A regular expression searched in the text.")
    scope: IgnoreScope = Field(
        "sentence",
        description="line: drop the source line; header: drop it except at the top of a document "
        "(a letterhead repeated at page breaks); rest: drop it and everything after; sentence: never "
        "a commitment or an outcome.",
    )
    note: str = ""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _check_pattern(value)


class Qualifier(_Strict):
    test: Literal["at_least", "more_than", "about", "at_most"]
    strength: Literal["stretch", "binding", "plain"] = "plain"
    position: Literal["before", "after"] = "before"


class MetricRule(_Strict):
    aliases: list[str] = Field(default_factory=list, description="Other names of the metric.")
    unit: str | None = Field(None, description="The unit it is reported in (家, 元, %).")
    kind: Literal["level", "new_count", "growth_rate", "ratio"] | None = None
    direction: Literal["higher", "lower", "level"] = Field(
        "higher", description="higher: more is better (a 左右 target is met from 95% of it up); lower: a ceiling "
        "(城镇调查失业率, a 能耗 reduction); level: aimed at (居民消费价格涨幅2%左右 is missed by 0.2%).")


CueGroup = Literal[
    "review_heading", "plan_heading", "appendix_heading", "report", "national", "leader", "division_suffix", "last_year", "this_year", "five_year", "stance",
    "targets", "target_terms", "estimate", "flat", "stance_topics", "purpose", "project_sets", "set_done",
    "unitless", "annual_mean", "five_year_opening", "problems", "quality", "set_phrases",
]


class LinkRule(_Strict):
    """A commitment answered by an outcome the matcher does not find on its own."""

    commitment: str = Field(description="A commitment id (2024-3fa9b2c1) or a text snippet found in exactly one commitment.")
    outcome: str = Field(description="A text snippet of the summary sentence that answers it.")
    note: str = ""


class DecisionRule(_Strict):
    """A reviewer's verdict on a commitment; the report shows it beside the tool's own."""

    commitment: str = Field(description="A commitment id or a text snippet found in exactly one commitment.")
    status: Literal["met", "partial", "silent"]
    note: str = Field(min_length=1, description="Why: the reviewer's reasoning, quoted in the report.")
    reviewer: str = Field(min_length=1)
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")
    tool_status: Literal["met", "partial", "silent"] | None = Field(
        None, description="The tool's verdict when the reviewer decided (the review page writes it): a later "
        "run that comes round to the reviewer's verdict is marked 'now agrees', a confirmation is not.")

    @field_validator("date", mode="before")
    @classmethod
    def _yaml_date(cls, value: object) -> object:
        # YAML reads an unquoted 2026-03-01 as a date; keep it as the text the reviewer wrote.
        return value.isoformat() if isinstance(value, _dt.date) else value


class Calibration(_Strict):
    """How often a verdict agreed with an auditor's label on the labelled pairs (bench/agreement.py
    --calibrate writes it): the confidence a card shows."""

    labelled: int = Field(0, description="Commitments the table was measured on.")
    text: dict[Literal["met", "partial", "silent"], dict[float, float]] = Field(
        default_factory=dict, description="Verdicts read from the summary's words: verdict → {lowest best match score: share right}.")
    figures: dict[Literal["met", "partial", "silent"], float] = Field(
        default_factory=dict, description="Verdicts decided by a target's figures: verdict → share right.")


class DocumentRule(_Strict):
    """A corpus file the auditor decides about: leave it out (a draft, an older version)."""

    use: bool = Field(description="false: the file is read but not audited.")
    note: str = ""


class BodyRule(_Strict):
    names: list[str] = Field(default_factory=list, description="Names the body appears under.")
    number_prefixes: list[str] = Field(default_factory=list, description="Document-number prefixes, e.g. 青科委.")


class Thresholds(_Strict):
    """The numbers the matcher and the verdicts use; every one must be set by the defaults."""

    action_match: float | None = Field(None, ge=0, le=1, description="Share of an action's content an outcome must hold to answer it.")
    word_share: float | None = Field(None, ge=0, le=1, description="Part of a match score read from whole words (the rest from character pairs).")
    weak_match: float | None = Field(None, ge=0, le=1, description="Score below which an outcome is not even a near miss.")
    echo: float | None = Field(None, ge=0, le=1, description="Similarity at which an outcome repeats the plan's words.")
    met_coverage: float | None = Field(None, ge=0, le=1, description="Share of actions answered for a met verdict.")
    min_action_chars: int | None = Field(None, ge=1, description="Actions with fewer content characters are not matched alone.")
    max_evidence: int | None = Field(None, ge=1, description="Quotes kept per commitment.")
    carry_over: float | None = Field(None, ge=0, le=1, description="Share of an action a clause of the next plan must hold to carry it over.")
    carry_over_min_chars: int | None = Field(None, ge=1, description="Content characters an action needs to be carried over alone.")
    recycled_chars: int | None = Field(None, ge=4, description="Shared characters that make a summary passage recycled.")
    about_tolerance: float | None = Field(None, ge=0, le=1, description="How far an actual may be from a 左右 target.")


Words = Annotated[list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]], Field(min_length=1)]


class RulesFile(_Strict):
    """One YAML file of a rules folder. Each key is a kind of rule; a file may hold several."""

    aliases: dict[str, Words] = Field(default_factory=dict, description="canonical name: [variants]")
    agencies: dict[str, Words] = Field(default_factory=dict, description="short agency name: [full names]")
    bodies: dict[str, BodyRule] = Field(default_factory=dict)
    verbs: dict[str, VerbClass] = Field(default_factory=dict, description="word: done | ongoing | intent")
    stopwords: dict[str, Words] = Field(default_factory=dict, description="group: [words carrying no content]")
    sections: dict[str, SectionKind] = Field(default_factory=dict, description="heading word: summary | plan")
    ignore: dict[str, IgnoreRule] = Field(default_factory=dict)
    units: dict[str, str] = Field(default_factory=dict, description="unit as written: unit compared in")
    multipliers: dict[str, float] = Field(default_factory=dict, description="万: 10000")
    qualifiers: dict[str, Qualifier] = Field(default_factory=dict)
    figure_kinds: dict[Literal["growth_rate", "ratio", "new_count", "decline"], Words] = Field(default_factory=dict)
    periods: dict[str, str] = Field(default_factory=dict, description="name: regular expression")
    unit_groups: dict[str, Words] = Field(default_factory=dict, description="group: [units compared together]")
    table_columns: dict[Literal["name", "target", "actual", "rate"], Words] = Field(default_factory=dict)
    metrics: dict[str, MetricRule] = Field(default_factory=dict)
    divisions: dict[str, Words] = Field(default_factory=dict, description="provincial-level division: [short forms]")
    cues: dict[CueGroup, Words] = Field(default_factory=dict, description="group: [words that signal it]")
    links: dict[str, LinkRule] = Field(default_factory=dict)
    decisions: dict[str, DecisionRule] = Field(default_factory=dict)
    documents: dict[str, DocumentRule] = Field(default_factory=dict, description="corpus file name: {use, note}")
    thresholds: Thresholds = Field(default_factory=Thresholds)
    calibration: Calibration | None = None

    @field_validator("periods")
    @classmethod
    def _periods_compile(cls, value: dict[str, str]) -> dict[str, str]:
        for name, pattern in value.items():
            try:
                _check_pattern(pattern)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
        return value


KINDS = tuple(RulesFile.model_fields)


@dataclass(frozen=True, eq=False)
class Rules:
    """All rule folders merged; what the pipeline stages read. Built by ``load_rules``.

    A frozen value: nothing derived from documents is kept on it (the prepared corpus owns that).
    Its regular expressions are compiled once, on first use, in ``patterns``.
    """

    folders: list[str] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    agencies: dict[str, list[str]] = field(default_factory=dict)
    bodies: dict[str, BodyRule] = field(default_factory=dict)
    verbs: dict[str, str] = field(default_factory=dict)
    stopwords: dict[str, list[str]] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    ignore: dict[str, IgnoreRule] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    multipliers: dict[str, float] = field(default_factory=dict)
    qualifiers: dict[str, Qualifier] = field(default_factory=dict)
    figure_kinds: dict[str, list[str]] = field(default_factory=dict)
    periods: dict[str, str] = field(default_factory=dict)
    unit_groups: dict[str, list[str]] = field(default_factory=dict)
    table_columns: dict[str, list[str]] = field(default_factory=dict)
    metrics: dict[str, MetricRule] = field(default_factory=dict)
    divisions: dict[str, list[str]] = field(default_factory=dict)
    cues: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, LinkRule] = field(default_factory=dict)
    decisions: dict[str, DecisionRule] = field(default_factory=dict)
    documents: dict[str, DocumentRule] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    calibration: Calibration | None = None
    # (kind, name) -> "file:line" where the rule in force was written
    origin: dict[tuple[str, str], str] = field(default_factory=dict)
    # (kind, name) of the rules in force that an auditor's folder wrote (not followup's own)
    written_by_user: set[tuple[str, str]] = field(default_factory=set)

    @cached_property
    def patterns(self) -> "Patterns":
        return Patterns(self)

    # -- lookups used by the stages -------------------------------------------------------
    def line_filter(self, text: str, early: bool) -> str:
        """'drop', 'rest' or 'keep' for one cleaned source line."""
        for name, rule in self.ignore.items():
            if rule.scope == "sentence" or (rule.scope == "header" and early):
                continue
            if self.patterns.ignore[name].search(text):
                return "rest" if rule.scope == "rest" else "drop"
        return "keep"

    def ignored_sentence(self, text: str) -> str | None:
        """Name of the ignore rule that rules ``text`` out as a commitment or outcome."""
        for name, rule in self.ignore.items():
            if rule.scope == "sentence" and self.patterns.ignore[name].search(text):
                return name
        return None

    def words(self, group: str) -> list[str]:
        return self.stopwords.get(group, [])

    def cue(self, group: str) -> list[str]:
        return self.cues.get(group, [])

    def where(self, kind: str, name: str) -> str:
        return self.origin.get((kind, name), kind)

    def describe(self, kind: str, name: str) -> str:
        where = self.origin.get((kind, name))
        return f"{kind}:{name}" + (f" ({where})" if where else "")

    def with_thresholds(self, **values: float) -> "Rules":
        """The same rules with some thresholds changed (for calibration and benchmarks)."""
        return replace(self, thresholds={**self.thresholds, **values})


def _alternation(words, escape: bool = True) -> str:
    """Longest first, so 研究制定 wins over 制定."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(map(re.escape, ordered) if escape else ordered)


class Patterns:
    """Every regular expression the rules imply, compiled once: the one place they are built."""

    def __init__(self, rules: Rules):
        # The patterns an auditor writes run with a time budget (see ``Bounded``).
        self.timed_out: dict[str, str] = {}  # "kind.name" -> where it is written; skipped from then on
        self.reported: set[str] = set()
        def bounded(kind: str, name: str, pattern: str) -> Bounded:
            # followup's own patterns are known not to backtrack: they run without the (costly) budget.
            budget = PATTERN_BUDGET_S if (kind, name) in rules.written_by_user else None
            return Bounded(pattern, f"{kind}.{name}", rules.where(kind, name), self.timed_out, budget)

        self.ignore = {name: bounded("ignore", name, rule.pattern) for name, rule in rules.ignore.items()}
        self.periods = [(name, bounded("periods", name, p)) for name, p in rules.periods.items()]
        words = _alternation(rules.sections) or "(?!)"
        self.section_heading = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年?\s*.{0,16}?(?:" + words + ")")
        # Aliases and metric names, read as their canonical name. Later entries win a variant both
        # claim: a user's rules come after the defaults, and metrics (the more specific) after aliases.
        to_canonical: dict[str, str] = {}
        self.alias_source: dict[str, str] = {}
        for kind, table in (("aliases", rules.aliases), ("metrics", {n: m.aliases for n, m in rules.metrics.items()})):
            for canonical, variants in table.items():
                to_canonical.setdefault(fold(canonical), canonical)
                self.alias_source[canonical] = kind
                for variant in variants:
                    to_canonical[fold(variant)] = canonical
        self.to_canonical = to_canonical
        self.alias = re.compile(_alternation(to_canonical)) if to_canonical else None
        # For matching, a group's names all read as its shortest one: an alias then weighs what the
        # word it replaces weighs (孵化器 is not worth the seven characters of 科技企业孵化器).
        groups: dict[str, list[str]] = {}
        for name, canonical in to_canonical.items():
            groups.setdefault(canonical, []).append(name)
        self.to_shortest = {name: min(names, key=lambda n: (len(n), n)) for names in groups.values() for name in names}
        # …and back: each group's shortest name to all its names, longest first (how a quote writes a word).
        self.names_of_shortest: dict[str, list[str]] = {
            self.to_shortest[names[0]]: sorted(names, key=lambda n: (-len(n), n)) for names in groups.values()}
        lead = {fold(w) for w in rules.words("lead")}
        self.lead = re.compile("^(?:" + _alternation(lead) + ")+") if lead else None
        # Verbs are masked out of content too: they tell how far a thing got, not what it is.
        masked = {fold(w) for w in rules.words("function")} | {fold(v) for v in rules.verbs} \
            | {fold(q) for q in rules.qualifiers if len(q) > 1}
        self.mask = re.compile(_alternation(masked)) if masked else None
        self.verb = re.compile(_alternation(rules.verbs)) if rules.verbs else None
        # Figures: numbers with the rules' units, and the words stripped off the ends of a metric.
        self.quantity = quantity_pattern(rules.units, rules.multipliers, rules.cue("unitless"), rules.qualifiers)
        kind_words = [w for ws in rules.figure_kinds.values() for w in ws]
        self.metric_edge = _edge(list(rules.qualifiers) + rules.words("lead") + kind_words + list(rules.verbs))
        self.scope_edge = _edge(rules.words("scope"))
        self.qualifier_edge = _edge(list(rules.qualifiers))
        self.qualifiers = sorted(rules.qualifiers.items(), key=lambda kv: -len(kv[0]))  # longest first
        # Issuing bodies: divisions (any province; a city, district or county by the word ending its
        # name) and agencies (any full name, read as its short name: 科学技术委员会 → 科委).
        self.province_full = {short: full for full, shorts in rules.divisions.items() for short in shorts}
        provinces = _alternation(list(rules.divisions) + list(self.province_full))
        suffixes = _alternation(rules.cue("division_suffix")) or "(?!)"
        # A place name's characters: Chinese, but never a date's, a count's or a function word's
        # (2024年普陀区 is 普陀区; 第三次会议上福建省 is no division).
        name = r"[^\W\d_a-zA-Z年月日的与及在为是对将把于等第次届议]"
        self.division_chain = re.compile(rf"(?:{provinces or '(?!)'}|{name}{{1,8}}?(?:{suffixes}))+")
        chain = r"(?P<d>[\u4e00-\u9fff\d]{2,24}?)"
        leaders = _alternation(rules.cue("leader")) or "(?!)"
        # Each names the government between fixed words, or at the start of its line.
        self.government_signals = [
            re.compile(rf"在{chain}第[一二三四五六七八九十]+届人民代表大会"),
            re.compile(rf"(?:^|我)代表{chain}人民政府"),
            re.compile(rf"^(?:[\d〇○零一二三四五六七八九]{{4}}年度?)?{chain}(?:人民)?政府工作报告"),
            re.compile(rf"^{chain}(?:{leaders})[\u4e00-\u9fff]{{2,4}}$"),
        ]
        self.agency_short = {short: short for short in rules.agencies} | {
            full: short for short, fulls in rules.agencies.items() for full in fulls}
        self.agency = re.compile(
            rf"(?P<province>{provinces or '(?!)'})?(?P<city>{name}{{2,6}}?市)?"
            rf"(?P<county>{name}{{2,6}}?(?:新区|区|县|旗))?(?P<agency>{_alternation(self.agency_short) or '(?!)'})")
        self.kind_or_verb_end = re.compile("(?:" + _alternation(kind_words + list(rules.verbs)) + ")$") \
            if kind_words or rules.verbs else None


# A user pattern that needs longer than this on one line is stopped and skipped for the rest of the run.
PATTERN_BUDGET_S = 0.2


class Bounded:
    """A user's regular expression run with a time budget (the ``regex`` package stops a search that
    runs over it): a pattern that backtracks exponentially cannot hang the run. One that runs over is
    recorded in ``timed_out`` (reported as a warning with its file and line) and then matches nothing."""

    def __init__(self, pattern: str, name: str, where: str, timed_out: dict[str, str], budget: float | None = PATTERN_BUDGET_S):
        self.pattern = regex.compile(pattern)
        self.name, self.where, self.timed_out, self.budget = name, where, timed_out, budget

    def search(self, text: str):
        if self.budget is None:
            return self.pattern.search(text)
        if self.name in self.timed_out:
            return None
        try:
            return self.pattern.search(text, timeout=self.budget)
        except TimeoutError:
            self.timed_out[self.name] = self.where
            return None


def _edge(words: list[str]) -> re.Pattern[str] | None:
    """Any of ``words`` or edge punctuation, at either end of a text."""
    if not words:
        return None
    unit = rf"(?:(?:{_alternation(words)})|[{re.escape(EDGE)}])+"
    return re.compile(rf"^{unit}|{unit}$")


# -- loading ------------------------------------------------------------------------------
class _Located:
    """A YAML document turned into Python values, remembering each value's line."""

    def __init__(self, path: Path, text: str, problems: list[str]):
        self.path = path
        self.lines: dict[tuple[Any, ...], int] = {}
        self.problems = problems
        self._constructor = yaml.constructor.SafeConstructor()
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        self.value = None if node is None else self._convert(node, ())

    def _convert(self, node: yaml.Node, loc: tuple[Any, ...]) -> Any:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._constructor.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float)):
                    self.problems.append(f"{self.path}:{key_node.start_mark.line + 1}: a key must be a plain name")
                    continue
                key = str(key)
                if key in out:
                    self.problems.append(
                        f"{self.path}:{key_node.start_mark.line + 1}: {'.'.join(map(str, loc + (key,)))}: "
                        f"duplicate name {key!r} (first at line {self.lines[loc + (key,)]}); keep one"
                    )
                    continue
                self.lines[loc + (key,)] = key_node.start_mark.line + 1
                out[key] = self._convert(value_node, loc + (key,))
                self.lines[loc + (key,)] = key_node.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._convert(v, loc + (i,)) for i, v in enumerate(node.value)]
        return self._constructor.construct_object(node, deep=True)

    def line_of(self, loc: tuple[Any, ...]) -> int:
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


def _hint(kind: str) -> str:
    hints = {
        "aliases": "aliases: {高新技术企业: [高企, 高新企业]}",
        "agencies": "agencies: {科委: [科学技术委员会]}",
        "bodies": "bodies: {青浦区科委: {names: [青浦区科学技术委员会], number_prefixes: [青科委]}}",
        "verbs": "verbs: {印发: done, 推进: ongoing, 探索: intent}",
        "stopwords": "stopwords: {lead: [要, 持续]}",
        "sections": "sections: {工作要点: plan, 工作总结: summary}",
        "ignore": "ignore: {signature_date: {pattern: '^\\d{4}年\\d{1,2}月\\d{1,2}日$', scope: sentence}}",
        "thresholds": "thresholds: {action_match: 0.5}",
        "units": "units: {方: 平方米}",
        "multipliers": "multipliers: {万: 10000}",
        "qualifiers": "qualifiers: {力争: {test: at_least, strength: stretch}}",
        "figure_kinds": "figure_kinds: {growth_rate: [增长, 增速]}",
        "periods": "periods: {months: '(\\d{1,2})-(\\d{1,2})月'}",
        "unit_groups": "unit_groups: {count: [家, 户]}",
        "table_columns": "table_columns: {rate: [完成率]}",
        "metrics": "metrics: {有效高新技术企业数: {aliases: [有效高企数], unit: 家, kind: level}}",
        "links": "links: {hq-policy: {commitment: 2024-3fa9b2c1, outcome: 研究制定青浦区科技服务业产业扶持政策}}",
        "documents": "documents: {002_old.txt: {use: false, note: 旧版本}}",
        "divisions": "divisions: {北京市: [北京]}",
        "cues": "cues: {last_year: [过去一年, 一年来]}",
        "decisions": "decisions: {kw-12: {commitment: 2024-3fa9b2c1, status: met, note: 见2025年政策文件, reviewer: 王审计, date: 2026-03-01}}",
    }
    return hints.get(kind, "one of: " + ", ".join(KINDS))


def _first_alias(text: str) -> int | None:
    """The line of the first anchor or alias, read from the event stream (nothing is expanded)."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return event.start_mark.line + 1
    return None


def parse_rules_file(path: Path, display: str) -> tuple[RulesFile | None, _Located | None, list[str]]:
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, None, [f"{display}:1: cannot be read as UTF-8 text ({exc})"]
    try:
        alias = _first_alias(text)
        if alias is not None:
            return None, None, [f"{display}:{alias}: YAML anchors and aliases (&name, *name) are not allowed in a rules "
                                "file (they can expand without end); write the values out"]
        located = _Located(Path(display), text, problems)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, None, [f"{display}:{line}: not valid YAML: {what}"]
    except RecursionError:
        return None, None, [f"{display}:1: nested too deeply to be a rules file"]
    value = located.value
    if value is None:
        return RulesFile(), located, problems
    if not isinstance(value, dict):
        return None, located, problems + [f"{display}:1: a rules file is a mapping of rule kinds ({', '.join(KINDS)})"]
    try:
        parsed = RulesFile.model_validate(value)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(str(p) for p in err["loc"])
            line = located.line_of(loc)
            key = ".".join(loc) or "(top)"
            if err["type"] == "extra_forbidden":
                if len(loc) == 1:
                    msg = f"unknown rule kind; the kinds are {', '.join(KINDS)}"
                else:
                    msg = f"unknown key; e.g. {_hint(loc[0])}"
            elif err["type"] == "too_short":
                msg = "an empty list: give at least one entry"
            else:
                msg = err["msg"].removeprefix("Value error, ")
                msg += f"; e.g. {_hint(loc[0])}" if loc else ""
            problems.append(f"{display}:{line}: {key}: {msg}")
        return None, located, problems
    return parsed, located, problems


def default_rules_dir() -> Path:
    return Path(str(resources.files("followup.default_rules")))


def _merge(rules: Rules, parsed: RulesFile, located: _Located, display: str, by_user: bool) -> None:
    for kind in KINDS:
        if kind in ("thresholds", "calibration"):
            continue
        target = getattr(rules, kind)
        for name, value in getattr(parsed, kind).items():
            target[name] = value
            rules.origin[(kind, name)] = f"{display}:{located.line_of((kind, name))}"
            if by_user:
                rules.written_by_user.add((kind, name))
    if parsed.calibration is not None:
        object.__setattr__(rules, "calibration", parsed.calibration)
        rules.origin[("calibration", "table")] = f"{display}:{located.line_of(('calibration',))}"
    for name, value in parsed.thresholds.model_dump(exclude_none=True).items():
        rules.thresholds[name] = value
        rules.origin[("thresholds", name)] = f"{display}:{located.line_of(('thresholds', name))}"


def check_folder(folder: Path, label: str | None = None) -> tuple[list[tuple[RulesFile, _Located, str]], list[str]]:
    """Validate every ``*.yaml`` / ``*.yml`` file of a folder (or the one file given); return parsed
    files and problems."""
    label = label if label is not None else str(folder)
    if folder.is_file():
        files = [folder]
        label = str(Path(label).parent) if label != str(folder) else str(folder.parent)
    elif not folder.is_dir():
        return [], [f"{label}: no such rules folder or file"]
    else:
        files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    parsed: list[tuple[RulesFile, _Located, str]] = []
    problems: list[str] = []
    for path in files:
        display = f"{label.rstrip('/')}/{path.name}"
        result, located, file_problems = parse_rules_file(path, display)
        problems.extend(file_problems)
        if result is not None and located is not None and not file_problems:
            parsed.append((result, located, display))
    return parsed, problems


def load_rules(user_folder: Path | None = None) -> Rules:
    """Load the default rules, then the user's folder on top; raise RulesError on any problem."""
    rules = Rules()
    sources = [(default_rules_dir(), "rules", False)]
    if user_folder is not None:
        sources.append((user_folder, str(user_folder), True))
    problems: list[str] = []
    for folder, label, by_user in sources:
        parsed, folder_problems = check_folder(folder, label)
        problems.extend(folder_problems)
        for result, located, display in parsed:
            _merge(rules, result, located, display, by_user)
        rules.folders.append(label)
    missing = [name for name in Thresholds.model_fields if name not in rules.thresholds]
    if missing and not problems:
        problems.append(f"thresholds: {', '.join(missing)} not set by any rules file")
    if problems:
        raise RulesError(problems)
    return rules
