"""audit.csv and audit.xlsx read back as a spreadsheet would, and compared with audit.json."""

import csv
import io
import json

from openpyxl import load_workbook

from followup.report import write_report
from followup.report.messages import catalogue, say


def _expected(data):
    t = catalogue("zh")
    return [(a["body"], c["id"], c["text"], t["status." + c["status"]]) for a in data["audits"] for c in a["commitments"]]


def test_csv_opens_with_the_chinese_intact(audit_2024, tmp_path):
    folder = write_report(audit_2024, tmp_path, formats=("json", "csv")).folder
    raw = (folder / "audit.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel and WPS need to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["单位", "编号", "部分", "承诺事项"]
    data = json.loads((folder / "audit.json").read_text(encoding="utf-8"))
    got = [(r[0], r[1], r[3], r[6]) for r in body]
    assert got == _expected(data)
    silent = next(r for r in body if r[6] == "未提及")
    assert silent[10] == ""  # no evidence for a silent one
    met = next(r for r in body if r[6] == "已完成")
    assert "［001_1ff71cb47a4eb644.txt:" in met[10]


def test_xlsx_holds_the_same_rows(audit_2024, tmp_path):
    folder = write_report(audit_2024, tmp_path, formats=("json", "xlsx")).folder
    book = load_workbook(folder / "audit.xlsx")
    sheet = book["承诺事项"]
    values = list(sheet.iter_rows(values_only=True))
    data = json.loads((folder / "audit.json").read_text(encoding="utf-8"))
    assert [(r[0], r[1], r[3], r[6]) for r in values[1:]] == _expected(data)
    assert [r[1] for r in book["提示"].iter_rows(min_row=2, values_only=True)] == [say(w, "zh") for w in audit_2024.warnings]
