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
"""


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
    monkeypatch.setattr(schemas, "_copy", copy.deepcopy)
    theirs = prepare(document)
    assert mine.document == theirs.document
    assert list(mine.document["components"]["schemas"]) == list(
        theirs.document["components"]["schemas"]
    )
    for name in ("renamed", "origin", "enum_members", "aliases", "warnings", "request_shapes"):
        assert getattr(mine, name) == getattr(theirs, name), name
