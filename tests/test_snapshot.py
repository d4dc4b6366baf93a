"""The seeds' audit.json, kept in tests/snapshots/ and reviewed by a person whenever it changes.

When a change moves a verdict or a quote on purpose, regenerate it with
    FOLLOWUP_UPDATE_SNAPSHOT=1 python -m pytest tests/test_snapshot.py
and read the diff (git diff tests/snapshots) before committing it.
"""

import os
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "audit-2024-2025.json"


def test_seeds_audit_matches_the_reviewed_snapshot(audit_2024):
    current = audit_2024.model_dump_json(indent=2) + "\n"
    if os.environ.get("FOLLOWUP_UPDATE_SNAPSHOT") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.write_text(current, encoding="utf-8")
    assert current == SNAPSHOT.read_text(encoding="utf-8"), (
        "audit.json of the seeds changed: review `git diff tests/snapshots` after "
        "FOLLOWUP_UPDATE_SNAPSHOT=1 python -m pytest tests/test_snapshot.py"
    )
