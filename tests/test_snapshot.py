"""The seeds' audit.json, kept in tests/snapshots/ and reviewed by a person whenever it changes.

A snapshot never writes itself: on a difference (or when it is missing) the actual output is saved
beside it as ``*.actual.json`` and the test fails. When a change moves a verdict or a quote on
purpose, read ``diff tests/snapshots/audit-2024-2025.json tests/snapshots/audit-2024-2025.actual.json``,
then accept it with
    FOLLOWUP_UPDATE_SNAPSHOT=1 python -m pytest tests/test_snapshot.py
and read `git diff tests/snapshots` before committing it.
"""

import os
from pathlib import Path

from followup.report.writer import to_json

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def check_snapshot(name: str, current: str, folder: Path = SNAPSHOTS) -> None:
    snapshot = folder / f"{name}.json"
    actual = folder / f"{name}.actual.json"
    if os.environ.get("FOLLOWUP_UPDATE_SNAPSHOT") == "1":
        snapshot.write_text(current, encoding="utf-8")
    if snapshot.exists() and snapshot.read_text(encoding="utf-8") == current:
        actual.unlink(missing_ok=True)
        return
    actual.write_text(current, encoding="utf-8")
    assert snapshot.exists(), f"{snapshot} is missing: review {actual} and accept it (see this module's docstring)"
    raise AssertionError(f"{name}: the output differs from the reviewed snapshot; review `diff {snapshot} {actual}`")


def test_seeds_audit_matches_the_reviewed_snapshot(audit_2024):
    check_snapshot("audit-2024-2025", to_json(audit_2024))


def test_a_missing_snapshot_fails_and_is_not_written(tmp_path, monkeypatch):
    monkeypatch.delenv("FOLLOWUP_UPDATE_SNAPSHOT", raising=False)
    try:
        check_snapshot("nothing-yet", "{}\n", folder=tmp_path)
    except AssertionError as exc:
        assert "missing" in str(exc)
    else:
        raise AssertionError("a missing snapshot passed")
    assert not (tmp_path / "nothing-yet.json").exists()
    assert (tmp_path / "nothing-yet.actual.json").read_text(encoding="utf-8") == "{}\n"
