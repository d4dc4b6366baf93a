"""Issue 12: never lose a document. Files as an attacker, a broken download or a careless copy leaves
them — each is still read, or refused with one warning line naming it; never a traceback.

Every fixture is cut from the seeds: seed 000 holds 青浦区科委's 2024 plan, seed 001 the summary of
2024 that answers it, so a damaged 001 that is still read keeps the 33 commitments judged.
"""

import os
import random
import re
import shutil

import pytest

from followup.corpus import load_corpus
from followup.pipeline import run_audit
from followup.reader import read_corpus
from followup.report.messages import say

from conftest import FIXED_TIME, SEEDS

SEED_000 = "000_5ea2c2abc77d6374.txt"
SEED_001 = "001_1ff71cb47a4eb644.txt"


def _seed_bytes(name):
    return (SEEDS / name).read_bytes()


def _kewei(folder, rules):
    result = run_audit(load_corpus(folder, rules), 2024, 2025, FIXED_TIME)
    [kewei] = [a for a in result.audits if a.body == "青浦区科委"]
    return [(c.id, c.status) for c in kewei.commitments], result


def _messages(result, document):
    return [say(w, "en") for w in result.warnings if w.document == document]


@pytest.fixture(scope="module")
def clean_verdicts(rules, tmp_path_factory):
    folder = tmp_path_factory.mktemp("clean")
    for name in (SEED_000, SEED_001):
        shutil.copy(SEEDS / name, folder)
    return _kewei(folder, rules)[0]


def _with_001(folder, data):
    shutil.copy(SEEDS / SEED_000, folder)
    (folder / SEED_001).write_bytes(data)
    return folder


# -- 1. Decoding that keeps documents ------------------------------------------------------------
def test_a_stray_byte_is_read_as_a_replacement_character_with_one_warning(tmp_path, rules, clean_verdicts):
    data = _seed_bytes(SEED_001)
    # Two stray bytes at line ends, where no word is cut: the audit is the clean one.
    damaged = data[:1472] + b"\xff" + data[1472:10560] + b"\xfe" + data[10560:]
    verdicts, result = _kewei(_with_001(tmp_path, damaged), rules)
    assert verdicts == clean_verdicts and len(verdicts) == 33
    assert not [s for _, s in verdicts if s == "pending"]
    assert _messages(result, SEED_001) == ["2 bytes that are not UTF-8 at offsets 1472, 10561: read as \ufffd"]


def test_a_stray_byte_inside_a_character_names_every_byte_it_spoils(tmp_path, rules):
    data = _seed_bytes(SEED_001)
    # 1204 falls inside a three-byte character: its two halves are spoilt with the stray byte.
    verdicts, result = _kewei(_with_001(tmp_path, data[:1204] + b"\xff" + data[1204:]), rules)
    assert len(verdicts) == 33 and "pending" not in {s for _, s in verdicts}
    assert _messages(result, SEED_001) == ["4 bytes that are not UTF-8 at offsets 1202, 1203, 1204, 1205: read as \ufffd"]


def test_a_last_character_cut_in_half_keeps_the_document(tmp_path, rules, clean_verdicts):
    data = _seed_bytes(SEED_001)
    assert data.endswith("日".encode("utf-8"))
    verdicts, result = _kewei(_with_001(tmp_path, data[:-1]), rules)
    assert verdicts == clean_verdicts
    assert _messages(result, SEED_001) == [f"2 bytes that are not UTF-8 at offsets {len(data) - 3}, {len(data) - 2}: read as \ufffd"]


@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_a_damaged_gb18030_or_big5_file_is_read_in_its_encoding(tmp_path, rules, encoding):
    data = (SEEDS / SEED_001).read_text(encoding="utf-8").encode(encoding, "replace")  # Big5: traditional only
    cut = data.index(b"\n", 2000)
    (tmp_path / "kw.txt").write_bytes(data[:cut] + b"\xff" + data[cut:])
    [source], warnings, _ = read_corpus(tmp_path)
    assert source.encoding == encoding and not warnings
    assert [say(n, "en") for n in source.notes] == [f"1 byte that is not {encoding.upper()} at offset {cut}: read as \ufffd"]
    assert source.text == data[:cut].decode(encoding) + "\ufffd" + data[cut:].decode(encoding)


