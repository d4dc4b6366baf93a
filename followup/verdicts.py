"""From matches to a verdict a strict but fair auditor would sign (docs/labelling.md).

- **silent**: no outcome answers any action of the commitment; the nearest miss is kept.
- **met**: most actions are answered (``met_coverage``), the lead action among them, and at least
  one quote reports a result (a done verb such as 印发/建成/签署, or a figure) rather than repeating
  the plan's words or reporting work under way.
- **partial**: everything in between: some actions only, work still under way, or only an echo.
- **pending**: the summary is not in the corpus yet.

A blanket line (docs/labelling.md) — a review line saying a whole set of projects was done (十件民生实事
全面完成) — makes each commitment the plan lists under that set met, with medium confidence.
"""

from __future__ import annotations

from followup.figures import read_figures
from followup.matching import Action, ActionMatch, Lexicon, Outcome, Outcomes, Weights, best_matches, coverage, fused, has_figure, pairs
from followup.models import BlanketLine, Commitment, CommitmentAudit, Evidence, FigureCheck, Note, ProjectSet, Review, Search
from followup.rules import Rules


def _evidence(outcome: Outcome, score: float, action: str, lexicon: Lexicon, echo: bool, below_threshold: bool = False,
              words: list[str] = ()) -> Evidence:
    seg = outcome.segment
    verb_class, _ = lexicon.verb_class(seg.text)
    return Evidence(
        text=seg.text, document=outcome.document, line=seg.line, score=round(score, 3),
        section=" / ".join(seg.path), action=action, verb=verb_class, echo=echo, has_figure=outcome.reports_figure(lexicon.rules),
        five_year=seg.five_year, estimate=seg.estimate, below_threshold=below_threshold, words=list(words),
    )


def _quote(m: ActionMatch, lexicon: Lexicon, echo: bool, below_threshold: bool = False) -> Evidence:
    """A match as a quote, with the words it counted."""
    return _evidence(m.outcome, m.score, m.action.text, lexicon, echo, below_threshold, lexicon.held_words(m.action, m.outcome))


def _reports_result(text: str, lexicon: Lexicon) -> bool:
    return lexicon.verb_class(text)[0] == "done" or has_figure(text, lexicon.rules)


def _done_anew(match: ActionMatch, lexicon: Lexicon) -> bool:
    """Whether the outcome's main verb says the thing is done in a word the action itself does not use."""
    verb_class, verb = lexicon.verb_class(match.outcome.segment.text)
    return verb_class == "done" and verb not in match.action.core


def _slogan_only(match: ActionMatch, weights: Weights, t: dict) -> bool:
    action = match.action
    if not action.quoted:
        return False
    quoted = sum(w for p, w in zip(action.sequence, action.pair_weights) if p in action.quoted) / action.weight
    return quoted < 0.5 and coverage(action, match.outcome, weights, action.quoted) < t["action_match"] / 2


def _measuring(figures: list, action: Action, lexicon: Lexicon) -> bool:
    """Whether one of ``figures`` measures what the action is about (高企数 does not measure
    产业链科技招商): half of the figure's metric is in the action's words."""
    held = set(action.sequence)
    for figure in figures:
        metric = set(pairs(lexicon.content(figure.metric)))
        if figure.value is not None and metric and len(metric & held) >= 0.5 * len(metric):
            return True
    return False


def _measures(outcome: Outcome, action: Action, lexicon: Lexicon) -> bool:
    return _measuring(read_figures(outcome.segment.text, lexicon.rules, lexicon), action, lexicon)


def _counts_elsewhere(match: ActionMatch, lexicon: Lexicon) -> bool:
    """Whether an outcome's figures all count something else than the action (which sets a figure:
    新开通5条国际航线) does (新开通28个高速服务区出入口): the shared words are the verb, not the deliverable."""
    figures = read_figures(match.outcome.segment.text, lexicon.rules, lexicon)
    counted = [f for f in figures if f.value is not None and lexicon.content(f.metric)]
    return bool(counted) and not _measuring(figures, match.action, lexicon)


def _result_after(match: ActionMatch, outcomes: list[Outcome], position: dict[int, int]) -> Outcome | None:
    """The sentence right after an echo, in the same paragraph, when it reports a result.

    Summaries often restate the plan's aim and then give the figures: the figures answer it.
    """
    i = position[id(match.outcome)] + 1
    if i < len(outcomes) and outcomes[i].segment.paragraph == match.outcome.segment.paragraph:
        return outcomes[i]
    return None


