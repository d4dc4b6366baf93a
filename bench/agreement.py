"""Agreement with the labelled pairs, with the matching threshold chosen leaving each pair out.

    python bench/agreement.py              # the figures, per pair and pooled
    python bench/agreement.py -v           # and every disagreement
    python bench/agreement.py --labellers  # two auditors' labels of the same sentences, set against each other
    python bench/agreement.py --calibrate  # write rules/calibration.yaml, and check it leaving each pair out

For each pair, ``action_match`` and ``word_share`` are the values of the grid that agree best with the
*other* pairs' labels (silent-vs-addressed first, then the three verdicts; ties to the shipped values,
then the lower ones); the pair is then scored at those values. So no figure reported here comes from
a setting fitted on the sentences it is reported on.

Pooled figures are given for the labels issue 14 names (the seeds' 33 and the four government reports
labelled for issue 13) and for every labelled pair; by the auditor's confidence in the label; and for
the carried-over flag against the labels' restated-in-the-next-plan.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import followup  # noqa: E402
from labelled import Item, find, non_commitments, pairs, score, second_opinions  # noqa: E402

GRID = (0.15, 0.18, 0.2, 0.22, 0.25, 0.28, 0.3, 0.32, 0.35, 0.38, 0.4, 0.45, 0.5)
WORD_GRID = (0.0, 0.2, 0.3, 0.4, 0.5)
# The labels issue 14's targets are stated on (the rest were labelled later, the same way).
ISSUE_SET = ("seeds_qingpu_2024", "gov_beijing_2025", "gov_fujian_2025", "gov_national_2021", "gov_shanxi_2025")


def _sum(counts: list[dict]) -> dict:
    return {k: sum(c[k] for c in counts) for k in counts[0]}


def _key(c: dict, shipped: bool, value: tuple[float, float]) -> tuple:
    return (c["addressed"] / max(c["found"], 1), c["three"] / max(c["found"], 1), shipped, -value[0], -value[1])


def evaluate(grid=GRID, word_grid=WORD_GRID) -> dict:
    base = followup.load_rules()
    shipped = (base.thresholds["action_match"], base.thresholds["word_share"])
    settings = sorted({(m, w) for m in set(grid) | {shipped[0]} for w in set(word_grid) | {shipped[1]}})
    labelled = pairs()
    scores: dict[tuple[float, float], dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folders = {p.name: p.folder(Path(tmp)) for p in labelled}
        for value in settings:
            rules = base.with_thresholds(action_match=value[0], word_share=value[1])
            scores[value] = {}
            for p in labelled:
                result = followup.audit(followup.load_corpus(folders[p.name], rules), p.plan_year, p.summary_year)
                scores[value][p.name] = score(p, result)
    report = {}
    for p in labelled:
        others = {v: _sum([scores[v][q.name].counts() for q in labelled if q.name != p.name]) for v in settings}
        chosen = max(settings, key=lambda v: _key(others[v], v == shipped, v))
        held = scores[chosen][p.name]
        report[p.name] = {"threshold": chosen, "tasks": held.counts("task"), "targets": held.counts("target"),
                          "all": held.counts(), "score": held}
    return report


def _pooled(label: str, counts: dict) -> str:
    line = (f"{label}: found {counts['found']}/{counts['labelled']}, silent-vs-addressed "
            f"{counts['addressed']}/{counts['found']} = {counts['addressed'] / counts['found']:.1%}, three verdicts "
            f"{counts['three']}/{counts['found']} = {counts['three'] / counts['found']:.1%}")
    if counts["answered"]:
        line += f", labelled evidence in top 3 {counts['in_top3']}/{counts['answered']} = {counts['in_top3'] / counts['answered']:.1%}"
    return line


def by_confidence(report: dict) -> dict[str, list[int]]:
    """Task labels by the auditor's confidence: [labelled, silent-vs-addressed agreed, three agreed]."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in report.values():
        for item, c in r["score"].rows:
            if c is None or item.kind != "task":
                continue
            cell = out[item.confidence or "-"]
            cell[0] += 1
            cell[1] += (c.status == "silent") == (item.label == "silent")
            cell[2] += c.status == item.label
    return out


