"""The audit of a corpus: each body's plan of one year against its summary of that year, and the
comparison of two years (``followup diff``).

Pure over a prepared corpus (``followup.corpus``): the same corpus and timestamp give the same
``AuditResult``; the corpus supplies the rules, the chosen documents and every stage result.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from followup.corpus import Corpus, Pick, slow_patterns
from followup.errors import RulesError
from followup.extract import MAX_PREAMBLE, commitment_id, project_sets
from followup.figures import check_targets, display, find_actual, TIES, relation_check, table_row_checks, target_tables
from followup.matching import Outcomes
from followup.models import (
    STATUSES, Agreement, AuditResult, BodyAudit, BodyDiff, Commitment, CommitmentAudit, DiffPair, DiffResult, Document, Evidence,
    Figure, FigureCheck, Note, ReviewSummary, Search, Section, Warning,
)
from followup.normalize import fold
from followup.sections import document_year
from followup.verdicts import apply_blanket, apply_decision, apply_figures, calibrate, judge, judge_target, pending
from followup.version import FORMAT_VERSION, __version__
from followup.yoy import carried_over, commitment_quote, diff_spans, figure_drift, lowered_targets, recycled_passages


def run_audit(corpus: Corpus, plan_year: int, summary_year: int, generated_at: str) -> AuditResult:
    """Every body's ``plan_year`` plan against its summary of that year in a ``summary_year`` document."""
    rules = corpus.rules
    warnings = list(corpus.warnings)
    years_present = {document_year(info) for info in corpus.infos} - {None}

    def note(pick: Pick | None) -> Pick | None:
        if pick is not None and pick.warning is not None and pick.warning not in warnings:
            warnings.append(pick.warning)
        return pick

    plans = {series: note(corpus.pick(series, "plan", plan_year)) for series in corpus.series()}
    plans = {series: pick for series, pick in plans.items() if pick is not None}
    if summary_year not in years_present:
        warnings.append(Warning(document="", code="no_summary_year", args={"summary_year": summary_year, "plan_year": plan_year}))
    if not plans:
        warnings.append(Warning(document="", code="no_plan_year", args={"plan_year": plan_year}))

    # Links and decisions are resolved against every body's commitments before any body is judged.
    everything = [c for plan in plans.values() for c in corpus.commitments(plan.document, plan.section)] \
        if rules.links or rules.decisions else []
    links = _resolve("links", rules, everything, warnings)
    decisions = {cid: _latest_decision(names, rules, warnings) for cid, names in _resolve("decisions", rules, everything, warnings).items()}

    audits: list[BodyAudit] = []
    for series, plan in plans.items():
        if not corpus.commitments(plan.document, plan.section):
            warnings.append(Warning(document=plan.document.name, code="no_commitments",
                                    args={"year": plan_year, "period": plan.section.period, "kind": "plan"}))
        skipped = corpus.preamble(plan.document, plan.section)
        if len(skipped) > MAX_PREAMBLE:
            warnings.append(Warning(document=plan.document.name, code="long_preamble",
                                    args={"first": skipped[0].line, "last": skipped[-1].line, "count": len(skipped)}))
        summary = note(corpus.pick(series, "summary", plan_year, issued=summary_year))
        next_plan = note(corpus.pick(series, "plan", plan_year + 1))
        results = _audit_body(corpus, series, plan, summary, plan_year, summary_year, links, warnings)
        if next_plan is not None:
            results = _year_over_year(corpus, results, plan, next_plan)
        results = [calibrate(r, rules) for r in results]
        results = [apply_decision(r, decisions[r.id], rules) if r.id in decisions else r for r in results]
        audits.append(_body_audit(series, plan.document.name, plan.section.heading, summary, results))

    for series in corpus.series():
        if series in plans:
            continue
        summary = corpus.pick(series, "summary", plan_year, issued=summary_year)
        if summary is None:
            continue
        note(summary)
        tables = _table_audits(corpus, summary.document, summary.section)
        if tables:
            audits.append(_body_audit(series, summary.document.name, f"{summary.section.heading}（目标与完成情况表）",
                                      summary, tables))
        warnings.append(Warning(document=summary.document.name, code="summary_without_plan",
                                args={"body": series, "plan_year": plan_year, "rows": len(tables)}))
    audits.sort(key=lambda a: a.body)
    warnings.extend(slow_patterns(rules, ""))

    return AuditResult(
        format_version=FORMAT_VERSION, tool_version=__version__, generated_at=generated_at,
        plan_year=plan_year, summary_year=summary_year, corpus=corpus.folder, rules=rules.folders,
        weights=corpus.weights.version, documents=corpus.infos, audits=audits, warnings=warnings,
    )


