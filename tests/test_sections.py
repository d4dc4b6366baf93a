"""Identifying the seeds: the table issue 2 says they must come out as."""

import pytest

from followup.sections import describe
from followup.report.messages import say

EXPECTED = {
    "000": ("青浦区科委", "青科委〔2024〕12号", ["2023 工作总结", "2024 工作要点"]),
    "001": ("青浦区科委", "青科委〔2025〕1号", ["2024 工作总结", "2025 工作要点"]),
    "002": ("青浦区经委", "青经发〔2024〕5号", ["2023 工作总结", "2024 工作要点"]),
    "003": ("普陀区科委", "普科委〔2024〕1号", ["2023 工作总结"]),
    "004": ("青浦区科委", None, ["2023 上半年工作总结"]),
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_body_number_and_sections(seed, seed_docs):
    _, info = seed_docs[seed]
    body, number, sections = EXPECTED[seed]
    assert info.body == body
    assert info.number == number
    assert [describe(s.kind, s.year, s.period) for s in info.sections] == sections


def test_joint_document_continues_the_kewei_series(seed_docs):
    assert seed_docs["000"][1].series == seed_docs["001"][1].series == "青浦区科委"


def test_dates_come_from_the_signature_or_the_title(seed_docs):
    assert seed_docs["000"][1].date == "2024-03-13"
    assert seed_docs["001"][1].date == "2025-01-16"
    assert seed_docs["004"][1].date == "2023-08-23"


def test_truncated_copy_is_reported(corpus):
    [warning] = [w for w in corpus.warnings if w.document.startswith("004") and w.code == "truncated"]
    assert warning.args == {"year": 2023, "period": "second_half", "kind": "plan"}
    assert say(warning, "zh") == "文件不完整：标题所列的2023年下半年工作要点部分在文件中没有"
    assert say(warning, "en").startswith("truncated or incomplete: the title announces a 2023 second-half work plan section")


def test_plan_section_of_seed_000_starts_after_its_heading(seed_docs):
    doc, info = seed_docs["000"]
    plan = info.sections[1]
    assert plan.heading == "2024 年工作要点" and plan.line == 253
    assert doc.paragraphs[plan.first_paragraph].text.startswith("2024 年是实现“十四五”规划目标任务的关键一年")
