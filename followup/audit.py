"""The audit of one plan year against the summary of that year, for every body of a corpus.

``load_corpus`` reads and prepares the documents (the only I/O); ``run_audit`` is pure: the same
corpus, rules and timestamp give the same ``AuditResult``.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from followup import FORMAT_VERSION, __version__
from followup.corpus import read_corpus
from followup.errors import RulesError
from followup.extract import commitment_id, extract_commitments, extract_outcomes
from followup.figures import (
    check_targets, display, find_actual, read_figures, summary_figures, table_row_checks, target_tables,
)
from followup.matching import Lexicon, Weights, prepare_outcomes
from followup.models import (
    AuditResult, BodyAudit, Commitment, CommitmentAudit, Document, DocumentInfo, Evidence, FigureCheck, Search,
    Section, Warning,
)
from followup.normalize import fold, normalize
from followup.rules import Rules
from followup.sections import describe, document_year, identify
from followup.segments import segment_section
from followup.verdicts import apply_decision, apply_figures, judge, pending
from followup.yoy import carried_over, next_plan_clauses

STATUSES = ("met", "partial", "silent", "pending")


@dataclass
class Corpus:
    folder: str
    documents: list[Document] = field(default_factory=list)
    infos: list[DocumentInfo] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    _weights: list[tuple[Rules, Weights]] = field(default_factory=list, repr=False)

    def pairs(self) -> list[tuple[Document, DocumentInfo]]:
        return list(zip(self.documents, self.infos))

    def of_series(self, series: str) -> list[tuple[Document, DocumentInfo]]:
        """The documents of one body, from an index built once (not a scan of the corpus per body)."""
        index = self.__dict__.get("_series_index")
        if index is None or index[0] != len(self.documents):
            by_series: dict[str, list[tuple[Document, DocumentInfo]]] = {}
            for doc, info in self.pairs():
                by_series.setdefault(info.series or "", []).append((doc, info))
            index = (len(self.documents), by_series)
            self.__dict__["_series_index"] = index
        return index[1].get(series, [])

    def section(self, series: str, kind: str, year: int) -> tuple[Document, Section] | None:
        """A body's summary or plan of ``year``: the annual one first, then by file name."""
        found = [(doc, s) for doc, info in self.of_series(series)
                 for s in info.sections if s.kind == kind and s.year == year]
        found.sort(key=lambda ds: (ds[1].period != "annual", ds[0].name))
        return found[0] if found else None

    def weights(self, lexicon: Lexicon) -> Weights:
        """Term weights over the whole corpus, computed once per set of rules and shared by audits."""
        for rules, weights in self._weights:
            if rules is lexicon.rules:
                return weights
        weights = corpus_weights(self, lexicon)
        self._weights.append((lexicon.rules, weights))
        return weights


# When one document comes in several formats, the one whose text is the document's own is kept.
_FORMAT_PREFERENCE = ("utf", "gb", "big5", "docx", "html", "pdf")


def _format_rank(encoding: str) -> int:
    return next((i for i, p in enumerate(_FORMAT_PREFERENCE) if encoding.lower().startswith(p)), len(_FORMAT_PREFERENCE))


def _letters(doc: Document) -> str:
    return re.sub(r"[\W_\d]+", "", fold("".join(p.text for p in doc.paragraphs)))[:4000]


