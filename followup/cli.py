"""The command line: parse options, call the library (``followup.api``), print.

``main(argv)`` returns the exit code; it is the one place errors become messages and exit codes.
"""

from __future__ import annotations

import gc
import json
import os
import re
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from followup import api
from followup.errors import FollowupError, ReportError, RulesError, UsageError
from followup.models import STATUSES, AuditResult, Note, Warning
from followup.pipeline import audit_years
from followup.report import writer
from followup.report.messages import LANGUAGES, catalogue, say
from followup.report.writer import ALL_NAME, FORMATS, check_output, diff_name, parse_formats, report_name, write_all
from followup.rules import check_folder, default_rules_dir
from followup.sections import document_year
from followup.version import __version__

# Exit codes (the README's table): a script tells these apart.
EXIT_OK = 0          # done
EXIT_WARNINGS = 1    # done, but warnings were raised and --strict was given (or `rules check` found problems)
EXIT_USAGE = 2       # nothing done: bad command line, missing folder, invalid rules, a refused --out
EXIT_INTERNAL = 3    # a bug: reported in one line (FOLLOWUP_DEBUG=1 shows the traceback)
EXIT_PARTIAL = 4     # the report was written with problems: some files could not be made (listed), the rest were
EXIT_UNWRITTEN = 5   # nothing written: the report folder could not be written (disk full, read-only)


def _year(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and not 1949 <= value <= 2100:
        raise click.BadParameter(f"{value} is not a year (e.g. 2024)")
    return value


# -- options shared by the commands, declared once ---------------------------------------------
def seeds_option(command):
    return click.option("--seeds", "seeds", type=click.Path(path_type=Path), default=Path("seeds"), show_default=True,
                        help="Folder of documents (txt, md, pdf, docx, html), read recursively and never written.")(command)


def rules_option(command):
    return click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=None,
                        help="Your rules folder, applied on top of the rules followup ships.")(command)


def out_option(command):
    return click.option("--out", "out", type=click.Path(path_type=Path), default=Path("reports"), show_default=True,
                        help="Folder the report folders are written into.")(command)


def lang_option(command):
    return click.option("--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True,
                        help="Language of the pages and exports.")(command)


def strict_option(command):
    return click.option("--strict", is_flag=True,
                        help="Exit 1 when any warning was raised (the report is still written).")(command)


def _load(seeds: Path, rules_dir: Path | None, out: Path | None = None, targets: list[str] = ()):
    """Rules, then the corpus (the report folder is never read back as documents).

    The report folders ``targets`` are checked first: one the tool would refuse to replace stops the
    run before anything is read.
    """
    if rules_dir is not None and not rules_dir.is_dir():
        raise UsageError(f"{rules_dir}: rules folder does not exist")
    if out is not None:
        check_output(out, targets, _protected(seeds, rules_dir))
    rules = api.load_rules(rules_dir)
    corpus = api.load_corpus(seeds, rules, exclude=[out] if out is not None else ())
    # The documents live as long as the run: keep the cyclic collector from rescanning them, and let
    # it run less often (an audit makes many small objects and few cycles). Restored by ``main``.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    return corpus


def _protected(seeds: Path, rules_dir: Path | None) -> list[Path]:
    return [seeds] + ([rules_dir] if rules_dir is not None else [])


# Control characters (a newline in a file name would forge a line) and bidirectional overrides.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _say(text: str, err: bool = False) -> None:
    """One line to the terminal, with nothing in it that could move the cursor or forge a line."""
    click.echo(_UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                                text.replace("\n", "\\n").replace("\r", "\\r")), err=err)


def _warn(warnings, lang: str) -> None:
    for w in warnings:
        _say(f"{catalogue(lang)['term.warning']}: {w.document + ': ' if w.document else ''}{say(w, lang)}", err=True)


def _written(written, lang: str, paths: bool = True) -> int:
    """Print what a report write did; the exit code it calls for."""
    t = catalogue(lang)
    for name in sorted(written.files, key=lambda n: (not n.endswith(".html"), n != "index.html", n)):
        if paths and (name == "index.html" or not name.endswith(".html")):
            _say(f"{t['term.report'] if name.endswith('html') else t['term.data']}  {written.folder / name}")
    for note in written.notes:
        _say(f"{t['term.warning']}: {written.folder}: {say(note, lang)}", err=True)
    for problem in written.problems:
        _say(f"{t['term.error']}: {written.folder}: {say(problem, lang)}", err=True)
    return EXIT_PARTIAL if written.problems else EXIT_OK


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="followup")
def cli() -> None:
    """Check what each body promised in its work plan against what its next summary reports.

    \b
    Example:
      followup audit 2024 2025            # 2024 plans against the 2024 summaries in 2025 documents
      followup audit 2024 2025 --seeds docs/ --rules my-rules/ --out reports/
      followup diff 2024 2025             # what changed between the two years' documents
      followup docs                       # what the corpus holds
    """


