from followup.corpus import load_corpus, prepare_corpus
from followup.pipeline import run_audit
from followup.report.writer import to_json
from followup.models import SourceText
from followup.report.messages import say, say_all

from conftest import FIXED_TIME, SEEDS


def test_kewei_audit_pairs_seed_000_plan_with_seed_001_summary(audit_2024):
    kewei = next(a for a in audit_2024.audits if a.body == "青浦区科委")
    assert kewei.plan_document.startswith("000_") and kewei.summary_document.startswith("001_")
    assert len(kewei.commitments) == 33
    assert sum(kewei.counts.values()) == 33
    assert {c.status for c in kewei.commitments} <= {"met", "partial", "silent"}


def test_a_body_whose_summary_is_not_out_yet_is_pending(audit_2024):
    jingwei = next(a for a in audit_2024.audits if a.body == "青浦区经委")
    assert jingwei.summary_document is None
    assert jingwei.counts["pending"] == len(jingwei.commitments) > 14
    assert all(c.status == "pending" and say_all(c.reasons, "en") for c in jingwei.commitments)


def test_a_year_with_no_documents_is_a_warning_and_every_plan_is_pending(corpus, rules):
    result = run_audit(corpus, 2025, 2026, generated_at=FIXED_TIME)
    assert any("no document of 2026" in say(w, "en") for w in result.warnings)
    assert result.audits and all(c.status == "pending" for a in result.audits for c in a.commitments)
    result = run_audit(corpus, 2030, 2031, generated_at=FIXED_TIME)
    assert not result.audits and any("no 2030 plan" in say(w, "en") for w in result.warnings)


def test_a_file_with_no_sections_is_a_warning_and_the_rest_is_audited(rules, tmp_path):
    for path in SEEDS.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "notes.txt").write_text("会议纪要\n今天开会讨论了三件事。\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run_audit(load_corpus(tmp_path, rules), 2024, 2025, generated_at=FIXED_TIME)
    messages = {}
    for w in result.warnings:
        messages[w.document] = messages.get(w.document, "") + " | " + say(w, "en")
    assert "no work summary or work plan section found" in messages["notes.txt"] and "empty" in messages["empty.txt"]
    assert next(a for a in result.audits if a.body == "青浦区科委").counts["silent"] < 33


def test_the_audit_is_deterministic(corpus, rules, audit_2024):
    # Compared as audit.json: writing a result words its notes in place (``word_all``), and another
    # test may have written the session's audit before this one runs.
    again = run_audit(corpus, 2024, 2025, generated_at=FIXED_TIME)
    assert to_json(again) == to_json(audit_2024)


def test_file_names_do_not_matter(rules):
    sources = [
        SourceText(name=f"renamed-{i}.txt", text=p.read_text(encoding="utf-8"), encoding="utf-8", sha1=str(i))
        for i, p in enumerate(sorted(SEEDS.iterdir()))
    ]
    result = run_audit(prepare_corpus(sources, rules), 2024, 2025, generated_at=FIXED_TIME)
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    assert kewei.plan_document == "renamed-0.txt" and kewei.summary_document == "renamed-1.txt"
    assert len(kewei.commitments) == 33
