from hypothesis import given, settings, strategies as st

from conftest import FIXTURES
from followup.models import SourceText
from followup.normalize import fold, normalize


def _doc(path, rules):
    return normalize(SourceText(name=path.name, text=path.read_text(encoding="utf-8"), encoding="utf-8", sha1="0"), rules)


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from(list("，,()（）;；:：1.5０９ＡａDCMM青浦区科委 \u3000%％")), max_size=60))
def test_fold_keeps_the_length_so_offsets_stay_valid(text):
    assert len(fold(text)) == len(text)


def test_fold_unifies_half_and_full_width_but_keeps_numbers():
    assert fold("2024年(1-11月),营收646.6亿元;增长28%") == "2024年（1-11月），营收646.6亿元；增长28%"
    assert fold("1,000 家 19:37") == "1,000 家 19:37"
    assert fold("１２１０家") == "1210家"


def test_pdf_broken_lines_are_joined_into_paragraphs(rules):
    doc = _doc(FIXTURES / "pdf_broken.txt", rules)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "一、赋能产业升级，加快形成战略产业集聚态势"
    # The line break in 市西软/件 and the stray space at the page break are gone.
    assert texts[1].startswith("（一）持续助推软信产业“生态圈”打造。稳步推动市西软件信息园扩园产业规划，推动“大数字”")
    assert "1-11月，全区规模以上信息传输、软件和信息技术服务业企业数量达95家" in "".join(texts)


def test_every_character_keeps_its_source_line(rules):
    doc = _doc(FIXTURES / "pdf_broken.txt", rules)
    para = doc.paragraphs[1]
    assert para.line_at(0) == 3
    assert para.line_at(para.text.index("件信息园")) == 4


def test_letterhead_repeated_at_a_page_break_is_dropped(rules):
    doc = _doc(FIXTURES / "letterhead_repeat.txt", rules)
    joined = "".join(p.text for p in doc.paragraphs)
    assert "文件" not in joined
    assert "发布全国首个地市级数字化转型指数" in joined


def test_markdown_markup_is_stripped_and_tables_kept_as_rows(rules):
    doc = _doc(FIXTURES / "markdown_table.md", rules)
    assert doc.paragraphs[0].text == "一、2023 年挂图作战完成情况"
    rows = [p for p in doc.paragraphs if p.is_table_row]
    assert rows[0].cells == ["序号", "挂图名称", "2023 年目标", "全年完成情况", "完成率"]
    assert ["1", "规上产值", "1670 亿元（属地）", "1673.5 亿元（属地）", "100.2%"] in [r.cells for r in rows]
    assert any(p.text == "部门挂图任务" for p in doc.paragraphs)  # the <b> tags are gone
    assert not any("<b>" in p.text or "**" in p.text for p in doc.paragraphs)


def test_sharing_site_boilerplate_and_chunk_markers_are_removed(rules):
    doc = _doc(FIXTURES / "sharing_site.txt", rules)
    joined = "\n".join(p.text for p in doc.paragraphs)
    assert "会员分享" not in joined and "配套讲稿" not in joined and "关 键 词" not in joined
    # Chunk 1 ends "…集成电路、数字物流、工业" and chunk 2 begins "2、软件和云服务": one sentence again.
    assert "数字物流、工业软件和云服务等细分领域" in joined
    assert "XX亿元" in joined  # a redacted figure is kept as written, never turned into a number
