"""``prepare`` copies the bundled document with its own copier (a third of
``copy.deepcopy``'s time, on the diff's and the compiler's path); it must copy as
``deepcopy`` does: nothing of the caller's document changes, and an object reached
twice (a YAML alias) stays one object, so hoisting names it as it did before."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from codegen.ir import schemas
from codegen.ir.schemas import prepare

ALIASED = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: &pet
                type: object
                properties:
                  kind: {type: string, enum: [cat, dog]}
                  owner: {$ref: '#/components/schemas/pet_owner'}
                  tag: {type: object, properties: {name: {type: string}}}
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema: *pet
      responses:
        '201':
          description: ok
          content:
            application/json:
              schema: *pet
components:
  schemas:
    pet_owner:
      type: object
      properties:
        name: {type: string}
"""


def _deepcopy_renaming(node: Any, refs: dict[str, str] | None = None) -> Any:
    """What ``_copy`` must give: ``deepcopy``, then each ``$ref`` in ``refs`` rewritten
    (once per object, however often it is reached)."""
    out = copy.deepcopy(node)
    done: set[int] = set()
    todo = [out]
    while todo:
        item = todo.pop()
        if id(item) in done:
            continue
        done.add(id(item))
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str) and item["$ref"] in (refs or {}):
                item["$ref"] = (refs or {})[item["$ref"]]
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return out


def test_copy_keeps_shared_objects_shared_and_the_original_intact() -> None:
    shared: dict[str, Any] = {"type": "string", "enum": ["a", None]}
    doc: dict[str, Any] = {"a": shared, "b": [shared, {"x": 1.5, "y": True}], "c": {1, 2}}
    doc["self"] = doc  # a cycle
    before = copy.deepcopy(doc)
    out = schemas._copy(doc)
    assert out["a"] is out["b"][0] and out["a"] is not shared
    assert out["self"] is out
    assert out["c"] == {1, 2} and out["c"] is not doc["c"]  # other types: deepcopy
    out["a"]["enum"].append("z")
    assert doc["a"] == before["a"] and out["a"]["enum"][-1] == "z"


def test_copy_rewrites_the_refs_it_is_given_once() -> None:
    target: dict[str, Any] = {"$ref": "#/a"}
    doc = {"x": target, "y": [target, {"$ref": "#/b"}], "z": {"$ref": "#/c"}}
    out = schemas._copy(doc, {"#/a": "#/b", "#/b": "#/c"})
    assert out["x"] is out["y"][0] and out["x"] == {"$ref": "#/b"}  # not #/c: once
    assert out["y"][1] == {"$ref": "#/c"} and out["z"] == {"$ref": "#/c"}
    assert doc["x"] == {"$ref": "#/a"}  # the original is untouched


def test_prepare_of_an_aliased_document_is_what_deepcopy_gave(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = yaml.safe_load(ALIASED)  # PyYAML keeps an alias one object
    ops = document["paths"]["/pets"]
    body = ops["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body is ops["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    original = copy.deepcopy(document)
    mine = prepare(document)
    assert document == original  # the caller's document is untouched
    monkeypatch.setattr(schemas, "_copy", _deepcopy_renaming)
    theirs = prepare(document)
    assert mine.document == theirs.document
    assert mine.renamed == {"pet_owner": "PetOwner"}  # a $ref was rewritten
    assert list(mine.document["components"]["schemas"]) == list(
        theirs.document["components"]["schemas"]
    )
    for name in ("renamed", "origin", "enum_members", "aliases", "warnings", "request_shapes"):
        assert getattr(mine, name) == getattr(theirs, name), name
