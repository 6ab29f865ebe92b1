"""The SDK surface the diff builds without models agrees with the IR ``build_api``
makes with them: every method's name, resource, arguments (Python name, type,
required-ness, default), return type and error union, and every class's kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.diff.compare import load_version
from codegen.diff.surface import build_surface
from codegen.ir.build import build_api

ROOT = Path(__file__).resolve().parents[2]
SPECS = [ROOT / "specs" / "scale" / "openapi.yaml", ROOT / "specs" / "dial" / "openapi.yaml"]


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.parent.name)
def test_surface_matches_the_full_ir(spec: Path) -> None:
    version = load_version(spec)
    api = build_api(
        version.spec, name="x", package="x_client", spec_label="x", document=version.document
    ).api
    surface = build_surface(version.spec, version.document, "x")
    real = {}
    for resource in api.root.walk():
        for m in resource.methods:
            ref = (
                f"client.{resource.python_path}.{m.name}"
                if resource.python_path
                else f"client.{m.name}"
            )
            params = tuple(
                (p.python_name, p.type.text, p.required, p.signature_default) for p in m.params
            )
            errors = tuple((e.status, e.error_class) for e in m.operation.errors)
            real[ref] = (params, m.returns.text, errors)
    mine = {
        m.ref: (
            tuple((p.python_name, p.type, p.required, p.default) for p in m.params),
            m.returns,
            m.errors,
        )
        for m in surface.methods
    }
    assert mine == real
    kinds = {e.class_name: "enum" if e.open else "int_enum" for e in api.enums}
    kinds |= {m.class_name: "model" for m in api.models}
    kinds |= {c: "root" for c in api.pseudo_models}
    assert {c: surface.classes[c].kind for c in kinds} == kinds
    assert surface.exceptions == tuple(
        sorted({c.name for c in api.errors.classes} | {a for a, _ in api.errors.aliases})
    )
