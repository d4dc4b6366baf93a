"""View models: everything a page shows, as plain values, prepared from the analysis results.

Templates only read these dicts; they never reach into the analysis objects, and they hold no word of
their own: every label comes from the catalogue of the page's language (``t``), and every phrase that
mixes words with values is a list of *pieces* made here from a catalogue template and its arguments.
A piece is ``{"text", "kind"}``; the kind says what the text is, so the page can mark it and a test can
tell the catalogue's words from the documents' (a Chinese quote on an English page is right, a Chinese
label is a leak):

- ``""``: words of the catalogue, in the page's language;
- ``"doc"``: text of a document (a quote, a body's or a section's name, a figure as written), shown
  with ``lang="zh"``;
- ``"file"``: a file name; ``"code"``: an id, a rule, a threshold's name, shown as written;
- ``"data"``: a value that is neither (a score, an encoding, an error of a parser);
- ``"mark"``: document text shared with the commitment (highlighted).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from followup.models import STATUSES, AuditResult, CommitmentAudit, DiffResult, Evidence, FigureCheck, Note, Warning
from followup.normalize import fold
from followup.verdicts import CANDIDATES
from followup.report.messages import _WORDED, catalogue, parse_template, say
from followup.words import tokenizer

_WORD = re.compile(r"[\w\u4e00-\u9fff]{2,}")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
FLAG_ORDER = ("carried_over", "perennial", "dropped", "echo", "rate_mismatch", "partial_period", "five_year", "reviewed",
              "now_agrees")
DIFF_PARTS = ("carried", "new", "dropped", "lowered", "recycled", "drift")  # the table's columns
DIFF_ORDER = ("drift", "lowered", "recycled", "dropped", "carried", "new")  # a body's parts, most telling first
BAR_WIDTH = 240


# -- pieces ----------------------------------------------------------------------------------------


class Doc(str):
    """An argument that is document text (a quote, a name, a heading): shown in the documents' language."""


class File(str):
    """An argument that is a file name."""


class Code(str):
    """An argument that is a code: an id, a rule, the name of a threshold."""


def _kind(value) -> str:
    if isinstance(value, Doc):
        return "doc"
    if isinstance(value, File):
        return "file"
    if isinstance(value, Code):
        return "code"
    return ""


def words(template: str, **args) -> list[dict]:
    """A catalogue template filled with its arguments, as pieces.

    An argument is a plain value (worded as the catalogue's own words), a ``Doc``, ``File`` or ``Code``
    (marked as such), or a list of pieces (a phrase made elsewhere, kept as it is)."""
    out: list[dict] = []
    for literal, field, spec, _ in parse_template(template):
        if literal:
            out.append({"text": literal, "kind": ""})
        if field is None:
            continue
        value = args[field]
        if isinstance(value, list):
            out.extend(value)
        elif value is not None and value != "":
            out.append({"text": format(value, spec) if spec else str(value), "kind": _kind(value)})
    return out


def plain(pieces: Iterable[dict]) -> str:
    """The text of pieces (a page's title, an attribute: places that hold no markup)."""
    return "".join(p["text"] for p in pieces)


_OPEN, _CLOSE = "\ue000", "\ue001"  # private use: never in a document (see followup/tokendiff.py)
_ARGUMENT = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.S)


def said(note: Note | Warning, lang: str) -> list[dict]:
    """A note worded by ``say`` in ``lang``, as pieces: its arguments (document text, file names, figures)
    marked apart from the catalogue's words.

    Each argument goes through ``say`` wrapped in two private-use characters, so the wording is exactly
    ``say``'s and only the places of the arguments are learnt. Arguments that ``say`` itself words (a kind,
    a period, a verdict) are catalogue words and stay unwrapped — unless the catalogue has no word for
    them (a period as a document writes it, 截至2024年底, is the document's text)."""
    t = catalogue(lang)

    def worded(key: str, value: str) -> bool:
        return key in _WORDED and f"{key.replace('tool_', '')}.{value}" in t

    args = {k: (f"{_OPEN}{v}{_CLOSE}" if isinstance(v, str) and v and not worded(k, v) else v) for k, v in note.args.items()}
    text = say(note.model_copy(update={"args": args}), lang)
    out: list[dict] = []
    pos = 0
    for m in _ARGUMENT.finditer(text):
        if m.start() > pos:
            out.append({"text": text[pos : m.start()], "kind": ""})
        out.append({"text": m.group(1), "kind": "doc" if _CJK.search(m.group(1)) else "data"})
        pos = m.end()
    if pos < len(text):
        out.append({"text": text[pos:], "kind": ""})
    return out


