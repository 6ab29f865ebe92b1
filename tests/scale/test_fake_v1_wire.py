"""The Scale fake speaks the real v1 wire format, driven by the official ``scaleapi`` client and
by raw httpx: Basic auth with the key as username, names matched on the raw path, request
ids, list envelopes (cursor and offset paging), error bodies and exception classes, JSON
and multipart bodies, test-mode keys and the request log.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
import scaleapi
from scaleapi import exceptions as sx

from tests.scale.conftest import BASIC, INSTANT_KEY, FakeServer, http
from tests.scale.parity_cases import API_KEY, SCALEAPI


def test_v1_auth_is_basic_key_with_empty_password(
    scale_fake: FakeServer, scaleapi_client: Any
) -> None:
    scaleapi_client.projects()
    assert scale_fake.requests[-1].authorization == BASIC
    with http(scale_fake, auth=None) as c:
        r = c.get("/v1/projects")
        assert r.status_code == 401 and set(r.json()) == {"error"}
    for bad in (
        f"Bearer {API_KEY}",
        "Basic " + base64.b64encode(f"{API_KEY}:pw".encode()).decode(),
        "Basic !!notbase64",
        "Basic " + base64.b64encode(b"live_other:").decode(),
    ):
        with http(scale_fake, auth=bad) as c:
            assert c.get("/v1/projects").status_code == 401, bad
    with http(scale_fake) as c:
        assert c.get("/v1/projects").status_code == 200


def test_names_are_matched_on_the_raw_path(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    scaleapi_client.create_project("My Project/2024 v1", scaleapi.TaskType.ImageAnnotation)
    scaleapi_client.get_project("My Project/2024 v1")
    assert scale_fake.requests[-1].raw_path == "/v1/projects/My%20Project%2F2024%20v1"
    with http(scale_fake) as c:
        assert c.get("/v1/projects/My%20Project%2f2024%20v1").json()["name"] == "My Project/2024 v1"
        unencoded = c.get("/v1/projects/My%20Project/2024%20v1")
        assert unencoded.status_code == 404 and "error" in unencoded.json()


def test_every_response_has_a_request_id(scale_fake: FakeServer) -> None:
    scale_fake.faults.fail_next("GET", "/v1/teams", 503)
    with http(scale_fake) as c, http(scale_fake, auth=None) as anon:
        responses = [
            c.get("/v1/projects"),
            c.get("/v1/nope"),
            c.get("/v1/teams"),
            anon.get("/v1/teams"),
            c.delete("/v1/projects"),
            anon.get("/v2/projects"),
            c.get("/_control/faults"),
        ]
    assert [r.status_code for r in responses] == [200, 404, 503, 401, 405, 401, 200]
    ids = [r.headers.get("x-request-id") for r in responses]
    assert all(ids) and len(set(ids)) == len(ids)


def test_task_list_envelope_and_cursor(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    for _ in range(3):
        scaleapi_client.create_task(
            scaleapi.TaskType.Categorization,
            project="test_project",
            attachment="http://x/y.jpg",
            categories=["a"],
        )
    with http(scale_fake) as c:
        first = c.get("/v1/tasks", params={"project": "test_project", "limit": 2}).json()
        assert set(first) == {"docs", "total", "limit", "offset", "has_more", "next_token"}
        assert (len(first["docs"]), first["total"], first["has_more"]) == (2, 3, True)
        last = c.get(
            "/v1/tasks",
            params={"project": "test_project", "limit": 2, "next_token": first["next_token"]},
        ).json()
        assert (len(last["docs"]), last["offset"], last["has_more"]) == (1, 2, False)
        assert "next_token" not in last
        assert c.get("/v1/tasks", params={"next_token": "garbage!"}).status_code == 400
        assert c.get("/v1/tasks", params={"limit": 0}).status_code == 400
        assert c.get("/v1/tasks", params={"limit": 101}).status_code == 400
        assert c.get("/v1/tasks", params={"project": "nope"}).status_code == 400


def test_get_tasks_sends_python_booleans_and_comma_joined_review_status(
    scale_fake: FakeServer, scaleapi_client: Any
) -> None:
    list(
        scaleapi_client.get_tasks(
            project_name="test_project",
            review_status=[scaleapi.TaskReviewStatus.Accepted, scaleapi.TaskReviewStatus.Rejected],
            limited_response=True,
        )
    )
    q = dict(scale_fake.requests[-1].query)
    assert q["include_attachment_url"] == "True" and q["limited_response"] == "True"
    assert q["customer_review_status"] == "accepted,rejected"


def test_batch_list_envelope_is_offset_paged(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    for i in range(3):
        scaleapi_client.create_batch("test_project", f"batch {i}")
    with http(scale_fake) as c:
        page = c.get("/v1/batches", params={"project": "test_project", "offset": 2}).json()
    assert set(page) == {"docs", "totalDocs", "limit", "offset", "has_more"}
    assert (page["totalDocs"], page["limit"], page["offset"], page["has_more"]) == (3, 2, 2, False)
    assert [b.name for b in scaleapi_client.get_batches(project_name="test_project")] == [
        "batch 0",
        "batch 1",
        "batch 2",
    ]
    offsets = [
        dict(r.query)["offset"]
        for r in scale_fake.requests
        if r.raw_path == "/v1/batches" and r.method == "GET"
    ]
    assert offsets == ["2", "0", "2"]


def test_list_shapes(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    with http(scale_fake) as c:
        for path in ("/v1/projects", "/v1/teams", "/v1/studio/batches"):
            assert isinstance(c.get(path).json(), list), path
        assert isinstance(c.get("/v1/studio/assignments").json(), dict)
        status = c.get("/v1/batches/genai_batch_1/status").json()
    assert status == {"status": "in_progress", "completed": 3}
    project = scaleapi_client.get_project("test_project")
    assert project.version == 0 and project.instruction.startswith("Draw a box")


def test_v1_error_bodies_and_exception_classes(
    scale_fake: FakeServer, scaleapi_client: Any
) -> None:
    with pytest.raises(sx.ScaleInvalidRequest, match='"attachments" is required'):
        scaleapi_client.create_task(
            scaleapi.TaskType.TextCollection, project="test_project", fields=[{}]
        )
    with pytest.raises(sx.ScaleResourceNotFound):
        scaleapi_client.get_project("missing project")
    scaleapi_client.create_project("dup", scaleapi.TaskType.Comparison)
    with pytest.raises(sx.ScaleDuplicateResource, match="already exists"):
        scaleapi_client.create_project("dup", scaleapi.TaskType.Comparison)
    with pytest.raises(sx.ScaleNotEnabled):
        scaleapi_client.create_task(
            scaleapi.TaskType.Federal2dVideoAnnotation, project="test_project"
        )
    task = scaleapi_client.create_task(
        scaleapi.TaskType.Transcription, project="test_project", attachment="a"
    )
    with pytest.raises(sx.ScaleInvalidRequest, match="not completed"):
        scaleapi_client.audit_task(task.id, True)
    scaleapi_client.cancel_task(task.id)
    with pytest.raises(sx.ScaleInvalidRequest, match="already been canceled"):
        scaleapi_client.cancel_task(task.id)
    with pytest.raises(sx.ScaleInvalidRequest):
        scaleapi_client.get_project_template("test_project")  # not chat / textcollection
    assert all(set(r.response_json) == {"error"} for r in scale_fake.requests if r.status != 200)


def test_json_body_requires_json_content_type(scale_fake: FakeServer) -> None:
    body = b'{"project": "test_project", "name": "typed"}'
    with http(scale_fake) as c:
        untyped = c.post("/v1/batches", content=body, headers={"content-type": "text/plain"})
        typed = c.post("/v1/batches", content=body, headers={"content-type": "application/json"})
        broken = c.post(
            "/v1/batches", content=b"{nope", headers={"content-type": "application/json"}
        )
    assert untyped.status_code == 400 and '"project" is required' in untyped.json()["error"]
    assert typed.status_code == 200 and typed.json()["name"] == "typed"
    assert broken.status_code == 400


def test_delete_tags_body_and_multipart_upload_are_parsed(
    scale_fake: FakeServer, scaleapi_client: Any
) -> None:
    task = scaleapi_client.create_task(
        scaleapi.TaskType.Transcription, project="test_project", attachment="a", tags=["a", "b"]
    )
    assert scaleapi_client.delete_task_tags(task.id, ["a"]).tags == ["b"]
    delete = scale_fake.requests[-1]
    assert (delete.method, delete.body_kind, delete.json) == ("DELETE", "json", ["a"])
    f = io.BytesIO(b"hello bytes")
    f.name = "/tmp/dir/hello.txt"
    uploaded = scaleapi_client.upload_file(f, project_name="test_project", reference_id="r1")
    up = scale_fake.requests[-1]
    assert up.body_kind == "multipart" and up.header("content-type").startswith(
        "multipart/form-data"
    )
    assert up.parts["file"][0] == "hello.txt" and up.parts["file"][2] == b"hello bytes"
    assert up.parts["project_name"] == (None, None, "test_project")
    data = uploaded.as_dict()
    assert (
        data["project_names"] == ["test_project"]
        and data["size"] == 11
        and data["reference_id"] == "r1"
    )
    with http(scale_fake) as c:
        assert (
            c.post(
                "/v1/files/upload",
                data={"project_name": "test_project"},
                files={"other": ("x.txt", b"x")},
            ).status_code
            == 400
        )


def test_test_mode_keys_complete_tasks_instantly(scale_fake: FakeServer) -> None:
    client = SCALEAPI.build(scale_fake.base_url, INSTANT_KEY)
    task = client.create_task(
        scaleapi.TaskType.ImageAnnotation,
        project="test_project",
        attachment="http://x/cow.jpg",
        geometries={"box": {"objects_to_annotate": ["cow"]}},
    )
    assert task.status == "completed" and task.is_test is True
    assert task.response["annotations"][0]["label"] == "cow"
    client.audit_task(task.id, True, "fine")
    assert client.get_task(task.id).customer_review_status == "accepted"
    assert (
        client.get_tasks_count(
            project_name="test_project", review_status=scaleapi.TaskReviewStatus.Accepted
        )
        == 1
    )


def test_request_log_records_the_wire(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    task = scaleapi_client.create_task(
        scaleapi.TaskType.Transcription, project="test_project", attachment="a"
    )
    scaleapi_client.cancel_task(task.id, clear_unique_id=True)
    rec = scale_fake.requests[-1]
    assert (rec.method, rec.raw_path, rec.query_string) == (
        "POST",
        f"/v1/task/{task.id}/cancel",
        "clear_unique_id=true",
    )
    assert rec.body == b"" and rec.body_kind == "empty" and rec.status == 200
    assert rec.header("user-agent").startswith("scaleapi/2.18.4 ")
    assert rec.response_json["status"] == "canceled"
