"""audit.csv and audit.xlsx: one row per commitment, for auditors who work in Excel or WPS.

Both hold the same columns (``COLUMNS``; the CSV has the body first, the XLSX a sheet per body):
numbers are numbers (line, confidence, the first target's value with its unit and, beside it, the
figure as written, the actual, the baseline, the completion), a pending target's latest actual goes
in the baseline column and never in the actual one, and a reviewer's decision has its own columns
(the tool's verdict, the reviewed verdict, reviewer, date, note) instead of standing in the reason.
Confidence and completion are fractions (0.85), shown as percentages in the XLSX; every header and
every word in a cell comes from the catalogue of the chosen language.

The CSV is UTF-8 with a byte-order mark, so Excel and WPS open the Chinese text right. The XLSX is
written by openpyxl — an overview sheet first (per body: the count and share of each verdict, carried
over, reviewed; the run below it), a sheet per body, the warnings — each with its header frozen, an
autofilter, widths fitted to the text and wrapping only in the long-text columns; then it is re-packed
with fixed entry times, so the same audit gives the same bytes. Dates (the run's time, in Beijing
time, and a reviewer's date) are dates.

Text from documents and rules is data, never a formula: a CSV cell starting with = + - @ or a tab or
carriage return gets a leading apostrophe (OWASP's advice for CSV injection), and every XLSX text cell
is stored as a string. XML cannot hold most control characters (a form feed from pdftotext, \x01):
the XLSX shows them as \x0c-style escapes and says so in a note; the other formats keep them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from followup.models import STATUSES, AuditResult, BodyAudit, CommitmentAudit, Figure, Note
from followup.report.messages import catalogue, say, say_all

# China has kept UTC+8 without daylight saving since 1991: a fixed offset needs no time-zone data.
BEIJING = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Column:
    """A column of a body sheet and of the CSV."""

    key: str  # its header is the catalogue's col.<key>
    kind: str = "text"  # text, long (wrapped), int, number, percent, date
    width: int = 24  # the most it is widened to (wrapped columns: their width)
    format: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("id", width=16),
    Column("section", "long", 24),
    Column("commitment", "long", 50),
    Column("line", "int", 8, "0"),
    Column("status", width=10),
    Column("confidence", "percent", 10, "0%"),
    Column("flags", width=24),
    Column("metric", "long", 20),
    Column("target_value", "number", 18),
    Column("unit", width=10),
    Column("target_text", width=18),
    Column("actual_value", "number", 18),
    Column("actual_text", width=18),
    Column("baseline_value", "number", 18),
    Column("baseline_text", width=18),
    Column("completion", "percent", 10, "0.0%"),
    Column("targets", "long", 40),
    Column("evidence", "long", 60),
    Column("carried_over", "long", 40),
    Column("reason", "long", 40),
    Column("tool_status", width=10),
    Column("reviewed_status", width=10),
    Column("reviewer", width=12),
    Column("review_date", "date", 12, "yyyy-mm-dd"),
    Column("review_note", "long", 30),
    Column("rules", "long", 36),
    Column("plan_document", width=30),
)
CSV_COLUMNS: tuple[Column, ...] = (Column("body", width=16),) + COLUMNS


def _text(value: str | None) -> str | None:
    """A text cell, or none: a cell never holds only blanks and line breaks."""
    return value if value and value.strip() else None


def _number(value: float | None) -> int | float | None:
    """A figure in base units as a number: whole numbers as int, float noise (14600.000000000002) rounded off."""
    if value is None:
        return None
    value = round(float(value), 6)
    return int(value) if value.is_integer() else value


def _quotes(items) -> str | None:
    return _text("\n".join(f"{e.text} ［{e.document}:{e.line}］" for e in items))


def _written(figure: Figure | None, lang: str) -> str | None:
    """A figure as the document writes it (its qualifier, and the period of a reported one)."""
    if figure is None:
        return None
    period = catalogue(lang)["xlsx.period"].format(period=figure.period) if figure.period else ""
    return _text(f"{figure.qualifier}{figure.raw}{period}")


def _day(text: str) -> datetime | str | None:
    try:
        return datetime.combine(date.fromisoformat(text), datetime.min.time())
    except (TypeError, ValueError):
        return _text(text)


def _figure_lines(c: CommitmentAudit, lang: str) -> str | None:
    """Every target of a commitment in words, one line each: the first is also in the number columns."""
    t = catalogue(lang)
    lines = []
    for f in c.figures:
        parts = [t["xlsx.figure_target"].format(metric=f.target.metric, target=_written(f.target, lang) or "")]
        if f.actual is not None:
            parts.append(t["xlsx.figure_actual"].format(actual=_written(f.actual, lang) or ""))
        if f.completion is not None:
            parts.append(t["xlsx.figure_completion"].format(completion=f"{f.completion:.1%}"))
        if f.note is not None:
            parts.append(say(f.note, lang))
        lines.append(t["sep"].join(parts))
    return _text("\n".join(lines))


def commitment_row(c: CommitmentAudit, audit: BodyAudit, lang: str = "zh") -> dict[str, object]:
    """The cells of one commitment by column key, as typed values (int, float, str, datetime or None)."""
    t = catalogue(lang)
    first = c.figures[0] if c.figures else None
    review = c.review
    reasons = [n for n in c.reasons if n.code != "reviewed"]  # the decision has its own columns
    return {
        "body": audit.body,
        "id": c.id,
        "section": _text(c.section),
        "commitment": _text(c.text),
        "line": c.line,
        "status": t[f"status.{c.status}"],
        "confidence": c.confidence,
        "flags": _text("、".join(t.get(f"flag.{f}", f) for f in c.flags)),
        "metric": _text(first.target.metric) if first else None,
        "target_value": _number(first.target.value) if first else None,
        "unit": _text(first.target.unit) if first and first.target.value is not None else None,
        "target_text": _written(first.target, lang) if first else None,
        # A pending target has no actual: the latest one known is its baseline, in a column of its own.
        "actual_value": _number(first.actual.value) if first and first.actual else None,
        "actual_text": _written(first.actual, lang) if first else None,
        "baseline_value": _number(first.baseline.value) if first and first.baseline else None,
        "baseline_text": _written(first.baseline, lang) if first else None,
        "completion": first.completion if first else None,
        "targets": _figure_lines(c, lang),
        "evidence": _quotes(c.evidence),
        "carried_over": _quotes(c.carried_over),
        "reason": _text(say_all(reasons, lang)),
        "tool_status": t[f"status.{review.tool_status if review else c.status}"],
        "reviewed_status": t[f"status.{review.status}"] if review else None,
        "reviewer": _text(review.reviewer) if review else None,
        "review_date": _day(review.date) if review else None,
        "review_note": _text(review.note) if review else None,
        "rules": _text("\n".join(c.rules)),
        "plan_document": _text(audit.plan_document),
    }


def header(lang: str = "zh", columns: tuple[Column, ...] = COLUMNS) -> list[str]:
    t = catalogue(lang)
    return [t[f"col.{c.key}"] for c in columns]


# -- CSV ---------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A cell Excel and WPS show as the text it is, never evaluate."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return csv_cell(value)


def to_csv(result: AuditResult, lang: str = "zh") -> tuple[bytes, list[Note]]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(lang, CSV_COLUMNS))
    for audit in result.audits:
        for c in audit.commitments:
            row = commitment_row(c, audit, lang)
            writer.writerow([_csv_value(row[col.key]) for col in CSV_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), []


# -- XLSX --------------------------------------------------------------------------------------------

def _xml_safe(value: str, found: list[str]) -> str:
    """Text XML can hold: control characters shown as \x0c-style escapes (each one noted)."""
    def escape(m: re.Match[str]) -> str:
        found.append(m.group())
        return f"\\x{ord(m.group()):02x}"
    return ILLEGAL_CHARACTERS_RE.sub(escape, value)


_SHEET_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")
_SHEET_LIMIT = 31  # Excel's limit, in UTF-16 code units
_RESERVED = {"history"}  # Excel keeps this name for itself


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _clip(text: str, limit: int) -> str:
    while _units(text) > limit:
        text = text[:-1]
    return text


def sheet_names(bodies: list[str], taken: list[str], lang: str = "zh") -> list[str]:
    """A sheet name per body: Excel's forbidden characters and control characters replaced, at most 31
    characters, never a leading or trailing apostrophe, and unique (as Excel compares: ignoring case)
    among themselves and the ``taken`` names."""
    t = catalogue(lang)
    used = {n.casefold() for n in taken} | _RESERVED
    names = []
    for n, body in enumerate(bodies, 1):
        name = ILLEGAL_CHARACTERS_RE.sub("_", _SHEET_FORBIDDEN.sub("_", body)).strip().strip("'").strip()
        name = _clip(name, _SHEET_LIMIT) or t["sheet.body"].format(n=n)
        candidate, k = name, 1
        while candidate.casefold() in used:
            k += 1
            suffix = f" ({k})"
            candidate = _clip(name, _SHEET_LIMIT - _units(suffix)).rstrip().rstrip("'") + suffix
        used.add(candidate.casefold())
        names.append(candidate)
    return names


def _display_width(text: str) -> int:
    """Columns a text takes on screen: Chinese characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown(value, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.time() != datetime.min.time() else "%Y-%m-%d")
    if column.kind == "percent" and isinstance(value, (int, float)):
        return f"{value:.1%}"
    if column.kind == "number" and isinstance(value, (int, float)):
        return f"{value:,}"
    return str(value)


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_LINK = Font(color="0563C1", underline="single")


