"""Spec file -> formatted package folder: the steps every CLI command shares.

Design notes
------------
* :func:`compile_spec` is pure up to the files it returns (load, validate, build the
  IR, render); :func:`write_package` puts them in a folder and formats them there with
  ruff, because ruff works on files.
* Generation into ``generated/`` is atomic: the package is rendered and formatted in a
  sibling temporary folder, then swapped in with two renames, so a failure never leaves
  a half-written package behind.
* Untrusted specs (docs/untrusted-specs.md): loading is bounded by
  :class:`codegen.load.guard.Limits` and may read outside the spec's folder only below
  ``allow_ref_outside``; the stages run under :func:`codegen.load.deep.run_deep`, so
  nesting the loader accepts never crashes the interpreter (a ``RecursionError`` left
  is a one-line SpecError). Every Python file is compiled (``compile()``) when rendered
  (:func:`compile_spec`) and again once formatted in its staging folder
  (:func:`write_package`), before the output folder is replaced: generated code that
  would not compile is a :class:`codegen.diagnostics.CompilerBug`, never a package.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from codegen.diagnostics import CompilerBug, Diagnostic, SpecError
from codegen.ir.build import build_api, header_line
from codegen.ir.nodes import Api
from codegen.load.deep import run_deep
from codegen.load.guard import DEFAULT_LIMITS, Limits
from codegen.load.loader import load_spec
from codegen.render.package import format_tree, render_package
from codegen.spec.validate import read_spec

__all__ = [
    "Compiled",
    "check_compiles",
    "compile_spec",
    "generate_into",
    "repo_root",
    "spec_label",
    "write_package",
]


@dataclass
class Compiled:
    package: str
    files: dict[str, str]
    warnings: list[Diagnostic]
    api: Api | None = None  # the IR the files were rendered from (a project's README, pyproject)


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
    path: Path,
    *,
    package: str,
    name: str | None = None,
    label: str | None = None,
    allow_ref_outside: Iterable[Path] = (),
    limits: Limits = DEFAULT_LIMITS,
    strict: bool = False,
) -> Compiled:
    """Load, validate and render one spec (raises ``SpecError``, or ``CompilerBug``).

    ``label`` names the spec in generated headers (default: :func:`spec_label`);
    ``allow_ref_outside`` and ``limits`` are passed to :func:`codegen.load.load_spec`;
    ``strict`` makes a vendor extension an error (our own specs: ``nox -s generate``).
    """
    allowed = tuple(allow_ref_outside)

    def work() -> Compiled:
        spec = load_spec(path, allow_ref_outside=allowed, limits=limits)
        document, warnings = read_spec(spec, strict=strict)
        shown = label or spec_label(path)
        built = build_api(
            spec,
            name=name or package.removesuffix("_client"),
            package=package,
            spec_label=shown,
            document=document,
        )
        files = render_package(built.api, header_line(shown, spec.sha256))
        check_compiles(files)
        return Compiled(package, files, [*warnings, *built.warnings], built.api)

    try:
        return run_deep(work)
    except RecursionError:
        message = "the spec is nested too deeply (schemas within schemas, through $refs)"
        raise SpecError(Path(os.path.abspath(path)), None, "", message) from None


def check_compiles(files: Mapping[str, str]) -> None:
    """Raise :class:`CompilerBug` for the first ``.py`` file that does not compile."""
    for rel, text in sorted(files.items()):
        if not rel.endswith(".py"):
            continue
        try:
            compile(text, rel, "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise CompilerBug(rel, exc.lineno, _bug(exc.msg)) from None
        except (ValueError, MemoryError, RecursionError) as exc:  # NUL bytes, too deep
            raise CompilerBug(rel, None, _bug(str(exc))) from None
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise CompilerBug(rel, None, _bug(f"not encodable as UTF-8: {exc.reason}")) from None


def _bug(detail: str) -> str:
    return f"generated code does not compile ({detail}): a compiler bug, please report it"


def write_package(files: dict[str, str], folder: Path) -> None:
    """Write ``files`` below ``folder`` (which must not exist) and format them.

    Every formatted Python file must compile (raises :class:`CompilerBug`); the files
    from :func:`compile_spec` were checked as rendered, others are when ruff fails.
    """
    for rel, text in sorted(files.items()):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    try:
        format_tree(folder)
    except RuntimeError:  # ruff could not parse a file: name it, if compile() agrees
        check_compiles(files)
        raise
    formatted = {
        rel: (folder / rel).read_text(encoding="utf-8") for rel in files if rel.endswith(".py")
    }
    check_compiles(formatted)


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
