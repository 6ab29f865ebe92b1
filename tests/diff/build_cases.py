"""Writes ``cases/<rule>/{old,new}.yaml``: one small spec pair per rule of the catalogue.

    python tests/diff/build_cases.py            # (re)write the pairs
    python tests/diff/test_cases.py --regen     # then their expected.json (review the diff!)

Each pair is the base spec below with one edit; the YAML files are the fixtures the
tests read, this script only documents how each was made and rebuilds them at once.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent / "cases"
J = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def body(schema: Any) -> dict[str, Any]:
    return {"content": {J: {"schema": schema}}}


BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1.0.0"},
    "servers": [{"url": "https://api.example.com"}],
    "security": [{"key": []}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "list_pets",
                "tags": ["pets"],
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["available", "sold"]},
                    },
                ],
                "responses": {
                    "200": {"description": "ok", **body({"type": "array", "items": ref("Pet")})}
                },
            },
            "post": {
                "operationId": "create_pet",
                "tags": ["pets"],
                "requestBody": {"required": True, **body(ref("NewPet"))},
                "responses": {
                    "200": {"description": "ok", **body(ref("Pet"))},
                    "409": {"description": "conflict"},
                },
            },
        },
        "/pets/{petId}": {
            "get": {
                "operationId": "get_pet",
                "tags": ["pets"],
                "parameters": [
                    {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {"X-Rate": {"required": True, "schema": {"type": "integer"}}},
                        **body(ref("Pet")),
                    },
                    "404": {"description": "not found"},
                },
            },
            "delete": {
                "operationId": "delete_pet",
                "tags": ["pets"],
                "parameters": [
                    {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {"204": {"description": "deleted"}},
            },
        },
    },
    "components": {
        "securitySchemes": {
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "https://api.example.com/token",
                        "scopes": {"read": "read", "write": "write"},
                    }
                },
            },
        },
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string", "maxLength": 64},
                    "tag": {"type": "string"},
                    "status": {"type": "string", "enum": ["available", "sold"]},
                    "weight": {"type": "number"},
                    "owner": {"anyOf": [{"type": "string"}, ref("Owner")]},
                },
            },
            "Owner": {"type": "object", "properties": {"email": {"type": "string"}}},
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 64},
                    "tag": {"type": "string"},
                    "kind": {"type": "string", "enum": ["cat", "dog"]},
                    "age": {"type": "integer", "minimum": 0},
                    "color": {"type": "string", "default": "brown"},
                    "born": {"type": "string", "format": "date"},
                    "nick": {"type": ["string", "null"]},
                    "food": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                },
            },
        },
    },
}

Edit = Callable[[dict[str, Any]], None]


def pets(d: dict[str, Any]) -> dict[str, Any]:
    return d["paths"]["/pets"]


def get_pet(d: dict[str, Any]) -> dict[str, Any]:
    return d["paths"]["/pets/{petId}"]["get"]


def schema(d: dict[str, Any], name: str) -> dict[str, Any]:
    return d["components"]["schemas"][name]


def prop(d: dict[str, Any], name: str, p: str) -> dict[str, Any]:
    return schema(d, name)["properties"][p]


def param(d: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in pets(d)["get"]["parameters"] if p["name"] == name)


def setx(target: Callable[[dict[str, Any]], dict[str, Any]], **kv: Any) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        node = target(d)
        for k, v in kv.items():
            k = k.replace("__", "-").rstrip("_")
            if v is None:
                node.pop(k, None)
            else:
                node[k] = v

    return edit


def seq(*edits: Edit) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        for e in edits:
            e(d)

    return edit


def deprecate_get_pet(d: dict[str, Any]) -> None:
    get_pet(d)["deprecated"] = True


def remove_get_pet(d: dict[str, Any]) -> None:
    del d["paths"]["/pets/{petId}"]["get"]


def add_required_prop(name: str, p: str, spec: dict[str, Any]) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        schema(d, name)["properties"][p] = spec
        schema(d, name)["required"].append(p)

    return edit


def add_prop(name: str, p: str, spec: dict[str, Any]) -> Edit:
    return lambda d: schema(d, name)["properties"].__setitem__(p, spec)


def del_prop(name: str, p: str) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        del schema(d, name)["properties"][p]
        if p in schema(d, name).get("required", []):
            schema(d, name)["required"].remove(p)

    return edit


def require(name: str, p: str) -> Edit:
    return lambda d: schema(d, name)["required"].append(p)


def unrequire(name: str, p: str) -> Edit:
    return lambda d: schema(d, name)["required"].remove(p)


def move_path(d: dict[str, Any]) -> None:
    d["paths"]["/animals/{petId}"] = {"get": d["paths"]["/pets/{petId}"].pop("get")}


def move_path_more(d: dict[str, Any]) -> None:
    op = d["paths"]["/pets/{petId}"].pop("get")
    op["parameters"].append(
        {"name": "shop", "in": "path", "required": True, "schema": {"type": "string"}}
    )
    d["paths"]["/shops/{shop}/pets/{petId}"] = {"get": op}


def rename_schema(old: str, new: str) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        text = yaml.safe_dump(d, sort_keys=False).replace(f"schemas/{old}'", f"schemas/{new}'")
        d.clear()
        d.update(yaml.safe_load(text))
        schemas = d["components"]["schemas"]
        d["components"]["schemas"] = {(new if k == old else k): v for k, v in schemas.items()}

    return edit


def pet_status_enum_class(d: dict[str, Any]) -> None:
    schema(d, "Pet")["properties"]["status"] = ref("Status")
    d["components"]["schemas"]["Status"] = {"type": "string", "enum": ["available", "sold"]}


def errors(d: dict[str, Any]) -> None:
    d["x-errors"] = {"base": "PetsError", "codes": {"not_found": "PetMissing"}}


CASES: dict[str, tuple[Edit | None, Edit]] = {
    # endpoints
    "endpoint-added": (
        None,
        lambda d: pets(d).__setitem__(
            "put",
            {
                "operationId": "replace_pets",
                "tags": ["pets"],
                "responses": {"204": {"description": "ok"}},
            },
        ),
    ),
    "endpoint-removed": (None, remove_get_pet),
    "endpoint-removed-after-deprecation": (deprecate_get_pet, remove_get_pet),
    "endpoint-deprecated": (None, seq(deprecate_get_pet, setx(get_pet, x__sunset="2027-01-01"))),
    "endpoint-reactivated": (deprecate_get_pet, lambda d: get_pet(d).pop("deprecated")),
    "endpoint-deprecated-without-sunset": (None, deprecate_get_pet),
    "endpoint-path-changed": (None, move_path),
    "endpoint-stability-decreased": (
        setx(get_pet, x__stability__level="stable"),
        setx(get_pet, x__stability__level="beta"),
    ),
    "operation-id-changed": (
        None,
        setx(get_pet, operationId="fetch_pet", x__python__name="get_pet"),
    ),
    "operation-tags-changed": (None, setx(get_pet, tags=["pets", "read"])),
    # API-wide
    "api-version-not-bumped": (
        None,
        seq(remove_get_pet, lambda d: d["info"].__setitem__("version", "1.1.0")),
    ),
    "server-url-changed": (None, setx(lambda d: d["servers"][0], url="https://v2.example.com")),
    "security-added": (None, setx(get_pet, security=[{"oauth": ["read"]}])),
    "security-removed": (None, setx(get_pet, security=[])),
    "security-scope-added": (
        setx(get_pet, security=[{"oauth": ["read"]}]),
        setx(get_pet, security=[{"oauth": ["read", "write"]}]),
    ),
    "security-scope-removed": (
        setx(get_pet, security=[{"oauth": ["read", "write"]}]),
        setx(get_pet, security=[{"oauth": ["read"]}]),
    ),
    "security-scheme-changed": (
        None,
        setx(lambda d: d["components"]["securitySchemes"]["key"], name="X-Api-Key"),
    ),
    # parameters
    "request-parameter-added-required": (
        None,
        lambda d: pets(d)["get"]["parameters"].append(
            {"name": "shop", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
    ),
    "request-parameter-added-optional": (
        None,
        lambda d: pets(d)["get"]["parameters"].append(
            {"name": "shop", "in": "query", "schema": {"type": "string"}}
        ),
    ),
    "request-parameter-removed": (None, lambda d: pets(d)["get"]["parameters"].pop(0)),
    "request-parameter-became-required": (None, setx(lambda d: param(d, "limit"), required=True)),
    "request-parameter-became-optional": (
        setx(lambda d: param(d, "limit"), required=True),
        setx(lambda d: param(d, "limit"), required=None),
    ),
    "request-parameter-deprecated": (None, setx(lambda d: param(d, "limit"), deprecated=True)),
    "request-parameter-serialization-changed": (
        None,
        setx(lambda d: param(d, "status"), style="pipeDelimited"),
    ),
    "request-path-parameter-added": (None, move_path_more),
    # request bodies
    "request-body-added-required": (
        None,
        setx(get_pet, requestBody={"required": True, **body({"type": "object"})}),
    ),
    "request-body-added-optional": (None, setx(get_pet, requestBody=body({"type": "object"}))),
    "request-body-removed": (None, lambda d: pets(d)["post"].pop("requestBody")),
    "request-body-became-required": (
        setx(lambda d: pets(d)["post"]["requestBody"], required=False),
        setx(lambda d: pets(d)["post"]["requestBody"], required=True),
    ),
    "request-body-became-optional": (
        None,
        setx(lambda d: pets(d)["post"]["requestBody"], required=False),
    ),
    "request-media-type-added": (
        None,
        lambda d: pets(d)["post"]["requestBody"]["content"].__setitem__(
            "application/x-www-form-urlencoded", {"schema": ref("NewPet")}
        ),
    ),
    "request-media-type-removed": (
        lambda d: pets(d)["post"]["requestBody"]["content"].__setitem__(
            "application/x-www-form-urlencoded", {"schema": ref("NewPet")}
        ),
        lambda d: pets(d)["post"]["requestBody"]["content"].pop(
            "application/x-www-form-urlencoded"
        ),
    ),
    # responses
    "response-success-status-added": (
        None,
        lambda d: get_pet(d)["responses"].__setitem__("202", {"description": "accepted"}),
    ),
    "response-success-status-removed": (
        lambda d: get_pet(d)["responses"].__setitem__("202", {"description": "accepted"}),
        lambda d: get_pet(d)["responses"].pop("202"),
    ),
    "response-error-status-added": (
        None,
        lambda d: get_pet(d)["responses"].__setitem__("410", {"description": "gone"}),
    ),
    "response-error-status-removed": (None, lambda d: get_pet(d)["responses"].pop("404")),
    "response-media-type-added": (
        None,
        lambda d: get_pet(d)["responses"]["200"]["content"].__setitem__(
            "application/xml", {"schema": ref("Pet")}
        ),
    ),
    "response-media-type-removed": (
        None,
        lambda d: get_pet(d)["responses"]["200"].__setitem__(
            "content", {"application/xml": {"schema": ref("Pet")}}
        ),
    ),
    "response-header-added": (
        None,
        lambda d: get_pet(d)["responses"]["200"]["headers"].__setitem__(
            "X-Trace", {"schema": {"type": "string"}}
        ),
    ),
    "response-required-header-removed": (
        None,
        lambda d: get_pet(d)["responses"]["200"].pop("headers"),
    ),
    "response-header-became-optional": (
        None,
        lambda d: get_pet(d)["responses"]["200"]["headers"]["X-Rate"].pop("required"),
    ),
    # request schemas
    "request-property-added-required": (
        None,
        add_required_prop("NewPet", "species", {"type": "string"}),
    ),
    "request-property-added-optional": (None, add_prop("NewPet", "species", {"type": "string"})),
    "request-property-removed": (None, del_prop("NewPet", "tag")),
    "request-property-became-required": (None, require("NewPet", "tag")),
    "request-property-became-optional": (require("NewPet", "tag"), unrequire("NewPet", "tag")),
    "request-became-nullable": (
        None,
        setx(lambda d: prop(d, "NewPet", "tag"), type=["string", "null"]),
    ),
    "request-became-not-nullable": (None, setx(lambda d: prop(d, "NewPet", "nick"), type="string")),
    "request-type-changed": (None, setx(lambda d: prop(d, "NewPet", "tag"), type="boolean")),
    "request-type-generalized": (None, setx(lambda d: prop(d, "NewPet", "age"), type="number")),
    "request-type-specialized": (
        setx(lambda d: prop(d, "NewPet", "age"), type="number"),
        setx(lambda d: prop(d, "NewPet", "age"), type="integer"),
    ),
    "request-format-changed": (None, setx(lambda d: prop(d, "NewPet", "born"), format="date-time")),
    "request-enum-value-added": (
        None,
        setx(
            lambda d: param(d, "status"),
            schema={"type": "string", "enum": ["available", "sold", "pending"]},
        ),
    ),
    "request-enum-value-removed": (
        None,
        setx(lambda d: param(d, "status"), schema={"type": "string", "enum": ["available"]}),
    ),
    "request-became-enum": (
        None,
        setx(lambda d: prop(d, "NewPet", "color"), enum=["brown", "white"]),
    ),
    "request-enum-removed": (None, setx(lambda d: prop(d, "NewPet", "kind"), enum=None)),
    "request-constraint-tightened": (None, setx(lambda d: prop(d, "NewPet", "name"), maxLength=32)),
    "request-constraint-relaxed": (None, setx(lambda d: prop(d, "NewPet", "name"), maxLength=128)),
    "request-union-member-added": (
        None,
        setx(
            lambda d: prop(d, "NewPet", "food"),
            oneOf=[{"type": "string"}, {"type": "integer"}, {"type": "boolean"}],
        ),
    ),
    "request-union-member-removed": (
        None,
        setx(
            lambda d: prop(d, "NewPet", "food"),
            oneOf=[{"type": "string"}, {"type": "boolean"}, {"type": "array"}],
        ),
    ),
    "request-default-changed": (None, setx(lambda d: prop(d, "NewPet", "color"), default="white")),
    "request-discriminator-changed": (
        lambda d: (
            schema(d, "NewPet")["properties"].__setitem__(
                "food",
                {"oneOf": [ref("Kibble"), ref("Fish")], "discriminator": {"propertyName": "kind"}},
            )
            or d["components"]["schemas"].update(
                {
                    "Kibble": {"type": "object", "properties": {"kind": {"type": "string"}}},
                    "Fish": {
                        "type": "object",
                        "properties": {"kind": {"type": "string"}, "n": {"type": "integer"}},
                    },
                }
            )
        ),
        lambda d: prop(d, "NewPet", "food").__setitem__("discriminator", {"propertyName": "type"}),
    ),
    # response schemas
    "response-required-property-added": (
        None,
        add_required_prop("Pet", "born", {"type": "string"}),
    ),
    "response-optional-property-added": (None, add_prop("Pet", "born", {"type": "string"})),
    "response-required-property-removed": (None, del_prop("Pet", "name")),
    "response-optional-property-removed": (None, del_prop("Pet", "tag")),
    "response-property-became-required": (None, require("Pet", "tag")),
    "response-property-became-optional": (None, unrequire("Pet", "name")),
    "response-became-nullable": (
        None,
        setx(lambda d: prop(d, "Pet", "tag"), type=["string", "null"]),
    ),
    "response-became-not-nullable": (
        setx(lambda d: prop(d, "Pet", "tag"), type=["string", "null"]),
        setx(lambda d: prop(d, "Pet", "tag"), type="string"),
    ),
    "response-type-changed": (None, setx(lambda d: prop(d, "Pet", "id"), type="string")),
    "response-type-generalized": (None, setx(lambda d: prop(d, "Pet", "id"), type="number")),
    "response-type-specialized": (None, setx(lambda d: prop(d, "Pet", "weight"), type="integer")),
    "response-format-changed": (None, setx(lambda d: prop(d, "Pet", "tag"), format="uuid")),
    "response-enum-value-added": (
        None,
        setx(lambda d: prop(d, "Pet", "status"), enum=["available", "sold", "adopted"]),
    ),
    "response-enum-value-removed": (
        None,
        setx(lambda d: prop(d, "Pet", "status"), enum=["available"]),
    ),
    "response-became-enum": (None, setx(lambda d: prop(d, "Pet", "tag"), enum=["a", "b"])),
    "response-enum-removed": (None, setx(lambda d: prop(d, "Pet", "status"), enum=None)),
    "response-constraint-tightened": (None, setx(lambda d: prop(d, "Pet", "name"), maxLength=32)),
    "response-constraint-relaxed": (None, setx(lambda d: prop(d, "Pet", "name"), maxLength=None)),
    "response-union-member-added": (
        None,
        setx(
            lambda d: prop(d, "Pet", "owner"),
            anyOf=[{"type": "string"}, ref("Owner"), {"type": "integer"}],
        ),
    ),
    "response-union-member-removed": (
        None,
        setx(
            lambda d: prop(d, "Pet", "owner"),
            anyOf=[ref("Owner"), {"type": "integer"}, {"type": "boolean"}],
        ),
    ),
    "response-default-changed": (None, setx(lambda d: prop(d, "Pet", "weight"), default=0)),
    "response-discriminator-changed": (
        lambda d: (
            prop(d, "Pet", "owner").__setitem__("anyOf", [ref("Owner"), ref("Shop")])
            or prop(d, "Pet", "owner").__setitem__("discriminator", {"propertyName": "email"})
            or d["components"]["schemas"].__setitem__(
                "Shop",
                {
                    "type": "object",
                    "properties": {"email": {"type": "string"}, "n": {"type": "integer"}},
                },
            )
        ),
        lambda d: prop(d, "Pet", "owner").__setitem__("discriminator", {"propertyName": "kind"}),
    ),
    # SDK level
    "method-added": (
        None,
        setx(lambda d: pets(d)["get"], x__methods={"iter_pets": {"kind": "call"}}),
    ),
    "method-removed": (
        setx(lambda d: pets(d)["get"], x__methods={"iter_pets": {"kind": "call"}}),
        setx(lambda d: pets(d)["get"], x__methods=None),
    ),
    "method-renamed": (None, setx(get_pet, operationId="fetch_pet")),
    "method-moved": (None, setx(get_pet, tags=["animals"])),
    "method-return-type-changed": (
        lambda d: get_pet(d)["responses"]["200"].__setitem__(
            "content", {J: {"schema": {"type": "object", "additionalProperties": True}}}
        ),
        lambda d: get_pet(d)["responses"]["200"].__setitem__(
            "content", {J: {"schema": ref("Owner")}}
        ),
    ),
    "method-parameter-renamed": (
        None,
        setx(lambda d: param(d, "limit"), x__python__name="max_items"),
    ),
    "path-parameter-renamed": (
        None,
        lambda d: (
            d["paths"].__setitem__(
                "/pets/{petId}",
                yaml.safe_load(yaml.safe_dump(d["paths"]["/pets/{petId}"]).replace("petId", "id")),
            )
            or d["paths"].__setitem__("/pets/{id}", d["paths"].pop("/pets/{petId}"))
        ),
    ),
    "method-parameter-became-required": (
        lambda d: get_pet(d).__setitem__(
            "requestBody", body({"type": "array", "items": {"type": "string"}})
        ),
        lambda d: get_pet(d)["requestBody"].__setitem__("required", True),
    ),
    "method-parameter-type-changed": (
        pet_status_enum_class,
        lambda d: (
            prop(d, "Pet", "status").update({"$ref": "#/components/schemas/Status"})
            or setx(lambda d: param(d, "status"), schema=ref("Status"))(d)
        ),
    ),
    "method-parameter-default-changed": (
        setx(
            lambda d: pets(d)["get"],
            x__methods={"first_pets": {"kind": "call", "defaults": {"limit": 10}}},
        ),
        setx(
            lambda d: pets(d)["get"],
            x__methods={"first_pets": {"kind": "call", "defaults": {"limit": 20}}},
        ),
    ),
    "error-status-added": (
        None,
        lambda d: get_pet(d)["responses"].__setitem__("429", {"description": "slow down"}),
    ),
    "error-status-removed": (None, lambda d: pets(d)["post"]["responses"].pop("409")),
    "error-class-changed": (
        None,
        lambda d: d.__setitem__("x-errors", {"classes": {"404": "PetNotFound"}}),
    ),
    "error-code-added": (errors, lambda d: d["x-errors"]["codes"].__setitem__("gone", "PetGone")),
    "error-code-removed": (
        errors,
        lambda d: d["x-errors"].__setitem__("codes", {"gone": "PetMissing"}),
    ),
    "class-added": (
        None,
        lambda d: d["components"]["schemas"].__setitem__(
            "Shop", {"type": "object", "properties": {"n": {"type": "integer"}}}
        ),
    ),
    "class-removed": (
        None,
        lambda d: (
            d["components"]["schemas"].pop("Owner")
            and prop(d, "Pet", "owner").__setitem__(
                "anyOf", [{"type": "string"}, {"type": "object"}]
            )
        ),
    ),
    "class-renamed": (None, rename_schema("Owner", "Person")),
    "model-field-renamed": (None, setx(lambda d: prop(d, "Pet", "tag"), x__python__name="label")),
    "enum-member-added": (
        pet_status_enum_class,
        setx(lambda d: schema(d, "Status"), enum=["available", "sold", "held"]),
    ),
    "enum-member-removed": (
        pet_status_enum_class,
        setx(lambda d: schema(d, "Status"), enum=["available"]),
    ),
    "enum-member-renamed": (
        pet_status_enum_class,
        setx(lambda d: schema(d, "Status"), x__enum__varnames=["AVAILABLE", "GONE"]),
    ),
    "public-name-added": (
        None,
        lambda d: d.__setitem__("x-errors", {"classes": {"418": "Teapot"}}),
    ),
    "public-name-removed": (
        lambda d: d.__setitem__("x-errors", {"classes": {"418": "Teapot"}}),
        lambda d: d.pop("x-errors"),
    ),
}


def write(folder: Path, doc: dict[str, Any], extra: dict[str, Any] | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "openapi.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, width=100))
    for name, data in (extra or {}).items():
        (folder / name).write_text(yaml.safe_dump(data, sort_keys=False, width=100))


# ------------------------------------------------------------ pure refactors
REFACTOR_DIR = Path(__file__).parent / "refactors"
Files = dict[str, Any]


def inline_with_title(d: dict[str, Any]) -> Files:
    """The request body's schema written inline (titled like the component)."""
    inline = dict(schema(d, "NewPet"), title="NewPet")
    pets(d)["post"]["requestBody"]["content"][J]["schema"] = inline
    del d["components"]["schemas"]["NewPet"]
    return {}


