"""The seeds' report in headless Chromium (Debian's chromium; .ci/run installs it).

Outside CI, on a machine without Chromium, this module is skipped (and says so); in CI it must run.
"""

import json

import pytest

from chromium import launched, require_chromium

require_chromium()


from followup.report import write_report  # noqa: E402



@pytest.fixture(scope="module")
def report(audit_2024, tmp_path_factory):
    return write_report(audit_2024, tmp_path_factory.mktemp("report")).folder


@pytest.fixture(scope="module")
def browser():
    with launched() as b:
        yield b


def _open(browser, path):
    page = browser.new_page()
    events = {"errors": [], "requests": []}
    page.on("console", lambda m: events["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, events


def test_overview_counts_equal_audit_json_and_nothing_is_fetched(browser, report):
    data = json.loads((report / "audit.json").read_text(encoding="utf-8"))
    page, events = _open(browser, report / "index.html")
    for audit in data["audits"]:
        for status, n in audit["counts"].items():
            cell = page.locator(f'td.n[data-body="{audit["body"]}"][data-status="{status}"]')
            assert cell.inner_text().strip() == str(n)
    assert events["errors"] == []
    assert all(url.startswith("file://") for url in events["requests"]), events["requests"]
    timing = page.evaluate("() => performance.timing.loadEventEnd - performance.timing.navigationStart")
    print(f"\nindex.html loaded in {timing} ms")
    page.close()


def test_verdict_filter_hides_and_shows_the_right_cards(browser, report):
    data = json.loads((report / "audit.json").read_text(encoding="utf-8"))
    kewei = next(a for a in data["audits"] if a["body"] == "青浦区科委")
    page, events = _open(browser, report / "body-01.html")
    visible = page.locator("article.card:visible")
    assert visible.count() == len(kewei["commitments"])
    for status in ("silent", "partial", "met"):
        page.click(f'button[data-filter="{status}"]')
        assert visible.count() == kewei["counts"][status]
        assert all(s == status for s in visible.evaluate_all("cards => cards.map(c => c.dataset.status)"))
    page.click('button[data-filter="carried_over"]')
    assert visible.count() == sum("carried_over" in c["flags"] for c in kewei["commitments"])
    page.click('button[data-filter="all"]')
    page.fill("#search", "揭榜挂帅")
    assert visible.count() >= 1 and all("揭榜挂帅" in t for t in visible.all_inner_texts())
    page.fill("#search", "")
    assert visible.count() == len(kewei["commitments"])
    page.keyboard.press("Tab")  # the controls are reachable from the keyboard
    assert page.evaluate("() => document.activeElement.tagName") in ("A", "BUTTON", "INPUT", "SUMMARY")
    assert events["errors"] == []
    assert all(url.startswith("file://") for url in events["requests"])
    page.close()


def test_permalink_opens_at_the_commitment(browser, report):
    data = json.loads((report / "audit.json").read_text(encoding="utf-8"))
    cid = data["audits"][0]["commitments"][20]["id"]
    page = browser.new_page()
    page.goto((report / "body-01.html").as_uri() + "#" + cid)
    assert page.evaluate("() => document.querySelector(':target').id") == cid
    page.close()


def test_without_javascript_every_card_shows(browser, report):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((report / "body-01.html").as_uri())
    assert page.locator("article.card:visible").count() == page.locator("article.card").count() == 33
    assert not page.locator(".controls").is_visible()  # the filters need JS and stay hidden without it
    context.close()


def _pdf(browser, path, out):
    page = browser.new_page()
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.pdf(path=str(out), format="A4")
    page.close()
    import pdfplumber

    with pdfplumber.open(out) as pdf:
        return [(p.crop((0, 0, p.width, 34)).extract_text() or "", p.extract_text() or "") for p in pdf.pages]


def test_body_page_prints_on_a4_with_every_finding(browser, report, tmp_path):
    """The seeds' 青浦区科委 page as an auditor files it: at most 12 A4 pages, each headed with the body,
    the years and its number; every commitment id, and what sits in closed <details> on screen (rules,
    restatements in the next plan, candidates below threshold), printed; no controls."""
    data = json.loads((report / "audit.json").read_text(encoding="utf-8"))
    kewei = next(a for a in data["audits"] if a["body"] == "青浦区科委")
    pages = _pdf(browser, report / "body-01.html", tmp_path / "body.pdf")
    assert len(pages) <= 12, len(pages)
    text = "".join(body for _, body in pages)
    flat = "".join(text.split())
    for c in kewei["commitments"]:
        assert c["id"] in text, c["id"]
    for n, (top, _) in enumerate(pages, start=1):
        assert "青浦区科委" in top and "2024" in top and "2025" in top and f"{n} / {len(pages)}" in top, top
    restated = next(e["text"] for c in kewei["commitments"] for e in c["carried_over"])
    assert "".join(restated.split()) in flat
    assert "thresholds.yaml" in text and "未达阈值" in text and "总结中最接近的表述" in text
    assert "全部展开" not in text and "筛选" not in text


def test_figures_print(browser, report, tmp_path):
    data = json.loads((report / "audit.json").read_text(encoding="utf-8"))
    jingwei = next(a for a in data["audits"] if a["body"] == "青浦区经委")
    figures = [f for c in jingwei["commitments"] for f in c["figures"]]
    flat = "".join("".join(body.split()) for _, body in _pdf(browser, report / "body-02.html", tmp_path / "body.pdf"))
    assert figures and all("".join(f["target"]["raw"].split()) in flat for f in figures)
    assert "上年基数" in flat  # a pending target's latest actual is labelled as the baseline


@pytest.fixture(scope="module")
def site(corpus, tmp_path_factory):
    """Every page of the seeds as the commands write them: the pairs, the diff and the all-years overview."""
    from conftest import FIXED_TIME
    from followup.pipeline import run_all, run_diff
    from followup.report import write_all, write_diff

    out = tmp_path_factory.mktemp("site")
    write_diff(run_diff(corpus, 2024, 2025, generated_at=FIXED_TIME), out)
    write_all(run_all(corpus, generated_at=FIXED_TIME), out)
    return out


def test_keyboard_shortcuts(browser, report):
    data = json.loads((report / "audit.json").read_text(encoding="utf-8"))
    kewei = next(a for a in data["audits"] if a["body"] == "青浦区科委")
    ids = [c["id"] for c in kewei["commitments"]]
    page, events = _open(browser, report / "body-01.html")
    visible = page.locator("article.card:visible")
    page.keyboard.press("3")  # the third verdict: silent
    assert visible.count() == kewei["counts"]["silent"]
    page.keyboard.press("2")
    assert visible.count() == kewei["counts"]["partial"]
    page.keyboard.press("0")
    assert visible.count() == len(ids)
    active = "() => document.activeElement.id"
    page.keyboard.press("j")
    assert page.evaluate(active) == ids[0]
    page.keyboard.press("j")
    assert page.evaluate(active) == ids[1]
    page.keyboard.press("k")
    assert page.evaluate(active) == ids[0]
    page.keyboard.press("?")
    assert page.locator("#help").is_visible() and "j" in page.locator("#help").inner_text()
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()
    page.keyboard.press("/")
    assert page.evaluate(active) == "search"
    page.keyboard.type("jk")  # typed into the search box, not taken as shortcuts
    assert page.input_value("#search") == "jk"
    page.fill("#search", "")
    page.keyboard.press("Escape")  # leaves the search box
    assert page.evaluate(active) != "search"
    page.keyboard.press("]")
    page.wait_for_url("**/body-02.html")
    page.keyboard.press("u")
    page.wait_for_url("**/index.html")
    assert events["errors"] == []
    page.close()


def test_search_by_id_and_the_no_hit_message(browser, report):
    data = json.loads((report / "audit.json").read_text(encoding="utf-8"))
    cid = data["audits"][0]["commitments"][7]["id"]
    page, events = _open(browser, report / "body-01.html")
    visible = page.locator("article.card:visible")
    assert not page.locator("#nohit").is_visible()
    page.fill("#search", cid.upper())
    assert visible.count() == 1 and visible.first.get_attribute("id") == cid
    page.fill("#search", "这句话不在任何承诺里")
    assert visible.count() == 0
    assert page.locator("#nohit").is_visible() and "没有符合条件的承诺" in page.locator("#nohit").inner_text()
    page.click("#clear")
    assert visible.count() == 33 and not page.locator("#nohit").is_visible()
    page.click('button[data-filter="pending"]', force=True)  # no pending card: the button is disabled
    assert visible.count() == 33
    assert events["errors"] == []
    page.close()


def test_permalink_lands_below_the_sticky_filters(browser, report):
    data = json.loads((report / "audit.json").read_text(encoding="utf-8"))
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for n in (5, 20, 32):
            cid = data["audits"][0]["commitments"][n]["id"]
            page.goto((report / "body-01.html").as_uri() + "#" + cid)
            page.wait_for_load_state("load")
            controls = page.locator(".controls").bounding_box()
            card = page.locator(f'[id="{cid}"]').bounding_box()
            assert controls["y"] + controls["height"] <= card["y"] + 1 < 800, (width, n, controls, card)
        context.close()


def test_overview_table_sorts_by_a_header(browser, report):
    page, events = _open(browser, report / "index.html")
    names = "() => Array.from(document.querySelectorAll('table.totals tbody th')).map(th => th.textContent.trim())"
    assert page.evaluate(names) == ["青浦区科委", "青浦区经委"]
    page.locator("table.totals thead th.s-pending button").click()  # numbers: largest first
    assert page.evaluate(names) == ["青浦区经委", "青浦区科委"]
    assert page.locator("table.totals thead th.s-pending").get_attribute("aria-sort") == "descending"
    page.locator("table.totals thead th.s-pending button").click()
    assert page.evaluate(names) == ["青浦区科委", "青浦区经委"]
    assert page.locator("tfoot th").inner_text().strip() == "全部"  # the totals row stays last
    assert events["errors"] == []
    page.close()


def test_every_page_fits_a_phone_and_follows_the_dark_setting(browser, site):
    pages = [site / "2024-2025" / "index.html", site / "2024-2025" / "body-01.html", site / "2024-2025" / "body-02.html",
             site / "diff-2024-2025" / "index.html", site / "all" / "index.html"]
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
        page = context.new_page()
        for path in pages:
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, path
            background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
            rgb = [int(x) for x in background[background.index("(") + 1 : background.index(")")].split(",")[:3]]
            assert (sum(rgb) < 150) == (scheme == "dark"), (path, scheme, background)
        context.close()
