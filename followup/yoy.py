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

from followup.figures import find_actual, metric_similarity, summary_figures
from followup.matching import Lexicon, Weights, coverage, prepare_action, prepare_outcomes
from followup.models import Commitment, Evidence, Segment
from followup.normalize import fold
from followup.rules import Rules


def next_plan_clauses(commitments: list[Commitment], document: str, lexicon: Lexicon) -> list:
    """Each action of the next plan as a matchable outcome (a clause keeps its commitment's line)."""
    segments = [
        Segment(text=action, norm=action, line=c.line, path=c.path, paragraph=i)
        for i, c in enumerate(commitments) for action in c.actions
    ]
    return prepare_outcomes(segments, document, lexicon)


def carried_over(commitment: Commitment, next_clauses: list, weights: Weights, lexicon: Lexicon, rules: Rules) -> list[Evidence]:
    """The clauses of the next plan that commit again to one of this commitment's actions."""
    threshold = rules.thresholds["carry_over"]
    best: dict[int, tuple[float, str]] = {}
    for text in commitment.actions:
        action = prepare_action(text, lexicon, weights)
        if action.size + 1 < rules.thresholds["carry_over_min_chars"]:
            continue
        for k, clause in enumerate(next_clauses):
            score = coverage(action, clause, weights)
            if score >= threshold and score > best.get(k, (0, ""))[0]:
                best[k] = (score, text)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:3]
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