def carried(report: dict) -> tuple[int, int]:
    """The carried-over flag against the labels' restated-in-the-next-plan: (agreed, labelled)."""
    agreed = labelled = 0
    for r in report.values():
        for item, c in r["score"].rows:
            if c is not None and item.restated is not None:
                labelled += 1
                agreed += ("carried_over" in c.flags) == bool(item.restated)
    return agreed, labelled


def kept_out(report: dict) -> tuple[int, int]:
    """The labelled non-commitments of the reports (headings, stance, exhortation) the tool does not take
    for commitments: (kept out, labelled)."""
    out = labelled = 0
    for name, r in report.items():
        for text in non_commitments(name):
            labelled += 1
            out += find(Item("task", text, "silent"), r["score"].commitments) is None
    return out, labelled


def labellers() -> None:
    """How far two auditors agree on the same sentences: the ceiling any tool is measured under."""
    total = [0, 0, 0]
    for name, rows in second_opinions().items():
        n = len(rows)
        addressed = sum((a.label == "silent") == (b == "silent") for a, b in rows)
        three = sum(a.label == b for a, b in rows)
        total = [total[0] + n, total[1] + addressed, total[2] + three]
        print(f"{name:22} {n} labelled twice: silent-vs-addressed {addressed}/{n} = {addressed / n:.1%}, "
              f"three verdicts {three}/{n} = {three / n:.1%}")
    n, addressed, three = total
    print(f"pooled: silent-vs-addressed {addressed}/{n} = {addressed / n:.1%}, three verdicts {three}/{n} = {three / n:.1%}")


BINS = (0.0, 0.2, 0.32, 0.45, 0.6)


def _shipped_rows() -> dict[str, list]:
    """Every labelled commitment the tool found, with its card, at the shipped thresholds, by pair."""
    rules = followup.load_rules()
    out: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for p in pairs():
            result = followup.audit(followup.load_corpus(p.folder(Path(tmp)), rules), p.plan_year, p.summary_year)
            out[p.name] = [(item, c) for item, c in score(p, result).rows if c is not None]
    return out


def _decided_by_figures(c) -> bool:
    return any(f.status != "unknown" and f.actual is not None for f in c.figures)


def _bin(c) -> float:
    best = c.candidates[0].score if c.candidates else 0.0
    return max(b for b in BINS if best >= b)


def _tally(rows: list) -> tuple[dict, dict]:
    """[right, seen] by verdict and best-score bin (a verdict read from words), and by verdict (from figures)."""
    text: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    figures: dict = defaultdict(lambda: [0, 0])
    for item, c in rows:
        cell = figures[c.status] if _decided_by_figures(c) else text[c.status][_bin(c)]
        cell[0] += int(c.status == item.label)
        cell[1] += 1
    return text, figures


# A cell's share right is drawn toward its verdict's overall share as if it held this many more cards:
# a bin of 5 cards says little on its own (empirical-Bayes shrinkage).
PRIOR = 10


def _table(text: dict, figures: dict) -> tuple[dict, dict]:
    """The confidence of each cell: its share right, drawn toward the verdict's overall share by ``PRIOR``."""
    shares: dict = {}
    for status, bins in text.items():
        total = [sum(v[0] for v in bins.values()), sum(v[1] for v in bins.values())]
        overall = total[0] / total[1] if total[1] else 0.5
        shares[status] = {low: (v[0] + PRIOR * overall) / (v[1] + PRIOR) for low, v in bins.items()}
    return shares, {status: r / n for status, (r, n) in figures.items()}


def calibration() -> str:
    """rules/calibration.yaml: how often each verdict was right, at the shipped threshold, on every label."""
    rows = [row for rows in _shipped_rows().values() for row in rows]
    text, figures = _tally(rows)
    shares, figure_shares = _table(text, figures)
    lines = ["# How often a verdict agreed with an auditor's label on the labelled pairs (tests/labels/), by",
             "# verdict and, for a verdict read from the summary's words, by its best match score: the confidence",
             "# a card shows. Written by `python bench/agreement.py --calibrate`; each bin's share is drawn toward",
             f"# its verdict's overall share as if it held {PRIOR} more cards.", "calibration:", f"  labelled: {len(rows)}", "  text:"]
    for status in ("met", "partial", "silent"):
        bins = text.get(status, {})
        right, seen = sum(v[0] for v in bins.values()), sum(v[1] for v in bins.values())
        cells = ", ".join(f"{low}: {shares[status][low]:.2f}" for low in sorted(bins))
        lines.append(f"    {status}: {{{cells}}}  # {right}/{seen} right")
    lines.append("  figures:")
    for status, (r, n) in sorted(figures.items()):
        lines.append(f"    {status}: {figure_shares[status]:.2f}  # {r}/{n} right")
    return "\n".join(lines) + "\n"


