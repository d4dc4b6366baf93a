"""Issue 16: the review loop as a reviewer goes through it, in headless Chromium (Debian's chromium, as
tests/test_browser.py; skipped with that reason where it is missing, never in CI).

The seeds' report is written by ``followup audit 2024 2025``; three cards are reviewed on the page — a
verdict changed, one confirmed, an answer picked from a candidate — mostly with the keyboard; the page
is reloaded and the work is still there; the export is downloaded, checked by ``followup rules check``
and applied by ``followup audit 2024 2025 --rules``; the new report shows the three cards reviewed, the
overview's agreement figures, audit.json's review_summary, and the browser restores nothing the rules
now hold. A hand-broken export fails ``rules check`` naming its file and line. And the review controls
change nothing of the page without scripts, nor of its printout.
"""

import json
import re

import pytest

from chromium import launched, require_chromium

require_chromium()


from followup.cli import main  # noqa: E402
from followup.report.lang import en, zh  # noqa: E402

from conftest import SEEDS  # noqa: E402

BODY = "青浦区科委"
# A note as a reviewer may write it: quotes, a backslash, "$&" (special in a JS replacement string), two
# lines; and a line separator pasted in from a document (YAML reads U+2028 as a line break).
NOTE = '未见配套政策出台，只有"加快制定"的表述 \\ 见会议纪要 $& 第2页\n第二行'
PASTED = "\u2028附件"


@pytest.fixture(scope="module")
def browser():
    with launched() as b:
        yield b


def _audit(out, *more):
    code = main(["audit", "2024", "2025", "--seeds", str(SEEDS), "--out", str(out), *more])
    assert code == 0
    return json.loads((out / "2024-2025" / "audit.json").read_text(encoding="utf-8"))


def _kewei(data):
    index, audit = next((i, a) for i, a in enumerate(data["audits"], start=1) if a["body"] == BODY)
    return f"body-{index:02d}.html", audit


def _stored(page):
    """What the browser keeps of the review of this body's page (its localStorage entry)."""
    return page.evaluate("""() => { const k = Object.keys(localStorage).find(k => k.startsWith('followup-review:'));
                                    return k ? JSON.parse(localStorage.getItem(k)) : {}; }""")


def _pressed(card):
    return card.locator("[data-review-status][aria-pressed=true]").evaluate_all("bs => bs.map(b => b.dataset.reviewStatus)")


