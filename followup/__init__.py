"""followup: check a body's work plan against its next work summary."""

__version__ = "0.1.0"

# Bumped whenever the shape of audit.json changes in a way a reader must know about.
FORMAT_VERSION = "1.0"