def allof(d: dict[str, Any]) -> Files:
    pet = schema(d, "Pet")
    d["components"]["schemas"]["PetIds"] = {
        "type": "object",
        "required": ["id"],
        "properties": {"id": pet["properties"].pop("id")},
    }
    pet["required"].remove("id")
    d["components"]["schemas"]["Pet"] = {"allOf": [ref("PetIds"), pet]}
    return {}


def allof_reordered(d: dict[str, Any]) -> Files:
    allof(d)
    schema(d, "Pet")["allOf"].reverse()
    return {}


def split_files(d: dict[str, Any]) -> Files:
    schemas = d["components"].pop("schemas")
    text = yaml.safe_dump(d, sort_keys=False).replace("'#/components/schemas/", "'schemas.yaml#/")
    d.clear()
    d.update(yaml.safe_load(text))
    inner = yaml.safe_dump(schemas, sort_keys=False).replace("'#/components/schemas/", "'#/")
    return {"schemas.yaml": yaml.safe_load(inner)}


def reorder_keys(d: dict[str, Any]) -> Files:
    def rev(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: rev(node[k]) for k in reversed(list(node))}
        if isinstance(node, list):
            return [rev(v) for v in node]
        return node

    flipped = rev(d)
    d.clear()
    d.update(flipped)
    return {}


