"""Year over year: what a body's documents say between one year and the next.

- carried over: a commitment of plan N committed again (or its next step) in plan N+1;
- dropped: a commitment the summary is silent on and plan N+1 no longer mentions;
- lowered: a target of plan N+1 set below plan N's, or no higher than the last actual;
- recycled: a passage of summary N that repeats summary N-1;
- figure drift: the same metric reported unchanged a year later (a stale figure), or a stated growth
  rate that disagrees with the two reported levels.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from followup.figures import find_actual, metric_similarity, read_figures, summary_figures
from followup.matching import Lexicon, Outcomes, Weights, best_matches, prepare_action, prepare_outcomes
from followup.models import (
    BodyDiff, Commitment, DiffPair, DiffResult, DiffSpan, Drift, Evidence, Lowered, Segment, Warning,
)
from followup.normalize import fold
from followup.rules import Rules
from followup.tokendiff import token_diff


def next_plan_clauses(commitments: list[Commitment], document: str, lexicon: Lexicon) -> Outcomes:
    """Each action of the next plan as a matchable outcome (a clause keeps its commitment's line)."""
    segments = [
        Segment(text=action, norm=action, line=c.line, path=c.path, paragraph=i)
        for i, c in enumerate(commitments) for action in c.actions
    ]
    return prepare_outcomes(segments, document, lexicon)


MAX_QUOTES = 5


def carried_over(commitment: Commitment, next_clauses: Outcomes, weights: Weights, lexicon: Lexicon, rules: Rules) -> list[Evidence]:
    """The clauses of the next plan that commit again to one of this commitment's actions."""
    threshold = rules.thresholds["carry_over"]
    position = {id(clause): k for k, clause in enumerate(next_clauses)}
    # Each action's best restatement, so every thread shows (揭榜挂帅 as well as 重点实验室).
    best: dict[int, tuple[float, str]] = {}
    for text in commitment.actions:
        action = prepare_action(text, lexicon, weights)
        if action.size + 1 < rules.thresholds["carry_over_min_chars"]:
            continue
        top = best_matches(action, next_clauses, weights, keep=1)
        if not top:
            continue
        score, k = top[0].score, position[id(top[0].outcome)]
        if score >= threshold and score > best.get(k, (0.0, ""))[0]:
            best[k] = (score, text)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:MAX_QUOTES]
    return [
        Evidence(text=next_clauses[k].segment.text, document=next_clauses[k].document, line=next_clauses[k].segment.line,
                 score=round(score, 3), section=" / ".join(next_clauses[k].segment.path), action=action)
        for k, (score, action) in ranked
    ]


def _letters(text: str) -> str:
    """The words of a sentence without punctuation or the titles in 《》 (a long name is no passage)."""
    return re.sub(r"[\W_]+", "", re.sub(r"《[^》]*》", "", fold(text)))


def recycled_passages(summary: list[Segment], previous: list[Segment], document: str, previous_document: str,
                      rules: Rules) -> list[tuple[Evidence, Evidence, str]]:
    """Sentences of summary N that share a long run of words with a sentence of summary N-1.

    The run is found on the letters alone (punctuation and its width ignored), so a sentence
    copied forward with a new clause or a changed comma still shows; the shared run is returned.
    """
    least = int(rules.thresholds["recycled_chars"])
    old = [(o, _letters(o.text)) for o in previous]
    pairs = []
    for seg in summary:
        text = _letters(seg.text)
        if len(text) < least:
            continue
        best, best_run = None, ""
        for o, o_text in old:
            if len(o_text) < least:
                continue
            m = SequenceMatcher(None, text, o_text, autojunk=False).find_longest_match(0, len(text), 0, len(o_text))
            if m.size > len(best_run):
                best, best_run = o, text[m.a : m.a + m.size]
        if best is not None and len(best_run) >= least:
            pairs.append((_quote(seg, document), _quote(best, previous_document), best_run))
    return pairs


def _quote(seg: Segment, document: str) -> Evidence:
    return Evidence(text=seg.text, document=document, line=seg.line, score=1.0, section=" / ".join(seg.path))


