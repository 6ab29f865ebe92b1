"""Python names for spec names.

Design notes
------------
* Wire names that already are valid identifiers are kept as they are (``next_token``,
  ``type``); only keywords get a trailing ``_`` (``from_``). Builtin-shadowing
  parameter names such as ``type`` or ``id`` are fine in a signature and keep the call
  site identical to the wire name, so they are not renamed.
* Everything else goes through :func:`snake_case` (methods, parameters, modules) or
  :func:`pascal_case` (classes). Both are pure and deterministic; collisions are the
  caller's job (see :class:`NameSet`), because only the caller knows what to warn about.
"""

from __future__ import annotations

import keyword
import re

__all__ = [
    "NameSet",
    "is_identifier",
    "operation_id",
    "pascal_case",
    "py_identifier",
    "snake_case",
    "suffix_case",
    "upper_snake",
]

_WORD_BOUNDARY = re.compile(r"[^0-9A-Za-z]+")
_CAMEL_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")


def is_identifier(name: str) -> bool:
    """True for a valid, non-keyword Python identifier."""
    return name.isidentifier() and not keyword.iskeyword(name) and name.isascii()


def _words(text: str) -> list[str]:
    text = _CAMEL_1.sub(r"\1_\2", text)
    text = _CAMEL_2.sub(r"\1_\2", text)
    return [w for w in _WORD_BOUNDARY.split(text) if w]


def snake_case(text: str) -> str:
    """``getTasksCount`` -> ``get_tasks_count``; ``Model/getModels`` -> ``model_get_models``."""
    name = "_".join(w.lower() for w in _words(text)) or "_"
    return py_identifier(name)


def pascal_case(text: str) -> str:
    """``get tasks`` -> ``GetTasks``; already-Pascal names keep their inner capitals."""
    name = "".join(w[:1].upper() + w[1:] for w in _WORD_BOUNDARY.split(text) if w)
    if not name:
        return "Model"
    if name[0].isdigit():
        name = "N" + name
    return name


def suffix_case(text: str) -> str:
    """PascalCase words to append to a class name: ``in_progress`` -> ``InProgress``,
    ``objEverything`` -> ``ObjEverything``, ``3d`` -> ``3d`` (no ``N`` needed after a
    stem); ``""`` for text without letters or digits."""
    return "".join(w[:1].upper() + w[1:] for w in _words(text))


def operation_id(declared: object, method: str, path: str) -> str:
    """An operation's id: its ``operationId``, or one made from method and path.

    The one place the id is derived (the IR's constants and methods, and the class
    names :func:`codegen.ir.schemas.prepare` gives inline schemas, all start here).
    """
    if isinstance(declared, str) and declared:
        return declared
    return snake_case(f"{method} {path.replace('{', '').replace('}', '')}")


def upper_snake(text: str) -> str:
    """Enum member name for a value: ``in_progress`` -> ``IN_PROGRESS``, ``1x`` -> ``V_1X``."""
    name = "_".join(w.upper() for w in _words(text))
    if not name:
        return "EMPTY"
    if name[0].isdigit():
        name = "V_" + name
    return name


def py_identifier(name: str) -> str:
    """Make ``name`` a usable identifier: keep it when valid, append ``_`` to keywords."""
    if not name.isascii() or not name.isidentifier():
        name = re.sub(r"\W", "_", name.encode("ascii", "replace").decode().replace("?", "_"))
        if not name or name[0].isdigit():
            name = "_" + name
    if keyword.iskeyword(name) or name in ("self", "cls"):
        name += "_"
    return name


class NameSet:
    """Allocates unique names in one scope: ``take('x')`` -> ``x``, ``x_2``, ``x_3``..."""

    def __init__(self, reserved: set[str] | frozenset[str] = frozenset()) -> None:
        self._used: set[str] = set(reserved)
        self._next: dict[str, int] = {}  # name -> the number its next variant starts at

    def __contains__(self, name: str) -> bool:
        return name in self._used

    def take(self, name: str) -> str:
        """Return ``name`` or the first free numbered variant; mark it used.

        Names are never released, so the search for a name's next variant resumes where
        the last one stopped: 100,000 values that all map to one name cost linear time.
        """
        n = self._next.get(name, 1)
        candidate = name if n == 1 else f"{name}_{n}"
        while candidate in self._used:
            n += 1
            candidate = f"{name}_{n}"
        self._next[name] = n
        self._used.add(candidate)
        return candidate
