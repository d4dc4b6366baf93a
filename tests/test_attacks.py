"""The README's promises under attack (issue 12): never lose a document, never hang, never write nothing.

Each test is one attack a new user's mistake or a hostile file makes; the reading side (broken
encodings, web pages, archives, paths) is in test_reading_attacks.py.
"""

import csv
import hashlib
import io
import os
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from followup.cli import main
from followup.report import exports

from conftest import SEEDS

PLAN, SUMMARY = "000_5ea2c2abc77d6374.txt", "001_1ff71cb47a4eb644.txt"


def _tree(folder):
    h = hashlib.sha1()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def _seeds(folder, names=(PLAN, SUMMARY)):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes((SEEDS / name).read_bytes())
    return folder


@pytest.fixture
def run(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)

    def invoke(*args):
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err
    return invoke


# 1. The corpus is never deleted, nor anything the tool did not write.
@pytest.mark.parametrize("args, corpus", [
    (["audit", "2024", "2025", "--seeds", "data/2024-2025", "--out", "data"], "data/2024-2025"),
    (["audit", "--all", "--seeds", "data/all", "--out", "data"], "data/all"),
    (["diff", "2024", "2025", "--seeds", "data/diff-2024-2025", "--out", "data"], "data/diff-2024-2025"),
    (["audit", "2024", "2025", "--seeds", "data/docs", "--out", "."], "data/docs"),  # --out holds it: fine
])
def test_the_corpus_folder_is_never_replaced_by_a_report(run, tmp_path, args, corpus):
    folder = _seeds(tmp_path / corpus)
    before = _tree(folder)
    code, out, err = run(*args)
    assert _tree(folder) == before and sorted(p.name for p in folder.iterdir()) == [PLAN, SUMMARY]
    if corpus == "data/docs":
        assert code == 0
    else:
        assert code == 2 and "holds your documents or rules" in err and "Traceback" not in err
        assert not [p for p in (tmp_path / "data").iterdir() if p.name != corpus.split("/")[1]]  # nothing written


def test_a_folder_or_file_the_tool_did_not_write_is_never_replaced(run, tmp_path):
    _seeds(tmp_path / "seeds")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "2024-2025").write_text("my notes", encoding="utf-8")
    code, _, err = run("audit", "2024", "2025")
    assert code == 2 and "was not written by followup" in err
    assert (tmp_path / "reports" / "2024-2025").read_text(encoding="utf-8") == "my notes"
    (tmp_path / "reports" / "2024-2025").unlink()
    (tmp_path / "reports" / "2024-2025").mkdir()
    (tmp_path / "reports" / "2024-2025" / "mine.txt").write_text("keep", encoding="utf-8")
    assert run("audit", "2024", "2025")[0] == 2
    assert (tmp_path / "reports" / "2024-2025" / "mine.txt").read_text(encoding="utf-8") == "keep"
    (tmp_path / "reports" / "2024-2025" / "mine.txt").unlink()
    (tmp_path / "reports" / "2024-2025").rmdir()
    assert run("audit", "2024", "2025")[0] == 0
    assert run("audit", "2024", "2025")[0] == 0  # its own report is replaced


def test_the_rules_folder_is_never_replaced(run, tmp_path):
    _seeds(tmp_path / "seeds")
    (tmp_path / "out" / "2024-2025").mkdir(parents=True)
    (tmp_path / "out" / "2024-2025" / "mine.yaml").write_text("aliases: {高企: [高新企业]}\n", encoding="utf-8")
    code, _, err = run("audit", "2024", "2025", "--rules", "out/2024-2025", "--out", "out")
    assert code == 2 and "holds your documents or rules" in err
    assert (tmp_path / "out" / "2024-2025" / "mine.yaml").exists()


# 2. One control character never costs the report.
def test_a_form_feed_in_a_sentence_costs_no_format(run, tmp_path):
    folder = _seeds(tmp_path / "seeds")
    text = (folder / SUMMARY).read_text(encoding="utf-8").replace("紧抓海思龙头带动效应", "紧抓海思\f龙头\x01带动效应\x0b", 1)
    (folder / SUMMARY).write_text(text, encoding="utf-8")
    code, out, err = run("audit", "2024", "2025", "--lang", "en")
    assert code == 0, err
    report = tmp_path / "reports" / "2024-2025"
    assert {"index.html", "audit.json", "audit.csv", "audit.xlsx"} <= {p.name for p in report.iterdir()}
    assert "control characters (U+0001, U+000B, U+000C) that a spreadsheet cannot hold" in err
    book = load_workbook(report / "audit.xlsx")
    assert any("\\x0c" in str(c.value) for row in book.active.iter_rows() for c in row)
    assert run("audit", "2024", "2025", "--strict")[0] == 1


