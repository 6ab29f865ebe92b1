"""Every generated package the fuzz tests cover, and their models and enums.

* ``generated/*/__init__.py``: the committed clients (Scale today; DIAL and Decthings
  are picked up as soon as their folder lands).
* ``tests/specs/*/openapi.yaml``: the compiler's test specs, compiled once per session
  (``compiled_package``) into a temporary folder kept importable until ``close()``;
  specs without a ``models`` module add nothing.

Models and enums are the classes in ``<package>.models.__all__``.  ``result_types`` reads
each operation's result type from the generated calls, ``response_models`` the models a
response can contain, ``custom_types`` the hand-written types (schema ``x-python-type``,
classes of ``<package>._custom``) a model's fields reach.
"""

from __future__ import annotations

import ast
import atexit
import enum
import functools
import importlib
import importlib.util
import tempfile
import typing
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel

from tests.support.compiled import compiled_package

__all__ = [
    "ENUMS",
    "MODELS",
    "PACKAGES",
    "Case",
    "close",
    "custom_types",
    "response_models",
    "result_types",
]

ROOT = Path(__file__).resolve().parents[2]
_STACK = ExitStack()
atexit.register(_STACK.close)


@dataclass(frozen=True)
class Case:
    label: str  # "<package>.<Class>", the test id
    package: ModuleType
    cls: type


def _generated() -> list[ModuleType]:
    names = sorted(p.parent.name for p in (ROOT / "generated").glob("*/__init__.py"))
    return [importlib.import_module(name) for name in names]


def _compiled() -> list[ModuleType]:
    folder = Path(_STACK.enter_context(tempfile.TemporaryDirectory(prefix="fuzz-specs-")))
    out = []
    for spec in sorted((ROOT / "tests" / "specs").glob("*/openapi.yaml")):
        name = f"fuzz_spec_{spec.parent.name}_client"
        out.append(_STACK.enter_context(compiled_package(spec, name, folder)))
    return out


def _classes(package: ModuleType) -> list[type]:
    if importlib.util.find_spec(f"{package.__name__}.models") is None:
        return []
    models = importlib.import_module(f"{package.__name__}.models")
    return [getattr(models, name) for name in models.__all__]


def close() -> None:
    """Unload the compiled test packages and remove their folder."""
    _STACK.close()


PACKAGES: list[ModuleType] = [*_generated(), *_compiled()]
_ALL = [Case(f"{p.__name__}.{c.__name__}", p, c) for p in PACKAGES for c in _classes(p)]
MODELS: list[Case] = [c for c in _ALL if issubclass(c.cls, BaseModel)]
ENUMS: list[Case] = [c for c in _ALL if issubclass(c.cls, enum.Enum)]


@functools.cache
def result_types(package: ModuleType) -> dict[str, Any]:
    """The result type of each operation of ``package``, keyed by its operation constant:
    the generated methods pass it to the runtime as ``self._request(OP, <type>, ...)``
    (or ``_paginate`` and the like); every such argument naming ``_models`` is taken."""
    folder = Path(package.__file__ or "").parent
    found: dict[str, Any] = {}
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(folder).with_suffix("").parts
        if "models" in parts[:-1]:
            continue
        dotted = ".".join([package.__name__, *parts]).removesuffix(".__init__")
        namespace = vars(importlib.import_module(dotted))  # names as the module sees them
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if len(node.args) >= 2 and "_models." in (source := ast.unparse(node.args[1])):
                    label = f"{package.__name__}.{ast.unparse(node.args[0])}"
                    found[label] = eval(source, dict(namespace))  # generated code, our own
    return found


@functools.cache
def response_models(package: ModuleType) -> set[type[BaseModel]]:
    """The models a response of ``package`` can contain: those in an operation's result
    type and everything their fields reach."""
    found: set[type[BaseModel]] = set()
    todo: list[Any] = list(result_types(package).values())
    while todo:
        tp = todo.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp in found:
                continue
            found.add(tp)
            tp.model_rebuild()
            todo.extend(f.annotation for f in tp.model_fields.values())
        else:
            todo.extend(typing.get_args(tp))
    return found


def custom_types(case: Case) -> set[type]:
    """The hand-written types (``x-python-type``: classes defined in the package's
    ``_custom`` modules) that the fields of ``case``'s model reach, at any depth."""
    prefix = f"{case.package.__name__}._custom."
    found: set[type] = set()
    seen: set[type] = set()
    todo: list[Any] = [case.cls]
    while todo:
        tp = todo.pop()
        if isinstance(tp, type) and tp.__module__.startswith(prefix):
            found.add(tp)
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp not in seen:
                seen.add(tp)
                tp.model_rebuild()
                todo.extend(f.annotation for f in tp.model_fields.values())
        else:
            todo.extend(typing.get_args(tp))
    return found
