"""From results to files: pages rendered from view models, exports, all written atomically.

Templates and assets are package data (``followup/report/templates``), read with importlib.resources;
jinja2 escapes every piece of document text (autoescape) and fails on a missing value
(StrictUndefined). CSS and JS are inlined so each page works offline and can be mailed as one file.
Files go into a temporary folder beside the target, which is then moved into place: an interrupted
run never leaves a half-written report over a good one, and the staging folder is removed whatever
happens. Each format is made on its own: one that fails (a page, the XLSX) is reported and the
others are still written. The tool replaces only folders it wrote (they hold its manifest), and never
one that is, or holds, the corpus or the rules.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from followup.errors import ReportError, UsageError
from followup.models import AuditResult, DiffResult, Note
from followup.report.messages import say, word_all
from followup.report.views import all_view, audit_views, diff_view, pair_summary
from followup.version import GENERATOR, REPORT_MANIFEST, __version__

FORMATS = ("html", "json", "csv", "xlsx")


def _template_text(name: str) -> str:
    return resources.files("followup.report").joinpath("templates", name).read_text(encoding="utf-8")


class _Views(Environment):
    """jinja2 as the pages use it: the view models are dicts, so ``e.loc`` is looked up as a key first
    (jinja's own order, attribute first, raises and catches an error for each of a page's ~10⁴ lookups)."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The templates, compiled once per process (they are package data: they cannot change while it runs)."""
    env = _Views(
        loader=FunctionLoader(_template_text), autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    env.globals.update(css=_template_text("report.css"), js=_template_text("report.js"), review_js=_template_text("review.js"),
                       generator=GENERATOR)
    env.filters.update(pieces_html=pieces_html, quote_html=quote_html)
    return env


# How each kind of piece (views.py) is shown; the text is always escaped.
_PIECE_TAGS = {
    "doc": ('<span lang="zh">', "</span>"), "mark": ('<mark lang="zh">', "</mark>"),
    "file": ('<code class="file">', "</code>"), "code": ("<code>", "</code>"), "data": ('<span class="data">', "</span>"),
}


def pieces_html(pieces: Iterable[dict]) -> Markup:
    """Catalogue words and their arguments: document text marked lang="zh", file names and codes as code."""
    out = []
    for p in pieces:
        start, end = _PIECE_TAGS.get(p["kind"], ("", ""))
        out.append(f"{start}{_escaped(p['text'])}{end}")
    return Markup("".join(out))


def quote_html(pieces: Iterable[dict]) -> Markup:
    """A quote of a document (inside a blockquote lang="zh"), its shared words marked."""
    return Markup("".join(f"<mark>{_escaped(p['text'])}</mark>" if p["kind"] == "mark" else _escaped(p["text"])
                          for p in pieces))


def _escaped(text) -> str:
    """markupsafe's escape of a piece's text, as a plain string: a page escapes ~10⁵ pieces, and
    making a Markup of each to join them at once costs more than the escaping."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return str(text).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")


def parse_formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"--format {text!r}: choose among {', '.join(FORMATS)} (comma-separated)")
    return chosen


def render_pages(result: AuditResult, lang: str = "zh", links: dict | None = None) -> Iterator[tuple[str, str]]:
    """(file name, page) for index.html and one page per body, rendered one at a time.

    ``links``: the pages beside the report that its pages link to (see ``_neighbours``)."""
    env = _environment()
    overview, pages = audit_views(result, lang, links)
    yield "index.html", env.get_template("index.html").render(**overview)
    body = env.get_template("body.html")
    for page in pages:
        yield page["page"], body.render(**page)


def to_json(result: AuditResult | DiffResult) -> str:
    """audit.json / diff.json: the result, each note and warning worded in English beside its code."""
    return b"".join(json_pieces(result)).decode("utf-8")


def json_pieces(result: AuditResult | DiffResult) -> Iterator[bytes]:
    """The JSON of ``to_json`` as UTF-8 pieces, one body at a time, byte for byte the same.

    A thousand bodies make a JSON of a hundred megabytes; serialized whole it would be held twice
    (the serializer's buffer and its copy) beside the result. Each body is serialized on its own and
    indented to its place in the list (JSON strings hold no raw newline, so lines are safe to indent).
    """
    word_all(result)
    field = "audits" if isinstance(result, AuditResult) else "bodies"
    items = getattr(result, field)
    head = result.model_copy(update={field: []})
    text = head.__pydantic_serializer__.to_json(head, indent=2)
    empty = b'\n  "' + field.encode() + b'": []'
    if not items or text.count(empty) != 1:
        yield result.__pydantic_serializer__.to_json(result, indent=2) + b"\n"
        return
    before, after = text.split(empty)
    yield before + empty[:-1] + b"\n"
    for i, item in enumerate(items):
        piece = item.__pydantic_serializer__.to_json(item, indent=2)
        yield (b",\n" if i else b"") + b"\n".join(b"    " + line for line in piece.split(b"\n"))
    yield b"\n  ]" + after + b"\n"


def render_html(result: AuditResult, lang: str = "zh") -> str:
    """All pages of an audit in one string (for tests and previews)."""
    return "\n".join(page for _, page in render_pages(result, lang))


@dataclass
class Written:
    """What writing a report did."""

    folder: Path
    files: list[str] = field(default_factory=list)
    problems: list[Note] = field(default_factory=list, metadata={"doc": "a format that could not be written (the others were)"})
    notes: list[Note] = field(default_factory=list, metadata={"doc": "text a format could not hold, and how it was shown"})


# A format: its name and a function making its files as (file name, content, notes), one at a time;
# content is text, bytes, or pieces of bytes written one after another as they are made.
Format = tuple[str, Callable[[], Iterable[tuple[str, "str | bytes | Iterator[bytes]", list[str]]]]]


def _pages(pages: Iterable[tuple[str, str]]):
    for name, page in pages:
        yield name, page, []


def _export(name: str, make, result: AuditResult, lang: str):
    content, notes = make(result, lang)
    yield name, content, notes


def write_report(result: AuditResult, out_dir: Path, lang: str = "zh", formats: tuple[str, ...] = FORMATS,
                 protect: Iterable[Path] = (), with_all: bool = False) -> Written:
    """Write ``<out>/<plan>-<summary>/`` atomically: pages, audit.json, audit.csv, audit.xlsx.

    ``protect``: folders the report must never replace (the corpus, the rules). ``with_all``: the
    all-years overview is being written beside it (``--all``), so its pages link to it.
    """
    made: list[Format] = []
    if "html" in formats:
        links = _neighbours(out_dir, result.plan_year, result.summary_year, with_all=with_all)
        made.append(("html", lambda: _pages(render_pages(result, lang, links))))
    if "json" in formats:
        made.append(("json", lambda: [("audit.json", json_pieces(result), [])]))
    if "csv" in formats or "xlsx" in formats:
        # Imported only to write a table: openpyxl costs 25 MB and a quarter of a second to load.
        from followup.report.exports import to_csv, to_xlsx
    if "csv" in formats:
        made.append(("csv", lambda: _export("audit.csv", to_csv, result, lang)))
    if "xlsx" in formats:
        made.append(("xlsx", lambda: _export("audit.xlsx", to_xlsx, result, lang)))
    return _write_folder(out_dir, report_name(result.plan_year, result.summary_year), made, protect)


def report_name(plan_year: int, summary_year: int) -> str:
    return f"{plan_year}-{summary_year}"


def diff_name(earlier_year: int, later_year: int) -> str:
    return f"diff-{earlier_year}-{later_year}"


ALL_NAME = "all"


def _has_page(folder: Path) -> bool:
    """A report folder followup wrote, with its page (what a link beside a report may point to)."""
    return (folder / REPORT_MANIFEST).is_file() and (folder / "index.html").is_file()


def _neighbours(out_dir: Path, earlier: int, later: int, with_all: bool = False) -> dict:
    """The pages beside a report of these years that its pages link to, as paths relative to its folder:
    the diff page of the same years (``diff``), the audit of the same years (``audit``, for the diff page)
    and the all-years overview (``all``). A page links only to what sits beside it when it is written
    (or, for ``all``, is being written in the same run): never to a page that is not there."""
    return {
        "diff": f"../{diff_name(earlier, later)}/index.html" if _has_page(out_dir / diff_name(earlier, later)) else None,
        "audit": f"../{report_name(earlier, later)}/index.html" if _has_page(out_dir / report_name(earlier, later)) else None,
        "all": f"../{ALL_NAME}/index.html" if with_all or _has_page(out_dir / ALL_NAME) else None,
    }


def write_all(results, out_dir: Path, lang: str = "zh", formats: tuple[str, ...] = FORMATS,
              protect: Iterable[Path] = ()) -> tuple[Written, list[dict], list[Written]]:
    """Every pair's report as it comes (``results`` may be a generator), then ``<out>/all/`` across them.

    Only a summary of each pair is kept for the overview, never all the results at once.
    """
    protect = list(protect)
    summary, pairs = [], []
    for result in results:
        pairs.append(write_report(result, out_dir, lang=lang, formats=formats, protect=protect, with_all="html" in formats))
        summary.append(pair_summary(result))
        # Dropped before the next pair is made: a loop variable would keep two pairs alive at once.
        del result
    made: list[Format] = [("json", lambda: [("all.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n", [])])]
    if "html" in formats:
        diffs = [diff_name(s["plan_year"], s["summary_year"]) for s in summary
                 if _has_page(out_dir / diff_name(s["plan_year"], s["summary_year"]))]
        made.append(("html", lambda: [("index.html", _environment().get_template("all.html").render(**all_view(summary, lang, diffs)), [])]))
    return _write_folder(out_dir, ALL_NAME, made, protect), summary, pairs


def write_diff(result: DiffResult, out_dir: Path, lang: str = "zh", protect: Iterable[Path] = ()) -> Written:
    """Write ``<out>/diff-<earlier>-<later>/{diff.json,index.html}`` atomically."""
    made: list[Format] = [
        ("json", lambda: [("diff.json", json_pieces(result), [])]),
        ("html", lambda: [("index.html", _environment().get_template("diff.html").render(
            **diff_view(result, lang, _neighbours(out_dir, result.earlier_year, result.later_year))), [])]),
    ]
    return _write_folder(out_dir, diff_name(result.earlier_year, result.later_year), made, protect)


def check_output(out_dir: Path, names: Iterable[str], protect: Iterable[Path] = ()) -> None:
    """Refuse (UsageError) a report folder that would replace what followup did not write.

    A target that exists without the tool's manifest (a user's folder or file), or that is or holds
    a protected folder (the corpus, the rules), is refused before anything is read or written.
    """
    protected = [p.resolve() for p in protect]
    for name in names:
        target = out_dir / name
        resolved = target.resolve()
        for folder in protected:
            if folder == resolved or resolved in folder.parents:
                raise UsageError(f"{target}: the report would replace {folder}, which holds your documents or rules; "
                                 f"choose another --out")
        if target.is_symlink() or (target.exists() and not (target / REPORT_MANIFEST).is_file()):
            raise UsageError(f"{target}: exists and was not written by followup (it holds no {REPORT_MANIFEST}); "
                             f"move it away or choose another --out")


def _write_folder(out_dir: Path, name: str, formats: list[Format], protect: Iterable[Path]) -> Written:
    check_output(out_dir, [name], protect)
    target = out_dir / name
    written = Written(folder=target)
    staging: Path | None = None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=out_dir))
        staging.chmod(0o755)  # mkdtemp makes it private; a report is meant to be shared
        for kind, make in formats:
            files: list[str] = []
            try:
                for filename, content, notes in make():
                    path = staging / filename
                    if isinstance(content, bytes):
                        path.write_bytes(content)
                    elif not isinstance(content, str):
                        with path.open("wb") as file:
                            file.writelines(content)
                    else:
                        path.write_text(content, encoding="utf-8")
                    files.append(filename)
                    written.notes.extend(notes)
            except OSError:
                raise
            except Exception as exc:  # noqa: BLE001 - one format failing must not lose the others
                for filename in files:
                    (staging / filename).unlink(missing_ok=True)
                written.problems.append(Note(code="format_failed", args={"kind": kind, "error": f"{type(exc).__name__}: {exc}"}))
                continue
            written.files.extend(files)
        if not written.files:
            raise ReportError(f"{target}: nothing written; " + "; ".join(say(p, "en") for p in written.problems))
        # The folder's mark: followup never reads it back as a corpus, and replaces only folders so marked.
        manifest = {"generator": "followup", "version": __version__, "files": sorted(written.files)}
        (staging / REPORT_MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{name}-old-", dir=out_dir))
            os.replace(target, old / name)
        os.replace(staging, target)
        staging = None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise ReportError(f"{target}: cannot write the report ({exc.strerror or exc})") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return written
