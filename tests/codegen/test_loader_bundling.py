"""Spec loading and bundling (codegen.load.loader): a multi-file spec becomes one document of
plain Python values with local refs, pointers locate their file and line, OpenAPI 3.1 ref
siblings, the content hash, JSON specs and YAML 1.2 scalars, and every spec of the shared
corpus (when present) loads and validates."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from codegen.diagnostics import split_pointer
from codegen.load.loader import load_spec
from tests.codegen.loader_support import CORPUS, GOOD, HEADER, assert_bundled, load_valid, write


def test_multifile_bundles_into_one_document() -> None:
    spec = load_valid(GOOD / "openapi.yaml")
    doc = spec.document
    assert spec.openapi_version == "3.0.3" and not spec.is_31
    assert spec.root == (GOOD / "openapi.yaml").resolve()
    assert [p.relative_to(GOOD).as_posix() for p in spec.files] == [
        "common.yaml",
        "openapi.yaml",
        "paths/batches.yaml",
        "paths/tasks.yaml",
        "schemas/batch.yaml",
        "schemas/params.yaml",
        "schemas/task.yaml",
    ]
    assert_bundled(spec)
    # path items are put in place
    list_tasks = doc["paths"]["/tasks"]["get"]
    assert list_tasks["operationId"] == "listTasks"
    assert doc["paths"]["/tasks/{taskId}"]["parameters"][0]["name"] == "taskId"
    # a root components entry is the home of the node it refers to
    schemas = doc["components"]["schemas"]
    assert list(schemas) == ["Task", "Error", "Batch"]
    assert schemas["Error"]["properties"]["error"] == {"type": "string"}  # a whole file
    assert list_tasks["parameters"][0] == {"$ref": "#/components/parameters/Limit"}
    assert doc["components"]["parameters"]["Limit"]["name"] == "limit"
    # a parameter used once is put in place
    assert list_tasks["parameters"][1] == {
        "name": "cursor",
        "in": "query",
        "schema": {"type": "string"},
    }
    # a response used twice is hoisted, under its last pointer segment
    assert list_tasks["responses"]["default"] == {"$ref": "#/components/responses/ErrorResponse"}
    error_schema = doc["components"]["responses"]["ErrorResponse"]["content"]["application/json"]
    assert error_schema["schema"] == {"$ref": "#/components/schemas/Error"}
    # recursive schema: the ref stays a ref
    task = schemas["Task"]
    assert task["properties"]["subtasks"]["items"] == {"$ref": "#/components/schemas/Task"}
    # Batch is referenced from task.yaml and batches.yaml: hoisted once
    assert task["properties"]["batch"] == {"$ref": "#/components/schemas/Batch"}
    docs = doc["paths"]["/batches"]["get"]["responses"]["200"]["content"]["application/json"]
    assert docs["schema"]["properties"]["docs"]["items"] == {"$ref": "#/components/schemas/Batch"}
    assert schemas["Batch"]["properties"]["parent"] == {"$ref": "#/components/schemas/Batch"}


def test_multifile_plain_python_values() -> None:
    spec = load_spec(GOOD / "openapi.yaml")

    def check(node: Any) -> None:
        assert type(node) in (dict, list, str, int, float, bool, type(None)), type(node)
        if isinstance(node, dict):
            assert all(type(k) is str for k in node)
            for value in node.values():
                check(value)
        elif isinstance(node, list):
            for value in node:
                check(value)

    check(spec.document)
    assert list(spec.document) == ["openapi", "info", "paths", "components"]  # key order kept
    assert list(spec.document["paths"]["/tasks"]["get"]["responses"]) == ["200", "default"]


@pytest.mark.parametrize(
    ("pointer", "file", "line"),
    [
        ("", "openapi.yaml", 1),
        ("/info/title", "openapi.yaml", 3),
        ("/components/schemas/Batch/properties/name", "schemas/batch.yaml", 4),
        ("/components/schemas/Batch/properties/name/type", "schemas/batch.yaml", 5),
        ("/components/schemas/Task/properties/subtasks/items/$ref", "schemas/task.yaml", 14),
        ("/components/schemas/Error", "common.yaml", 1),
        ("/components/parameters/Limit/in", "schemas/params.yaml", 3),
        ("/paths/~1tasks/get/parameters/1/name", "schemas/params.yaml", 7),
        ("/paths/~1tasks/get/parameters/0", "paths/tasks.yaml", 5),
        ("/paths/~1tasks/get/responses/200/headers/x-next", "paths/tasks.yaml", 11),
        ("/paths/~1batches/get/x-pagination/style", "paths/batches.yaml", 5),
        ("/components/responses/ErrorResponse/content", "paths/tasks.yaml", 45),
        # deepest existing node when the pointer goes on past the document
        ("/paths/~1tasks/get/operationId/nothing/here", "paths/tasks.yaml", 3),
        # through a $ref to where the node really is
        ("/paths/~1tasks/get/parameters/0/schema", "schemas/params.yaml", 4),
    ],
)
def test_locate(pointer: str, file: str, line: int) -> None:
    spec = load_spec(GOOD / "openapi.yaml")
    assert spec.locate(pointer) == ((GOOD / file).resolve(), line)
    # a pointer given as the validator's path segments works the same
    assert spec.locate(split_pointer(pointer)) == ((GOOD / file).resolve(), line)


def test_error_helper_points_into_the_originating_file() -> None:
    spec = load_spec(GOOD / "openapi.yaml")
    err = spec.error("/components/schemas/Batch/properties/name", "boom")
    assert err.file.name == "batch.yaml" and err.line == 4
    assert err.pointer == "/Batch/properties/name"
    assert str(err).endswith("batch.yaml:4: /Batch/properties/name: boom")


def test_openapi_31_ref_siblings(tmp_path: Path) -> None:
    spec = load_valid(GOOD / "openapi31.yaml")
    assert spec.openapi_version == "3.1.0" and spec.is_31
    assert_bundled(spec)
    get = spec.document["paths"]["/tasks/{taskId}"]["get"]
    # a sibling next to $ref keeps the reference object (and so hoists its target)
    assert get["parameters"][1] == {
        "$ref": "#/components/parameters/Limit",
        "description": "How many, at most.",
    }
    schema = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {
        "$ref": "#/components/schemas/Task",
        "description": "The task, with its subtasks.",
    }
    assert set(spec.document["components"]["schemas"]) == {"Task", "Batch"}
    # a 3.1 path item reference: its summary overrides the target's
    write(
        tmp_path / "items.yaml",
        'items:\n  summary: original\n  get:\n    responses:\n      "200": {description: ok}\n',
    )
    root = write(
        tmp_path / "openapi.yaml",
        HEADER.replace("3.0.3", "3.1.0")
        + "paths:\n  /items:\n    $ref: items.yaml#/items\n    summary: mine\n",
    )
    item = load_valid(root).document["paths"]["/items"]
    assert item["summary"] == "mine" and "get" in item


def test_sha256_changes_with_any_file(tmp_path: Path) -> None:
    copy = tmp_path / "spec"
    shutil.copytree(GOOD, copy)
    first = load_spec(copy / "openapi.yaml").sha256
    assert load_spec(copy / "openapi.yaml").sha256 == first
    assert load_spec(GOOD / "openapi.yaml").sha256 == first  # relative paths, not absolute
    batch = copy / "schemas" / "batch.yaml"
    batch.write_text(batch.read_text() + "    description: changed\n")
    second = load_spec(copy / "openapi.yaml").sha256
    assert second != first
    assert len(second) == 64


def test_json_spec_and_json_refs(tmp_path: Path) -> None:
    write(
        tmp_path / "schemas.json",
        '{\n  "Pet": {\n    "type": "object",\n'
        '    "properties": {"kids": {"type": "array",'
        ' "items": {"$ref": "#/Pet"}}}\n  }\n}\n',
    )
    root = write(
        tmp_path / "openapi.json",
        """{
  "openapi": "3.0.3",
  "info": {"title": "J", "version": "1"},
  "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok",
    "content": {"application/json": {"schema": {"$ref": "schemas.json#/Pet"}}}}}}}}
}
""",
    )
    spec = load_valid(root)
    assert_bundled(spec)
    pet = spec.document["components"]["schemas"]["Pet"]
    assert pet["properties"]["kids"]["items"] == {"$ref": "#/components/schemas/Pet"}
    assert spec.locate("/components/schemas/Pet/type") == (tmp_path / "schemas.json", 3)
    assert spec.locate("/info/title") == (tmp_path / "openapi.json", 3)


def test_yaml_12_scalars(tmp_path: Path) -> None:
    root = write(
        tmp_path / "openapi.yaml",
        HEADER
        + """paths:
  /a:
    get:
      responses:
        200:
          description: ok
          content:
            application/json:
              schema:
                type: string
                enum: [yes, no, on, off, 2020-01-01, "3"]
                example: 1.5
