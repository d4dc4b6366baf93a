"""The pages as a reader gets them: one language per page, links between the pages, the legend, counts
that agree, highlighting by whole words, times in Asia/Shanghai.

Every page the seeds make (the overview, each body page, the diff page and the ``--all`` overview, of
every pair of years) is rendered in both languages. On an English page no Chinese character may appear
outside what the markup marks as the documents' text (``lang="zh"``: quotes, body and section names,
figures as written), file names and codes; on a Chinese page no English word may appear outside codes,
ids, file names, keys and the documents' text.
"""

import re
from html.parser import HTMLParser

import pytest

from followup.models import Note
from followup.pipeline import run_all, run_diff
from followup.report.views import Words, audit_views, local_time, percent, said
from followup.report.writer import write_all, write_diff

from conftest import FIXED_TIME

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
ENGLISH = re.compile(r"[A-Za-z]{2,}")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CHECKED_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-shown", "data-label")


class Leaks(HTMLParser):
    """The text of a page that is the page's own words (not a document's, a file's or a code), and what in
    it is of the other language."""

    def __init__(self, lang: str, names: set[str]):
        super().__init__(convert_charrefs=True)
        self.lang, self.names = lang, names
        self.stack: list[tuple[str, bool]] = []
        self.leaks: list[str] = []

    def _exempt(self, tag: str, attrs: dict) -> bool:
        classes = (attrs.get("class") or "").split()
        if tag != "html" and (attrs.get("lang") or "").startswith("zh"):
            return True  # the documents' text
        if tag in ("code", "kbd", "script", "style") or "file" in classes:
            return True  # file names, ids, rules, codes, keys
        return self.lang == "zh" and "data" in classes  # values such as an encoding or a parser's error

    def _check(self, text: str, where: str) -> None:
        text = re.sub(r"\{\w+\}", "", text)  # a template's placeholders ({n} of {total}) are codes
        if self.lang == "en":
            for name in self.names:  # <title> and attributes hold no markup: names are known
                text = text.replace(name, "")
            found = CHINESE.findall(text)
        else:
            found = ENGLISH.findall(text)
        if found:
            self.leaks.append(f"{where}: {''.join(found) if self.lang == 'en' else ' '.join(found)} in {text.strip()[:120]!r}")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        inherited = bool(self.stack) and self.stack[-1][1]
        exempt = inherited or self._exempt(tag, attrs)
        if not exempt:
            for key in CHECKED_ATTRIBUTES:
                if attrs.get(key):
                    self._check(attrs[key], f"<{tag} {key}>")
        if tag not in VOID:
            self.stack.append((tag, exempt))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][1]:
            return
        where = self.stack[-1][0] if self.stack else "top"
        if where == "title" and self.lang == "en":
            self._check(data, "<title>")
        elif data.strip():
            self._check(data, f"<{where}>")


def leaks(html: str, lang: str, names: set[str] = frozenset()) -> list[str]:
    parser = Leaks(lang, set(names))
    parser.feed(html)
    return parser.leaks


@pytest.fixture(scope="module", params=["zh", "en"])
def site(request, corpus, tmp_path_factory):
    """Every page of the seeds in one language, laid out as the commands write them."""
    lang = request.param
    out = tmp_path_factory.mktemp(f"site-{lang}")
    # audit, diff, audit again: each page links to what sits beside it when it is written
    write_all(run_all(corpus, generated_at=FIXED_TIME), out, lang=lang)
    write_diff(run_diff(corpus, 2024, 2025, generated_at=FIXED_TIME), out, lang=lang)
    write_all(run_all(corpus, generated_at=FIXED_TIME), out, lang=lang)
    names = {i.body for i in corpus.infos if i.body}
    return lang, out, names


def test_the_checker_finds_a_leak():
    assert leaks('<p>2024 年work plan</p>', "zh") and leaks("<p>work plan：2024 年</p>", "en")
    assert not leaks('<p>work plan: <span lang="zh">青浦区科委</span> <code class="file">青浦.txt</code></p>', "en")
    assert not leaks('<p>工作要点：<code>2024-0feaf2ce</code> <span lang="zh">GDP 增长</span></p>', "zh")
    assert leaks('<p title="工作要点">plan</p>', "en")


