"""``x-python-custom`` + the hand-written ``python/*.py`` -> ``ir.nodes.CustomCode``.

Design notes
------------
* The files were read by :mod:`codegen.load.custom`; here the spec's references to
  them are checked: every ``module.Name`` (an export, a client mixin) must name a
  file of ``python/`` and a top-level name it defines, and an export may not take a
  name the package already exports (the clients, an exception or a model). Problems
  are ``SpecError``s at the extension's JSON pointer.
* ``resources`` names the mixins of resource classes (``client.files``): checked
  here as references; that each path is a resource the spec makes is checked when the
  resource tree exists (``codegen.ir.build``).
* Files without references are still copied: hand-written modules may import each
  other (``from .paths import ...``) and generated code never names them.
* ``x-python-type`` (a schema's values are a hand-written type) is checked the same
  way by :func:`python_types`, at each schema carrying it; a name the generated models
  take themselves, or one ``Name`` from two modules (the models import it by its bare
  name), is an error too.
* ``x-python-custom`` arrives as its typed record (:class:`codegen.spec.records.
  XPythonCustom`, shape already checked by the spec stage), located by its ``loc``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Protocol

from codegen.diagnostics import SpecError
from codegen.ir.nodes import CustomCode, CustomModule, CustomRef, HandMethod
from codegen.load.custom import CustomFile
from codegen.spec.records import SpecDocument, XPythonCustom, iter_schemas

__all__ = ["SpecWithCustom", "build_custom", "custom_ref", "python_types"]


class SpecWithCustom(Protocol):
    """What is needed of ``LoadedSpec``: the files, and located errors."""

    custom: tuple[CustomFile, ...]

    def error(self, pointer: str, message: str) -> SpecError: ...


def custom_ref(spec: SpecWithCustom, text: str, pointer: str) -> CustomRef:
    """``module.Name`` of the hand-written code, checked to exist."""
    module, _, name = text.partition(".")
    found = {f.module: f for f in spec.custom}
    if module not in found:
        have = ", ".join(sorted(found)) or "none"
        raise spec.error(pointer, f"{text}: no python/{module}.py beside the spec (have: {have})")
    if name not in found[module].names:
        raise spec.error(pointer, f"{text}: python/{module}.py defines no top-level {name!r}")
    return CustomRef(module, name)


def python_types(
    spec: SpecWithCustom, document: SpecDocument, taken: Iterable[str] = ()
) -> dict[str, CustomRef]:
    """``module.Name`` -> its checked reference, for every schema ``x-python-type``;
    ``taken``: the class names of the generated models."""
    found: dict[str, CustomRef] = {}
    by_name: dict[str, str] = {}
    reserved = set(taken)
    for schema in iter_schemas(document):
        text = schema.x_python_type
        if text is None:
            continue
        at = schema.loc.child("x-python-type")
        ref = found.get(text) or custom_ref(spec, text, at)
        other = by_name.setdefault(ref.name, text)
        if other != text:
            raise spec.error(at, f"{text}: {other} has the same name (the models import both)")
        if ref.name in reserved:
            raise spec.error(at, f"{text}: {ref.name!r} is the name of a generated model")
        found[text] = ref
    return dict(sorted(found.items()))


def build_custom(
    spec: SpecWithCustom, declared: XPythonCustom | None, spec_label: str, taken: Iterable[str]
) -> CustomCode:
    """The hand-written code of one API (empty when it has none)."""
    if declared is not None and declared != XPythonCustom(loc=declared.loc) and not spec.custom:
        message = "x-python-custom, but no python/*.py beside the spec"
        raise spec.error(declared.loc.pointer, message)
    folder = PurePosixPath(spec_label).parent / "python"
    modules = tuple(
        CustomModule(f.module, str(folder / f.path.name), f.sha256, f.text) for f in spec.custom
    )
    exports = []
    reserved = set(taken)
    if declared is None:
        return CustomCode(modules)
    for i, text in enumerate(declared.exports):
        ref = custom_ref(spec, text, declared.loc.child("exports", i))
        if ref.name in reserved:
            message = f"{ref.name!r} is already exported"
            raise spec.error(declared.loc.child("exports", i), message)
        reserved.add(ref.name)
        exports.append(ref)
    mixins = {
        key: None if text is None else custom_ref(spec, text, declared.loc.child(key))
        for key, text in (("client", declared.client), ("async_client", declared.async_client))
    }
    resources = []
    for path, (sync, async_) in declared.resources:
        sync_at = declared.loc.child("resources", path, "sync")
        async_at = declared.loc.child("resources", path, "async")
        resources.append(
            (
                path,
                None if sync is None else custom_ref(spec, sync, sync_at),
                None if async_ is None else custom_ref(spec, async_, async_at),
            )
        )
    listed = [("", _listed(spec, folder, mixins["client"], mixins["async_client"]))]
    listed += [(path, _listed(spec, folder, sync, async_)) for path, sync, async_ in resources]
    return CustomCode(
        modules,
        tuple(exports),
        mixins["client"],
        mixins["async_client"],
        tuple(resources),
        tuple((path, methods) for path, methods in listed if methods),
        declared.dependencies,
    )


def _methods(spec: SpecWithCustom, ref: CustomRef | None) -> dict[str, tuple[str, str, str, bool]]:
    """name -> (signature, doc, module, is ``async def``) of the public methods of
    ``ref``'s class and of the bases it has among the hand-written classes (nearest
    definition wins)."""
    if ref is None:
        return {}
    classes = {(f.module, c.name): c for f in spec.custom for c in f.classes}
    by_name = {c.name: (m, c) for (m, _), c in classes.items()}
    out: dict[str, tuple[str, str, str, bool]] = {}
    todo, seen = [(ref.module, ref.name)], set()
    while todo:
        key = todo.pop(0)
        if key in seen or key not in classes:
            continue
        seen.add(key)
        cls = classes[key]
        for method in cls.methods:
            out.setdefault(method.name, (method.signature, method.doc, key[0], method.is_async))
        for base in cls.bases:
            found = by_name.get(base.rsplit(".", 1)[-1])
            if found is not None:
                todo.append((found[0], found[1].name))
    return out


def _listed(
    spec: SpecWithCustom, folder: PurePosixPath, sync: CustomRef | None, async_: CustomRef | None
) -> tuple[HandMethod, ...]:
    sync_methods, async_methods = _methods(spec, sync), _methods(spec, async_)
    out = []
    for name in sorted(set(sync_methods) | set(async_methods)):
        signature, doc, module, coroutine = sync_methods.get(name) or async_methods[name]
        other = async_methods.get(name) if name in sync_methods else None
        # the async twin is listed when it reads differently: another signature, or
        # ``async def`` where the sync one is a plain ``def`` (or the reverse)
        differs = other is not None and (other[0] != signature or other[3] != coroutine)
        out.append(
            HandMethod(
                name,
                signature,
                doc,
                str(folder / f"{module}.py"),
                other[0] if other is not None and differs else None,
                other[3] if other is not None else True,
            )
        )
    return tuple(out)
