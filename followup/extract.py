"""Commitments from a plan section, outcome statements from a summary section.

A commitment is a sentence (or a target-table row) of a plan that commits the body to something,
with its actions (its clauses) and a stable id. The preamble that states the year's theme, bare
headings, and the signature and date are not commitments. Outcomes are the summary's sentences; a
long one is cut at ；so each quote says one thing.
"""

from __future__ import annotations

import hashlib
import re

from followup.models import Commitment, Document, Segment
from followup.normalize import fold
from followup.rules import Rules
from followup.segments import clauses

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


def extract_commitments(segments: list[Segment], year: int, series: str, rules: Rules) -> list[Commitment]:
    """The commitments among a plan section's sentences (``segment_section``)."""
    skip = len(preamble(segments))
    seen: dict[str, int] = {}
    commitments: list[Commitment] = []
    for seg in segments[skip:]:
        if seg.is_heading_sentence or _content_chars(seg.text) < MIN_SENTENCE_CHARS or rules.ignored_sentence(seg.text):
            continue
        actions = [seg.text] if seg.is_table_row else clauses(seg.text)
        commitments.append(
            Commitment(
                id=commitment_id(year, series, seg.text, seen), section=section_label(seg.path),
                path=seg.path, text=seg.text, line=seg.line, actions=actions,
            )
        )
    return commitments


def extract_outcomes(segments: list[Segment], doc: Document, rules: Rules) -> list[Segment]:
    """The outcome statements among a summary section's sentences (``segment_section``) of ``doc``."""
    outcomes: list[Segment] = []
    for seg in segments:
        if seg.is_heading_sentence or _content_chars(seg.text) < MIN_SENTENCE_CHARS or rules.ignored_sentence(seg.text):
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
