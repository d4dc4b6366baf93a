"""The data that passes between the stages, and the shape of ``audit.json``.

Reading → ``SourceText``; normalising → ``Document`` (paragraphs with their line numbers);
identifying → ``DocumentInfo`` with its ``Section``s; segmenting → ``Segment``s; extracting →
``Commitment``s and outcome ``Segment``s; matching and judging → ``CommitmentAudit``s; the whole
run → ``AuditResult``.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SectionKind = Literal["summary", "plan", "appendix"]  # appendix: a report's 名词解释, 附件
# A five-year part (a 十四五 review, a 十五五 outline) is never the year's summary or plan on its own.
Period = Literal["annual", "first_half", "second_half", "five_year"]
Status = Literal["met", "partial", "silent", "pending"]
VerbClass = Literal["done", "ongoing", "intent"]
# The verdicts, in the order every table and chart shows them.
STATUSES: tuple[Status, ...] = ("met", "partial", "silent", "pending")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


Arg = str | int | float | bool | None


class Note(Model):
    """Words for a person, as a code and its arguments: the analysis says what, the catalogue of each
    language (followup/report/lang/) how. ``text`` is the English wording audit.json carries beside it
    (filled when the result is written)."""

    code: str
    args: dict[str, Arg] = Field(default_factory=dict)
    text: str = ""


class Warning(Model):
    """Something the auditor should know about a document or the run; never fatal."""

    document: str = Field(description="Corpus-relative file name, or '' for the run as a whole.")
    code: str
    args: dict[str, Arg] = Field(default_factory=dict)
    message: str = Field("", description="The English wording, filled when the result is written.")


class SourceText(Model):
    """A corpus file decoded to text; the only thing the corpus reader hands on."""

    name: str = Field(description="File name relative to the corpus folder.")
    text: str
    encoding: str
    sha1: str
    notes: list[Note] = Field(default_factory=list, description="What reading the file took that the auditor should know "
                             "(bytes read as replacement characters, a page read without its structure): one warning each.")


class Paragraph(Model):
    """A run of source lines joined back into the paragraph they were broken from.

    ``text`` keeps the document's own characters (what the report quotes); ``norm`` has the same
    length with punctuation widths folded, so offsets found in one are valid in the other.
    """

    text: str
    norm: str
    line_offsets: list[int] = Field(description="Offset in text where each source line starts.")
    line_numbers: list[int] = Field(description="1-based source line number of each of those lines.")
    is_table_row: bool = False
    cells: list[str] = Field(default_factory=list)

    def line_at(self, offset: int) -> int:
        i = bisect_right(self.line_offsets, offset) - 1
        return self.line_numbers[max(i, 0)]


class Document(Model):
    name: str
    encoding: str
    sha1: str
    paragraphs: list[Paragraph]


class Section(Model):
    """A 工作总结 (summary) or 工作要点/计划 (plan) part of a document."""

    kind: SectionKind
    year: int
    period: Period = "annual"
    heading: str
    line: int
    first_paragraph: int = Field(description="Index of the section's first body paragraph.")
    end_paragraph: int = Field(description="Index one past the section's last paragraph.")


class DocumentInfo(Model):
    """What a document is: who issued it, its number and date, and the sections it holds."""

    name: str
    encoding: str
    body: str | None
    series: str | None = Field(description="Key that ties one body's documents over the years.")
    number: str | None
    date: str | None
    title: str | None
    sections: list[Section]
    announced: list[str] = Field(
        default_factory=list, description="Sections the title promises, e.g. '2023 下半年 plan'."
    )
    report: bool = Field(False, description="A government work report (政府工作报告), read by its parts.")


class Segment(Model):
    """A sentence (or table row) of a section, with where it stands."""

    text: str
    norm: str
    line: int
    path: list[str] = Field(description="Headings above it: 一、… / （一）…")
    paragraph: int
    start: int = Field(0, description="Offset of the text in its paragraph.")
    is_heading_sentence: bool = False
    is_table_row: bool = False
    five_year: bool = Field(False, description="A five-year record (五年来, 年均, 十四五时期), not one year's result.")
    estimate: bool = Field(False, description="Its figures are estimates (预计).")


class BlanketLine(Model):
    """A line of a review saying a whole set of projects was done (十件民生实事全面完成)."""

    segment: Segment
    sets: list[str] = Field(description="The set names it holds (民生实事, 民心工程).")
    count: str | None = Field(None, description="The set's size when the line gives it (10, 15).")


class ProjectSet(Model):
    """The set of projects a plan's commitment belongs to (今年再办好15件民生实事: 一是…二是…)."""

    sets: list[str]
    count: str | None = None
    heading: str = Field(description="The heading or sentence that names the set.")


