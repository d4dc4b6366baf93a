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

from followup.figures import find_actual, metric_similarity
from followup.matching import Action, Lexicon, Outcomes, Weights, best_matches
from followup.models import Commitment, DiffSpan, Drift, Evidence, Figure, Lowered, Note, Segment
from followup.normalize import fold
from followup.rules import Rules
from followup.tokendiff import token_diff


MAX_QUOTES = 5


def carried_over(actions: list[Action], next_clauses: Outcomes, weights: Weights, rules: Rules) -> list[Evidence]:
    """The clauses of the next plan that commit again to one of a commitment's ``actions``."""
    threshold = rules.thresholds["carry_over"]
    position = next_clauses.position
    # Each action's best restatement, so every thread shows (揭榜挂帅 as well as 重点实验室).
    best: dict[int, tuple[float, str]] = {}
    for action in actions:
        text = action.text
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


def figure_drift(summary: list[Figure], previous: list[Figure], lexicon: Lexicon) -> list[Drift]:
    """Stale figures (same metric, same value a year later) and growth rates the two levels deny.

    ``summary`` and ``previous`` are the figures two consecutive summaries report.
    """
    now = [f for f in summary if f.value is not None and f.metric]
    before = [f for f in previous if f.value is not None and f.metric]
    findings: list[Drift] = []
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
            findings.append(Drift(kind="stale", metric=fig.metric, earlier=old, later=fig,
                                  message=Note(code="stale", args={"metric": fig.metric, "value": fig.raw})))
            continue
        # The growth stated for this level: the next figure of the same sentence, a rate of the same metric.
        following = now[now.index(fig) + 1] if now.index(fig) + 1 < len(now) else None
        stated = following if following is not None and following.kind == "growth_rate" and following.metric == fig.metric \
            and following.line == fig.line else None
        if stated is not None and old.value:
            implied = (fig.value - old.value) / old.value * 100
            if abs(implied - stated.value) > 0.05 + 1e-9:
                findings.append(Drift(kind="rate_mismatch", metric=fig.metric, earlier=old, later=fig,
                                      stated_rate=stated.value, implied_rate=round(implied, 2),
                                      message=Note(code="drift_rate", args={"metric": fig.metric, "earlier": old.raw, "later": fig.raw,
                                                                           "implied": f"{implied:+.2f}%", "stated": stated.raw})))
    return findings


def commitment_quote(c: Commitment, document: str) -> Evidence:
    return Evidence(text=c.text, document=document, line=c.line, score=1.0, section=c.section)


def diff_spans(left: str, right: str) -> list[DiffSpan]:
    return [DiffSpan(op=op, text=text) for op, text in token_diff(left, right)]


def lowered_targets(earlier_targets, later_targets, last_actuals, lexicon: Lexicon) -> list[Lowered]:
    found = []
    for later in later_targets:
        if later.value is None:
            continue
        before, _ = find_actual(later, [t for t in earlier_targets if t.kind == later.kind], lexicon)
        if before is not None and before.value is not None and later.value < before.value \
                and metric_similarity(before.metric, later.metric, lexicon) >= DRIFT_METRIC:
            found.append(Lowered(metric=later.metric, earlier=before, later=later,
                                 reason=Note(code="lowered", args={"later": later.raw, "earlier": before.raw})))
            continue
        actual, _ = find_actual(later, last_actuals, lexicon)
        if actual is not None and actual.value is not None and later.value <= actual.value and not _partial_year(actual) \
                and metric_similarity(actual.metric, later.metric, lexicon) >= DRIFT_METRIC:
            found.append(Lowered(metric=later.metric, earlier=actual, later=later,
                                 reason=Note(code="below_actual", args={"later": later.raw, "actual": actual.raw})))
    return found
