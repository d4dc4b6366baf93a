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

from conftest import FIXED_TIME, KEYLAB_DECISION, SEEDS

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
    (folder / "mine.yaml").write_text(KEYLAB_DECISION, encoding="utf-8")
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


def test_the_overview_counts_each_verdict_with_its_share(audit_2024):
    book, _ = _book(audit_2024)
    rows = list(book["总览"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:7] == ("单位", "要点文件", "总结文件", "承诺数", "已完成", "已完成占比", "部分完成")
    assert header[-2:] == ("次年续提", "已复核")
    by_body = {r[0]: dict(zip(header, r)) for r in rows[1:3]}
    kewei, jingwei = by_body["青浦区科委"], by_body["青浦区经委"]
    counts = next(a for a in audit_2024.audits if a.body == "青浦区科委").counts
    assert (kewei["承诺数"], kewei["已完成"], kewei["部分完成"], kewei["未提及"]) == (
        33, counts["met"], counts["partial"], counts["silent"])
    carried = sum("carried_over" in c.flags for a in audit_2024.audits if a.body == "青浦区科委" for c in a.commitments)
    assert kewei["已完成占比"] == pytest.approx(counts["met"] / 33) and kewei["次年续提"] == carried and kewei["已复核"] == 0
    assert jingwei["待核查"] == 49 and jingwei["待核查占比"] == 1 and jingwei["总结文件"] is None
    total = dict(zip(header, rows[3]))
    assert total["单位"] == "合计" and total["承诺数"] == 82 and total["待核查占比"] == pytest.approx(49 / 82)
    sheet = book["总览"]
    assert sheet.auto_filter.ref == "A1:N3"  # the total and the run below stay out of the filter
    assert sheet["F2"].number_format == "0.0%"
    assert sheet["A2"].hyperlink.location == "'青浦区科委'!A1"
    run = {r[0]: r[1] for r in rows[5:] if r[0]}
    assert run["工作要点年份"] == 2024 and run["工作总结所在文件年份"] == 2025
    assert run["生成时间（北京时间）"] == datetime(2026, 1, 1, 8, 0)  # 00:00 UTC is 08:00 in Beijing
    assert run["文档库"] == audit_2024.corpus


def test_numbers_are_numbers_and_dates_are_dates(audit_2023, audit_2024):
    book, _ = _book(audit_2023)
    sheet = book["青浦区经委"]
    rows = _table(sheet)
    assert all(type(r["line"]) is int for r in rows)
    assert all(isinstance(r["confidence"], float) and 0 < r["confidence"] <= 1 for r in rows)
    first = next(r for r in rows if r["id"] == "2023-b6827751")  # 规上产值：1670 亿元 → 1673.5 亿元
    assert (first["metric"], first["target_value"], first["unit"], first["target_text"]) == ("规上产值", 167000000000, "元", "1670 亿元")
    assert (first["actual_value"], first["actual_text"]) == (167350000000, "1673.5 亿元")
    assert first["completion"] == pytest.approx(1.0021) and first["baseline_value"] is None
    assert all(isinstance(r[k], (int, float)) for r in rows for k in ("target_value", "actual_value", "completion"))
    formats = {key: {c.number_format for c in _cells(sheet, key)} for key in ("line", "confidence", "completion")}
    assert formats == {"line": {"0"}, "confidence": {"0%"}, "completion": {"0.0%"}}
    assert {c.data_type for c in _cells(sheet, "target_value")} == {"n"}
    # every target of a commitment in words beside the first one's numbers: 四个一批 has four
    four = next(r for r in rows if r["id"] == "2023-db8eac0e")
    assert four["targets"].count("\n") == 3 and "开工：22 个；实际 17 个；完成率 77.3%" in four["targets"]
    # the confidence of a pending commitment is empty, not 0 and not 100%
    pending = _table(_book(audit_2024)[0]["青浦区经委"])
    assert {r["confidence"] for r in pending} == {None}


def test_the_baseline_of_a_pending_target_is_apart_from_the_actual(audit_2024):
    """青浦区经委's 2025 summary is not out: its latest actuals are baselines, never actuals."""
    book, _ = _book(audit_2024)
    sheet = book["青浦区经委"]
    header = [c.value for c in sheet[1]]
    assert "基数（最新实际数，待核查）" in header and "实际值" in header
    rows = _table(sheet)
    assert {r["status"] for r in rows} == {"待核查"}
    assert all(r["actual_value"] is None and r["actual_text"] is None and r["completion"] is None for r in rows)
    with_baseline = {r["id"]: (r["target_value"], r["baseline_value"], r["baseline_text"]) for r in rows if r["baseline_value"] is not None}
    assert with_baseline["2024-10604097"] == (183300000000, 167350000000, "1673.5 亿元")  # 1833 亿元 targeted, 1673.5 the year before
    assert with_baseline["2024-adbaf455"] == (9240, 10876, "10876 户")
    assert len(with_baseline) == 4  # the other first targets have no earlier actual
    no_baseline = next(r for r in rows if r["id"] == "2024-01bfc9e4")
    assert no_baseline["target_value"] == 14 and no_baseline["baseline_value"] is None
    assert "没有该指标此前的实际数" in no_baseline["targets"]
    # the CSV the same
    csv_rows = _csv(audit_2024)
    at = {k: csv_rows[0].index(catalogue("zh")[f"col.{k}"]) for k in ("id", "actual_value", "baseline_value", "baseline_text")}
    row = next(r for r in csv_rows if r[at["id"]] == "2024-10604097")
    assert (row[at["actual_value"]], row[at["baseline_value"]], row[at["baseline_text"]]) == ("", "167350000000", "1673.5 亿元")


def test_the_reviewers_decision_has_its_own_columns(reviewed):
    book, _ = _book(reviewed)
    rows = _table(book["青浦区科委"])
    row = next(r for r in rows if r["commitment"].startswith("要研究制定配套政策"))
    assert (row["status"], row["tool_status"], row["reviewed_status"]) == ("已完成", "部分完成", "已完成")
    assert row["reviewer"] == "王审计" and row["review_date"] == datetime(2026, 3, 1)
    assert row["review_note"] == "区政府2024年12月已与复旦签约共建重点实验室（见会议纪要）"
    assert "王审计" not in (row["reason"] or "") and "decisions:kewei-2024-keylab" in row["rules"]
    assert book["青浦区科委"].cell(row=rows.index(row) + 2, column=[c.key for c in COLUMNS].index("review_date") + 1).is_date
    others = [r for r in rows if r is not row]
    assert all(r["reviewer"] is None and r["reviewed_status"] is None and r["review_date"] is None for r in others)
    assert all(r["tool_status"] == r["status"] for r in others)  # the tool's verdict, reviewed or not
    overview = {r[0]: r for r in book["总览"].iter_rows(min_row=2, max_row=3, values_only=True)}
    assert overview["青浦区科委"][-1] == 1
    csv_rows = _csv(reviewed)
    t = catalogue("zh")
    at = {k: csv_rows[0].index(t[f"col.{k}"]) for k in ("commitment", "reviewer", "review_date", "tool_status")}
    line = next(r for r in csv_rows if r[at["commitment"]].startswith("要研究制定配套政策"))
    assert (line[at["reviewer"]], line[at["review_date"]], line[at["tool_status"]]) == ("王审计", "2026-03-01", "部分完成")


def test_every_sheet_has_a_frozen_header_a_filter_widths_and_no_blank_cells(audit_2024):
    book, _ = _book(audit_2024)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert all(cell.font.bold for cell in sheet[1] if cell.value is not None)
        for row in sheet.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and not cell.value.strip()), (sheet.title, cell.coordinate)
    sheet = book["青浦区科委"]
    last = sheet.cell(row=1, column=len(COLUMNS)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}" and sheet.max_row == 34
    width = {c.key: sheet.column_dimensions[sheet.cell(row=1, column=j).column_letter].width for j, c in enumerate(COLUMNS, 1)}
    assert width["commitment"] >= 40 and width["evidence"] >= 40 and width["line"] <= 10 and width["id"] <= 20
    wrapped = {c.key for j, c in enumerate(COLUMNS, 1) if sheet.cell(row=2, column=j).alignment.wrap_text}
    assert {"commitment", "evidence", "reason", "section"} <= wrapped
    assert not wrapped & {"id", "line", "status", "confidence", "target_value", "completion", "reviewer", "review_date"}