def said_all(notes: Iterable[Note], lang: str) -> list[dict]:
    """Several notes as one sentence (a verdict's reasons), as pieces."""
    sep = catalogue(lang)["sep"]
    out: list[dict] = []
    for n, note in enumerate(notes):
        if n:
            out.append({"text": sep, "kind": ""})
        out.extend(said(note, lang))
    return out


# -- values ----------------------------------------------------------------------------------------


def body_page(index: int) -> str:
    return f"body-{index:02d}.html"


def body_anchor(name: str) -> str:
    """The anchor of a body's part of the diff page: the same on every page that links to it, and plain
    ASCII whatever the body's name holds."""
    return "b-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def percent(n: int, total: int) -> str:
    """A share beside a count: whole percents, and never "0%" for a count that is not zero."""
    if not total:
        return ""
    share = n / total
    if 0 < share < 0.005:
        return "<1%"
    return f"{share:.0%}"


try:  # Asia/Shanghai has kept UTC+8 without summer time since 1992; the fixed offset stands in where
    from zoneinfo import ZoneInfo  # the system has no time-zone data (Windows without tzdata)

    _SHANGHAI = ZoneInfo("Asia/Shanghai")
except Exception:  # noqa: BLE001 - any failure to load the zone falls back to the offset
    _SHANGHAI = timezone(timedelta(hours=8))


