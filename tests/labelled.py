"""Every labelled pair of documents (tests/labels/), set against the tool's audit.

A pair is a plan and the summary a year later, with commitments labelled by docs/labelling.md: the
33 of the 青浦区科委 2024 plan (the 13 worked examples and 20 labelled by the team) and, for ten
government work reports, their main targets and a systematic sample of 30 task sentences. A label names
its sentence verbatim; the tool's commitment is the one whose text holds it or is held by it. Used by
the tests and by bench/agreement.py (thresholds chosen leaving each pair out).

``tests/labels/second/`` holds a second auditor's labels of three pairs' sentences, made without seeing
the first's: how far two auditors agree (``second_opinions``).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from followup.normalize import fold

TESTS = Path(__file__).resolve().parent
LABELS = TESTS / "labels"
SEEDS = TESTS.parent / "seeds"
GOV_REPORTS = TESTS.parents[1] / "shared" / "corpora" / "gov_reports"


@dataclass
class Item:
    kind: str  # task | target
    text: str
    label: str  # met | partial | silent
    evidence: list[str] = field(default_factory=list)
    restated: bool | None = None  # committed to again in the next plan
    confidence: str | None = None  # the auditor's: high | medium | low (none for a target)


@dataclass
class Pair:
    name: str
    documents: list[Path]
    plan_year: int
    summary_year: int
    plan_document: str
    items: list[Item]

    def folder(self, root: Path) -> Path:
        """A corpus folder holding just this pair's documents."""
        folder = root / self.name
        if not folder.exists():
            folder.mkdir(parents=True)
            for path in self.documents:
                shutil.copy(path, folder / path.name)
        return folder


def squash(text: str) -> str:
    return re.sub(r"[\s。；，、：,;:]+", "", fold(text))


def _seed_pair() -> Pair:
    items = []
    for path in sorted(LABELS.glob("qingpu_kw_2024_*.yaml")):
        for c in yaml.safe_load(path.read_text(encoding="utf-8"))["commitments"]:
            items.append(Item("task", c["text"], c["label"], list(c.get("evidence") or []), c.get("restated_in_2025_plan"),
                              c.get("confidence")))
    plan, summary = "000_5ea2c2abc77d6374.txt", "001_1ff71cb47a4eb644.txt"
    return Pair("seeds_qingpu_2024", [SEEDS / plan, SEEDS / summary], 2024, 2025, plan, items)


def _report_pair(path: Path) -> Pair:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    meta = data["meta"]
    items = [Item("target", t["text"], t["label"], [t["actual_quote"]] if t.get("actual_quote") else [])
             for t in data["targets"]]
    items += [Item("task", c["text"], c["label"], list(c.get("evidence") or []), c.get("restated_in_next_plan"),
                   c.get("confidence")) for c in data["commitments"]]
    docs = [GOV_REPORTS / meta["plan_doc"], GOV_REPORTS / meta["summary_doc"]]
    return Pair(path.stem, docs, meta["plan_year"], meta["summary_year"], docs[0].name, items)


def pairs() -> list[Pair]:
    return [_seed_pair()] + [_report_pair(p) for p in sorted(LABELS.glob("gov_*.yaml"))]


def second_opinions() -> dict[str, list[tuple[Item, str]]]:
    """Per pair, each item the second auditor labelled, with the second label."""
    first = {p.name: {squash(i.text): i for i in p.items} for p in pairs()}
    out: dict[str, list[tuple[Item, str]]] = {}
    for path in sorted((LABELS / "second").glob("*.yaml")):
        name = path.stem  # named as the pair it labels again
        for other in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
            out.setdefault(name, []).append((first[name][squash(other["text"])], other["label"]))
    return out


def non_commitments(name: str) -> list[str]:
    """The sentences of a report's plan its labeller marked as no commitment (headings, stance, exhortation)."""
    path = LABELS / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("non_commitments", []) if path.exists() else []


def find(item: Item, commitments):
    """The tool's commitment that is the labelled one (targets among targets)."""
    key = squash(item.text)
    candidates = [c for c in commitments if item.kind == "task" or c.kind == "target"]
    exact = [c for c in candidates if squash(c.text) == key]
    if exact:
        return exact[0]
    held = [c for c in candidates if key and (key in squash(c.text) or (len(squash(c.text)) >= 6 and squash(c.text) in key))]
    return min(held, key=lambda c: abs(len(squash(c.text)) - len(key))) if held else None


def quoted(evidence: list[str], quotes) -> bool:
    """Whether one of the tool's quotes is (or holds, or is held by) one of the labelled ones."""
    keys = [squash(e) for e in evidence if squash(e)]
    return any(k in squash(q.text) or squash(q.text) in k for q in quotes for k in keys)


@dataclass
class Score:
    """Agreement of one audit with one pair's labels."""

    pair: str
    rows: list = field(default_factory=list)  # (item, tool's commitment or None)
    commitments: list = field(default_factory=list)  # every commitment of the tool's audit of the plan

    @property
    def tasks(self):
        return [(i, c) for i, c in self.rows if i.kind == "task"]

    @property
    def targets(self):
        return [(i, c) for i, c in self.rows if i.kind == "target"]

    def counts(self, kind: str | None = None) -> dict[str, int]:
        rows = [(i, c) for i, c in self.rows if kind is None or i.kind == kind]
        found = [(i, c) for i, c in rows if c is not None]
        answered = [(i, c) for i, c in found if i.label != "silent" and i.evidence]
        return {
            "labelled": len(rows), "found": len(found),
            "addressed": sum((c.status == "silent") == (i.label == "silent") for i, c in found),
            "three": sum(c.status == i.label for i, c in found),
            "answered": len(answered),
            "in_top3": sum(quoted(i.evidence, c.candidates[:3] or c.evidence[:3]) for i, c in answered),
        }


def score(pair: Pair, result) -> Score:
    audit = next((a for a in result.audits if a.plan_document == pair.plan_document), None)
    commitments = audit.commitments if audit else []
    return Score(pair.name, [(item, find(item, commitments)) for item in pair.items], commitments)
