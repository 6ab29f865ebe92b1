"""Load an OpenAPI spec (one file, or several joined by ``$ref``) into one bundled document.

Design notes
------------
* This module is the façade: :func:`load_spec` reads and bundles, :class:`LoadedSpec`
  is the result. The work is done in two modules:

  - :mod:`codegen.load.yamlsrc` reads each YAML / JSON file into plain values with a line
    table (YAML 1.2 scalars, duplicate keys and syntax errors as SpecErrors);
  - :mod:`codegen.load.bundle` follows external ``$ref``s, hoists what they reach into
    ``components`` (or puts it in place) and rewrites every ref to a local one.

* Source map: the bundled document is the root file's data mutated in place, so a
  pointer into it is also a pointer into the root file, except below a *mount* (bundled
  pointer -> file and pointer a moved subtree came from). :meth:`LoadedSpec.origin`
  finds the deepest mount on a pointer (after following local ``$ref``s it passes
  through) and asks that file's line table, so errors about any node of the bundled
  document name the file and line a user would edit.
* Untrusted input (docs/untrusted-specs.md): files are read through
  :class:`codegen.load.guard.Reader` (the entry spec's folder plus ``allow_ref_outside``,
  regular files, ``Limits.max_file_bytes``); nesting deeper than ``Limits.max_depth`` is
  refused in each file and again in the bundled document (in-place substitution can
  stack files); the work runs under :func:`codegen.load.deep.run_deep`, and a
  ``RecursionError`` that still happens is a one-line SpecError.
* The cyclic garbage collector is paused while loading (:mod:`codegen.load.gcpause`):
  the load only builds, and a 3 MB spec's graph made the collector rescan it again and
  again.
* The bundled document's depth is checked where bundling moved something only
  (:func:`_too_deep_after_bundling`); each file was checked as it was read.
* :attr:`LoadedSpec.sha256` covers every file read (relative path and bytes), so a
  generated package's header changes whenever any part of its spec does.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.diagnostics import Diagnostic, Diagnostics, SpecError, format_pointer, split_pointer

# Pointer, Key and ROOT are re-exported: they were defined here first (codegen.spec.validate
# imports Pointer from this module).
from codegen.load.bundle import ROOT as ROOT
from codegen.load.bundle import Bundler, relative
from codegen.load.bundle import Key as Key
from codegen.load.custom import CustomFile, read_custom
from codegen.load.deep import run_deep
from codegen.load.gcpause import paused_gc
from codegen.load.guard import DEFAULT_LIMITS, Limits, Reader
from codegen.load.yamlsrc import Pointer as Pointer
from codegen.load.yamlsrc import SourceFile, too_deep

__all__ = ["LoadedSpec", "load_spec"]


@dataclass
class LoadedSpec:
    """A spec read from disk and bundled into one document whose refs are all local."""

    document: dict[str, Any]
    openapi_version: str  # the ``openapi`` field, e.g. "3.0.3" or "3.1.0"
    root: Path
    files: list[Path]  # every file read, sorted
    sha256: str  # over every file's relative path and bytes
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    custom: tuple[CustomFile, ...] = ()  # hand-written python/*.py beside the root file
    _sources: list[SourceFile] = field(default_factory=list, repr=False, compare=False)
    _mounts: dict[Pointer, Key] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_31(self) -> bool:
        return self.openapi_version.startswith("3.1")

    def origin(self, pointer: str | Sequence[str | int]) -> tuple[Path, int | None, str]:
        """File, line and in-file pointer that a pointer into :attr:`document` came from."""
        segments = split_pointer(pointer) if isinstance(pointer, str) else tuple(map(str, pointer))
        segments = self._through_refs(segments)
        # one file, nothing moved: the only mount is the root's, the fallthrough below
        for depth in range(len(segments), -1, -1) if len(self._mounts) > 1 else ():
            mount = self._mounts.get(segments[:depth])
            if mount is not None:
                source = self._sources[mount[0]]
                ptr = mount[1] + segments[depth:]
                return source.path, source.line(ptr), format_pointer(ptr)
        source = self._sources[0]
        return source.path, source.line(segments), format_pointer(segments)

    def _through_refs(self, segments: Pointer) -> Pointer:
        """``/a/schema/properties/x`` where ``/a/schema`` is a ``$ref``: continue at its target."""
        node: Any = self.document
        jumps = 0
        i = 0
        while i < len(segments) and jumps < 50:
            seg = segments[i]
            if isinstance(node, dict) and seg in node:
                node = node[seg]
            elif isinstance(node, list) and seg.isdigit() and int(seg) < len(node):
                node = node[int(seg)]
            elif isinstance(node, dict) and str(node.get("$ref", "")).startswith("#/"):
                segments = split_pointer(node["$ref"]) + segments[i:]
                node, i, jumps = self.document, 0, jumps + 1
                continue
            else:
                break
            i += 1
        return segments

    def locate(self, pointer: str | Sequence[str | int]) -> tuple[Path, int | None]:
        """File and 1-based line of the deepest existing node on ``pointer``."""
        path, line, _ = self.origin(pointer)
        return path, line

    def error(self, pointer: str | Sequence[str | int], message: str) -> SpecError:
        """A SpecError about the node at ``pointer`` of the bundled document."""
        return SpecError(*self.origin(pointer), message)

    def warning(self, pointer: str | Sequence[str | int], message: str) -> Diagnostic:
        return Diagnostic(*self.origin(pointer), message)


def load_spec(
    path: Path,
    *,
    allow_ref_outside: Iterable[Path] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> LoadedSpec:
    """Read ``path`` and every file it refers to; raise SpecError for any problem.

    ``$ref``\\ s may reach files below ``path``'s folder and below each folder of
    ``allow_ref_outside``; ``limits`` bounds sizes, nesting and alias expansion.
    """
    root = Path(os.path.abspath(path))
    reader = Reader([root.parent, *allow_ref_outside], limits)
    try:
        with paused_gc():
            return run_deep(lambda: _load(root, reader))
    except RecursionError:
        raise SpecError(root, None, "", "the spec is nested too deeply") from None


def _load(root: Path, reader: Reader) -> LoadedSpec:
    bundler = Bundler(root, reader)
    bundler.discover()
    bundler.place()
    bundler.apply()
    files = bundler.files
    spec = LoadedSpec(
        files[0].data,
        bundler.version,
        root,
        sorted(f.path for f in files),
        _digest(files, root),
        bundler.diagnostics,
        read_custom(root, reader),
        files,
        bundler.mounts,
    )
    deep = _too_deep_after_bundling(spec.document, bundler.mounts, reader.limits.max_depth)
    if deep is not None:
        message = f"nested more than {reader.limits.max_depth:,} levels deep (after bundling)"
        raise spec.error(deep, message)
    return spec


def _too_deep_after_bundling(
    document: Any, mounts: dict[Pointer, Key], limit: int
) -> Pointer | None:
    """:func:`too_deep` of the bundled document, walking only what bundling moved.

    Every file was checked when it was read, and bundling changes depths only where it
    mounts a node (hoisted, or put in place of a ``$ref``: each one in ``mounts``); so
    only the mounted subtrees, at their new depth, can be too deep. The outermost mounts
    are walked (an inner one is inside them); when one is too deep the whole document
    is walked for the pointer, so the error names the same place as a whole walk."""
    walked: set[Pointer] = set()
    for ptr in sorted(mounts):
        if not ptr or any(ptr[:depth] in walked for depth in range(1, len(ptr))):
            continue
        walked.add(ptr)
        node: Any = document
        try:
            for seg in ptr:
                node = node[int(seg)] if isinstance(node, list) else node[seg]
        except (KeyError, IndexError, TypeError, ValueError):  # replaced by a later mount
            return too_deep(document, limit)
        if too_deep(node, max(limit - len(ptr), 0)) is not None:
            return too_deep(document, limit)
    return None


def _digest(files: list[SourceFile], root: Path) -> str:
    digest = hashlib.sha256()
    for source in sorted(files, key=lambda f: relative(f.path, root.parent)):
        name = relative(source.path, root.parent).encode()
        digest.update(b"%s\0%d\0%s" % (name, len(source.raw), source.raw))
    return digest.hexdigest()
