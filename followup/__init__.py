"""followup: check what a government body promised in its plan against what its next summary reports.

The library behind the ``followup`` command, usable from Python::

    import followup

    corpus = followup.load_corpus("seeds")                 # read and prepare the documents once
    result = followup.audit(corpus, 2024, 2025)            # an AuditResult (the shape of audit.json)
    followup.write_report(result, "reports")               # reports/2024-2025/index.html, audit.json …

    for r in followup.audit_all(corpus):                   # every consecutive pair of years
        ...
    changes = followup.diff(corpus, 2024, 2025)            # year over year (a DiffResult)

The rules are given once, to ``load_corpus`` (``followup.load_rules("my-rules")``); everything
derived from the documents is kept by the corpus.
"""

from followup.api import audit, audit_all, diff, load_corpus, load_rules, write_diff, write_report
from followup.errors import FollowupError, ReportError, RulesError, UsageError
from followup.version import FORMAT_VERSION, __version__

__all__ = [
    "FORMAT_VERSION", "FollowupError", "ReportError", "RulesError", "UsageError", "__version__", "audit", "audit_all",
    "diff", "load_corpus", "load_rules", "write_diff", "write_report",
]