def _body_audit(series: str, plan_document: str, plan_section: str, summary: Pick | None,
                results: list[CommitmentAudit]) -> BodyAudit:
    return BodyAudit(
        body=series, plan_document=plan_document, plan_section=plan_section,
        summary_document=summary.document.name if summary else None,
        summary_section=summary.section.heading if summary else None,
        counts={s: sum(1 for r in results if r.status == s) for s in STATUSES}, commitments=results,
        review_summary=review_summary(results),
    )


def review_summary(results: list[CommitmentAudit]) -> ReviewSummary:
    """The reviewer's decisions against the tool's verdicts, by the tool's verdict."""
    summary = ReviewSummary()
    for r in results:
        if r.review is None:
            continue
        tool = summary.by_verdict.setdefault(r.review.tool_status, Agreement())
        summary.reviewed += 1
        tool.reviewed += 1
        if r.review.agrees:
            summary.agreed += 1
            tool.agreed += 1
    summary.by_verdict = dict(sorted(summary.by_verdict.items(), key=lambda kv: STATUSES.index(kv[0])))
    return summary


def _audit_body(corpus: Corpus, series: str, plan: Pick, summary: Pick | None, plan_year: int, summary_year: int,
                links: dict[str, list[str]], warnings: list[Warning]) -> list[CommitmentAudit]:
    rules, lexicon = corpus.rules, corpus.lexicon
    commitments = corpus.commitments(plan.document, plan.section)
    targets = corpus.targets(plan.document, plan.section)
    if summary is None:
        reason = Note(code="awaiting_summary", args={"summary_year": summary_year, "body": series, "plan_year": plan_year})
        reported = _latest_figures(corpus, series, plan_year - 1)
        return [apply_figures(pending(c, reason), _baselines(targets[c.id], reported, lexicon), rules) for c in commitments]

    doc, section = summary.document, summary.section
    outcomes = corpus.matchable_outcomes(doc, section)
    actions = corpus.actions(plan.document, plan.section)
    search = Search(summary_document=doc.name, summary_section=section.heading, outcomes_searched=len(outcomes), terms=[])
    reported = corpus.figures(doc, section)
    blankets = corpus.blanket_lines(doc, section)
    members = project_sets(commitments, rules) if blankets else {}
    results = []
    for c in commitments:
        terms = [lexicon.strip_lead(a) for a in c.actions]
        linked = _linked_outcomes(links.get(c.id, []), outcomes, rules, warnings)
        verdict = judge(c, [actions[a] for a in c.actions], outcomes, corpus.weights, lexicon, rules,
                        search.model_copy(update={"terms": terms}), linked, whole=actions[c.text])
        checks = check_targets(targets[c.id], reported, rules, lexicon) if targets[c.id] else []
        if c.kind == "target":
            results.append(judge_target(verdict, checks, relation_check(c.text, reported, lexicon), rules,
                                        ties=bool(TIES.search(c.text))))
        else:
            results.append(apply_blanket(apply_figures(verdict, checks, rules), members.get(c.id), blankets, doc.name,
                                         lexicon, rules))
    results.extend(_table_audits(corpus, doc, section))
    if section.period == "five_year":
        # A review of five years stands in for the year's: say so on every verdict it shapes.
        note = Note(code="five_year_review", args={"year": plan_year, "heading": section.heading})
        warnings.append(Warning(document=doc.name, code="five_year_review_body",
                                args={"body": series, "year": plan_year, "heading": section.heading}))
        results = [r.model_copy(update={"flags": list(dict.fromkeys(r.flags + ["five_year"])), "reasons": r.reasons + [note]})
                   for r in results]
    return results


def _latest_figures(corpus: Corpus, series: str, year: int) -> list[Figure]:
    """Every figure the body's summary of ``year`` reports, read once for all its pending targets."""
    summary = corpus.pick(series, "summary", year)
    if summary is None:
        return []
    doc, section = summary.document, summary.section
    # A target table's actuals are figures of that year too (全年完成情况 column).
    return corpus.figures(doc, section) + [c.actual for row in _table_audits(corpus, doc, section)
                                           for c in row.figures if c.actual]


def _baselines(targets: list[Figure], candidates: list[Figure], lexicon) -> list[FigureCheck]:
    checks = []
    for target in targets:
        base, note = find_actual(target, candidates, lexicon) if candidates else (None, None)
        if base is not None and base.value is not None and target.value is not None and target.unit == base.unit:
            gap = target.value - base.value
            note = Note(code="baseline_gap", args={
                "actual": base.raw, "period": base.period, "gap": display(gap, target.raw, target.unit),
                "percent": f"{gap / base.value:+.2%}" if base.value and target.unit != "%" else ""})
        checks.append(FigureCheck(target=target, baseline=base, note=note or Note(code="no_baseline")))
    return checks