# Candidates shown on every card, answers or not.
CANDIDATES = 3


def _candidates(per_action: list[list[ActionMatch]], whole: Action | None, weights: Weights, lexicon: Lexicon,
                t: dict) -> list[Evidence]:
    """The outcomes that match best, best first: what the tool saw.

    Of two sentences that answer a clause as well (to the hundredth), the one that speaks to more of
    the commitment as a whole (``whole``) comes first: 要聚焦细分领域，加强重点企业引育…推进存量企业实现重组整合
    is answered at 0.625 by three sentences on 重点企业, and the one that also reports 推进存量企业业务整合
    ranks first."""
    share = t["word_share"]
    best: dict[int, ActionMatch] = {}
    for matches in per_action:
        for m in matches:
            if id(m.outcome) not in best or m.score > best[id(m.outcome)].score:
                best[id(m.outcome)] = m

    def rank(m: ActionMatch) -> tuple:
        whole_score = fused(whole, m.outcome, weights, share) if whole is not None else 0.0
        return (-round(m.score, 2), -whole_score, m.outcome.segment.line)

    ranked = sorted(best.values(), key=rank)[:CANDIDATES]
    return [_quote(m, lexicon, m.echo >= t["echo"], below_threshold=m.score < t["action_match"] or m.outcome.segment.five_year)
            for m in ranked]


def pending(commitment: Commitment, reason: Note | None) -> CommitmentAudit:
    return CommitmentAudit(
        id=commitment.id, section=commitment.section, text=commitment.text, line=commitment.line,
        actions=commitment.actions, kind=commitment.kind, status="pending", confidence=None, evidence=[],
        reasons=[reason] if reason else [],
    )


