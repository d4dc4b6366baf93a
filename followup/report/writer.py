"""From an ``AuditResult`` to files on disk.

The page is rendered from a prepared view model (plain dicts and strings), never by templates
reaching into the analysis objects; jinja2 escapes every piece of document text. Files are written
into a temporary folder beside the target and moved into place, so an interrupted run never leaves
a half-written report over a good one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from jinja2 import Environment, StrictUndefined, select_autoescape

from followup.errors import ReportError
from followup.models import AuditResult, CommitmentAudit, DiffResult, Evidence
from followup.report.messages import catalogue

STATUS_ORDER = ("met", "partial", "silent", "pending")


def _template_text(name: str) -> str:
    return resources.files("followup.report").joinpath("templates", name).read_text(encoding="utf-8")


def _environment() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True), undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    return env


def _evidence_view(e: Evidence, t: dict[str, str]) -> dict:
    return {
        "text": e.text, "document": e.document, "line": e.line, "score": f"{e.score:.0%}",
        "action": e.action, "verb": t.get(f"verb.{e.verb}", "") if e.verb else "", "echo": e.echo,
    }


def _card(c: CommitmentAudit, plan_document: str, t: dict[str, str]) -> dict:
    covered = set(c.covered_actions)
    return {
        "id": c.id, "status": c.status, "status_label": t[f"status.{c.status}"],
        "confidence": f"{c.confidence:.0%}", "text": c.text, "line": c.line, "document": plan_document,
        "actions": [{"text": a, "covered": a in covered} for a in c.actions],
        "evidence": [_evidence_view(e, t) for e in c.evidence],
        "flags": [{"key": f, "label": t.get(f"flag.{f}", f)} for f in c.flags],
        "rules": c.rules, "reason": c.reason,
        "search": None if c.search is None else {
            "document": c.search.summary_document, "section": c.search.summary_section,
            "count": c.search.outcomes_searched,
        },
        "nearest_miss": None if c.nearest_miss is None else _evidence_view(c.nearest_miss, t),
        "figures": [_figure_view(f) for f in c.figures],
        "carried_over": [_evidence_view(e, t) for e in c.carried_over],
        "review": None if c.review is None else {
            "tool_status": t[f"status.{c.review.tool_status}"], "note": c.review.note,
            "reviewer": c.review.reviewer, "date": c.review.date, "rule": c.review.rule,
        },
    }


def _figure_view(check) -> dict:
    other = check.actual or check.baseline
    pct = min(check.completion, 1.0) * 100 if check.completion is not None else None
    return {
        "metric": check.target.metric, "target": check.target.raw, "qualifier": check.target.qualifier,
        "kind": check.target.kind, "actual": other.raw if other else "", "is_baseline": check.actual is None and other is not None,
        "period": other.period if other else "", "completion": f"{check.completion:.1%}" if check.completion is not None else "",
        "bar": f"{pct:.0f}" if pct is not None else "", "status": check.status, "note": check.note,
        "printed_rate": check.printed_rate, "rate_agrees": check.rate_agrees,
    }


def build_view(result: AuditResult, lang: str = "zh") -> dict:
    """Everything the page shows, as plain values."""
    t = catalogue(lang)
    totals = {s: 0 for s in STATUS_ORDER}
    bodies = []
    for i, audit in enumerate(result.audits, start=1):
        for s in STATUS_ORDER:
            totals[s] += audit.counts.get(s, 0)
        sections: list[dict] = []
        for c in audit.commitments:
            if not sections or sections[-1]["name"] != c.section:
                sections.append({"name": c.section, "cards": []})
            sections[-1]["cards"].append(_card(c, audit.plan_document, t))
        total = sum(audit.counts.values()) or 1
        bodies.append({
            "anchor": f"body-{i}", "name": audit.body, "plan_document": audit.plan_document,
            "plan_section": audit.plan_section, "summary_document": audit.summary_document or "",
            "summary_section": audit.summary_section or "",
            "counts": [{"status": s, "label": t[f"status.{s}"], "n": audit.counts.get(s, 0),
                        "pct": f"{100 * audit.counts.get(s, 0) / total:.1f}"} for s in STATUS_ORDER],
            "sections": sections,
        })
    return {
        "t": t, "lang": lang, "plan_year": result.plan_year, "summary_year": result.summary_year,
        "generated_at": result.generated_at, "tool_version": result.tool_version,
        "format_version": result.format_version, "corpus": result.corpus, "rules": result.rules,
        "totals": [{"status": s, "label": t[f"status.{s}"], "n": totals[s]} for s in STATUS_ORDER],
        "bodies": bodies,
        "warnings": [{"document": w.document, "message": w.message} for w in result.warnings],
        "css": _template_text("report.css"), "js": _template_text("report.js"),
    }


def render_html(result: AuditResult, lang: str = "zh") -> str:
    env = _environment()
    return env.from_string(_template_text("index.html")).render(**build_view(result, lang))


def write_report(result: AuditResult, out_dir: Path, lang: str = "zh") -> Path:
    """Write ``<out>/<plan>-<summary>/{audit.json,index.html}`` atomically; return the folder."""
    return _write_folder(out_dir, f"{result.plan_year}-{result.summary_year}", {
        "audit.json": result.model_dump_json(indent=2) + "\n",
        "index.html": render_html(result, lang),
    })


def _diff_html(spans) -> list[dict]:
    return [{"op": {-1: "del", 0: "same", 1: "ins"}[s.op], "text": s.text} for s in spans]


def build_diff_view(result: DiffResult, lang: str = "zh") -> dict:
    t = catalogue(lang)

    def pair(p):
        return {"earlier": _evidence_view(p.earlier, t), "later": _evidence_view(p.later, t),
                "diff": _diff_html(p.diff), "shared": p.shared}

    bodies = []
    for i, b in enumerate(result.bodies, start=1):
        bodies.append({
            "anchor": f"body-{i}", "name": b.body, "missing": b.missing,
            "docs": [(label, doc) for label, doc in ((f"{result.earlier_year} {t['plan']}", b.earlier_plan),
                                                       (f"{result.later_year} {t['plan']}", b.later_plan),
                                                       (f"{result.earlier_year - 1} {t['summary']}", b.earlier_summary),
                                                       (f"{result.later_year - 1} {t['summary']}", b.later_summary)) if doc],
            "carried": [pair(p) for p in b.carried_over], "recycled": [pair(p) for p in b.recycled],
            "new": [_evidence_view(e, t) for e in b.new], "dropped": [_evidence_view(e, t) for e in b.dropped],
            "lowered": [{"metric": l.metric, "earlier": l.earlier.raw, "later": l.later.raw, "reason": l.reason,
                         "quote": l.later.quote, "line": l.later.line, "document": l.later.document} for l in b.lowered],
            "drift": [{"kind": d.kind, "message": d.message, "earlier": d.earlier.quote, "later": d.later.quote,
                       "earlier_doc": d.earlier.document, "later_doc": d.later.document,
                       "earlier_line": d.earlier.line, "later_line": d.later.line} for d in b.drift],
            "counts": {k: len(v) for k, v in (("carried", b.carried_over), ("new", b.new), ("dropped", b.dropped),
                                              ("lowered", b.lowered), ("recycled", b.recycled), ("drift", b.drift))},
        })
    return {"t": t, "lang": lang, "earlier_year": result.earlier_year, "later_year": result.later_year,
            "generated_at": result.generated_at, "tool_version": result.tool_version, "corpus": result.corpus,
            "rules": result.rules, "bodies": bodies,
            "warnings": [{"document": w.document, "message": w.message} for w in result.warnings],
            "css": _template_text("report.css")}


def write_diff(result: DiffResult, out_dir: Path, lang: str = "zh") -> Path:
    """Write ``<out>/diff-<earlier>-<later>/{diff.json,index.html}`` atomically; return the folder."""
    html = _environment().from_string(_template_text("diff.html")).render(**build_diff_view(result, lang))
    return _write_folder(out_dir, f"diff-{result.earlier_year}-{result.later_year}", {
        "diff.json": result.model_dump_json(indent=2) + "\n", "index.html": html,
    })


def _write_folder(out_dir: Path, name: str, files: dict[str, str]) -> Path:
    target = out_dir / name
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=out_dir))
        staging.chmod(0o755)  # mkdtemp makes it private; a report is meant to be shared
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=out_dir))
            os.replace(target, old / target.name)
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise ReportError(f"{target}: cannot write the report ({exc.strerror or exc})") from None
    return target
