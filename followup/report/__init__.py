"""Writing the audit: audit.json and a self-contained index.html."""

from followup.report.writer import write_diff, write_report

__all__ = ["write_diff", "write_report"]
