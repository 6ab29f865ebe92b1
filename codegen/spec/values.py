"""Small values every record uses: its location, and frozen JSON data.

Design notes
------------
* :class:`Loc` says where a record came from (bundled JSON pointer, file, line, in-file
  pointer); records keep it outside their equality.
* Plain JSON values (``default``, ``enum``, ``x-methods`` defaults...) are frozen:
  lists become tuples and objects :class:`JsonObject` (equal whatever the key order);
  :func:`thaw` gives plain Python values back. A value that may be absent (``default``,
  ``const``) is a :class:`Value` box, so ``default: null`` differs from no default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from codegen.diagnostics import format_pointer

__all__ = ["Json", "JsonObject", "Loc", "Value", "freeze", "thaw"]


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a record came from: never part of a record's equality."""

    pointer: str  # JSON pointer into the bundled document
    file: Path
    line: int | None
    file_pointer: str  # JSON pointer into ``file``

    def child(self, *segments: str | int) -> str:
        """The bundled pointer of a key below this record (for located messages)."""
        return self.pointer + format_pointer(segments)


Json = Union[None, bool, int, float, str, tuple["Json", ...], "JsonObject"]


@dataclass(frozen=True, slots=True)
class JsonObject:
    """A frozen JSON object: ``items`` in document order; equality ignores the order."""

    items: tuple[tuple[str, Json], ...]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JsonObject):
            return NotImplemented
        return dict(self.items) == dict(other.items)

    def __hash__(self) -> int:
        return hash(frozenset(self.items))


@dataclass(frozen=True, slots=True)
class Value:
    """A JSON value that is there (``Value(None)`` is an explicit ``null``)."""

    value: Json


def freeze(value: Any) -> Json:
    """Plain JSON data -> hashable :data:`Json` (lists to tuples, dicts to JsonObject)."""
    if isinstance(value, dict):
        return JsonObject(tuple((str(k), freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def thaw(value: Json) -> Any:
    """Inverse of :func:`freeze`: tuples to lists, JsonObject to dicts."""
    if isinstance(value, JsonObject):
        return {k: thaw(v) for k, v in value.items}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value
