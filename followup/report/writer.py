"""From results to files: pages rendered from view models, exports, all written atomically.

Templates and assets are package data (``followup/report/templates``), read with importlib.resources;
jinja2 escapes every piece of document text (autoescape) and fails on a missing value
(StrictUndefined). CSS and JS are inlined so each page works offline and can be mailed as one file.
Files go into a temporary folder beside the target, which is then moved into place: an interrupted
run never leaves a half-written report over a good one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape

from followup.errors import ReportError, UsageError
from followup.models import AuditResult, DiffResult
from followup.report.exports import to_csv, to_xlsx
from followup.report.views import all_view, audit_views, diff_view, pair_summary
from followup.version import GENERATOR, REPORT_MANIFEST, __version__

FORMATS = ("html", "json", "csv", "xlsx")


def _template_text(name: str) -> str:
    return resources.files("followup.report").joinpath("templates", name).read_text(encoding="utf-8")


def _environment() -> Environment:
    env = Environment(
        loader=FunctionLoader(_template_text), autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    env.globals.update(css=_template_text("report.css"), js=_template_text("report.js"), generator=GENERATOR)
    return env


def parse_formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"--format {text!r}: choose among {', '.join(FORMATS)} (comma-separated)")
    return chosen


def render_pages(result: AuditResult, lang: str = "zh") -> Iterator[tuple[str, str]]:
    """(file name, page) for index.html and one page per body, rendered one at a time."""
    env = _environment()
    overview, pages = audit_views(result, lang)
    yield "index.html", env.get_template("index.html").render(**overview)
    body = env.get_template("body.html")
    for page in pages:
        yield page["page"], body.render(**page)


def render_html(result: AuditResult, lang: str = "zh") -> str:
    """All pages of an audit in one string (for tests and previews)."""
    return "\n".join(page for _, page in render_pages(result, lang))


def write_report(result: AuditResult, out_dir: Path, lang: str = "zh", formats: tuple[str, ...] = FORMATS) -> Path:
    """Write ``<out>/<plan>-<summary>/`` atomically: pages, audit.json, audit.csv, audit.xlsx."""
    def files() -> Iterator[tuple[str, str | bytes]]:
        # Made one at a time and written as they come: a large audit's pages are never all in memory.
        if "html" in formats:
            yield from render_pages(result, lang)
        if "json" in formats:
            yield "audit.json", result.model_dump_json(indent=2) + "\n"
        if "csv" in formats:
            yield "audit.csv", to_csv(result, lang)
        if "xlsx" in formats:
            yield "audit.xlsx", to_xlsx(result, lang)
    return _write_folder(out_dir, f"{result.plan_year}-{result.summary_year}", files())


def write_all(results, out_dir: Path, lang: str = "zh", formats: tuple[str, ...] = FORMATS) -> tuple[Path, list[dict]]:
    """Every pair's report as it comes (``results`` may be a generator), then ``<out>/all/`` across them.

    Only a summary of each pair is kept for the overview, never all the results at once.
    """
    summary = []
    for result in results:
        write_report(result, out_dir, lang=lang, formats=formats)
        summary.append(pair_summary(result))
    files = [("all.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")]
    if "html" in formats:
        files.append(("index.html", _environment().get_template("all.html").render(**all_view(summary, lang))))
    return _write_folder(out_dir, "all", files), summary


def write_diff(result: DiffResult, out_dir: Path, lang: str = "zh") -> Path:
    """Write ``<out>/diff-<earlier>-<later>/{diff.json,index.html}`` atomically; return the folder."""
    html = _environment().get_template("diff.html").render(**diff_view(result, lang))
    return _write_folder(out_dir, f"diff-{result.earlier_year}-{result.later_year}", [
        ("diff.json", result.model_dump_json(indent=2) + "\n"), ("index.html", html),
    ])


def _write_folder(out_dir: Path, name: str, files: Iterable[tuple[str, str | bytes]]) -> Path:
    target = out_dir / name
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=out_dir))
        staging.chmod(0o755)  # mkdtemp makes it private; a report is meant to be shared
        written = []
        for filename, content in files:
            path = staging / filename
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            written.append(filename)
        # The folder's mark: followup never reads it back as a corpus, and replaces only folders so marked.
        manifest = {"generator": "followup", "version": __version__, "files": sorted(written)}
        (staging / REPORT_MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{name}-old-", dir=out_dir))
            os.replace(target, old / name)
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise ReportError(f"{target}: cannot write the report ({exc.strerror or exc})") from None
    return target