def judge(
    commitment: Commitment,
    actions: list[Action],
    outcomes: Outcomes,
    weights: Weights,
    lexicon: Lexicon,
    rules: Rules,
    search: Search,
    linked: list[tuple[Outcome, str]] = (),
    whole: Action | None = None,
) -> CommitmentAudit:
    """The verdict on one commitment, whose ``actions`` are prepared to match (``prepare_action``).

    ``linked``: outcomes a `links` rule says answer it; ``whole``: the commitment's text prepared as one
    action, by which the candidates shown are ranked.
    """
    t = rules.thresholds
    substantive = [a for a in actions if a.size + 1 >= t["min_action_chars"]] or actions
    per_action: list[list[ActionMatch]] = [best_matches(a, outcomes, weights, keep=3, words=t["word_share"]) for a in substantive]
    fired: list[str] = []
    for outcome, rule in linked:
        lead = substantive[0]
        per_action[0].insert(0, ActionMatch(lead, outcome, 1.0))
        fired.append(rule)
    candidates = _candidates(per_action, whole, weights, lexicon, t)

    answering: list[ActionMatch] = []
    covered: list[Action] = []
    five_year: list[ActionMatch] = []  # answers found only in a five-year record: context, never the year's result
    nearest: ActionMatch | None = None
    for action, matches in zip(substantive, per_action):
        sets_figure = has_figure(action.text, rules)
        for match in matches:
            if nearest is None or match.score > nearest.score:
                nearest = match
        # A quoted slogan alone (“最后一公里”) never answers an action that says more than it; one that is
        # mostly the quoted programme (深入推进“高效办成一件事”改革) is answered by the programme.
        # Nor does a figure of something else answer an action that sets a figure.
        hits = [m for m in matches if m.score >= t["action_match"] and not _slogan_only(m, weights, t)
                and not (sets_figure and _counts_elsewhere(m, lexicon))]
        five_year.extend(m for m in hits if m.outcome.segment.five_year)
        hits = [m for m in hits if not m.outcome.segment.five_year]
        if hits:
            covered.append(action)
            answering.extend(hits)

    if not covered and five_year:
        quotes = {id(m.outcome): m for m in sorted(five_year, key=lambda m: -m.score)}
        return CommitmentAudit(
            id=commitment.id, section=commitment.section, text=commitment.text, line=commitment.line,
            actions=commitment.actions, kind=commitment.kind, status="silent", confidence=0.6,
            evidence=[_quote(m, lexicon, False) for m in list(quotes.values())[: int(t["max_evidence"])]],
            flags=["five_year"], rules=[rules.describe("thresholds", "action_match")],
            reasons=[Note(code="five_year_only")],
            search=search, candidates=candidates,
        )

    if not covered:
        best = nearest.score if nearest else 0.0
        miss = (
            _quote(nearest, lexicon, nearest.echo >= t["echo"])
            if nearest and best >= t["weak_match"] else None
        )
        return CommitmentAudit(
            id=commitment.id, section=commitment.section, text=commitment.text, line=commitment.line,
            actions=commitment.actions, kind=commitment.kind, status="silent",
            confidence=round(1 - 0.5 * min(best / t["action_match"], 1.0), 2), evidence=[],
            rules=[rules.describe("thresholds", "action_match")],
            reasons=[Note(code="no_answer", args={"threshold": f"{t['action_match']:.0%}", "best": f"{best:.0%}"})],
            search=search, nearest_miss=miss, candidates=candidates,
        )

    # One quote per outcome sentence, the best-scoring action it answers.
    by_outcome: dict[int, ActionMatch] = {}
    for match in answering:
        key = id(match.outcome)
        if key not in by_outcome or match.score > by_outcome[key].score:
            by_outcome[key] = match
    ranked = sorted(by_outcome.values(), key=lambda m: (-m.score, m.outcome.segment.line))[: int(t["max_evidence"])]
    position = outcomes.position
    evidence: list[Evidence] = []
    results: set[str] = set()  # the actions a quote reports a result for
    echoes: list[Evidence] = []
    for m in ranked:
        is_echo = m.echo >= t["echo"]
        item = _quote(m, lexicon, is_echo)
        evidence.append(item)
        if is_echo:
            echoes.append(item)
            # An echo is no result, but what the same sentence says beyond the plan's words may be,
            # and so is a done verb the plan did not use (办好…大赛 → 成功举办…大赛).
            if _reports_result(m.rest, lexicon) or _done_anew(m, lexicon):
                results.add(m.action.text)
            # Summaries restate the aim, then give the figures: those answer it when they measure it.
            after = _result_after(m, outcomes, position)
            if after is not None and not after.segment.five_year and id(after) not in by_outcome \
                    and _measures(after, m.action, lexicon):
                follow = _evidence(after, m.score / 2, f"(result given after the echo of: {m.action.text})", lexicon, False,
                                   words=lexicon.held_words(m.action, after))
                evidence.append(follow)
                results.add(m.action.text)
        elif lexicon.verb_class(m.outcome.segment.text)[0] == "done" or m.outcome.reports_figure(lexicon.rules):
            results.add(m.action.text)

    # The deliverable decides (docs/labelling.md): the lead action reported done, most of the other
    # actions answered; a clause that says what it is all for (推动…增长, 提升…水平) holds nothing back.
    core = [a for k, a in enumerate(substantive) if k == 0 or not lexicon.is_purpose(a.text)]
    answered = [a for a in core if a in covered]
    share = len(answered) / len(core)
    lead = core[0]
    if share >= t["met_coverage"] and lead in covered and lead.text in results:
        status = "met"
        confidence = 0.5 + 0.4 * min(1.0, share) * (sum(m.score for m in ranked[:3]) / min(3, len(ranked)))
        reasons = [Note(code="answered_with_result", args={"answered": len(answered), "of": len(core)})]
        fired.append(rules.describe("thresholds", "met_coverage"))
    else:
        status = "partial"
        reasons = []
        if lead not in covered:
            reasons.append(Note(code="lead_unreported"))
        if share < t["met_coverage"]:
            reasons.append(Note(code="actions_answered", args={"answered": len(answered), "of": len(core)}))
        if lead in covered and lead.text not in results:
            reasons.append(Note(code="no_result"))
        confidence = 0.5 + 0.3 * abs(share - t["met_coverage"])
    for e in evidence:
        if e.verb:
            verb = lexicon.verb_class(e.text)[1]
            if verb:
                fired.append(rules.describe("verbs", verb))
    for match in ranked:
        for alias in sorted(match.outcome.aliases):
            variants = rules.aliases.get(alias) or (rules.metrics[alias].aliases if alias in rules.metrics else [])
            if alias in commitment.text or any(v in commitment.text for v in variants):
                fired.append(rules.describe(lexicon.source.get(alias, "aliases"), alias))
    fired.append(rules.describe("thresholds", "action_match"))
    flags = ["echo"] if echoes else []
    return CommitmentAudit(
        id=commitment.id, section=commitment.section, text=commitment.text, line=commitment.line,
        actions=commitment.actions, kind=commitment.kind, status=status, confidence=round(min(confidence, 0.95), 2),
        evidence=evidence, covered_actions=[a.text for a in covered], flags=flags,
        rules=list(dict.fromkeys(fired)), reasons=reasons, search=search, candidates=candidates,
    )