def local_time(stamp: str) -> str:
    """The run's time (UTC ISO text, as audit.json holds it) in Asia/Shanghai, where the documents'
    readers are; text that is not a time is shown as it is."""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(_SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


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
    return {"width": width, "rects": rects,
            "title": t["list_sep"].join(f"{r['label']} {r['n']} ({percent(r['n'], total)})" for r in rects)}


def _counts(counts: dict[str, int], t: dict[str, str]) -> list[dict]:
    total = sum(counts.get(s, 0) for s in STATUSES)
    return [{"status": s, "label": t[f"status.{s}"], "n": counts.get(s, 0), "pct": percent(counts.get(s, 0), total)}
            for s in STATUSES]


# -- highlighting ----------------------------------------------------------------------------------

_FIGURE = re.compile(r"\d+(?:[.,]\d+)*%?")


class Words:
    """Words of the texts of one report, cut by jieba with the matcher's own tokenizer (``followup.words``):
    a page marks the words the matcher read, and the dictionary is built once per process, not per report."""

    def __init__(self):
        # A quote is shown on many cards (as evidence and candidate, for neighbouring commitments);
        # cutting is the slow part of a page, so recent cuts are kept (bounded: a corpus is large).
        self.spans = lru_cache(maxsize=1024)(self._spans)
        self.highlight = lru_cache(maxsize=1024)(self._highlight)

    def _spans(self, text: str) -> tuple[tuple[int, int, bool], ...]:
        """(start, end, is_figure) of each word of ``text`` (folded): a figure is whole (115.5%), never cut."""
        out: list[tuple[int, int, bool]] = []
        pos = 0
        for m in [*_FIGURE.finditer(text), None]:
            gap_end = m.start() if m else len(text)
            if gap_end > pos:
                at = pos
                for word in tokenizer().cut(text[pos:gap_end], HMM=False):
                    out.append((at, at + len(word), False))
                    at += len(word)
            if m:
                out.append((m.start(), m.end(), True))
                pos = m.end()
        return tuple(out)

    def _highlight(self, quote: str, against: str, counted: tuple[str, ...] = ()) -> list[dict]:
        """The quote as pieces, marking each whole word or whole figure it shares with ``against``:
        a word of two or more characters that ``against`` holds, a figure that ``against`` holds as a
        figure ("11" is never marked inside "115.5%"). When the match says which words it counted
        (``counted``, ``Evidence.words``), only those are marked, as the quote writes them: never a verb
        or a stop word the matcher set aside."""
        q, a = fold(quote), fold(against)
        figures = {m.group() for m in _FIGURE.finditer(a)}
        counted = tuple(fold(c) for c in counted)
        pieces: list[dict] = []
        for start, end, fig in self.spans(q):
            word = q[start:end]
            if fig:
                shared = word in figures
            elif counted:
                shared = _WORD.fullmatch(word) is not None and any(c in word or word in c for c in counted)
            else:
                shared = _WORD.fullmatch(word) is not None and word in a
            kind = "mark" if shared else "doc"
            if pieces and pieces[-1]["kind"] == kind:
                pieces[-1]["text"] += quote[start:end]
            else:
                pieces.append({"text": quote[start:end], "kind": kind})
        return pieces


# -- the audit pages -------------------------------------------------------------------------------


def _loc(document: str, line: int, t: dict[str, str]) -> list[dict]:
    return words(t["loc"], document=File(document), line=line)


_AFTER_ECHO = re.compile(r"^\(result given after the echo of: (.*)\)$", re.S)


def _answers(action: str, t: dict[str, str]) -> list[dict]:
    """What a quote answers. The analysis names a result given after an echo in English (verdicts.py);
    until it says so with a flag, the view words it from the catalogue."""
    m = _AFTER_ECHO.match(action)
    if m:
        return words(t["evidence.after_echo"], action=Doc(m.group(1)))
    return words(t["evidence.answers"], action=Doc(action)) if action else []


def _evidence(e: Evidence, t: dict[str, str], against: str = "", words_: Words | None = None) -> dict:
    return {
        "text": e.text,
        "pieces": words_.highlight(e.text, against, tuple(e.words)) if against and words_ else [{"text": e.text, "kind": "doc"}],
        "document": e.document, "line": e.line, "loc": _loc(e.document, e.line, t), "score": f"{e.score:.0%}",
        "answers": _answers(e.action, t), "verb": t.get(f"verb.{e.verb}", "") if e.verb else "", "echo": e.echo,
        "below": e.below_threshold, "five_year": e.five_year, "estimate": e.estimate,
    }


def _figure(check: FigureCheck, t: dict[str, str], lang: str) -> dict:
    other = check.actual or check.baseline
    pct = min(check.completion, 1.0) * 100 if check.completion is not None else None
    return {
        "metric": check.target.metric, "target": check.target.raw, "qualifier": check.target.qualifier,
        "actual": other.raw if other else "", "is_baseline": check.actual is None and other is not None,
        "period": other.period if other else "", "completion": f"{check.completion:.1%}" if check.completion is not None else "",
        "bar": f"{pct:.0f}" if pct is not None else "", "status": check.status,
        "status_label": t.get(f"fig.status.{check.status}", ""),
        "note": said(check.note, lang) if check.note else [],
        "printed_rate": check.printed_rate, "rate_agrees": check.rate_agrees,
    }


def _counted(c: CommitmentAudit, t: dict[str, str]) -> list[dict]:
    """Why the reason counts fewer actions than the card lists ("2 of 4" above six actions): the verdict
    counts the deliverables only, short clauses and purpose clauses aside."""
    counted = [n.args.get("of") for n in c.reasons if n.code in ("actions_answered", "answered_with_result")]
    if counted and isinstance(counted[0], int) and counted[0] != len(c.actions):
        return words(t["actions.counted"], listed=len(c.actions), of=counted[0])
    return []


def card(c: CommitmentAudit, plan_document: str, t: dict[str, str], lang: str = "zh", words_: Words | None = None) -> dict:
    covered = set(c.covered_actions)
    evidence = [_evidence(e, t, c.text, words_) for e in c.evidence]
    quoted = {(e.document, e.line, e.text) for e in c.evidence}
    linked = any(r.startswith("links:") for r in c.rules)
    # The closest statements that are not already quoted as evidence (below-threshold ones included).
    candidates = [_evidence(e, t, c.text, words_) for e in c.candidates if (e.document, e.line, e.text) not in quoted]
    return {
        "id": c.id, "status": c.status, "status_label": t[f"status.{c.status}"],
        # A pending verdict is no judgement, so it has no confidence to show.
        "confidence": f"{c.confidence:.0%}" if c.confidence is not None and c.status != "pending" else "",
        "text": c.text, "line": c.line, "document": plan_document, "loc": _loc(plan_document, c.line, t),
        "actions": [{"text": a, "covered": a in covered} for a in c.actions],
        "actions_note": _counted(c, t),
        "evidence": evidence,
        "flags": [{"key": f, "label": t.get(f"flag.{f}", f), "title": t.get(f"legend.flag.{f}", "")} for f in c.flags],
        "flag_keys": " ".join(c.flags), "rules": c.rules,
        # A reviewed card says who reviewed it in its review line; the reason keeps the tool's own.
        "reason": said_all([n for n in c.reasons if n.code != "reviewed"] if c.review else c.reasons, lang),
        "search": None if c.search is None else {
            "where": words(t["searched.where"], document=File(c.search.summary_document),
                           section=Doc(c.search.summary_section), count=c.search.outcomes_searched),
            "terms": words(t["searched.terms"], terms=Doc("；".join(c.search.terms))),
        },
        "candidates": candidates,
        "candidates_label": t["candidates"] if not c.evidence else t["candidates.more"],
        # Fewer than three shown only when fewer sentences of the summary share a word with it: say so.
        "candidates_few": "" if c.status == "pending" or len(c.candidates) >= CANDIDATES
        else t["candidates.none"] if not c.candidates else t["candidates.few"].format(n=len(c.candidates)),
        "figures": [_figure(f, t, lang) for f in c.figures],
        "carried_over": [_evidence(e, t, c.text, words_) for e in c.carried_over],
        "review": None if c.review is None else words(
            t["review.line"], status=t[f"status.{c.review.status}"], reviewer=Doc(c.review.reviewer),
            date=c.review.date, note=Doc(c.review.note), tool_status=t[f"status.{c.review.tool_status}"],
            rule=Code(c.review.rule)),
        # The tool's own verdict beside the reviewer's (the badge shows the reviewer's).
        "tool_status": c.review.tool_status if c.review else "",
        "tool_badge": words(t["review.tool_badge"], status=t[f"status.{c.review.tool_status}"]) if c.review else [],
        # What the rules already hold of a reviewer's work on it: the page's review script restores
        # nothing of that from the browser (and offers no controls for a decision the rules hold).
        "reviewed": c.review is not None or linked,
        "held": " ".join(k for k, held in (("decision", c.review is not None), ("link", linked)) if held),
        "search_text": " ".join([c.id, c.text, *c.actions, *(e.text for e in c.evidence)]).lower(),
    }


def _run(run: dict, t: dict[str, str]) -> dict:
    """The run's line: corpus, rules, time (in Asia/Shanghai, labelled), versions."""
    return dict(run, generated_local=words(t["time.local"], time=local_time(run["generated_at"])))


def _run_of(result: AuditResult | DiffResult, t: dict[str, str]) -> dict:
    return _run({k: getattr(result, k) for k in ("generated_at", "tool_version", "corpus", "rules", "format_version")}, t)


def _legend(t: dict[str, str], kind: str) -> list[dict]:
    """What the page's marks mean: the verdicts, confidence, the flags, the candidates below threshold."""
    items = [{"term": t[f"status.{s}"], "status": s, "text": words(t[f"legend.status.{s}"])} for s in STATUSES]
    if kind == "body":
        items.append({"term": t["confidence"], "status": "", "text": words(t["legend.confidence"])})
        items.append({"term": t["score"], "status": "", "text": words(t["legend.score"])})
        items.append({"term": t["below_threshold"], "status": "", "text": words(t["legend.below"], threshold=Code("action_match"))})
        items.append({"term": t["legend.mark.term"], "status": "mark", "text": words(t["legend.mark"])})
    if kind in ("body", "overview"):
        items += [{"term": t[f"flag.{f}"], "status": "flag", "text": words(t[f"legend.flag.{f}"])} for f in FLAG_ORDER]
        items.append({"term": t["legend.pct.term"], "status": "", "text": words(t["legend.pct"])})
    if kind == "overview":
        items.append({"term": t["legend.agreed.term"], "status": "", "text": words(t["legend.agreed"])})
    if kind == "diff":
        items = [{"term": t[f"diff.short.{k}"], "status": "", "text": words(t[f"legend.diff.{k}"])} for k in DIFF_PARTS]
        items += [{"term": t[f"drift.{k}"], "status": "flag", "text": words(t[f"legend.drift.{k}"])} for k in ("stale", "rate_mismatch")]
    if kind == "all":
        items += [{"term": t[f"flag.{f}"], "status": "flag", "text": words(t[f"legend.flag.{f}"])} for f in ("carried_over", "perennial")]
        items.append({"term": t["legend.pct.term"], "status": "", "text": words(t["legend.pct"])})
        items.append({"term": t["legend.agreed.term"], "status": "", "text": words(t["legend.agreed"])})
    return items


def _keys(t: dict[str, str], kind: str) -> list[dict]:
    """The keyboard shortcuts of a page (in the spirit of coverage.py's), for its help box. A body page's
    review keys act on the current card, the one j and k move to (review.js)."""
    keys = []
    if kind == "body":
        keys += [(("j",), "key.next"), (("k",), "key.prev"), (("1", "2", "3", "4"), "key.status"), (("0",), "key.all"),
                 (("/",), "key.search"), (("Esc",), "key.escape"), (("[", "]"), "key.pages"),
                 (("m", "p", "s"), "key.review.status"), (("c",), "key.review.confirm"), (("a",), "key.review.answer"),
                 (("n",), "key.review.note"), (("e",), "key.review.export")]
    if kind in ("body", "diff"):
        keys.append((("u",), "key.up"))
    keys.append((("?",), "key.help"))
    return [{"keys": list(k), "text": t[label]} for k, label in keys]


def _nav(t: dict[str, str], here: str, links: dict) -> list[dict]:
    """The links between the pages: up to the overview, the previous and next body, the diff page and the
    all-years overview when they sit beside this report; the page itself is shown, never linked."""
    items = []
    for key, label in (("overview", "nav.overview"), ("prev", "nav.prev"), ("next", "nav.next"),
                       ("diff", "nav.diff"), ("all", "nav.all")):
        if key == here:
            items.append({"label": words(t[label]), "href": "", "rel": "", "current": True})
        elif links.get(key):
            href, name = links[key] if isinstance(links[key], tuple) else (links[key], None)
            label_pieces = words(t[label + ".named"], name=Doc(name)) if name else words(t[label])
            items.append({"label": label_pieces, "href": href, "rel": {"prev": "prev", "next": "next", "overview": "up"}.get(key, ""),
                          "current": False, "key": key})
    return items


def audit_views(result: AuditResult, lang: str = "zh", links: dict | None = None) -> tuple[dict, Iterator[dict]]:
    """The overview page's view, and the body pages' views one at a time (a generator: a large audit's
    cards are never all in memory at once).

    ``links``: the pages beside this report, as the writer found them: ``diff`` (the diff page of the same
    years) and ``all`` (the all-years overview), each a path relative to this report's folder, or None."""
    t = catalogue(lang)
    links = dict(links or {})
    rows = [_body_row(i, audit, t) for i, audit in enumerate(result.audits, start=1)]
    totals = {s: sum(audit.counts.get(s, 0) for audit in result.audits) for s in STATUSES}
    commitments = sum(len(a.commitments) for a in result.audits)
    carried = sum(r["carried"] for r in rows)
    years = {"plan_year": result.plan_year, "summary_year": result.summary_year, "next_year": result.summary_year}
    overview = {
        "t": t, "lang": lang, "kind": "overview", "title": plain(words(t["title.audit"], **years)),
        "heading": words(t["heading.audit"], **years), "run": _run_of(result, t),
        "nav": _nav(t, "overview", {"diff": links.get("diff"), "all": links.get("all")}),
        "totals": _counts(totals, t), "total": commitments, "carried": carried, "carried_pct": percent(carried, commitments),
        "carried_note": words(t["carried.note"], **years),
        "rows": rows, "warnings": [_warning(w, t, lang) for w in result.warnings],
        "review": _review_overview(result, rows, t),
        "legend": _legend(t, "overview"), "keys": _keys(t, "overview"), "page": "index.html", "near": {},
        "print_header": _css_string(plain(words(t["title.audit"], **years))),
    }
    words_ = Words()

    def pages() -> Iterator[dict]:
        for n, (audit, row) in enumerate(zip(result.audits, rows)):
            near = {"overview": "index.html", "all": links.get("all"),
                    "prev": (rows[n - 1]["page"], rows[n - 1]["name"]) if n > 0 else None,
                    "next": (rows[n + 1]["page"], rows[n + 1]["name"]) if n + 1 < len(rows) else None,
                    "diff": f"{links['diff']}#{body_anchor(audit.body)}" if links.get("diff") else None}
            yield _body_view(result, audit, row, t, lang, near, words_)

    return overview, pages()


# -- the review loop ---------------------------------------------------------------------------------

# The words review.js needs, from the catalogue of the page's language (catalogue key review.ui.<name>).
REVIEW_WORDS = ("title", "reviewer", "reviewer_placeholder", "reviewer_prompt", "export", "keys", "tool_mark", "note",
                "note_placeholder", "link", "link_placeholder", "use_as_answer", "progress", "stored", "default_note",
                "nothing", "orphans", "exported", "file_header", "file_rerun", "file_entry")
REVIEW_STATUSES = ("met", "partial", "silent")  # what a reviewer may decide (a decisions rule's status)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')


def review_words(t: dict[str, str]) -> dict[str, str]:
    """The words of the review controls (review.js builds them; the page holds them as JSON)."""
    out = {name: t[f"review.ui.{name}"] for name in REVIEW_WORDS}
    out.update({f"status_{s}": t[f"status.{s}"] for s in REVIEW_STATUSES})
    return out


def review_file(body: str, plan_year: int, summary_year: int) -> str:
    """The stem of a body page's review export, safe as a file name on Windows, macOS and Linux:
    review-青浦区科委-2024-2025 (review.js adds the time of the export and .yaml)."""
    name = _UNSAFE.sub("_", body).strip("._")[:60] or "body"
    return f"review-{name}-{plan_year}-{summary_year}"


def agreement(summary: dict | None, total: int, t: dict[str, str]) -> dict | None:
    """A body's review summary (``ReviewSummary`` as audit.json and all.json hold it) as the overviews
    show it: reviewed (share of the body's commitments), agreed (share of those reviewed), and the same
    by the tool's verdict (工具判未提及：复核 9 条，同意 8 条). None when nothing was reviewed."""
    if not summary or not summary.get("reviewed"):
        return None
    n, agreed = summary["reviewed"], summary["agreed"]
    by = summary.get("by_verdict") or {}
    return {
        "reviewed": n, "reviewed_pct": percent(n, total), "agreed": agreed, "agreed_pct": percent(agreed, n),
        "cell": words(t["review.cell"], reviewed=n, agreed=agreed),
        "by_verdict": [{"status": s, "text": words(t["review.by_verdict"], status=t[f"status.{s}"],
                                                   reviewed=by[s]["reviewed"], agreed=by[s]["agreed"]),
                        "reviewed": by[s]["reviewed"], "agreed": by[s]["agreed"],
                        "pct": percent(by[s]["agreed"], by[s]["reviewed"])}
                       for s in STATUSES if s in by and by[s]["reviewed"]],
    }


def _add_summaries(summaries: Iterable[dict]) -> dict:
    total: dict = {"reviewed": 0, "agreed": 0, "by_verdict": {}}
    for summary in summaries:
        total["reviewed"] += summary["reviewed"]
        total["agreed"] += summary["agreed"]
        for status, v in summary["by_verdict"].items():
            into = total["by_verdict"].setdefault(status, {"reviewed": 0, "agreed": 0})
            into["reviewed"] += v["reviewed"]
            into["agreed"] += v["agreed"]
    return total


def _review_overview(result: AuditResult, rows: list[dict], t: dict[str, str]) -> dict:
    """The overview's agreement table (bodies where something was reviewed, and all of them) and how to review."""
    summaries = [a.review_summary.model_dump(mode="json") for a in result.audits]
    reviewed = [dict(row, agreement=agreement(s, row["total"], t)) for row, s in zip(rows, summaries) if s["reviewed"]]
    command = f"followup audit {result.plan_year} {result.summary_year} --rules {t['review.folder']}"
    return {
        "rows": reviewed,
        "total": agreement(_add_summaries(summaries), sum(r["total"] for r in rows), t) if reviewed else None,
        "note": words(t["review.note"], kind=Code("decisions")), "how": words(t["review.how"], command=Code(command)),
    }


def _warning(w: Warning, t: dict[str, str], lang: str) -> dict:
    return {"document": w.document, "message": said(w, lang)}


def _body_row(i: int, audit, t: dict[str, str]) -> dict:
    total = len(audit.commitments)
    carried = sum("carried_over" in c.flags for c in audit.commitments)
    return {
        "page": body_page(i), "name": audit.body, "plan_document": audit.plan_document,
        "plan_section": audit.plan_section, "summary_document": audit.summary_document or "",
        "summary_section": audit.summary_section or "",
        "docs": _docs(audit, t),
        "counts": _counts(audit.counts, t), "carried": carried, "carried_pct": percent(carried, total), "total": total,
        "bar": stacked_bar(audit.counts, t),
    }


def _docs(audit, t: dict[str, str]) -> list[list[dict]]:
    docs = [words(t["docs.plan"], document=File(audit.plan_document), section=Doc(audit.plan_section))]
    if audit.summary_document:
        docs.append(words(t["docs.summary"], document=File(audit.summary_document), section=Doc(audit.summary_section or "")))
    return docs


def _css_string(text: str) -> str:
    """A CSS string literal of ``text`` (for the printed page header): everything but ASCII letters and
    digits escaped (six hex digits each, spaces too: CSS swallows one space after an escape), so no
    document text can end the string or the style element."""
    return '"' + "".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06x}" for ch in text) + '"'


