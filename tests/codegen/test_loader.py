"""Spec loading, bundling and validation: codegen.load.loader, codegen.spec.validate, codegen.diagnostics."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codegen.diagnostics import Diagnostic, SpecError, format_pointer, split_pointer
from codegen.load.loader import LoadedSpec, load_spec
from codegen.spec.extensions import EXTENSIONS
from codegen.spec.validate import validate

HERE = Path(__file__).parent
BAD = HERE / "bad_specs"
GOOD = HERE / "good_multifile"
CORPUS = Path(__file__).parents[2].parent / "shared" / "specs-corpus"

HEADER = 'openapi: 3.0.3\ninfo:\n  title: T\n  version: "1"\n'


def load_valid(path: Path) -> LoadedSpec:
    spec = load_spec(path)
    assert validate(spec) == []
    return spec


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key not in ("example", "examples", "default", "enum"):
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for seg in split_pointer(ref):
        node = node[int(seg)] if isinstance(node, list) else node[seg]
    return node


def assert_bundled(spec: LoadedSpec) -> None:
    """Every ref is local and points at something."""
    for ref in refs(spec.document):
        assert ref.startswith("#/"), ref
        resolve(spec.document, ref)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# ------------------------------------------------------------------ multi-file bundling


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


# ------------------------------------------------------------------ bad specs


@pytest.mark.parametrize(
    ("spec", "file", "line", "pointer", "message"),
    [
        (
            "yaml_syntax.yaml",
            "yaml_syntax.yaml",
            10,
            "",
            "YAML syntax error: did not find "
            "expected ',' or '}' (while parsing a flow mapping at line 9)",
        ),
        (
            "dangling_file.yaml",
            "dangling_file.yaml",
            14,
            "/paths/~1items/get/responses/200/content/application~1json/schema/$ref",
            "$ref 'schemas/missing.yaml#/Item': cannot read schemas/missing.yaml",
        ),
        (
            "dangling_pointer/openapi.yaml",
            "dangling_pointer/paths.yaml",
            9,
            "/items/get/responses/200/content/application~1json/schema/$ref",
            "$ref 'schemas.yaml#/Itme' points nowhere: schemas.yaml has no /Itme",
        ),
        (
            "nonroot_violation/openapi.yaml",
            "nonroot_violation/paths.yaml",
            7,
            "/items/post",
            "'responses' is a required property",
        ),
        (
            "nonroot_wrong_type/openapi.yaml",
            "nonroot_wrong_type/schemas.yaml",
            10,
            "/Item/properties/tags/maxItems",
            "'many' is not of type 'integer'",
        ),
        (
            "unknown_extension/openapi.yaml",
            "unknown_extension/paths.yaml",
            4,
            "/items/get/x-foo",
            "unknown extension 'x-foo'",
        ),
        (
            "bad_pagination.yaml",
            "bad_pagination.yaml",
            10,
            "/paths/~1items/get/x-pagination/style",
            "x-pagination: 'pages' is not one of cursor, offset, token",
        ),
        (
            "duplicate_key.yaml",
            "duplicate_key.yaml",
            11,
            "/paths/~1items",
            "duplicate key '/items' (first at line 6)",
        ),
        ("not_a_mapping.yaml", "not_a_mapping.yaml", 1, "", "the top level must be a mapping"),
        ("no_openapi.yaml", "no_openapi.yaml", 1, "", "missing 'openapi' field"),
        (
            "collision/openapi.yaml",
            "collision/schemas.yaml",
            1,
            "/Item",
            "cannot move this node to #/components/schemas/Item: that name is taken by "
            "openapi.yaml:18 (/components/schemas/Item)",
        ),
    ],
)
def test_bad_spec(spec: str, file: str, line: int, pointer: str, message: str) -> None:
    with pytest.raises(SpecError) as info:
        validate(load_spec(BAD / spec))
    err = info.value
    assert err.file == (BAD / file).resolve()
    assert (err.line, err.pointer) == (line, pointer)
    assert message in err.message
    assert f"{Path(file).name}:{line}: {pointer or '/'}: {err.message}" in str(err)


@pytest.mark.parametrize(
    ("snippet", "pointer", "message"),
    [
        (
            "x-pagination: {style: cursor}",
            "/x-pagination",
            "x-pagination does not belong on a root object (only on: operation)",
        ),
        ("x-timeout: 0", "/x-timeout", "must be a number > 0"),
        ("x-errors: {message: error}", "/x-errors/message", "must be a JSON pointer"),
        ("x-retries: {max_retries: 2, jitter: 1}", "/x-retries/jitter", "unknown key 'jitter'"),
        ("x-errors: {classes: {'418x': Teapot}}", "/x-errors/classes/418x", "key must be a status"),
        ("x-python-client: {name: class}", "/x-python-client/name", "must be a Python identifier"),
        ("x-paginaton: {}", "/x-paginaton", "did you mean x-pagination?"),
    ],
)
def test_bad_root_extensions(tmp_path: Path, snippet: str, pointer: str, message: str) -> None:
    root = write(tmp_path / "openapi.yaml", HEADER + "paths: {}\n" + snippet + "\n")
    with pytest.raises(SpecError) as info:
        validate(load_spec(root))
    assert info.value.pointer == pointer
    assert info.value.line == 6
    assert message in info.value.message


OPERATION = (
    HEADER
    + """paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: ok
