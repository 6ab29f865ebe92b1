"""What the ``test_hostile_*`` modules and the spec fuzzer share: spec builders, the CLI
run in-process (``main()``) or as a subprocess with a hang guard, and the checks every
reported error must pass (one line, located, printable)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.cli import main
from codegen.diagnostics import SpecError

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "specs-corpus"

HEADER = 'openapi: 3.0.3\ninfo:\n  title: T\n  version: "1"\n'
# A hang guard for subprocesses, not a speed limit: the tests state no timings.
HANG_GUARD = 120


def get_returning(ref: str, version: str = "3.0.3") -> str:
    """A spec head with one GET operation whose 200 body is ``$ref: ref``."""
    return (
        HEADER.replace("3.0.3", version)
        + "paths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n"
        + '        "200":\n          description: ok\n          content:\n'
        + f"            application/json:\n              schema:\n                $ref: '{ref}'\n"
    )


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def assert_one_line(err: SpecError, *, file: Path | None = None) -> str:
    """``str(err)`` is one printable line naming ``file``; returns it."""
    text = str(err)
    assert "\n" not in text and "\r" not in text, text
    assert text.isprintable(), text
    if file is not None:
        assert str(err.file) == str(file) or err.file.name == file.name, text
    return text


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``python -m codegen ARGS`` in this process: (exit status, stderr)."""
    status = main(args)
    return status, capsys.readouterr().err


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m codegen ARGS`` as a user runs it (for what could block the process)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )


def python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter in ``cwd`` (to import a generated package)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(cwd), str(ROOT)]))
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )


def single_error_line(stderr: str) -> str:
    """The stderr of a failed run: exactly one ``error: ...`` line, no traceback."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ") and "Traceback" not in stderr, stderr
    return lines[0]
