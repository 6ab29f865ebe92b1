"""Shape readers for ``x-`` extension values: check a plain value and convert it, or raise.

Design notes
------------
* A reader takes the value as loaded (dicts, lists, scalars) and returns it typed:
  ``identifier("get_task") -> "get_task"``, ``map_of(string, string)(...)`` -> a tuple
  of pairs. Reading *is* the check: a value of the wrong shape raises :class:`Bad`
  with the path below the extension key and the message, which
  :mod:`codegen.spec.parse` turns into a located ``SpecError`` (file, line and the
  JSON pointer of the offending nested key).
* Readers are small functions combined by :func:`list_of`, :func:`map_of` and
  :func:`fields`; ``fields`` reports, in this order, a non-mapping, a missing required
  key, then the first unknown or bad key in document order.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from codegen.spec.records import Json, freeze

__all__ = [
    "Bad",
    "Reader",
    "anything",
    "boolean",
    "choice",
    "fields",
    "identifier",
    "list_of",
    "map_of",
    "match",
    "number",
    "pointer",
    "string",
]

T = TypeVar("T")
K = TypeVar("K")
Reader = Callable[[Any], T]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Bad(Exception):
    """A value of the wrong shape: ``path`` below the extension key, and why."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(path, message)
        self.path = path
        self.message = message


def anything(value: Any) -> Json:
    return freeze(value)


def string(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise Bad((), f"must be a string, not {value!r}")


def identifier(value: Any) -> str:
    if isinstance(value, str) and _IDENT.match(value) and not keyword.iskeyword(value):
        return value
    raise Bad((), f"must be a Python identifier, not {value!r}")


def pointer(value: Any) -> tuple[str, ...]:
    """A JSON pointer, split and unescaped (RFC 6901: ``"/"`` is the key ``""``)."""
    if isinstance(value, str) and (value == "" or value.startswith("/")):
        return tuple(s.replace("~1", "/").replace("~0", "~") for s in value.split("/")[1:])
    raise Bad((), f"must be a JSON pointer ('' or starting with '/'), not {value!r}")


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise Bad((), f"must be true or false, not {value!r}")


def number(
    minimum: float, *, integer: bool = False, above: bool = False, maximum: float | None = None
) -> Reader[int | float]:
    types = (int,) if integer else (int, float)
    word = "an integer" if integer else "a number"
    rel = f"{'>' if above else '>='} {minimum}" + (f" and <= {maximum}" if maximum else "")

    def read(value: Any) -> int | float:
        if isinstance(value, types) and not isinstance(value, bool):
            if (value > minimum or (value == minimum and not above)) and (
                maximum is None or value <= maximum
            ):
                return value
        raise Bad((), f"must be {word} {rel}, not {value!r}")

    return read


def choice(*choices: str) -> Reader[str]:
    def read(value: Any) -> str:
        if value in choices:
            return str(value)
        raise Bad((), f"{value!r} is not one of {', '.join(choices)}")

    return read


def match(pattern: re.Pattern[str], what: str) -> Reader[str]:
    def read(value: Any) -> str:
        if isinstance(value, str) and pattern.match(value):
            return value
        raise Bad((), f"must be {what}, not {value!r}")

    return read


def _below(step: str | int, bad: Bad) -> Bad:
    return Bad((step, *bad.path), bad.message)


def list_of(item: Reader[T], *, non_empty: bool = False) -> Reader[tuple[T, ...]]:
    def read(value: Any) -> tuple[T, ...]:
        if not isinstance(value, list) or (non_empty and not value):
            raise Bad((), f"must be a {'non-empty ' if non_empty else ''}list, not {value!r}")
        out = []
        for index, element in enumerate(value):
            try:
                out.append(item(element))
            except Bad as bad:
                raise _below(index, bad) from None
        return tuple(out)

    return read


def map_of(key: Reader[K], item: Reader[T]) -> Reader[tuple[tuple[K, T], ...]]:
    def read(value: Any) -> tuple[tuple[K, T], ...]:
        if not isinstance(value, dict):
            raise Bad((), f"must be a mapping, not {value!r}")
        out = []
        for name, element in value.items():
            try:
                checked = key(name)
            except Bad as bad:
                raise Bad((name,), f"key {bad.message}") from None
            try:
                out.append((checked, item(element)))
            except Bad as bad:
                raise _below(name, bad) from None
        return tuple(out)

    return read


def fields(value: Any, readers: Mapping[str, Reader[Any]], *required: str) -> dict[str, Any]:
    """The keys of a mapping, each read by its reader (see the module notes)."""
    if not isinstance(value, dict):
        raise Bad((), f"must be a mapping, not {value!r}")
    for name in required:
        if name not in value:
            raise Bad((), f"missing required key {name!r}")
    out: dict[str, Any] = {}
    for name, element in value.items():
        reader = readers.get(name)
        if reader is None:
            raise Bad((name,), f"unknown key {name!r} (expected: {', '.join(readers)})")
        try:
            out[name] = reader(element)
        except Bad as bad:
            raise _below(name, bad) from None
    return out