def test_review_three_cards_export_and_rerun(browser, tmp_path, capsys):
    out, rules = tmp_path / "reports", tmp_path / "my-rules"
    rules.mkdir()
    first = _audit(out)
    page_name, kewei = _kewei(first)
    commitments = kewei["commitments"]
    ids = [c["id"] for c in commitments]
    # the cards to review, chosen from what the tool said (not from known ids)
    changed = next(c for c in commitments if c["status"] == "silent")
    confirmed = next(c for c in commitments if c["status"] in ("partial", "met"))
    linked = next(c for c in commitments if c["status"] == "silent" and c["id"] != changed["id"] and c["candidates"])
    answer = linked["candidates"][0]["text"]

    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    body = out / "2024-2025" / page_name
    page.goto(body.as_uri())
    card = lambda c: page.locator(f'article.card[id="{c["id"]}"]')  # noqa: E731
    assert page.locator(".review-controls").count() == sum(c["status"] != "pending" for c in commitments)

    # 1. the keyboard: j to the card, p to set partial (the tool said silent), n for the note, Esc back
    at = -1
    for c in (changed, confirmed):
        target = ids.index(c["id"])
        for _ in range(abs(target - at)):
            page.keyboard.press("j" if target > at else "k")
        at = target
        assert page.evaluate("() => document.querySelector('article.card.current').id") == c["id"]
        if c is changed:
            page.keyboard.press("p")
            page.keyboard.press("n")
            assert page.evaluate("() => document.activeElement.className") == "review-note"
            page.keyboard.type(NOTE)
            page.keyboard.insert_text(PASTED)
            page.keyboard.press("Escape")
            assert page.evaluate("() => document.activeElement.id") == c["id"]
        else:
            page.keyboard.press("c")  # confirms the tool's own verdict
    assert _pressed(card(changed)) == ["partial"] and _pressed(card(confirmed)) == [confirmed["status"]]
    # 2. the mouse: a candidate of another silent card taken as its answer
    use = card(linked).locator(".candidates li").first.locator("button.review-use")
    use.click()
    assert use.get_attribute("aria-pressed") == "true"
    assert "in-review" in card(linked).get_attribute("class")

    # the work survives a reload (localStorage)
    page.reload()
    assert _pressed(card(changed)) == ["partial"] and _pressed(card(confirmed)) == [confirmed["status"]]
    assert card(changed).locator("textarea.review-note").input_value() == NOTE + PASTED
    assert card(linked).locator(".candidates li").first.locator("button.review-use").get_attribute("aria-pressed") == "true"
    assert "3 / " in page.locator("#review-progress").inner_text()

    # export with the keyboard: the reviewer's name is asked once, and kept
    page.once("dialog", lambda d: d.accept("王审计"))
    with page.expect_download() as download:
        page.keyboard.press("e")
    name = download.value.suggested_filename
    assert re.fullmatch(rf"review-{BODY}-2024-2025-\d{{8}}-\d{{6}}\.yaml", name), name
    export = rules / name
    download.value.save_as(export)
    assert page.locator("#reviewer").input_value() == "王审计"
    assert name in page.locator("#review-message").inner_text()
    assert "王审计" in export.read_text(encoding="utf-8")
    assert f"tool_status: {confirmed['status']}" in export.read_text(encoding="utf-8")

    # the file passes rules check, and the rerun applies it
    capsys.readouterr()
    assert main(["rules", "check", str(rules)]) == 0
    second = _audit(out, "--rules", str(rules))
    _, kewei2 = _kewei(second)
    after = {c["id"]: c for c in kewei2["commitments"]}
    assert after[changed["id"]]["review"]["note"] == NOTE + PASTED  # every character came through the YAML
    assert after[changed["id"]]["review"]["reviewer"] == "王审计"
    assert kewei2["review_summary"] == {
        "reviewed": 2, "agreed": 1,
        "by_verdict": {s: {"reviewed": n, "agreed": int(s == confirmed["status"])}
                       for s, n in sorted({"silent": 1, confirmed["status"]: 1}.items(),
                                          key=lambda kv: ["met", "partial", "silent", "pending"].index(kv[0]))},
    }

    # the new page: three cards reviewed, the tool's verdict beside the reviewer's
    page.goto(body.as_uri())
    for c in (changed, confirmed, linked):
        assert card(c).get_attribute("data-reviewed") == "1", c["id"]
    flags = {c["id"]: card(c).get_attribute("data-flags").split() for c in (changed, confirmed)}
    assert "reviewed" in flags[changed["id"]] and "now_agrees" not in flags[changed["id"]]
    # a confirmation is no change of mind: the export recorded what the tool said (tool_status)
    assert "reviewed" in flags[confirmed["id"]] and "now_agrees" not in flags[confirmed["id"]]
    assert card(changed).get_attribute("data-status") == "partial"
    assert card(changed).get_attribute("data-tool-status") == "silent"
    assert card(changed).locator(".badge.tool").inner_text() == zh.MESSAGES["review.tool_badge"].format(
        status=zh.MESSAGES["status.silent"])
    assert card(confirmed).locator(".flag", has_text=zh.MESSAGES["flag.now_agrees"]).count() == 0
    # the linked card: the candidate is now evidence, and the link rule fired
    assert answer in card(linked).locator(".evidence-list").inner_text()
    assert any(r.startswith(f"links:review-{linked['id']} ") for r in after[linked["id"]]["rules"])
    assert after[linked["id"]]["evidence"][0]["text"] == answer
    # nothing restored from the browser that the rules hold
    assert card(changed).locator(".review-controls").count() == 0
    assert card(confirmed).locator(".review-controls").count() == 0
    assert card(linked).locator(".review-controls").count() == 1 and _pressed(card(linked)) == []
    assert card(linked).locator("button.review-use[aria-pressed=true]").count() == 0
    assert "in-review" not in (card(linked).get_attribute("class") or "")
    assert not set(_stored(page)) & {changed["id"], confirmed["id"], linked["id"]}
    assert page.locator("#review-progress").inner_text().startswith("本页已复核 0 / ")
    # work kept for a commitment no longer on the page (its text edited, its id new) is said, not lost in silence
    page.evaluate("""() => { const k = Object.keys(localStorage).find(k => k.startsWith('followup-review:'));
                             const s = JSON.parse(localStorage.getItem(k) || '{}');
                             s['2024-00000000'] = {status: 'met', note: '', link: ''};
                             s[arguments[0]] = {status: 'done', note: 7};  // not what the controls write
                             localStorage.setItem(k, JSON.stringify(s)); }""".replace("arguments[0]", json.dumps(linked["id"])))
    page.reload()
    assert page.locator("#review-message").inner_text() == zh.MESSAGES["review.ui.orphans"].format(n=1)
    assert _pressed(card(linked)) == [] and page.locator("#review-progress").inner_text().startswith("本页已复核 0 / ")

    # the overview: reviewed and agreement, by the tool's verdict
    page.goto((out / "2024-2025" / "index.html").as_uri())
    row = page.locator(f'table.review-agreement tbody tr[data-body="{BODY}"]')
    assert row.locator('[data-review="reviewed"] b.n').inner_text() == "2"
    assert row.locator('[data-review="agreed"] b.n').inner_text() == "1"
    assert row.locator('[data-review="agreed"] .pct').inner_text() == "50%"
    silent = row.locator('.by-verdict [data-status="silent"]').inner_text()
    assert silent.startswith("工具判未提及：复核 1 条，同意 0 条") and silent.endswith("0%")
    mine = row.locator(f'.by-verdict [data-status="{confirmed["status"]}"]').inner_text()
    assert mine.startswith(f"工具判{zh.MESSAGES['status.' + confirmed['status']]}：复核 1 条，同意 1 条")
    # a page with nothing to review (every verdict pending: no summary yet) shows no review bar
    waiting = next(i for i, a in enumerate(second["audits"], start=1) if all(c["status"] == "pending" for c in a["commitments"]))
    page.goto((out / "2024-2025" / f"body-{waiting:02d}.html").as_uri())
    assert page.locator("[data-review-page]").is_hidden() and page.locator(".review-controls").count() == 0
    assert errors == []
    context.close()

    # a hand-edited export that is broken fails rules check, naming the file and the line
    text = export.read_text(encoding="utf-8")
    lines = text.splitlines()
    status_line = next(n for n, line in enumerate(lines, start=1) if line.strip() == "status: partial")
    date_line = next(n for n, line in enumerate(lines, start=1) if line.strip().startswith("date:"))
    for broken, line, key in (
        (text.replace("status: partial", "status: done"), status_line, "status"),
        (text.replace(lines[date_line - 1], '    date: "1 March"'), date_line, "date"),
        (text.replace(lines[status_line - 1], "  " + lines[status_line - 1]), status_line, "not valid YAML"),
    ):
        export.write_text(broken, encoding="utf-8")
        capsys.readouterr()
        assert main(["rules", "check", str(rules)]) == 1
        printed = capsys.readouterr()
        said = printed.out + printed.err
        assert f"{rules}/{name}:{line}:" in said and key in said, said


