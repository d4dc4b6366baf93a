"""The audit of one plan year against the summary of that year, for every body of a corpus.

``load_corpus`` reads and prepares the documents (the only I/O); ``run_audit`` is pure: the same
corpus, rules and timestamp give the same ``AuditResult``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from followup import FORMAT_VERSION, __version__
from followup.corpus import read_corpus
from followup.extract import extract_commitments, extract_outcomes
from followup.matching import Lexicon, Weights, prepare_outcomes
from followup.models import (
    AuditResult, BodyAudit, CommitmentAudit, Document, DocumentInfo, Search, Section, Warning,
)
from followup.normalize import normalize
from followup.rules import Rules
from followup.sections import describe, document_year, identify
from followup.segments import segment_section
from followup.verdicts import judge, pending

STATUSES = ("met", "partial", "silent", "pending")


@dataclass
class Corpus:
    folder: str
    documents: list[Document] = field(default_factory=list)
    infos: list[DocumentInfo] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def pairs(self) -> list[tuple[Document, DocumentInfo]]:
        return list(zip(self.documents, self.infos))


def prepare_corpus(sources, rules: Rules, folder: str = "", warnings: list[Warning] | None = None) -> Corpus:
    corpus = Corpus(folder=folder, warnings=list(warnings or []))
    for source in sources:
        doc = normalize(source, rules)
        info, doc_warnings = identify(doc, rules)
        corpus.documents.append(doc)
        corpus.infos.append(info)
        corpus.warnings.extend(doc_warnings)
    return corpus


def load_corpus(folder: Path, rules: Rules, label: str | None = None) -> Corpus:
    """Read and prepare a corpus folder; ``label`` is how the report names it (default: as given)."""
    sources, warnings = read_corpus(folder)
    return prepare_corpus(sources, rules, folder=label if label is not None else folder.as_posix(), warnings=warnings)


def corpus_weights(corpus: Corpus, lexicon: Lexicon) -> Weights:
    contents = []
    for doc, info in corpus.pairs():
        for section in info.sections:
            contents.extend(lexicon.content(s.text) for s in segment_section(doc, section))
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
        warnings.append(Warning(document=chosen[0].name, message=f"{body}: several documents hold the {year} {kind} ({names}); using the latest, {chosen[0].name}"))
        return chosen
    return candidates[0]


def run_audit(corpus: Corpus, plan_year: int, summary_year: int, rules: Rules, generated_at: str) -> AuditResult:
    lexicon = Lexicon(rules)
    weights = corpus_weights(corpus, lexicon)
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

    audits: list[BodyAudit] = []
    for series in sorted(plans):
        plan = _pick(plans[series], "plan", warnings, series, plan_year)
        summary = _pick(summaries.get(series, []), "summary", warnings, series, plan_year)
        plan_doc, plan_info, plan_section = plan
        commitments = extract_commitments(plan_doc, plan_section, series, rules)
        if not commitments:
            warnings.append(Warning(document=plan_doc.name, message=f"the {describe('plan', plan_year, plan_section.period)} section holds no commitment"))
        results: list[CommitmentAudit]
        if summary is None:
            reason = f"no {summary_year} document of {series} with a {plan_year} 工作总结 in the corpus yet"
            results = [pending(c, reason) for c in commitments]
        else:
            sum_doc, _, sum_section = summary
            segments = extract_outcomes(sum_doc, sum_section, rules)
            outcomes = prepare_outcomes(segments, sum_doc.name, lexicon)
            search = Search(summary_document=sum_doc.name, summary_section=sum_section.heading,
                            outcomes_searched=len(outcomes), terms=[])
            results = []
            for c in commitments:
                terms = [lexicon.strip_lead(a) for a in c.actions]
                results.append(judge(c, outcomes, weights, lexicon, rules, search.model_copy(update={"terms": terms})))
        counts = {s: sum(1 for r in results if r.status == s) for s in STATUSES}
        audits.append(BodyAudit(
            body=series, plan_document=plan_doc.name, plan_section=plan_section.heading,
            summary_document=summary[0].name if summary else None,
            summary_section=summary[2].heading if summary else None,
            counts=counts, commitments=results,
        ))

    for series in sorted(set(summaries) - set(plans)):
        doc = summaries[series][0][0]
        warnings.append(Warning(document=doc.name, message=f"{series}: holds the {plan_year} 工作总结 but the corpus has no {plan_year} plan of this body to check it against"))

    return AuditResult(
        format_version=FORMAT_VERSION, tool_version=__version__, generated_at=generated_at,
        plan_year=plan_year, summary_year=summary_year, corpus=corpus.folder, rules=rules.folders,
        documents=corpus.infos, audits=audits, warnings=warnings,
    )
