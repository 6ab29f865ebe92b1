"""Compile a test spec into a temporary folder and import the package from there.

    with compiled_package(SPEC, "notes_test_client", tmp_path) as pkg:
        client = pkg.NotesClient(...)

The package is written exactly as ``python -m codegen generate`` writes it (formatted),
put on ``sys.path`` for the block, and removed from ``sys.modules`` afterwards so the
next test compiles and imports afresh.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from codegen.pipeline import compile_spec, write_package

__all__ = ["compiled_package", "mypy_strict"]


@contextmanager
def compiled_package(spec: Path, package: str, folder: Path) -> Iterator[ModuleType]:
    compiled = compile_spec(spec, package=package)
    write_package(compiled.files, folder / package)
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


def mypy_strict(pkg: ModuleType) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` over a package ``compiled_package`` made, run in its folder with
    the repository on ``MYPYPATH`` (so ``clientcore`` resolves) and nothing else."""
    folder = Path(str(pkg.__file__)).parent.parent
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", pkg.__name__],
        cwd=folder,
        env={"MYPYPATH": f"{folder}:{root}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
