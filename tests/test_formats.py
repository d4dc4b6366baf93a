"""Issue 7: the seeds as PDF and DOCX audit like the text files.

The PDFs are printed by Debian's chromium from the seed text, with Debian's WenQuanYi Micro Hei font
(fonts-wqy-microhei; .ci/run installs both): a real text layer with CJK glyphs, as a district website's
PDF has. The DOCX files are written by python-docx, one paragraph per line of the seed.
"""

import html
import os
import shutil

import pytest

from followup.corpus import load_corpus
from followup.pipeline import run_audit
from followup.report.messages import say

from chromium import CHROMIUM, launched
from conftest import FIXED_TIME, SEEDS

SEED_000 = "000_5ea2c2abc77d6374"
SEED_001 = "001_1ff71cb47a4eb644"


def _lines(stem):
    return [l for l in (SEEDS / f"{stem}.txt").read_text(encoding="utf-8").splitlines() if l.strip()]


def _pdf(stem, path):
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must apt-get install chromium fonts-wqy-microhei")
        pytest.skip("no chromium on this machine (apt-get install chromium fonts-wqy-microhei); CI runs this")
    body = "".join(f"<p>{html.escape(line)}</p>" for line in _lines(stem))
    page_html = ("<html><head><meta charset='utf-8'><style>body{font-family:'WenQuanYi Micro Hei',sans-serif;"
                 "font-size:15px;width:560px} p{margin:0 0 6px 0}</style></head><body>" + body + "</body></html>")
    with launched() as browser:
        page = browser.new_page()
        page.set_content(page_html)
        page.pdf(path=str(path), format="A4", display_header_footer=True,
                 header_template="<span style='font-size:8px'>青浦区科学技术委员会</span>",
                 footer_template="<span style='font-size:8px' class='pageNumber'></span>",
                 margin={"top": "60px", "bottom": "60px"})


def _docx(stem, path):
    import docx

    document = docx.Document()
    for line in _lines(stem):
        document.add_paragraph(line)
    document.save(str(path))


def _verdicts(folder, rules):
    result = run_audit(load_corpus(folder, rules), 2024, 2025, FIXED_TIME)
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    return [(c.text.replace(" ", ""), c.status) for c in kewei.commitments], result


@pytest.fixture(scope="module")
def text_verdicts(rules, tmp_path_factory):
    folder = tmp_path_factory.mktemp("txt")
    for stem in (SEED_000, SEED_001):
        shutil.copy(SEEDS / f"{stem}.txt", folder)
    return _verdicts(folder, rules)[0]


@pytest.mark.parametrize("make_000, make_001", [(_pdf, _pdf), (_docx, _docx), (_pdf, _docx)], ids=["pdf", "docx", "pdf+docx"])
def test_pdf_and_docx_give_the_same_commitments_and_verdicts(rules, tmp_path, text_verdicts, make_000, make_001):
    suffix = {_pdf: ".pdf", _docx: ".docx"}
    make_000(SEED_000, tmp_path / f"{SEED_000}{suffix[make_000]}")
    make_001(SEED_001, tmp_path / f"{SEED_001}{suffix[make_001]}")
    verdicts, result = _verdicts(tmp_path, rules)
    assert len(verdicts) == 33
    assert verdicts == text_verdicts
    assert not [w for w in result.warnings if "truncated" in say(w, "en") or "no 工作总结" in say(w, "en")]


def test_a_pdf_with_no_text_layer_is_reported_as_a_scan(tmp_path, rules):
    if not CHROMIUM:
        pytest.skip("no chromium")
    with launched() as browser:
        page = browser.new_page()
        page.set_content("<svg width='400' height='300'><rect width='300' height='200' fill='#888'/></svg>")
        page.pdf(path=str(tmp_path / "scan.pdf"))
    shutil.copy(SEEDS / f"{SEED_000}.txt", tmp_path)
    corpus = load_corpus(tmp_path, rules)
    [warning] = [w for w in corpus.warnings if w.document == "scan.pdf"]
    assert "scanned PDF with no text layer" in say(warning, "en")
    assert len(corpus.documents) == 1
