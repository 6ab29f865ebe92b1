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
* Two cores: the structural validation runs in a forked child beside the IR and the
  models (:class:`codegen.spec.validate.Validation`); its verdict is awaited before
  anything is rendered, and a structural error wins over any later failure. For a large
  API, datamodel-code-generator's call runs in a second child
  (:mod:`codegen.ir.modelsaside`): its parse and its garbage never enter this process.
* The cyclic garbage collector is paused for the whole compile
  (:func:`codegen.load.gcpause.paused_gc`): the stages build one large graph that stays
  alive to the end (the document, its records, datamodel-code-generator's parse, the
  models' syntax tree), which every full collection scanned again: ~20 % of the CPU on
  spotify and Plaid alike. Cycles made meanwhile wait for the first collection after
  (Plaid: ~10 % more peak memory); the forked child inherits the pause, so it no longer
  writes to (and copies) every page of the parent's heap as its collector walks it.
* Progress: inside :func:`reporting`, each stage reports when it ends (``load``,
  ``models``, ``validate``, ``clients`` here, ``format`` in :func:`write_package`; the
  CLI adds ``write``). :class:`Progress` prints them on stderr, one line each, but only
  once the run has lasted ``after`` seconds (2 s for the CLI): short runs stay silent,
  a long one shows what it has done so far and then each stage as it ends.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from codegen.diagnostics import CompilerBug, Diagnostic, SpecError
from codegen.ir.build import build_api, header_line
from codegen.ir.nodes import Api
from codegen.ir.trees import forget as forget_trees
from codegen.load.deep import run_deep
from codegen.load.gcpause import paused_gc
from codegen.load.guard import DEFAULT_LIMITS, Limits
from codegen.load.loader import load_spec
from codegen.render.package import format_tree, render_package
from codegen.spec.aside import Aside, forking_enabled
from codegen.spec.parse import parse_spec
from codegen.spec.validate import Validation

__all__ = [
    "Compiled",
    "Progress",
    "check_compiles",
    "compile_spec",
    "generate_into",
    "repo_root",
    "report",
    "reporting",
    "spec_label",
    "write_package",
]


@dataclass
class Compiled:
    package: str
    files: dict[str, str]
    warnings: list[Diagnostic]
    api: Api | None = None  # the IR the files were rendered from (a project's README, pyproject)


class Progress:
    """Stage lines on ``stream`` (stderr), held back until the run has lasted ``after``.

    ``after=0`` shows every stage; ``clock`` is injectable for tests. ``label`` (the
    API being compiled, when there are several) prefixes the stage name.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        after: float = 2.0,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.stream = stream
        self.after = after
        self.clock = clock
        self.label = ""
        self.start = self.last = clock()
        self.held: list[str] = []
        self.showing = False

    def stage(self, name: str, seconds: float | None = None, note: str = "") -> None:
        """``name`` has ended: it took ``seconds`` (default: since the previous stage)."""
        now = self.clock()
        took = now - self.last if seconds is None else seconds
        self.last = now
        shown = f"{self.label}: {name}" if self.label else name
        extra = f", {note}" if note else ""
        self.held.append(f"progress: {shown} {took:.2f} s{extra} ({now - self.start:.2f} s so far)")
        if not self.showing and now - self.start >= self.after:
            self.showing = True
        if self.showing:
            stream = self.stream or sys.stderr
            for line in self.held:
                print(line, file=stream)
            stream.flush()
            self.held.clear()


_progress: list[Progress] = []  # the innermost :func:`reporting` block's


@contextmanager
def reporting(progress: Progress | None) -> Iterator[Progress | None]:
    """Stages that end inside this block (in any thread) report to ``progress``."""
    if progress is None:
        yield None
        return
    _progress.append(progress)
    try:
        yield progress
    finally:
        _progress.remove(progress)


def report(stage: str, seconds: float | None = None, note: str = "") -> None:
    """Tell the current :func:`reporting` block that ``stage`` has ended."""
    if _progress:
        _progress[-1].stage(stage, seconds, note)


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
        report("load")
        validation = Validation(spec, strict=strict)  # in a child process, beside the rest
        try:
            document = parse_spec(spec, strict=strict)
            if validation.failed_early():
                validation.wait()  # the structural error: before the models, not after
            shown = label or spec_label(path)
            built = build_api(
                spec,
                name=name or package.removesuffix("_client"),
                package=package,
                spec_label=shown,
                document=document,
            )
            report("models")
            validation.wait()
        except Exception:
            validation.wait()  # an invalid spec: its structural error wins
            raise
        finally:
            validation.close()
        warnings = list(spec.diagnostics)  # the loader's, the validator's, the records'
        report("validate", validation.seconds, "beside the models" if validation.ran_aside else "")
        files = render_package(built.api, header_line(shown, spec.sha256))
        check_compiles(files)
        report("clients")
        return Compiled(package, files, [*warnings, *built.warnings], built.api)

    try:
        with paused_gc():  # a fifth of the CPU otherwise (module notes)
            try:
                return run_deep(work)
            finally:  # before the collector runs again, so it never walks the tree
                forget_trees()  # the models' syntax tree (codegen.ir.trees): hundreds of MB
    except RecursionError:
        message = "the spec is nested too deeply (schemas within schemas, through $refs)"
        raise SpecError(Path(os.path.abspath(path)), None, "", message) from None


_SPLIT_BYTES = 1 << 20  # of Python source: below it, a second process costs more than it saves


def check_compiles(files: Mapping[str, str]) -> None:
    """Raise :class:`CompilerBug` for the first ``.py`` file that does not compile.

    A large package (Plaid: 5 MB in 2,000 files) is checked on two cores: the later
    files in a forked child (:class:`codegen.spec.aside.Aside`), the first ones here;
    the first failing file in sorted order is still the one reported.
    """
    sources = sorted((rel, text) for rel, text in files.items() if rel.endswith(".py"))
    total = sum(len(text) for _, text in sources)
    if total < _SPLIT_BYTES or not forking_enabled():
        _compile_each(sources)
        return
    cut, seen = 0, 0
    while seen < total // 2:
        seen += len(sources[cut][1])
        cut += 1
    later = Aside(lambda: _compile_each(sources[cut:]))
    try:
        _compile_each(sources[:cut])
        later.result()
    finally:
        later.close()


def _compile_each(sources: list[tuple[str, str]]) -> None:
    for rel, text in sources:
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
    report("format")


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
