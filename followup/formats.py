"""PDF, Word and saved web pages turned into the plain text the normaliser reads.

Every format comes out the same way: one line per line of text, a table as tab-separated rows, so
normalising (joining broken lines, dropping page furniture) is the same for all of them.

- PDF, by pdfplumber: it keeps Chinese text in reading order from its character positions and finds
  tables by their ruling lines (pypdf reads text only, and often out of order); MIT licensed. Text
  inside a table is read once, as the table. Lines repeated at the top or bottom of most pages
  (running headers, footers) are dropped; page numbers go by the rules' `page_number`. A PDF with no
  text layer is a scan: reported as such, never read as empty (no OCR).
- DOCX, by python-docx: paragraphs and tables in document order; headers and footers live in other
  parts of the file and are not read.
- HTML saved from a government site, by lxml (libxml2's HTML parser: end tags a page leaves out are
  closed as a browser closes them): the article is the deepest element holding most of the page's
  Chinese text; navigation, breadcrumbs, 【字体：大 中 小】 and share buttons around it are dropped. A
  page nested deeper than libxml2 goes (2,048 levels) is built tag by tag instead, with a note.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from html.parser import HTMLParser

from followup.errors import DocumentError
from followup.models import Note

_CJK = re.compile(r"[\u4e00-\u9fff]")


def sniff(data: bytes, suffix: str) -> str:
    """'pdf', 'docx', 'html' or 'text', from the content first and the file name second."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and (suffix == ".docx" or b"word/" in data[:4096]):
        return "docx"
    lowered = head[:512].lower()
    if suffix in (".html", ".htm", ".shtml") or lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


# -- PDF ------------------------------------------------------------------------------------
def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def pdf_text(data: bytes, name: str) -> str:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a broken file
        raise DocumentError(name, "pdf_unreadable", error=type(exc).__name__) from None
    pages: list[list[tuple[float, str]]] = []
    with pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            body = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes)) if boxes else page
            items = [(line["top"], line["text"]) for line in body.extract_text_lines(layout=False, strip=True) if line["text"].strip()]
            for table in tables:
                rows = table.extract()
                for k, row in enumerate(rows):
                    cells = [(c or "").replace("\n", "") for c in row]
                    if any(cells):
                        items.append((table.bbox[1] + k * 0.01, "\t".join(cells)))
            pages.append(sorted(items, key=lambda it: it[0]))
    if not pages:
        raise DocumentError(name, "pdf_no_pages")
    if sum(len(_CJK.findall(text)) for page in pages for _, text in page) < 10:
        raise DocumentError(name, "pdf_scanned")
    furniture = _running_lines(pages)
    lines: list[str] = []
    for page in pages:
        lines.extend(text for _, text in page if text not in furniture)
        lines.append("")
    return "\n".join(lines)


def _running_lines(pages: list[list[tuple[float, str]]]) -> set[str]:
    """Lines at the top or bottom of most pages: a running header or footer."""
    if len(pages) < 3:
        return set()
    edges = Counter()
    for page in pages:
        for _, text in page[:2] + page[-2:]:
            edges[re.sub(r"\d+", "#", text)] += 1
    repeated = {shape for shape, n in edges.items() if n >= 0.6 * len(pages)}
    return {text for page in pages for _, text in page if re.sub(r"\d+", "#", text) in repeated}


# -- DOCX -----------------------------------------------------------------------------------
# A .docx is a zip: a 1 MB file can expand to gigabytes, and the 50 MB limit on the file says nothing
# about that. The zip's own directory gives each member's size before anything is expanded, and
# Python's zipfile never expands a member past the size it declares (it stops and fails the CRC), so
# the declared sizes bound the work. A work document's parts are a few MB of XML, compressed about
# tenfold; its images are compressed already.
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # expanded / compressed, for a member over RATIO_FROM bytes
RATIO_FROM = 1024 * 1024


