"""The diff's SDK surface does not depend on the order of the classes.

``build_surface`` asks :func:`codegen.ir.schemas.prepare` for unordered classes
(``ordered=False``: the spec-order pass skipped). That must change the order only:
every name and decision a compile makes is the same. And the SDK comparison pairs
renamed classes by name, so a surface listing its classes in another order reports
the same changes.
"""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest

from codegen.diff.emit import Emitter
from codegen.diff.sdk import compare_sdk
from codegen.diff.sides import load_version
from codegen.diff.surface import ClassSig, Surface
from codegen.ir.client import client_names
from codegen.ir.schemas import prepare
from codegen.spec.records import SpecSchema
from codegen.spec.values import Loc

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted(ROOT.glob("specs/*/openapi.yaml")) + sorted(ROOT.glob("tests/specs/*/openapi.yaml"))


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_unordered_prepare_differs_only_in_order(spec: Path) -> None:
    version = load_version(spec)
    reserved = set(client_names(version.document, "x").reserved)
    ordered = prepare(version.spec.document, reserved)
    loose = prepare(version.spec.document, reserved, ordered=False)
    assert loose.document == ordered.document  # dict equality: the same classes and bodies
    assert sorted(loose.document["components"]["schemas"]) == sorted(
        ordered.document["components"]["schemas"]
    )
    for name in (
        "renamed",
        "origin",
        "enum_members",
        "op_names",
        "variant_names",
        "request_shapes",
        "opened",
        "aliases",
    ):
        assert getattr(loose, name) == getattr(ordered, name), name
    assert loose.warnings == ordered.warnings


_AT = Loc("/components/schemas/X", ROOT / "openapi.yaml", 1, "/components/schemas/X")


def _record(*props: str) -> SpecSchema:
    string = SpecSchema(types=("string",), loc=_AT)
    return SpecSchema(types=("object",), properties=tuple((p, string) for p in props), loc=_AT)


def _surface(*classes: ClassSig) -> Surface:
    surface = Surface("Client", "AsyncClient")
    surface.classes = {c.name: c for c in classes}
    return surface


def _changes(old: Surface, new: Surface) -> list[tuple[str, str]]:
    emit = Emitter("x", ROOT)
    compare_sdk(old, new, emit, [], [])
    return sorted((c.rule, c.message) for c in emit.changes)


def test_equal_renamed_classes_pair_by_name_in_any_order() -> None:
    same = _record("id")
    old = [
        ClassSig("GetPetRequest", "model", same),
        ClassSig("GetPetResponse", "model", same),
        ClassSig("Owner", "model", _record("name")),
    ]
    new = [
        ClassSig("FetchPetResponse", "model", same),
        ClassSig("FetchPetRequest", "model", same),
        ClassSig("Owner", "model", _record("name")),
    ]
    results = {
        tuple(_changes(_surface(*a), _surface(*b)))
        for a in permutations(old)
        for b in permutations(new)
    }
    assert len(results) == 1
    (found,) = results
    renamed = [message for rule, message in found if rule == "class-renamed"]
    assert len(renamed) == 2, found
    assert any("GetPetRequest" in m and "FetchPetRequest" in m for m in renamed), renamed
    assert any("GetPetResponse" in m and "FetchPetResponse" in m for m in renamed), renamed
    assert all(rule == "class-renamed" for rule, _ in found), found
