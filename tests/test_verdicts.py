"""Verdicts on real commitments of seed 000 against seed 001, and agreement with the labelled set."""
from followup.report.messages import say_all

import re
from dataclasses import replace

import yaml

from conftest import LABELS


def _card(audit, prefix):
    kewei = next(a for a in audit.audits if a.body == "青浦区科委")
    return next(c for c in kewei.commitments if c.text.startswith(prefix))


def test_silent_commitment_records_what_was_searched(audit_2024):
    card = _card(audit_2024, "要健全风险保障体系")
    assert card.status == "silent" and not card.evidence
    assert card.search.summary_document.startswith("001_") and card.search.outcomes_searched > 50
    assert card.search.terms and say_all(card.reasons, "en")


def test_work_under_way_is_partial_not_met(audit_2024):
    card = _card(audit_2024, "要研究制定配套政策")
    assert card.status == "partial"
    assert any("重点实验室" in e.text and e.verb == "ongoing" for e in card.evidence)


def test_echo_is_flagged_and_alone_does_not_make_met(audit_2024):
    card = _card(audit_2024, "要深入实施区域创新驱动发展战略")
    assert "echo" in card.flags
    assert any(e.echo and "健全孵化器培育体系" in e.text for e in card.evidence)
    assert card.status == "partial"


def test_figures_after_an_echo_answer_only_the_action_they_measure(audit_2024):
    # "…加大产业链科技招商力度…" echoed, then 高企 454/359家: the firms counted are not the 招商 promised.
    card = _card(audit_2024, "要落实培育引领发展战略")
    assert not any("(result given after the echo" in e.action and "359" in e.text for e in card.evidence)
    # The technical contracts after the echo of 深化…科技创新体系 measure no action of it either.
    deepen = _card(audit_2024, "深化以企业为主体")
    assert deepen.status == "partial" and "no quote reports a result" in say_all(deepen.reasons, "en")


def test_evidence_is_quoted_verbatim_with_document_and_line(audit_2024):
    source = open("seeds/001_1ff71cb47a4eb644.txt", encoding="utf-8").read().splitlines()
    kewei = next(a for a in audit_2024.audits if a.body == "青浦区科委")
    for card in kewei.commitments:
        for e in card.evidence:
            assert e.text.rstrip("。；;") in source[e.line - 1]


def _labels():
    out = {}
    for path in sorted(LABELS.glob("qingpu_kw_2024_*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["commitments"]:
            out[re.sub(r"\s", "", item["text"])] = item["label"]
    return out


def test_agreement_with_the_labelled_set(audit_2024):
    """The figures of issue 2: ≥80% silent-vs-addressed, ≥70% on the three verdicts."""
    labels = _labels()
    kewei = next(a for a in audit_2024.audits if a.body == "青浦区科委")
    pairs = [(labels[re.sub(r"\s", "", c.text)], c.status) for c in kewei.commitments]
    assert len(pairs) == len(labels) == 33
    three = sum(label == status for label, status in pairs) / len(pairs)
    binary = sum((label == "silent") == (status == "silent") for label, status in pairs) / len(pairs)
    print(f"\nagreement on {len(pairs)} labelled commitments: three-way {three:.1%}, silent-vs-addressed {binary:.1%}")
    assert binary >= 0.80
    assert three >= 0.70


def test_now_agrees_only_when_the_tool_came_round(audit_2024, rules):
    """A decision written on the page records the tool's verdict then: a confirmation is not 'now agrees'."""
    from followup.rules import DecisionRule
    from followup.verdicts import apply_decision

    card = next(c for a in audit_2024.audits for c in a.commitments if c.status == "partial")
    def decided(**extra):
        decision = DecisionRule(commitment=card.id, status="partial", note="同意", reviewer="王审计", date="2026-03-01", **extra)
        return apply_decision(card, "d", replace(rules, decisions={"d": decision}))

    assert "now_agrees" not in decided(tool_status="partial").flags  # confirmed on the page
    assert "now_agrees" in decided(tool_status="silent").flags  # the tool said silent then, partial now
    assert "now_agrees" in decided().flags  # written by hand: taken to have disagreed
    assert decided(tool_status="partial").review.agrees


def _judge(plan_text, summary_texts, rules):
    from followup.matching import Lexicon, Weights, prepare_action, prepare_outcomes
    from followup.models import Commitment, Search, Segment
    from followup.verdicts import judge

    lexicon, weights = Lexicon(rules), Weights.background()
    actions = [a for a in re.split("[，；]", plan_text.rstrip("。")) if a]
    commitment = Commitment(id="c1", section="s", path=[], text=plan_text, line=1, actions=actions)
    segments = [Segment(text=t, norm=t, line=i + 1, path=[], paragraph=i) for i, t in enumerate(summary_texts)]
    outcomes = prepare_outcomes(segments, "summary.txt", lexicon)
    search = Search(summary_document="summary.txt", summary_section="s", outcomes_searched=len(outcomes), terms=[])
    return judge(commitment, [prepare_action(a, lexicon, weights) for a in actions], outcomes, weights, lexicon, rules, search)


def test_an_echo_that_says_done_in_its_own_verb_reports_a_result(rules):
    # 办好…大赛 echoed as 成功举办…大赛: the summary's own done verb is the result (a real pair: 福建 2025/2026).
    plan = "办好第三届全国博士后创新创业大赛、第二届全国职工数字化应用技术技能大赛决赛等。"
    done = _judge(plan, ["成功举办第三届全国博士后创新创业大赛、第二届全国职工数字化应用技术技能大赛决赛等。"], rules)
    assert done.status == "met" and done.evidence[0].echo
    # The same echo in the plan's own verb reports nothing new: not met.
    echoed = _judge(plan, ["着力办好第三届全国博士后创新创业大赛、第二届全国职工数字化应用技术技能大赛决赛等。"], rules)
    assert echoed.status == "partial"


def test_a_figure_of_something_else_does_not_answer_an_action_that_sets_a_figure(rules):
    # 新开通5条国际航线 shares only its verb with 新开通28个高速服务区出入口: the routes are not reported.
    plan = "深化港航贸一体化发展，新开通5条国际航线。"
    assert _judge(plan, ["新开通28个高速服务区出入口。"], rules).status == "silent"
    # The routes themselves, counted, answer it.
    assert _judge(plan, ["新开通国际航线6条。"], rules).status != "silent"


def test_a_verb_any_plan_uses_is_no_answer(rules):
    # 国务院 2014/2015: 发展文化贸易 shares only 发展 and 文化 with 积极发展文化事业和文化产业: no answer.
    plan = "加快文化走出去，发展文化贸易，加强国际传播能力建设，提升国家文化软实力。"
    assert _judge(plan, ["积极发展文化事业和文化产业。"], rules).status == "silent"
    assert _judge(plan, ["对外文化贸易额增长10%。"], rules).status != "silent"


def test_a_set_phrase_alone_answers_nothing(rules):
    # 四川 2025/2026: "推动产业高质量发展" shares only the set phrase 高质量发展 with a line on 川渝一体化: no answer;
    # the phrase is what the action is about only when it is most of it.
    plan = "加强质量支撑和标准引领，推动产业高质量发展。"
    review = ["深化川渝一体化高质量发展，320个共建重点项目完成投资5332亿元。"]
    assert _judge(plan, review, rules).status == "silent"
    assert _judge("推动高质量发展。", ["全年经济实现高质量发展。"], rules).status != "silent"
