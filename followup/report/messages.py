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
import typing
from collections.abc import Iterable
from functools import lru_cache

from pydantic import BaseModel

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


@lru_cache(maxsize=1024)
def parse_template(template: str) -> tuple[tuple[str, str | None, str | None, str | None], ...]:
    """``string.Formatter().parse`` of a catalogue template, read once (the catalogue is finite)."""
    return tuple(string.Formatter().parse(template))


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
    for _, field, _, _ in parse_template(template):
        if field and field.endswith("_text"):
            name = field[: -len("_text")]
            sub = t.get(f"note.{note.code}.{name}", "")
            args[field] = sub.format_map(args) if args.get(name) else ""
    return template.format_map(args)


def say_all(notes: Iterable[Note], lang: str = DEFAULT_LANGUAGE) -> str:
    """Several notes as one sentence (a verdict's reasons)."""
    return catalogue(lang)["sep"].join(say(n, lang) for n in notes)


def word_all(result: AuditResult | DiffResult, lang: str = "en") -> None:
    """Fill the wording of every note and warning of ``result`` (``text``, ``message``) beside its
    code: audit.json's, in English whatever the pages' language, so a script reads one wording.

    In place, since a large audit's result is not copied to be written; the wording is a function
    of the code and arguments, so filling it twice changes nothing."""
    stack: list = [result]
    while stack:
        value = stack.pop()
        if isinstance(value, Warning):
            value.message = say(value, lang)
        elif isinstance(value, Note):
            value.text = say(value, lang)
        elif isinstance(value, BaseModel):
            stack.extend(getattr(value, name) for name in _noted_fields(type(value)))
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())


@lru_cache(maxsize=None)
def _noted_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model that can hold a note or warning at some depth, by their types: a large
    result is mostly text and figures, which need not be walked."""
    return tuple(name for name, f in model.model_fields.items() if _may_hold_note(f.annotation, frozenset({model})))


def _may_hold_note(annotation, seen: frozenset) -> bool:
    if annotation is typing.Any or isinstance(annotation, typing.TypeVar):
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if issubclass(annotation, (Note, Warning)):
            return True
        if annotation in seen:
            return False  # a model within itself: what it can hold is decided where it began
        return any(_may_hold_note(f.annotation, seen | {annotation}) for f in annotation.model_fields.values())
    return any(_may_hold_note(arg, seen) for arg in typing.get_args(annotation))
