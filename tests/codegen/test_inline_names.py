"""Inline schemas get names a person would choose, from their context, never their
position (issue 10): union members by title, by the union's own name, by discriminator
value or a property value no sibling shares, by kind, by a property only they require;
the per-member classes datamodel-code-generator makes of an object with a ``oneOf`` are
renamed the same way; a number is a last resort and a warning.  Names do not depend on
the order of the document's keys (``tests/specs/inline_names``, and corpus specs whose
names used to move)."""

from __future__ import annotations

import ast
import inspect
import random
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from codegen.ir.schemas import prepare
from codegen.load.deep import run_deep
from codegen.load.loader import load_spec
from codegen.pipeline import compile_spec
from tests.support.compiled import compiled_package, mypy_strict
from tests.support.server import serve

SPEC = Path(__file__).resolve().parents[1] / "specs" / "inline_names" / "openapi.yaml"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "specs-corpus"
OAS = CORPUS / "oas-examples"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="spec corpus not available")


def classes(files: dict[str, str]) -> set[str]:
    return {n for text in files.values() for n in re.findall(r"^class (\w+)\b", text, re.M)}


@pytest.fixture(scope="module")
def compiled() -> Any:
    return compile_spec(SPEC, package="inline_names_client")


@pytest.fixture(scope="module")
def names(compiled: Any) -> set[str]:
    return classes(compiled.files)


@pytest.mark.parametrize(
    ("expected", "rule"),
    [
        ({"Circle", "Square"}, "a member's title"),
        ({"ThingCustomer"}, "the one member needing a class takes the property's name"),
        ({"EventClick", "EventScroll"}, "discriminator value (const tag)"),
        ({"SourceWeb", "SourceApp"}, "a property fixed to a value no sibling shares"),
        ({"PayloadObject"}, "the only object among the members"),
        ({"ContactWithEmail", "ContactWithPhone"}, "a property only this member requires"),
        ({"DocWithCategory", "DocWithCategorySlug"}, "merged variants, by required property"),
        ({"RequestA", "RequestB"}, "merged variants, by discriminator mapping key"),
        ({"Credit1099", "W2"}, "digits the spec chose stay"),
        ({"GetReportResponse", "GetReportResponseLinks"}, "the JSON body, not its XML twin"),
        ({"Address", "AddressGeo", "Money"}, "a titled schema written out again"),
    ],
)
def test_members_are_named_from_their_context(
    names: set[str], expected: set[str], rule: str
) -> None:
    assert expected <= names, rule


def test_a_titled_schema_written_out_again_is_one_class(pkg: Any, names: set[str]) -> None:
    """``Address`` inline in ``Thing`` and in a request body, ``Money`` as a component and
    inline: one class each, and every place typed with it (nested classes included)."""
    assert {n for n in names if "Address" in n} == {"Address", "AddressGeo", "AddAddressRequest"}
    assert not {n for n in names if "Money" in n} - {"Money"} and "ThingPrice" not in names
    assert pkg.Thing.model_fields["price"].annotation == pkg.Money | None
    params = inspect.signature(pkg.InlineNames.add_address).parameters
    assert str(params["address"].annotation).startswith("Address |")


def test_numbers_only_as_a_last_resort_and_then_a_warning(compiled: Any, names: set[str]) -> None:
    numbered = {n for n in names if re.search(r"\d$", n)} - {"Credit1099", "W2"}
    assert numbered == {"PairVariant1", "PairVariant2"}  # two objects told apart by type only
    warned = [str(w) for w in compiled.warnings if "union member apart" in str(w)]
    assert len(warned) == 2 and all("/components/schemas/Pair/oneOf/" in w for w in warned)
    assert all("class PairVariant" in w and "a title would name it" in w for w in warned)