DRIFT_METRIC = 0.9


def _partial_year(fig) -> bool:
    return fig.period.endswith("月")


def figure_drift(summary: list[Segment], previous: list[Segment], document: str, previous_document: str,
                 rules: Rules, lexicon: Lexicon) -> list[dict]:
    """Stale figures (same metric, same value a year later) and growth rates the two levels deny."""
    now = [f for f in summary_figures(summary, rules, lexicon, document) if f.value is not None and f.metric]
    before = [f for f in summary_figures(previous, rules, lexicon, previous_document) if f.value is not None and f.metric]
    findings: list[dict] = []
    seen: set[tuple[str, float]] = set()
    for fig in now:
        if fig.kind in ("growth_rate", "ratio") or fig.unit in ("倍",) or (fig.metric, fig.value) in seen:
            continue
        old, _ = find_actual(fig, before, lexicon)
        if old is None or old.kind != fig.kind or metric_similarity(fig.metric, old.metric, lexicon) < DRIFT_METRIC:
            continue
        if _partial_year(fig) or _partial_year(old):
            continue  # a 1-11月 figure says nothing about last year's full-year one
        seen.add((fig.metric, fig.value))
        if old.value == fig.value:
            findings.append({"kind": "stale", "metric": fig.metric, "value": fig.raw, "now": fig, "before": old,
                             "message": f"{fig.metric}: {fig.raw} reported again, unchanged from the previous summary"})
            continue
        # The growth stated for this level: the next figure of the same sentence, a rate of the same metric.
        following = now[now.index(fig) + 1] if now.index(fig) + 1 < len(now) else None
        stated = following if following is not None and following.kind == "growth_rate" and following.metric == fig.metric \
            and following.line == fig.line else None
        if stated is not None and old.value:
            implied = (fig.value - old.value) / old.value * 100
            if abs(implied - stated.value) > 0.05 + 1e-9:
                findings.append({"kind": "rate_mismatch", "metric": fig.metric, "value": fig.raw, "now": fig, "before": old,
                                 "stated": stated.value, "implied": round(implied, 2),
                                 "message": f"{fig.metric}: {old.raw} → {fig.raw} implies {implied:+.2f}%, the summary states {stated.raw}"})
    return findings


# -- the diff of two years ---------------------------------------------------------------------
def _commitment_quote(c: Commitment, document: str) -> Evidence:
    return Evidence(text=c.text, document=document, line=c.line, score=1.0, section=c.section)


def _spans(left: str, right: str) -> list[DiffSpan]:
    return [DiffSpan(op=op, text=text) for op, text in token_diff(left, right)]


def _lowered(earlier_targets, later_targets, last_actuals, lexicon: Lexicon) -> list[Lowered]:
    found = []
    for later in later_targets:
        if later.value is None:
            continue
        before, _ = find_actual(later, [t for t in earlier_targets if t.kind == later.kind], lexicon)
        if before is not None and before.value is not None and later.value < before.value \
                and metric_similarity(before.metric, later.metric, lexicon) >= DRIFT_METRIC:
            found.append(Lowered(metric=later.metric, earlier=before, later=later,
                                 reason=f"re-promised lower: {later.raw} after {before.raw} the year before"))
            continue
        actual, _ = find_actual(later, last_actuals, lexicon)
        if actual is not None and actual.value is not None and later.value <= actual.value and not _partial_year(actual) \
                and metric_similarity(actual.metric, later.metric, lexicon) >= DRIFT_METRIC:
            found.append(Lowered(metric=later.metric, earlier=actual, later=later,
                                 reason=f"no higher than the last actual: {later.raw} targeted after {actual.raw} achieved"))
    return found


