"""The prepared corpus: the one owner of what is derived from documents, and the one picker."""

import gc
import re
import tempfile

import followup
from followup.corpus import load_corpus
from followup.normalize import fold
from followup.pipeline import run_audit, run_diff
from followup.words import tokenizer
from followup.report.messages import say

from conftest import FIXED_TIME, SEEDS

PLAN, SUMMARY = "000_5ea2c2abc77d6374.txt", "001_1ff71cb47a4eb644.txt"


def _revised(text: str) -> str:
    """Seed 001 as a later revision: a blank line after every line, a later signature date."""
    text = text.replace("2025年1月16日", "2025年3月1日").replace("2025-01-16", "2025-03-01")
    return "".join(line + "\n\n" for line in text.split("\n"))


def _folder(tmp_path, revised=True):
    for name in (PLAN, SUMMARY):
        (tmp_path / name).write_bytes((SEEDS / name).read_bytes())
    if revised:
        (tmp_path / "revised-001.txt").write_text(_revised((SEEDS / SUMMARY).read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path


def _squash(text: str) -> str:
    return re.sub(r"[\s*#>|]+", "", fold(text))


def _wrong_lines(result, folder) -> list[str]:
    """Quotes whose document line does not hold the quote's first characters."""
    lines = {}
    wrong = []
    for audit in result.audits:
        for c in audit.commitments:
            for e in c.evidence + c.carried_over + ([c.nearest_miss] if c.nearest_miss else []):
                if e.document not in lines:
                    lines[e.document] = (folder / e.document).read_text(encoding="utf-8").split("\n")
                line = _squash(lines[e.document][e.line - 1])
                if not line or _squash(e.text)[:2] not in line:
                    wrong.append(f"{e.document}:{e.line}: {e.text[:20]}")
    return wrong


def test_two_documents_with_the_same_text_quote_their_own_lines(tmp_path):
    folder = _folder(tmp_path)
    result = run_audit(load_corpus(folder), 2024, 2025, FIXED_TIME)
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    quotes = [e for c in kewei.commitments for e in c.evidence]
    assert kewei.summary_document == "revised-001.txt" and len(quotes) > 30
    assert {e.document for e in quotes} == {"revised-001.txt"}
    assert _wrong_lines(result, folder) == []
    # The revised file audited alone quotes the same sentences, at the same (its own) lines.
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / PLAN).write_bytes((SEEDS / PLAN).read_bytes())
    (alone / "revised-001.txt").write_bytes((folder / "revised-001.txt").read_bytes())
    by_itself = run_audit(load_corpus(alone), 2024, 2025, FIXED_TIME)
    assert _wrong_lines(by_itself, alone) == []
    alone_lines = {e.text: e.line for c in by_itself.audits[0].commitments for e in c.evidence}
    shared = [e for e in quotes if e.text in alone_lines]
    assert len(shared) > 30 and all(alone_lines[e.text] == e.line for e in shared)


def test_one_picker_for_the_audit_the_next_plan_and_the_diff(tmp_path):
    folder = _folder(tmp_path)
    corpus = load_corpus(folder)
    result = run_audit(corpus, 2024, 2025, FIXED_TIME)
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    carried = [e for c in kewei.commitments for e in c.carried_over]
    assert carried and {e.document for e in carried} == {"revised-001.txt"}
    chose = [w for w in result.warnings if "several documents" in say(w, "en")]
    assert sorted(say(w, "en").split(" (")[0] for w in chose) == [
        "青浦区科委: several documents hold the 2024 work summary", "青浦区科委: several documents hold the 2025 work plan"]
    assert all(w.document == "revised-001.txt" and "documents` rule" in say(w, "en") for w in chose)
    diff = run_diff(corpus, 2024, 2025, FIXED_TIME)
    body = next(b for b in diff.bodies if b.body == "青浦区科委")
    assert body.later_plan == "revised-001.txt" and body.later_summary == "revised-001.txt"
    assert any("several documents" in say(w, "en") for w in diff.warnings)


def test_results_do_not_depend_on_how_much_the_corpus_keeps(tmp_path):
    folder = _folder(tmp_path, revised=False)
    small = load_corpus(folder, keep_documents=1)
    kept = run_audit(small, 2024, 2025, FIXED_TIME)
    assert len(small._derived) <= 1
    assert kept == run_audit(load_corpus(folder), 2024, 2025, FIXED_TIME)


def test_reports_in_the_corpus_folder_are_never_read_back(tmp_path, capsys, monkeypatch):
    from followup.cli import main

    for p in SEEDS.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    monkeypatch.chdir(tmp_path)
    assert main(["audit", "2024", "2025", "--seeds", "."]) == 0
    first = (tmp_path / "reports/2024-2025/audit.json").read_text(encoding="utf-8")
    # A page of the report copied next to the documents is recognised by its generator mark.
    (tmp_path / "copied.html").write_bytes((tmp_path / "reports/2024-2025/body-02.html").read_bytes())
    assert main(["audit", "2024", "2025", "--seeds", "."]) == 0
    second = (tmp_path / "reports/2024-2025/audit.json").read_text(encoding="utf-8")
    assert _without_time(first) == _without_time(second)
    jingwei = next(a for a in followup.audit(load_corpus(tmp_path, exclude=[tmp_path / "reports"]), 2024).audits
                   if a.body == "青浦区经委")
    assert jingwei.counts["pending"] == 49
    capsys.readouterr()
    assert main(["docs", "--seeds", "."]) == 0
    out = capsys.readouterr().out
    assert ".html" not in out.split("已跳过")[0] and "已跳过（followup 自己写的）: copied.html, reports/" in out


def _without_time(text: str) -> str:
    return re.sub(r'"generated_at": "[^"]*"', "", text)


def test_library_calls_leave_the_process_alone(tmp_path, monkeypatch):
    thresholds = gc.get_threshold()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    tokenizer.cache_clear()  # as in a new process: the word dictionary is built on first use
    corpus = followup.load_corpus(SEEDS)
    followup.audit(corpus, 2024, 2025)
    followup.diff(corpus, 2024, 2025)
    assert gc.get_threshold() == thresholds and not gc.get_freeze_count()
    assert list(tmp_path.iterdir()) == []  # jieba's cache is not written to $TMPDIR


def test_the_python_api_as_the_readme_shows_it(tmp_path):
    corpus = followup.load_corpus(SEEDS)
    result = followup.audit(corpus, 2024)
    assert result.summary_year == 2025 and {a.body for a in result.audits} == {"青浦区科委", "青浦区经委"}
    folder = followup.write_report(result, tmp_path, formats=["json"]).folder
    assert (folder / "audit.json").exists()
    assert [r.plan_year for r in followup.audit_all(corpus)] == [2023, 2024, 2025]
    assert set(followup.__all__) >= {"load_rules", "load_corpus", "audit", "audit_all", "diff", "write_report"}
