"""Every word the pages, the exports and the terminal show: one catalogue per language
(``followup/report/lang/zh.py``, the default, and ``en.py``), and the wording of what the analysis says.

The analysis never words anything: it emits a code and its arguments (a ``Note``, a ``Warning``).
``say`` words one in a language: the template ``note.<code>`` with the arguments in braces; an argument
named ``kind``, ``period``, ``status`` or ``tool_status`` is itself worded (plan → 工作要点); a
placeholder ``{x_text}`` is the sub-template ``note.<code>.x`` when the argument ``x`` is set, else
nothing (so "（2 项无可比的实际数）" appears only when there are some).
"""

from __future__ import annotations

import string
from collections.abc import Iterable

from followup.models import AuditResult, DiffResult, Note, Warning
from followup.report.lang import en, zh

CATALOGUES = {"zh": zh.MESSAGES, "en": en.MESSAGES}
LANGUAGES = tuple(CATALOGUES)
DEFAULT_LANGUAGE = "zh"
_WORDED = ("kind", "period", "status", "tool_status")


def catalogue(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    return CATALOGUES[lang]


class _Args(dict):
    """The arguments of a template; a missing one is worded as nothing rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


def say(note: Note | Warning, lang: str = DEFAULT_LANGUAGE) -> str:
    """The words of one note or warning in ``lang``."""
    t = catalogue(lang)
    template = t.get(f"note.{note.code}")
    if template is None:
        return note.code + (f" {note.args}" if note.args else "")
    args = _Args({k: ("" if v is None else v) for k, v in note.args.items()})
    for key in _WORDED:
        if key in args:
            args[key] = t.get(f"{key.replace('tool_', '')}.{args[key]}", args[key])
    for _, field, _, _ in string.Formatter().parse(template):
        if field and field.endswith("_text"):
            name = field[: -len("_text")]
            sub = t.get(f"note.{note.code}.{name}", "")
            args[field] = sub.format_map(args) if args.get(name) else ""
    return template.format_map(args)


def say_all(notes: Iterable[Note], lang: str = DEFAULT_LANGUAGE) -> str:
    """Several notes as one sentence (a verdict's reasons)."""
    return catalogue(lang)["sep"].join(say(n, lang) for n in notes)


def worded(result: AuditResult | DiffResult, lang: str = "en") -> dict:
    """The result as JSON data with every note and warning worded beside its code (audit.json's
    ``text`` and ``message``: English, whatever the pages' language, so scripts read one wording)."""
    data = result.model_dump(mode="json")

    def walk(value):
        if isinstance(value, dict):
            if "code" in value and "args" in value:
                rendered = say((Warning if "message" in value else Note).model_validate(
                    {k: v for k, v in value.items() if k in ("document", "code", "args")} | ({"document": value.get("document", "")} if "message" in value else {})), lang)
                value["message" if "message" in value else "text"] = rendered
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    walk(data)
    return data