def _check_archive(data: bytes, name: str) -> None:
    """Refuse a zip that is corrupt or would expand beyond the limits, before any member is read."""
    import zipfile

    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise DocumentError(name, "docx_corrupt", error=str(exc)[:160]) from None
    total = sum(member.file_size for member in members)
    if total > MAX_EXPANDED_BYTES:
        raise DocumentError(name, "docx_bomb", mb=round(total / 1024 / 1024), limit_mb=MAX_EXPANDED_BYTES // 1024 // 1024)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise DocumentError(name, "docx_bomb_member", ratio=round(ratio), mb=round(member.file_size / 1024 / 1024),
                                limit=MAX_RATIO, from_mb=RATIO_FROM // 1024 // 1024)


def docx_text(data: bytes, name: str) -> str:
    import docx
    from docx.text.paragraph import Paragraph

    _check_archive(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError, BadZipFile, ValueError …
        raise DocumentError(name, "docx_unreadable", error=type(exc).__name__) from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            lines.extend(_table_lines(child, document))
    return "\n".join(lines)


def _table_lines(table, parent) -> list[str]:
    """Each row of a Word table as tab-separated cells, as python-docx's ``row.cells`` gives them.

    A cell spanning columns is repeated in each, a cell merged with the one above takes its text.
    Read here in one pass over the XML because python-docx finds the cell above by recursion and by
    rescanning the rows, and repeats a cell as many times as it claims to span: a table of a few
    thousand merged rows, or one cell claiming a million columns, would crash or hang it. A span is
    held to the table's own width.
    """
    from docx.oxml.ns import qn
    from docx.table import _Cell

    rows = table.tr_lst
    grid = table.find(qn("w:tblGrid"))  # looked up, not required: a table without one is still read
    width = max([len(grid.findall(qn("w:gridCol"))) if grid is not None else 0] + [len(tr.tc_lst) for tr in rows] + [1])
    above: dict[int, str] = {}  # the previous row's text at each grid column
    lines: list[str] = []
    for tr in rows:
        column = _attribute(lambda: tr.grid_before, 0)
        here: dict[int, str] = {}
        cells: list[str] = []
        for tc in tr.tc_lst:
            span = min(max(_attribute(lambda: tc.grid_span, 1), 1), width)
            if _attribute(lambda: tc.vMerge, None) == "continue":
                text = above.get(column, "")
            else:
                text = _Cell(tc, parent).text.replace("\n", "")
            for k in range(span):
                here[column + k] = text
            cells.extend([text] * span)
            column += span
        above = here
        lines.append("\t".join(cells))
    return lines


def _attribute(read, default):
    """A table attribute, or ``default`` when the file holds something python-docx cannot parse."""
    try:
        value = read()
    except (ValueError, TypeError):
        return default
    return default if value is None else value


# -- HTML -----------------------------------------------------------------------------------
# Parsed by lxml's HTML parser (libxml2): it closes what a page leaves open as a browser does (<p>line
# <p>line are siblings, not each inside the last), and with huge_tree it takes pages nested 2,048 deep.
# Every walk over the tree below is a loop over an explicit stack: a page nests as deep as it likes,
# Python's recursion limit is never in play.
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "form", "button", "select", "svg"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "ul", "ol", "blockquote", "pre"}
_CELL = {"td", "th"}
ARTICLE_SHARE = 0.6  # the article holds at least this share of the page's Chinese text
MIN_TEXT = 10  # Chinese characters: fewer is a label or a button, not text
MAX_HTML_DEPTH = 2048  # libxml2's limit with huge_tree; a parse that reaches it stops there


def _is_element(node) -> bool:
    """An element, not a comment or processing instruction (their tag is a function in lxml)."""
    return isinstance(node.tag, str)


def _parse_html(text: str, name: str):
    """The page's root element, or None when the parser stopped before the end of the page."""
    import lxml.etree
    import lxml.html

    # The text is already decoded (the reader reports how): handed over as UTF-8 with that encoding
    # named, so a <meta charset> or an XML declaration in the page cannot make lxml decode it again.
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise DocumentError(name, "html_unreadable", error=type(exc).__name__) from None
    # A fatal error is the parser giving up (nested past its limit): what follows it is not in the tree.
    if any(error.level == lxml.etree.ErrorLevels.FATAL for error in parser.error_log):
        return None
    return root


def _cjk_counts(elements: list) -> dict:
    """Chinese characters under each of ``elements`` (a tree in document order), link text and
    skipped elements left out. Children are counted before their parents: one pass, no recursion.
    """
    counts: dict = {}
    for element in reversed(elements):
        if not _is_element(element) or element.tag in _SKIP:
            counts[element] = 0
            continue
        # link text is navigation, not article
        counts[element] = _own_cjk(element) + sum(counts[child] for child in element if child.tag != "a")
    return counts


def _article(root, counts: dict):
    """The deepest element that still holds most of the page's Chinese text.

    What a descent leaves behind is meant to be navigation and footers, which sit in elements of
    their own. It stops where what it would leave behind is mostly the element's own running text
    (beside its child elements): a page that leaves tags open nests each line inside the one before
    (<font>line<br><font>line…), and going deeper there would drop the first lines of the article.
    """
    total = counts[root]
    node = root
    while True:
        inner = [c for c in node if _is_element(c) and c.tag not in _SKIP and counts[c] >= ARTICLE_SHARE * total]
        if not inner:
            return node
        own = _own_cjk(node)
        if own >= MIN_TEXT and own >= (counts[node] - counts[inner[0]]) / 2:
            return node
        node = inner[0]


def _own_cjk(node) -> int:
    """Chinese characters in ``node``'s own text: before, between and after its child elements."""
    return len(_CJK.findall(node.text or "")) + sum(len(_CJK.findall(child.tail or "")) for child in node)


def _render(node) -> str:
    """The text of ``node``: blocks as line breaks, table cells as tabs, skipped elements left out."""
    out = [_spaces(node.text)]
    stack: list[tuple[str, object]] = [("element", child) for child in reversed(node)]
    while stack:
        what, item = stack.pop()
        if what == "text":
            out.append(item)
        elif what == "end":
            out.append("\t" if item.tag in _CELL else "\n")
        elif not _is_element(item) or item.tag in _SKIP:
            out.append(_spaces(item.tail))  # the text after a dropped element is its parent's
        else:
            if item.tag in _BLOCK:
                out.append("\n")
            out.append(_spaces(item.text))
            stack.append(("text", _spaces(item.tail)))
            if item.tag in _BLOCK or item.tag in _CELL:
                stack.append(("end", item))
            stack.extend(("element", child) for child in reversed(item))
    return "".join(out)


def _spaces(text: str | None) -> str:
    return re.sub(r"\s+", " ", text) if text else ""


class _DeepTree(HTMLParser):
    """The tree of a page nested deeper than libxml2 goes, built tag by tag with lxml's TreeBuilder.

    Only for such a page (an attack, or a generator gone wrong): an end tag closes the elements
    opened after the nearest open one of its name, an end tag with none open is ignored, void
    elements (<br>, <img>) hold nothing, and tags are otherwise taken as written — the article is
    then found as in any page.
    """

    def __init__(self) -> None:
        import lxml.etree
        from lxml.html.defs import empty_tags

        super().__init__(convert_charrefs=True)
        self.void = empty_tags
        self.builder = lxml.etree.TreeBuilder()
        self.builder.start("html", {})
        self.stack = ["html"]  # the open elements, innermost last
        self.open = Counter(self.stack)

    def handle_starttag(self, tag, attrs):
        tag = tag if _TAG_NAME.fullmatch(tag) else "span"  # a name lxml would refuse carries no meaning here
        self.builder.start(tag, {})
        if tag in self.void:
            self.builder.end(tag)
        else:
            self.stack.append(tag)
            self.open[tag] += 1

    def handle_endtag(self, tag):
        if not self.open[tag] or tag == "html":
            return
        while True:
            closed = self.stack.pop()
            self.open[closed] -= 1
            self.builder.end(closed)
            if closed == tag:
                return

    def handle_data(self, data):
        self.builder.data(_XML_ILLEGAL.sub(" ", data))

    def root(self):
        self.close()
        while self.stack:
            self.builder.end(self.stack.pop())
        return self.builder.close()


_TAG_NAME = re.compile(r"[a-z][a-z0-9]*")
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def html_text(text: str, name: str, notes: list[Note]) -> str:
    """The article of a saved page as lines of text; what reading it took is added to ``notes``."""
    root = _parse_html(text, name)
    if root is None:
        tree = _DeepTree()
        tree.feed(text)
        root = tree.root()
        notes.append(Note(code="html_deep", args={"levels": MAX_HTML_DEPTH}))
    elements = list(root.iter())  # held, so each element keeps one proxy (the key of its count)
    counts = _cjk_counts(elements)
    if counts[root] < MIN_TEXT:
        raise DocumentError(name, "html_no_chinese")
    page = _render(_article(root, counts))
    lines = [re.sub(r"[ \u3000]+\t", "\t", line).strip(" \u3000") for line in page.split("\n")]
    return "\n".join(line.rstrip("\t") for line in lines)