CommitmentKind = Literal["task", "target"]


class Commitment(Model):
    id: str
    section: str
    path: list[str]
    text: str
    line: int
    actions: list[str]
    kind: CommitmentKind = Field("task", description="target: an item of a report's 主要预期目标; task: any other.")


class Evidence(Model):
    text: str
    document: str
    line: int
    score: float = Field(description="0..1: how much of an action this outcome covers.")
    section: str = ""
    action: str = Field("", description="The commitment's action this quote answers.")
    verb: VerbClass | None = Field(None, description="What the quote's verb reports: done, ongoing, intent.")
    echo: bool = Field(False, description="The quote repeats the plan's wording rather than a result.")
    has_figure: bool = False
    five_year: bool = Field(False, description="A five-year record: context, never the year's result.")
    estimate: bool = Field(False, description="The quote's figures are estimates (预计).")
    below_threshold: bool = Field(False, description="A candidate that scores under action_match: shown, not an answer.")
    words: list[str] = Field(default_factory=list, description=(
        "The action's words the quote holds, as the quote writes them: what the match counted (verbs and stop words aside)."))


FigureKind = Literal["level", "new_count", "growth_rate", "ratio"]
FigureTest = Literal["at_least", "more_than", "about", "at_most"]


class Quantity(Model):
    """A number with its unit as a person reads it: 1.46亿元 is 146000000 元."""

    value: float | None = Field(description="In the base unit; None when the figure is redacted (XX).")
    unit: str = Field(description="Base unit compared in: 元, 家, %, 个百分点 …")
    raw: str = Field(description="The figure as written.")
    high: float | None = Field(None, description="Upper end of a range (2000-5000): value is the lower end.")
    start: int = 0
    end: int = 0
    redacted: bool = False


class Figure(Model):
    """A target of a plan, or an actual reported in a summary."""

    metric: str
    value: float | None
    unit: str
    raw: str
    kind: FigureKind = "level"
    qualifier: str = Field("", description="The word that qualifies a target: 力争, 不少于, 突破 …")
    test: FigureTest = "at_least"
    strength: Literal["stretch", "binding", "plain"] = "plain"
    period: str = Field("", description="Period of a reported figure: 1-11月, 截至年底, 全年, 累计.")
    estimate: bool = Field(False, description="Reported as an estimate (预计).")
    quote: str = Field(description="The text the figure was read from.")
    document: str = ""
    line: int = 0


class FigureCheck(Model):
    """A target set against the actual that answers it."""

    target: Figure
    actual: Figure | None = None
    completion: float | None = Field(None, description="actual / target (for a growth or ratio target, the rate's ratio).")
    status: Literal["met", "partial", "unknown"] = "unknown"
    note: Note | None = None
    baseline: Figure | None = Field(None, description="For a pending target: the latest actual of its metric.")
    printed_rate: str = Field("", description="A completion rate the document prints itself.")
    rate_agrees: bool | None = None


class Search(Model):
    """What was looked for, so a silent verdict can be checked by hand."""

    summary_document: str
    summary_section: str
    outcomes_searched: int
    terms: list[str]