def _figure_quotes(checks: list[FigureCheck], audit: CommitmentAudit) -> list[Evidence]:
    """The clause each actual was read from, as a quote (unless a quote already holds it), answering its target.

    Its score is 1: the figure's metric is the target's (``figures.find_actual``); its words are not scored."""
    held = list(audit.evidence)
    out: list[Evidence] = []
    for c in checks:
        a = c.actual
        if a is None or not a.document or not a.line:
            continue
        if any(e.document == a.document and e.line == a.line and a.quote in e.text for e in held):
            continue  # already quoted, with the sentence around it
        quote = Evidence(text=a.quote, document=a.document, line=a.line, score=1.0, action=f"{c.target.metric} {c.target.raw}",
                         has_figure=True, estimate=a.estimate)
        held.append(quote)
        out.append(quote)
    return out


def apply_figures(audit: CommitmentAudit, checks: list[FigureCheck], rules: Rules) -> CommitmentAudit:
    """Let the figures decide where they can: a target reached is met, one missed is partial."""
    if not checks:
        return audit
    update: dict = {"figures": checks, "target": checks[0].target, "actual": checks[0].actual or checks[0].baseline,
                    "completion": checks[0].completion}
    flags = list(audit.flags)
    fired = list(audit.rules)
    known = [c for c in checks if c.status != "unknown"]
    for c in checks:
        if c.target.qualifier:
            fired.append(rules.describe("qualifiers", c.target.qualifier))
        if c.rate_agrees is False and "rate_mismatch" not in flags:
            flags.append("rate_mismatch")
        if c.actual is not None and c.actual.period.endswith("月") and "partial_period" not in flags:
            flags.append("partial_period")
    if known and audit.status != "pending":
        met = all(c.status == "met" for c in known)
        status = "met" if met else "partial"
        done = sum(c.status == "met" for c in known)
        reasons = [Note(code="targets_reached", args={"reached": done, "of": len(known), "unknown": len(checks) - len(known)})]
        update.update(status=status, reasons=reasons + (audit.reasons if status != audit.status else []),
                      confidence=0.9 if len(known) == len(checks) else 0.7)
        # The figures decided: the clauses that report them are the evidence, and the best candidates.
        quotes = _figure_quotes(known, audit)
        update.update(evidence=quotes + audit.evidence, candidates=(quotes + audit.candidates)[:CANDIDATES])
    update.update(flags=flags, rules=list(dict.fromkeys(fired)))
    return audit.model_copy(update=update)


def judge_target(verdict: CommitmentAudit, checks: list[FigureCheck], relation: FigureCheck | None,
                 rules: Rules, ties: bool = False) -> CommitmentAudit:
    """The verdict on one item of a report's 主要预期目标 (``verdict``: what the text matching found).

    A target with a figure is decided by the year's actual of its metric: reached is met, missed is
    partial, and no actual in the review is silent (a 居民消费价格总体平稳 is no figure). A relation
    (居民收入增长与经济增长同步, ``ties``) is decided by the two growth rates, silent without them. A
    qualitative target (国际收支基本平衡) is met when the review says so of the year, in its words or not.
    """
    if checks:
        if any(c.actual is not None for c in checks):
            return apply_figures(verdict, checks, rules)
        judged = apply_figures(verdict, checks, rules)
        return judged.model_copy(update={
            "status": "silent", "confidence": 0.7, "covered_actions": [],
            "reasons": [Note(code="no_figure_of_year")] + ([checks[0].note] if checks[0].note else []),
        })
    if relation is not None:
        status = "met" if relation.status == "met" else "partial"
        return verdict.model_copy(update={
            "status": status, "confidence": 0.8, "figures": [relation], "target": relation.target, "actual": relation.actual,
            "reasons": [Note(code="in_step" if status == "met" else "behind", args={
                "metric": relation.target.metric, "actual": relation.actual.raw, "other": relation.target.raw})],
        })
    if ties:
        return verdict.model_copy(update={"status": "silent", "confidence": 0.7, "covered_actions": [],
                                          "reasons": [Note(code="no_growths")]})
    # 进出口量稳质升, 回稳向好: a figure of the volume shows it held, not that it improved; the review must say so.
    quality = [w for w in rules.cue("quality") if w in verdict.text]
    if verdict.status == "met" and quality and not any(w in e.text for w in quality for e in verdict.evidence):
        return verdict.model_copy(update={"status": "partial", "confidence": 0.6,
                                          "reasons": [Note(code="quality_unstated", args={"words": "、".join(quality)})]})
    # A state reached is said in the target's own words (国际收支基本平衡): no echo, a result.
    if verdict.status == "partial" and any(e.verb not in ("ongoing", "intent") and not e.five_year for e in verdict.evidence):
        return verdict.model_copy(update={"status": "met", "confidence": 0.7, "flags": [f for f in verdict.flags if f != "echo"],
                                          "reasons": [Note(code="stated_of_year")]})
    return verdict


