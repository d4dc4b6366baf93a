"""Issue 4: an auditor teaches the tool with a rules folder, and every verdict names its rules."""

import pytest

from followup.corpus import load_corpus
from followup.errors import RulesError
from followup.pipeline import run_audit
from followup.report.writer import render_html
from followup.rules import load_rules
from followup.report.messages import say

from conftest import FIXED_TIME, KEYLAB_DECISION, SEEDS

PLATFORM = "要助力产业融合创新发展，引进和打造一批以华为“大数字”实验室为代表的高能级产业创新平台"


def _rules(tmp_path, text):
    folder = tmp_path / "my-rules"
    folder.mkdir(exist_ok=True)
    (folder / "mine.yaml").write_text(text, encoding="utf-8")
    return load_rules(folder), folder


def _audit(rules):
    """The seeds' 2024 audit with these rules (a corpus is prepared with the rules it is audited by)."""
    return run_audit(load_corpus(SEEDS, rules, label="seeds"), 2024, 2025, FIXED_TIME)


def _card(result, prefix):
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    return next(c for c in kewei.commitments if c.text.startswith(prefix))


def test_an_alias_moves_a_commitment_from_silent_to_addressed_and_is_named(tmp_path):
    # An auditor who wants close matches only (action_match 0.5) finds the platform commitment silent…
    strict = "thresholds:\n  action_match: 0.5\n"
    before = _card(_audit(_rules(tmp_path, strict)[0]), PLATFORM)
    assert before.status == "silent"
    # …until they teach the tool that in Shanghai's policy language the 研发与转化功能型平台 are the
    # high-level innovation platforms.
    user_rules, folder = _rules(tmp_path, strict + "aliases:\n  高能级产业创新平台: [研发与转化功能型平台, 功能型平台]\n")
    after = _card(_audit(user_rules), PLATFORM)
    assert after.status in ("partial", "met")
    assert f"aliases:高能级产业创新平台 ({folder}/mine.yaml:4)" in after.rules
    assert any("功能型平台" in e.text for e in after.evidence)
    again = _card(_audit(_rules(tmp_path, strict)[0]), PLATFORM)
    assert again.status == "silent" and again.rules == before.rules


def test_a_decision_changes_the_verdict_shown_and_keeps_the_tools(corpus, tmp_path, audit_2024):
    user_rules, folder = _rules(tmp_path, KEYLAB_DECISION)
    result = _audit(user_rules)
    card = _card(result, "要研究制定配套政策")
    assert card.status == "met" and "reviewed" in card.flags
    assert card.review.tool_status == "partial" and card.review.reviewer == "王审计"
    assert card.review.rule == f"decisions:kewei-2024-keylab ({folder}/mine.yaml:3)"
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    tools = next(a for a in audit_2024.audits if a.body == "青浦区科委")
    assert kewei.counts["met"] == tools.counts["met"] + 1 and kewei.counts["partial"] == tools.counts["partial"] - 1
    html = render_html(result)
    assert "王审计" in html and "工具原判：部分完成" in html


def test_a_decision_that_names_no_commitment_is_reported(corpus, tmp_path):
    user_rules, folder = _rules(tmp_path, """
decisions:
  stray:
    commitment: 2024-00000000
    status: met
    note: 不存在的承诺
    reviewer: 王审计
    date: 2026-03-01
""")
    result = _audit(user_rules)
    assert any("decisions.stray names no commitment" in say(w, "en") and "mine.yaml:3" in say(w, "en") for w in result.warnings)


def test_of_two_decisions_on_one_commitment_the_latest_applies_and_both_are_named(corpus, tmp_path):
    user_rules, folder = _rules(tmp_path, """
decisions:
  second-look:
    commitment: 吸引重点实验室落户青浦
    status: met
    note: 已签约共建
    reviewer: 李审计
    date: 2026-04-02
  first-look:
    commitment: 吸引重点实验室落户青浦
    status: silent
    note: 未见
    reviewer: 王审计
    date: 2026-03-01
""")
    result = _audit(user_rules)
    card = _card(result, "要研究制定配套政策")
    assert card.status == "met" and card.review.reviewer == "李审计"
    said = [say(w, "en") for w in result.warnings if w.code == "several_decisions"]
    assert len(said) == 1 and "decisions.second-look (" in said[0] and "decisions.first-look (" in said[0]
    assert "mine.yaml:3" in said[0] and "mine.yaml:9" in said[0]


def test_a_snippet_that_matches_two_commitments_stops_the_run(corpus, tmp_path):
    user_rules, folder = _rules(tmp_path, """
links:
  vague:
    commitment: 孵化器
    outcome: 新增市级孵化器1家
""")
    with pytest.raises(RulesError) as err:
        _audit(user_rules)
    [problem] = err.value.problems
    assert problem.startswith(f"{folder}/mine.yaml:3: links.vague.commitment: the snippet '孵化器' matches")
    assert "give one of the ids" in problem


def test_a_link_answers_a_commitment_the_matcher_missed(corpus, tmp_path):
    user_rules, folder = _rules(tmp_path, """
links:
  platform:
    commitment: 2024-9f1dec16
    outcome: 全力打造北斗导航研发与转化功能型平台
""")
    card = _card(_audit(user_rules), PLATFORM)
    assert card.id == "2024-9f1dec16"
    assert card.status != "silent"
    assert f"links:platform ({folder}/mine.yaml:3)" in card.rules
    assert card.evidence[0].text.startswith("主动承接市科创中心建设重大战略专项")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("decisions:\n  d:\n    commitment: x\n    status: done\n    note: n\n    reviewer: r\n    date: 2026-01-01\n", "decisions.d.status"),
        ("decisions:\n  d:\n    commitment: x\n    status: met\n    note: n\n    date: 2026-01-01\n", "decisions.d.reviewer"),
        ("decisions:\n  d:\n    commitment: x\n    status: met\n    note: n\n    reviewer: r\n    date: 1 March\n", "decisions.d.date"),
        ("links:\n  l:\n    commitment: x\n", "links.l.outcome"),
        ("metrics:\n  有效高企数:\n    kind: total\n", "metrics.有效高企数.kind"),
    ],
)
def test_invalid_decisions_links_and_metrics_are_named(tmp_path, text, expected):
    with pytest.raises(RulesError) as err:
        _rules(tmp_path, text)
    assert len(err.value.problems) == 1 and expected in err.value.problems[0]