def test_a_utf8_file_with_a_byte_order_mark_and_a_stray_byte(tmp_path):
    data = b"\xef\xbb\xbf" + _seed_bytes(SEED_001)
    (tmp_path / "kw.txt").write_bytes(data[:1475] + b"\xff" + data[1475:])
    [source], warnings, _ = read_corpus(tmp_path)
    assert [say(n, "en") for n in source.notes] == ["1 byte that is not UTF-8 at offset 1475: read as \ufffd"] and not warnings


def test_more_damage_than_the_cap_is_a_broken_copy_not_a_quote_full_of_replacements(tmp_path, rules):
    data = bytearray(_seed_bytes(SEED_001))
    for offset in range(1000, 21000, 500):  # 40 stray bytes: more than 0.1% of 22 KB
        data[offset:offset] = b"\xff"
    sources, warnings, _ = read_corpus(_with_001(tmp_path, bytes(data)))
    assert [s.name for s in sources] == [SEED_000]
    [warning] = warnings
    assert warning.document == SEED_001 and "broken copy" in say(warning, "en")


def test_random_bytes_still_decode_to_nonsense(tmp_path):
    noise = bytes(b for b in random.Random(12).randbytes(30000) if b)  # no NUL: not caught as binary
    (tmp_path / "noise.txt").write_bytes(noise)
    sources, warnings, _ = read_corpus(tmp_path)
    assert not sources
    assert [say(w, "en") for w in warnings if w.document == "noise.txt"] == [
        "decodes to nonsense in UTF-8, UTF-16, GB18030 and Big5: not a text document, or a broken one"]


def test_gb18030_is_not_mistaken_for_damaged_utf8(tmp_path):
    # Mostly ASCII with a few Chinese words: a handful of bytes that are not UTF-8, all of them GB18030.
    text = "Qingpu 2024 report\n" * 40 + "青浦区科委工作总结\n" + "line of figures 1234\n" * 40
    (tmp_path / "gb.txt").write_bytes(text.encode("gb18030"))
    [source], _, _ = read_corpus(tmp_path)
    assert source.encoding == "gb18030" and "青浦区科委工作总结" in source.text and not source.notes