def test_one_language_per_page(site):
    lang, out, names = site
    pages = sorted(out.glob("*/*.html"))
    kinds = {p.parent.name for p in pages}
    assert {"2023-2024", "2024-2025", "2025-2026", "all", "diff-2024-2025"} <= kinds
    assert len([p for p in pages if p.name.startswith("body-")]) >= 4
    found = {str(p.relative_to(out)): leaks(p.read_text(encoding="utf-8"), lang, names) for p in pages}
    assert not {k: v for k, v in found.items() if v}, found


def test_no_raw_codes_on_the_pages(site):
    lang, out, _ = site
    diff = (out / "diff-2024-2025" / "index.html").read_text(encoding="utf-8")
    assert ">stale<" not in diff and ">rate_mismatch<" not in diff
    for page in out.glob("*/*.html"):
        html = page.read_text(encoding="utf-8")
        for code in ("partial", "silent", "pending", "met"):
            if lang == "zh":
                assert f">{code}<" not in html, page
        assert "result given after the echo" not in html or lang == "en"


def test_links_between_the_pages(site):
    lang, out, _ = site
    index = (out / "2024-2025" / "index.html").read_text(encoding="utf-8")
    assert 'href="../diff-2024-2025/index.html"' in index and 'href="../all/index.html"' in index
    assert 'href="index.html"' not in index.split("<main>")[0]  # the overview does not link to itself
    first = (out / "2024-2025" / "body-01.html").read_text(encoding="utf-8")
    second = (out / "2024-2025" / "body-02.html").read_text(encoding="utf-8")
    assert 'rel="up"' in first and 'href="body-02.html" rel="next"' in first and 'rel="prev"' not in first
    assert 'href="body-01.html" rel="prev"' in second and 'rel="next"' not in second
    assert 'href="../diff-2024-2025/index.html#b-' in first
    anchor = re.search(r'href="\.\./diff-2024-2025/index\.html#(b-[0-9a-f]+)"', first).group(1)
    assert f'id="{anchor}"' in (out / "diff-2024-2025" / "index.html").read_text(encoding="utf-8")
    diff = (out / "diff-2024-2025" / "index.html").read_text(encoding="utf-8")
    assert 'href="../2024-2025/index.html"' in diff and 'href="../all/index.html"' in diff
    everything = (out / "all" / "index.html").read_text(encoding="utf-8")
    assert 'href="../diff-2024-2025/index.html"' in everything and 'href="../2024-2025/body-01.html"' in everything
    for page in out.glob("*/*.html"):  # every relative link lands on a page that is there
        for href in re.findall(r'href="([^"#:]+\.html)', page.read_text(encoding="utf-8")):
            assert (page.parent / href).resolve().is_file(), (page, href)


def test_legend_on_every_page(site):
    lang, out, _ = site
    for page in out.glob("*/*.html"):
        assert '<details class="legend">' in page.read_text(encoding="utf-8"), page


