"""Unions told apart without a ``discriminator`` keyword (``codegen/ir/tagged.py``).

A ``oneOf`` / ``anyOf`` whose object members each fix one required property to values
no other member takes is compiled as if it said ``discriminator: {propertyName: ...}``;
one whose members each require a key no other declares (``{success} | {failed}``) is
opened the same way. The first part checks the detection on small schemas, the second
a compiled package (``tests/specs/tagged``) against a server on 127.0.0.1: known tags
and shapes parse to their classes, anything else to the ``APIModel`` fallback, while
method arguments stay the spec's members and unions that do not qualify stay closed.
"""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import clientcore
from codegen.ir import tagged
from codegen.ir.schemas import prepare
from codegen.ir.tagged import OPEN_MARK, ImpliedTag, implied_tag, presence_keys, tag_union
from tests.support.compiled import compiled_package, mypy_strict
from tests.support.server import serve

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "tagged" / "openapi.yaml"
REF = "#/components/schemas/"

# -- detection on small schemas ------------------------------------------------------


def test_the_module_exports_its_api() -> None:
    assert tagged.__all__ == [
        "OPEN_MARK",
        "ImpliedTag",
        "implied_tag",
        "presence_keys",
        "tag_union",
    ]
    assert all(hasattr(tagged, name) for name in tagged.__all__)


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


def _const(value: Any) -> dict[str, Any]:
    return {"type": "string", "const": value}


def _resolver(**schemas: Any) -> Any:
    return lambda ref: schemas.get(ref.removeprefix(REF))


def _refs(*names: str) -> list[dict[str, str]]:
    return [{"$ref": REF + n} for n in names]


def test_a_const_on_the_same_required_property_is_a_tag() -> None:
    resolve = _resolver(
        A=_obj(["type", "a"], type=_const("a"), a={"type": "string"}),
        B=_obj(["type"], type=_const("b")),
    )
    assert implied_tag(_refs("A", "B"), resolve) == ImpliedTag(
        "type", {"a": REF + "A", "b": REF + "B"}
    )


def test_enums_of_one_value_and_catch_all_enums_are_tags() -> None:
    resolve = _resolver(
        Code={"type": "string", "enum": ["done"]},
        A=_obj(["code"], code={"$ref": REF + "Code"}),
        B=_obj(["code"], code={"type": "string", "enum": ["cancelled", "unknown"]}),
    )
    tag = implied_tag(_refs("A", "B"), resolve)
    assert tag == ImpliedTag(
        "code", {"done": REF + "A", "cancelled": REF + "B", "unknown": REF + "B"}
    )


def test_a_tag_inherited_through_all_of_counts() -> None:
    resolve = _resolver(
        Base=_obj(["id"], id={"type": "string"}),
        A={"allOf": [{"$ref": REF + "Base"}, _obj(["state"], state=_const("on"))]},
        B=_obj(["state"], state=_const("off")),
    )
    tag = implied_tag(_refs("A", "B"), resolve)
    assert tag is not None and tag.property == "state"


def test_the_conventional_tag_name_wins_over_other_fixed_properties() -> None:
    resolve = _resolver(
        A=_obj(["alpha", "event"], alpha=_const("1"), event=_const("click")),
        B=_obj(["alpha", "event"], alpha=_const("2"), event=_const("key")),
    )
    tag = implied_tag(_refs("A", "B"), resolve)
    assert tag is not None and tag.property == "event"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(_obj(["t"], t=_const("a")), _obj([], n={"type": "string"}), id="lacks-tag"),
        pytest.param(_obj(["t"], t=_const("a")), _obj([], t=_const("b")), id="tag-optional"),
        pytest.param(_obj(["t"], t=_const("a")), _obj(["t"], t=_const("a")), id="value-repeats"),
        pytest.param(
            _obj(["t"], t={"enum": ["a", "b"]}), _obj(["t"], t=_const("b")), id="values-overlap"
        ),
        pytest.param(
            _obj(["t"], t={"type": "integer", "const": 1}),
            _obj(["t"], t={"type": "integer", "const": 2}),
            id="not-a-string",
        ),
        pytest.param(_obj(["t"], t={"type": "string"}), _obj(["t"], t=_const("b")), id="free"),
    ],
)
def test_no_tag_unless_every_member_fixes_it_to_its_own_values(a: Any, b: Any) -> None:
    assert implied_tag(_refs("A", "B"), _resolver(A=a, B=b)) is None


def test_a_member_that_may_be_an_object_without_a_class_prevents_a_tag() -> None:
    resolve = _resolver(A=_obj(["t"], t=_const("a")), B=_obj(["t"], t=_const("b")))
    for loose in ({"type": "object"}, {}, {"oneOf": [{"type": "string"}]}):
        assert implied_tag([*_refs("A", "B"), loose], resolve) is None
        assert presence_keys([*_refs("A", "B"), loose], resolve) is None
    assert implied_tag(_refs("A"), resolve) is None  # one object member is no union of them


