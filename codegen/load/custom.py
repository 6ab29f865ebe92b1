"""Hand-written per-API Python: ``specs/<api>/python/*.py``, read beside the spec.

Design notes
------------
* What one API needs and no other does (DIAL's path-like file URLs, Decthings' tensor
  type, a non-JSON body codec) belongs neither in ``clientcore`` (which knows no API)
  nor in a template. It lives as ordinary Python in a ``python/`` folder next to the
  spec's root file; the compiler copies it into ``<package>/_custom/`` and the spec's
  ``x-python-custom`` says what the package re-exports and which classes the clients
  mix in (``docs/architecture.md``, "Hand-written code").
* This module only reads: each file must be UTF-8 and valid Python (a syntax error is
  a ``SpecError`` naming the file and line). Its top-level names are recorded so the
  spec stage can check that ``x-python-custom`` names things that exist.
* Files are read like spec files (:class:`codegen.load.guard.Reader`): inside the
  spec's folder (a symlink out of it is refused), regular, within the size cap.
* Only ``*.py`` files directly in ``python/`` are read, in name order; file names
  must be valid module names and may not start with ``_`` (the generated
  ``_custom/__init__.py`` is ours).
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass
from pathlib import Path

from codegen.diagnostics import SpecError
from codegen.load.guard import Reader, Refused

__all__ = ["CustomClass", "CustomFile", "CustomMethod", "read_custom"]

FOLDER = "python"


@dataclass(frozen=True)
class CustomMethod:
    """A public method of a hand-written class, as ``api.md`` shows it."""

    name: str
    is_async: bool
    signature: str  # "(self, *, url: str | DialPath) -> None"
    doc: str  # the docstring's first line ("" without one)


@dataclass(frozen=True)
class CustomClass:
    """A top-level class of a hand-written module: its bases (as written) and methods."""

    name: str
    bases: tuple[str, ...]
    methods: tuple[CustomMethod, ...]


def _method(item: ast.FunctionDef | ast.AsyncFunctionDef) -> CustomMethod:
    args = item.args
    if args.args and args.args[0].arg in ("self", "cls"):
        args.args[0].annotation = None  # ``self: _Files`` is for the type checker
    returns = ast.unparse(item.returns) if item.returns else ""
    doc = " ".join((ast.get_docstring(item) or "").strip().split("\n\n", 1)[0].split())
    is_property = any(
        ast.unparse(d) in ("property", "cached_property") for d in item.decorator_list
    )
    if is_property:
        signature = f": {returns}" if returns else ""
    else:
        signature = f"({ast.unparse(args)})" + (f" -> {returns}" if returns else "")
    return CustomMethod(item.name, isinstance(item, ast.AsyncFunctionDef), signature, doc)


def _classes(tree: ast.Module) -> tuple[CustomClass, ...]:
    out = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        methods: dict[str, CustomMethod] = {}
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if not item.name.startswith("_"):
                    methods[item.name] = _method(item)
            elif isinstance(item, ast.Assign) and isinstance(item.value, ast.Name):
                target = methods.get(item.value.id)  # ``get_metadata = metadata``
                for alias in item.targets:
                    if target is not None and isinstance(alias, ast.Name):
                        doc = f"Alias of ``{target.name}``."
                        methods[alias.id] = CustomMethod(
                            alias.id, target.is_async, target.signature, doc
                        )
        bases = tuple(ast.unparse(b) for b in node.bases)
        out.append(CustomClass(node.name, bases, tuple(methods.values())))
    return tuple(out)


@dataclass(frozen=True)
class CustomFile:
    """One hand-written module: its module name, source and what it defines."""

    module: str  # e.g. "paths" for python/paths.py
    path: Path
    text: str
    sha256: str
    names: frozenset[str]  # top-level classes, functions and assigned names
    classes: tuple[CustomClass, ...] = ()  # top-level classes, for api.md


def _top_level_names(tree: ast.Module) -> frozenset[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return frozenset(names)


def read_custom(spec_root: Path, reader: Reader | None = None) -> tuple[CustomFile, ...]:
    """The ``python/`` folder beside ``spec_root``, or nothing when there is none."""
    folder = spec_root.parent / FOLDER
    if not folder.is_dir():
        return ()
    reader = reader or Reader([spec_root.parent])
    out = []
    for path in sorted(folder.glob("*.py")):
        module = path.stem
        if not module.isidentifier() or module.startswith("_"):
            raise SpecError(path, None, "", f"{path.name}: not a public module name")
        try:
            raw = reader.read(path)
        except (Refused, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise SpecError(path, None, "", f"cannot read hand-written code: {reason}") from None
        try:
            text = raw.decode("utf-8")
            tree = ast.parse(text, str(path))
        except UnicodeDecodeError:
            raise SpecError(path, None, "", "hand-written code must be UTF-8") from None
        except SyntaxError as exc:
            raise SpecError(path, exc.lineno, "", f"invalid Python: {exc.msg}") from None
        digest = hashlib.sha256(raw).hexdigest()
        out.append(CustomFile(module, path, text, digest, _top_level_names(tree), _classes(tree)))
    return tuple(out)
