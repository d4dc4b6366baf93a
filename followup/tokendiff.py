"""A diff of two Chinese sentences that a person can read.

A character diff splits 1210 into "12" + "10"; a sentence diff deletes one sentence and inserts the
other. Here the text is cut into words (jieba; a figure stays whole with its unit, 1210家), each
distinct word is given one private character, diff-match-patch diffs those, and the result is mapped
back to words.
"""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

from followup.words import cut

_FIGURE = re.compile(r"^[\d.,%]+$")
_PRIVATE = 0xE000  # Unicode private use area: never in a document


def tokens(text: str) -> list[str]:
    """Words, with a number and the unit or 万/亿 after it kept as one token."""
    out: list[str] = []
    for word in cut(text):
        if out and _FIGURE.match(out[-1]) and (_FIGURE.match(word) or word[:1] in "万亿家个项户台场人次元%亩件"):
            out[-1] += word
        else:
            out.append(word)
    return out


def token_diff(left: str, right: str) -> list[tuple[int, str]]:
    """[(op, text)]: op -1 only in left, 0 in both, 1 only in right."""
    a, b = tokens(left), tokens(right)
    table: dict[str, str] = {}
    words: list[str] = []

    def encode(seq: list[str]) -> str:
        chars = []
        for tok in seq:
            if tok not in table:
                table[tok] = chr(_PRIVATE + len(words))
                words.append(tok)
            chars.append(table[tok])
        return "".join(chars)

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # deterministic: no time limit, the same diff on every machine
    diffs = dmp.diff_main(encode(a), encode(b), False)
    dmp.diff_cleanupSemantic(diffs)
    out: list[tuple[int, str]] = []
    for op, chars in diffs:
        text = "".join(words[ord(c) - _PRIVATE] for c in chars)
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return out
