"""The tool's version and the version of the shape of audit.json (bumped when a reader must know)."""

__version__ = "0.1.0"
FORMAT_VERSION = "1.0"