def prepare_corpus(sources, rules: Rules, folder: str = "", warnings: list[Warning] | None = None) -> Corpus:
    corpus = Corpus(folder=folder, warnings=list(warnings or []))
    for source in sources:
        rule = rules.documents.get(source.name)
        if rule is not None and not rule.use:
            corpus.warnings.append(Warning(document=source.name, message=f"left out by {rules.describe('documents', source.name)}"
                                           + (f": {rule.note}" if rule.note else "")))
            continue
        doc = normalize(source, rules)
        info, doc_warnings = identify(doc, rules)
        if info.sections and info.date is None:
            doc_warnings.append(Warning(document=doc.name, message="no date found (no signature date, no date in the front matter)"))
        duplicate = _same_document(corpus, doc, info)
        if duplicate is not None:
            keep_new = _format_rank(doc.encoding) < _format_rank(corpus.documents[duplicate].encoding)
            kept, dropped = (doc.name, corpus.documents[duplicate].name) if keep_new else (corpus.documents[duplicate].name, doc.name)
            corpus.warnings.append(Warning(document=dropped, message=f"the same document as {kept} (kept {kept}, not audited twice)"))
            if not keep_new:
                continue
            del corpus.documents[duplicate], corpus.infos[duplicate]
        corpus.documents.append(doc)
        corpus.infos.append(info)
        corpus.warnings.extend(doc_warnings)
    return corpus


def _same_document(corpus: Corpus, doc: Document, info: DocumentInfo) -> int | None:
    """Index of a document already read that is this one in another file or format."""
    from rapidfuzz import fuzz

    # Same body, number, date and sections, and (nearly) the same words: one document in two files.
    # A revised version has another date or number: that is a conflict for the audit to report.
    shape = [(s.kind, s.year, s.period) for s in info.sections]
    letters = None
    for i, (other, other_info) in enumerate(corpus.pairs()):
        if (other_info.series, other_info.number, other_info.date) != (info.series, info.number, info.date):
            continue
        if [(s.kind, s.year, s.period) for s in other_info.sections] != shape:
            continue
        letters = letters if letters is not None else _letters(doc)
        if fuzz.ratio(letters, _letters(other)) >= 90:
            return i
    return None


def load_corpus(folder: Path, rules: Rules, label: str | None = None) -> Corpus:
    """Read and prepare a corpus folder; ``label`` is how the report names it (default: as given)."""
    sources, warnings = read_corpus(folder)
    return prepare_corpus(sources, rules, folder=label if label is not None else folder.as_posix(), warnings=warnings)


def corpus_weights(corpus: Corpus, lexicon: Lexicon) -> Weights:
    contents = []
    for doc, info in corpus.pairs():
        for section in info.sections:
            contents.extend(lexicon.content(s.text) for s in segment_section(doc, section, lexicon.rules))
    return Weights.from_texts(contents)


def _pick(candidates: list[tuple[Document, DocumentInfo, Section]], kind: str, warnings: list[Warning], body: str, year: int):
    """One section among several candidates: annual first, then the latest document."""
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[2].period != "annual", -(int((c[1].date or "0000")[:4])), c[1].date or "", c[0].name))
    annual = [c for c in candidates if c[2].period == "annual"]
    if len(annual) > 1:
        names = ", ".join(c[0].name for c in annual)
        chosen = max(annual, key=lambda c: (c[1].date or "", c[0].name))
        warnings.append(Warning(document=chosen[0].name, message=f"{body}: several documents hold the {year} {kind} ({names}); "
                                f"using the latest, {chosen[0].name} (to choose another, leave the others out with a `documents` rule)"))
        return chosen
    return candidates[0]


