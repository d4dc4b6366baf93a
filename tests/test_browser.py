"""The seeds' report in headless Chromium (Debian's chromium; .ci/run installs it).

Outside CI, on a machine without Chromium, this module is skipped (and says so); in CI it must run.
"""

import json
import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM and not os.environ.get("CI"):
    pytest.skip("no chromium on this machine (apt-get install chromium); CI runs these", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

from followup.report import write_report  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report(audit_2024, tmp_path_factory):
    return write_report(audit_2024, tmp_path_factory.mktemp("report")).folder


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "chromium is not installed: .ci/run must apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


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