def test_keys_making_one_class_name_are_numbered_the_same_whatever_their_order() -> None:
    def document(keys: list[str]) -> dict[str, Any]:
        schemas = {k: {"type": "object", "properties": {"x": {"type": "string"}}} for k in keys}
        return {"openapi": "3.1.0", "paths": {}, "components": {"schemas": schemas}}

    for keys in (["foo-bar", "FooBar", "foo_bar"], ["foo_bar", "foo-bar", "FooBar"]):
        prepared = prepare(document(keys))
        # the key spelled as its class keeps it; the others follow in sorted order
        assert prepared.renamed == {"FooBar": "FooBar", "foo-bar": "FooBar2", "foo_bar": "FooBar3"}
        assert sorted(ptr for ptr, _ in prepared.warnings) == [
            "/components/schemas/foo-bar",
            "/components/schemas/foo_bar",
        ]
        assert all("also class FooBar" in message for _, message in prepared.warnings)


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("inline_names")
    with compiled_package(SPEC, "inline_names_client", folder) as p:
        yield p


def test_renamed_classes_parse_responses(pkg: Any) -> None:
    async def events(request: Request) -> JSONResponse:
        return JSONResponse([{"type": "click", "x": 1}, {"type": "scroll", "dy": 2}])

    async def doc(request: Request) -> JSONResponse:
        return JSONResponse({"title": "t", "categorySlug": "guides"})

    routes = [Route("/events", events), Route("/docs", doc)]
    with serve(Starlette(routes=routes)) as url, pkg.InlineNames(base_url=url) as client:
        click, scroll = client.list_events()
        assert isinstance(click, pkg.EventClick) and click.x == 1
        assert isinstance(scroll, pkg.EventScroll) and scroll.dy == 2
        found = client.get_doc()
        inner = getattr(found, "root", found)
        assert isinstance(inner, pkg.DocWithCategorySlug) and inner.category_slug == "guides"


def test_the_package_type_checks(pkg: Any) -> None:
    """Renamed classes and root models over tagged variants (``RootModel[EventClick |
    EventScroll | APIModel]``: the base names the open union its root has)."""
    done = mypy_strict(pkg)
    assert done.returncode == 0, done.stdout + done.stderr


# -- stability: the same schema gets the same name whatever the order of the keys -----