def _body_view(result: AuditResult, audit, row: dict, t: dict[str, str], lang: str, near: dict, words_: Words | None) -> dict:
    sections: list[dict] = []
    for c in audit.commitments:
        if not sections or sections[-1]["name"] != c.section:
            sections.append({"name": c.section, "cards": [], "counts": {s: 0 for s in STATUSES}})
        sections[-1]["cards"].append(card(c, audit.plan_document, t, lang, words_))
        sections[-1]["counts"][c.status] += 1
    for n, section in enumerate(sections, start=1):
        section["anchor"] = f"s{n}"
        section["bar"] = stacked_bar(section["counts"], t, width=160)
    flags_present = [f for f in FLAG_ORDER if any(f in c.flags for c in audit.commitments)]
    years = {"plan_year": result.plan_year, "summary_year": result.summary_year, "next_year": result.summary_year}
    statuses = {s: audit.counts.get(s, 0) for s in STATUSES}
    return {
        "t": t, "lang": lang, "kind": "body",
        "title": plain(words(t["title.body"], body=audit.body, **years)),
        "heading": words(t["heading.body"], body=Doc(audit.body), **years),
        "plan_year": result.plan_year, "summary_year": result.summary_year, "run": _run_of(result, t),
        "nav": _nav(t, "", near), "near": {k: (v[0] if isinstance(v, tuple) else v) or "" for k, v in near.items()},
        "body": row, "sections": sections, "page": row["page"], "carried_note": words(t["carried.note"], **years),
        "filters": [{"key": s, "label": t[f"status.{s}"], "kind": "status", "n": statuses[s], "key_hint": str(n)}
                    for n, s in enumerate(STATUSES, start=1)]
        + [{"key": f, "label": t.get(f"flag.{f}", f), "kind": "flag", "n": sum(f in c.flags for c in audit.commitments),
            "key_hint": ""} for f in flags_present],
        "legend": _legend(t, "body"), "keys": _keys(t, "body"),
        "print_header": _css_string(f"{audit.body} · {result.plan_year} → {result.summary_year}"),
        "shown_template": t["shown"],
        # The review controls (review.js): work in progress is kept in the browser under the pair of years
        # and the body (not the page's file name, which moves when a body is added to the corpus), so a
        # rerun finds it again.
        "review": {"run": f"{result.plan_year}-{result.summary_year}", "body": audit.body,
                   "plan_year": result.plan_year, "summary_year": result.summary_year,
                   "file": review_file(audit.body, result.plan_year, result.summary_year), "words": review_words(t)},
    }


