"""The project's own promises about itself: CI runs the README's test command, and the
README's Quickstart names nox sessions that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quickstart() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]


def test_quickstart_is_two_one_line_commands() -> None:
    lines = quickstart()
    assert len(lines) == 2
    assert lines[0].endswith("-s demo") and lines[1].endswith("-s tests")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert quickstart()[1] in [line.strip() for line in ci]


def test_quickstart_sessions_exist_in_the_noxfile() -> None:
    noxfile = (ROOT / "noxfile.py").read_text()
    sessions = set(re.findall(r"@nox\.session\s*\ndef (\w+)\(", noxfile))
    assert {"tests", "lint", "typecheck", "generate", "check", "bench", "demo"} <= sessions
    for line in quickstart():
        assert line.rsplit("-s ", 1)[1] in sessions
