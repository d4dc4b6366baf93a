"""followup's benchmark: speed and memory at 10, 100 and 1,000 documents, and against difflib.

    python bench/bench.py                 # all sizes (about a minute on 2 cores)
    python bench/bench.py --sizes 10 100  # fewer

A synthetic corpus is built from the seeds: each body a district's 科委 or 经委 with five yearly
documents (body names, document numbers and years renamed; sentences of a paragraph shuffled; every
figure changed), so no two documents are alike. Each size runs in a fresh process and does what
`followup audit --all --format html,json` does: read and prepare the corpus, audit every pair of
consecutive years, write every report. It prints documents and commitments per second, peak memory
(the process's maximum resident set) and how time grows from 100 to 1,000 documents. Then the same
matching (every action of every audited plan against its summary's outcomes) is timed with followup's
matcher and with plain difflib.SequenceMatcher, and both are scored against the labelled set.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
STAMP = datetime(2026, 1, 1, tzinfo=timezone.utc)
DOCS_PER_BODY = 5
FIRST_YEAR = 2016
# Seed, the year its document was issued, the body and number prefix it names.
TEMPLATES = {
    "科委": [("000_5ea2c2abc77d6374.txt", 2024), ("001_1ff71cb47a4eb644.txt", 2025)],
    "经委": [("002_ba3db4a076050f30.txt", 2024)],
}
SYLLABLES = "东南西北安宁丰华康泰兴和平嘉长宝金松奉崇闵徐静虹杨普黄浦明德信义"


def _district(k: int) -> str:
    a, b = divmod(k, len(SYLLABLES))
    return SYLLABLES[a % len(SYLLABLES)] + SYLLABLES[b] + "区"


def _shift_years(text: str, delta: int) -> str:
    return re.sub(r"(?<!\d)(20[12]\d)(?!\d)", lambda m: str(int(m.group(1)) + delta), text)


def _change_figures(text: str, rng: random.Random) -> str:
    def change(m: re.Match) -> str:
        value = float(m.group(0)) * rng.uniform(0.8, 1.25)
        decimals = len(m.group(0).split(".")[1]) if "." in m.group(0) else 0
        return f"{value:.{decimals}f}"

    # Figures of two digits or more, not years: (?<!\d) keeps them whole.
    return re.sub(r"(?<![\d.])(?!20[12]\d(?!\d))\d{2,}(?:\.\d+)?(?![\d])", change, text)


def _shuffle_sentences(line: str, rng: random.Random) -> str:
    sentences = re.findall(r"[^。]+。", line)
    if len(sentences) < 3 or "".join(sentences) != line:
        return line
    head, rest = sentences[0], sentences[1:]  # the item heading stays first
    rng.shuffle(rest)
    return head + "".join(rest)


def make_corpus(folder: Path, n_docs: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    texts = {name: (SEEDS / name).read_text(encoding="utf-8") for names in TEMPLATES.values() for name, _ in names}
    for k in range(max(1, n_docs // DOCS_PER_BODY)):
        agency = "科委" if k % 3 else "经委"
        district = _district(k)
        prefix = district[0] + ("科委" if agency == "科委" else "经发")
        for j in range(DOCS_PER_BODY):
            if k * DOCS_PER_BODY + j >= n_docs:
                return
            name, issued = TEMPLATES[agency][j % len(TEMPLATES[agency])]
            text = texts[name]
            text = text.replace("青浦区", district).replace("青科委", prefix).replace("青经发", prefix)
            text = text.replace("普陀区", district).replace("青浦", district[:2])
            text = _shift_years(text, FIRST_YEAR + j - issued)
            text = _change_figures(text, rng)
            text = "\n".join(_shuffle_sentences(line, rng) if rng.random() < 0.5 else line for line in text.split("\n"))
            (folder / f"{k:04d}-{j}.txt").write_text(text, encoding="utf-8")


def run_size(n_docs: int) -> dict:
    """One size, in this process: what `followup audit --all --format html,json` does."""
    import followup
    from followup.report import write_all

    with tempfile.TemporaryDirectory() as tmp:
        corpus_dir, out = Path(tmp) / "corpus", Path(tmp) / "out"
        corpus_dir.mkdir()
        make_corpus(corpus_dir, n_docs)
        start = time.perf_counter()
        corpus = followup.load_corpus(corpus_dir)
        gc.freeze()  # as the command line does once the corpus is read
        gc.set_threshold(50_000, 50, 100)
        read = time.perf_counter()
        _, summary, _ = write_all(followup.audit_all(corpus, generated_at=STAMP), out, formats=("html", "json"))
        done = time.perf_counter()
    commitments = sum(sum(b["counts"].values()) for s in summary for b in s["bodies"])
    return {
        "documents": len(corpus.documents), "pairs": len(summary), "commitments": commitments,
        "read_s": read - start, "audit_write_s": done - read, "total_s": done - start,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def seeds_time() -> dict:
    """The seeds' `followup audit 2024 2025`, report written: the tool's own time (no interpreter start)."""
    import followup

    times = []
    for _ in range(5):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            result = followup.audit(followup.load_corpus(SEEDS), 2024, 2025, generated_at=STAMP)
            followup.write_report(result, Path(tmp))
            times.append(time.perf_counter() - start)
    return {"best_s": min(times), "median_s": sorted(times)[2]}


# -- the difflib baseline ---------------------------------------------------------------------
def _difflib_matches(action, outcomes, weights, keep, words=0.0):
    """followup's best_matches, scored by plain difflib: the share of the action's characters that
    SequenceMatcher finds in the outcome, every outcome scored (``words``, followup's word share,
    has no counterpart here)."""
    from followup.matching import ActionMatch

    if not action.core:
        return []
    scored = []
    for i, outcome in enumerate(outcomes):
        text = outcome.segment.norm.replace(" ", "")
        blocks = SequenceMatcher(None, action.core, text, autojunk=False).get_matching_blocks()
        score = sum(b.size for b in blocks if b.size >= 2) / len(action.core)
        if score > 0:
            scored.append((score, i))
    scored.sort(key=lambda si: (-si[0], si[1]))
    return [ActionMatch(action, outcomes[i], s) for s, i in scored[:keep]]


def _matching_pairs(corpus):
    """(actions, outcomes, weights) of every audited plan of the corpus, ready to match."""
    weights = corpus.weights
    pairs = []
    by_series: dict[str, dict] = {}
    for doc, info in corpus.pairs():
        for s in info.sections:
            by_series.setdefault(info.series, {})[(s.kind, s.year)] = (doc, s)
    for parts in by_series.values():
        for (kind, year), (doc, section) in parts.items():
            if kind != "plan" or ("summary", year) not in parts:
                continue
            sdoc, ssec = parts[("summary", year)]
            outcomes = corpus.matchable_outcomes(sdoc, ssec)
            actions = list(corpus.actions(doc, section).values())
            pairs.append((actions, outcomes, weights))
    return pairs


def matching_race(n_docs: int) -> dict:
    import followup
    from followup import verdicts
    from followup.matching import best_matches

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_corpus(folder, n_docs)
        corpus = followup.load_corpus(folder)
    pairs = _matching_pairs(corpus)
    n_scores = sum(len(a) * len(o) for a, o, _ in pairs)
    start = time.perf_counter()
    for actions, outcomes, weights in pairs:
        for action in actions:
            best_matches(action, outcomes, weights, keep=3)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for actions, outcomes, weights in pairs:
        for action in actions:
            _difflib_matches(action, outcomes, weights, keep=3)
    baseline = time.perf_counter() - start
    agreement = {"followup": _agreement(None), "difflib": {}}
    original = verdicts.best_matches
    try:
        verdicts.best_matches = _difflib_matches
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            agreement["difflib"][threshold] = _agreement(threshold)
    finally:
        verdicts.best_matches = original
    return {"pairs": len(pairs), "action_outcome_pairs": n_scores, "followup_s": ours, "difflib_s": baseline,
            "ratio": baseline / ours if ours else float("inf"), "agreement": agreement}


def _agreement(threshold):
    """(three-way, silent-vs-addressed) agreement with tests/labels on the seeds."""
    import yaml

    import followup

    rules = followup.load_rules()
    if threshold is not None:
        rules = rules.with_thresholds(action_match=threshold)
    result = followup.audit(followup.load_corpus(SEEDS, rules), 2024, 2025, generated_at=STAMP)
    labels = {}
    for path in sorted((ROOT / "tests" / "labels").glob("qingpu_kw_2024_*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["commitments"]:
            labels[re.sub(r"\s", "", item["text"])] = item["label"]
    kewei = next(a for a in result.audits if a.body == "青浦区科委")
    pairs = [(labels[re.sub(r"\s", "", c.text)], c.status) for c in kewei.commitments]
    three = sum(a == b for a, b in pairs) / len(pairs)
    binary = sum((a == "silent") == (b == "silent") for a, b in pairs) / len(pairs)
    return three, binary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_size(args.child)))
        return
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    seeds = seeds_time()
    print(f"seeds `followup audit 2024 2025` (report written): best {seeds['best_s'] * 1000:.0f} ms, median {seeds['median_s'] * 1000:.0f} ms")
    rows = {}
    print(f"{'docs':>6} {'pairs':>6} {'commitments':>12} {'read s':>8} {'audit+write s':>14} {'total s':>8} {'docs/s':>8} {'commit/s':>9} {'peak MB':>8}")
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(size)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows[size] = r
        print(f"{r['documents']:>6} {r['pairs']:>6} {r['commitments']:>12} {r['read_s']:>8.2f} {r['audit_write_s']:>14.2f} "
              f"{r['total_s']:>8.2f} {r['documents'] / r['total_s']:>8.1f} {r['commitments'] / r['total_s']:>9.0f} {r['peak_mb']:>8.0f}")
    if 100 in rows and 1000 in rows:
        growth = rows[1000]["total_s"] / rows[100]["total_s"]
        print(f"scaling 100 → 1,000 documents: time × {growth:.2f} for documents × {rows[1000]['documents'] / rows[100]['documents']:.1f}")
    race = matching_race(min(100, max(args.sizes)))
    print(f"matching, {race['pairs']} plan/summary pairs, {race['action_outcome_pairs']} action×outcome pairs: "
          f"followup {race['followup_s']:.2f} s, difflib {race['difflib_s']:.2f} s, followup is {race['ratio']:.0f}× faster")
    f3, fb = race["agreement"]["followup"]
    print("agreement with the labelled set (33 commitments), three-way / silent-vs-addressed:")
    print(f"  followup: {f3:.1%} / {fb:.1%}")
    for threshold, (d3, db) in race["agreement"]["difflib"].items():
        print(f"  difflib at threshold {threshold}: {d3:.1%} / {db:.1%}")


if __name__ == "__main__":
    main()
