import json
from html.parser import HTMLParser

from followup.corpus import prepare_corpus
from followup.pipeline import run_audit
from followup.models import SourceText
from followup.report import write_report
from followup.report.views import audit_views
from followup.report.writer import json_pieces, render_html
from followup.pipeline import run_diff

from conftest import FIXED_TIME

PLAN = """上海市松江区科学技术委员会文件
松科委〔2024〕1号
松江区科委 2023 年工作总结和 2024 年工作要点
2023 年工作总结
一、总体情况
（一）基础工作。完成各项测试任务。
2024 年工作要点
一、重点任务
（一）安全工作。要在系统中展示"><svg/onload=alert(1)>和 a < b & c > d 原文。要推进测试平台建设。
松江区科学技术委员会
2024 年 3 月 1 日
"""


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        self._in = tag == "script"
        if tag in ("link", "img", "iframe") or (tag == "script" and dict(attrs).get("src")):
            self.scripts.append(f"external {tag}")

    def handle_data(self, data):
        if self._in:
            self.scripts.append(data)

    def handle_endtag(self, tag):
        self._in = False


def test_writes_json_and_self_contained_pages(audit_2024, tmp_path):
    folder = write_report(audit_2024, tmp_path).folder
    assert folder == tmp_path / "2024-2025"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".followup-report.json", "audit.csv", "audit.json", "audit.xlsx", "body-01.html", "body-02.html", "index.html"]
    manifest = json.loads((folder / ".followup-report.json").read_text(encoding="utf-8"))
    assert manifest["generator"] == "followup" and "audit.json" in manifest["files"]
    data = json.loads((folder / "audit.json").read_text(encoding="utf-8"))
    assert data["plan_year"] == 2024 and data["summary_year"] == 2025 and data["format_version"]
    for page in folder.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        parser = _Scripts()
        parser.feed(html)
        # inline scripts only (report.js; on a body page also review.js and its words), nothing fetched
        assert parser.scripts and not [s for s in parser.scripts if s.startswith("external")]
        assert len(parser.scripts) == (3 if page.name.startswith("body-") else 1)
        assert all("http" not in s for s in parser.scripts)
        assert "<link" not in html and "src=" not in html
    body = (folder / "body-01.html").read_text(encoding="utf-8")
    assert 'id="' + data["audits"][0]["commitments"][0]["id"] + '"' in body
    assert sum(p.stat().st_size for p in folder.glob("*.html")) < 1_000_000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left behind


def test_json_written_body_by_body_is_the_whole_dump(audit_2024, corpus):
    pieces = list(json_pieces(audit_2024))
    assert len(pieces) == len(audit_2024.audits) + 2  # never the whole result in one buffer
    assert b"".join(pieces).decode("utf-8") == audit_2024.model_dump_json(indent=2) + "\n"
    diff = run_diff(corpus, 2024, 2025, FIXED_TIME)
    assert b"".join(json_pieces(diff)).decode("utf-8") == diff.model_dump_json(indent=2) + "\n"
    empty = audit_2024.model_copy(update={"audits": []})
    assert b"".join(json_pieces(empty)).decode("utf-8") == empty.model_dump_json(indent=2) + "\n"


def test_page_counts_equal_the_json_counts(audit_2024):
    overview, pages = audit_views(audit_2024)
    for row, page, audit in zip(overview["rows"], pages, audit_2024.audits):
        assert {c["status"]: c["n"] for c in row["counts"]} == audit.counts
        assert sum(len(s["cards"]) for s in page["sections"]) == len(audit.commitments)


def test_format_chooses_the_files(audit_2024, tmp_path):
    folder = write_report(audit_2024, tmp_path, formats=("json", "csv")).folder
    assert sorted(p.name for p in folder.iterdir()) == [".followup-report.json", "audit.csv", "audit.json"]


def test_english_labels(audit_2024):
    html = render_html(audit_2024, lang="en")
    assert "partial" in html and "部分完成" not in html


def test_document_text_is_escaped_never_run(rules):
    corpus = prepare_corpus([SourceText(name="x.txt", text=PLAN, encoding="utf-8", sha1="0")], rules)
    result = run_audit(corpus, 2024, 2025, generated_at=FIXED_TIME)
    texts = [c.text for a in result.audits for c in a.commitments]
    assert any("<svg/onload=alert(1)>" in t for t in texts)
    html = render_html(result)
    assert "&lt;svg/onload=alert(1)&gt;" in html and "a &lt; b &amp; c &gt; d" in html
    assert "<svg/onload" not in html


def test_markup_in_a_text_copy_is_stripped_and_headings_survive_it(rules):
    plan = PLAN.replace("一、重点任务", "<h2 class=t>一、重点任务</h2>").replace("（一）安全工作。", "<h3>（一）{{ title }}安全工作。")
    result = run_audit(prepare_corpus([SourceText(name="x.txt", text=plan, encoding="utf-8", sha1="0")], rules),
                       2024, 2025, generated_at=FIXED_TIME)
    [first, *_] = result.audits[0].commitments
    assert first.section == "一、重点任务 / （一）安全工作" and "<h3>" not in first.text


def test_rewriting_a_report_replaces_the_old_one_whole(audit_2024, tmp_path):
    folder = write_report(audit_2024, tmp_path).folder
    (folder / "stale.txt").write_text("old", encoding="utf-8")
    write_report(audit_2024, tmp_path).folder
    assert "stale.txt" not in [p.name for p in folder.iterdir()]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-2025"]


def test_same_input_same_bytes(audit_2024, tmp_path):
    a = write_report(audit_2024, tmp_path / "a").folder
    b = write_report(audit_2024, tmp_path / "b").folder
    for name in ("audit.json", "index.html", "body-01.html", "audit.csv", "audit.xlsx"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_chinese_pages_show_reasons_in_chinese(audit_2024, corpus, rules):
    from followup.pipeline import run_audit
    html = render_html(audit_2024) + render_html(run_audit(corpus, 2023, 2024, generated_at=FIXED_TIME))
    for english in ("actions answered", "no outcome holds", "lead action", "targets reached", "in the corpus yet"):
        assert english not in html