# -- 2. Saved web pages, parsed as a browser parses them -----------------------------------------
def _lines(name):
    """The seed's lines as a page shows them: runs of spaces read as one, none at either end."""
    return [" ".join(line.split()) for line in (SEEDS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _page(body):
    """A government site's page around ``body``: navigation, breadcrumbs, font tools, share, footer."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>青浦区人民政府</title>
<script>var nav = "首页";</script></head><body>
<div class="top"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/kw">区科委</a></div>
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 工作计划</div>
<div class="tools">【字体：<a>大</a> <a>中</a> <a>小</a>】 <a>打印本页</a></div>
<div class="article">{body}</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="foot">主办单位：上海市青浦区人民政府办公室 沪ICP备12345678号</div>
</body></html>"""


def _page_lines(folder, page):
    (folder / "page.html").write_text(page, encoding="utf-8")
    [source], warnings, _ = read_corpus(folder)
    assert not warnings
    return [line for line in source.text.splitlines() if line.strip()]


def test_paragraphs_without_end_tags_keep_every_section(tmp_path, rules, clean_verdicts):
    shutil.copy(SEEDS / SEED_000, tmp_path)
    (tmp_path / "kw2025.html").write_text(_page("".join(f"<p>{line}" for line in _lines(SEED_001))), encoding="utf-8")
    corpus = load_corpus(tmp_path, rules)
    info = next(i for i in corpus.infos if i.name == "kw2025.html")
    assert [(s.kind, s.year) for s in info.sections] == [("summary", 2024), ("plan", 2025)]
    verdicts, result = _kewei(tmp_path, rules)
    assert verdicts == clean_verdicts
    [doc] = [d for d in corpus.documents if d.name == "kw2025.html"]
    text = "\n".join(p.text for p in doc.paragraphs)
    for chrome in ("字体", "打印本页", "分享到", "您当前的位置", "沪ICP备", "var nav"):
        assert chrome not in text


def test_1100_paragraphs_without_end_tags_are_1100_lines(tmp_path):
    lines = (_lines(SEED_000) + _lines(SEED_001)) * 4
    lines = [f"{k:04d} {line}" for k, line in enumerate(lines[:1100])]
    assert _page_lines(tmp_path, _page("".join(f"<p>{line}" for line in lines))) == lines


def test_1100_unclosed_font_tags(tmp_path):
    lines = [f"{k:04d} {line}" for k, line in enumerate(((_lines(SEED_000) + _lines(SEED_001)) * 4)[:1100])]
    body = "".join(f'<font face="仿宋_GB2312" size="3">{line}<br>' for line in lines)
    assert _page_lines(tmp_path, _page(body)) == lines


def test_5000_nested_divs_are_read_tag_by_tag_with_a_warning(tmp_path, rules, clean_verdicts):
    shutil.copy(SEEDS / SEED_000, tmp_path)
    body = "<div>" * 5000 + "".join(f"<p>{line}</p>" for line in _lines(SEED_001)) + "</div>" * 5000
    (tmp_path / "kw2025.html").write_text(_page(body), encoding="utf-8")
    verdicts, result = _kewei(tmp_path, rules)
    assert verdicts == clean_verdicts
    [message] = _messages(result, "kw2025.html")
    assert "nested deeper than the HTML parser reads" in message


def test_tables_in_a_page_are_tab_separated_rows(tmp_path):
    rows = [["指标", "目标", "完成情况"], ["高新技术企业", "1210家", "1164家"]]
    table = "<table>" + "".join("<tr>" + "".join(f"<td>{c}" for c in row) for row in rows) + "</table>"
    lines = _lines(SEED_001)[:12]
    page_lines = _page_lines(tmp_path, _page("".join(f"<p>{line}" for line in lines) + table))
    assert page_lines == lines + ["指标\t目标\t完成情况", "高新技术企业\t1210家\t1164家"]


def test_a_page_declaring_another_encoding_is_read_as_the_reader_decoded_it(tmp_path):
    # Saved as UTF-8 by a browser, the page still says gb2312: the reader's decoding wins.
    lines = _lines(SEED_001)[:12]
    page = ('<?xml version="1.0" encoding="gb2312"?>\n'
            + _page("".join(f"<p>{line}</p>" for line in lines)).replace('charset="utf-8"', 'charset="gb2312"'))
    assert _page_lines(tmp_path, page) == lines


# -- 3. Archives: a .docx is a zip --------------------------------------------------------------
def _docx(lines, path, extra=()):
    """Seed lines as a Word document, plus ``extra`` (name, writer) members written into its zip."""
    import docx
    import zipfile

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for member, write in extra:
            with archive.open(member, "w", force_zip64=True) as handle:
                write(handle)
    return path


def _zeros(megabytes):
    def write(handle):
        chunk = bytes(1024 * 1024)
        for _ in range(megabytes):
            handle.write(chunk)
    return write


@pytest.fixture(scope="module")
def docx_bomb(tmp_path_factory):
    # A real Word document of seed 001 carrying a 258 MB "image" of zeros: 1 MB on disk at most.
    path = _docx(_lines(SEED_001), tmp_path_factory.mktemp("bomb") / "kw2025.docx", [("word/media/image1.png", _zeros(258))])
    assert path.stat().st_size < 1024 * 1024
    return path


def test_a_docx_decompression_bomb_is_refused_before_it_is_expanded(tmp_path, docx_bomb, monkeypatch):
    import zipfile

    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(str(name)) or real_open(self, name, *a, **k))
    shutil.copy(docx_bomb, tmp_path)
    sources, warnings, _ = read_corpus(tmp_path)
    assert opened == []  # refused from the zip's directory: not one member expanded
    assert not sources
    [message] = [say(w, "en") for w in warnings if w.document == "kw2025.docx"]
    assert re.fullmatch(r"would expand to 25\d MB \(the limit is 200 MB\): a decompression bomb, not read", message)


def test_a_docx_member_that_expands_a_thousandfold_is_refused(tmp_path):
    _docx(_lines(SEED_001), tmp_path / "kw2025.docx", [("word/media/image1.png", _zeros(20))])
    sources, warnings, _ = read_corpus(tmp_path)
    assert not sources
    [message] = [say(w, "en") for w in warnings if w.document == "kw2025.docx"]
    assert message.startswith("a member expands") and "decompression bomb" in message


def test_a_docx_with_its_images_is_read(tmp_path, rules):
    # Images are compressed already: an ordinary 3 MB picture is no bomb.
    noise = random.Random(1).randbytes(3 * 1024 * 1024)
    _docx(_lines(SEED_001), tmp_path / "kw2025.docx", [("word/media/image1.png", lambda h: h.write(noise))])
    [source], warnings, _ = read_corpus(tmp_path)
    assert not warnings and source.encoding == "docx" and "工作总结" in source.text


@pytest.mark.parametrize("make, expected", [
    (lambda path: path.write_bytes(b"PK\x03\x04" + _seed_bytes(SEED_001)[:4000]), "corrupt zip"),
    (lambda path: path.write_bytes(_docx(_lines(SEED_001), path).read_bytes()[:30000]), "corrupt zip"),
    (lambda path: _zip_of(path, {"word/readme.txt": _seed_bytes(SEED_001)}), "not a readable Word (.docx) file"),
    (lambda path: _zip_of(path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>"}), "not a readable Word (.docx) file"),
], ids=["not-a-zip", "truncated", "zip-not-docx", "broken-xml"])
def test_zips_that_are_not_word_documents_are_one_warning(tmp_path, make, expected):
    make(tmp_path / "kw2025.docx")
    sources, warnings, _ = read_corpus(tmp_path)
    assert not sources
    [message] = [say(w, "en") for w in warnings if w.document == "kw2025.docx"]
    assert expected in message and "\n" not in message


def _zip_of(path, members):
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)


# -- 4. Paths: links, depth and names ------------------------------------------------------------
@pytest.fixture
def corpus_and_outside(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    shutil.copy(SEEDS / SEED_000, corpus)
    shutil.copy(SEEDS / SEED_001, outside / "secret.txt")  # Chinese text: read, were the link followed
    return corpus, outside


def test_links_leading_outside_the_corpus_are_skipped_with_a_warning(corpus_and_outside):
    corpus, outside = corpus_and_outside
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "secret.txt").symlink_to(outside / "secret.txt")
    (corpus / "more").symlink_to(outside, target_is_directory=True)
    (corpus / "relative.txt").symlink_to("../outside/secret.txt")
    sources, warnings, _ = read_corpus(corpus)
    assert [s.name for s in sources] == [SEED_000]
    leaving = "a link leading outside the corpus folder: skipped (followed only while it stays inside)"
    assert sorted((w.document, say(w, "en")) for w in warnings) == [
        ("more", leaving), ("passwd.txt", leaving), ("relative.txt", leaving), ("secret.txt", leaving)]


def test_links_that_stay_inside_are_followed_once(corpus_and_outside):
    corpus, _ = corpus_and_outside
    (corpus / "2025").mkdir()
    shutil.copy(SEEDS / SEED_001, corpus / "2025")
    (corpus / "latest").symlink_to("2025", target_is_directory=True)  # the same folder under a second name
    (corpus / "1-first").symlink_to("2025", target_is_directory=True)  # met before the folder itself
    (corpus / "loop").symlink_to(".", target_is_directory=True)  # a link back to the corpus folder
    (corpus / "plan.txt").symlink_to(SEED_000)
    (corpus / "gone.txt").symlink_to("nowhere.txt")
    (corpus / "ping.txt").symlink_to("pong.txt")
    (corpus / "pong.txt").symlink_to("ping.txt")
    os.mkfifo(corpus / "pipe.txt")  # opening it to read would wait for a writer forever
    sources, warnings, _ = read_corpus(corpus)
    assert [s.name for s in sources] == [SEED_000, "2025/" + SEED_001, "plan.txt"]
    assert sorted((w.document, say(w, "en")) for w in warnings) == [
        ("1-first/", "a link to a folder already read: skipped"),
        ("gone.txt", "a link to nothing (its target does not exist): skipped"),
        ("latest/", "a link to a folder already read: skipped"),
        ("loop/", "a link to a folder already read: skipped"),
        ("ping.txt", "a link that loops back on itself: skipped"),
        ("pipe.txt", "not a file or a folder (a device, pipe or socket): skipped"),
        ("pong.txt", "a link that loops back on itself: skipped")]


def _nest(folder, depth, name="level"):
    """``depth`` folders, each inside the last, made relative to an open folder: no path grows long."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


def test_folders_nested_a_thousand_deep_are_a_warning_not_a_crash(tmp_path):
    import subprocess

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / SEED_000, corpus)
    _nest(corpus, 1000)
    shallow = corpus.joinpath(*["level"] * 10)
    shutil.copy(SEEDS / SEED_001, shallow)
    try:
        sources, warnings, _ = read_corpus(corpus)
    finally:
        subprocess.run(["rm", "-rf", str(corpus)], check=True)  # shutil.rmtree recurses: too deep for it
    assert [s.name for s in sources] == [SEED_000, "level/" * 10 + SEED_001]
    [warning] = warnings
    assert warning.document.startswith("level/level/") and "File name too long" in say(warning, "en")


def test_a_file_name_that_is_not_utf8_is_read_and_named_with_escapes(tmp_path, rules):
    shutil.copy(SEEDS / SEED_000, tmp_path)
    with open(os.path.join(os.fsencode(tmp_path), b"kw\xff\xfe2025.txt"), "wb") as handle:
        handle.write(_seed_bytes(SEED_001))
    corpus = load_corpus(tmp_path, rules)
    assert sorted(d.name for d in corpus.documents) == [SEED_000, "kw\\xff\\xfe2025.txt"]
    result = run_audit(corpus, 2024, 2025, FIXED_TIME)
    [kewei] = [a for a in result.audits if a.body == "青浦区科委"]
    assert {e.document for c in kewei.commitments for e in c.evidence} == {"kw\\xff\\xfe2025.txt"}
    result.model_dump_json().encode("utf-8")  # lone surrogates would make this raise


def test_control_characters_in_a_name_cannot_forge_a_line(tmp_path):
    forged = "kw\nwarning: all documents read\x1b[2K\u202e.txt"
    (tmp_path / forged).write_bytes(_seed_bytes(SEED_001))
    (tmp_path / "empty\r\n.txt").write_bytes(b"")
    sources, warnings, _ = read_corpus(tmp_path)
    [source] = sources
    assert source.name == "kw\\nwarning: all documents read\\x1b[2K\\u202e.txt"
    assert "工作总结" in source.text  # read by its real name
    assert [w.document for w in warnings] == ["empty\\r\\n.txt"]


# -- 5. Never a traceback: what a parser raises on a hostile file is one warning --------------------
def _pdf(page_entries):
    """A one-page PDF whose page dictionary holds ``page_entries``, its xref table exact."""
    content = b"BT /F1 12 Tf 72 712 Td (Qingpu 2025) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R " + page_entries + b" >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize("page_entries", [b"/MediaBox [0 0 (a) 792]", b"/MediaBox [0 0]", b"/MediaBox 9 0 R"],
                         ids=["text-in-box", "short-box", "dangling-box"])
def test_a_pdf_that_makes_pdfplumber_raise_is_one_warning(tmp_path, rules, page_entries):
    shutil.copy(SEEDS / SEED_000, tmp_path)
    (tmp_path / "kw2025.pdf").write_bytes(_pdf(page_entries))
    corpus = load_corpus(tmp_path, rules)
    assert [d.name for d in corpus.documents] == [SEED_000]
    [message] = [say(w, "en") for w in corpus.warnings if w.document == "kw2025.pdf"]
    assert message.startswith("the PDF reader failed on it (") and message.endswith("): skipped")
    assert "\n" not in message and len(message) < 250


def _docx_with_table(path, rows, edit):
    """Seed 001 as a Word document with a table of ``rows``, its XML then changed by ``edit``."""
    import io
    import zipfile

    import docx

    document = docx.Document()
    for line in _lines(SEED_001):
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(buffer)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member.filename)
            archive.writestr(member, edit(data) if member.filename == "word/document.xml" else data)
    return path


TABLE = [["指标", "目标", "完成情况"], ["高新技术企业", "1210家", "1164家"], ["技术合同", "95亿元", "100.2亿元"]]


@pytest.mark.parametrize("edit, first_row", [
    (lambda xml: xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="x"/>', 1), "指标\t目标\t完成情况"),
    (lambda xml: xml.replace(b"<w:tcPr>", b"<w:tcPr><w:vMerge/>", 1), "\t目标\t完成情况"),
    (lambda xml: xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="1000000000"/>', 1), "指标\t指标\t指标\t目标\t完成情况"),
], ids=["span-not-a-number", "merged-with-nothing-above", "span-of-a-billion"])
def test_a_malformed_word_table_is_read_without_hanging_or_raising(tmp_path, edit, first_row):
    _docx_with_table(tmp_path / "kw2025.docx", TABLE, edit)
    [source], warnings, _ = read_corpus(tmp_path)
    assert not warnings
    lines = source.text.splitlines()
    assert lines[:len(_lines(SEED_001))] == [line for line in (SEEDS / SEED_001).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines[-3:] == [first_row, "高新技术企业\t1210家\t1164家", "技术合同\t95亿元\t100.2亿元"]


def test_a_word_table_of_thousands_of_merged_rows(tmp_path):
    # The first column one cell merged down 3,000 rows: python-docx recurses once per row to find its
    # text (and rescans the rows above each time).
    def cell(text, merge=None):
        properties = f"<w:tcPr>{merge}</w:tcPr>" if merge else ""
        return f"<w:tc>{properties}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    start, below = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    rows = "".join("<w:tr>" + (cell("科技企业", start) if k == 0 else cell("", below)) + cell(f"{k}家") + "</w:tr>"
                   for k in range(3000))
    table = f"<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{rows}</w:tbl>"
    _docx_with_table(tmp_path / "kw2025.docx", [["表"]], lambda xml: re.sub(rb"<w:tbl>.*</w:tbl>", table.encode("utf-8"), xml, flags=re.S))
    [source], warnings, _ = read_corpus(tmp_path)
    assert not warnings
    assert source.text.splitlines()[-3000:] == [f"科技企业\t{k}家" for k in range(3000)]


def test_merged_cells_read_as_python_docx_reads_them(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("青浦区科委2024年工作总结")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 1).merge(table.cell(1, 2))  # across
    table.cell(1, 0).merge(table.cell(2, 0))  # down
    document.save(str(tmp_path / "kw.docx"))
    expected = ["\t".join(cell.text.replace("\n", "") for cell in row.cells) for row in docx.Document(str(tmp_path / "kw.docx")).tables[0].rows]
    [source], _, _ = read_corpus(tmp_path)
    assert source.text.splitlines()[-3:] == expected
