"""Unions of tagged variants stay open (``tests/specs/unions``): a server may add a
variant to a discriminated union at any time, and a new one must parse (as a plain
``clientcore.APIModel`` keeping every field) instead of failing the response, while
known tags still parse to their classes and ids to strings.

Two places are covered: an operation's result typed by the annotation builder
(``codegen/ir/annotate.py``: ``Circle | Square | clientcore.APIModel``) and model fields
where datamodel-code-generator flattened a discriminated oneOf nested in an anyOf
(``codegen/ir/models.py`` ``open_flattened_unions``: ``str | Circle | Square | APIModel``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import clientcore
from codegen.ir.models import open_flattened_unions
from tests.support.compiled import compiled_package

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "unions" / "openapi.yaml"
PACKAGE = "unions_test_client"

CIRCLE = {"id": "c1", "kind": "circle", "radius": 2.0}
SQUARE = {"id": "s1", "kind": "square", "side": 3.0}
NEW = {"id": "h1", "kind": "hexagon", "sides": 6, "nested": {"a": [1, 2]}}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(SPEC, PACKAGE, tmp_path_factory.mktemp("unions")) as p:
        yield p


def _client(pkg: Any, body: Any) -> Any:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    return pkg.Shapes(base_url="http://shapes.test", http_client=httpx.Client(transport=transport))


def _is_fallback(value: Any, wire: dict[str, Any]) -> bool:
    """``value`` is the plain fallback model holding exactly ``wire``."""
    return (
        type(value) is clientcore.APIModel
        and value.model_dump(mode="json", by_alias=True, exclude_unset=True) == wire
    )


# -- an operation's result: the discriminated oneOf of a response schema ---------------


@pytest.mark.parametrize(("body", "cls"), [(CIRCLE, "Circle"), (SQUARE, "Square")])
def test_a_known_variant_of_a_result_parses_to_its_class(pkg: Any, body: Any, cls: str) -> None:
    with _client(pkg, body) as client:
        shape = client.shapes.get_shape("x")
    assert type(shape) is getattr(pkg.models, cls)
    assert shape.id == body["id"]


def test_a_new_variant_of_a_result_parses_to_the_fallback(pkg: Any) -> None:
    with _client(pkg, NEW) as client:
        shape = client.shapes.get_shape("x")
    assert _is_fallback(shape, NEW)
    assert shape.kind == "hexagon" and shape.sides == 6


def test_items_of_a_list_result_admit_a_new_variant(pkg: Any) -> None:
    with _client(pkg, [CIRCLE, NEW, SQUARE]) as client:
        shapes = client.shapes.list_shapes()
    assert [type(s).__name__ for s in shapes] == ["Circle", "APIModel", "Square"]
    assert _is_fallback(shapes[1], NEW)


async def test_the_async_client_admits_a_new_variant(pkg: Any) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=NEW))
    http = httpx.AsyncClient(transport=transport)
    async with pkg.AsyncShapes(base_url="http://shapes.test", http_client=http) as client:
        shape = await client.shapes.get_shape("x")
    assert _is_fallback(shape, NEW)


def test_result_annotations_name_the_fallback(pkg: Any) -> None:
    """What a type checker sees agrees with what the runtime returns."""
    from typing import get_type_hints

    import unions_test_client.resources.shapes as shapes

    hints = get_type_hints(shapes.ShapesResource.get_shape, vars(pkg.models) | vars(shapes))
    assert hints["return"] == pkg.models.Circle | pkg.models.Square | clientcore.APIModel


# -- model fields: an id or the expanded discriminated oneOf ------------------------------

FIELDS = ["focus", "inline"]  # by $ref to an anyOf component, and written inline


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(
    ("wire", "expected"), [(CIRCLE, "Circle"), (SQUARE, "Square"), ("c9", "str")]
)
def test_a_known_variant_or_an_id_of_a_field_keeps_its_type(
    pkg: Any, field: str, wire: Any, expected: str
) -> None:
    for drawing in (
        pkg.models.Drawing.model_validate({"id": "d1", field: wire}),
        pkg.models.Drawing.model_validate_json(json.dumps({"id": "d1", field: wire})),
    ):
        assert type(getattr(drawing, field)).__name__ == expected


@pytest.mark.parametrize("field", FIELDS)
def test_a_new_variant_of_a_field_parses_to_the_fallback(pkg: Any, field: str) -> None:
    for drawing in (
        pkg.models.Drawing.model_validate({"id": "d1", field: NEW}),
        pkg.models.Drawing.model_validate_json(json.dumps({"id": "d1", field: NEW})),
    ):
        assert _is_fallback(getattr(drawing, field), NEW)
        assert drawing.model_dump(mode="json", exclude_unset=True) == {"id": "d1", field: NEW}


def test_lists_maps_and_plain_references_admit_a_new_variant(pkg: Any) -> None:
    wire = {
        "id": "d1",
        "main": NEW,
        "layers": ["c9", CIRCLE, NEW, SQUARE],
        "by_name": {"a": NEW, "b": SQUARE, "c": "s9"},
    }
    drawing = pkg.models.Drawing.model_validate(wire)
    assert _is_fallback(drawing.main, NEW)
    assert [type(v).__name__ for v in drawing.layers] == ["str", "Circle", "APIModel", "Square"]
    assert {k: type(v).__name__ for k, v in drawing.by_name.items()} == {
        "a": "APIModel",
        "b": "Square",
        "c": "str",
    }
    assert drawing.model_dump(mode="json", exclude_unset=True) == wire


def test_a_drawing_with_a_new_variant_arrives_through_the_client(pkg: Any) -> None:
    with _client(pkg, {"id": "d1", "focus": NEW, "layers": [NEW]}) as client:
        drawing = client.drawings.get_drawing("d1")
    assert type(drawing) is pkg.models.Drawing
    assert _is_fallback(drawing.focus, NEW) and _is_fallback(drawing.layers[0], NEW)


# -- the post-processing step itself -------------------------------------------------------


def _document(**fields: dict[str, Any]) -> dict[str, Any]:
    variant = {"type": "object", "properties": {"kind": {"type": "string"}}}
    return {
        "components": {
            "schemas": {
                "A": variant,
                "B": variant,
                "C": variant,
                "Holder": {"type": "object", "properties": fields},
            }
        }
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


SOURCE = """\
class A(APIModel):
    kind: Literal["a"]
