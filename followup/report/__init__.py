"""Writing the audit: audit.json and a self-contained index.html."""

from followup.report.writer import write_all, write_diff, write_report

__all__ = ["write_all", "write_diff", "write_report"]
