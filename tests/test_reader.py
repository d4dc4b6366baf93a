import codecs

import pytest

from followup.reader import decode, read_corpus
from followup.errors import DocumentError, UsageError
from followup.report.messages import say

TEXT = "青浦区科委2024年工作要点\n要持续推进市西软件信息园扩园产业规划。\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
    ],
)
def test_decodes_the_encodings_government_files_come_in(data, encoding):
    text, found = decode(data, "x.txt")
    assert text.lstrip("\ufeff") == TEXT
    assert found == encoding


@pytest.mark.parametrize("data, message", [(b"", "empty"), (b"  \n\n", "empty"), (b"\x00\x01\x02PK", "binary")])
def test_unreadable_files_raise_a_document_error_naming_the_problem(data, message):
    with pytest.raises(DocumentError) as err:
        decode(data, "bad.txt")
    assert err.value.document == "bad.txt" and err.value.code == message


def test_bad_files_become_warnings_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    sources, warnings, _ = read_corpus(tmp_path)
    assert [s.name for s in sources] == ["good.txt"]
    messages = {w.document: say(w, "en") for w in warnings}
    assert "empty" in messages["empty.txt"]
    assert "not a readable PDF" in messages["scan.pdf"]
    assert ".hidden.txt" not in messages


def test_a_missing_corpus_folder_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        read_corpus(tmp_path / "nope")
