"""audit.csv and audit.xlsx read back as a spreadsheet would (openpyxl, the csv module), and compared
with audit.json: typed cells, a frozen header and a filter on every sheet, the baseline of a pending
target apart from the actual, the reviewer's decision in its own columns, a sheet per body."""

import csv
import io
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook

from followup.corpus import load_corpus
from followup.pipeline import run_audit
from followup.report import write_report
from followup.report.exports import COLUMNS, sheet_names, to_csv, to_xlsx
from followup.report.messages import catalogue, say
from followup.rules import load_rules

from conftest import FIXED_TIME, SEEDS

CJK = ("\u4e00", "\u9fff")


def _book(result, lang="zh"):
    data, notes = to_xlsx(result, lang)
    return load_workbook(io.BytesIO(data)), notes


def _csv(result, lang="zh"):
    data, _ = to_csv(result, lang)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel and WPS need to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _table(sheet):
    """The body sheet's rows as dicts by column key (the header is the catalogue's, checked elsewhere)."""
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip((c.key for c in COLUMNS), row)) for row in rows[1:]]


def _cells(sheet, key):
    j = [c.key for c in COLUMNS].index(key) + 1
    return [row[j - 1] for row in sheet.iter_rows(min_row=2)]


def _expected(data):
    t = catalogue("zh")
    return [(a["body"], c["id"], c["text"], t["status." + c["status"]]) for a in data["audits"] for c in a["commitments"]]


@pytest.fixture(scope="module")
def audit_2023(corpus):
    """青浦区经委's 2023 target table against its 2024 summary: every target has an actual."""
    return run_audit(corpus, 2023, 2024, generated_at=FIXED_TIME)


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """The seeds' 2024 audit with a reviewer's decision (a `decisions` rule, as test_user_rules.py)."""
    folder = tmp_path_factory.mktemp("rules") / "my-rules"
    folder.mkdir()
    (folder / "mine.yaml").write_text("""
decisions:
  kewei-2024-keylab:
    commitment: 吸引重点实验室落户青浦
    status: met
    note: 区政府2024年12月已与复旦签约共建重点实验室（见会议纪要）
    reviewer: 王审计
    date: 2026-03-01
""", encoding="utf-8")
    rules = load_rules(folder)
    return run_audit(load_corpus(SEEDS, rules, label="seeds"), 2024, 2025, FIXED_TIME)


# -- what is in the files ------------------------------------------------------------------------------

def test_csv_opens_with_the_chinese_intact(audit_2024, tmp_path):
    folder = write_report(audit_2024, tmp_path, formats=("json", "csv")).folder
    raw = (folder / "audit.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["单位", "编号", "部分", "承诺事项", "行"]
    at = {name: header.index(name) for name in ("单位", "编号", "承诺事项", "结论", "佐证原文")}
    data = json.loads((folder / "audit.json").read_text(encoding="utf-8"))
    assert [(r[at["单位"]], r[at["编号"]], r[at["承诺事项"]], r[at["结论"]]) for r in body] == _expected(data)
    silent = next(r for r in body if r[at["结论"]] == "未提及")
    assert silent[at["佐证原文"]] == ""  # no evidence for a silent one
    met = next(r for r in body if r[at["结论"]] == "已完成")
    assert "［001_1ff71cb47a4eb644.txt:" in met[at["佐证原文"]]


def test_one_sheet_per_body_after_the_overview_and_the_same_rows(audit_2024, tmp_path):
    folder = write_report(audit_2024, tmp_path, formats=("json", "xlsx")).folder
    book = load_workbook(folder / "audit.xlsx")
    assert book.sheetnames == ["总览", "青浦区科委", "青浦区经委", "提示"]
    data = json.loads((folder / "audit.json").read_text(encoding="utf-8"))
    got = [(name, r["id"], r["commitment"], r["status"]) for name in book.sheetnames[1:3] for r in _table(book[name])]
    assert got == _expected(data)
    assert [r[1] for r in book["提示"].iter_rows(min_row=2, values_only=True)] == [say(w, "zh") for w in audit_2024.warnings]
    assert book.active.title == "青浦区科委"  # it opens on the first body; one tab selected, none grouped
    assert [s.sheet_view.tabSelected for s in book.worksheets] == [False, True, False, False]
