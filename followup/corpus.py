"""The prepared corpus: every document read, normalised and identified once, and the one owner of
everything derived from them.

``load_corpus`` reads a folder (``followup.reader``) and prepares it with a set of rules, which the
corpus keeps: an audit never takes rules of its own, so what was derived under one set of rules is
never served under another. Stage results (sentences of a section, commitments, outcomes, figures,
matchable actions) are cached per document — keyed by its name and content hash and the section's
bounds, never by text alone, so two files holding the same sentences at other lines each get their
own — and die with the corpus. Only the most recently used documents' results are kept
(``keep_documents``): an audit works on a body's two or three documents at a time, so memory stays
flat however large the corpus is, and a small corpus is never computed twice.

``pick`` is the one policy that chooses a body's plan or summary of a year among several documents;
the audit, the year-over-year flags, the baselines of pending targets and ``followup diff`` all use it.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from followup.extract import extract_blanket_lines, extract_commitments, extract_outcomes, preamble
from followup.figures import read_figures, summary_figures
from followup.matching import Action, Lexicon, Outcomes, Weights, prepare_action, prepare_clauses, prepare_outcomes
from followup.models import BlanketLine, Commitment, Document, DocumentInfo, Figure, Section, Segment, SourceText, Warning
from followup.normalize import fold, normalize
from followup.reader import read_corpus
from followup.rules import Rules, load_rules
from followup.sections import document_year, identify
from followup.segments import segment_section


# Documents whose stage results are kept at once: a body's audit uses two or three, a year-over-year
# comparison four; the seeds, five. At ~1.5 MB of results a document this bounds the cache at ~25 MB
# (at 1,000 documents, 64 took 35 MB more at its peak and was no faster: bodies are audited one by one).
KEEP_DOCUMENTS = 16


@dataclass(frozen=True)
class Pick:
    """The section chosen for (body, kind, year), the document holding it, and why if there was a choice."""

    document: Document
    info: DocumentInfo
    section: Section
    warning: Warning | None = None


class Corpus:
    """Documents prepared with one set of rules, and the stage results derived from them."""

    def __init__(self, folder: str, rules: Rules, documents: list[Document], infos: list[DocumentInfo],
                 warnings: list[Warning], skipped: list[str] | None = None, keep_documents: int = KEEP_DOCUMENTS):
        self.folder = folder
        self.rules = rules
        self.documents = documents
        self.infos = infos
        self.warnings = warnings
        self.skipped = skipped or []  # what the tool itself wrote, found in the corpus folder and not read
        self.lexicon = Lexicon(rules)
        self._info = {_key(doc): info for doc, info in zip(documents, infos)}
        self._by_series: dict[str, list[tuple[Document, DocumentInfo]]] = {}
        for doc, info in zip(documents, infos):
            self._by_series.setdefault(info.series or "", []).append((doc, info))
        self._derived: OrderedDict[tuple[str, str], dict[tuple, Any]] = OrderedDict()
        self._keep = keep_documents

    def pairs(self) -> list[tuple[Document, DocumentInfo]]:
        return list(zip(self.documents, self.infos))

    def info(self, doc: Document) -> DocumentInfo:
        return self._info[_key(doc)]

    def of_series(self, series: str) -> list[tuple[Document, DocumentInfo]]:
        """The documents of one body."""
        return self._by_series.get(series, [])

    def series(self) -> list[str]:
        return sorted(s for s in self._by_series if s)

    # -- choosing a document --------------------------------------------------------------------
    def pick(self, series: str, kind: str, year: int, issued: int | None = None) -> Pick | None:
        """A body's summary or plan of ``year`` (in a document issued in ``issued``, if given).

        An annual section before a half-year one; among several annual ones, the latest document
        (by date, then file name), with a warning that names the others and the rule that chooses.
        """
        # A five-year outline is never a year's plan; a five-year review may stand in for the year's
        # summary (its sentences about other years are marked as such).
        found = [(doc, info, s) for doc, info in self.of_series(series) for s in info.sections
                 if s.kind == kind and s.year == year and (issued is None or document_year(info) == issued)
                 and not (kind == "plan" and s.period == "five_year")]
        if not found:
            return None
        doc, info, section = max(found, key=lambda c: (c[2].period == "annual", c[1].date or "", c[0].name))
        annual = [c for c in found if c[2].period == "annual"]
        warning = None
        if len(annual) > 1:
            names = ", ".join(sorted(c[0].name for c in annual))
            warning = Warning(document=doc.name, code="several_documents",
                              args={"body": series, "year": year, "kind": kind, "documents": names, "chosen": doc.name})
        return Pick(doc, info, section, warning)

    # -- what is derived from documents ---------------------------------------------------------
    def derived(self, doc: Document, section: Section, stage: str, compute: Callable[[], Any]) -> Any:
        """The result of ``stage`` on one section of one document, computed once while it is kept."""
        doc_key = _key(doc)
        per_doc = self._derived.get(doc_key)
        if per_doc is None:
            per_doc = self._derived[doc_key] = {}
            if len(self._derived) > self._keep:
                self._derived.popitem(last=False)
        else:
            self._derived.move_to_end(doc_key)
        key = (stage, section.kind, section.year, section.first_paragraph, section.end_paragraph)
        if key not in per_doc:
            per_doc[key] = compute()
        return per_doc[key]

    def segments(self, doc: Document, section: Section) -> list[Segment]:
        """The sentences of a section (not kept: what is extracted from them is)."""
        return segment_section(doc, section, self.rules, report=self.info(doc).report)

    def _plan(self, doc: Document, section: Section) -> tuple[list[Commitment], list[Segment]]:
        """A plan's commitments and the sentences before its first heading, from one cutting."""
        def compute():
            info = self.info(doc)
            segments = self.segments(doc, section)
            commitments = extract_commitments(segments, section.year, info.series or "", self.rules, doc=doc, report=info.report)
            return commitments, [] if info.report else preamble(segments)
        return self.derived(doc, section, "plan", compute)

    def _summary(self, doc: Document, section: Section) -> tuple[list[Segment], list[BlanketLine]]:
        """A summary's outcome statements and its lines closing a set of projects, from one cutting."""
        def compute():
            segments = self.segments(doc, section)
            return (extract_outcomes(segments, doc, self.rules, section),
                    extract_blanket_lines(segments, self.rules, section))
        return self.derived(doc, section, "summary", compute)

    def commitments(self, doc: Document, section: Section) -> list[Commitment]:
        return self._plan(doc, section)[0]

    def preamble(self, doc: Document, section: Section) -> list[Segment]:
        """The sentences of a department's plan before its first heading (not commitments)."""
        return self._plan(doc, section)[1]

    def outcomes(self, doc: Document, section: Section) -> list[Segment]:
        return self._summary(doc, section)[0]

    def blanket_lines(self, doc: Document, section: Section) -> list[BlanketLine]:
        """Lines of a review saying a whole set of projects was done (十件民生实事全面完成)."""
        return self._summary(doc, section)[1]

    def matchable_outcomes(self, doc: Document, section: Section) -> Outcomes:
        return self.derived(doc, section, "matchable_outcomes",
                            lambda: prepare_outcomes(self.outcomes(doc, section), doc.name, self.lexicon))

    def clauses(self, doc: Document, section: Section) -> Outcomes:
        """Each action of a plan's commitments as a matchable outcome (for carried-over promises)."""
        return self.derived(doc, section, "clauses",
                            lambda: prepare_clauses(self.commitments(doc, section), doc.name, self.lexicon))

    def actions(self, doc: Document, section: Section) -> dict[str, Action]:
        """Every action of a plan's commitments, and each commitment's whole text, ready to match
        (weighed with the corpus weights)."""
        def compute() -> dict[str, Action]:
            out: dict[str, Action] = {}
            for c in self.commitments(doc, section):
                for text in [*c.actions, c.text]:
                    if text not in out:
                        out[text] = prepare_action(text, self.lexicon, self.weights)
            return out
        return self.derived(doc, section, "actions", compute)

    def figures(self, doc: Document, section: Section) -> list[Figure]:
        """Every figure a summary section reports (its target-table rows are read by their columns)."""
        return self.derived(doc, section, "figures",
                            lambda: summary_figures(self.outcomes(doc, section), self.rules, self.lexicon, doc.name))

    def targets(self, doc: Document, section: Section) -> dict[str, list[Figure]]:
        """Each plan commitment's figures (its targets), by commitment id."""
        return self.derived(doc, section, "targets", lambda: {
            c.id: read_figures(c.text, self.rules, self.lexicon, c.line, doc.name) for c in self.commitments(doc, section)})

    @cached_property
    def weights(self) -> Weights:
        """Term weights: the background table followup ships, whatever the folder holds."""
        return Weights.background()


