"""Spec validation and diagnostics (codegen.spec.validate, codegen.diagnostics): bad specs,
bad root extensions and bad operations are SpecErrors with file, line and pointer, names
that only look like extensions pass, remote / circular refs and unsupported versions are
rejected, warnings are reported, unreadable roots fail clearly, and the extension list
matches docs/extensions.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.diagnostics import Diagnostic, SpecError, format_pointer, split_pointer
from codegen.load.loader import load_spec
from codegen.spec.extensions import EXTENSIONS
from codegen.spec.validate import validate
from tests.codegen.loader_support import BAD, HEADER, assert_bundled, load_valid, write


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
            "/items/get/x-python-nme",
            "unknown extension 'x-python-nme' (the accepted ones are listed in "
            "docs/extensions.md); did you mean x-python-name?",
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
        validate(load_spec(root), strict=True)
    assert (info.value.line, info.value.pointer) == (line, pointer)
    assert message in info.value.message


def test_a_default_its_schema_refuses_is_a_warning_with_the_pointer(tmp_path: Path) -> None:
    """A value the spec only shows (a default, an example) that its own schema refuses
    does not make the client wrong: a warning at the schema, unless ``strict``."""
    bad = OPERATION.replace("type: string", "type: integer\n            default: abc")
    bad = bad.replace("/items/{id}:", "/items/{id}:", 1)
    root = write(tmp_path / "openapi.yaml", bad)
    warnings = validate(load_spec(root))
    found = [w for w in warnings if "does not match its schema" in w.message]
    assert len(found) == 1, warnings
    assert found[0].pointer.endswith("/parameters/0/schema") and found[0].line == 13
    assert "'abc' is not of type 'integer'" in found[0].message


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


def test_vendor_extensions_are_ignored_and_listed_once_with_counts(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        (BAD / "unknown_extension" / "openapi.yaml")
        .read_text()
        .replace("paths.yaml", "vendor_paths.yaml")
    )
    (tmp_path / "vendor_paths.yaml").write_text(
        "items:\n  get:\n    operationId: listItems\n    x-box-commit-hash: abc\n"
        "    x-discord-union: true\n    responses:\n      '200':\n"
        "        description: ok\n        x-box-commit-hash: def\n"
    )
    warnings = validate(load_spec(spec))
    info = [w for w in warnings if w.severity == "info"]
    assert len(info) == 1, warnings
    assert info[0].message == (
        "3 vendor extension key(s) ignored: x-box-commit-hash (2), x-discord-union (1)"
    )
    assert info[0].line is not None
    with pytest.raises(SpecError, match="unknown extension 'x-box-commit-hash'"):
        validate(load_spec(spec), strict=True)


def test_a_pulled_in_schema_whose_name_is_taken_is_named_for_its_file() -> None:
    """``schemas.yaml#/Item`` beside the root's own ``Item``: hoisted as
    ``schemas_Item`` (a name from where it comes from, never a number)."""
    spec = load_spec(BAD / "collision" / "openapi.yaml")
    schemas = spec.document["components"]["schemas"]
    assert schemas["Item"] == {"type": "string"}
    assert schemas["schemas_Item"] == {"type": "object"}
    ref = spec.document["paths"]["/items"]["get"]["responses"]["200"]["content"]
    assert ref["application/json"]["schema"] == {"$ref": "#/components/schemas/schemas_Item"}


def test_two_files_with_the_same_name_in_two_folders_both_load(tmp_path: Path) -> None:
    write(
        tmp_path / "openapi.yaml",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n"
        "  /a: {get: {operationId: getA, responses: {'200': {description: ok, content: "
        "{application/json: {schema: {$ref: a/item.yaml}}}}}}}\n"
        "  /b: {get: {operationId: getB, responses: {'200': {description: ok, content: "
        "{application/json: {schema: {$ref: b/item.yaml}}}}}}}\n",
    )
    write(tmp_path / "a" / "item.yaml", "type: object\nproperties: {a: {type: string}}\n")
    write(tmp_path / "b" / "item.yaml", "type: object\nproperties: {b: {type: integer}}\n")
    schemas = load_spec(tmp_path / "openapi.yaml").document["components"]["schemas"]
    assert set(schemas) == {"item", "b_item"}
    assert "a" in schemas["item"]["properties"] and "b" in schemas["b_item"]["properties"]