def describe_more(d: dict[str, Any]) -> Files:
    d["info"]["description"] = "Now with words."
    pets(d)["get"]["summary"] = "List the pets"
    pets(d)["get"]["description"] = "Every pet, *paged*."
    param(d, "limit")["description"] = "How many."
    prop(d, "Pet", "name")["description"] = "What the pet answers to."
    schema(d, "Pet")["title"] = "Pet"
    get_pet(d)["responses"]["404"]["description"] = "No such pet, sorry."
    return {}


def nullable_any_of(d: dict[str, Any]) -> Files:
    prop(d, "NewPet", "nick").clear()
    prop(d, "NewPet", "nick")["anyOf"] = [{"type": "string"}, {"type": "null"}]
    return {}


def openapi_30(d: dict[str, Any]) -> Files:
    d["openapi"] = "3.0.3"
    prop(d, "NewPet", "nick").update({"type": "string", "nullable": True})
    return {}


def param_ref(d: dict[str, Any]) -> Files:
    d["components"]["parameters"] = {"Limit": param(d, "limit")}
    pets(d)["get"]["parameters"][0] = {"$ref": "#/components/parameters/Limit"}
    return {}


def response_ref(d: dict[str, Any]) -> Files:
    d["components"]["responses"] = {"NotFound": get_pet(d)["responses"]["404"]}
    get_pet(d)["responses"]["404"] = {"$ref": "#/components/responses/NotFound"}
    return {}