def run_diff(corpus, earlier_year: int, later_year: int, rules: Rules, generated_at: str) -> DiffResult:
    """Plans of the two years and the summaries before each, body by body."""
    from followup import FORMAT_VERSION, __version__
    from followup.audit import run_audit
    from followup.extract import extract_commitments, extract_outcomes

    lexicon = Lexicon(rules)
    weights = corpus.weights(lexicon)
    warnings = list(corpus.warnings)
    audit = run_audit(corpus, earlier_year, later_year, rules, generated_at) if later_year == earlier_year + 1 else None
    silent = {c.id for a in (audit.audits if audit else []) for c in a.commitments if c.status == "silent"}
    series_all = sorted({info.series for info in corpus.infos if info.series})
    bodies = []
    for series in series_all:
        p1 = corpus.section(series, "plan", earlier_year)
        p2 = corpus.section(series, "plan", later_year)
        s1 = corpus.section(series, "summary", earlier_year - 1)
        s2 = corpus.section(series, "summary", later_year - 1)
        if not any((p1, p2, s1, s2)):
            continue
        missing = [what for what, part in ((f"{earlier_year} plan", p1), (f"{later_year} plan", p2),
                                          (f"{earlier_year - 1} summary", s1), (f"{later_year - 1} summary", s2)) if part is None]
        c1 = extract_commitments(p1[0], p1[1], series, rules) if p1 else []
        c2 = extract_commitments(p2[0], p2[1], series, rules) if p2 else []
        carried, new, dropped, lowered = [], [], [], []
        if p1 and p2:
            later_clauses = next_plan_clauses(c2, p2[0].name, lexicon)
            earlier_clauses = next_plan_clauses(c1, p1[0].name, lexicon)
            for c in c1:
                quotes = carried_over(c, later_clauses, weights, lexicon, rules)
                for q in quotes:
                    earlier = Evidence(text=q.action, document=p1[0].name, line=c.line, score=q.score, section=c.section)
                    carried.append(DiffPair(kind="carried_over", earlier=earlier, later=q, diff=_spans(q.action, q.text)))
                if not quotes and (audit is None or c.id in silent):
                    dropped.append(_commitment_quote(c, p1[0].name))
            for c in c2:
                if not carried_over(c, earlier_clauses, weights, lexicon, rules):
                    new.append(_commitment_quote(c, p2[0].name))
            earlier_targets = [f for c in c1 for f in read_figures(c.text, rules, lexicon, c.line, p1[0].name)]
            later_targets = [f for c in c2 for f in read_figures(c.text, rules, lexicon, c.line, p2[0].name)]
            last = summary_figures(extract_outcomes(s2[0], s2[1], rules), rules, lexicon, s2[0].name) if s2 else []
            lowered = _lowered(earlier_targets, later_targets, last, lexicon)
        recycled, drift = [], []
        if s1 and s2:
            o1, o2 = extract_outcomes(s1[0], s1[1], rules), extract_outcomes(s2[0], s2[1], rules)
            for later, earlier, run in recycled_passages(o2, o1, s2[0].name, s1[0].name, rules):
                recycled.append(DiffPair(kind="recycled", earlier=earlier, later=later, diff=_spans(earlier.text, later.text), shared=run))
            drift = [Drift(kind=d["kind"], metric=d["metric"], earlier=d["before"], later=d["now"], stated_rate=d.get("stated"),
                           implied_rate=d.get("implied"), message=d["message"])
                     for d in figure_drift(o2, o1, s2[0].name, s1[0].name, rules, lexicon)]
        if missing:
            warnings.append(Warning(document="", message=f"{series}: no {', no '.join(missing)} in the corpus; that side of the comparison is empty"))
        bodies.append(BodyDiff(
            body=series, earlier_plan=p1[0].name if p1 else None, later_plan=p2[0].name if p2 else None,
            earlier_summary=s1[0].name if s1 else None, later_summary=s2[0].name if s2 else None,
            carried_over=carried, new=new, dropped=dropped, lowered=lowered, recycled=recycled, drift=drift, missing=missing,
        ))
    if not bodies:
        warnings.append(Warning(document="", message=f"no plan of {earlier_year} or {later_year} and no summary of "
                                f"{earlier_year - 1} or {later_year - 1} in the corpus: nothing to compare"))
    return DiffResult(format_version=FORMAT_VERSION, tool_version=__version__, generated_at=generated_at,
                      earlier_year=earlier_year, later_year=later_year, corpus=corpus.folder, rules=rules.folders,
                      bodies=bodies, warnings=warnings)