# -- the diff page ---------------------------------------------------------------------------------


def diff_view(result: DiffResult, lang: str = "zh", links: dict | None = None) -> dict:
    """The year-over-year page. ``links``: ``audit`` (the audit of the same years) and ``all``, each a
    path relative to the diff's folder, or None when it is not beside it."""
    t = catalogue(lang)
    links = dict(links or {})

    def spans(pair) -> list[dict]:
        return [{"op": {-1: "del", 0: "same", 1: "ins"}[s.op], "text": s.text} for s in pair.diff]

    def pair(p) -> dict:
        return {"earlier": _evidence(p.earlier, t), "later": _evidence(p.later, t), "diff": spans(p), "shared": p.shared}

    years = {"earlier": result.earlier_year, "later": result.later_year}
    bodies = []
    for b in result.bodies:
        docs = ((t["diff.doc.plan"], result.earlier_year, b.earlier_plan), (t["diff.doc.plan"], result.later_year, b.later_plan),
                (t["diff.doc.summary"], result.earlier_year - 1, b.earlier_summary),
                (t["diff.doc.summary"], result.later_year - 1, b.later_summary))
        promises = len({(p.earlier.document, p.earlier.line, p.earlier.section) for p in b.carried_over})
        counts = {k: len(v) for k, v in (("carried", b.carried_over), ("new", b.new), ("dropped", b.dropped),
                                         ("lowered", b.lowered), ("recycled", b.recycled), ("drift", b.drift))}
        bodies.append({
            "anchor": body_anchor(b.body), "name": b.body, "missing": [said(m, lang) for m in b.missing],
            "docs": [words(template, year=year, document=File(doc)) for template, year, doc in docs if doc],
            "carried": [pair(p) for p in b.carried_over], "recycled": [pair(p) for p in b.recycled],
            "new": [_evidence(e, t) for e in b.new], "dropped": [_evidence(e, t) for e in b.dropped],
            "lowered": [{"metric": x.metric, "earlier": x.earlier.raw, "later": x.later.raw, "reason": said(x.reason, lang),
                         "loc": _loc(x.later.document, x.later.line, t)} for x in b.lowered],
            "drift": [{"kind": d.kind, "label": t[f"drift.{d.kind}"], "title": t[f"legend.drift.{d.kind}"],
                       "message": said(d.message, lang), "earlier": d.earlier.quote, "later": d.later.quote,
                       "earlier_loc": _loc(d.earlier.document, d.earlier.line, t), "later_loc": _loc(d.later.document, d.later.line, t)}
                      for d in b.drift],
            "counts": counts,
            "promises": promises,
            "empty": words(t["diff.empty"], parts=t["list_sep"].join(t[f"diff.{k}.short_heading"] for k in DIFF_ORDER
                                                                     if not counts[k])) if not all(counts.values()) else [],
            "carried_heading": words(t["diff.carried.heading"], pairs=len(b.carried_over), promises=promises),
        })
    return {
        "t": t, "lang": lang, "kind": "diff", "title": plain(words(t["title.diff"], **years)),
        "heading": words(t["heading.diff"], **years), "run": _run_of(result, t),
        "nav": _nav(t, "diff", {"overview": links.get("audit"), "all": links.get("all")}),
        "parts": [{"key": k, "label": t[f"diff.short.{k}"], "title": t[f"diff.{k}"]} for k in DIFF_PARTS],
        "carried_note": words(t["diff.carried.note"], **years),
        "bodies": bodies, "warnings": [_warning(w, t, lang) for w in result.warnings],
        "legend": _legend(t, "diff"), "keys": _keys(t, "diff"), "page": "index.html",
        "print_header": _css_string(plain(words(t["title.diff"], **years))),
        "near": {"overview": links.get("audit") or ""},
    }


