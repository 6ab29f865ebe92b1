"""The files of a spec read so far, and where a ``$ref`` written in one of them leads.

Design notes
------------
* :class:`SpecFiles` holds every file read (:class:`codegen.load.yamlsrc.SourceFile`,
  the root file first) and resolves a ``$ref`` to a :data:`Key`, ``(file index,
  pointer)``, reading a file the first time a ``$ref`` names it.
  :class:`codegen.load.bundle.Bundler` extends it with the bundling passes.
* Reading goes through :class:`codegen.load.guard.Reader`: a ``$ref`` reaches only files
  inside the entry spec's folder (or folders the caller opens), regular and within the
  size caps; a refusal is a SpecError at the ``$ref`` (file, line, pointer), and the
  target is never opened.
* A pointer that passes through a ``$ref`` (``other.yaml#/A/properties/b`` where ``A``
  is a ``$ref``) continues at its target, at most 50 times (then: circular).
* :meth:`SpecFiles.chain` follows a chain of ``$ref``\\ s (a ref to a ref...) to its
  end, refusing loops, and memoizes every node on the way, so following every chain of
  a spec is linear in the number of links.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from codegen.diagnostics import SpecError, format_pointer, split_pointer
from codegen.load.guard import Reader, Refused
from codegen.load.yamlsrc import Pointer, SourceFile, parse

__all__ = ["ROOT", "Chain", "Key", "SpecFiles", "relative"]

Key = tuple[int, Pointer]  # (index of the file, pointer inside it)
ROOT: Key = (0, ())


def relative(path: Path, base: Path) -> str:
    """``path`` relative to ``base``, with ``/`` separators (for messages and the hash)."""
    return os.path.relpath(path, base).replace(os.sep, "/")


@dataclass(frozen=True)
class Chain:
    """Where a chain of ``$ref``\\ s starting at some node leads."""

    skip: Key  # the first node that is not a bare ``{$ref}`` (may be ``end``)
    end: Key  # the first node that is not a ``$ref`` at all
    links: int  # ``$ref``\\ s with other keys beside them on the way


class SpecFiles:
    """The files read so far (the root first) and ``$ref`` resolution across them."""

    def __init__(self, root: Path, reader: Reader) -> None:
        self.reader = reader
        self.chains: dict[Key, Chain] = {}
        self.files: list[SourceFile] = []
        self.index: dict[Path, int] = {}
        try:
            raw = reader.read(root)
        except Refused as exc:
            raise SpecError(root, None, "", f"cannot read the spec: {exc}") from None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise SpecError(root, None, "", f"cannot read the spec: {reason}") from None
        self._add(root, raw)

    def _add(self, path: Path, raw: bytes) -> int:
        data, lines = parse(path, raw, self.reader.limits)
        self.index[path] = len(self.files)
        self.files.append(SourceFile(path, raw, data, lines))
        return len(self.files) - 1

    def error(self, file: int, ptr: Pointer, message: str) -> SpecError:
        source = self.files[file]
        return SpecError(source.path, source.line(ptr), format_pointer(ptr), message)

    def where(self, key: Key) -> str:
        source = self.files[key[0]]
        name = relative(source.path, self.files[0].path.parent)
        return f"{name}:{source.line(key[1])} ({format_pointer(key[1]) or '/'})"

    def node(self, key: Key) -> Any:
        node = self.files[key[0]].data
        for seg in key[1]:
            node = node[int(seg)] if isinstance(node, list) else node[seg]
        return node

    def resolve(self, file: int, ptr: Pointer, field: str, ref: str, depth: int = 0) -> Key:
        """Target of ``ref``, written at ``ptr/field`` in ``file``."""
        where = (*ptr, field)
        file_part, _, fragment = ref.partition("#")
        if "://" in file_part or file_part.startswith("//"):
            message = f"remote $ref {ref!r} is not supported (save the file next to the spec)"
            raise self.error(file, where, message)
        target = file
        if file_part:
            path = Path(os.path.normpath(self.files[file].path.parent / unquote(file_part)))
            if path not in self.index:
                try:
                    raw = self.reader.read(path)
                except Refused as exc:
                    raise self.error(file, where, f"$ref {ref!r}: {exc}") from None
                except OSError as exc:
                    reason = exc.strerror or type(exc).__name__
                    message = f"$ref {ref!r}: cannot read {file_part}: {reason}"
                    raise self.error(file, where, message) from None
                self._add(path, raw)
            target = self.index[path]
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            raise self.error(
                file, where, f"$ref {ref!r}: only JSON pointer fragments ('#/...') are supported"
            )
        return self.descend(target, split_pointer(fragment), (file, where, ref), depth)

    def descend(
        self, file: int, segments: Pointer, site: tuple[int, Pointer, str], depth: int
    ) -> Key:
        """Walk ``segments`` down ``file``, continuing at the target of any ``$ref`` met."""
        node = self.files[file].data
        for i, seg in enumerate(segments):
            if isinstance(node, dict) and seg not in node and isinstance(node.get("$ref"), str):
                if depth > 50:
                    raise self.error(site[0], site[1], f"$ref {site[2]!r}: circular reference")
                inner = self.resolve(file, segments[:i], "$ref", node["$ref"], depth + 1)
                return self.descend(inner[0], inner[1] + segments[i:], site, depth + 1)
            if isinstance(node, dict) and seg in node:
                node = node[seg]
            elif isinstance(node, list) and seg.isdigit() and int(seg) < len(node):
                node = node[int(seg)]
            else:
                missing = format_pointer(segments[: i + 1])
                name = relative(self.files[file].path, self.files[0].path.parent)
                message = f"$ref {site[2]!r} points nowhere: {name} has no {missing}"
                raise self.error(site[0], site[1], message)
        return file, segments

    def chain(self, key: Key, where: Key) -> Chain:
        """Follow ``$ref``\\ s from ``key`` (memoized); ``where`` is blamed for a loop."""
        path: list[Key] = []
        on_path: set[Key] = set()
        cur = key
        while cur not in self.chains:
            node = self.node(cur)
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                self.chains[cur] = Chain(cur, cur, 0)
                break
            if cur in on_path:
                raise self.error(where[0], where[1], "circular $ref chain")
            path.append(cur)
            on_path.add(cur)
            cur = self.resolve(cur[0], cur[1], "$ref", node["$ref"])
        after = self.chains[cur]
        for link in reversed(path):
            if len(self.node(link)) == 1:  # a bare {$ref}: skipped
                after = Chain(after.skip, after.end, after.links)
            else:
                after = Chain(link, after.end, after.links + 1)
            self.chains[link] = after
        return self.chains[key]
