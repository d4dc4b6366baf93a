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
- HTML saved from a government site: the article is the deepest element holding most of the page's
  Chinese text; navigation, breadcrumbs, 【字体：大 中 小】 and share buttons around it are dropped.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from html.parser import HTMLParser

from followup.errors import DocumentError

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
        raise DocumentError(name, f"not a readable PDF ({type(exc).__name__})") from None
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
        raise DocumentError(name, "the PDF has no pages")
    if sum(len(_CJK.findall(text)) for page in pages for _, text in page) < 10:
        raise DocumentError(name, "a scanned PDF with no text layer (no OCR is done): convert it to text first")
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
def docx_text(data: bytes, name: str) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises KeyError, BadZipFile, ValueError …
        raise DocumentError(name, f"not a readable Word (.docx) file ({type(exc).__name__})") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = [cell.text.replace("\n", "") for cell in row.cells]
                lines.append("\t".join(cells))
    return "\n".join(lines)


# -- HTML -----------------------------------------------------------------------------------
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "form", "button", "select", "svg"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "ul", "ol", "blockquote", "pre"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "area", "base", "col", "source"}


class _Node:
    __slots__ = ("tag", "children", "parent")

    def __init__(self, tag: str, parent: "_Node | None"):
        self.tag, self.children, self.parent = tag, [], parent


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", None)
        self.node = self.root
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if self.skipping or tag in _SKIP:
            self.skipping += tag not in _VOID
            return
        node = _Node(tag, self.node)
        self.node.children.append(node)
        if tag not in _VOID:
            self.node = node

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= 1
            return
        node = self.node
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.node = node.parent

    def handle_data(self, data):
        if not self.skipping:
            self.node.children.append(data)


def _cjk_count(node: _Node, cache: dict[int, int]) -> int:
    if id(node) not in cache:
        total = 0
        for child in node.children:
            if isinstance(child, str):
                total += len(_CJK.findall(child))
            elif child.tag != "a":  # link text is navigation, not article
                total += _cjk_count(child, cache)
        cache[id(node)] = total
    return cache[id(node)]


def _render(node: _Node, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(re.sub(r"\s+", " ", child))
        else:
            if child.tag in _BLOCK:
                out.append("\n")
            _render(child, out)
            if child.tag in ("td", "th"):
                out.append("\t")
            elif child.tag in _BLOCK:
                out.append("\n")


def html_text(data: bytes, text: str, name: str) -> str:
    tree = _Tree()
    tree.feed(text)
    tree.close()
    cache: dict[int, int] = {}
    total = _cjk_count(tree.root, cache)
    if total < 10:
        raise DocumentError(name, "a web page with no Chinese text in it")
    # The article: the deepest element that still holds most of the page's Chinese text.
    node = tree.root
    while True:
        inner = [c for c in node.children if isinstance(c, _Node) and _cjk_count(c, cache) >= 0.6 * total]
        if not inner:
            break
        node = inner[0]
    out: list[str] = []
    _render(node, out)
    lines = [re.sub(r"[ \u3000]+\t", "\t", line).strip(" \u3000") for line in "".join(out).split("\n")]
    return "\n".join(line.rstrip("\t") for line in lines)
