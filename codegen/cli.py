"""``python -m codegen``: generate and check client packages.

    python -m codegen generate [API ...]                 specs/<api>/openapi.yaml -> generated/<api>_client/
    python -m codegen generate --spec PATH --out DIR --package NAME
                                                         DIR/pyproject.toml, DIR/README.md, DIR/NAME/
    python -m codegen check [API ...]                    exit 1 when generated/ is stale
    python -m codegen diff OLD NEW [--format F] [--fail-on L]   two API versions (docs/diff.md)

Design notes
------------
* Works from any cwd: the repository is found from this package's location;
  ``--specs-dir``/``--generated-dir`` point elsewhere (tests use copies).
* A spec problem prints one line, ``error: file:line: pointer: message``, and exits 2
  (never a traceback); warnings print as ``warning: ...`` and do not fail the run.
* Untrusted specs (docs/untrusted-specs.md): ``$ref`` reaches only files below the
  spec's folder unless ``--allow-ref-outside DIR`` (repeatable) opens another;
  ``--max-file-size`` changes the per-file cap (default 16M). Generated code that
  would not compile is reported on one line (exit 3) and nothing is written; any other
  unexpected failure is an internal error, also one line (exit 3).
* Progress: one line per stage on stderr (``progress: models 4.1 s (5.0 s so far)``),
  never on stdout: on a terminal once a run has lasted 2 s, from the start with
  ``--progress``, never with ``--quiet`` or when stderr is a file or a pipe (logs and
  scripts keep the one-line error contract).
* The compiler's own dependencies (the ``codegen`` extra) are checked before any work, so
  running it from an environment without them says what to install.
* ``diff`` never compiles: the compiler's modules (``pipeline``, ``check``, ``project``,
  and through them rendering and Jinja2) are imported by the commands that use them,
  not here, so ``python -m codegen diff`` loads only what the diff runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from codegen.diagnostics import CompilerBug, Diagnostic, SpecError, one_line
from codegen.diff.command import add_arguments as add_diff_arguments
from codegen.diff.command import run as run_diff
from codegen.load.guard import DEFAULT_LIMITS, Limits, parse_size

if TYPE_CHECKING:
    from codegen.pipeline import Progress

__all__ = ["main"]


def _print_warnings(warnings: Sequence[object]) -> None:
    for w in warnings:
        if isinstance(w, Diagnostic):
            text = str(w).replace(f": {w.severity}: ", ": ", 1)
            print(f"{w.severity}: {text}", file=sys.stderr)
        else:
            print(f"warning: {w}", file=sys.stderr)


def _apis(names: list[str], specs_dir: Path) -> list[str]:
    available = sorted(p.parent.name for p in specs_dir.glob("*/openapi.yaml"))
    if not names:
        return available
    unknown = [n for n in names if n not in available]
    if unknown:
        raise SystemExit(
            f"error: no spec for {', '.join(unknown)} in {specs_dir} "
            f"(available: {', '.join(available) or 'none'})"
        )
    return names


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(max_file_bytes=args.max_file_size)


_PROGRESS_AFTER = 2.0  # seconds: shorter runs print no progress lines


def _progress(args: argparse.Namespace) -> Progress | None:
    """Stage lines on stderr: with ``--progress`` from the start; on a terminal, once the
    run has lasted ``_PROGRESS_AFTER``; else none (logs, pipes, ``--quiet``)."""
    from codegen.pipeline import Progress

    if getattr(args, "quiet", True):
        return None
    if args.progress:
        return Progress(after=0.0)
    return Progress(after=_PROGRESS_AFTER) if sys.stderr.isatty() else None


def _repo_root() -> Path:
    """The repository holding this package (``codegen.pipeline.repo_root``, without
    importing the compiler)."""
    return Path(__file__).resolve().parent.parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    root = _repo_root()
    for name, text in (
        ("generate", "regenerate client packages"),
        ("check", "fail when generated/ differs from a fresh generation"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("apis", nargs="*", metavar="API", help="spec folder names (default: all)")
        cmd.add_argument("--specs-dir", type=Path, default=root / "specs")
        cmd.add_argument("--generated-dir", type=Path, default=root / "generated")
        cmd.add_argument(
            "--allow-ref-outside",
            type=Path,
            action="append",
            default=[],
            metavar="DIR",
            help="let $ref reach files below DIR too (default: only the spec's own folder)",
        )
        cmd.add_argument(
            "--max-file-size",
            type=_size,
            default=DEFAULT_LIMITS.max_file_bytes,
            metavar="SIZE",
            help="refuse spec files larger than SIZE (bytes, or 500K, 16M, 1G; default 16M)",
        )
        cmd.add_argument(
            "--strict",
            action="store_true",
            help="every problem is an error, vendor extensions included (our own specs)",
        )
        cmd.add_argument(
            "--quiet", action="store_true", help="no progress lines on stderr (warnings stay)"
        )
        cmd.add_argument(
            "--progress",
            action="store_true",
            help="progress lines on stderr from the start (default: on a terminal, once a run "
            f"has lasted {_PROGRESS_AFTER:g} s)",
        )
        if name == "generate":
            cmd.add_argument("--spec", type=Path, help="compile this spec file instead")
            cmd.add_argument(
                "--out",
                type=Path,
                help="with --spec: the project folder (pyproject.toml, README.md, the package)",
            )
            cmd.add_argument("--package", help="with --spec: the package name")
    diff = sub.add_parser("diff", help="compare two versions of an API (docs/diff.md)")
    add_diff_arguments(diff)
    return parser


def _generate(args: argparse.Namespace) -> int:
    from codegen.pipeline import compile_spec, generate_into, report
    from codegen.project import ProjectError, check_target, write_project

    if args.spec is not None:
        if args.out is None or args.package is None:
            raise SystemExit("error: --spec needs --out and --package")
        try:
            check_target(args.out, args.package)  # before the work: nothing is overwritten
        except ProjectError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        compiled = compile_spec(
            args.spec,
            package=args.package,
            allow_ref_outside=args.allow_ref_outside,
            limits=_limits(args),
            strict=args.strict,
        )
        _print_warnings(compiled.warnings)
        try:
            write_project(compiled, args.out)
        except ProjectError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        report("write")
        print(f"generated {args.out} (package {args.out / args.package})")
        return 0
    apis = _apis(args.apis, args.specs_dir)
    for api in apis:
        package = f"{api}_client"
        if args.progress_lines is not None and len(apis) > 1:
            args.progress_lines.label = api
        compiled = compile_spec(
            args.specs_dir / api / "openapi.yaml",
            package=package,
            name=api,
            label=f"{args.specs_dir.name}/{api}/openapi.yaml",
            allow_ref_outside=args.allow_ref_outside,
            limits=_limits(args),
            strict=args.strict,
        )
        _print_warnings(compiled.warnings)
        generate_into(compiled, args.generated_dir / package)
        report("write")
        print(f"generated {args.generated_dir.name}/{package}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    return run_diff(args, _repo_root() / "specs")


def _check(args: argparse.Namespace) -> int:
    from codegen.check import check_apis

    apis = _apis(args.apis, args.specs_dir)
    diffs = check_apis(
        apis,
        args.specs_dir,
        args.generated_dir,
        on_compiled=lambda _api, warnings: _print_warnings(warnings),
        allow_ref_outside=args.allow_ref_outside,
        limits=_limits(args),
        strict=args.strict,
    )
    for kind, path in diffs:
        print(f"{kind}: {path}")
    if diffs:
        print(
            f"{len(diffs)} generated file(s) out of date: run `python -m codegen generate`",
            file=sys.stderr,
        )
        return 1
    print(f"generated code is up to date ({', '.join(apis) or 'no APIs'})")
    return 0


# import name -> distribution, for the message when one is missing
_REQUIRED = {
    "datamodel_code_generator": "datamodel-code-generator",
    "jinja2": "jinja2",
    "openapi_spec_validator": "openapi-spec-validator",
    "ruff": "ruff",
    "yaml": "pyyaml",
}


def _missing_dependencies() -> list[str]:
    return [dist for name, dist in _REQUIRED.items() if importlib.util.find_spec(name) is None]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    missing = _missing_dependencies()
    if missing:
        print(
            f"error: the compiler needs {', '.join(missing)} in this environment "
            "(install the project's compiler extra: pip install -e '.[codegen]')",
            file=sys.stderr,
        )
        return 2
    try:
        if args.command == "diff":
            return _diff(args)
        from codegen.pipeline import reporting

        with reporting(_progress(args)) as progress:
            args.progress_lines = progress  # labelled by API in a run over several
            return _generate(args) if args.command == "generate" else _check(args)
    except SpecError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except CompilerBug as err:
        print(f"error: {err}", file=sys.stderr)
        return 3
    except Exception as err:  # a compiler bug: one line here too, never a traceback
        detail = one_line(f"{type(err).__name__}: {err}", 500)
        print(f"error: internal compiler error (please report it): {detail}", file=sys.stderr)
        return 3
