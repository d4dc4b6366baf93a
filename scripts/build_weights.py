"""Build the background table of term weights that followup ships (followup/data/weights.json.gz).

    python scripts/build_weights.py            # from ./seeds and ../shared/corpora/gov_reports

A pair's verdicts must not depend on what else lies in the folder, so the rarity of a character pair
and of a word (how much it says about what a sentence is about) is measured once, over a reference corpus of
government documents — department plans and summaries and government work reports, national and
provincial — and frozen: every sentence of every section, reduced to its content as the matcher
reads it (aliases canonical, stop words and verbs set aside) with the shipped rules. The table
counts, for each character pair and each word jieba cuts from these sentences, the sentences that
hold it (a word: its characters in a row, as the matcher looks for it). It records its version and what it was built from; audit.json names the version it was judged with.
Rebuild it (and review the snapshot) when the reference corpus or the shipped word lists change.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import followup  # noqa: E402
from followup.matching import WEIGHTS_TABLE, Weights, cut_words  # noqa: E402

VERSION = "2026.12-5"
OUT = ROOT / "followup" / WEIGHTS_TABLE
RUNS = re.compile(r"[\u4e00-\u9fff]+")


def build(folders: list[Path]) -> dict:
    contents, sources = [], []
    for folder in folders:
        corpus = followup.load_corpus(folder)
        for doc, info in corpus.pairs():
            sources.append(f"{folder.name}/{doc.name}")
            for section in info.sections:
                contents += [corpus.lexicon.content(segment.text) for segment in corpus.segments(doc, section)]
    weights = Weights.from_texts(contents)
    digest = hashlib.sha1("\n".join(sorted(sources)).encode("utf-8")).hexdigest()[:12]
    return {"version": VERSION, "sentences": weights.n, "documents": len(sources), "sources": digest,
            "pairs": dict(sorted(weights.df.items())), "words": dict(sorted(word_counts(contents).items()))}


def word_counts(contents: list[str]) -> Counter[str]:
    """Sentences holding each word that jieba cuts from any of them."""
    vocabulary = {w for content in contents for w in cut_words(content)}
    longest = max(map(len, vocabulary), default=0)
    counts: Counter[str] = Counter()
    for content in contents:
        held = set()
        for run in RUNS.findall(content):
            for size in range(2, min(longest, len(run)) + 1):
                held.update(w for w in (run[i : i + size] for i in range(len(run) - size + 1)) if w in vocabulary)
        held.update(w for w in cut_words(content) if not RUNS.fullmatch(w))
        counts.update(held)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path,
                        default=[ROOT / "seeds", ROOT.parent / "shared/corpora/gov_reports/national",
                                 ROOT.parent / "shared/corpora/gov_reports/provinces"])
    args = parser.parse_args()
    table = build(args.folders)
    data = json.dumps(table, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime 0: the same table gives the same bytes
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{OUT.relative_to(ROOT)}: version {table['version']}, {table['documents']} documents, "
          f"{table['sentences']} sentences, {len(table['pairs'])} pairs, {len(table['words'])} words, {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
