"""Issue 7: a corpus wrong in the ways corpora are. Each case: its message, and the rest still audited."""

import shutil

import pytest

from followup import reader as reader_module
from followup.corpus import load_corpus
from followup.pipeline import run_audit
from followup.report.messages import say

from conftest import FIXED_TIME, SEEDS

SEED_000 = "000_5ea2c2abc77d6374.txt"
SEED_001 = "001_1ff71cb47a4eb644.txt"


@pytest.fixture
def folder(tmp_path):
    for path in SEEDS.iterdir():
        shutil.copy(path, tmp_path)
    return tmp_path


def _audit(folder, rules, rules_override=None):
    result = run_audit(load_corpus(folder, rules_override or rules), 2024, 2025, FIXED_TIME)
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    assert len(kewei.commitments) == 33  # the rest of the corpus is still audited
    return result


def _messages(result, document):
    return [say(w, "en") for w in result.warnings if w.document == document]


def _text(name):
    return (SEEDS / name).read_text(encoding="utf-8")


def _kewei_verdicts(folder, rules):
    result = run_audit(load_corpus(folder, rules), 2024, 2025, FIXED_TIME)
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    return [(c.id, c.status, [(e.text, e.line) for e in c.evidence]) for c in kewei.commitments]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_the_same_documents_in_other_encodings_give_the_same_audit(tmp_path, rules, encoding):
    (tmp_path / "utf8").mkdir()
    (tmp_path / encoding).mkdir()
    for name in (SEED_000, SEED_001):
        (tmp_path / "utf8" / name).write_bytes(_text(name).encode("utf-8"))
        (tmp_path / encoding / name).write_bytes(_text(name).encode(encoding))
    assert _kewei_verdicts(tmp_path / encoding, rules) == _kewei_verdicts(tmp_path / "utf8", rules)
    found = {i.encoding for i in load_corpus(tmp_path / encoding, rules).infos}
    assert found == {"utf-16" if encoding.startswith("utf-16") else encoding}


def test_big5_is_detected_and_reported(tmp_path, rules):
    text = "臺北市政府科技委員會文件\n2023年工作總結\n一、推動產業發展\n（一）完成科技計畫。全年新增高新技術企業一百二十家，較上年增長百分之十二。\n"
    (tmp_path / "big5.txt").write_bytes(text.encode("big5"))
    corpus = load_corpus(tmp_path, rules)
    assert corpus.infos[0].encoding == "big5"
    assert "高新技術企業" in "".join(p.text for p in corpus.documents[0].paragraphs)


def test_empty_binary_and_nonsense_files_are_warnings(folder, rules):
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "latin.txt").write_bytes("Ã©Ã¨Ã ÃªÃ§ mojibake Ã¤Ã¶Ã¼".encode("latin-1", "replace") * 50)
    result = _audit(folder, rules)
    assert "empty" in _messages(result, "empty.txt")[0]
    assert "binary" in _messages(result, "image.txt")[0] or "nonsense" in _messages(result, "image.txt")[0]
    assert _messages(result, "latin.txt")  # no Chinese, or nonsense: never a document


def test_the_same_document_as_txt_and_docx_is_audited_once(folder, rules):
    import docx

    document = docx.Document()
    for line in _text(SEED_001).splitlines():
        document.add_paragraph(line)
    document.save(str(folder / "copy-of-001.docx"))
    result = _audit(folder, rules)
    assert any(f"the same document as {SEED_001} (kept {SEED_001}" in m for m in _messages(result, "copy-of-001.docx"))


def test_two_documents_claiming_the_same_body_and_year(folder, rules, tmp_path):
    later = _text(SEED_001).replace("2025年1月16日", "2025年2月20日").replace("24家企业通过履约贷审批", "30家企业通过履约贷审批")
    later = later.replace("研究制定青浦区科技服务业产业扶持政策。", "出台青浦区科技服务业产业扶持政策。")
    (folder / "revised-001.txt").write_text(later, encoding="utf-8")
    result = run_audit(load_corpus(folder, rules), 2024, 2025, FIXED_TIME)
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    assert kewei.summary_document == "revised-001.txt"  # the later one
    assert any("several documents hold the 2024 work summary" in say(w, "en") and "documents` rule" in say(w, "en") for w in result.warnings)
    # The user chooses with a rule.
    user = tmp_path / "my-rules"
    user.mkdir()
    (user / "choice.yaml").write_text("documents:\n  revised-001.txt:\n    use: false\n    note: 草稿\n", encoding="utf-8")
    from followup.rules import load_rules
    chosen_rules = load_rules(user)
    result = run_audit(load_corpus(folder, chosen_rules), 2024, 2025, FIXED_TIME)
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    assert kewei.summary_document == SEED_001
    assert any("left out by documents:revised-001.txt" in m and "草稿" in m for m in _messages(result, "revised-001.txt"))


def test_unknown_body_and_missing_date(folder, rules):
    (folder / "anonymous.txt").write_text("2024年工作总结\n一、总体情况\n（一）基础工作。完成各项任务十项。\n", encoding="utf-8")
    result = _audit(folder, rules)
    messages = " | ".join(_messages(result, "anonymous.txt"))
    assert "issuing body not found" in messages and "no date found" in messages


def test_years_in_chinese_numerals(tmp_path, rules):
    text = _text(SEED_000).replace("2024 年工作要点", "二〇二四年工作要点").replace("2023 年工作总结", "二〇二三年工作总结")
    (tmp_path / SEED_000).write_text(text, encoding="utf-8")
    info = load_corpus(tmp_path, rules).infos[0]
    assert [(s.kind, s.year) for s in info.sections] == [("summary", 2023), ("plan", 2024)]


def test_a_file_too_large_to_be_a_document(folder, rules, monkeypatch):
    monkeypatch.setattr(reader_module, "MAX_BYTES", 30_000)
    (folder / "huge.txt").write_text("青浦区科委" * 20_000, encoding="utf-8")
    result = _audit(folder, rules)
    assert "too large" in _messages(result, "huge.txt")[0]


def test_a_folder_with_many_files(folder, rules):
    sub = folder / "misc"
    sub.mkdir()
    for i in range(400):
        (sub / f"note-{i:03d}.txt").write_text(f"会议记录第{i}号。今天讨论了工作。", encoding="utf-8")
    result = _audit(folder, rules)
    assert sum(1 for w in result.warnings if w.document.startswith("misc/")) >= 400


def test_a_saved_government_web_page(tmp_path, rules):
    body = "".join(f"<p>{line}</p>" for line in _text(SEED_001).splitlines() if line.strip())
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>青浦区人民政府</title>
<script>var nav = "首页";</script></head><body>
<div class="top"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/kw">区科委</a></div>
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 工作计划</div>
<div class="tools">【字体：<a>大</a> <a>中</a> <a>小</a>】 <a>打印本页</a> <a>关闭窗口</a></div>
<div class="article">{body}</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="foot">主办单位：上海市青浦区人民政府办公室 网站标识码3101180000 沪ICP备12345678号</div>
</body></html>"""
    (tmp_path / "kw2025.html").write_text(page, encoding="utf-8")
    corpus = load_corpus(tmp_path, rules)
    text = "\n".join(p.text for p in corpus.documents[0].paragraphs)
    for chrome in ("字体", "打印本页", "分享到", "您当前的位置", "沪ICP备", "var nav"):
        assert chrome not in text
    info = corpus.infos[0]
    assert info.body == "青浦区科委" and info.number == "青科委〔2025〕1号"
    assert [(s.kind, s.year) for s in info.sections] == [("summary", 2024), ("plan", 2025)]