def test_members_told_apart_by_a_key_of_their_own() -> None:
    resolve = _resolver(
        Ok=_obj(["success"], success={"type": "object"}, note={"type": "string"}),
        Ko=_obj(["failed"], failed={"type": "object"}, note={"type": "string"}),
        Both=_obj(["success"], success={"type": "object"}, failed={"type": "object"}),
    )
    assert implied_tag(_refs("Ok", "Ko"), resolve) is None
    assert presence_keys(_refs("Ok", "Ko"), resolve) == ["success", "failed"]
    assert presence_keys(_refs("Both", "Ko"), resolve) is None  # Ko's key is declared in Both


def test_tag_union_writes_the_discriminator_or_the_mark() -> None:
    resolve = _resolver(
        A=_obj(["t"], t=_const("a")),
        B=_obj(["t"], t=_const("b")),
        Ok=_obj(["success"], success={}),
        Ko=_obj(["failed"], failed={}),
    )
    tagged: dict[str, Any] = {"oneOf": _refs("A", "B"), "description": "d"}
    assert tag_union(tagged, resolve)
    assert tagged["discriminator"] == {
        "propertyName": "t",
        "mapping": {"a": REF + "A", "b": REF + "B"},
    }
    assert tagged["oneOf"] == _refs("A", "B")
    presence: dict[str, Any] = {"anyOf": _refs("Ok", "Ko")}
    assert tag_union(presence, resolve)
    assert presence == {"anyOf": _refs("Ok", "Ko"), OPEN_MARK: True}


def test_a_union_with_other_members_is_regrouped_around_its_tagged_ones() -> None:
    resolve = _resolver(A=_obj(["t"], t=_const("a")), B=_obj(["t"], t=_const("b")))
    array = {"type": "array", "items": {"type": "number"}}
    union: dict[str, Any] = {"oneOf": [array, *_refs("A", "B"), {"type": "null"}]}
    assert tag_union(union, resolve)
    disc = {"propertyName": "t", "mapping": {"a": REF + "A", "b": REF + "B"}}
    assert union == {
        "oneOf": [array, {"oneOf": _refs("A", "B"), "discriminator": disc}, {"type": "null"}]
    }


def test_explicit_discriminators_and_merged_objects_are_left_alone() -> None:
    resolve = _resolver(A=_obj(["t"], t=_const("a")), B=_obj(["t"], t=_const("b")))
    explicit = {"oneOf": _refs("A", "B"), "discriminator": {"propertyName": "t"}}
    merged = {"type": "object", "properties": {"id": {}}, "oneOf": _refs("A", "B")}
    for schema in (explicit, merged):
        before = repr(schema)
        assert not tag_union(schema, resolve)
        assert repr(schema) == before


def test_prepare_tags_inline_members_once_they_are_classes() -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Event": {
                    "oneOf": [
                        _obj(["event", "x"], event=_const("click"), x={"type": "integer"}),
                        _obj(["event", "key"], event={"enum": ["key"]}, key={"type": "string"}),
                    ]
                }
            }
        },
    }
    prepared = prepare(doc)
    event = prepared.document["components"]["schemas"]["Event"]
    assert event["discriminator"] == {
        "propertyName": "event",
        "mapping": {"click": REF + "EventClick", "key": REF + "EventKey"},
    }
    assert prepared.opened == {"/components/schemas/Event"}
    assert "discriminator" not in doc["components"]["schemas"]["Event"]  # the spec is untouched


# -- a compiled package, against a server --------------------------------------------

