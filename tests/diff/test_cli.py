"""``python -m codegen diff``: arguments, formats, exit codes, git revisions, the git
diff driver, fingerprints, and docs/diff.md kept true (rule table, JSON schema)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from codegen.cli import main
from codegen.diff.compare import diff_specs
from codegen.diff.rules import RULES
from tests.diff.support import CASES, REFACTORS

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "diff.md"
BREAKING = CASES / "request-parameter-became-required"
WARNING = CASES / "response-enum-value-added"  # a warning and infos, nothing breaking


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["diff", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _schema() -> dict[str, object]:
    block = re.search(r"```json\n(.*?)\n```", DOC.read_text(), re.S)
    assert block is not None
    return json.loads(block.group(1))  # type: ignore[no-any-return]


def test_text_report_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    old, new = str(BREAKING / "old"), str(BREAKING / "new")
    code, out, _ = _run(capsys, old, new)
    assert code == 0
    assert out.splitlines()[0] == "new: 1 breaking, 0 warnings, 1 info"
    assert (
        "GET /pets: query parameter `limit` became required [request-parameter-became-required] (openapi.yaml:"
        in out
    )
    assert _run(capsys, old, new, "--fail-on", "breaking")[0] == 1
    warn_old, warn_new = str(WARNING / "old"), str(WARNING / "new")
    assert _run(capsys, warn_old, warn_new, "--fail-on", "breaking")[0] == 0
    assert _run(capsys, warn_old, warn_new, "--fail-on", "warning")[0] == 1
    refactor = REFACTORS / "files-split"
    assert (
        _run(capsys, str(refactor / "old"), str(refactor / "new"), "--fail-on", "warning")[0] == 0
    )


def test_json_report_follows_the_documented_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(BREAKING / "old"), str(BREAKING / "new"), "--format", "json")
    assert code == 0
    report = json.loads(out)
    jsonschema.validate(report, _schema())
    assert report["summary"] == {"breaking": 1, "warning": 0, "info": 1, "approved": 0}
    first = report["changes"][0]
    assert first["rule"] == "request-parameter-became-required"
    assert (first["file"], first["pointer"]) == ("openapi.yaml", "/paths/~1pets/get/parameters/0")
    bad = dict(report, summary={"breaking": -1, "warning": 0, "info": 0})
    with pytest.raises(jsonschema.ValidationError):  # the schema does constrain
        jsonschema.validate(bad, _schema())


def test_approved_changes_are_marked_and_do_not_fail(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old, new = str(BREAKING / "old"), str(BREAKING / "new")
    report = json.loads(_run(capsys, old, new, "--format", "json")[1])
    breaking = next(c for c in report["changes"] if c["level"] == "breaking")
    approvals = tmp_path / "approved.txt"
    approvals.write_text(f"# reviewed\n{breaking['fingerprint']}  agreed\n0123456789abcdef\n")
    code, out, err = _run(capsys, old, new, "--approved", str(approvals), "--fail-on", "breaking")
    assert code == 0
    assert "became required [request-parameter-became-required] (openapi.yaml:16) (approved)" in out
    assert err == "note: approval 0123456789abcdef matches no change (gone, or changed since)\n"
    code, out, _ = _run(capsys, old, new, "--approved", str(approvals), "--format", "json")
    data = json.loads(out)
    jsonschema.validate(data, _schema())
    assert data["summary"]["approved"] == 1
    assert [c["approved"] for c in data["changes"]] == [c is breaking for c in report["changes"]]
    code, out, _ = _run(capsys, old, new, "--approved", str(approvals), "--format", "markdown")
    assert f"`{breaking['fingerprint']}`) — approved" in out
    approvals.write_text("not-a-fingerprint\n")
    code, _, err = _run(capsys, old, new, "--approved", str(approvals))
    assert code == 2 and "approved.txt:1: not a fingerprint" in err


def test_markdown_report_puts_the_summary_first_and_breaking_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = CASES / "class-removed"
    _, out, _ = _run(capsys, str(case / "old"), str(case / "new"), "--format", "markdown")
    lines = out.splitlines()
    assert lines[0].startswith("**API diff: new: ") and "breaking" in lines[0]
    assert out.index("### Breaking") < out.index("### Other changes")
    assert "#### new: `GET /pets`" in out


def test_bad_arguments_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = _run(capsys, str(tmp_path / "nope"), str(BREAKING / "new"))
    assert code == 2 and err.count("\n") == 1 and "no such file or folder" in err
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "openapi.yaml").write_text("openapi: 3.1.0\ninfo: [\n")
    code, _, err = _run(capsys, str(bad), str(BREAKING / "new"))
    assert code == 2 and err.startswith("error: ") and "openapi.yaml" in err
    code, _, err = _run(capsys)
    assert code == 2 and "needs OLD and NEW" in err


def test_fingerprints_ignore_lines_and_files(tmp_path: Path) -> None:
    case = CASES / "response-optional-property-removed"
    before = diff_specs(case / "old" / "openapi.yaml", case / "new" / "openapi.yaml", api="x")
    shifted = tmp_path / "openapi.yaml"
    shifted.write_text("# a comment\n\n\n" + (case / "new" / "openapi.yaml").read_text())
    after = diff_specs(case / "old" / "openapi.yaml", shifted, api="x")
    assert [c.fingerprint for c in before.changes] == [c.fingerprint for c in after.changes]
    assert [c.where.line for c in before.changes] != [c.where.line for c in after.changes]
    other = diff_specs(case / "old" / "openapi.yaml", case / "new" / "openapi.yaml", api="y")
    assert {c.fingerprint for c in other.changes}.isdisjoint(c.fingerprint for c in before.changes)


def _git(cwd: Path, *args: str) -> str:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@t",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@t",
        GIT_CONFIG_GLOBAL=os.devnull,
    )
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_revisions_with_multi_file_specs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``REV:path`` reads the whole spec folder at that revision (files split by $ref)."""
    repo = tmp_path / "repo"
    spec = repo / "specs" / "pets"
    shutil.copytree(REFACTORS / "files-split" / "new", spec)  # openapi.yaml + schemas.yaml
    _git(repo.parent, "init", "-q", str(repo))
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "v1")
    schemas = spec / "schemas.yaml"
    schemas.write_text(schemas.read_text().replace("    tag:\n      type: string\n", "", 1))
    monkeypatch.chdir(repo / "specs")
    code, out, err = _run(capsys, "HEAD:pets", "pets", "--fail-on", "breaking")
    assert (code, err) == (1, "")
    assert "optional response 200 body `tag` removed" in out
    assert "(schemas.yaml:" in out  # the line in the file that was edited
    code, out, _ = _run(capsys, "HEAD:pets/openapi.yaml", "HEAD:pets")
    assert (code, out.splitlines()[0]) == (0, "pets: no changes")
    monkeypatch.chdir(tmp_path)  # --all works from anywhere: paths are the specs folder's
    code, out, _ = _run(capsys, "--all", "HEAD", "--specs-dir", str(repo / "specs"))
    assert code == 0 and out.startswith("pets: 3 breaking") and "HEAD:pets -> pets" in out
    monkeypatch.chdir(repo / "specs")
    code, _, err = _run(capsys, "nosuchrev:pets", "pets")
    assert code == 2 and err.startswith("error: git")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_diff_driver_recipe(tmp_path: Path) -> None:
    """docs/diff.md's driver: ``git log -p --ext-diff`` shows each commit's API changes."""
    command = re.search(r"git config diff\.openapi\.command '(.*)'", DOC.read_text())
    assert command is not None
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    spec = repo / "petstore.yaml"
    spec.write_text(
        (CASES / "request-parameter-became-required" / "old" / "openapi.yaml").read_text()
    )
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "v1")
    spec.write_text(
        (CASES / "request-parameter-became-required" / "new" / "openapi.yaml").read_text()
    )
    _git(repo, "commit", "-qam", "limit is required")
    driver = command.group(1).replace("python -m", f"{sys.executable} -m")
    (repo / ".git" / "info" / "attributes").write_text("*.yaml diff=openapi\n")
    env_root = f"PYTHONPATH={ROOT}"
    out = _git(
        repo, "-c", f"diff.openapi.command=env {env_root} {driver}", "log", "-p", "--ext-diff", "-1"
    )
    assert "query parameter `limit` became required [request-parameter-became-required]" in out


def test_docs_rule_table_matches_the_catalogue() -> None:
    section = DOC.read_text().split("## The rules", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (breaking|warning|info) \| (\w+) \|", section, re.M)
    table = {rule: (level, direction) for rule, level, direction in rows if rule in RULES}
    assert table == {r.id: (r.level, r.direction) for r in RULES.values()}


def test_public_names() -> None:
    """Every module of the stage declares ``__all__``, sorted, naming what it defines."""
    import importlib

    modules = sorted(p.stem for p in (ROOT / "codegen" / "diff").glob("*.py"))
    assert len(modules) == 14
    for stem in modules:
        module = importlib.import_module(
            "codegen.diff" if stem == "__init__" else f"codegen.diff.{stem}"
        )
        names = module.__all__
        assert names == sorted(names), stem
        assert all(hasattr(module, name) for name in names), stem
