"""The typed spec layer: codegen.spec.parse (LoadedSpec -> records) and codegen.spec.records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.diagnostics import SpecError
from codegen.load.loader import load_spec
from codegen.spec.parse import parse_spec
from codegen.spec.records import (
    JsonObject,
    SpecDocument,
    SpecSchema,
    Value,
    XLink,
    XMethod,
    freeze,
    iter_schemas,
    thaw,
)

HERE = Path(__file__).parent
GOOD = HERE / "good_multifile"
FEATURES = HERE.parents[0] / "specs" / "features" / "openapi.yaml"


def parse_text(tmp_path: Path, text: str, name: str = "openapi.yaml") -> SpecDocument:
    path = tmp_path / name
    path.write_text(text)
    return parse_spec(load_spec(path))


def header(version: str = "3.0.3") -> str:
    return f'openapi: {version}\ninfo: {{title: T, version: "1"}}\n'


def op_returning(schema: str, components: str = "") -> str:
    text = (
        header()
        + "paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n"
        + '        "200":\n          description: ok\n          content:\n'
        + f"            application/json:\n              schema: {schema}\n"
    )
    return text + (f"components:\n  schemas:\n{components}" if components else "")


def response_schema(doc: SpecDocument) -> SpecSchema:
    schema = doc.operations[0].responses[0].content[0].schema
    assert schema is not None
    return schema


# ------------------------------------------------------------------ equality


INLINE_PET = "{type: object, required: [id], properties: {id: {type: string}, tags: {type: array, items: {type: string}}}}"


def test_inline_and_ref_give_equal_records(tmp_path: Path) -> None:
    inline = parse_text(tmp_path, op_returning(INLINE_PET), "inline.yaml")
    ref = parse_text(
        tmp_path,
        op_returning('{$ref: "#/components/schemas/Pet"}', f"    Pet: {INLINE_PET}\n"),
        "ref.yaml",
    )
    assert inline.operations == ref.operations
    assert hash(inline.operations) == hash(ref.operations)
    a, b = response_schema(inline), response_schema(ref)
    assert a == b
    # where they came from is kept, but is no part of equality
    assert (a.ref_name, b.ref_name) == (None, "Pet")
    assert a.loc.pointer.startswith("/paths/~1a/get/responses/200")
    assert b.loc.pointer == "/components/schemas/Pet"
    assert b is ref.schema("Pet")


def test_a_real_change_is_unequal(tmp_path: Path) -> None:
    inline = parse_text(tmp_path, op_returning(INLINE_PET), "inline.yaml")
    changed = parse_text(
        tmp_path,
        op_returning(
            '{$ref: "#/components/schemas/Pet"}',
            f"    Pet: {INLINE_PET.replace('id: {type: string}', 'id: {type: integer}')}\n",
        ),
        "ref.yaml",
    )
    assert inline.operations != changed.operations
    renamed = parse_text(
        tmp_path, op_returning(INLINE_PET.replace("required: [id]", "required: []")), "req.yaml"
    )
    assert response_schema(renamed) != response_schema(inline)


def test_splitting_into_files_changes_no_record(tmp_path: Path) -> None:
    one = tmp_path / "one"
    one.mkdir()
    single = parse_text(
        one,
        op_returning('{$ref: "#/components/schemas/Pet"}', f"    Pet: {INLINE_PET}\n"),
    )
    two = tmp_path / "two"
    two.mkdir()
    (two / "pet.yaml").write_text(f"Pet: {INLINE_PET}\n")
    split = parse_text(two, op_returning('{$ref: "pet.yaml#/Pet"}'))
    assert split == single
    assert split.schema("Pet") == single.schema("Pet")
    pet = split.schema("Pet")
    assert pet is not None and pet.loc.file == two / "pet.yaml" and pet.loc.line == 1
    assert pet.loc.pointer == "/components/schemas/Pet" and pet.loc.file_pointer == "/Pet"


# ------------------------------------------------------------------ nullability


@pytest.mark.parametrize(
    ("version", "schema"),
    [
        ("3.0.3", "{type: string, nullable: true, maxLength: 3}"),
        ("3.1.0", '{type: [string, "null"], maxLength: 3}'),
        ("3.1.0", '{anyOf: [{type: string, maxLength: 3}, {type: "null"}]}'),
        ("3.1.0", '{oneOf: [{type: "null"}, {type: string, maxLength: 3}]}'),
        ("3.0.3", "{type: string, enum: [null], maxLength: 3}"),
    ],
)
def test_nullability_is_normalised(tmp_path: Path, version: str, schema: str) -> None:
    text = op_returning(schema).replace(header(), header(version))
    got = response_schema(parse_text(tmp_path, text))
    enum = () if "enum" in schema else None
    plain = "{type: string, maxLength: 3" + (", enum: []" if enum == () else "") + "}"
    expected = response_schema(parse_text(tmp_path, op_returning(plain), "plain.yaml"))
    assert got.nullable and got.types == ("string",) and got.max_length == 3
    assert got != expected  # only nullability differs...
    assert got == SpecSchema(types=("string",), nullable=True, max_length=3, enum=enum, loc=got.loc)


def test_nullable_ref_in_31_equals_30_nullable_schema(tmp_path: Path) -> None:
    v31 = parse_text(
        tmp_path,
        op_returning(
            '{anyOf: [{$ref: "#/components/schemas/Pet"}, {type: "null"}]}',
            f"    Pet: {INLINE_PET}\n",
        ).replace(header(), header("3.1.0")),
        "v31.yaml",
    )
    v30 = parse_text(
        tmp_path,
        op_returning(INLINE_PET.replace("{type: object,", "{type: object, nullable: true,")),
        "v30.yaml",
    )
    collapsed = response_schema(v31)
    assert collapsed == response_schema(v30)
    assert collapsed.any_of == () and collapsed.ref_name == "Pet"  # reached through Pet
    assert collapsed.base is v31.schema("Pet")
    assert collapsed.base is not None and not collapsed.base.nullable


def test_several_members_keep_the_union(tmp_path: Path) -> None:
    doc = parse_text(
        tmp_path,
        op_returning('{oneOf: [{type: string}, {type: integer}, {type: "null"}]}').replace(
            header(), header("3.1.0")
        ),
    )
    schema = response_schema(doc)
    assert schema.nullable and [m.types for m in schema.one_of] == [("string",), ("integer",)]


# ------------------------------------------------------------------ recursion


SELF = """    Node:
      type: object
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
        next: {anyOf: [{$ref: "#/components/schemas/Node"}, {type: "null"}]}
