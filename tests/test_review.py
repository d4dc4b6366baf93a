"""Issue 16 without a browser: what the view model gives the review controls and the overviews, in both
languages, and what becomes of a decision whose commitment changed."""

import re
import shutil

import pytest

from followup.corpus import load_corpus
from followup.pipeline import run_audit
from followup.report.messages import catalogue, say
from followup.report.views import (
    FLAG_ORDER, REVIEW_WORDS, agreement, all_view, audit_views, pair_summary, plain, review_file, review_words,
)
from followup.report.writer import render_pages
from followup.rules import load_rules

from conftest import FIXED_TIME, SEEDS

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
ENGLISH = re.compile(r"[A-Za-z]{2,}")
BODY = "青浦区科委"


def _kewei(result):
    return next(a for a in result.audits if a.body == BODY)


@pytest.fixture(scope="module")
def reviewed(audit_2024, tmp_path_factory):
    """The seeds' audit with what an export holds: a verdict changed (the tool said silent, the reviewer
    partial), one confirmed, and an answer linked from a candidate of another silent card."""
    commitments = _kewei(audit_2024).commitments
    changed = next(c for c in commitments if c.status == "silent")
    confirmed = next(c for c in commitments if c.status in ("partial", "met"))
    linked = next(c for c in commitments if c.status == "silent" and c.id != changed.id and c.candidates)
    folder = tmp_path_factory.mktemp("rules")
    (folder / "review.yaml").write_text(f"""decisions:
  review-{changed.id}:
    commitment: "{changed.id}"
    status: partial
    note: 只见“加快制定”
    reviewer: 王审计
    date: "2026-03-01"
  review-{confirmed.id}:
    commitment: "{confirmed.id}"
    status: {confirmed.status}
    note: 同意
    reviewer: 王审计
    date: "2026-03-01"
links:
  review-{linked.id}:
    commitment: "{linked.id}"
    outcome: "{linked.candidates[0].text}"
""", encoding="utf-8")
    rules = load_rules(folder)
    result = run_audit(load_corpus(SEEDS, rules, label="seeds"), 2024, 2025, FIXED_TIME)
    return result, {"changed": changed, "confirmed": confirmed, "linked": linked}


# -- the words of the review controls ---------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_words_come_from_the_catalogue_in_one_language(lang):
    t = catalogue(lang)
    w = review_words(t)
    assert set(w) == set(REVIEW_WORDS) | {"status_met", "status_partial", "status_silent"}
    assert all(v.strip() for v in w.values())
    assert w["status_silent"] == t["status.silent"] and w["export"] == t["review.ui.export"]
    for name, text in w.items():
        # what is not the page's language: placeholders, keys, the command line (a code)
        text = re.sub(r"\{\w+\}|followup audit.*?--rules\b|--\w+|\bFOLDER\b", "", text)
        found = ENGLISH.findall(text) if lang == "zh" else CHINESE.findall(text)
        assert not found, (name, found)
    # every placeholder review.js fills is in each template that needs it
    assert {"done", "of"} <= set(re.findall(r"\{(\w+)\}", w["progress"]))
    assert {"body", "plan", "summary", "reviewer", "date"} <= set(re.findall(r"\{(\w+)\}", w["file_header"]))
    assert {"file", "decisions", "links"} <= set(re.findall(r"\{(\w+)\}", w["exported"]))


def test_the_body_page_carries_the_review_words_and_its_export_name(audit_2024):
    for lang in ("zh", "en"):
        _, pages = audit_views(audit_2024, lang)
        page = next(pages)
        review = page["review"]
        assert review["words"] == review_words(catalogue(lang))
        assert review["run"] == "2024-2025" and review["body"] == page["body"]["name"]
        assert review["file"] == f"review-{page['body']['name']}-2024-2025"
    html = dict(render_pages(audit_2024, "zh"))["body-01.html"]
    assert 'id="review-words"' in html and "data-review-page" in html and 'data-review-file="review-青浦区科委-2024-2025"' in html
    assert "data-review-page" not in dict(render_pages(audit_2024, "zh"))["index.html"]
    # the help box lists the review keys beside the others, none twice
    keys = [k for item in page["keys"] for k in item["keys"]]
    assert {"m", "p", "s", "c", "a", "n", "e", "j", "k"} <= set(keys) and len(keys) == len(set(keys))