class _Book:
    """A workbook being written: every text cell a string (never a formula) and XML-safe."""

    def __init__(self) -> None:
        self.book = Workbook()
        self.found: list[str] = []

    def put(self, sheet, row: int, col: int, value, column: Column | None = None):
        if isinstance(value, str):
            value = _xml_safe(value, self.found)
        cell = sheet.cell(row=row, column=col, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would store "=…" as a live formula
        if column is not None:
            if column.kind == "long":
                cell.alignment = _WRAP
            else:
                cell.alignment = _TOP
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if column.format:
                    cell.number_format = column.format
                elif column.kind == "number":
                    cell.number_format = "#,##0" if isinstance(value, int) else "#,##0.0#####"
            elif isinstance(value, datetime):
                cell.number_format = column.format or "yyyy-mm-dd hh:mm:ss"
        return cell

    def table(self, sheet, columns: tuple[Column, ...], headers: list[str], rows: list[list]) -> None:
        """A table from A1: a bold header row, frozen, an autofilter over it all, fitted widths."""
        for j, (column, text) in enumerate(zip(columns, headers), 1):
            cell = self.put(sheet, 1, j, text)
            cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
        for i, row in enumerate(rows, 2):
            for j, (column, value) in enumerate(zip(columns, row), 1):
                self.put(sheet, i, j, value, column)
        last = get_column_letter(len(columns))
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
        for j, (column, text) in enumerate(zip(columns, headers), 1):
            if column.kind == "long":
                width = column.width
            else:
                shown = [_shown(row[j - 1], column) for row in rows]
                longest = max([_display_width(line) for s in shown for line in s.split("\n")] + [0])
                # the header wraps, but never below its longest word's share of the column
                width = min(column.width, max(longest, min(_display_width(text), 12), 4))
            sheet.column_dimensions[get_column_letter(j)].width = width + 2


def _run_rows(result: AuditResult, t: dict[str, str]) -> list[tuple[str, object]]:
    generated = datetime.fromisoformat(result.generated_at)
    if generated.tzinfo is not None:
        generated = generated.astimezone(BEIJING)
    return [
        (t["xlsx.plan_year"], result.plan_year),
        (t["xlsx.summary_year"], result.summary_year),
        (t["xlsx.generated"], generated.replace(tzinfo=None)),
        (t["xlsx.corpus"], result.corpus),
        (t["xlsx.rules"], "\n".join(result.rules)),
        (t["xlsx.version"], result.tool_version),
    ]


def _overview(w: _Book, sheet, result: AuditResult, names: list[str], lang: str) -> None:
    t = catalogue(lang)
    columns = [Column("body", width=20), Column("plan_document", width=30), Column("summary_document", width=30),
               Column("commitment_count", "int", 10, "0")]
    headers = [t["col.body"], t["col.plan_document"], t["col.summary_document"], t["col.commitment_count"]]
    for s in STATUSES:
        columns += [Column(f"count_{s}", "int", 10, "0"), Column(f"share_{s}", "percent", 10, "0.0%")]
        headers += [t[f"status.{s}"], t["col.share"].format(status=t[f"status.{s}"])]
    columns += [Column("carried_count", "int", 10, "0"), Column("reviewed_count", "int", 10, "0")]
    headers += [t["col.carried_count"], t["col.reviewed_count"]]
    rows = []
    totals = [0] * (len(STATUSES) + 3)
    for audit in result.audits:
        n = len(audit.commitments)
        counts = [audit.counts.get(s, 0) for s in STATUSES]
        carried = sum("carried_over" in c.flags for c in audit.commitments)
        reviewed = sum(c.review is not None for c in audit.commitments)
        row = [audit.body, audit.plan_document, audit.summary_document, n]
        for k in counts:
            row += [k, k / n if n else None]
        rows.append(row + [carried, reviewed])
        totals = [a + b for a, b in zip(totals, [n, *counts, carried, reviewed])]
    w.table(sheet, tuple(columns), headers, rows)
    for i, name in enumerate(names, 2):  # each body's name leads to its sheet
        cell = sheet.cell(row=i, column=1)
        quoted = name.replace("'", "''")
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!A1", display=name)
        cell.font = _LINK
    # the total, then the run, below the table (outside its filter, so sorting leaves them in place)
    at = len(rows) + 2
    n = totals[0]
    total = [t["xlsx.total"], None, None, n]
    for k in totals[1:1 + len(STATUSES)]:
        total += [k, k / n if n else None]
    total += totals[1 + len(STATUSES):]
    for j, (column, value) in enumerate(zip(columns, total), 1):
        w.put(sheet, at, j, value, column).font = _HEADER_FONT
    label, value = Column("label"), Column("value")
    run = _run_rows(result, t)
    for i, (name, content) in enumerate(run, at + 2):
        w.put(sheet, i, 1, name, label).font = _HEADER_FONT
        w.put(sheet, i, 2, content, value).alignment = Alignment(vertical="top", wrap_text="\n" in str(content), horizontal="left")
    widest = max(_display_width(name) for name, _ in run) + 2
    sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width, min(widest, 30))