def _render(result, review: bool):
    """The seeds' first body page, with the review feature or without it (the view's ``review`` unset)."""
    from followup.report.views import audit_views
    from followup.report.writer import _environment

    _, pages = audit_views(result, "zh")
    page = next(pages)
    return _environment().get_template("body.html").render(**(page if review else dict(page, review=None)))


def test_review_controls_change_nothing_without_scripts_or_in_print(browser, audit_2024, tmp_path):
    (tmp_path / "with.html").write_text(_render(audit_2024, True), encoding="utf-8")
    (tmp_path / "without.html").write_text(_render(audit_2024, False), encoding="utf-8")
    assert "review-words" in (tmp_path / "with.html").read_text(encoding="utf-8")
    assert "review-words" not in (tmp_path / "without.html").read_text(encoding="utf-8")

    # without scripts: the same text shows, and there is no review control
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    shown = {}
    for name in ("with", "without"):
        page.goto((tmp_path / f"{name}.html").as_uri())
        shown[name] = page.evaluate("() => document.body.innerText")
        controls = "() => document.querySelectorAll('.review-controls, [data-review-status], textarea, .review-use').length"
        assert page.evaluate(controls) == 0
        assert page.locator("[data-review-page]:visible").count() == 0
    assert shown["with"] == shown["without"]
    context.close()

    # printed (scripts running, the controls made): the same text on the same pages, no control's words
    import pdfplumber

    printed = {}
    page = browser.new_page()
    for name in ("with", "without"):
        page.goto((tmp_path / f"{name}.html").as_uri())
        page.wait_for_load_state("load")
        if name == "with":
            assert page.locator(".review-controls").count() > 0  # the controls are there on screen
        page.pdf(path=str(tmp_path / f"{name}.pdf"), format="A4")
        with pdfplumber.open(tmp_path / f"{name}.pdf") as pdf:
            printed[name] = [p.extract_text() or "" for p in pdf.pages]
    page.close()
    assert printed["with"] == printed["without"]
    text = "".join(printed["with"])
    for key in ("export", "use_as_answer", "tool_mark"):
        assert zh.MESSAGES[f"review.ui.{key}"] not in text, key
    assert zh.MESSAGES["review.ui.progress"].split("{")[0] not in text
    assert en.MESSAGES["review.ui.export"] not in text