# -- the all-years overview ------------------------------------------------------------------------


def pair_summary(result: AuditResult) -> dict:
    """What the cross-year overview needs of one pair's audit (also all.json's shape)."""
    return {
        "plan_year": result.plan_year, "summary_year": result.summary_year, "generated_at": result.generated_at,
        "tool_version": result.tool_version, "format_version": result.format_version, "corpus": result.corpus,
        "rules": result.rules,
        "warnings": [{"document": w.document, "code": w.code, "args": w.args, "message": say(w, "en")} for w in result.warnings],
        "bodies": [{"body": a.body, "page": body_page(i), "counts": a.counts,
                    "carried_over": sum("carried_over" in c.flags for c in a.commitments),
                    "perennial": sum("perennial" in c.flags for c in a.commitments),
                    "review": a.review_summary.model_dump(mode="json")}
                   for i, a in enumerate(result.audits, start=1)],
    }


def all_view(summaries: list[dict], lang: str = "zh", diffs: Iterable[str] = ()) -> dict:
    """One row per body, one column per pair of years: verdict counts and carried-over promises.

    ``diffs``: the names of the diff folders beside it (``diff-2024-2025``), linked from their pair."""
    t = catalogue(lang)
    diffs = set(diffs)
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
            total = sum(entry["counts"].values())
            cells.append({
                "href": f"../{pair}/{entry['page']}", "bar": stacked_bar(entry["counts"], t, width=120),
                "pair": pair.replace("-", " → "),
                "counts": _counts(entry["counts"], t), "total": total,
                "carried": entry["carried_over"], "carried_pct": percent(entry["carried_over"], total),
                "perennial": entry["perennial"], "perennial_pct": percent(entry["perennial"], total),
                "review": agreement(entry.get("review"), total, t),
            })
        rows.append({"name": body, "cells": cells})
    first = summaries[0] if summaries else {"generated_at": "", "tool_version": "", "corpus": "", "rules": [], "format_version": ""}
    run = _run({k: first[k] for k in ("generated_at", "tool_version", "corpus", "rules", "format_version")}, t)
    warnings: dict[tuple, dict] = {}
    for s in summaries:
        for w in s["warnings"]:
            warning = Warning.model_validate({k: w[k] for k in ("document", "code", "args")})
            warnings.setdefault((w["document"], say(warning, lang)), _warning(warning, t, lang))
    pair_links = []
    for s, p in zip(summaries, pairs):
        diff = f"diff-{s['plan_year']}-{s['summary_year']}"
        pair_links.append({"label": p.replace("-", " → "), "href": f"../{p}/index.html",
                           "diff": f"../{diff}/index.html" if diff in diffs else "",
                           "diff_label": words(t["nav.diff.years"], earlier=s["plan_year"], later=s["summary_year"])})
    return {"t": t, "lang": lang, "kind": "all", "title": plain(words(t["title.all"])), "heading": words(t["heading.all"]),
            "run": run, "page": "index.html", "nav": _nav(t, "all", {}),
            "pairs": pair_links, "rows": rows, "carried_note": words(t["carried.note.all"]),
            "review": {"any": any(c and c["review"] for r in rows for c in r["cells"]),
                       "note": words(t["review.note"], kind=Code("decisions")),
                       "how": words(t["review.how"], command=Code(f"followup audit --all --rules {t['review.folder']}"))},
            "warnings": [warnings[k] for k in sorted(warnings)], "legend": _legend(t, "all"), "keys": _keys(t, "all"),
            "near": {}, "print_header": _css_string(plain(words(t["title.all"])))}