@contextmanager
def fewer_collections():
    """Run with CPython's cyclic garbage collector triggered less often.

    An audit allocates many small objects and makes few reference cycles; with a large corpus in
    memory each full collection rescans it, which made time grow faster than the corpus. The
    thresholds are restored afterwards.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 50_000), max(before[1], 50), max(before[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run_audit(corpus: Corpus, plan_year: int, summary_year: int, rules: Rules, generated_at: str) -> AuditResult:
    with fewer_collections():
        return _run_audit(corpus, plan_year, summary_year, rules, generated_at)


def _run_audit(corpus: Corpus, plan_year: int, summary_year: int, rules: Rules, generated_at: str) -> AuditResult:
    lexicon = Lexicon(rules)
    weights = corpus.weights(lexicon)
    warnings = list(corpus.warnings)

    plans: dict[str, list] = {}
    summaries: dict[str, list] = {}
    years_present: set[int] = set()
    for doc, info in corpus.pairs():
        year = document_year(info)
        if year is not None:
            years_present.add(year)
        if info.series is None:
            continue
        for section in info.sections:
            if section.kind == "plan" and section.year == plan_year:
                plans.setdefault(info.series, []).append((doc, info, section))
            if section.kind == "summary" and section.year == plan_year and year == summary_year:
                summaries.setdefault(info.series, []).append((doc, info, section))

    if summary_year not in years_present:
        warnings.append(Warning(document="", message=f"no document of {summary_year} in the corpus: every {plan_year} plan is pending"))
    if not plans:
        warnings.append(Warning(document="", message=f"no {plan_year} plan (工作要点/工作计划) in the corpus"))

    # First every body's commitments, so that links and decisions can be resolved against all of them.
    bodies = []
    for series in sorted(plans):
        plan_doc, _, plan_section = _pick(plans[series], "plan", warnings, series, plan_year)
        summary = _pick(summaries.get(series, []), "summary", warnings, series, plan_year)
        commitments = extract_commitments(plan_doc, plan_section, series, rules)
        if not commitments:
            warnings.append(Warning(document=plan_doc.name, message=f"the {describe('plan', plan_year, plan_section.period)} section holds no commitment"))
        bodies.append((series, plan_doc, plan_section, summary, commitments))
    everything = [c for *_, commitments in bodies for c in commitments]
    links = _resolve("links", rules, everything, warnings)
    decisions = _resolve("decisions", rules, everything, warnings)

    audits: list[BodyAudit] = []
    for series, plan_doc, plan_section, summary, commitments in bodies:
        next_plan = corpus.section(series, "plan", plan_year + 1)
        next_clauses = []
        if next_plan is not None:
            next_doc, next_section = next_plan
            next_clauses = next_plan_clauses(extract_commitments(next_doc, next_section, series, rules), next_doc.name, lexicon)
        results: list[CommitmentAudit]
        targets = {c.id: read_figures(c.text, rules, lexicon, c.line, plan_doc.name) for c in commitments}
        if summary is None:
            reason = f"no {summary_year} document of {series} with a {plan_year} 工作总结 in the corpus yet"
            reported = _latest_figures(corpus, series, plan_year - 1, rules, lexicon)
            results = [apply_figures(pending(c, reason), _baselines(targets[c.id], reported, lexicon), rules)
                       for c in commitments]
        else:
            sum_doc, _, sum_section = summary
            segments = extract_outcomes(sum_doc, sum_section, rules)
            outcomes = prepare_outcomes(segments, sum_doc.name, lexicon)
            search = Search(summary_document=sum_doc.name, summary_section=sum_section.heading,
                            outcomes_searched=len(outcomes), terms=[])
            reported = summary_figures(segments, rules, lexicon, sum_doc.name)
            results = []
            for c in commitments:
                terms = [lexicon.strip_lead(a) for a in c.actions]
                linked = _linked_outcomes(links.get(c.id, []), outcomes, rules, warnings)
                verdict = judge(c, outcomes, weights, lexicon, rules, search.model_copy(update={"terms": terms}), linked)
                checks = check_targets(targets[c.id], reported, rules, lexicon) if targets[c.id] else []
                results.append(apply_figures(verdict, checks, rules))
            results.extend(_table_audits(sum_doc, sum_section, series, rules, lexicon))
        if next_plan is not None:
            by_id = {c.id: c for c in commitments}
            results = [_year_over_year(r, by_id.get(r.id), next_clauses, weights, lexicon, rules) for r in results]
        results = [apply_decision(r, decisions[r.id][0], rules) if r.id in decisions else r for r in results]
        counts = {s: sum(1 for r in results if r.status == s) for s in STATUSES}
        audits.append(BodyAudit(
            body=series, plan_document=plan_doc.name, plan_section=plan_section.heading,
            summary_document=summary[0].name if summary else None,
            summary_section=summary[2].heading if summary else None,
            counts=counts, commitments=results,
        ))

    for series in sorted(set(summaries) - set(plans)):
        sum_doc, _, sum_section = summaries[series][0]
        tables = _table_audits(sum_doc, sum_section, series, rules, lexicon)
        if tables:
            counts = {s: sum(1 for r in tables if r.status == s) for s in STATUSES}
            audits.append(BodyAudit(
                body=series, plan_document=sum_doc.name, plan_section=f"{sum_section.heading}（目标与完成情况表）",
                summary_document=sum_doc.name, summary_section=sum_section.heading, counts=counts, commitments=tables,
            ))
        warnings.append(Warning(document=sum_doc.name, message=f"{series}: holds the {plan_year} 工作总结 but the corpus has no {plan_year} plan of this body"
                                + (f"; its {len(tables)} target-table rows are audited on their own" if tables else "")))
    audits.sort(key=lambda a: a.body)

    return AuditResult(
        format_version=FORMAT_VERSION, tool_version=__version__, generated_at=generated_at,
        plan_year=plan_year, summary_year=summary_year, corpus=corpus.folder, rules=rules.folders,
        documents=corpus.infos, audits=audits, warnings=warnings,
    )


def _latest_figures(corpus: Corpus, series: str, year: int, rules: Rules, lexicon: Lexicon) -> list:
    """Every figure the body's summary of ``year`` reports, read once for all its pending targets."""
    summary = corpus.section(series, "summary", year)
    if summary is None:
        return []
    doc, section = summary
    figures = summary_figures(extract_outcomes(doc, section, rules), rules, lexicon, doc.name)
    # A target table's actuals are figures of that year too (全年完成情况 column).
    figures += [c.actual for row in _table_audits(doc, section, "", rules, lexicon) for c in row.figures if c.actual]
    return figures


