"""Fuzzing the whole command: seeded mutations of the seeds, each audited as a user would.

Whatever the bytes, the promise holds: no internal error (exit 3), a report written, the corpus
untouched. Deterministic (a fixed seed per case), so a failure names the case that reproduces it.
"""

import hashlib
import random

import pytest

from followup.cli import main

from conftest import SEEDS

SEED_FILES = sorted(p.name for p in SEEDS.iterdir())
CASES = int(__import__("os").environ.get("FOLLOWUP_FUZZ_CASES", "36"))
CONTROL = ["\x00", "\x01", "\x0b", "\x0c", "\x1b[31m", "\u202e", "\u2066", "\ufeff", "\ufffd", "\r", "\u2028"]


def _flip(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _reencode(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    encoding = rng.choice(["gb18030", "utf-16", "utf-16-le", "big5", "utf-8-sig"])
    return text.encode(encoding, "replace")


def _controls(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice(CONTROL) + text[i:]
    return text.encode("utf-8", "surrogatepass")


def _html(data: bytes, rng: random.Random) -> bytes:
    lines = data.decode("utf-8", "replace").split("\n")
    tag = rng.choice(["p", "div", "font", "span"])
    body = "".join(f"<{tag}>{line}" + ("" if rng.random() < 0.5 else f"</{tag}>") for line in lines)
    return f"<html><head><title>t</title></head><body><nav>首页 &gt; 文件</nav>{body}</body></html>".encode("utf-8")


def _shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    rng.shuffle(lines)
    return b"\n".join(lines)


MUTATIONS = [_flip, _truncate, _reencode, _controls, _html, _shuffle_lines]


def _tree(folder) -> str:
    h = hashlib.sha1()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode("utf-8", "surrogateescape"))
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("case", range(CASES))
def test_a_mutated_corpus_is_audited_without_an_internal_error(case, tmp_path, capsys, monkeypatch):
    rng = random.Random(case)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in SEED_FILES:
        data = (SEEDS / name).read_bytes()
        suffix = ".txt"
        for mutate in rng.sample(MUTATIONS, rng.randint(0, 2)):
            data = mutate(data, rng)
            suffix = ".html" if mutate is _html else suffix
        (corpus / (name.rsplit(".", 1)[0] + suffix)).write_bytes(data)
    if rng.random() < 0.3:
        (corpus / "junk.bin").write_bytes(bytes(rng.randrange(256) for _ in range(2000)))
    before = _tree(corpus)
    monkeypatch.chdir(tmp_path)
    code = main(["audit", "2024", "2025", "--seeds", "corpus", "--out", "out"])
    err = capsys.readouterr().err
    assert code in (0, 4), f"case {case}: exit {code}\n{err}"
    assert "internal error" not in err and "Traceback" not in err
    assert (tmp_path / "out" / "2024-2025" / "audit.json").exists()
    assert _tree(corpus) == before
