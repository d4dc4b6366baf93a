"""Reading the corpus folder: the one stage that touches the documents on disk.

Files are opened read-only and decoded; nothing in the corpus is ever written. A file that cannot
be read becomes a warning and the run goes on with the rest.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from followup.errors import DocumentError, UsageError
from followup.models import SourceText, Warning

READABLE_SUFFIXES = (".txt", ".md", ".markdown", ".text")

# Decoders tried in order on files without a byte-order mark. GB18030 is a superset of GBK and
# GB2312, the encodings Chinese government files are most often saved in.
_FALLBACK_ENCODINGS = ("utf-8", "gb18030")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise DocumentError."""
    if not data.strip():
        raise DocumentError(name, "the file is empty")
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DocumentError(name, "binary file (contains NUL bytes), not a text document")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DocumentError(name, f"starts with a {encoding} mark but does not decode: {exc.reason}")
    for encoding in _FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(name, "cannot tell the text encoding (not UTF-8, UTF-16 or GB18030)")
    return str(best), best.encoding


def read_file(path: Path, name: str) -> SourceText:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(name, f"cannot be read: {exc.strerror or exc}")
    text, encoding = decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(name, "the file holds no text")
    return SourceText(name=name, text=text, encoding=encoding, sha1=hashlib.sha1(data).hexdigest())


def read_corpus(folder: Path) -> tuple[list[SourceText], list[Warning]]:
    """Read every document under ``folder``, in a stable (sorted) order."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: corpus folder does not exist")
    sources: list[SourceText] = []
    warnings: list[Warning] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.suffix.lower() not in READABLE_SUFFIXES:
            warnings.append(Warning(document=name, message=f"skipped: {path.suffix or 'no'} files are not read yet"))
            continue
        try:
            sources.append(read_file(path, name))
        except DocumentError as exc:
            warnings.append(Warning(document=exc.document, message=exc.message))
    if not sources:
        warnings.append(Warning(document="", message=f"{folder}: no readable documents"))
    return sources, warnings