def _table_audits(corpus: Corpus, doc: Document, section: Section) -> list[CommitmentAudit]:
    """Each row of a 目标 | 完成情况 | 完成率 table in a summary: a commitment with its outcome."""
    return corpus.derived(doc, section, "table_rows", lambda: _table_rows(corpus, doc, section))


def _table_rows(corpus: Corpus, doc: Document, section: Section) -> list[CommitmentAudit]:
    rules, lexicon = corpus.rules, corpus.lexicon
    series = corpus.info(doc).series or ""
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
        base = pending(commitment, None)
        base = base.model_copy(update={"evidence": [_row_evidence(doc, cells, line)], "status": "partial"})
        out.append(apply_figures(base, checks, rules))
    return out


def _row_evidence(doc: Document, cells: list[str], line: int) -> Evidence:
    return Evidence(text=" | ".join(cells), document=doc.name, line=line, score=1.0, section="目标与完成情况表",
                    action="(the table's own row)", verb="done", has_figure=True)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def _latest_decision(names: list[str], rules, warnings: list[Warning]) -> str:
    """Of several decisions on one commitment, the latest (by date, then as the rules were read): a
    reviewer who changes their mind writes a new one. The others are named in a warning, never dropped
    in silence."""
    order = list(rules.decisions)
    chosen = max(names, key=lambda n: (rules.decisions[n].date, order.index(n)))
    if len(names) > 1:
        where = rules.where("decisions", chosen)
        warnings.append(Warning(document=where.split(":")[0], code="several_decisions", args={
            "commitment": rules.decisions[chosen].commitment, "chosen": f"decisions.{chosen} ({where})",
            "others": ", ".join(f"decisions.{n} ({rules.where('decisions', n)})" for n in names if n != chosen)}))
    return chosen


def _resolve(kind: str, rules, commitments: list[Commitment], warnings: list[Warning]) -> dict[str, list[str]]:
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
            warnings.append(Warning(document=where.split(":")[0], code="rule_names_nothing",
                                    args={"where": where, "rule": f"{kind}.{name}", "commitment": rule.commitment}))
        else:
            found.setdefault(matches[0].id, []).append(name)
    if problems:
        raise RulesError(problems)
    return found


def _linked_outcomes(names: list[str], outcomes: Outcomes, rules, warnings: list[Warning]):
    linked = []
    for name in names:
        key = _squash(rules.links[name].outcome)
        hits = [o for o in outcomes if key in _squash(o.segment.text)]
        if not hits:
            where = rules.where("links", name)
            warnings.append(Warning(document=where.split(":")[0], code="link_finds_nothing",
                                    args={"where": where, "rule": f"links.{name}", "outcome": rules.links[name].outcome}))
            continue
        linked.append((hits[0], rules.describe("links", name)))
    return linked


def _year_over_year(corpus: Corpus, results: list[CommitmentAudit], plan: Pick, next_plan: Pick) -> list[CommitmentAudit]:
    """Flag each commitment the next plan commits to again (perennial if the summary is silent on
    it), or drops although the summary is silent on it."""
    rules = corpus.rules
    clauses = corpus.clauses(next_plan.document, next_plan.section)
    actions = corpus.actions(plan.document, plan.section)
    by_id = {c.id: c for c in corpus.commitments(plan.document, plan.section)}
    out = []
    for audit in results:
        commitment = by_id.get(audit.id)
        if commitment is None:  # a target-table row of the summary
            out.append(audit)
            continue
        quotes = carried_over([actions[a] for a in commitment.actions], clauses, corpus.weights, rules)
        flags = list(audit.flags)
        if quotes:
            flags.append("carried_over")
            if audit.status == "silent":
                flags.append("perennial")
        elif audit.status == "silent":
            flags.append("dropped")
        fired = audit.rules + ([rules.describe("thresholds", "carry_over")] if quotes else [])
        out.append(audit.model_copy(update={"carried_over": quotes, "flags": flags, "rules": list(dict.fromkeys(fired))}))
    return out


def audit_years(corpus: Corpus) -> list[tuple[int, int]]:
    """Every (plan year, summary year) pair the corpus can audit: each year with a plan, or with an
    annual summary (a summary's own target table is audited without a plan), and the year after."""
    years = sorted({s.year for info in corpus.infos if info.series for s in info.sections
                    if s.kind == "plan" or s.period == "annual"})
    return [(year, year + 1) for year in years]