def _key(doc: Document) -> tuple[str, str]:
    return doc.name, doc.sha1


# -- preparing --------------------------------------------------------------------------------
# When one document comes in several formats, the one whose text is the document's own is kept.
_FORMAT_PREFERENCE = ("utf", "gb", "big5", "docx", "html", "pdf")


def _format_rank(encoding: str) -> int:
    return next((i for i, p in enumerate(_FORMAT_PREFERENCE) if encoding.lower().startswith(p)), len(_FORMAT_PREFERENCE))


def _letters(doc: Document) -> str:
    return re.sub(r"[\W_\d]+", "", fold("".join(p.text for p in doc.paragraphs)))[:4000]


def prepare_corpus(sources: list[SourceText], rules: Rules, folder: str = "", warnings: list[Warning] | None = None,
                   skipped: list[str] | None = None, keep_documents: int = KEEP_DOCUMENTS) -> Corpus:
    """Normalise and identify each source; the same document in two files is kept once."""
    documents: list[Document] = []
    infos: list[DocumentInfo] = []
    all_warnings = list(warnings or [])
    # Only documents of the same body, number and date can be one document in two files.
    alike: dict[tuple, list[tuple[Document, DocumentInfo]]] = {}
    for source in sources:
        rule = rules.documents.get(source.name)
        if rule is not None and not rule.use:
            all_warnings.append(Warning(document=source.name, code="left_out",
                                        args={"rule": rules.describe("documents", source.name), "note": rule.note}))
            continue
        # What reading the file took (bytes replaced, a page read flat) is the auditor's to know.
        all_warnings.extend(Warning(document=source.name, code=note.code, args=note.args) for note in source.notes)
        doc = normalize(source, rules)
        info, doc_warnings = identify(doc, rules)
        all_warnings.extend(slow_patterns(rules, doc.name))
        if info.sections and info.date is None:
            doc_warnings.append(Warning(document=doc.name, code="no_date"))
        same = alike.setdefault((info.series, info.number, info.date), [])
        duplicate = _same_document(same, doc, info)
        if duplicate is not None:
            other = same[duplicate][0]
            keep_new = _format_rank(doc.encoding) < _format_rank(other.encoding)
            kept, dropped = (doc.name, other.name) if keep_new else (other.name, doc.name)
            all_warnings.append(Warning(document=dropped, code="same_document", args={"kept": kept}))
            if not keep_new:
                continue
            del same[duplicate]
            at = next(i for i, d in enumerate(documents) if d is other)
            del documents[at], infos[at]
        same.append((doc, info))
        documents.append(doc)
        infos.append(info)
        all_warnings.extend(doc_warnings)
    return Corpus(folder, rules, documents, infos, all_warnings, skipped, keep_documents)


