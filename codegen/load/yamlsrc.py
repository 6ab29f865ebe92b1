"""Read one YAML or JSON file into plain Python values plus a line table.

Design notes
------------
* One reader for both formats, YAML and JSON (JSON is YAML), through libyaml, which
  gives every value's line. Most files are read straight from libyaml's events
  (:mod:`codegen.load.yamlevents`: one loop, no node objects, ~4x faster than
  composing); a file that uses anchors, aliases or merge keys, or has an error, is read
  here through PyYAML's libyaml composer, the path that owns every error message. JSON
  that libyaml rejects is read with :mod:`json` (then without lines).
* Scalars follow the YAML 1.2 core schema (``on``, ``no``, ``2020-01-01`` stay strings,
  :mod:`codegen.load.scalars`): :class:`_Loader` overrides PyYAML's 1.1 resolver, and
  :func:`_scalar` builds the value from the node's text. Mapping keys are always the key's text (``200:`` is ``"200"``).
  Merge keys (``<<``) are honoured: explicit keys win, earlier merges win.
* Problems are SpecErrors with the file and line: duplicate keys (naming the first
  one's line), recursive aliases, non-scalar keys, bad UTF-8, raw control characters
  and syntax errors, each message one line.
* Bounds (:class:`codegen.load.guard.Limits`): YAML aliases are expanded by copying, so
  a "billion laughs" document (aliases of aliases of lists) would grow exponentially;
  the values aliases add to one file are counted and capped (``max_alias_values``).
  Nesting deeper than ``max_depth`` is refused with the pointer where it happens
  (JSON read by the fallback is checked by :func:`too_deep`).
* Every file gets a line table (:attr:`SourceFile.lines`): pointer tuple -> 1-based line
  of that key / item. :meth:`SourceFile.line` answers for any pointer with the line of
  its deepest existing ancestor, which is what error messages want.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from codegen.diagnostics import SpecError, format_pointer
from codegen.load.guard import DEFAULT_LIMITS, Limits
from codegen.load.scalars import TAG as _TAG
from codegen.load.scalars import plain_tag, scalar_value
from codegen.load.yamlevents import read_events

__all__ = ["Pointer", "SourceFile", "parse", "too_deep"]

Pointer = tuple[str, ...]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    def resolve(self, kind: type, value: str | None, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _TAG + (plain_tag(value or "") if implicit[0] else "str")
        return _TAG + ("seq" if kind is yaml.SequenceNode else "map")


def _scalar(node: Any) -> Any:
    return scalar_value(node.tag, node.value)


class _Converter:
    """libyaml nodes -> plain Python values, filling ``lines`` on the way."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.lines: dict[Pointer, int] = {}
        self.active: set[int] = set()
        self.seen: set[int] = set()  # nodes converted once: meeting one again is an alias
        self.aliased = 0  # > 0 while copying what an alias names
        self.added = 0  # values added by aliases so far

    def fail(self, line: int, ptr: Pointer, message: str) -> SpecError:
        return SpecError(self.path, line, format_pointer(ptr), message)

    def convert(self, node: Any, ptr: Pointer) -> Any:
        alias = id(node) in self.seen
        self.seen.add(id(node))
        if alias or self.aliased:
            self.added += 1
            if self.added > self.limits.max_alias_values:
                line = self.lines.get(ptr, node.start_mark.line + 1)
                raise self.fail(
                    line,
                    ptr,
                    f"YAML aliases expand to more than {self.limits.max_alias_values:,} "
                    "values (an alias bomb?)",
                )
        if isinstance(node, yaml.ScalarNode):
            try:
                return _scalar(node)
            except ValueError:
                raise self.fail(
                    node.start_mark.line + 1, ptr, f"cannot read {node.value!r} as {node.tag}"
                ) from None
        if id(node) in self.active:
            line = self.lines.get(ptr, node.start_mark.line + 1)  # where the alias is used
            raise self.fail(line, ptr, "recursive YAML alias")
        if len(ptr) >= self.limits.max_depth:
            line = self.lines.get(ptr, node.start_mark.line + 1)
            raise self.fail(line, ptr, f"nested more than {self.limits.max_depth:,} levels deep")
        self.active.add(id(node))
        self.aliased += alias
        try:
            if isinstance(node, yaml.SequenceNode):
                items = []
                for index, item in enumerate(node.value):
                    sub = (*ptr, str(index))
                    self.lines[sub] = item.start_mark.line + 1
                    items.append(self.convert(item, sub))
                return items
            return self.mapping(node, ptr)
        finally:
            self.active.discard(id(node))
            self.aliased -= alias

    def mapping(self, node: Any, ptr: Pointer) -> dict[str, Any]:
        out: dict[str, Any] = {}
        merges: list[Any] = []
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(line, ptr, "mapping keys must be plain strings")
            if key_node.tag == _TAG + "merge":
                merges.extend(
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                continue
            key, sub = key_node.value, (*ptr, key_node.value)
            if key in out:
                raise self.fail(
                    line, sub, f"duplicate key {key!r} (first at line {self.lines[sub]})"
                )
            self.lines[sub] = line
            out[key] = self.convert(value_node, sub)
        merged: dict[str, Any] = {}
        for source in merges:  # YAML merge keys: explicit keys win, earlier merges win
            part = self.convert(source, ptr)
            if not isinstance(part, dict):
                raise self.fail(source.start_mark.line + 1, ptr, "'<<' needs a mapping")
            for key, value in part.items():
                merged.setdefault(key, value)
        return {**merged, **out} if merged else out


def too_deep(data: Any, limit: int) -> Pointer | None:
    """The pointer of the first container nested ``limit`` levels deep, if any."""
    stack: list[tuple[Any, int]] = [(data, 0)] if isinstance(data, (dict, list)) else []
    while stack:  # depths only: no pointer is built unless one is found
        node, depth = stack.pop()
        if depth >= limit:
            return _first_too_deep(data, limit)
        values = node.values() if isinstance(node, dict) else node
        stack.extend((v, depth + 1) for v in values if isinstance(v, (dict, list)))
    return None


def _first_too_deep(data: Any, limit: int) -> Pointer | None:
    stack: list[tuple[Any, Pointer]] = [(data, ())]
    while stack:
        node, ptr = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        if len(ptr) >= limit:
            return ptr
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend((value, (*ptr, str(key))) for key, value in items)
    return None


def _yaml_error(path: Path, text: str, exc: Exception) -> SpecError:
    """One line for any error libyaml reports (they span several lines as text)."""
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character
        what = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        return SpecError(
            path,
            text.count("\n", 0, max(0, exc.position)) + 1,
            "",
            f"control character {what} in the text: YAML allows it only as an escape "
            '("\\x01") inside a double-quoted string',
        )
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line: int | None = mark.line + 1 if mark is not None else None
    detail = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None:
        detail += f" ({context} at line {context_mark.line + 1})"
    return SpecError(path, line, "", f"YAML syntax error: {detail}")


def parse(
    path: Path, raw: bytes, limits: Limits = DEFAULT_LIMITS, *, events: bool = True
) -> tuple[Any, dict[Pointer, int]]:
    """The data in ``raw`` (the bytes of ``path``) and its line table. ``events=False``
    skips the event path (:mod:`codegen.load.yamlevents`): tests compare the two."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(path, None, "", f"not UTF-8 text: {exc}") from None
    fast = read_events(text, limits.max_depth) if events else None
    if fast is not None:
        return fast
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
            return _json(path, text, limits)
        raise _yaml_error(path, text, exc) from None
    finally:
        loader.dispose()
    if node is None:
        return None, {}
    converter = _Converter(path, limits)
    converter.lines[()] = node.start_mark.line + 1
    return converter.convert(node, ()), converter.lines


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(data: Any) -> Pointer | None:
    """Where a ``\\ud800``-style escape left half a character (JSON allows it, UTF-8 not)."""
    stack: list[tuple[Any, Pointer]] = [(data, ())]
    while stack:
        node, ptr = stack.pop()
        if isinstance(node, str):
            if not node.isascii() and _SURROGATE.search(node):
                return ptr
        elif isinstance(node, dict):
            for key, value in node.items():
                if not key.isascii() and _SURROGATE.search(key):
                    return (*ptr, key)
                stack.append((value, (*ptr, key)))
        elif isinstance(node, list):
            stack.extend((value, (*ptr, str(i))) for i, value in enumerate(node))
    return None


def _json(path: Path, text: str, limits: Limits) -> tuple[Any, dict[Pointer, int]]:
    """JSON that libyaml rejects (``\\/`` escapes, say): read without line numbers."""
    deep: Pointer | None = ()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(path, exc.lineno, "", f"JSON syntax error: {exc.msg}") from None
    except RecursionError:
        data = None  # deeper than Python's recursion limit: reported below
    else:
        deep = too_deep(data, limits.max_depth)
    if deep is not None:
        message = f"nested more than {limits.max_depth:,} levels deep"
        raise SpecError(path, None, format_pointer(deep), message)
    broken = _lone_surrogate(data)
    if broken is not None:
        message = "a \\u escape makes half a character (a lone UTF-16 surrogate)"
        raise SpecError(path, None, format_pointer(broken), message)
    return data, {}


@dataclass
class SourceFile:
    """One file as read: its bytes, its data and its line table."""

    path: Path
    raw: bytes
    data: Any
    lines: dict[Pointer, int]

    def line(self, ptr: Pointer) -> int | None:
        """Line of ``ptr`` or of its deepest existing ancestor."""
        for depth in range(len(ptr), -1, -1):
            line = self.lines.get(ptr[:depth])
            if line is not None:
                return line
        return None
