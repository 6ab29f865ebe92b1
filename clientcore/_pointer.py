"""JSON pointers as tuples of keys and indices, resolved against decoded bodies.

Design notes
------------
* Generated code writes pointers as tuples (``("error", "message")``, ``("docs", 0)``),
  so nothing is parsed or unescaped at run time; the compiler turns the spec's
  ``/error/message`` strings into tuples once.
* Resolution never raises: a missing key, an index out of range or a step into a
  scalar all give ``None``, which every caller treats as "absent" (an error message
  falls back to the raw text, a recovery finds nothing, a result rule sees no error).
"""

from __future__ import annotations

from typing import TypeAlias

__all__ = ["Pointer", "resolve_pointer"]

Pointer: TypeAlias = tuple[str | int, ...]

_MISSING = object()


def resolve_pointer(value: object, pointer: Pointer) -> object:
    """Walk ``pointer`` (keys and indices) into decoded JSON; ``None`` when absent."""
    for key in pointer:
        if isinstance(value, dict):
            value = value.get(key, _MISSING) if isinstance(key, str) else _MISSING
        elif isinstance(value, list) and isinstance(key, int):
            value = value[key] if -len(value) <= key < len(value) else _MISSING
        else:
            return None
        if value is _MISSING:
            return None
    return value