def slow_patterns(rules: Rules, document: str) -> list[Warning]:
    """A warning for each user pattern that ran over its time budget since the last call."""
    found = []
    for name, where in rules.patterns.timed_out.items():
        if name not in rules.patterns.reported:
            rules.patterns.reported.add(name)
            found.append(Warning(document=document, code="slow_pattern", args={"where": where, "rule": name}))
    return found


def _same_document(read: list[tuple[Document, DocumentInfo]], doc: Document, info: DocumentInfo) -> int | None:
    """Index among ``read`` (documents of the same body, number and date) of one that is this one in
    another file or format."""
    from rapidfuzz import fuzz

    # Same body, number, date and sections, and (nearly) the same words: one document in two files.
    # A revised version has another date or number: that is a conflict for the picker to report.
    shape = [(s.kind, s.year, s.period) for s in info.sections]
    letters = None
    for i, (other, other_info) in enumerate(read):
        if [(s.kind, s.year, s.period) for s in other_info.sections] != shape:
            continue
        letters = letters if letters is not None else _letters(doc)
        if fuzz.ratio(letters, _letters(other)) >= 90:
            return i
    return None


def load_corpus(folder: str | Path, rules: Rules | None = None, label: str | None = None,
                exclude: list[Path] | None = None, keep_documents: int = KEEP_DOCUMENTS) -> Corpus:
    """Read and prepare a corpus folder with ``rules`` (default: the rules followup ships).

    ``label`` is how reports name the folder (default: as given); ``exclude`` are folders inside it
    that are not read (a report folder written into the corpus folder).
    """
    folder = Path(folder)
    rules = rules if rules is not None else load_rules()
    sources, warnings, skipped = read_corpus(folder, exclude=exclude)
    return prepare_corpus(sources, rules, folder=label if label is not None else folder.as_posix(),
                          warnings=warnings, skipped=skipped, keep_documents=keep_documents)
