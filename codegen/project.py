"""A compiled spec -> a project folder: ``pyproject.toml``, ``README.md`` and the package.

``python -m codegen generate --spec PATH --out DIR --package NAME`` writes ``DIR/NAME/``
(the package), ``DIR/pyproject.toml`` and ``DIR/README.md`` (:mod:`codegen.render.project`),
so ``pip install DIR`` installs it.

Design notes
------------
* Regenerating is safe: ``DIR/NAME`` is replaced with two renames (the new package is
  written, formatted and checked in a hidden staging folder inside ``DIR`` first, as
  :func:`codegen.pipeline.generate_into` does), ``pyproject.toml`` and ``README.md`` are
  each replaced by a rename; any other file in ``DIR`` (tests, CI files, a ``.git``) is
  left alone.
* Nothing the compiler did not write is overwritten: :func:`check_target` refuses, before
  the spec is compiled, a ``DIR/NAME`` that is not a generated package and a
  ``pyproject.toml`` or ``README.md`` whose first line is not the compiler's header; it
  also refuses a ``DIR`` that is itself a generated package (``--out`` used to name the
  package folder), so an old layout is not silently nested.
* The package is written, formatted and compiled as everywhere (``write_package``), then
  its imports re-sorted with the configuration the project ships (the runtime
  third-party; a sort only moves import lines, so it is not compiled a second time).
* A failure before the swap leaves ``DIR`` as it was (a ``DIR`` this run created is
  removed again): nothing half-written.
"""

from __future__ import annotations

import keyword
import os
import shutil
import tempfile
from pathlib import Path

from codegen.diagnostics import CompilerBug
from codegen.ir.build import header_line
from codegen.pipeline import Compiled, write_package
from codegen.render.project import GENERATED_MARK, render_project, sort_project_imports

__all__ = ["ProjectError", "check_target", "write_project"]

PROJECT_FILES = ("pyproject.toml", "README.md")


class ProjectError(Exception):
    """The output folder cannot take the project (one line, names the path)."""


def _first_line(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return file.readline(400)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be read ({exc.strerror})") from None


def _generated(path: Path) -> bool:
    return GENERATED_MARK in _first_line(path)


def check_target(out: Path, package: str) -> None:
    """Raise :class:`ProjectError` unless ``out`` can take the project of ``package``."""
    if not package.isidentifier() or keyword.iskeyword(package):
        raise ProjectError(f"--package {package!r} is not a Python package name")
    if out.exists() and not out.is_dir():
        raise ProjectError(f"{out}: not a folder")
    if (out / "__init__.py").is_file() and _generated(out / "__init__.py"):
        raise ProjectError(
            f"{out} holds a generated package: --out names the project folder "
            f"(the package is written to {out / package}); pass another folder"
        )
    target = out / package
    if target.exists() or target.is_symlink():
        init = target / "__init__.py"
        if target.is_symlink() or not target.is_dir() or not init.is_file():
            raise ProjectError(f"{target} exists and is not a generated package: not replaced")
        if not _generated(init):
            raise ProjectError(
                f"{target} exists and was not written by codegen (first line of "
                "__init__.py): not replaced"
            )
    for name in PROJECT_FILES:
        path = out / name
        if (path.exists() or path.is_symlink()) and (path.is_symlink() or not _generated(path)):
            raise ProjectError(f"{path} exists and was not written by codegen: not replaced")


def write_project(compiled: Compiled, out: Path) -> None:
    """Write the project of ``compiled`` into ``out`` (see the module's notes)."""
    api = compiled.api
    if api is None:
        raise CompilerBug(compiled.package, None, "compiled without its IR (compiler bug)")
    check_target(out, compiled.package)
    out = out.resolve()
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    project = render_project(api, header_line(api.spec_label, api.spec_sha256))
    tmp = Path(tempfile.mkdtemp(prefix=f".{compiled.package}.new-", dir=out))
    try:
        _swap_in(compiled, project, tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if created:
            shutil.rmtree(out, ignore_errors=True)  # a failed first run leaves no folder
        raise
    shutil.rmtree(tmp, ignore_errors=True)


def _swap_in(compiled: Compiled, project: dict[str, str], tmp: Path, out: Path) -> None:
    """Stage the project in ``tmp`` (inside ``out``), check it, then move it into place."""
    staged = tmp / "project"
    staged.mkdir()
    for name, text in project.items():
        (staged / name).write_text(text, encoding="utf-8", newline="\n")
    write_package(compiled.files, staged / compiled.package)
    sort_project_imports(staged)  # moves import lines only (ruff refuses a fix that breaks)
    target = out / compiled.package
    if target.exists():
        os.replace(target, tmp / "old")
    os.replace(staged / compiled.package, target)
    for name in PROJECT_FILES:
        os.replace(staged / name, out / name)