"""
)


@pytest.mark.parametrize(
    ("old", "new", "line", "pointer", "message"),
    [
        (
            "          in: path\n",
            "",
            10,
            "/paths/~1items~1{id}/get/parameters/0",
            "'in' is a required property",
        ),
        (
            "operationId: getItem",
            "operationId: getItem\n      x-methods: {all: {kind: iter}}",
            9,
            "/paths/~1items~1{id}/get/x-methods/all/kind",
            "'iter' is not one of call, page",
        ),
        (
            "type: string",
            "type: string\n            enum: [a, b]\n            x-enum-varnames: [A]",
            16,
            "/paths/~1items~1{id}/get/parameters/0/schema/x-enum-varnames",
            "has 1 names for 2 enum members",
        ),
        (
            "in: path",
            "in: path\n          x-bool-style: Upper",
            12,
            "/paths/~1items~1{id}/get/parameters/0/x-bool-style",
            "'Upper' is not one of lower",
        ),
        (
            "/items/{id}:",
            "/items/{idx}:",
            7,
            "/paths/~1items~1{idx}/get",
            "Path parameter 'idx' for 'get' operation in '/items/{idx}' was not resolved",
        ),
        (
            "type: string",
            "type: integer\n            default: abc",
            13,
            "/paths/~1items~1{id}/get/parameters/0/schema",
            "'abc' is not of type 'integer'",
        ),
    ],
)
def test_bad_operations(
    tmp_path: Path, old: str, new: str, line: int, pointer: str, message: str
) -> None:
    assert old in OPERATION
    root = write(tmp_path / "openapi.yaml", OPERATION.replace(old, new))
    with pytest.raises(SpecError) as info:
        validate(load_spec(root))
    assert (info.value.line, info.value.pointer) == (line, pointer)
    assert message in info.value.message


def test_extension_like_names_are_not_extensions(tmp_path: Path) -> None:
    """Header and property names, example and default values may start with x-."""
    root = write(
        tmp_path / "openapi.yaml",
        OPERATION
        + """          headers:
            x-rate-limit: {schema: {type: integer}}
          content:
            application/json:
              schema:
                type: object
                default: {x-a: 1}
                properties:
                  x-b: {type: string, example: {x-c: 1}}
              examples:
                one: {value: {x-d: 1}}