def _baselines(targets, candidates: list, lexicon: Lexicon) -> list[FigureCheck]:
    checks = []
    for target in targets:
        base, note = find_actual(target, candidates, lexicon) if candidates else (None, "")
        if base is not None and base.value is not None and target.value is not None and target.unit == base.unit:
            gap = target.value - base.value
            pct = f"{gap / base.value:+.2%}" if base.value and target.unit != "%" else ""
            note = (f"latest actual {base.raw}{(' (' + base.period + ')') if base.period else ''}; "
                    f"gap to the target {display(gap, target.raw, target.unit)} {pct}").strip()
        checks.append(FigureCheck(target=target, baseline=base, note=note or "no earlier actual of this metric"))
    return checks


def _table_audits(doc: Document, section: Section, series: str, rules: Rules, lexicon: Lexicon) -> list[CommitmentAudit]:
    """Each row of a 目标 | 完成情况 | 完成率 table in a summary: a commitment with its outcome."""
    out = []
    seen: dict[str, int] = {}
    for index, cells, cols, group in target_tables(doc, section.first_paragraph, section.end_paragraph, rules):
        def cell(key: str) -> str:
            i = cols.get(key)
            return cells[i] if i is not None and i < len(cells) else ""
        name = cell("name") or (cells[1] if len(cells) > 1 else cells[0])
        line = doc.paragraphs[index].line_numbers[0]
        checks = table_row_checks(name, cell("target"), cell("actual"), cell("rate"), rules, lexicon, doc.name, line)
        if not checks:
            continue
        text = f"{name}：{cell('target')}"
        commitment = Commitment(id=commitment_id(section.year, series, f"table|{text}", seen),
                                section=" / ".join(x for x in ("挂图作战完成情况", group) if x), path=[group],
                                text=text, line=line, actions=[text])
        base = pending(commitment, "")
        base = base.model_copy(update={"evidence": [_row_evidence(doc, cells, line)], "status": "partial"})
        out.append(apply_figures(base, checks, rules))
    return out