""",
    )
    spec = load_valid(root)
    response = spec.document["paths"]["/a"]["get"]["responses"]["200"]
    schema = response["content"]["application/json"]["schema"]
    assert schema["enum"] == ["yes", "no", "on", "off", "2020-01-01", "3"]
    assert schema["example"] == 1.5


# ------------------------------------------------------------------ the corpus

CORPUS_SPECS = sorted(CORPUS.glob("*.yaml")) + sorted(CORPUS.glob("*.json"))


@pytest.mark.skipif(not CORPUS_SPECS, reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", CORPUS_SPECS, ids=[p.name for p in CORPUS_SPECS])
def test_corpus_spec_loads_and_validates(path: Path) -> None:
    spec = load_valid(path)
    assert [f.resolve() for f in spec.files] == [path.resolve()]
    assert spec.openapi_version.startswith("3.")
    assert_bundled(spec)


def test_an_operation_in_its_own_file_and_a_description_in_markdown_are_followed(
    tmp_path: Path,
) -> None:
    """``get: {$ref: resources/x.yml}`` puts the operation in place (it has no component
    section to be hoisted into), and ``description: {$ref: docs/x.md}`` (Redocly's way of
    keeping long text apart) puts the file's text in place, not a schema."""
    write(
        tmp_path / "openapi.yaml",
        "openapi: 3.0.3\ninfo: {title: Refs, version: '1'}\n"
        "tags:\n  - name: items\n    description:\n      $ref: docs/items.md\n"
        "paths:\n  /items:\n    get:\n      $ref: resources/list_items.yml\n",
    )
    write(tmp_path / "docs" / "items.md", "# Items\n\nEverything about *items*.\n")
    write(
        tmp_path / "resources" / "list_items.yml",
        "operationId: listItems\nresponses:\n  '200':\n    description: ok\n",
    )
    spec = load_spec(tmp_path / "openapi.yaml")
    document = spec.document
    assert document["tags"][0]["description"] == "# Items\n\nEverything about *items*.\n"
    assert document["paths"]["/items"]["get"]["operationId"] == "listItems"
    assert "components" not in document or not document["components"].get("schemas")