def path_item_params(d: dict[str, Any]) -> Files:
    item = d["paths"]["/pets/{petId}"]
    item["parameters"] = item["get"].pop("parameters")
    item["delete"].pop("parameters")
    return {}


def examples(d: dict[str, Any]) -> Files:
    prop(d, "Pet", "name")["examples"] = ["Rex"]
    param(d, "limit")["example"] = 20
    return {}


def enum_behind_ref(d: dict[str, Any]) -> Files:
    """oasdiff #929/#930: an inline enum inside anyOf moved to a component."""
    prop(d, "Pet", "owner")["anyOf"][0] = ref("OwnerName")
    d["components"]["schemas"]["OwnerName"] = {"type": "string"}
    return {}


REFACTORS: dict[
    str, tuple[Callable[[dict[str, Any]], Files] | None, Callable[[dict[str, Any]], Files]]
] = {
    "inline-schema-behind-ref": (inline_with_title, lambda d: {}),
    "allof-members-reordered": (allof, allof_reordered),
    "allof-split": (None, allof),
    "files-split": (None, split_files),
    "files-merged": (split_files, lambda d: {}),
    "keys-reordered": (None, reorder_keys),
    "descriptions-edited": (None, describe_more),
    "examples-edited": (None, examples),
    "nullable-31-forms": (None, nullable_any_of),
    "nullable-30-to-31": (openapi_30, lambda d: {}),
    "parameter-behind-ref": (None, param_ref),
    "response-behind-ref": (None, response_ref),
    "path-item-parameters": (None, path_item_params),
    "union-member-behind-ref": (None, enum_behind_ref),
}


def main() -> None:
    for rule, (before, after) in CASES.items():
        old = copy.deepcopy(BASE)
        if before is not None:
            before(old)
        new = copy.deepcopy(old)
        after(new)
        target = HERE / rule
        for side in ("old", "new"):
            if (target / side).exists():
                shutil.rmtree(target / side)
        write(target / "old", old)
        write(target / "new", new)
    print(f"{len(CASES)} pairs in {HERE}")
    for name, (before, after) in REFACTORS.items():
        target = REFACTOR_DIR / name
        if target.exists():
            shutil.rmtree(target)
        old = copy.deepcopy(BASE)
        old_files = before(old) if before is not None else {}
        new = copy.deepcopy(BASE)
        new_files = after(new) if before is None else {}
        if before is not None and name != "allof-members-reordered":
            new = copy.deepcopy(BASE)  # the refactor undone: old is the edited side
        elif name == "allof-members-reordered":
            new = copy.deepcopy(BASE)
            new_files = after(new)
        write(target / "old", old, old_files)
        write(target / "new", new, new_files)
    print(f"{len(REFACTORS)} refactors in {REFACTOR_DIR}")


if __name__ == "__main__":
    main()