def run_all(corpus: Corpus, generated_at: str) -> Iterator[AuditResult]:
    """The audit of every pair of consecutive years, oldest first, one at a time.

    A generator: the caller writes each report before the next is made, so memory holds one pair's
    results at a time.
    """
    for plan_year, summary_year in audit_years(corpus):
        yield run_audit(corpus, plan_year, summary_year, generated_at)


# -- two years side by side -------------------------------------------------------------------
def run_diff(corpus: Corpus, earlier_year: int, later_year: int, generated_at: str) -> DiffResult:
    """Plans of the two years and the summaries before each, body by body."""
    rules, lexicon = corpus.rules, corpus.lexicon
    warnings = list(corpus.warnings)
    audit = run_audit(corpus, earlier_year, later_year, generated_at) if later_year == earlier_year + 1 else None
    silent = {c.id for a in (audit.audits if audit else []) for c in a.commitments if c.status == "silent"}
    bodies = []
    for series in corpus.series():
        picks = {
            "p1": corpus.pick(series, "plan", earlier_year), "p2": corpus.pick(series, "plan", later_year),
            "s1": corpus.pick(series, "summary", earlier_year - 1), "s2": corpus.pick(series, "summary", later_year - 1),
        }
        for pick in picks.values():
            if pick is not None and pick.warning is not None and pick.warning not in warnings:
                warnings.append(pick.warning)
        p1, p2, s1, s2 = picks["p1"], picks["p2"], picks["s1"], picks["s2"]
        if not any((p1, p2, s1, s2)):
            continue
        missing = [Note(code="missing_part", args={"kind": kind, "year": year}) for kind, year, part in (
            ("plan", earlier_year, p1), ("plan", later_year, p2), ("summary", earlier_year - 1, s1), ("summary", later_year - 1, s2))
            if part is None]
        carried, new, dropped, lowered = [], [], [], []
        if p1 and p2:
            c1, c2 = corpus.commitments(p1.document, p1.section), corpus.commitments(p2.document, p2.section)
            a1, a2 = corpus.actions(p1.document, p1.section), corpus.actions(p2.document, p2.section)
            later_clauses, earlier_clauses = corpus.clauses(p2.document, p2.section), corpus.clauses(p1.document, p1.section)
            for c in c1:
                quotes = carried_over([a1[a] for a in c.actions], later_clauses, corpus.weights, rules)
                for q in quotes:
                    earlier = Evidence(text=q.action, document=p1.document.name, line=c.line, score=q.score, section=c.section)
                    carried.append(DiffPair(kind="carried_over", earlier=earlier, later=q, diff=diff_spans(q.action, q.text)))
                if not quotes and (audit is None or c.id in silent):
                    dropped.append(commitment_quote(c, p1.document.name))
            for c in c2:
                if not carried_over([a2[a] for a in c.actions], earlier_clauses, corpus.weights, rules):
                    new.append(commitment_quote(c, p2.document.name))
            earlier_targets = [f for fs in corpus.targets(p1.document, p1.section).values() for f in fs]
            later_targets = [f for fs in corpus.targets(p2.document, p2.section).values() for f in fs]
            last = corpus.figures(s2.document, s2.section) if s2 else []
            lowered = lowered_targets(earlier_targets, later_targets, last, lexicon)
        recycled, drift = [], []
        if s1 and s2:
            o1, o2 = corpus.outcomes(s1.document, s1.section), corpus.outcomes(s2.document, s2.section)
            for later, earlier, run in recycled_passages(o2, o1, s2.document.name, s1.document.name, rules):
                recycled.append(DiffPair(kind="recycled", earlier=earlier, later=later, diff=diff_spans(earlier.text, later.text), shared=run))
            drift = figure_drift(corpus.figures(s2.document, s2.section), corpus.figures(s1.document, s1.section), lexicon)
        if missing:
            warnings.append(Warning(document="", code="diff_missing", args={"body": series, "count": len(missing)}))
        bodies.append(BodyDiff(
            body=series, earlier_plan=p1.document.name if p1 else None, later_plan=p2.document.name if p2 else None,
            earlier_summary=s1.document.name if s1 else None, later_summary=s2.document.name if s2 else None,
            carried_over=carried, new=new, dropped=dropped, lowered=lowered, recycled=recycled, drift=drift, missing=missing,
        ))
    if not bodies:
        warnings.append(Warning(document="", code="diff_nothing", args={"earlier": earlier_year, "later": later_year}))
    return DiffResult(format_version=FORMAT_VERSION, tool_version=__version__, generated_at=generated_at,
                      earlier_year=earlier_year, later_year=later_year, corpus=corpus.folder, rules=rules.folders,
                      bodies=bodies, warnings=warnings)
