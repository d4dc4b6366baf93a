"""The Python API (re-exported by ``followup``): a few calls over the pipeline, as the CLI makes them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path

from followup.corpus import Corpus
from followup.corpus import load_corpus as _load_corpus
from followup.models import AuditResult, DiffResult
from followup.pipeline import run_all, run_audit, run_diff
from followup.report import writer
from followup.report.writer import Written
from followup.rules import Rules
from followup.rules import load_rules as _load_rules


def load_rules(folder: str | Path | None = None) -> Rules:
    """The rules followup ships, with the rules of ``folder`` on top (an entry of the same name wins).

    Raises ``RulesError`` (one line per problem: file, line, key) when a file is invalid.
    """
    return _load_rules(Path(folder) if folder is not None else None)


def load_corpus(folder: str | Path, rules: Rules | None = None, *, exclude: Sequence[str | Path] = ()) -> Corpus:
    """Read and prepare every document under ``folder`` with ``rules`` (default: ``load_rules()``).

    Unreadable files become warnings (``corpus.warnings``); folders in ``exclude`` are not read.
    """
    return _load_corpus(Path(folder), rules, exclude=[Path(p) for p in exclude])


def _stamp(generated_at: datetime | None) -> str:
    moment = generated_at or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.replace(microsecond=0).isoformat()


def audit(corpus: Corpus, plan_year: int, summary_year: int | None = None, *,
          generated_at: datetime | None = None) -> AuditResult:
    """Every body's ``plan_year`` plan against its summary in the ``summary_year`` (default: next
    year's) documents. ``generated_at`` is the one time the report shows (default: now)."""
    return run_audit(corpus, plan_year, summary_year if summary_year is not None else plan_year + 1, _stamp(generated_at))


def audit_all(corpus: Corpus, *, generated_at: datetime | None = None) -> Iterator[AuditResult]:
    """The audit of every consecutive pair of years the corpus holds, one pair at a time."""
    return run_all(corpus, _stamp(generated_at))


def diff(corpus: Corpus, earlier: int, later: int, *, generated_at: datetime | None = None) -> DiffResult:
    """Year over year: plans of both years and the summaries before each, body by body."""
    return run_diff(corpus, earlier, later, _stamp(generated_at))


def write_report(result: AuditResult, out: str | Path, *, formats: Sequence[str] = writer.FORMATS, lang: str = "zh",
                 protect: Sequence[str | Path] = ()) -> Written:
    """Write ``<out>/<plan>-<summary>/`` (pages, audit.json, audit.csv, audit.xlsx).

    Returns what was written (``.folder``, ``.files``, and ``.problems``: formats that could not be
    written while the others were). Raises ``UsageError`` when the folder exists and followup did not
    write it, or is or holds a ``protect`` folder; ``ReportError`` when nothing could be written.
    """
    return writer.write_report(result, Path(out), lang=lang, formats=tuple(formats), protect=[Path(p) for p in protect])


def write_diff(result: DiffResult, out: str | Path, *, lang: str = "zh", protect: Sequence[str | Path] = ()) -> Written:
    """Write ``<out>/diff-<earlier>-<later>/`` (index.html, diff.json), as ``write_report`` does."""
    return writer.write_diff(result, Path(out), lang=lang, protect=[Path(p) for p in protect])