USER = {"type": "user", "id": "u1"}
ORG = {"type": "organization", "id": "o1", "members": 3}
NEW_OWNER = {"type": "team", "id": "t1", "size": 4}
JOBS: dict[str, Any] = {
    "known": {
        "id": "known",
        "owner": USER,
        "status": {"state": "running"},
        "input": {"type": "dataset", "datasetId": "d1"},
        "history": [{"success": {"output": "ok"}}, {"failed": {"reason": "oom"}, "extra": 1}],
    },
    "new": {
        "id": "new",
        "owner": NEW_OWNER,
        "status": {"state": "paused", "since": 5},
        "input": {"type": "stream", "url": "u"},
        "history": [{"skipped": True}],
    },
}
RESULTS: dict[str, Any] = {
    "ok": {"success": {"output": "yes"}, "durationMs": 12},
    "ko": {"failed": {"reason": "oom"}},
    "neither": {"cancelled": {"by": "u1"}},
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(SPEC, "tagged_test_client", tmp_path_factory.mktemp("tagged")) as p:
        yield p


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    async def job(request: Request) -> JSONResponse:
        return JSONResponse(JOBS[request.path_params["job_id"]])

    async def result(request: Request) -> JSONResponse:
        return JSONResponse(RESULTS[request.path_params["job_id"]])

    async def owner(request: Request) -> JSONResponse:
        return JSONResponse(await request.json())

    routes = [
        Route("/jobs/{job_id}", job),
        Route("/jobs/{job_id}/result", result),
        Route("/owners", owner, methods=["POST"]),
    ]
    with serve(Starlette(routes=routes)) as url:
        yield url


def _fallback(value: Any, wire: Any) -> bool:
    dumped = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return type(value) is clientcore.APIModel and dumped == wire


def test_known_tags_parse_to_their_classes(pkg: Any, base_url: str) -> None:
    with pkg.Tagged(base_url=base_url) as client:
        job = client.jobs.get_job("known")
    m = pkg.models
    assert type(job.owner) is m.User and job.owner.id == "u1"
    assert type(job.status) is m.JobActive and job.status.state == "running"  # catch-all
    assert type(job.input) is m.JobInputDataset and job.input.dataset_id == "d1"
    assert [type(r) for r in job.history] == [m.Success, m.Failed]
    assert job.history[1].model_extra == {"extra": 1}


def test_new_tags_and_shapes_parse_as_the_fallback(pkg: Any, base_url: str) -> None:
    with pkg.Tagged(base_url=base_url) as client:
        job = client.jobs.get_job("new")
    assert _fallback(job.owner, NEW_OWNER)
    assert _fallback(job.status, JOBS["new"]["status"])
    assert _fallback(job.input, JOBS["new"]["input"])
    assert _fallback(job.history[0], {"skipped": True})


@pytest.mark.parametrize(
    ("value", "cls"),
    [
        ({"state": "starting"}, "JobActive"),
        ({"state": "done", "finishedAt": 3}, "JobStatusDone"),
        ({"state": "done"}, "APIModel"),  # a known tag missing its fields is no JobStatusDone
    ],
)
def test_each_value_of_a_tag_picks_its_member(pkg: Any, value: Any, cls: str) -> None:
    job = pkg.models.Job.model_validate({"id": "j", "owner": ORG, "status": value})
    assert type(job.status).__name__ == cls
    assert type(job.owner) is pkg.models.Organization and job.owner.members == 3


def test_an_array_member_beside_tagged_ones_keeps_its_type(pkg: Any) -> None:
    base = {"id": "j", "owner": USER, "status": {"state": "starting"}}
    assert pkg.models.Job.model_validate({**base, "input": [1.0, 2.0]}).input == [1.0, 2.0]
    job = pkg.models.Job.model_validate({**base, "input": {"type": "inline", "values": [1.5]}})
    assert type(job.input) is pkg.models.JobInputInline and job.input.values == [1.5]


@pytest.mark.parametrize(
    ("job_id", "cls"), [("ok", "Success"), ("ko", "Failed"), ("neither", "APIModel")]
)
def test_a_presence_union_picks_the_member_whose_key_is_there(
    pkg: Any, base_url: str, job_id: str, cls: str
) -> None:
    with pkg.Tagged(base_url=base_url) as client:
        result = client.jobs.get_result(job_id)
    assert type(result).__name__ == cls
    dumped = result.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped == RESULTS[job_id]  # extra keys kept


async def test_the_async_client_parses_the_fallback_too(pkg: Any, base_url: str) -> None:
    async with pkg.AsyncTagged(base_url=base_url) as client:
        job = await client.jobs.get_job("new")
        result = await client.jobs.get_result("neither")
    assert _fallback(job.owner, NEW_OWNER)
    assert _fallback(result, RESULTS["neither"])


def test_requests_take_the_spec_members_and_responses_add_the_fallback(
    pkg: Any, base_url: str
) -> None:
    owners = importlib.import_module(f"{pkg.__name__}.resources.owners")
    signature = inspect.signature(owners.Owners.set_owner)
    argument = str(signature.parameters["owner"].annotation)
    assert "User" in argument and "Organization" in argument
    assert "APIModel" not in argument
    assert str(signature.return_annotation) == "User | Organization | clientcore.APIModel"
    with pkg.Tagged(base_url=base_url) as client:
        assert type(client.owners.set_owner(owner=ORG)) is pkg.models.Organization
        assert _fallback(client.owners.set_owner(owner=NEW_OWNER), NEW_OWNER)


@pytest.mark.parametrize("field", ["same_tag", "optional_tag"])
def test_unions_that_do_not_qualify_stay_closed(pkg: Any, field: str) -> None:
    annotation = pkg.models.Job.model_fields[field].annotation
    assert clientcore.APIModel not in typing.get_args(annotation)
    with pytest.raises(ValidationError):
        pkg.models.Job.model_validate(
            {"id": "j", "owner": USER, "status": {"state": "starting"}, field: {"z": 1}}
        )


def test_the_package_passes_mypy_strict_and_ruff(pkg: ModuleType) -> None:
    done = mypy_strict(pkg)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    folder = Path(str(pkg.__file__)).parent
    ruff = Path(sys.executable).parent / "ruff"
    for cmd in ([ruff, "check", "--no-cache", folder], [ruff, "format", "--check", folder]):
        ran = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
        assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-2000:]