def _shuffled(node: Any, rng: random.Random) -> Any:
    """Every mapping's keys in a random order (lists keep theirs: their order is meaning)."""
    if isinstance(node, dict):
        items = list(node.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(node, list):
        return [_shuffled(v, rng) for v in node]
    return node


def _names_by_pointer(document: dict[str, Any]) -> dict[str, str]:
    prepared = run_deep(lambda: prepare(document))
    out = {pointer: cls for cls, pointer in prepared.origin.items()}
    for owner, variants in prepared.variant_names.items():
        out.update({f"{prepared.origin[owner]}#{i}": v for i, v in enumerate(variants)})
    out.update({f"twin of {c}": t for c, t in prepared.request_shapes.items()})
    out.update({f"copy at {p}": c for p, c in prepared.aliases.items()})
    return out


@pytest.mark.parametrize(
    "spec",
    [
        SPEC,
        pytest.param(OAS / "3.0" / "polymorphism.yaml", marks=needs_corpus),
        pytest.param(OAS / "3.1" / "train-travel.yaml", marks=needs_corpus),
        pytest.param(CORPUS / "spotify.yaml", marks=needs_corpus),
    ],
    ids=lambda p: p.name if p.name != "openapi.yaml" else "inline_names",
)
def test_names_do_not_depend_on_key_order(spec: Path) -> None:
    document = run_deep(lambda: load_spec(spec).document)
    expected = _names_by_pointer(document)
    for seed in (1, 2):
        assert _names_by_pointer(_shuffled(document, random.Random(seed))) == expected


def _class_bodies(files: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Each class: its bases and statements, sorted (reordered properties reorder fields)."""
    out = {}
    for path, text in files.items():
        if path.startswith("models/") and path.endswith(".py"):
            for node in ast.parse(text).body:
                if isinstance(node, ast.ClassDef):
                    parts = [ast.unparse(b) for b in node.bases]
                    out[node.name] = (*parts, *sorted(ast.unparse(s) for s in node.body))
    return out


def test_a_reordered_file_compiles_to_the_same_classes(tmp_path: Path, compiled: Any) -> None:
    """End to end: components, paths and properties written in reverse order; every
    class has the same name and the same fields (``DocWithCategory`` is still the one
    requiring ``category``)."""
    raw = yaml.safe_load(SPEC.read_text())

    def reverse(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: reverse(node[k]) for k in reversed(list(node))}
        return [reverse(v) for v in node] if isinstance(node, list) else node

    raw["paths"] = reverse(raw["paths"])
    raw["components"] = reverse(raw["components"])
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    again = compile_spec(tmp_path / "openapi.yaml", package="inline_names_client")
    expected = _class_bodies(compiled.files)
    assert len(expected) > 20 and _class_bodies(again.files) == expected


# -- the corpus cases issue 10 lists ------------------------------------------------


@needs_corpus
@pytest.mark.parametrize(
    ("spec", "expected", "gone"),
    [
        ("3.0/complex-nesting.yaml", {"MultischemaOfEverythingObject"}, "Variant"),
        ("3.0/polymorphism.yaml", {"Object1", "Object2"}, r"Variant|TypeOfObject"),
        ("3.1/train-travel.yaml", {"GetBookingsResponseLinks"}, r"Links\d"),
    ],
)
def test_corpus_hoisted_names(spec: str, expected: set[str], gone: str) -> None:
    prepared = run_deep(lambda: prepare(load_spec(OAS / spec).document))
    found = set(prepared.origin)
    assert expected <= found
    assert not [n for n in found if re.search(gone, n)]
    assert not prepared.warnings


@needs_corpus
def test_corpus_inline_copies_of_a_titled_component_are_the_component() -> None:
    """polymorphism.yaml writes components ``object1`` / ``object2`` (titled "First type
    of object", "Second type of object") out again as the members of two unions."""
    prepared = run_deep(lambda: prepare(load_spec(OAS / "3.0" / "polymorphism.yaml").document))
    body = "/paths/~1anything~1{}/post/requestBody/content/application~1json/schema/{}/{}"
    for path, key in (("one-of-object", "oneOf"), ("any-of-object", "anyOf")):
        assert prepared.aliases[body.format(path, key, 0)] == "Object1"
        assert prepared.aliases[body.format(path, key, 1)] == "Object2"


@needs_corpus
@pytest.mark.parametrize(
    ("spec", "expected", "gone"),
    [
        (
            "3.0/discriminators.yaml",
            {
                "PatchMappingWithDuplicateSchemasRequestOptionOneNoDisc",
                "PatchMappingWithDuplicateSchemasRequestOptionTwoNoDisc",
                "PatchMappingWithDuplicateSchemasRequestThree",
                "Object1",  # components/schemas/object1: the spec's own name
            },
            r"Request\d",
        ),
        (
            "3.0/readme.yaml",
            {"DocSchemaPostCategoryParameter", "DocSchemaPostCategorySlugParameter"},
            r"DocSchemaPost\d",
        ),
    ],
)
def test_corpus_merged_variant_names(spec: str, expected: set[str], gone: str) -> None:
    compiled = compile_spec(OAS / spec, package="corpus_client")
    found = classes(compiled.files)
    assert expected <= found
    assert not [n for n in found if re.search(gone, n)]
    assert not [w for w in compiled.warnings if "apart" in str(w) or "taken" in str(w)]


def test_an_enum_listing_a_value_twice_has_one_member_per_value(tmp_path: Path) -> None:
    """``['', '', 'a', 'a']`` (oas-examples schema-enums.yaml) made two members named
    alike, a class Python refuses; the first ``x-enum-varnames`` entry names the value."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Dupes", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Status": {
                    "type": "string",
                    "enum": ["", "", "on", "off", "on"],
                    "x-enum-varnames": ["NONE_SET", "BLANK", "ACTIVE", "INACTIVE", "AGAIN"],
                },
                "Level": {"type": "integer", "enum": [1, 2, 1]},
            }
        },
    }
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(spec))
    with compiled_package(tmp_path / "openapi.yaml", "dupes_client", tmp_path) as pkg:
        assert [(m.name, m.value) for m in pkg.Status] == [
            ("NONE_SET", ""),
            ("ACTIVE", "on"),
            ("INACTIVE", "off"),
        ]
        assert [m.value for m in pkg.Level] == [1, 2]