def calibrate(audit: CommitmentAudit, rules: Rules) -> CommitmentAudit:
    """The confidence of a verdict: how often one like it agreed with an auditor's label (the same
    verdict, decided the same way, with a best match score as high) on the labelled pairs."""
    table = rules.calibration
    if table is None or audit.status == "pending" or audit.review is not None:
        return audit
    if any(r.code == "blanket_line" for r in audit.reasons):
        return audit  # the guide's medium confidence: the labels hold too few blanket lines to measure it
    if any(c.status != "unknown" and c.actual is not None for c in audit.figures):
        value = table.figures.get(audit.status)
    else:
        best = audit.candidates[0].score if audit.candidates else 0.0
        bins = table.text.get(audit.status, {})
        value = next((bins[low] for low in sorted(bins, reverse=True) if best >= low), None)
    return audit if value is None else audit.model_copy(update={"confidence": round(value, 2)})


def apply_decision(audit: CommitmentAudit, name: str, rules: Rules) -> CommitmentAudit:
    """A reviewer's decision replaces the verdict shown; the tool's own stays in ``review``."""
    decision = rules.decisions[name]
    rule = rules.describe("decisions", name)
    review = Review(status=decision.status, tool_status=audit.status, note=decision.note,
                    reviewer=decision.reviewer, date=decision.date, rule=rule, agrees=decision.status == audit.status)
    # Now agrees: the tool has come round to the reviewer's verdict. A decision written on the page
    # records what the tool said then, so a confirmation is told apart; one written by hand is taken
    # to have disagreed (there would be nothing to write otherwise).
    came_round = review.agrees and decision.tool_status != decision.status
    return audit.model_copy(update={
        "status": decision.status, "review": review,
        "flags": list(dict.fromkeys(audit.flags + ["reviewed"] + (["now_agrees"] if came_round else []))),
        "rules": list(dict.fromkeys(audit.rules + [rule])),
        # The reviewer's word first; the tool's own reasons stay, as what was reviewed.
        "reasons": [Note(code="reviewed", args={"reviewer": decision.reviewer, "date": decision.date, "note": decision.note,
                                               "tool_status": audit.status})] + audit.reasons,
    })



def apply_blanket(audit: CommitmentAudit, member: ProjectSet | None, blankets: list[BlanketLine], document: str,
                  lexicon: Lexicon, rules: Rules) -> CommitmentAudit:
    """Met, with medium confidence (docs/labelling.md), when the commitment belongs to a set of projects
    (``member``: 今年再办好15件民生实事 and its items) that a line of the review says was done as a whole.
    A set of another size is another set; a project's own figure, when the review gives it, decides."""
    if member is None or not blankets or audit.status not in ("silent", "partial"):
        return audit
    if any(c.actual is not None for c in audit.figures):
        return audit
    for line in blankets:
        if set(member.sets) & set(line.sets) and (member.count is None or line.count is None or member.count == line.count):
            outcome = Outcome(segment=line.segment, document=document, pairs=frozenset(), aliases=set())
            quote = _evidence(outcome, 1.0, audit.actions[0] if audit.actions else audit.text, lexicon, False)
            return audit.model_copy(update={
                "status": "met", "confidence": 0.6,
                "evidence": [quote] + [e for e in audit.evidence if e.text != quote.text],
                "candidates": ([quote] + [e for e in audit.candidates if e.text != quote.text])[:CANDIDATES],
                "reasons": [Note(code="blanket_line", args={"set": sorted(set(member.sets) & set(line.sets))[0],
                                                            "heading": member.heading})],
                "rules": list(dict.fromkeys(audit.rules + [rules.describe("cues", "set_done"),
                                                          rules.describe("cues", "project_sets")])),
            })
    return audit
