"""Project tasks: `nox -s tests`, `lint`, `typecheck`, `generate`, `check`, `bench`, `demo`.

Every session installs what it needs from the project's own `pyproject.toml`, so a fresh
machine with Python 3.10+ and pip needs nothing but `pip install nox`.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "check"]
nox.options.reuse_existing_virtualenvs = True

DEV = ["-e", ".[dev]"]
CODEGEN = ["-e", ".[codegen]"]
# The runtime and every generated package.
TYPED = ["clientcore", *sorted(str(p.parent) for p in Path("generated").glob("*/__init__.py"))]


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (runtime, compiler, generated clients, wire parity)."""
    session.install(*DEV)
    session.run("python", "-m", "pytest", "-q", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over everything hand-written and generated."""
    session.install("ruff==0.17.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the compiler, the runtime and every generated package."""
    session.install(*DEV)
    session.run("mypy", "--strict", "codegen")
    session.run("mypy", "--strict", *TYPED, env={"MYPYPATH": "generated"})


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate every client under generated/ from specs/."""
    session.install(*CODEGEN)
    session.run("python", "-m", "codegen", "generate", "--strict", *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """Fail when generated/ is stale against specs/ or the compiler."""
    session.install(*CODEGEN)
    session.run("python", "-m", "codegen", "check", "--strict")


@nox.session
def bench(session: nox.Session) -> None:
    """Per-call overhead, import time and paging memory, as ratios against baselines; then
    generation time against openapi-python-client and datamodel-codegen (which installs
    openapi-python-client, pinned, into its own environment under .nox/bench-peers)."""
    session.install(*DEV)
    session.run("python", "benchmarks/run.py", *session.posargs)
    session.run("python", "benchmarks/codegen_speed.py")


@nox.session
def diff(session: nox.Session) -> None:
    """Every API of the working tree against a git revision: `nox -s diff -- main`
    (more arguments go to `python -m codegen diff`, e.g. `--format markdown`)."""
    session.install(*CODEGEN)
    if not session.posargs:
        session.error("usage: nox -s diff -- REV [--format text|markdown|json] [--fail-on LEVEL]")
    rev, *rest = session.posargs
    session.run("python", "-m", "codegen", "diff", "--all", rev, *rest)


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: regenerate every client and show it working against a local server."""
    session.install(*DEV)
    session.run("python", "-m", "codegen", "generate")
    session.run("python", "demo.py")
