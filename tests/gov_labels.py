"""The government-report labels (tests/labels/gov_*.yaml) set against the tool's audit.

Each label names a sentence (or a 主要预期目标 item) of the plan verbatim; the tool's commitment is
the one whose text holds it or is held by it. Used by test_gov_reports.py and by bench/agreement.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from followup.normalize import fold

LABELS = Path(__file__).resolve().parent / "labels"
GOV_REPORTS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "gov_reports"
PAIRS = ("gov_national_2021", "gov_beijing_2025", "gov_fujian_2025", "gov_shanxi_2025")


def squash(text: str) -> str:
    return re.sub(r"[\s。；，、：]+", "", fold(text))


def load(name: str) -> dict:
    return yaml.safe_load((LABELS / f"{name}.yaml").read_text(encoding="utf-8"))


def find(label_text: str, commitments, kind: str | None = None):
    key = squash(label_text)
    candidates = [c for c in commitments if kind is None or c.kind == kind]
    exact = [c for c in candidates if squash(c.text) == key]
    if exact:
        return exact[0]
    held = [c for c in candidates if key and (key in squash(c.text) or (len(squash(c.text)) >= 6 and squash(c.text) in key))]
    return min(held, key=lambda c: abs(len(squash(c.text)) - len(key))) if held else None


@dataclass
class Agreement:
    pair: str
    targets: int
    targets_found: int
    target_verdicts: int
    tasks: int
    tasks_found: int
    tasks_addressed: int  # silent-vs-addressed agreement among found
    tasks_three: int      # three-way agreement among found
    rows: list

    def line(self) -> str:
        return (f"{self.pair}: targets found {self.targets_found}/{self.targets}, verdicts {self.target_verdicts}/{self.targets_found}; "
                f"tasks found {self.tasks_found}/{self.tasks}, silent-vs-addressed {self.tasks_addressed}/{self.tasks_found}, "
                f"three verdicts {self.tasks_three}/{self.tasks_found}")


def agreement(name: str, result) -> Agreement:
    labels = load(name)
    body = next((a for a in result.audits if a.plan_document.endswith(Path(labels["meta"]["plan_doc"]).name)), None)
    commitments = body.commitments if body else []
    rows = []
    t_found = t_ok = 0
    for t in labels["targets"]:
        c = find(t["text"], commitments, "target")
        t_found += c is not None
        t_ok += c is not None and c.status == t["label"]
        rows.append(("target", t["text"], t["label"], c.status if c else None))
    k_found = k_sva = k_three = 0
    for item in labels["commitments"]:
        c = find(item["text"], commitments)
        if c is not None:
            k_found += 1
            k_sva += (c.status == "silent") == (item["label"] == "silent")
            k_three += c.status == item["label"]
        rows.append(("task", item["text"], item["label"], c.status if c else None))
    return Agreement(name, len(labels["targets"]), t_found, t_ok, len(labels["commitments"]), k_found, k_sva, k_three, rows)
