"""The command line: once end to end in a new process as a user runs it, the rest in-process
through ``main(argv)`` (the entry point the console script calls)."""

import hashlib
import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from followup.cli import main

from conftest import ROOT, SEEDS


@pytest.fixture
def run(capsys, monkeypatch):
    """followup ARGS in folder ``cwd``: its exit code and what it printed."""
    def invoke(*args, cwd):
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)
    return invoke


def _tree_hash(folder):
    h = hashlib.sha1()
    for p in sorted(folder.rglob("*")):
        h.update(p.name.encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "seeds").mkdir()
    for p in SEEDS.iterdir():
        (tmp_path / "seeds" / p.name).write_bytes(p.read_bytes())
    return tmp_path


def test_audit_end_to_end_in_a_new_process(workdir):
    before = _tree_hash(workdir / "seeds")
    proc = subprocess.run([sys.executable, "-m", "followup", "audit", "2024", "2025"], cwd=workdir, capture_output=True,
                          text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 0, proc.stderr
    assert "青浦区科委" in proc.stdout and "青浦区经委" in proc.stdout
    assert "reports/2024-2025/index.html" in proc.stdout
    assert "Traceback" not in proc.stderr
    data = json.loads((workdir / "reports/2024-2025/audit.json").read_text(encoding="utf-8"))
    kewei = next(a for a in data["audits"] if a["body"] == "青浦区科委")
    assert len(kewei["commitments"]) == 33
    assert _tree_hash(workdir / "seeds") == before  # the corpus is read-only to the tool
    assert sorted(p.name for p in workdir.iterdir()) == ["reports", "seeds"]  # nothing written outside --out


def test_docs_lists_the_corpus(workdir, run):
    result = run("docs", "--seeds", "seeds", cwd=workdir)
    assert result.returncode == 0
    line = next(l for l in result.stdout.splitlines() if l.startswith("001_"))
    assert "青浦区科委" in line and "青科委〔2025〕1号" in line and "2024 工作总结; 2025 工作要点" in line


@pytest.mark.parametrize(
    "args, code, text",
    [
        (["audit", "2024"], 2, "give PLAN_YEAR and SUMMARY_YEAR"),
        (["audit", "--all", "2024", "2025"], 2, "either --all or PLAN_YEAR SUMMARY_YEAR"),
        (["audit", "twenty", "2025"], 2, "not a valid integer"),
        (["audit", "24", "2025"], 2, "is not a year"),
        (["audit", "2024", "2025", "--seeds", "nowhere"], 2, "nowhere: corpus folder does not exist"),
        (["audit", "2024", "2025", "--rules", "nowhere"], 2, "nowhere: rules folder does not exist"),
    ],
)
def test_bad_command_lines_exit_2_with_one_clear_line(workdir, run, args, code, text):
    proc = run(*args, cwd=workdir)
    assert proc.returncode == code
    assert text in proc.stderr and "Traceback" not in proc.stderr
    assert not (workdir / "reports").exists()


def test_invalid_rules_stop_the_run_before_anything_is_written(workdir, run):
    (workdir / "myrules").mkdir()
    (workdir / "myrules" / "a.yaml").write_text("aliases:\n  高企: []\n", encoding="utf-8")
    proc = run("audit", "2024", "2025", "--rules", "myrules", cwd=workdir)
    assert proc.returncode == 2
    assert "myrules/a.yaml:2: aliases.高企: an empty list" in proc.stderr
    assert not (workdir / "reports").exists()
    check = run("rules", "check", "myrules", cwd=workdir)
    assert check.returncode == 1 and "myrules/a.yaml:2" in check.stdout


def test_schema_is_json_schema_of_audit_json(run, tmp_path):
    result = run("schema", cwd=tmp_path)
    schema = json.loads(result.stdout)
    assert {"plan_year", "summary_year", "audits", "warnings", "format_version"} <= set(schema["properties"])


def test_help_shows_an_example(run, tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0 and "followup audit 2024 2025" in result.stdout


def test_default_rules_are_found_from_an_installed_package(run):
    proc = run("rules", "check", cwd=ROOT.parent)
    assert proc.returncode == 0 and proc.stdout.startswith("rules: ")


def test_strict_tells_a_script_that_warnings_were_raised(workdir, run):
    assert run("audit", "2024", "2025", cwd=workdir).returncode == 0
    strict = run("audit", "2024", "2025", "--strict", cwd=workdir)
    assert strict.returncode == 1 and "文件不完整" in strict.stderr
    assert (workdir / "reports/2024-2025/audit.json").exists()  # the report is still written
    clean = workdir / "clean"
    clean.mkdir()
    for name in ("000_5ea2c2abc77d6374.txt", "001_1ff71cb47a4eb644.txt"):
        (clean / name).write_bytes((workdir / "seeds" / name).read_bytes())
    assert run("audit", "2024", "2025", "--strict", "--seeds", "clean", cwd=workdir).returncode == 0


def test_audit_all_writes_every_pair_and_an_overview(workdir, run):
    proc = run("audit", "--all", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    reports = workdir / "reports"
    assert sorted(p.name for p in reports.iterdir()) == ["2023-2024", "2024-2025", "2025-2026", "all"]
    overview = (reports / "all" / "index.html").read_text(encoding="utf-8")
    for pair in ("2023-2024", "2024-2025", "2025-2026"):
        assert f'href="../{pair}/index.html"' in overview
    summary = json.loads((reports / "all" / "all.json").read_text(encoding="utf-8"))
    kewei = next(b for b in summary[1]["bodies"] if b["body"] == "青浦区科委")
    assert kewei["counts"]["silent"] + kewei["counts"]["partial"] + kewei["counts"]["met"] == 33
    assert "auditing" not in proc.stderr  # no progress bar when the output is not a terminal