"""


def test_recursive_schema_is_one_shared_record(tmp_path: Path) -> None:
    text = op_returning('{$ref: "#/components/schemas/Node"}', SELF).replace(
        header(), header("3.1.0")
    )
    doc = parse_text(tmp_path, text)
    node = doc.schema("Node")
    assert node is not None and response_schema(doc) is node
    children = node.get_property("children")
    assert children is not None and children.items is node  # a cycle, not a copy
    following = node.get_property("next")
    assert following is not None and following.nullable and following.base is node
    assert following.get_property("name") == node.get_property("name")
    # equality and hashing terminate, and compare the structure
    again = parse_text(tmp_path, text, "again.yaml")
    assert again == doc and hash(again) == hash(doc)
    assert "Node" in repr(node)  # repr stops at the cycle
    changed = parse_text(
        tmp_path, text.replace("name: {type: string}", "name: {type: integer}"), "changed.yaml"
    )
    assert changed.schema("Node") != node
    assert len({id(s) for s in iter_schemas(doc)}) == len(list(iter_schemas(doc)))


def test_multifile_recursion_and_shared_components() -> None:
    doc = parse_spec(load_spec(GOOD / "openapi.yaml"))
    task = doc.schema("Task")
    assert task is not None
    subtasks = task.get_property("subtasks")
    assert subtasks is not None and subtasks.items is task
    batch = task.get_property("batch")
    assert batch is not None and batch.ref_name == "Batch"
    assert batch.get_property("parent") is batch


# ------------------------------------------------------------------ locations


@pytest.mark.parametrize(
    ("what", "file", "line", "file_pointer"),
    [
        ("operation", "paths/tasks.yaml", 2, "/tasks/get"),
        ("param0", "paths/tasks.yaml", 5, "/tasks/get/parameters/0"),
        ("param0.schema", "schemas/params.yaml", 4, "/Limit/schema"),
        ("param1", "schemas/params.yaml", 6, "/Cursor"),  # used once: put in place
        ("response", "paths/tasks.yaml", 8, "/tasks/get/responses/200"),
        ("item", "schemas/task.yaml", 1, "/Task"),
        ("status", "schemas/task.yaml", 7, "/Task/properties/status"),
        ("batch", "schemas/batch.yaml", 1, "/Batch"),
        ("pagination", "paths/batches.yaml", 4, "/batches/get/x-pagination"),
        ("error", "common.yaml", 1, ""),
    ],
)
def test_locations_in_a_multifile_spec(what: str, file: str, line: int, file_pointer: str) -> None:
    doc = parse_spec(load_spec(GOOD / "openapi.yaml"))
    list_tasks, list_batches = doc.operation("listTasks"), doc.operation("listBatches")
    assert list_tasks is not None and list_batches is not None
    items = list_tasks.responses[0].content[0].schema
    task, batch = doc.schema("Task"), doc.schema("Batch")
    assert items is not None and task is not None and batch is not None
    record: Any = {
        "operation": list_tasks,
        "param0": list_tasks.parameters[0],
        "param0.schema": list_tasks.parameters[0].schema,
        "param1": list_tasks.parameters[1],
        "response": list_tasks.responses[0],
        "item": items.items,
        "status": task.get_property("status"),
        "batch": batch,
        "pagination": list_batches.x_pagination,
        "error": doc.schema("Error"),
    }[what]
    assert record is not None
    loc = record.loc
    assert (loc.file, loc.line, loc.file_pointer) == ((GOOD / file).resolve(), line, file_pointer)


def test_path_item_parameters_are_merged() -> None:
    doc = parse_spec(load_spec(GOOD / "openapi.yaml"))
    get_task = doc.operation("getTask")
    assert get_task is not None
    assert [(p.location, p.name) for p in get_task.parameters] == [("path", "taskId")]
    assert get_task.parameters[0].loc.pointer == "/paths/~1tasks~1{taskId}/parameters/0"


# ------------------------------------------------------------------ typed extensions


def test_typed_extension_values() -> None:
    doc = parse_spec(load_spec(FEATURES))
    assert doc.x_errors is not None and doc.x_errors.message == ("error",)
    assert ("4XX", "FeaturesClientError") in doc.x_errors.classes
    assert doc.x_retries is not None and doc.x_retries.max_retries == 1
    assert doc.x_timeout == 5 and doc.x_python_client is not None
    assert doc.x_python_client.credential == "token"
    things = doc.operation("listThings")
    assert things is not None and things.x_pagination is not None
    assert (things.x_pagination.style, things.x_pagination.offset_param) == ("offset", "offset")
    methods = {m.name: m for m in things.x_methods}
    assert list(methods) == ["iter_things", "count_things", "all_things", "browse"]
    assert methods["iter_things"] == XMethod(
        "iter_things",
        "iterate",
        rename=(("kind", "thing_kind"),),
        defaults=(("archived", False),),
        loc=methods["iter_things"].loc,
    )
    assert methods["browse"].resource == "catalog.shelf"
    assert methods["browse"].loc.pointer == "/paths/~1things/get/x-methods/browse"
    create = doc.operation("createThing")
    assert create is not None and create.x_conflict_recovery is not None
    assert create.x_conflict_recovery.result == ("docs", "0")
    assert create.x_conflict_recovery.query == (("ids", "unique_id"),)
    thing = doc.schema("Thing")
    assert thing is not None and all(isinstance(link, XLink) for link in thing.x_links)
    chat = next(op for op in doc.operations if op.x_stream is not None)
    assert chat.x_stream is not None and chat.x_stream.param == "stream"
    assert isinstance(chat.x_stream.item, SpecSchema)


def test_frozen_json_values() -> None:
    value = freeze({"b": [1, {"c": None}], "a": True})
    assert isinstance(value, JsonObject)
    assert value == freeze({"a": True, "b": [1, {"c": None}]})  # key order is no change
    assert hash(value) == hash(freeze({"a": True, "b": [1, {"c": None}]}))
    assert thaw(value) == {"b": [1, {"c": None}], "a": True}
    assert Value(None) != Value(0) and Value(None) is not None


# ------------------------------------------------------------------ bad extension values


def test_bad_extension_value_in_a_referenced_file(tmp_path: Path) -> None:
    (tmp_path / "paths.yaml").write_text(
        "items:\n  get:\n    x-methods:\n      all:\n        kind: iterate\n"
        "        rename: {limit: 1}\n    responses:\n      '200': {description: ok}\n"
    )
    (tmp_path / "openapi.yaml").write_text(
        header() + "paths:\n  /items:\n    $ref: paths.yaml#/items\n"
    )
    with pytest.raises(SpecError) as info:
        parse_spec(load_spec(tmp_path / "openapi.yaml"))
    err = info.value
    assert err.file == tmp_path / "paths.yaml" and err.line == 6
    assert err.pointer == "/items/get/x-methods/all/rename/limit"
    assert err.message == "x-methods: must be a Python identifier, not 1"


def test_bad_nested_schema_extension_inside_x_stream(tmp_path: Path) -> None:
    text = (
        header()
        + "paths:\n  /s:\n    post:\n      x-stream:\n        item:\n"
        + "          type: object\n          x-links: {go: {parameters: {}}}\n"
        + "      responses:\n        '200': {description: ok}\n"
    )
    with pytest.raises(SpecError) as info:
        parse_text(tmp_path, text)
    assert info.value.line == 9
    assert info.value.pointer == "/paths/~1s/post/x-stream/item/x-links/go"
    assert info.value.message == "x-links: missing required key 'operationId'"


def test_misplaced_and_unknown_extensions(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="x-body-name does not belong on a schema object"):
        parse_text(tmp_path, op_returning("{type: string, x-body-name: b}"))
    with pytest.raises(SpecError, match="did you mean x-python-name"):
        parse_text(tmp_path, op_returning("{type: string, x-python-nme: b}"), "b.yaml")


# ------------------------------------------------------------------ the IR reads records only

ROOT = HERE.parents[1]
RECORD_READERS = [
    "build",
    "operations",
    "inputs",
    "methods",
    "links",
    "pages",
    "client",
    "annotate",
    "custom",
]


@pytest.mark.parametrize("module", RECORD_READERS)
def test_ir_modules_read_records_not_the_spec_dict(module: str) -> None:
    """No ``$ref`` resolving, pointer splitting or spec-dict reading outside codegen.spec
    (only ``build`` hands the bundled dict to ``schemas.prepare``, for the models)."""
    source = (ROOT / "codegen" / "ir" / f"{module}.py").read_text()
    code = "\n".join(line.split("#")[0] for line in source.splitlines())
    for needle in ('"$ref"', "split_pointer", 'split("/")', "dict[str, Any]", "iter_operations"):
        assert needle not in code, f"{module}.py uses {needle}"
    uses = code.count(".document")
    assert uses == (1 if module == "build" else 0), f"{module}.py reads .document {uses}x"
    if module == "build":
        assert "prepare(spec.document, reserved)" in code
