"""Cutting Chinese text into words: jieba with its own dictionary, the same cut on every machine.

The matcher reads an action's words (``matching``), the pages mark the words a quote shares with its
commitment (``report.views``), the year-over-year diff shows changes word by word (``tokendiff``). All
use one tokenizer, built once per process.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def tokenizer():
    """A jieba tokenizer of our own, its dictionary built in memory.

    ``jieba.initialize()`` would read and write a 9 MB cache file in $TMPDIR (outside anything the
    user asked us to write) and configure the shared ``jieba.dt``; building the prefix dictionary
    here takes about a second once per process and touches no file but jieba's own dictionary.
    """
    import jieba

    made = jieba.Tokenizer()
    with made.get_dict_file() as dictionary:
        made.FREQ, made.total = made.gen_pfdict(dictionary)
    made.initialized = True
    return made


def cut(text: str) -> list[str]:
    """The words of ``text`` by jieba's dictionary alone (no HMM guesses: the cut depends on nothing else)."""
    return tokenizer().lcut(text, HMM=False)
