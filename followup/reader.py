"""Reading the corpus folder: the one stage that touches the documents on disk.

Files are opened read-only; nothing in the corpus is ever written. Text files are decoded (UTF-8
with or without BOM, UTF-16, GB18030/GBK, Big5: detected, and reported per file), PDF, DOCX and saved
web pages are turned into text by ``followup.formats``. A file that cannot be read — empty, binary,
a scan, too large, nonsense once decoded — becomes a one-line warning and the run goes on.

Never lose a document, never crash on one: a file damaged in a few bytes is read with those bytes
as U+FFFD and a note naming their offsets (the notes of a ``SourceText`` become warnings of the
prepared corpus); whatever a parser raises on a hostile file is a warning naming it. The walk of the
folder is a loop, not recursion; links are followed only while they stay inside the corpus folder;
and a file is named in reports by a display name in which bytes that are not UTF-8 and characters
that break or reorder a line are escaped, while it is read by its real one.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from pathlib import Path

from followup.errors import DocumentError, UsageError
from followup.formats import docx_text, html_text, pdf_text, sniff
from followup.models import Note, SourceText, Warning
from followup.version import GENERATOR_MARK, REPORT_MANIFEST

READABLE_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".pdf", ".docx", ".html", ".htm", ".shtml")
MAX_BYTES = 50 * 1024 * 1024  # a government work document is a few hundred KB; 50 MB is not one
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte that did not decode, under errors="surrogateescape"


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: the byte order under which the text is mostly Chinese.

    Chinese in UTF-16 has few NUL bytes (only its ASCII has them), so both orders are tried.
    """
    if len(data) % 2 or b"\x00" not in data[:8000]:
        return None
    best, best_share = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        visible = [c for c in text[:4000] if not c.isspace()]
        share = sum(1 for c in visible if _CJK.match(c) or c.isascii() and c.isprintable()) / max(len(visible), 1)
        if share > best_share:
            best, best_share = text, share
    return best if best_share > 0.9 else None


def _looks_like_text(text: str) -> bool:
    """Decoded text a person could read: mostly Chinese, ASCII and punctuation, no control junk."""
    sample = text[:20000]
    visible = [c for c in sample if not c.isspace()]
    if not visible:
        return False
    odd = sum(1 for c in visible if (ord(c) < 32) or 0x80 <= ord(c) < 0x2000 or 0xE000 <= ord(c) < 0xF900 or c == "\ufffd")
    return odd / len(visible) < 0.05


# A copy damaged on its way (one stray byte, a file cut off in the middle of a character) is still
# the document: a few bytes that do not decode are read as U+FFFD and reported by offset. The cap is
# 16 bytes, or 0.1% of the file when that is more: 16 covers a few stray bytes and a character cut in
# half even in a short document, and in a long one at most one byte in a thousand is lost, too few
# to change what the matching finds. More damage than that is a broken file: read, its quotes would
# hold gaps the document does not have.
MAX_BAD_BYTES = 16
MAX_BAD_SHARE = 0.001
# Bytes of another encoding read as UTF-8 fail more often than they decode (seed 001 in GB18030:
# 9,425 bad bytes for 2,404 characters; in Big5 6,608 for 576); a damaged UTF-8 file has a few bad
# bytes among thousands of characters (a stray byte inside a character spoils up to four). One bad
# byte per twenty non-ASCII characters tells the two apart.
MAX_BAD_SHARE_OF_NON_ASCII = 0.05
SHOWN_OFFSETS = 10


def _bad_byte_cap(data: bytes) -> int:
    return max(MAX_BAD_BYTES, int(len(data) * MAX_BAD_SHARE))


def _decode_leniently(data: bytes, encoding: str, cap: int, start: int = 0) -> tuple[str, list[int]]:
    """``data[start:]`` decoded with each run of undecodable bytes read as one U+FFFD.

    Returns the text and the offsets of the bad bytes; it stops once more than ``cap`` bytes are bad
    (the offsets then hold ``cap + 1`` of them). Decoding resumes after each bad run on a view of the
    bytes, so a file is read once however many errors it holds.
    """
    view = memoryview(data)
    parts: list[str] = []
    bad: list[int] = []
    pos = start
    while pos < len(data):
        try:
            parts.append(str(view[pos:], encoding))
            break
        except UnicodeDecodeError as exc:
            parts.append(str(view[pos:pos + exc.start], encoding))
            bad.extend(range(pos + exc.start, pos + max(exc.end, exc.start + 1)))
            parts.append("\ufffd")
            pos += max(exc.end, exc.start + 1)
            if len(bad) > cap:
                break
    return "".join(parts), bad


def _bad_bytes_note(bad: list[int], encoding: str) -> Note:
    return Note(code="bad_bytes" if len(bad) > 1 else "bad_byte", args={"count": len(bad), "encoding": encoding.upper(),
                                        "offsets": ", ".join(str(offset) for offset in bad[:SHOWN_OFFSETS]),
                                        "more": max(len(bad) - SHOWN_OFFSETS, 0)})