def test_counts_agree_and_say_why_they_differ(site, audit_2024):
    lang, out, _ = site
    kewei = next(a for a in audit_2024.audits if a.body == "青浦区科委")
    carried = sum("carried_over" in c.flags for c in kewei.commitments)
    diff = (out / "diff-2024-2025" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr><th scope="row" class="text" data-sort="青浦区科委">.*?</tr>', diff).group(0)
    numbers = re.findall(r"<td class=\"n\" data-sort=\"(\d+)\"", row)
    assert int(numbers[1]) == carried < int(numbers[0])  # commitments carried over, from more pairs of clauses
    index = (out / "2024-2025" / "index.html").read_text(encoding="utf-8")
    assert ("按承诺计" if lang == "zh" else "counted by commitment") in index
    assert ("按分项计" if lang == "zh" else "counts actions") in diff


def test_pending_cards_show_no_confidence(audit_2024, corpus):
    result = next(r for r in run_all(corpus, generated_at=FIXED_TIME) if r.plan_year == 2025)
    _, pages = audit_views(result, "zh")
    cards = [c for page in pages for s in page["sections"] for c in s["cards"]]
    assert cards and all(c["status"] == "pending" and c["confidence"] == "" for c in cards)


def test_percentages_beside_counts(audit_2024):
    overview, _ = audit_views(audit_2024, "zh")
    kewei = overview["rows"][0]
    assert [c["pct"] for c in kewei["counts"]] == [percent(c["n"], kewei["total"]) for c in kewei["counts"]]
    assert percent(2, 33) == "6%" and percent(0, 0) == "" and percent(1, 1000) == "<1%"


def test_times_in_shanghai():
    assert local_time("2026-01-01T00:00:00+00:00") == "2026-01-01 08:00:00"
    assert local_time("2025-06-30T20:30:00Z") == "2025-07-01 04:30:00"
    assert local_time("not a time") == "not a time"


def test_highlighting_marks_whole_words_and_whole_figures():
    quote = "完成率115.5%，新增11家，园区规模持续扩大"
    against = "新增孵化器11家，推动园区规模持续增长"
    words = Words()
    pieces = words.highlight(quote, against)
    marked = [p["text"] for p in pieces if p["kind"] == "mark"]
    assert "".join(p["text"] for p in pieces) == quote
    assert "115.5%" not in marked and not any("11" in m and "115" in quote[quote.index(m):quote.index(m) + 4] for m in marked)
    assert any("11" in m for m in marked) and any("园区" in m for m in marked)
    # a figure shared only as a part of another is never marked
    pieces = words.highlight("完成率115.5%", "新增11家")
    assert not [p for p in pieces if p["kind"] == "mark"]


def test_arguments_are_marked_apart_from_the_catalogue_words():
    pieces = said(Note(code="baseline_gap", args={"actual": "1164家", "period": "annual", "gap": "+46家", "percent": "+3.95%"}), "en")
    assert [p["text"] for p in pieces if p["kind"] == "doc"] == ["1164家", "+46家"]
    assert "".join(p["text"] for p in pieces if p["kind"] == "") == "latest actual ; gap to the target  "


def test_a_page_cuts_words_as_the_matcher_does(audit_2024):
    """A page marks the words the matcher read: between figures, the cut is the shared tokenizer's."""
    from followup.normalize import fold
    from followup.words import tokenizer

    texts = [x.text for a in audit_2024.audits for c in a.commitments for x in (c, *c.evidence, *c.candidates)][:120]
    words, full = Words(), tokenizer()
    for text in texts:
        folded = fold(text)
        ours = [folded[s:e] for s, e, figure in words.spans(folded) if not figure]
        theirs = [w for gap in re.split(r"\d+(?:[.,]\d+)*%?", folded) if gap for w in full.cut(gap, HMM=False)]
        assert ours == theirs, text


def test_a_result_given_after_an_echo_is_worded_in_the_page_language(audit_2024):
    from followup.models import Evidence
    from followup.report.views import _evidence, catalogue

    e = Evidence(text="高企达1164家", document="x.txt", line=3, score=0.2, action="(result given after the echo of: 培育高新技术企业)")
    zh, en = _evidence(e, catalogue("zh")), _evidence(e, catalogue("en"))
    assert "".join(p["text"] for p in zh["answers"]) == "照搬要点原文“培育高新技术企业”之后给出的结果"
    assert [p["kind"] for p in en["answers"] if p["text"] == "培育高新技术企业"] == ["doc"]


def test_piece_text_is_escaped_as_markupsafe_escapes_it():
    from markupsafe import Markup, escape

    from followup.report.writer import _escaped

    for text in ['<b>"高企"</b> & \'1164家\'', "", "plain", 12, Markup("<i>kept</i>")]:
        assert _escaped(text) == str(escape(text))


def test_a_card_with_fewer_than_three_candidates_says_why(audit_2024):
    # Only the sentences that share a word with a commitment are ranked; when fewer than three do, the card
    # says so rather than leaving the auditor to wonder what was left out.
    from followup.report.lang import zh
    from followup.report.views import card

    t = zh.MESSAGES
    silent = next(c for a in audit_2024.audits for c in a.commitments if c.status == "silent")
    assert len(silent.candidates) == 3 and card(silent, "000.txt", t)["candidates_few"] == ""
    assert card(silent.model_copy(update={"candidates": silent.candidates[:1]}), "000.txt", t)["candidates_few"] == \
        "总结中只有 1 句与本条有共同的词"
    assert card(silent.model_copy(update={"candidates": []}), "000.txt", t)["candidates_few"] == "总结中没有一句与本条有共同的词"


def test_a_quote_marks_only_the_words_its_match_counted():
    # 加强文旅元宇宙场景建设 against a line on 场景 and 建设: 建设 is a verb the matcher set aside, so only 场景
    # is marked when the match says what it counted; without that, every shared word is.
    quote, commitment = "探索中心城区消费新场景，加快建设国际珠宝时尚功能区。", "加强文旅元宇宙场景建设。"
    marked = lambda pieces: [p["text"] for p in pieces if p["kind"] == "mark"]
    assert marked(Words().highlight(quote, commitment, ("场景",))) == ["场景"]
    assert marked(Words().highlight(quote, commitment)) == ["场景", "建设"]
