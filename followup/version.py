"""What identifies followup and what it writes: its version, the version of audit.json's shape, and
the marks on its reports (a report folder's manifest, a page's generator tag) by which it never
reads them back as documents and never replaces a folder it did not write."""

__version__ = "0.1.0"
FORMAT_VERSION = "2.1"
REPORT_MANIFEST = ".followup-report.json"
GENERATOR = f"followup {__version__}"
# What a page followup rendered carries in its head (_layout.html writes it from GENERATOR), by which
# the reader knows it for the tool's own.
GENERATOR_MARK = b'<meta name="generator" content="followup'

