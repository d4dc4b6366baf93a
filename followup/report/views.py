"""View models: everything a page shows, as plain values, prepared from the analysis results.

Templates only read these dicts; they never reach into the analysis objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from followup.models import STATUSES, AuditResult, CommitmentAudit, DiffResult, Evidence, FigureCheck, Warning
from followup.normalize import fold
from followup.report.messages import catalogue, say, say_all

_WORDISH = re.compile(r"[\w\u4e00-\u9fff]")
FLAG_ORDER = ("carried_over", "perennial", "dropped", "echo", "rate_mismatch", "partial_period", "reviewed")
BAR_WIDTH = 240


def body_page(index: int) -> str:
    return f"body-{index:02d}.html"


def highlight(quote: str, against: str) -> list[dict]:
    """The quote cut into pieces, marking every character that belongs to a two-character stretch of
    words (not punctuation) that ``against`` also holds."""
    a, b = fold(quote), fold(against)
    shared = {b[i : i + 2] for i in range(len(b) - 1)}
    marked = [False] * len(quote)
    for i in range(len(a) - 1):
        pair = a[i : i + 2]
        if pair in shared and _WORDISH.match(pair[0]) and _WORDISH.match(pair[1]):
            marked[i] = marked[i + 1] = True
    pieces: list[dict] = []
    for ch, mark in zip(quote, marked):
        if pieces and pieces[-1]["mark"] == mark:
            pieces[-1]["text"] += ch
        else:
            pieces.append({"text": ch, "mark": mark})
    return pieces


def stacked_bar(counts: dict[str, int], t: dict[str, str], width: int = BAR_WIDTH) -> dict:
    """Rectangles of an inline SVG bar, one per verdict, widths proportional to the counts."""
    total = sum(counts.get(s, 0) for s in STATUSES)
    x = 0.0
    rects = []
    for s in STATUSES:
        n = counts.get(s, 0)
        if not n:
            continue
        w = width * n / total
        rects.append({"status": s, "x": f"{x:.1f}", "w": f"{w:.1f}", "n": n, "label": t[f"status.{s}"]})
        x += w
    return {"width": width, "rects": rects, "title": "，".join(f"{r['label']} {r['n']}" for r in rects)}


def _evidence(e: Evidence, t: dict[str, str], against: str = "") -> dict:
    return {
        "text": e.text, "pieces": highlight(e.text, against) if against else [{"text": e.text, "mark": False}],
        "document": e.document, "line": e.line, "score": f"{e.score:.0%}", "action": e.action,
        "verb": t.get(f"verb.{e.verb}", "") if e.verb else "", "echo": e.echo,
    }


def _figure(check: FigureCheck, lang: str) -> dict:
    other = check.actual or check.baseline
    pct = min(check.completion, 1.0) * 100 if check.completion is not None else None
    return {
        "metric": check.target.metric, "target": check.target.raw, "qualifier": check.target.qualifier,
        "kind": check.target.kind, "actual": other.raw if other else "", "is_baseline": check.actual is None and other is not None,
        "period": other.period if other else "", "completion": f"{check.completion:.1%}" if check.completion is not None else "",
        "bar": f"{pct:.0f}" if pct is not None else "", "status": check.status, "note": say(check.note, lang) if check.note else "",
        "printed_rate": check.printed_rate, "rate_agrees": check.rate_agrees,
    }


def card(c: CommitmentAudit, plan_document: str, t: dict[str, str], lang: str = "zh") -> dict:
    covered = set(c.covered_actions)
    return {
        "id": c.id, "status": c.status, "status_label": t[f"status.{c.status}"],
        "confidence": f"{c.confidence:.0%}" if c.confidence is not None else "", "text": c.text, "line": c.line, "document": plan_document,
        "actions": [{"text": a, "covered": a in covered} for a in c.actions],
        "evidence": [_evidence(e, t, c.text) for e in c.evidence],
        "flags": [{"key": f, "label": t.get(f"flag.{f}", f)} for f in c.flags],
        "flag_keys": " ".join(c.flags), "rules": c.rules, "reason": say_all(c.reasons, lang),
        "search": None if c.search is None else {
            "document": c.search.summary_document, "section": c.search.summary_section,
            "count": c.search.outcomes_searched, "terms": "；".join(c.search.terms),
        },
        "candidates": [dict(_evidence(e, t, c.text), below=e.below_threshold) for e in c.candidates],
        "figures": [_figure(f, lang) for f in c.figures],
        "carried_over": [_evidence(e, t, c.text) for e in c.carried_over],
        "review": None if c.review is None else {
            "tool_status": t[f"status.{c.review.tool_status}"], "note": c.review.note,
            "reviewer": c.review.reviewer, "date": c.review.date, "rule": c.review.rule,
        },
        "search_text": (c.text + " " + " ".join(e.text for e in c.evidence)).lower(),
    }


def _run(result, t: dict[str, str]) -> dict:
    return {"generated_at": result.generated_at, "tool_version": result.tool_version, "corpus": result.corpus,
            "rules": result.rules, "format_version": result.format_version}


def audit_views(result: AuditResult, lang: str = "zh") -> tuple[dict, Iterator[dict]]:
    """The overview page's view, and the body pages' views one at a time (a generator: a large audit's
    cards are never all in memory at once)."""
    t = catalogue(lang)
    rows = [_body_row(i, audit, t) for i, audit in enumerate(result.audits, start=1)]
    totals = {s: sum(audit.counts.get(s, 0) for audit in result.audits) for s in STATUSES}
    overview = {
        "t": t, "lang": lang, "title": f"{t['title']} {result.plan_year}→{result.summary_year}",
        "plan_year": result.plan_year, "summary_year": result.summary_year, "run": _run(result, t),
        "totals": [{"status": s, "label": t[f"status.{s}"], "n": totals[s]} for s in STATUSES],
        "rows": rows, "warnings": [{"document": w.document, "message": say(w, lang)} for w in result.warnings],
        "page": "index.html",
    }
    return overview, (_body_view(result, audit, row, t, lang) for audit, row in zip(result.audits, rows))


def _body_row(i: int, audit, t: dict[str, str]) -> dict:
    return {
        "page": body_page(i), "name": audit.body, "plan_document": audit.plan_document,
        "plan_section": audit.plan_section, "summary_document": audit.summary_document or "",
        "summary_section": audit.summary_section or "",
        "counts": [{"status": s, "label": t[f"status.{s}"], "n": audit.counts.get(s, 0)} for s in STATUSES],
        "carried": sum("carried_over" in c.flags for c in audit.commitments), "total": len(audit.commitments),
        "bar": stacked_bar(audit.counts, t),
    }


def _body_view(result: AuditResult, audit, row: dict, t: dict[str, str], lang: str) -> dict:
    sections: list[dict] = []
    for c in audit.commitments:
        if not sections or sections[-1]["name"] != c.section:
            sections.append({"name": c.section, "cards": [], "counts": {s: 0 for s in STATUSES}})
        sections[-1]["cards"].append(card(c, audit.plan_document, t, lang))
        sections[-1]["counts"][c.status] += 1
    for n, section in enumerate(sections, start=1):
        section["anchor"] = f"s{n}"
        section["bar"] = stacked_bar(section["counts"], t, width=160)
    flags_present = [f for f in FLAG_ORDER if any(f in c.flags for c in audit.commitments)]
    return {
        "t": t, "lang": lang, "title": f"{audit.body} · {result.plan_year}→{result.summary_year}",
        "plan_year": result.plan_year, "summary_year": result.summary_year, "run": _run(result, t),
        "body": row, "sections": sections, "page": row["page"],
        "filters": [{"key": s, "label": t[f"status.{s}"], "kind": "status"} for s in STATUSES if audit.counts.get(s)]
        + [{"key": f, "label": t.get(f"flag.{f}", f), "kind": "flag"} for f in flags_present],
    }


def diff_view(result: DiffResult, lang: str = "zh") -> dict:
    t = catalogue(lang)

    def spans(pair) -> list[dict]:
        return [{"op": {-1: "del", 0: "same", 1: "ins"}[s.op], "text": s.text} for s in pair.diff]

    def pair(p) -> dict:
        return {"earlier": _evidence(p.earlier, t), "later": _evidence(p.later, t), "diff": spans(p), "shared": p.shared}

    bodies = []
    for i, b in enumerate(result.bodies, start=1):
        docs = ((f"{result.earlier_year} {t['plan']}", b.earlier_plan), (f"{result.later_year} {t['plan']}", b.later_plan),
                (f"{result.earlier_year - 1} {t['summary']}", b.earlier_summary),
                (f"{result.later_year - 1} {t['summary']}", b.later_summary))
        bodies.append({
            "anchor": f"body-{i}", "name": b.body, "missing": [say(m, lang) for m in b.missing],
            "docs": [{"label": label, "document": doc} for label, doc in docs if doc],
            "carried": [pair(p) for p in b.carried_over], "recycled": [pair(p) for p in b.recycled],
            "new": [_evidence(e, t) for e in b.new], "dropped": [_evidence(e, t) for e in b.dropped],
            "lowered": [{"metric": x.metric, "earlier": x.earlier.raw, "later": x.later.raw, "reason": say(x.reason, lang),
                         "line": x.later.line, "document": x.later.document} for x in b.lowered],
            "drift": [{"kind": d.kind, "message": say(d.message, lang), "earlier": d.earlier.quote, "later": d.later.quote,
                       "earlier_doc": d.earlier.document, "later_doc": d.later.document,
                       "earlier_line": d.earlier.line, "later_line": d.later.line} for d in b.drift],
            "counts": {k: len(v) for k, v in (("carried", b.carried_over), ("new", b.new), ("dropped", b.dropped),
                                              ("lowered", b.lowered), ("recycled", b.recycled), ("drift", b.drift))},
        })
    return {
        "t": t, "lang": lang, "title": f"{t['diff.title']} {result.earlier_year}→{result.later_year}",
        "earlier_year": result.earlier_year, "later_year": result.later_year, "run": _run(result, t),
        "bodies": bodies, "warnings": [{"document": w.document, "message": say(w, lang)} for w in result.warnings],
        "page": "index.html",
    }


def pair_summary(result: AuditResult) -> dict:
    """What the cross-year overview needs of one pair's audit (also all.json's shape)."""
    return {
        "plan_year": result.plan_year, "summary_year": result.summary_year, "generated_at": result.generated_at,
        "tool_version": result.tool_version, "format_version": result.format_version, "corpus": result.corpus,
        "rules": result.rules,
        "warnings": [{"document": w.document, "code": w.code, "args": w.args, "message": say(w, "en")} for w in result.warnings],
        "bodies": [{"body": a.body, "page": body_page(i), "counts": a.counts,
                    "carried_over": sum("carried_over" in c.flags for c in a.commitments),
                    "perennial": sum("perennial" in c.flags for c in a.commitments)}
                   for i, a in enumerate(result.audits, start=1)],
    }


def all_view(summaries: list[dict], lang: str = "zh") -> dict:
    """One row per body, one column per pair of years: verdict counts and carried-over promises."""
    t = catalogue(lang)
    pairs = [f"{s['plan_year']}-{s['summary_year']}" for s in summaries]
    bodies = sorted({b["body"] for s in summaries for b in s["bodies"]})
    rows = []
    for body in bodies:
        cells = []
        for summary, pair in zip(summaries, pairs):
            entry = next((b for b in summary["bodies"] if b["body"] == body), None)
            if entry is None:
                cells.append(None)
                continue
            cells.append({
                "href": f"../{pair}/{entry['page']}", "bar": stacked_bar(entry["counts"], t, width=120),
                "counts": [{"status": s, "label": t[f"status.{s}"], "n": entry["counts"].get(s, 0)} for s in STATUSES],
                "carried": entry["carried_over"], "perennial": entry["perennial"],
            })
        rows.append({"name": body, "cells": cells})
    first = summaries[0] if summaries else {"generated_at": "", "tool_version": "", "corpus": "", "rules": [], "format_version": ""}
    run = {k: first[k] for k in ("generated_at", "tool_version", "corpus", "rules", "format_version")}
    warnings = {(w["document"], say(Warning.model_validate({k: w[k] for k in ("document", "code", "args")}), lang))
                for s in summaries for w in s["warnings"]}
    return {"t": t, "lang": lang, "title": f"{t['title']} · {t['all_years']}", "run": run, "page": "index.html",
            "pairs": [{"label": p.replace("-", "→"), "href": f"../{p}/index.html"} for p in pairs], "rows": rows,
            "warnings": [{"document": d, "message": m} for d, m in sorted(warnings)]}