@cli.command()
@click.argument("plan_year", type=int, required=False, callback=_year)
@click.argument("summary_year", type=int, required=False, callback=_year)
@click.option("--all", "every_year", is_flag=True, help="Every body and every consecutive pair of years the corpus holds.")
@seeds_option
@rules_option
@out_option
@click.option("--format", "formats", default=",".join(FORMATS), show_default=True,
              help="Which files to write, comma-separated: html (index.html and a page per body), json, csv, xlsx.")
@lang_option
@strict_option
def audit(plan_year: int | None, summary_year: int | None, every_year: bool, seeds: Path, rules_dir: Path | None, out: Path,
          formats: str, lang: str, strict: bool) -> int:
    """Audit PLAN_YEAR's work plans against the summaries in SUMMARY_YEAR's documents.

    \b
    Example:
      followup audit 2024 2025
    writes reports/2024-2025/index.html, a page per body, audit.json, audit.csv and audit.xlsx.
      followup audit --all
    audits every pair of consecutive years and writes reports/all/index.html across them.
    """
    chosen = parse_formats(formats)
    if every_year:
        if plan_year is not None or summary_year is not None:
            raise UsageError("give either --all or PLAN_YEAR SUMMARY_YEAR, not both")
        return _audit_all(seeds, rules_dir, out, chosen, lang, strict)
    if plan_year is None or summary_year is None:
        raise UsageError("give PLAN_YEAR and SUMMARY_YEAR (e.g. followup audit 2024 2025), or --all")
    if summary_year <= plan_year:
        raise UsageError(f"the summary year ({summary_year}) must come after the plan year ({plan_year}): "
                         f"a plan's results are reported in a later year's documents (e.g. followup audit {plan_year} {plan_year + 1})")
    corpus = _load(seeds, rules_dir, out, [report_name(plan_year, summary_year)])
    result = api.audit(corpus, plan_year, summary_year)
    _print_summary(result, lang)
    written = writer.write_report(result, out, lang=lang, formats=chosen, protect=_protected(seeds, rules_dir))
    code = _written(written, lang)
    return code or (EXIT_WARNINGS if strict and (result.warnings or written.notes) else EXIT_OK)


def _audit_all(seeds: Path, rules_dir: Path | None, out: Path, formats: tuple[str, ...], lang: str, strict: bool) -> int:
    corpus = _load(seeds, rules_dir, out, [ALL_NAME])
    years = audit_years(corpus)
    protect = _protected(seeds, rules_dir)
    check_output(out, [report_name(p, s) for p, s in years], protect)
    # A progress bar on a terminal only: a script reading the output gets none.
    show = sys.stderr.isatty()
    t = catalogue(lang)
    with click.progressbar(years, label=t["term.auditing"], file=sys.stderr, show_pos=True) if show else nullcontext(years) as bar:
        results = api.audit_all(corpus)
        overview, summary, pairs = write_all((r for r, _ in zip(results, bar)), out, lang=lang, formats=formats, protect=protect)
    header = [t["term.years"], t["term.bodies"]] + [t[f"status.{s}"] for s in STATUSES]
    _table(header, [[f"{s['plan_year']}→{s['summary_year']}", str(len(s["bodies"]))] +
                    [str(sum(b["counts"].get(st, 0) for b in s["bodies"])) for st in STATUSES] for s in summary])
    unique = {json.dumps([w["document"], w["code"], w["args"]], ensure_ascii=False, sort_keys=True): w
              for s in summary for w in s["warnings"]}
    warnings = [Warning.model_validate({k: w[k] for k in ("document", "code", "args")}) for _, w in sorted(unique.items())]
    _warn(warnings, lang)
    for w in pairs:
        _written(w, lang, paths=False)
    code = _written(overview, lang) or (EXIT_PARTIAL if any(w.problems for w in pairs) else EXIT_OK)
    return code or (EXIT_WARNINGS if strict and (warnings or any(w.notes for w in pairs)) else EXIT_OK)


