"""Spec file -> formatted package folder: the steps every CLI command shares.

Design notes
------------
* :func:`compile_spec` is pure up to the files it returns (load, validate, build the
  IR, render); :func:`write_package` puts them in a folder and formats them there with
  ruff, because ruff works on files.
* Generation into ``generated/`` is atomic: the package is rendered and formatted in a
  sibling temporary folder, then swapped in with two renames, so a failure never leaves
  a half-written package behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from codegen.diagnostics import Diagnostic
from codegen.ir.build import build_api, header_line
from codegen.load.loader import load_spec
from codegen.render.package import format_tree, render_package
from codegen.spec.validate import read_spec

__all__ = ["Compiled", "compile_spec", "generate_into", "repo_root", "spec_label", "write_package"]


@dataclass
class Compiled:
    package: str
    files: dict[str, str]
    warnings: list[Diagnostic]


def repo_root() -> Path:
    """The repository holding this ``codegen`` package (works from any cwd)."""
    return Path(__file__).resolve().parent.parent


def spec_label(path: Path) -> str:
    """How generated headers name the spec: repo-relative, else just the file name."""
    path = path.resolve()
    try:
        return path.relative_to(repo_root()).as_posix()
    except ValueError:
        return path.name


def compile_spec(
    path: Path, *, package: str, name: str | None = None, label: str | None = None
) -> Compiled:
    """Load, validate and render one spec (raises ``SpecError``).

    ``label`` names the spec in generated headers (default: :func:`spec_label`).
    """
    spec = load_spec(path)
    document, warnings = read_spec(spec)
    label = label or spec_label(path)
    built = build_api(
        spec,
        name=name or package.removesuffix("_client"),
        package=package,
        spec_label=label,
        document=document,
    )
    files = render_package(built.api, header_line(label, spec.sha256))
    return Compiled(package, files, [*warnings, *built.warnings])


def write_package(files: dict[str, str], folder: Path) -> None:
    """Write ``files`` below ``folder`` (which must not exist) and format them."""
    for rel, text in sorted(files.items()):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    format_tree(folder)


def generate_into(compiled: Compiled, out: Path) -> None:
    """Atomically replace ``out`` with the compiled package."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        staged = tmp / out.name
        write_package(compiled.files, staged)
        old = tmp / (out.name + ".old")
        if out.exists():
            os.replace(out, old)
        os.replace(staged, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
