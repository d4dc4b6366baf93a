from pathlib import Path

import pytest

from followup.corpus import load_corpus
from followup.pipeline import run_audit
from followup.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LABELS = Path(__file__).resolve().parent / "labels"
FIXED_TIME = "2026-01-01T00:00:00+00:00"


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture(scope="session")
def corpus(rules):
    return load_corpus(SEEDS, rules, label="seeds")


@pytest.fixture(scope="session")
def audit_2024(corpus, rules):
    return run_audit(corpus, 2024, 2025, generated_at=FIXED_TIME)


@pytest.fixture(scope="session")
def seed_docs(corpus):
    """Documents and their infos keyed by the seed's three-digit prefix."""
    return {doc.name[:3]: (doc, info) for doc, info in corpus.pairs()}


# A reviewer's decision on a seed commitment, as an auditor writes it in a rules folder (line 3 names it).
KEYLAB_DECISION = """
decisions:
  kewei-2024-keylab:
    commitment: 吸引重点实验室落户青浦
    status: met
    note: 区政府2024年12月已与复旦签约共建重点实验室（见会议纪要）
    reviewer: 王审计
    date: 2026-03-01
"""
