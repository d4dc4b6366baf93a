"""audit.csv and audit.xlsx: one row per commitment, for auditors who work in Excel or WPS.

The CSV is UTF-8 with a byte-order mark, so Excel and WPS open the Chinese text right. The XLSX is
written by openpyxl and then re-packed with fixed entry times, so the same audit gives the same bytes.

Text from documents and rules is data, never a formula: a CSV cell starting with = + - @ or a tab or
carriage return gets a leading apostrophe (OWASP's advice for CSV injection), and every XLSX text cell
is stored as a string. XML cannot hold most control characters (a form feed from pdftotext, \x01):
the XLSX shows them as \x0c-style escapes and says so in a note; the other formats keep them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from followup.models import AuditResult
from followup.models import Note
from followup.report.messages import catalogue, say, say_all

COLUMNS = (
    "body", "id", "section", "commitment", "plan_document", "line", "status", "tool_status", "confidence",
    "flags", "evidence", "targets", "actuals", "completion", "carried_over", "rules", "reason",
)


def _quotes(items) -> str:
    return "\n".join(f"{e.text} ［{e.document}:{e.line}］" for e in items)


def rows(result: AuditResult, lang: str = "zh") -> list[list[str]]:
    t = catalogue(lang)
    out = []
    for audit in result.audits:
        for c in audit.commitments:
            out.append([
                audit.body, c.id, c.section, c.text, audit.plan_document, str(c.line), t[f"status.{c.status}"],
                t[f"status.{c.review.tool_status}"] if c.review else "", f"{c.confidence:.2f}" if c.confidence is not None else "",
                "、".join(t.get(f"flag.{f}", f) for f in c.flags), _quotes(c.evidence),
                "\n".join(f"{f.target.metric} {f.target.qualifier}{f.target.raw}" for f in c.figures),
                "\n".join((f.actual or f.baseline).raw + (f"（{(f.actual or f.baseline).period}）" if (f.actual or f.baseline).period else "")
                          if (f.actual or f.baseline) else "" for f in c.figures),
                "\n".join(f"{f.completion:.1%}" if f.completion is not None else "" for f in c.figures),
                _quotes(c.carried_over), "\n".join(c.rules), say_all(c.reasons, lang),
            ])
    return out


def header(lang: str = "zh") -> list[str]:
    t = catalogue(lang)
    return [t.get(f"col.{c}", c) for c in COLUMNS]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A cell Excel and WPS show as the text it is, never evaluate."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(result: AuditResult, lang: str = "zh") -> tuple[bytes, list[str]]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(lang))
    writer.writerows([csv_cell(v) for v in row] for row in rows(result, lang))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), []


def _xml_safe(value: str, found: list[str]) -> str:
    """Text XML can hold: control characters shown as \x0c-style escapes (each one noted)."""
    def escape(m: re.Match[str]) -> str:
        found.append(m.group())
        return f"\\x{ord(m.group()):02x}"
    return ILLEGAL_CHARACTERS_RE.sub(escape, value)


def to_xlsx(result: AuditResult, lang: str = "zh") -> tuple[bytes, list[str]]:
    t = catalogue(lang)
    book = Workbook()
    sheet = book.active
    sheet.title = t.get("sheet.commitments", "commitments")
    found: list[str] = []
    sheet.append(header(lang))
    for row in rows(result, lang):
        sheet.append([_xml_safe(v, found) if isinstance(v, str) else v for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"C": 30, "D": 60, "K": 60, "O": 40, "Q": 40}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would store "=…" as a live formula
    sheet.freeze_panes = "A2"
    warnings = book.create_sheet(t.get("sheet.warnings", "warnings"))
    warnings.append([t.get("col.document", "document"), t.get("col.message", "message")])
    for w in result.warnings:
        warnings.append([_xml_safe(w.document, found), _xml_safe(say(w, lang), found)])
    for row in warnings.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"
    stamp = datetime.fromisoformat(result.generated_at).replace(tzinfo=None)
    book.properties.created = stamp
    raw = io.BytesIO()
    book.save(raw)
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