def test_headers_and_sheet_names_in_both_languages(audit_2024):
    zh, en = catalogue("zh"), catalogue("en")
    book, _ = _book(audit_2024)
    assert [c.value for c in book["青浦区科委"][1]] == [zh[f"col.{c.key}"] for c in COLUMNS]
    book_en, _ = _book(audit_2024, "en")
    assert book_en.sheetnames == ["overview", "青浦区科委", "青浦区经委", "warnings"]
    header = [c.value for c in book_en["青浦区科委"][1]]
    assert header == [en[f"col.{c.key}"] for c in COLUMNS]
    assert header[:6] == ["id", "section", "commitment", "line", "verdict", "confidence"]
    assert "baseline (latest actual, while pending)" in header
    english = [c.value for s in ("overview", "warnings") for c in book_en[s][1]] + header
    assert not [h for h in english if any(CJK[0] <= ch <= CJK[1] for ch in h)]
    statuses = {r["status"] for s in ("青浦区科委", "青浦区经委") for r in _table(book_en[s])}
    assert statuses == {"met", "partial", "silent", "pending"}
    run = {r[0]: r[1] for r in book_en["overview"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert run["generated (Beijing time, UTC+8)"] == datetime(2026, 1, 1, 8, 0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_csv_has_the_body_sheets_columns_and_a_body_column(audit_2024, lang):
    book, _ = _book(audit_2024, lang)
    rows = _csv(audit_2024, lang)
    t = catalogue(lang)
    assert rows[0] == [t["col.body"]] + [c.value for c in book["青浦区科委"][1]]
    assert len(rows) == 1 + 33 + 49  # one row per commitment
    at = {c.key: j for j, c in enumerate(COLUMNS, 1)}
    kewei = next(r for r in rows[1:] if r[0] == "青浦区科委")
    assert int(kewei[at["line"]]) > 0 and 0 < float(kewei[at["confidence"]]) <= 1  # numbers, not "0.73%" or "行 269"


def test_formula_like_text_is_written_as_text(audit_2024):
    audit = audit_2024.audits[0]
    evil = ['=HYPERLINK("http://example.invalid","要点")', "+1", "-要提升科普水平", "@SUM(A1)", "\t要加强", "\r要落实"]
    commitments = [c.model_copy(update={"text": text, "section": evil[0]}) for c, text in zip(audit.commitments, evil)]
    result = audit_2024.model_copy(update={"audits": [audit.model_copy(update={"commitments": commitments})]})
    rows = _csv(result)
    at = rows[0].index("承诺事项")
    assert [r[at] for r in rows[1:]] == ["'" + text for text in evil]
    assert not [c for r in rows for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    book, _ = _book(result)
    sheet = book["青浦区科委"]
    cells = _cells(sheet, "commitment") + _cells(sheet, "section")
    assert [c.value for c in _cells(sheet, "commitment")] == evil
    assert {c.data_type for c in cells} == {"s"}
    assert not [c for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]


def test_control_characters_are_escaped_in_the_xlsx_and_noted(audit_2024):
    audit = audit_2024.audits[0]
    first = audit.commitments[0].model_copy(update={"text": "要推进\f孵化器\x01建设"})
    result = audit_2024.model_copy(update={"audits": [audit.model_copy(update={"commitments": [first]})]})
    book, notes = _book(result)
    assert book["青浦区科委"]["C2"].value == "要推进\\x0c孵化器\\x01建设"
    assert [(n.code, n.args) for n in notes] == [("xlsx_controls", {"count": 2, "chars": "U+0001, U+000C"})]
    assert _csv(result)[1][3] == "要推进\f孵化器\x01建设"  # the CSV keeps them


def test_the_same_audit_gives_the_same_bytes(audit_2024, reviewed):
    for result in (audit_2024, reviewed):
        for lang in ("zh", "en"):
            assert to_xlsx(result, lang)[0] == to_xlsx(result, lang)[0]
            assert to_csv(result, lang)[0] == to_csv(result, lang)[0]


def test_sheet_names_fit_excels_rules():
    long = "上海市青浦区人民政府办公室关于印发二〇二四年度重点工作任务分解方案的通知附件"
    names = sheet_names(["青浦区科委", "a/b:c*d?e[f]g\\h", long, long, "总览", "'引号'", "History", "", "QPKW", "qpkw", "x\x01y"],
                        ["总览", "提示"])
    assert names[0] == "青浦区科委"
    assert names[1] == "a_b_c_d_e_f_g_h"
    assert len(names[2]) == 31 and names[2] == long[:31]
    assert names[3].endswith(" (2)") and len(names[3]) == 31
    assert names[4] == "总览 (2)"  # a body named like the overview does not take its sheet
    assert names[5] == "引号"  # Excel refuses a leading or trailing apostrophe
    assert names[6] == "History (2)"  # Excel keeps History for itself
    assert names[7] == "单位8"
    assert (names[8], names[9]) == ("QPKW", "qpkw (2)")  # Excel compares names ignoring case
    assert names[10] == "x_y"
    assert len({n.casefold() for n in names}) == len(names)
    assert sheet_names(["国务院"], [], "en") == ["国务院"] and sheet_names([""], [], "en") == ["body 1"]
