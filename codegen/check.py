"""``python -m codegen check``: is ``generated/`` exactly what the compiler makes now?

Design notes
------------
* Every API is regenerated into a temporary folder with the same code path as
  ``generate`` and compared byte for byte with the committed package: files that
  differ, files missing from ``generated/`` and files that should not be there are
  all reported (paths relative to the generated folder's parent).
* Caches (``__pycache__``, ``.mypy_cache``...) are not part of a package and ignored.
* A generated package whose spec no longer exists is reported as extra.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from codegen.load.guard import DEFAULT_LIMITS, Limits
from codegen.pipeline import compile_spec, write_package

__all__ = ["Difference", "check_apis", "package_files"]

_IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"})

Difference = tuple[str, str]  # (kind: differs | missing | extra, path)


def package_files(folder: Path) -> dict[str, bytes]:
    """Relative POSIX path -> bytes of every file below ``folder`` (caches skipped)."""
    if not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not _IGNORED_PARTS.intersection(rel.parts) and path.suffix != ".pyc":
            out[rel.as_posix()] = path.read_bytes()
    return out


def check_apis(
    apis: list[str],
    specs_dir: Path,
    generated_dir: Path,
    on_compiled: Callable[[str, list[object]], None] | None = None,
    allow_ref_outside: Iterable[Path] = (),
    limits: Limits = DEFAULT_LIMITS,
    strict: bool = False,
) -> list[Difference]:
    """Regenerate ``apis`` and list every difference with ``generated_dir``."""
    diffs: list[Difference] = []
    shown = generated_dir.name
    with tempfile.TemporaryDirectory(prefix="codegen-check-") as tmp:
        for api in apis:
            package = f"{api}_client"
            compiled = compile_spec(
                specs_dir / api / "openapi.yaml",
                package=package,
                name=api,
                label=f"{specs_dir.name}/{api}/openapi.yaml",
                allow_ref_outside=tuple(allow_ref_outside),
                limits=limits,
                strict=strict,
            )
            if on_compiled is not None:
                on_compiled(api, list(compiled.warnings))
            fresh_dir = Path(tmp) / package
            write_package(compiled.files, fresh_dir)
            fresh = package_files(fresh_dir)
            current = package_files(generated_dir / package)
            for rel in sorted(set(fresh) | set(current)):
                where = f"{shown}/{package}/{rel}"
                if rel not in current:
                    diffs.append(("missing", where))
                elif rel not in fresh:
                    diffs.append(("extra", where))
                elif fresh[rel] != current[rel]:
                    diffs.append(("differs", where))
    known = {f"{api}_client" for api in apis}
    if generated_dir.is_dir():
        for folder in sorted(generated_dir.iterdir()):
            if folder.is_dir() and folder.name.endswith("_client") and folder.name not in known:
                if (specs_dir / folder.name.removesuffix("_client") / "openapi.yaml").exists():
                    continue  # not asked about (a subset of APIs was named)
                diffs.append(("extra", f"{shown}/{folder.name}/"))
    return diffs