def test_export_names_are_safe_file_names():
    assert review_file("青浦区科委", 2024, 2025) == "review-青浦区科委-2024-2025"
    assert review_file('a/b\\c:d*e?"f<g>h|i j\nk', 2024, 2025) == "review-a_b_c_d_e_f_g_h_i_j_k-2024-2025"
    assert review_file("..", 2024, 2025) == "review-body-2024-2025"
    assert len(review_file("长" * 200, 2024, 2025)) < 100


# -- reviewed cards ---------------------------------------------------------------------------------


def test_a_reviewed_card_shows_the_tools_verdict_beside_the_reviewers(reviewed):
    result, cards = reviewed
    _, pages = audit_views(result, "en")
    page = next(p for p in pages if p["body"]["name"] == BODY)
    shown = {c["id"]: c for s in page["sections"] for c in s["cards"]}
    changed, confirmed, linked = (shown[cards[k].id] for k in ("changed", "confirmed", "linked"))
    assert changed["status"] == "partial" and changed["tool_status"] == "silent"
    assert plain(changed["tool_badge"]) == "the tool said silent"
    assert changed["reviewed"] and changed["held"] == "decision"
    assert linked["reviewed"] and linked["held"] == "link" and not linked["tool_status"]
    # the reviewer is named once, in the review line, not again in the reason
    assert "王审计" in plain(changed["review"]) and "王审计" not in plain(changed["reason"])
    # now agrees: labelled in the page's language, never the code
    assert {"key": "now_agrees", "label": "now agrees", "title": catalogue("en")["legend.flag.now_agrees"]} in confirmed["flags"]
    assert "now_agrees" not in [f["key"] for f in changed["flags"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_now_agrees_is_in_the_legend_and_the_filters(reviewed, lang):
    result, _ = reviewed
    t = catalogue(lang)
    overview, pages = audit_views(result, lang)
    page = next(p for p in pages if p["body"]["name"] == BODY)
    assert "now_agrees" in FLAG_ORDER
    for view in (overview, page):
        assert {"term": t["flag.now_agrees"], "status": "flag"} in [{k: i[k] for k in ("term", "status")} for i in view["legend"]]
    assert [f["label"] for f in page["filters"] if f["key"] == "now_agrees"] == [t["flag.now_agrees"]]


# -- agreement on the overviews ---------------------------------------------------------------------


@pytest.mark.parametrize("lang, silent, confirmed_template", [
    ("zh", "工具判未提及：复核 1 条，同意 0 条", "工具判{status}：复核 1 条，同意 1 条"),
    ("en", "tool said silent: 1 reviewed, 0 agreed", "tool said {status}: 1 reviewed, 1 agreed"),
])
def test_the_overview_shows_agreement_by_the_tools_verdict(reviewed, lang, silent, confirmed_template):
    result, cards = reviewed
    t = catalogue(lang)
    overview, _ = audit_views(result, lang)
    kewei = _kewei(result)
    assert kewei.review_summary.reviewed == 2 and kewei.review_summary.agreed == 1
    [row] = overview["review"]["rows"]  # only the body where something was reviewed
    a = row["agreement"]
    assert row["name"] == BODY and row["page"] == "body-01.html"
    assert (a["reviewed"], a["reviewed_pct"], a["agreed"], a["agreed_pct"]) == (2, f"{2 / len(kewei.commitments):.0%}", 1, "50%")
    by = {v["status"]: v for v in a["by_verdict"]}
    assert plain(by["silent"]["text"]) == silent and by["silent"]["pct"] == "0%"
    status = cards["confirmed"].status
    assert plain(by[status]["text"]) == confirmed_template.format(status=t[f"status.{status}"]) and by[status]["pct"] == "100%"
    # the statuses in the order of the verdicts, as every other count
    assert [v["status"] for v in a["by_verdict"]] == [s for s in ("met", "partial", "silent") if s in by]
    total = overview["review"]["total"]
    assert (total["reviewed"], total["agreed"]) == (2, 1)
    assert f"followup audit 2024 2025 --rules {t['review.folder']}" in [p["text"] for p in overview["review"]["how"]]
    html = dict(render_pages(result, lang))["index.html"]
    assert 'class="totals review-agreement stack"' in html and t["review.heading"] in html


def test_nothing_reviewed_shows_no_agreement_table_but_how_to_review(audit_2024):
    overview, _ = audit_views(audit_2024, "zh")
    assert overview["review"]["rows"] == [] and overview["review"]["total"] is None
    html = dict(render_pages(audit_2024, "zh"))["index.html"]
    assert "review-agreement" not in html and 'class="note review-how"' in html
    assert agreement(None, 10, catalogue("zh")) is None
    assert agreement({"reviewed": 0, "agreed": 0, "by_verdict": {}}, 10, catalogue("zh")) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_all_years_overview_shows_agreement_per_body_and_pair(reviewed, audit_2024, lang):
    result, _ = reviewed
    t = catalogue(lang)
    view = all_view([pair_summary(result)], lang)
    cell = next(r for r in view["rows"] if r["name"] == BODY)["cells"][0]
    assert (cell["review"]["reviewed"], cell["review"]["agreed"], cell["review"]["agreed_pct"]) == (2, 1, "50%")
    assert plain(cell["review"]["cell"]) == t["review.cell"].format(reviewed=2, agreed=1)
    other = next(r for r in view["rows"] if r["name"] != BODY)["cells"][0]
    assert other["review"] is None and view["review"]["any"]
    assert not all_view([pair_summary(audit_2024)], lang)["review"]["any"]


# -- a decision whose commitment changed ------------------------------------------------------------


def test_a_decision_whose_commitment_changed_is_a_warning_naming_it(audit_2024, tmp_path):
    """Ids hash the sentence: a plan edited after the review gives the commitment a new id, and the
    decision that named the old one is a warning with its file and line, never dropped in silence."""
    target = next(c for c in _kewei(audit_2024).commitments if c.status == "silent")
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    plan = seeds / _kewei(audit_2024).plan_document
    lines = plan.read_text(encoding="utf-8").split("\n")
    start = target.text[:4]  # the sentence begins on its line (the seeds are PDF text, cut across lines)
    assert start in lines[target.line - 1]
    lines[target.line - 1] = lines[target.line - 1].replace(start, start[:1] + "进一步" + start[1:], 1)
    plan.write_text("\n".join(lines), encoding="utf-8")
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "review.yaml").write_text(f"""# exported from the page
decisions:
  review-{target.id}:
    commitment: "{target.id}"
    status: partial
    note: 见会议纪要
    reviewer: 王审计
    date: "2026-03-01"
""", encoding="utf-8")
    rules = load_rules(folder)
    result = run_audit(load_corpus(seeds, rules, label="seeds"), 2024, 2025, FIXED_TIME)
    assert target.id not in {c.id for c in _kewei(result).commitments}
    assert _kewei(result).review_summary.reviewed == 0
    [warning] = [w for w in result.warnings if w.code == "rule_names_nothing"]
    for lang in ("zh", "en"):
        text = say(warning, lang)
        assert f"decisions.review-{target.id}" in text and f"{folder}/review.yaml:3" in text and target.id in text
    overview, _ = audit_views(result, "zh")
    assert any(f"{folder}/review.yaml:3" in plain(w["message"]) for w in overview["warnings"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reviewed_pages_are_in_one_language(reviewed, lang):
    """The pages with reviews on them (reviewed cards, the agreement table, the all-years cells) hold no
    word of the other language, as tests/test_pages.py checks every page of the seeds."""
    from followup.report.writer import _environment
    from test_pages import leaks

    result, _ = reviewed
    names = {a.body for a in result.audits}
    pages = dict(render_pages(result, lang))
    pages["all.html"] = _environment().get_template("all.html").render(**all_view([pair_summary(result)], lang))
    assert "review-agreement" in pages["index.html"] and "review-sum" in pages["all.html"]
    found = {name: leaks(html, lang, names) for name, html in pages.items()}
    assert not {k: v for k, v in found.items() if v}, found