class Review(Model):
    """A reviewer's decision (a `decisions` rule), kept beside what the tool said."""

    status: Status
    tool_status: Status
    note: str
    reviewer: str
    date: str
    rule: str
    agrees: bool = Field(False, description="The tool's verdict is the reviewer's (now agrees, if it once did not).")


class Agreement(Model):
    reviewed: int = 0
    agreed: int = 0


class ReviewSummary(Model):
    """How far a reviewer agreed with the tool on a body: how an office learns how far to trust it."""

    reviewed: int = 0
    agreed: int = 0
    by_verdict: dict[Status, Agreement] = Field(default_factory=dict, description="By the tool's verdict: "
                                                "e.g. silent: 9 reviewed, 8 agreed.")


class CommitmentAudit(Model):
    id: str
    section: str
    text: str
    line: int
    actions: list[str]
    kind: CommitmentKind = "task"
    status: Status
    confidence: float | None = Field(description="How often a verdict like this one agreed with an auditor's label "
                                     "(the calibration of rules/calibration.yaml); none while pending.")
    evidence: list[Evidence]
    covered_actions: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list, description="Rules that shaped the verdict.")
    reasons: list[Note] = Field(default_factory=list, description="Why this verdict, as the catalogue words it.")
    search: Search | None = None
    nearest_miss: Evidence | None = None
    candidates: list[Evidence] = Field(
        default_factory=list, description="The summary sentences that match best (three at most, best first), "
        "answers or not: what the tool saw.")
    target: Figure | None = Field(None, description="The commitment's first target (all of them in figures).")
    actual: Figure | None = None
    completion: float | None = None
    figures: list[FigureCheck] = Field(default_factory=list)
    review: Review | None = Field(None, description="Set when a reviewer's decision overrides the tool's verdict.")
    carried_over: list[Evidence] = Field(default_factory=list, description="Clauses of the next plan that commit to it again.")


class BodyAudit(Model):
    body: str
    plan_document: str
    plan_section: str
    summary_document: str | None
    summary_section: str | None
    counts: dict[str, int]
    commitments: list[CommitmentAudit]
    review_summary: ReviewSummary = Field(default_factory=ReviewSummary)


class AuditResult(Model):
    format_version: str
    tool_version: str
    generated_at: str
    plan_year: int
    summary_year: int
    corpus: str
    rules: list[str] = Field(description="Rule folders applied, defaults first.")
    weights: str = Field("", description="The table of term weights the matching used (its version).")
    documents: list[DocumentInfo]
    audits: list[BodyAudit]
    warnings: list[Warning]


class DiffSpan(Model):
    op: Literal[-1, 0, 1] = Field(description="-1 only in the earlier text, 0 in both, 1 only in the later.")
    text: str


class DiffPair(Model):
    """Two passages side by side: a commitment and its restatement, or a recycled sentence."""

    kind: Literal["carried_over", "recycled"]
    earlier: Evidence
    later: Evidence
    diff: list[DiffSpan]
    shared: str = Field("", description="For a recycled passage: the run both sentences hold.")


class Lowered(Model):
    metric: str
    earlier: Figure = Field(description="The target of the earlier plan, or the last actual.")
    later: Figure
    reason: Note


class Drift(Model):
    kind: Literal["stale", "rate_mismatch"]
    metric: str
    earlier: Figure
    later: Figure
    stated_rate: float | None = None
    implied_rate: float | None = None
    message: Note


class BodyDiff(Model):
    body: str
    earlier_plan: str | None
    later_plan: str | None
    earlier_summary: str | None
    later_summary: str | None
    carried_over: list[DiffPair]
    new: list[Evidence]
    dropped: list[Evidence]
    lowered: list[Lowered]
    recycled: list[DiffPair]
    drift: list[Drift]
    missing: list[Note] = Field(default_factory=list, description="What this body's comparison lacks.")


class DiffResult(Model):
    format_version: str
    tool_version: str
    generated_at: str
    earlier_year: int
    later_year: int
    corpus: str
    rules: list[str]
    bodies: list[BodyDiff]
    warnings: list[Warning]
