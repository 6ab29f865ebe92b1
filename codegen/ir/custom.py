"""``x-python-custom`` + the hand-written ``python/*.py`` -> ``ir.nodes.CustomCode``.

Design notes
------------
* The files were read by :mod:`codegen.load.custom`; here the spec's references to
  them are checked: every ``module.Name`` (an export, a client mixin) must name a
  file of ``python/`` and a top-level name it defines, and an export may not take a
  name the package already exports (the clients, an exception or a model). Problems
  are ``SpecError``s at the extension's JSON pointer.
* Files without references are still copied: hand-written modules may import each
  other (``from .paths import ...``) and generated code never names them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any, Protocol

from codegen.diagnostics import SpecError
from codegen.ir.nodes import CustomCode, CustomModule, CustomRef
from codegen.load.custom import CustomFile

__all__ = ["build_custom"]

POINTER = "/x-python-custom"


class _Spec(Protocol):
    document: dict[str, Any]
    custom: tuple[CustomFile, ...]

    def error(self, pointer: str, message: str) -> SpecError: ...


def _ref(spec: _Spec, text: str, pointer: str) -> CustomRef:
    module, _, name = text.partition(".")
    found = {f.module: f for f in spec.custom}
    if module not in found:
        have = ", ".join(sorted(found)) or "none"
        raise spec.error(pointer, f"{text}: no python/{module}.py beside the spec (have: {have})")
    if name not in found[module].names:
        raise spec.error(pointer, f"{text}: python/{module}.py defines no top-level {name!r}")
    return CustomRef(module, name)


def build_custom(spec: _Spec, spec_label: str, taken: Iterable[str]) -> CustomCode:
    """The hand-written code of one API (empty when it has none)."""
    declared = spec.document.get("x-python-custom") or {}
    if declared and not spec.custom:
        raise spec.error(POINTER, "x-python-custom, but no python/*.py beside the spec")
    folder = PurePosixPath(spec_label).parent / "python"
    modules = tuple(
        CustomModule(f.module, str(folder / f.path.name), f.sha256, f.text) for f in spec.custom
    )
    exports = []
    reserved = set(taken)
    for i, text in enumerate(declared.get("exports") or ()):
        ref = _ref(spec, text, f"{POINTER}/exports/{i}")
        if ref.name in reserved:
            raise spec.error(f"{POINTER}/exports/{i}", f"{ref.name!r} is already exported")
        reserved.add(ref.name)
        exports.append(ref)
    mixins = {
        key: _ref(spec, declared[key], f"{POINTER}/{key}") if declared.get(key) else None
        for key in ("client", "async_client")
    }
    return CustomCode(modules, tuple(exports), mixins["client"], mixins["async_client"])