def _damaged_utf8(data: bytes, name: str) -> tuple[str, list[int]] | None:
    """UTF-8 with a few bad bytes: (text, bad offsets); None when the bytes are not UTF-8 at all."""
    # One pass in C first: each undecodable byte becomes one lone surrogate, so counting them
    # weighs the damage over the whole file before any byte is located.
    escaped = data.decode("utf-8", "surrogateescape")
    bad = len(_ESCAPED_BYTE.findall(escaped))
    non_ascii = len(escaped) - len(escaped.encode("ascii", "ignore")) - bad
    if bad > MAX_BAD_SHARE_OF_NON_ASCII * non_ascii:
        return None  # another encoding, or no text at all
    cap = _bad_byte_cap(data)
    if bad > cap:
        raise DocumentError(name, "broken_copy", bad=bad, cap=cap)
    return _decode_leniently(data, "utf-8", cap)


def _decode(data: bytes, name: str) -> tuple[str, str, list[Note]]:
    """(text, encoding name, notes on what reading it took) or raise DocumentError."""
    if not data.strip():
        raise DocumentError(name, "empty")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decode_marked(data, name, bom, encoding)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None and _looks_like_text(utf16):
        return utf16, "utf-16", []
    if b"\x00" in data[:4096]:
        raise DocumentError(name, "binary")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data, name)
    if damaged is not None and _looks_like_text(damaged[0]):
        return damaged[0], "utf-8", [_bad_bytes_note(damaged[1], "utf-8")]
    # Not UTF-8: GB18030 (a superset of GBK and GB2312) or Big5. GB18030 decodes almost any bytes,
    # Big5 ones into the wrong characters, so let charset-normalizer weigh the two first.
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    candidates = list(dict.fromkeys(([best.encoding] if best is not None else []) + ["gb18030", "big5"]))
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_like_text(text):
            return text, encoding, []
    # The same, damaged: a few bytes of a GB18030 or Big5 file that do not decode.
    cap = _bad_byte_cap(data)
    for encoding in candidates:
        try:
            text, bad = _decode_leniently(data, encoding, cap)
        except LookupError:
            continue
        if len(bad) <= cap and _looks_like_text(text):
            return text, encoding, [_bad_bytes_note(bad, encoding)]
    raise DocumentError(name, "nonsense")


def _decode_marked(data: bytes, name: str, bom: bytes, encoding: str) -> tuple[str, str, list[str]]:
    """A file starting with a byte-order mark: that encoding, a few damaged bytes allowed."""
    try:
        return data.decode(encoding), encoding, []
    except UnicodeDecodeError as exc:
        reason = exc.reason
    codec = "utf-8" if encoding == "utf-8-sig" else ("utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be")
    cap = _bad_byte_cap(data)
    text, bad = _decode_leniently(data, codec, cap, start=len(bom))
    if len(bad) > cap:
        raise DocumentError(name, "bom_undecodable", encoding=encoding, reason=reason)
    return text, encoding, [_bad_bytes_note(bad, codec)]


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise DocumentError."""
    text, encoding, _ = _decode(data, name)
    return text, encoding


def read_file(path: Path, name: str) -> SourceText:
    notes: list[Note] = []
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(name, "too_large", mb=round(size / 1024 / 1024), limit_mb=MAX_BYTES // 1024 // 1024)
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(name, "unreadable", reason=_reason(exc)) from None
    if not data.strip():
        raise DocumentError(name, "empty")
    kind = sniff(data, path.suffix.lower())
    try:
        text, encoding = _convert(data, kind, name, notes)
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile file can make a parser raise anything at all
        raise DocumentError(name, "parser_failed", kind=kind.upper(), error=_one_line(exc)) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(name, "no_text")
    if not _CJK.search(text):
        raise DocumentError(name, "no_chinese")
    return SourceText(name=name, text=text, encoding=encoding, sha1=hashlib.sha1(data).hexdigest(), notes=notes)


def _convert(data: bytes, kind: str, name: str, notes: list[Note]) -> tuple[str, str]:
    """The file's text and how it was read; notes on what that took are added to ``notes``."""
    if kind == "pdf":
        return pdf_text(data, name), "pdf"
    if kind == "docx":
        return docx_text(data, name), "docx"
    text, encoding, decoding_notes = _decode(data, name)
    notes.extend(decoding_notes)
    if kind == "html":
        return html_text(text, name, notes), f"html/{encoding}"
    return text, encoding


MAX_ERROR_CHARS = 160


def _one_line(exc: Exception) -> str:
    """An exception as one short line: its text may quote the file, so line breaks are escaped."""
    detail = " ".join(_printable(str(exc)).split())
    if len(detail) > MAX_ERROR_CHARS:
        detail = detail[:MAX_ERROR_CHARS] + "…"
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _written_by_followup(path: Path) -> bool:
    if path.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        with path.open("rb") as handle:
            return GENERATOR_MARK in handle.read(4096)
    except OSError:
        return False


def display_name(name: str) -> str:
    """How a path is named in reports and warnings; the file itself is read by its real name.

    Bytes that are not UTF-8 (kept by Python as lone surrogates, which the JSON and XLSX writers
    refuse) are shown as \\xNN; control characters, line and paragraph separators and the bidi
    controls that reorder a line are escaped (\\n, \\x1b, \\u202e), so no name can forge a line on
    a terminal or in a report.
    """
    return _printable(os.fsencode(name).decode("utf-8", "backslashreplace"))