def test_a_format_that_fails_loses_none_of_the_others(run, tmp_path, monkeypatch):
    _seeds(tmp_path / "seeds")

    def broken(result, lang):
        raise ValueError("the spreadsheet library broke")
    monkeypatch.setattr("followup.report.exports.to_xlsx", broken)
    code, out, err = run("audit", "2024", "2025", "--lang", "en")
    assert code == 4 and "xlsx: not written (ValueError: the spreadsheet library broke)" in err
    report = tmp_path / "reports" / "2024-2025"
    assert {p.name for p in report.iterdir()} >= {"index.html", "audit.json", "audit.csv"}
    assert not (report / "audit.xlsx").exists()


def test_nothing_written_is_exit_5_and_leaves_no_staging_folder(run, tmp_path, monkeypatch):
    _seeds(tmp_path / "seeds")
    real_write = type(tmp_path).write_text
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_write(self, *args, **kwargs)
    monkeypatch.setattr(type(tmp_path), "write_text", failing)
    code, _, err = run("audit", "2024", "2025", "--format", "html")
    assert code == 5 and "No space left on device" in err
    assert not [p for p in (tmp_path / "reports").iterdir()]  # no staging folder, no half report


# 3. Formula injection: document text is data in a spreadsheet, never a formula.
def test_formula_like_text_is_never_a_formula(run, tmp_path):
    folder = _seeds(tmp_path / "seeds", (PLAN,))
    text = (folder / PLAN).read_text(encoding="utf-8")
    evil = '=CONCATENATE("要推进",1+1)。\n+要落实。\n@要加强。\n-要提升科普水平。\n=HYPERLINK("http://example.invalid","要点")。\n'
    (folder / PLAN).write_text(text.replace("（一）夯实核心产业支撑。", evil + "（一）夯实核心产业支撑。", 1), encoding="utf-8")
    assert run("audit", "2024", "2025")[0] == 0
    report = tmp_path / "reports" / "2024-2025"
    rows = list(csv.reader(io.StringIO((report / "audit.csv").read_text(encoding="utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert any(c.startswith("'=CONCATENATE") for c in cells) and any(c.startswith("'=HYPERLINK") for c in cells)
    book = load_workbook(report / "audit.xlsx")
    formulas = [c for row in book.active.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert any(str(c.value).startswith("=CONCATENATE") and c.data_type == "s" for row in book.active.iter_rows() for c in row)


def test_csv_cells_are_neutralised_as_owasp_recommends():
    assert [exports.csv_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "正常", 3)] == \
        ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "正常", 3]


# 4. Hangs: user patterns are bounded, YAML cannot expand without end.
def test_a_pattern_that_backtracks_forever_is_refused_by_rules_check(run, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "slow.yaml").write_text("ignore:\n  slow:\n    pattern: '(a+)+$'\n", encoding="utf-8")
    code, out, _ = run("rules", "check", "mine")
    assert code == 1 and "mine/slow.yaml:3: ignore.slow.pattern: a repeat of a repeat" in out


def test_a_slow_pattern_is_stopped_named_and_skipped(run, tmp_path):
    folder = _seeds(tmp_path / "seeds")
    text = (folder / SUMMARY).read_text(encoding="utf-8")
    (folder / SUMMARY).write_text(text + "\n" + "," * 80 + "\n", encoding="utf-8")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "slow.yaml").write_text("ignore:\n  commas:\n    pattern: '(.*?,){15}x'\n    scope: line\n",
                                                encoding="utf-8")
    code, out, err = run("audit", "2024", "2025", "--rules", "mine", "--lang", "en")
    assert code == 0
    assert "mine/slow.yaml:2: ignore.commas: the pattern ran over its time budget" in err


@pytest.mark.parametrize("text, expected", [
    ('a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n',
     "bomb.yaml:1: YAML anchors and aliases"),
    ("x: &x [*x]\n", "bomb.yaml:1: YAML anchors and aliases"),
    ("aliases:\n  a: " + "[" * 3000 + "]" * 3000 + "\n", "bomb.yaml:1: nested too deeply"),
])
def test_yaml_that_expands_without_end_is_refused_with_its_line(run, tmp_path, text, expected):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "bomb.yaml").write_text(text, encoding="utf-8")
    _seeds(tmp_path / "seeds")
    code, out, _ = run("rules", "check", "mine")
    assert code == 1 and expected in out
    code, _, err = run("audit", "2024", "2025", "--rules", "mine")
    assert code == 2 and expected in err and not (tmp_path / "reports").exists()


# 8. The terminal: names cannot forge lines; any console encoding works.
def test_a_file_name_cannot_forge_a_terminal_line(run, tmp_path):
    folder = _seeds(tmp_path / "seeds")
    (folder / "x\nwarning: forged.txt").write_text("not a document", encoding="utf-8")
    code, out, err = run("audit", "2024", "2025")
    assert code == 0 and not any(line.startswith("warning: forged") for line in err.splitlines())


def test_a_big5_console_gets_escapes_not_a_crash(tmp_path):
    _seeds(tmp_path / "seeds")
    proc = subprocess.run([sys.executable, "-m", "followup", "audit", "2024", "2025"], cwd=tmp_path, capture_output=True,
                          env={**os.environ, "PYTHONIOENCODING": "big5"})
    assert proc.returncode == 0, proc.stderr.decode("big5", "replace")
    assert b"Traceback" not in proc.stderr