def _row_evidence(doc: Document, cells: list[str], line: int) -> Evidence:
    return Evidence(text=" | ".join(cells), document=doc.name, line=line, score=1.0, section="目标与完成情况表",
                    action="(the table's own row)", verb="done", has_figure=True)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def _resolve(kind: str, rules: Rules, commitments: list[Commitment], warnings: list[Warning]) -> dict[str, list[str]]:
    """Commitment id → names of the `kind` rules (links, decisions) that name it.

    A rule names a commitment by its id or by a snippet of its text. A snippet found in two
    commitments is an error (RulesError: the run stops before anything is written); a rule that
    names no commitment of this run is reported.
    """
    found: dict[str, list[str]] = {}
    problems: list[str] = []
    for name, rule in getattr(rules, kind).items():
        where = rules.where(kind, name)
        matches = [c for c in commitments if c.id == rule.commitment]
        if not matches:
            key = _squash(rule.commitment)
            matches = [c for c in commitments if key and key in _squash(c.text)]
        if len(matches) > 1:
            ids = ", ".join(c.id for c in matches[:5])
            problems.append(f"{where}: {kind}.{name}.commitment: the snippet {rule.commitment!r} matches "
                            f"{len(matches)} commitments ({ids}); give one of the ids or a longer snippet")
        elif not matches:
            warnings.append(Warning(document=where.split(":")[0],
                                    message=f"{where}: {kind}.{name} names no commitment of this run ({rule.commitment!r})"))
        else:
            found.setdefault(matches[0].id, []).append(name)
    if problems:
        raise RulesError(problems)
    return found


def _linked_outcomes(names: list[str], outcomes, rules: Rules, warnings: list[Warning]):
    linked = []
    for name in names:
        key = _squash(rules.links[name].outcome)
        hits = [o for o in outcomes if key in _squash(o.segment.text)]
        if not hits:
            where = rules.where("links", name)
            warnings.append(Warning(document=where.split(":")[0],
                                    message=f"{where}: links.{name}: no summary sentence holds {rules.links[name].outcome!r}"))
            continue
        linked.append((hits[0], rules.describe("links", name)))
    return linked


def _year_over_year(audit: CommitmentAudit, commitment: Commitment | None, next_clauses, weights, lexicon, rules) -> CommitmentAudit:
    """Flag a commitment the next plan commits to again (perennial if the summary is silent on it),
    or drops although the summary is silent on it."""
    if commitment is None:
        return audit
    quotes = carried_over(commitment, next_clauses, weights, lexicon, rules)
    flags = list(audit.flags)
    if quotes:
        flags.append("carried_over")
        if audit.status == "silent":
            flags.append("perennial")
    elif audit.status == "silent":
        flags.append("dropped")
    fired = audit.rules + ([rules.describe("thresholds", "carry_over")] if quotes else [])
    return audit.model_copy(update={"carried_over": quotes, "flags": flags, "rules": list(dict.fromkeys(fired))})


def audit_years(corpus: Corpus) -> list[tuple[int, int]]:
    """Every (plan year, summary year) pair the corpus can audit: each year with a plan, or with an
    annual summary (a summary's own target table is audited without a plan), and the year after."""
    years = sorted({s.year for info in corpus.infos if info.series for s in info.sections
                    if s.kind == "plan" or s.period == "annual"})
    return [(year, year + 1) for year in years]


def run_all(corpus: Corpus, rules: Rules, generated_at: str):
    """The audit of every pair of consecutive years, one at a time (a generator: a caller writes each
    report and lets it go before the next is made, so memory holds one pair's results at a time)."""
    for plan_year, summary_year in audit_years(corpus):
        yield run_audit(corpus, plan_year, summary_year, rules, generated_at)