def to_xlsx(result: AuditResult, lang: str = "zh") -> tuple[bytes, list[Note]]:
    t = catalogue(lang)
    w = _Book()
    overview = w.book.active
    overview.title = t["sheet.overview"]
    names = sheet_names([a.body for a in result.audits], [t["sheet.overview"], t["sheet.warnings"]], lang)
    _overview(w, overview, result, names, lang)
    headers = header(lang)
    sheets = []
    for audit, name in zip(result.audits, names):
        sheet = w.book.create_sheet(name)
        rows = []
        for c in audit.commitments:
            cells = commitment_row(c, audit, lang)
            rows.append([cells[col.key] for col in COLUMNS])
        w.table(sheet, COLUMNS, headers, rows)
        sheets.append(sheet)
    warnings = w.book.create_sheet(t["sheet.warnings"])
    columns = (Column("document", width=40), Column("message", "long", 90))
    w.table(warnings, columns, [t["col.document"], t["col.message"]],
            [[_text(x.document), _text(say(x, lang))] for x in result.warnings])
    # The book opens on the first body's commitments (the overview is the first tab); one tab selected.
    first = sheets[0] if sheets else overview
    w.book.active = first
    for sheet in w.book.worksheets:
        sheet.sheet_view.tabSelected = sheet is first
    stamp = datetime.fromisoformat(result.generated_at)
    stamp = stamp.astimezone(timezone.utc).replace(tzinfo=None) if stamp.tzinfo else stamp
    w.book.properties.created = stamp
    raw = io.BytesIO()
    w.book.save(raw)
    found = w.found
    notes = [Note(code="xlsx_controls", args={"count": len(found), "chars": ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))})
             ] if found else []
    return _repack(raw.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ")), notes


def _repack(data: bytes, stamp: str) -> bytes:
    """The same archive with the run's time in it and fixed entry times.

    openpyxl writes the clock time into docProps/core.xml when it saves, and zip entries carry it too;
    both are set to the run's one timestamp, so the same audit gives the same bytes.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return out.getvalue()
