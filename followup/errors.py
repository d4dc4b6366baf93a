"""The exceptions followup raises on purpose; the CLI turns each into a message and an exit code."""


class FollowupError(Exception):
    """Base of every error the tool reports to the user."""

    exit_code = 1


class UsageError(FollowupError):
    """A path or option the user gave cannot be used (missing corpus folder, bad year)."""

    exit_code = 2


class RulesError(FollowupError):
    """One or more rule files are invalid; ``problems`` holds one line per problem."""

    exit_code = 2

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class DocumentError(FollowupError):
    """A single document cannot be read; the run goes on without it. ``code`` and ``args`` say why
    (worded by the catalogues of followup/report/lang/)."""

    def __init__(self, document: str, code: str, **args):
        super().__init__(f"{document}: {code} {args}")
        self.document, self.code, self.arguments = document, code, args


class ReportError(FollowupError):
    """Nothing of the report could be written (a disk full, a read-only folder)."""

    exit_code = 5