def reliability() -> None:
    """Whether a card at 80% is right about 80% of the time on pairs it was not measured on: each pair's
    cards get the confidence the table built from the other pairs gives them."""
    by_pair = _shipped_rows()
    cells: dict = defaultdict(lambda: [0, 0, 0.0])  # confidence decile -> [right, seen, sum of confidences]
    for name, rows in by_pair.items():
        shares, figure_shares = _table(*_tally([row for other, r in by_pair.items() if other != name for row in r]))
        for item, c in rows:
            if _decided_by_figures(c):
                confidence = figure_shares.get(c.status)
            else:
                confidence = shares.get(c.status, {}).get(_bin(c))
            if confidence is None:
                continue
            cell = cells[min(int(confidence * 10), 9) / 10]
            cell[0] += int(c.status == item.label)
            cell[1] += 1
            cell[2] += confidence
    print("confidence shown (from the other pairs) against how often the card agreed with the label:")
    for low, (right, seen, total) in sorted(cells.items()):
        print(f"  {low:.0%}–{low + 0.1:.0%}: {seen:4} cards, mean confidence {total / seen:.0%}, right {right / seen:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--calibrate", action="store_true", help="write rules/calibration.yaml and stop")
    parser.add_argument("--labellers", action="store_true", help="set two auditors' labels against each other and stop")
    args = parser.parse_args()
    if args.calibrate:
        (ROOT / "rules" / "calibration.yaml").write_text(calibration(), encoding="utf-8")
        print((ROOT / "rules" / "calibration.yaml").read_text(encoding="utf-8"))
        reliability()
        return
    if args.labellers:
        labellers()
        return
    report = evaluate()
    for name, r in report.items():
        t, g = r["tasks"], r["targets"]
        line = (f"{name:22} action_match {r['threshold'][0]:.2f}, word_share {r['threshold'][1]:.1f} (chosen without it) | tasks {t['found']}/{t['labelled']} found, "
                f"silent-vs-addressed {t['addressed']}/{t['found']}, three verdicts {t['three']}/{t['found']}, "
                f"labelled evidence in top 3 {t['in_top3']}/{t['answered']}")
        if g["labelled"]:
            line += f" | targets {g['found']}/{g['labelled']} found, verdicts {g['three']}/{g['found']}"
        print(line)
        if args.verbose:
            for item, c in r["score"].rows:
                if c is None or c.status != item.label:
                    print(f"    {item.kind:6} {item.label:7} -> {c.status if c else 'not found':9} {item.text[:60]}")
    for group, names in (("issue 14's labels", ISSUE_SET), ("every labelled pair", tuple(report))):
        chosen = [report[n] for n in names if n in report]
        print(f"{group} ({len(chosen)} pairs):")
        for kind in ("tasks", "targets", "all"):
            print("  " + _pooled({"tasks": "task sentences", "targets": "main targets", "all": "every commitment"}[kind],
                                 _sum([r[kind] for r in chosen])))
    print("task sentences by the auditor's confidence in the label:")
    for confidence, (n, addressed, three) in sorted(by_confidence(report).items()):
        print(f"  {confidence:7} {n:4}: silent-vs-addressed {addressed / n:.1%}, three verdicts {three / n:.1%}")
    agreed, labelled = carried(report)
    print(f"carried over (at each pair's thresholds) against restated in the next plan: {agreed}/{labelled} = {agreed / labelled:.1%}")
    out, labelled = kept_out(report)
    print(f"labelled non-commitments (headings, stance, exhortation) kept out: {out}/{labelled}")


if __name__ == "__main__":
    main()