x-twilio: {anything: [goes]}
x-logo: {url: logo.png}
""",
    )
    load_valid(root)


@pytest.mark.parametrize(
    ("files", "line", "pointer", "message"),
    [
        (
            {"openapi.yaml": HEADER + "paths:\n  /a:\n    $ref: 'https://x.test/a.yaml#/a'\n"},
            7,
            "/paths/~1a/$ref",
            "remote $ref",
        ),
        (
            {"openapi.yaml": HEADER + "paths:\n  /a:\n    $ref: '#/paths/~1a'\n"},
            7,
            "/paths/~1a/$ref",
            "circular $ref chain",
        ),
        (
            {"openapi.yaml": HEADER + "paths:\n  /a: &a\n    get:\n      responses: {'200': *a}\n"},
            8,
            "/paths/~1a/get/responses/200",
            "recursive YAML alias",
        ),
        ({"openapi.yaml": "openapi: 3.0\n"}, 1, "/openapi", "unsupported OpenAPI version 3.0"),
        ({"openapi.yaml": 'swagger: "2.0"\n'}, 1, "", "Swagger 2.0 is not supported"),
    ],
)
def test_more_bad_specs(
    tmp_path: Path, files: dict[str, str], line: int, pointer: str, message: str
) -> None:
    for name, text in files.items():
        write(tmp_path / name, text)
    with pytest.raises(SpecError) as info:
        validate(load_spec(tmp_path / "openapi.yaml"))
    assert (info.value.line, info.value.pointer) == (line, pointer)
    assert message in info.value.message


def test_stream_item_discriminator_mapping_and_warnings(tmp_path: Path) -> None:
    write(
        tmp_path / "s.yaml",
        """Event:
  type: object
Dog:
  type: object
  properties:
    kind: {type: string}
Pet:
  oneOf:
    - $ref: "#/Dog"
  discriminator:
    propertyName: kind
    mapping: {dog: "#/Dog", cat: Cat}
""",
    )
    root = write(
        tmp_path / "openapi.yaml",
        HEADER
        + """paths:
  /events:
    post:
      x-stream: {param: stream, item: {$ref: "s.yaml#/Event"}}
      x-success-statuses: [200, 201]
      parameters:
        - $ref: "#/components/parameters/Limit"
          description: ignored in 3.0
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "s.yaml#/Pet"}
components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
""",
    )
    spec = load_spec(root)
    warnings = validate(spec)
    assert [(w.line, w.pointer, w.severity) for w in warnings] == [
        (11, "/paths/~1events/post/parameters/0", "warning")
    ]
    assert "keys next to $ref are ignored in OpenAPI 3.0: description" in warnings[0].message
    post = spec.document["paths"]["/events"]["post"]
    assert post["x-stream"]["item"] == {"$ref": "#/components/schemas/Event"}
    pet = spec.document["components"]["schemas"]["Pet"]
    assert pet["discriminator"]["mapping"] == {"dog": "#/components/schemas/Dog", "cat": "Cat"}
    assert_bundled(spec)


def test_unreadable_root(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(tmp_path / "nope.yaml")
    assert info.value.line is None and "cannot read the spec" in str(info.value)
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"openapi: \xff\n")
    with pytest.raises(SpecError, match="not UTF-8"):
        load_spec(bad)


# ------------------------------------------------------------------ small pieces


def test_error_values() -> None:
    err = SpecError(Path("/nowhere/spec.yaml"), None, "", "bad")
    assert str(err) == "/nowhere/spec.yaml: /: bad"
    warning = Diagnostic(Path("/nowhere/spec.yaml"), 3, "/a~1b", "odd")
    assert str(warning) == "/nowhere/spec.yaml:3: /a~1b: warning: odd"
    assert err.diagnostic().severity == "error"
    assert format_pointer(["paths", "/a/{b}", 0, "x~y"]) == "/paths/~1a~1{b}/0/x~0y"
    assert split_pointer("#/paths/~1a~1{b}/0/x~0y") == ("paths", "/a/{b}", "0", "x~y")


def test_extension_list_matches_docs() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "extensions.md").read_text()
    for name in EXTENSIONS:
        assert f"`{name}`" in docs, name