class B(APIModel):
    kind: Literal["b"]
class C(APIModel):
    kind: Literal["c"]
class Holder(APIModel):
    forward: Optional[Union[str, "A", "B"]] = None
    chain: str | A | B | None = None
    nested: list[str | A | B] | dict[str, A | B | C] | None = None
    opened: list[Annotated[Union["A", "B"] | APIModel, Field(union_mode="smart")]]
    untagged: str | A | B | None = None
"""

OPENED = """\
class A(APIModel):
    kind: Literal["a"]
class B(APIModel):
    kind: Literal["b"]
class C(APIModel):
    kind: Literal["c"]
class Holder(APIModel):
    forward: Optional[Union[str, "A", "B", APIModel]] = None
    chain: str | A | B | None | APIModel = None
    nested: list[str | A | B | APIModel] | dict[str, A | B | C | APIModel] | None = None
    opened: list[Annotated[Union["A", "B"] | APIModel, Field(union_mode="smart")]]
    untagged: str | A | B | None = None
"""


def test_every_union_listing_a_discriminated_unions_variants_is_opened_once() -> None:
    """Only fields whose schema reaches a discriminated union, every union of such a
    field that lists all its variants, each exactly once (an already opened one, where
    ``Union[...]`` is a member of ``... | APIModel``, is left alone)."""
    tagged = {"oneOf": [_ref("A"), _ref("B")], "discriminator": {"propertyName": "kind"}}
    expandable = {"anyOf": [{"type": "string"}, tagged]}
    document = _document(
        forward=expandable,
        chain=expandable,
        nested={"anyOf": [{"type": "array", "items": expandable}, {"type": "object"}]},
        opened={"type": "array", "items": tagged},
        untagged={"anyOf": [{"type": "string"}, {"oneOf": [_ref("A"), _ref("B")]}]},
    )
    assert open_flattened_unions(SOURCE, document) == OPENED
    no_discriminator = _document(forward={"anyOf": [{"type": "string"}, _ref("A"), _ref("B")]})
    assert open_flattened_unions(SOURCE, no_discriminator) == SOURCE