def _printable(text: str) -> str:
    """``text`` with the characters that break or reorder a line escaped."""
    return "".join(_escaped(c) if _forges_lines(c) else c for c in text)


_BIDI_CONTROLS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}  # Unicode's bidi classes


def _forges_lines(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or unicodedata.bidirectional(char) in _BIDI_CONTROLS


def _escaped(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")


def read_corpus(folder: Path, exclude: list[Path] | None = None) -> tuple[list[SourceText], list[Warning], list[str]]:
    """Read every document under ``folder``, in a stable (sorted) order.

    Returns the documents, the warnings, and what was skipped because followup wrote it: the
    ``exclude`` folders (the report folder, when it lies inside the corpus), report folders (they
    hold a manifest) and pages carrying the report's generator mark.
    """
    if not folder.is_dir():
        raise UsageError(f"{display_name(str(folder))}: corpus folder does not exist")
    excluded = {p.resolve() for p in (exclude or [])}
    sources: list[SourceText] = []
    warnings: list[Warning] = []
    skipped: list[str] = []
    for path in _walk(folder, excluded, skipped, warnings):
        name = display_name(path.relative_to(folder).as_posix())
        if path.suffix.lower() not in READABLE_SUFFIXES:
            suffix = display_name(path.suffix) or "files without a suffix"
            warnings.append(Warning(document=name, code="not_a_format", args={"suffix": suffix}))
            continue
        if _written_by_followup(path):
            skipped.append(name)
            continue
        try:
            sources.append(read_file(path, name))
        except DocumentError as exc:
            warnings.append(Warning(document=exc.document, code=exc.code, args=exc.arguments))
    if not sources:
        warnings.append(Warning(document="", code="no_documents", args={"folder": display_name(str(folder))}))
    return sources, warnings, sorted(skipped)


def _walk(folder: Path, excluded: set[Path], skipped: list[str], warnings: list[Warning]) -> list[Path]:
    """Files under ``folder`` in sorted order, hidden ones and folders the tool wrote left out.

    A loop over stacks, never recursion, and each entry's real path is its folder's plus its name
    (only a link is resolved), so depth costs nothing; what cannot be listed or looked at (a folder
    nested past the system's path length, a file removed meanwhile) is a warning. Links are followed
    only while they stay inside the corpus folder, after every folder reached without one, and a
    folder is walked once however many links lead to it: its files keep their own names, and a link
    back to a parent does not walk forever.
    """
    root = folder.resolve()
    walked = {root}
    stack: list[tuple[Path, Path]] = [(folder, root)]  # folders to walk and their real paths
    links: list[tuple[Path, Path]] = []  # the same for linked folders, in the order met
    found: list[Path] = []

    def warn(path: Path, code: str, folder_mark: str = "", **args) -> None:
        warnings.append(Warning(document=display_name(path.relative_to(folder).as_posix()) + folder_mark, code=code, args=args))

    while stack or links:
        if stack:
            current, current_real = stack.pop()
        else:
            current, current_real = links.pop(0)
            if current_real in walked:
                warn(current, "link_read_twice", "/")
                continue
            walked.add(current_real)
        try:
            entries = sorted(current.iterdir())
        except OSError as exc:
            warn(current, "folder_unreadable", "/", reason=_reason(exc))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                linked = entry.is_symlink()
                real = _link_target(entry, root) if linked else current_real / entry.name
                if real is None:
                    warn(entry, "link_outside")
                elif entry.is_dir():
                    if real in excluded or (entry / REPORT_MANIFEST).is_file():
                        skipped.append(display_name(entry.relative_to(folder).as_posix()) + "/")
                    elif linked:
                        links.append((entry, real))
                    else:
                        walked.add(real)
                        stack.append((entry, real))
                elif entry.is_file():
                    found.append(entry)
                else:
                    warn(entry, "not_a_file")
            except OSError as exc:
                warn(entry, "cannot_look", reason=_reason(exc))
            except _LinkError as exc:
                warn(entry, exc.code, **exc.arguments)
    return sorted(found)


class _LinkError(Exception):
    """A link that cannot be followed: its code and arguments are the warning."""

    def __init__(self, code: str, **args):
        super().__init__(code)
        self.code, self.arguments = code, args


def _link_target(link: Path, root: Path) -> Path | None:
    """The real path ``link`` leads to when it lies inside ``root`` (the resolved corpus folder), else None."""
    try:
        real = link.resolve(strict=True)
    except FileNotFoundError:
        raise _LinkError("link_broken") from None
    except RuntimeError:  # Python 3.11 reports a loop of links so
        raise _LinkError("link_loop") from None
    except OSError as exc:
        raise _LinkError("link_unfollowable", reason=_reason(exc)) from None
    return real if real.is_relative_to(root) else None


def _reason(exc: OSError) -> str:
    """What went wrong, without the path (the warning names it, escaped)."""
    return exc.strerror or type(exc).__name__