def _print_summary(result: AuditResult, lang: str) -> None:
    t = catalogue(lang)
    header = [t["body"], t["plan"], t["summary"]] + [t[f"status.{s}"] for s in STATUSES]
    rows = [[a.body, a.plan_document, a.summary_document or "-"] + [str(a.counts.get(s, 0)) for s in STATUSES]
            for a in result.audits]
    _table(header, rows)
    _warn(result.warnings, lang)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(_width(r[i]) for r in [header] + rows) for i in range(len(header))]
    for r in [header] + rows:
        _say("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(r, widths)).rstrip())


@cli.command()
@click.argument("earlier_year", type=int, callback=_year)
@click.argument("later_year", type=int, callback=_year)
@seeds_option
@rules_option
@out_option
@lang_option
@strict_option
def diff(earlier_year: int, later_year: int, seeds: Path, rules_dir: Path | None, out: Path, lang: str, strict: bool) -> int:
    """Compare two years: plans of EARLIER_YEAR and LATER_YEAR, and the summaries before each.

    \b
    Example:
      followup diff 2024 2025
    writes reports/diff-2024-2025/index.html and diff.json: promises carried over, new, dropped
    and lowered; summary passages recycled; figures copied forward or contradicting their growth.
    """
    if later_year <= earlier_year:
        raise UsageError(f"the later year ({later_year}) must come after the earlier year ({earlier_year})")
    corpus = _load(seeds, rules_dir, out, [diff_name(earlier_year, later_year)])
    result = api.diff(corpus, earlier_year, later_year)
    t = catalogue(lang)
    header = [t["body"]] + [t[f"diff.short.{k}"] for k in ("carried", "new", "dropped", "lowered", "recycled", "drift")]
    _table(header, [[b.body] + [str(len(x)) for x in (b.carried_over, b.new, b.dropped, b.lowered, b.recycled, b.drift)]
                    for b in result.bodies])
    _warn(result.warnings, lang)
    code = _written(writer.write_diff(result, out, lang=lang, protect=_protected(seeds, rules_dir)), lang)
    return code or (EXIT_WARNINGS if strict and result.warnings else EXIT_OK)


@cli.command()
@seeds_option
@rules_option
@lang_option
def docs(seeds: Path, rules_dir: Path | None, lang: str) -> int:
    """List the documents of the corpus: body, number, date and the sections found.

    \b
    Example:
      followup docs --seeds docs/
    """
    corpus = _load(seeds, rules_dir)
    t = catalogue(lang)
    rows = []
    for info in corpus.infos:
        sections = "; ".join(say(Note(code="section", args={"year": s.year, "period": s.period, "kind": s.kind}), lang)
                             for s in info.sections) or "-"
        rows.append([info.name, info.encoding, info.body or "?", info.number or "-", info.date or "-",
                     str(document_year(info) or "?"), sections])
    _table([t["term.file"], t["term.read_as"], t["body"], t["term.number"], t["term.date"], t["term.year"], t["term.sections"]], rows)
    if corpus.skipped:
        _say(f"{t['term.skipped']}: {', '.join(corpus.skipped)}")
    _warn(corpus.warnings, lang)
    return EXIT_OK


@cli.command()
def schema() -> int:
    """Print the JSON schema of audit.json."""
    click.echo(json.dumps(AuditResult.model_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


@cli.group()
def rules() -> None:
    """Check rule folders."""


@rules.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@lang_option
def rules_check(path: Path | None, lang: str) -> int:
    """Validate a rules folder or one rules file (default: the rules followup ships); exit 1 on any
    problem, each named by file, line and key.

    \b
    Example:
      followup rules check my-rules/
      followup rules check my-rules/aliases.yaml
    """
    target = path if path is not None else default_rules_dir()
    _, problems = check_folder(target, str(path) if path is not None else "rules")
    for p in problems:
        _say(p)
    if problems:
        return EXIT_WARNINGS
    _say(f"{path or 'rules'}: {catalogue(lang)['term.ok']}")
    return EXIT_OK


def _safe_streams() -> None:
    """A console whose encoding cannot show a character (Big5 has no 经) shows an escape instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code. Every error the tool knows of becomes a message
    and an exit code here (``FOLLOWUP_DEBUG=1`` lets an internal error through with its traceback)."""
    thresholds = gc.get_threshold()
    _safe_streams()
    try:
        code = cli.main(args=argv, prog_name="followup", standalone_mode=False)
        return code if isinstance(code, int) else EXIT_OK
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except RulesError as exc:
        for problem in exc.problems:
            _say(f"error: {problem}", err=True)
        _say("error: invalid rules; nothing was written", err=True)
        return exc.exit_code
    except ReportError as exc:
        _say(f"error: {exc}", err=True)
        return EXIT_UNWRITTEN
    except FollowupError as exc:
        _say(f"error: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        if os.environ.get("FOLLOWUP_DEBUG") == "1":
            raise
        _say(f"internal error: {type(exc).__name__}: {exc} (please report it; FOLLOWUP_DEBUG=1 shows where)", err=True)
        return EXIT_INTERNAL
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
