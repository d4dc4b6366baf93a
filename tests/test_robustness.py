"""Issue 7: random and corrupted text never makes a stage raise, and no stage invents text."""

import random
import re

from hypothesis import HealthCheck, given, settings, strategies as st

from followup.corpus import prepare_corpus
from followup.pipeline import run_audit
from followup.reader import decode
from followup.errors import DocumentError
from followup.models import SourceText
from followup.normalize import fold, normalize
from followup.sections import identify
from followup.segments import clauses, segment_section

from conftest import FIXED_TIME, SEEDS

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())]
PIECES = st.sampled_from(["，", ",", "。", "；", ";", "（", "(", "）", "\n", "\n\n", " ", "一、", "（二）", "三是", "\t", "**", "#",
                          "2024 年工作要点", "2023年工作总结", "XX亿元", "1、", "要", "“", "”", "《", "》", "1210家", "百分之十二"])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60).map("".join)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _letters(text):
    return re.sub(r"[\W_]+", "", fold(text))


def _source(text, name="x.txt"):
    return SourceText(name=name, text=text, encoding="utf-8", sha1="0")


def _corrupt(text: str, rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:  # truncated
        return text[: rng.randrange(len(text))]
    if kind == 1:  # junk inserted
        at = rng.randrange(len(text))
        return text[:at] + "".join(rng.choice("\x00\ufffd#*<>|\t\u3000XX亿") for _ in range(rng.randrange(1, 40))) + text[at:]
    if kind == 2:  # line breaks deleted
        return text.replace("\n", "", rng.randrange(1, 200))
    if kind == 3:  # punctuation widths swapped
        table = str.maketrans("，,（(）)；;：:", ",，(（)）;；:：")
        return text.translate(table)
    if kind == 4:  # lines shuffled
        lines = text.split("\n")
        rng.shuffle(lines)
        return "\n".join(lines)
    return text.replace("。", "", rng.randrange(1, 50))  # sentence ends lost


@SETTINGS
@given(TEXT)
def test_reader_and_normaliser_never_raise_nor_invent_text(rules, text):
    try:
        decoded, _ = decode(text.encode("utf-8"), "x.txt")
    except DocumentError:
        return
    doc = normalize(_source(decoded), rules)
    source_letters = _letters(decoded)
    for para in doc.paragraphs:
        assert len(para.norm) == len(para.text)
        assert _letters(para.text) in source_letters or all(_letters(c) in source_letters for c in para.cells)


@SETTINGS
@given(TEXT)
def test_section_finder_and_splitter_never_raise_nor_invent_text(rules, text):
    doc = normalize(_source(text), rules)
    info, _ = identify(doc, rules)
    letters = _letters(text)
    for section in info.sections:
        assert section.first_paragraph <= section.end_paragraph <= len(doc.paragraphs)
        for seg in segment_section(doc, section, rules):
            assert _letters(seg.text) in letters or seg.is_table_row
            for clause in clauses(seg.text):
                assert _letters(clause) in _letters(seg.text)


def test_every_seed_corrupted_many_ways_audits_without_a_traceback(rules):
    rng = random.Random(20261123)
    for round_ in range(8):
        sources = [_source(_corrupt(text, rng), name=f"seed{i}-{round_}.txt") for i, text in enumerate(SEED_TEXTS)]
        corpus = prepare_corpus(sources, rules)
        for plan_year, summary_year in ((2024, 2025), (2023, 2024), (2025, 2026)):
            result = run_audit(corpus, plan_year, summary_year, FIXED_TIME)
            for audit in result.audits:
                for c in audit.commitments:
                    assert c.status in ("met", "partial", "silent", "pending")
                    for e in c.evidence:
                        assert _letters(e.text)  # every quote is real text
