"""The Scale fake speaks the real wire format: the official ``scaleapi`` client drives it.

Also covers the fake's test hooks (faults, request log, control endpoints), the recorder,
the parity comparator, and the server-thread helper.
"""

from __future__ import annotations

import base64
import io
import socket
from typing import Any

import httpx
import pytest
import scaleapi
from scaleapi import exceptions as sx
from scaleapi.api_client.v2 import (
    BatchOperationRequest,
    CreateBatchRequest,
    CreateChatTaskRequest,
    ExpandableEnumBatch,
    ExpandableEnumDatasetTask,
    ExpandableEnumDelivery,
    ExpandableEnumTask,
    SetBatchMetadataRequest,
    SetTaskMetadataRequest,
)
from scaleapi.api_client.v2 import exceptions as v2x

from tests.scale.conftest import INSTANT_KEY, FakeServer, RecorderSession
from tests.scale.parity_cases import (
    API_KEY,
    PARITY_CASES,
    SCALEAPI,
    CaseEnv,
    ParityCase,
    case_id,
    collapse_attempts,
    compare,
    json_diff,
    record_case,
    retries_in,
    run_case,
)
from tests.servers.recorder import Canned
from tests.servers.scale_fake import create_app
from tests.servers.wire import FormPart, RecordedRequest
from tests.support.server import ServerThread, serve

SCALEAPI_ERRORS = {
    400: sx.ScaleInvalidRequest,
    401: sx.ScaleUnauthorized,
    402: sx.ScaleNotEnabled,
    404: sx.ScaleResourceNotFound,
    409: sx.ScaleDuplicateResource,
    429: sx.ScaleTooManyRequests,
    500: sx.ScaleInternalError,
    503: sx.ScaleServiceUnavailable,
    504: sx.ScaleTimeoutError,
}
BASIC = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
V1_METHODS = {  # every public scaleapi v1 method (43; v2_get_tasks is the 44th)
    "get_task",
    "cancel_task",
    "audit_task",
    "update_task_unique_id",
    "clear_task_unique_id",
    "set_task_metadata",
    "set_task_tags",
    "add_task_tags",
    "delete_task_tags",
    "tasks",
    "get_tasks",
    "get_tasks_count",
    "create_task",
    "create_batch",
    "finalize_batch",
    "batch_status",
    "get_batch",
    "batches",
    "get_batches",
    "set_batch_metadata",
    "create_project",
    "get_project",
    "get_projects",
    "projects",
    "update_project",
    "get_project_template",
    "upload_file",
    "import_file",
    "create_evaluation_task",
    "create_training_task",
    "list_teammates",
    "invite_teammates",
    "update_teammates_role",
    "list_studio_assignments",
    "add_studio_assignments",
    "remove_studio_assignments",
    "list_project_groups",
    "create_project_group",
    "update_project_group",
    "list_studio_batches",
    "assign_studio_batches",
    "set_studio_batches_priorities",
    "reset_studio_batches_priorities",
}


def http(fake: FakeServer, auth: str | None = BASIC) -> httpx.Client:
    headers = {"Authorization": auth} if auth else {}
    return httpx.Client(base_url=fake.base_url, headers=headers, follow_redirects=False)


# =========================================================================== parity cases


@pytest.mark.parametrize("case", PARITY_CASES, ids=case_id)
def test_parity_case_runs_on_scaleapi(case: ParityCase, scale_fake: FakeServer) -> None:
    env = SCALEAPI.env(scale_fake.base_url, scale_fake.app)
    error = run_case(env.make_client(), case, env)
    log = scale_fake.requests
    assert log, "the case made no request"
    if case.expect_status is None:
        assert [r.summary() for r in log if r.status != 200] == []
    else:
        assert type(error) is SCALEAPI_ERRORS[case.expect_status]
        assert log[-1].status == case.expect_status
        assert error.message and "<Response" not in error.message  # message = body["error"]
        assert retries_in(log) == 0  # scaleapi does not retry over http://


def test_parity_cases_cover_every_v1_method(scale_fake: FakeServer) -> None:
    called: set[str] = set()

    class Spy:
        def __init__(self, client: Any) -> None:
            self._client = client

        def __getattr__(self, name: str) -> Any:
            called.add(name)
            return getattr(self._client, name)

    assert len(PARITY_CASES) >= 24
    assert len({c.name for c in PARITY_CASES}) == len(PARITY_CASES)
    for case in PARITY_CASES:
        scale_fake.reset()
        env = SCALEAPI.env(scale_fake.base_url, scale_fake.app)
        run_case(Spy(env.make_client()), case, env)
    assert V1_METHODS - called == set()
    assert {c.expect_status for c in PARITY_CASES} >= {None, 400, 401, 404, 409, 429, 500}


@pytest.mark.parametrize("case", PARITY_CASES, ids=case_id)
def test_parity_pipeline_is_deterministic(case: ParityCase, recorder: RecorderSession) -> None:
    """Two runs of the same case with the same client record identical traffic."""
    first = record_case(case, SCALEAPI, recorder)
    second = record_case(case, SCALEAPI, recorder)
    assert first.log and first.status == second.status == case.expect_status
    assert compare(first.log, second.log, collapse_retries=case.collapse_retries) == ""
    assert [r.status for r in first.log] == [r.status for r in second.log]
    assert [r.response_body for r in first.log] == [r.response_body for r in second.log]


def test_different_cases_do_not_compare_equal(recorder: RecorderSession) -> None:
    by_name = {c.name: c for c in PARITY_CASES}
    a = record_case(by_name["create_task_image_annotation"], SCALEAPI, recorder)
    b = record_case(by_name["create_task_categorization"], SCALEAPI, recorder)
    diff = compare(a.log, b.log)
    assert "request count: 1 (first) != 3 (second)" in diff
    assert "path: /v1/task/imageannotation != /v1/projects" in diff


def test_record_case_without_session_starts_its_own_server() -> None:
    run = record_case(
        next(c for c in PARITY_CASES if c.name == "error_409_duplicate_batch_name"), SCALEAPI
    )
    assert run.status == 409 and isinstance(run.error, sx.ScaleDuplicateResource)
    assert [r.status for r in run.log] == [200, 409]


def test_run_case_checks_the_expected_outcome(scale_fake: FakeServer) -> None:
    env = SCALEAPI.env(scale_fake.base_url, scale_fake.app)
    quiet = ParityCase("quiet", lambda client, env: client.projects(), expect_status=409)
    with pytest.raises(AssertionError, match="expected an API error with status 409"):
        run_case(env.make_client(), quiet, env)
    loud = ParityCase("loud", lambda client, env: client.get_task("nope"))
    with pytest.raises(AssertionError, match="unexpected ScaleResourceNotFound"):
        run_case(env.make_client(), loud, env)
    wrong = ParityCase("wrong", lambda client, env: client.get_task("nope"), expect_status=400)
    with pytest.raises(AssertionError, match="status 400"):
        run_case(env.make_client(), wrong, env)


# =========================================================================== v1 wire format


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


# =========================================================================== fault injection


def test_fail_next_n_with_retry_after(scale_fake: FakeServer) -> None:
    fault = scale_fake.faults.fail_next("GET", "/v1/projects", 429, n=2, retry_after=1)
    with http(scale_fake) as c:
        assert c.post("/v1/projects", json={}).status_code == 400  # other method: untouched
        rs = [c.get("/v1/projects") for _ in range(3)]
    assert [r.status_code for r in rs] == [429, 429, 200]
    assert rs[0].headers["retry-after"] == "1" and "error" in rs[0].json()
    assert fault.hits == 2


def test_fault_matches_decoded_prefix_and_v2_error_shape(scale_fake: FakeServer) -> None:
    scale_fake.faults.fail_always("*", "/v1/batches/batch one", 504)
    scale_fake.faults.fail_next("GET", "/v2/tasks", 500, body={"custom": True})
    scale_fake.faults.fail_next("GET", "/v2/projects", 502)
    with http(scale_fake) as c:
        assert c.get("/v1/batches/batch%20one%2Ftwo").status_code == 504
        assert c.post("/v1/batches/batch%20one/finalize").status_code == 504
        assert c.get("/v1/batches/batch%20two").status_code == 404
        assert c.get("/v2/tasks").json() == {"custom": True}
        assert c.get("/v2/projects").json() == {
            "status_code": 502,
            "error": "Bad gateway (injected)",
        }
    scale_fake.faults.clear()
    with http(scale_fake) as c:
        assert c.get("/v1/batches/batch%20one%2Ftwo").status_code == 404


def test_act_then_fail_supports_the_409_recovery_story(
    scale_fake: FakeServer, scaleapi_client: Any
) -> None:
    scale_fake.faults.act_then_fail("POST", "/v1/task/", 500)
    payload = dict(project="test_project", attachment="a", unique_id="once")
    with pytest.raises(sx.ScaleInternalError):
        scaleapi_client.create_task(scaleapi.TaskType.Transcription, **payload)
    with pytest.raises(sx.ScaleDuplicateResource):  # the first attempt did create it
        scaleapi_client.create_task(scaleapi.TaskType.Transcription, **payload)
    found = scaleapi_client.tasks(unique_id="once")
    assert len(found) == 1 and found[0].unique_id == "once"
    assert [r.status for r in scale_fake.requests] == [500, 409, 200]


def test_persistent_fault_on_a_create_compares_first_attempts(scale_fake: FakeServer) -> None:
    scale_fake.faults.fail_always("POST", "/v1/batches", 503, retry_after=0)
    body = {"project": "test_project", "name": "x"}
    with http(scale_fake) as c:
        for _ in range(3):  # a retrying client
            c.post("/v1/batches", json=body)
        c.post("/v1/batches", json={**body, "name": "different"})
    log = scale_fake.requests
    assert retries_in(log) == 2 and len(collapse_attempts(log)) == 2


def test_control_endpoints_over_http(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    task = scaleapi_client.create_task(
        scaleapi.TaskType.Transcription, project="test_project", attachment="a"
    )
    with httpx.Client(base_url=scale_fake.base_url) as c:
        assert (
            c.post(
                "/_control/faults",
                json={
                    "method": "GET",
                    "path": "/v1/teams",
                    "status": 503,
                    "times": None,
                    "retry_after": 2,
                },
            ).status_code
            == 200
        )
        assert c.get("/v1/teams", headers={"Authorization": BASIC}).status_code == 503
        assert c.get("/_control/faults").json()[0]["hits"] == 1
        c.delete("/_control/faults")
        assert c.get("/v1/teams", headers={"Authorization": BASIC}).status_code == 200
        done = c.post(
            f"/_control/tasks/{task.id}/complete", json={"response": {"text": "hi"}}
        ).json()
        assert done["status"] == "completed" and done["response"] == {"text": "hi"}
        assert c.post("/_control/tasks/nope/complete").status_code == 404
        logged = c.get("/_control/requests").json()
        assert [r["raw_path"] for r in logged] == [
            "/v1/task/transcription",
            "/v1/teams",
            "/v1/teams",
        ]
        assert logged[0]["json"]["attachment"] == "a"
        c.post("/_control/reset")
        assert c.get("/_control/requests").json() == []
    with pytest.raises(sx.ScaleResourceNotFound):
        scaleapi_client.get_task(task.id)


# =========================================================================== v2 via client.v2


def test_v2_tasks_and_pagination(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    v2 = scaleapi_client.v2
    page = v2.get_tasks(
        project_name="GenAI Demo",
        limit=2,
        expand=[ExpandableEnumTask.PROJECT, ExpandableEnumTask.BATCH],
    )
    assert len(page.tasks) == 2 and page.next_token
    assert page.tasks[0].project.actual_instance.name == "GenAI Demo"
    assert page.tasks[0].batch.actual_instance.name == "genai_batch_1"
    rest = v2.get_tasks(project_name="GenAI Demo", limit=2, next_token=page.next_token)
    assert len(rest.tasks) == 1 and rest.next_token is None
    rec = scale_fake.requests[0]
    assert rec.authorization == f"Bearer {API_KEY}"
    assert [v for k, v in rec.query if k == "expand"] == ["project", "batch"]
    tasks = list(
        scaleapi_client.v2_get_tasks(project_name="GenAI Demo", status="completed", limit=1)
    )
    assert len(tasks) == 3
    thread = tasks[0].threads[0]
    annotation = thread.turns[0].annotations[0].actual_instance
    assert annotation.type == "integer" and annotation.value == 3
    fetched = v2.get_annotation(annotation_id=annotation.id)
    assert fetched.actual_instance.key == "rating"
    one = v2.get_task(task_id=tasks[1].task_id)
    assert one.status.value == "completed" and one.metadata == {"seq": 1}


def test_v2_create_chat_task_and_metadata(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    v2 = scaleapi_client.v2
    task = v2.create_chat_task(
        CreateChatTaskRequest(
            project_name="GenAI Demo",
            batch_name="genai_batch_1",
            template_variables={"prompt": "hi"},
            metadata={"a": {"b": 1}},
        )
    )
    assert task.status.value == "pending" and task.threads == []
    assert scale_fake.requests[-1].raw_path == "/v2/task/chat"
    merged = v2.set_task_metadata(
        SetTaskMetadataRequest(task_id=task.task_id, metadata={"a": {"c": 2}}, merge=True)
    )
    assert merged.metadata == {"a": {"b": 1, "c": 2}}
    assert scale_fake.requests[-1].json == {
        "task_id": task.task_id,
        "metadata": {"a": {"c": 2}},
        "merge": True,
    }
    replaced = v2.set_task_metadata(SetTaskMetadataRequest(task_id=task.task_id, metadata={"z": 0}))
    assert replaced.metadata == {"z": 0}
    with pytest.raises(v2x.NotFoundException):
        v2.get_task(task_id="5f00000000000000000000ff")
    with pytest.raises(v2x.BadRequestException):
        v2.create_chat_task(CreateChatTaskRequest(metadata={}))


def test_v2_batch_lifecycle(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    v2 = scaleapi_client.v2
    batch = v2.create_batch(
        CreateBatchRequest(
            name="v2 batch/1", project_name="GenAI Demo", staging_batch=True, metadata={"k": 1}
        )
    )
    assert batch.status.value == "staging"
    assert scale_fake.requests[-1].json == {
        "name": "v2 batch/1",
        "project_name": "GenAI Demo",
        "staging_batch": True,
        "metadata": {"k": 1},
    }
    got = v2.get_batch(batch_name="v2 batch/1", expand=[ExpandableEnumBatch.PROJECT])
    assert got.project.actual_instance.name == "GenAI Demo"
    assert v2.get_batch(batch_id=batch.id).name == "v2 batch/1"
    op = BatchOperationRequest(batch_name="v2 batch/1")
    assert v2.finalize_batch(op).status.value == "in_progress"
    assert v2.pause_batch(op).batch.status.value == "paused"
    assert (
        v2.resume_batch(BatchOperationRequest(batch_id=batch.id)).batch.status.value
        == "in_progress"
    )
    cancelled = v2.cancel_batch(op)
    assert cancelled.batch.status.value == "cancelled" and cancelled.message
    with pytest.raises(v2x.BadRequestException):
        v2.pause_batch(op)
    meta = v2.set_batch_metadata(
        SetBatchMetadataRequest(batch_name="v2 batch/1", metadata={"j": 2}, merge=True)
    )
    assert meta.metadata == {"k": 1, "j": 2}
    listed = v2.get_batches(project_name="GenAI Demo", limit=1)
    assert len(listed.batches) == 1 and listed.next_token
    assert [
        b.name
        for b in v2.get_batches(project_name="GenAI Demo", next_token=listed.next_token).batches
    ] == ["v2 batch/1"]
    with pytest.raises(v2x.ConflictException):
        v2.create_batch(CreateBatchRequest(name="v2 batch/1", project_name="GenAI Demo"))
    with pytest.raises(v2x.NotFoundException):
        v2.get_batch(batch_name="nope")


def test_v2_projects_deliveries_schema(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    v2 = scaleapi_client.v2
    names = [p.name for p in v2.get_projects().projects]
    assert names == ["test_project", "GenAI Demo"]
    project = v2.get_project(project_name="GenAI Demo")
    assert project.types == ["SFT"] and v2.get_project(project_id=project.id).name == "GenAI Demo"
    deliveries = v2.get_deliveries(
        project_name="GenAI Demo", expand=[ExpandableEnumDelivery.PROJECT]
    ).deliveries
    assert len(deliveries) == 1 and deliveries[0].task_count == 3
    delivered = v2.get_delivery(
        delivery_id=deliveries[0].id, expand=[ExpandableEnumDelivery.DELIVERY], limit=2
    )
    assert delivered.delivery.actual_instance.name == "delivery-001" and len(delivered.tasks) == 2
    by_name = v2.get_delivery(delivery_name="delivery-001", project_name="GenAI Demo")
    assert by_name.delivery.actual_instance == deliveries[0].id and len(by_name.tasks) == 2
    docs = v2.get_delivery_tasks(delivery_id=deliveries[0].id, limit=100)
    assert (
        docs.total == 3 and docs.docs[0].delivery_id == deliveries[0].id and docs.next_token is None
    )
    schema = v2.get_schema(schema_id=docs.docs[0].response_schema_id)
    assert '"rating"' in schema.var_schema.var_json
    with pytest.raises(v2x.NotFoundException) as err:
        v2.get_schema(schema_id="missing")
    assert err.value.data.status_code == 404
    with http(scale_fake, auth=f"Bearer {API_KEY}") as c:
        bad = c.get("/v2/schema")
    assert bad.status_code == 400 and bad.json()["status_code"] == 400


def test_v2_datasets_and_response_url_redirect(
    scale_fake: FakeServer, scaleapi_client: Any
) -> None:
    v2 = scaleapi_client.v2
    dataset = v2.get_datasets().datasets[0]
    deliveries = v2.get_dataset_deliveries(dataset_id=dataset.id, expand=["dataset"]).deliveries
    assert deliveries[0].dataset.actual_instance.name == "Demo Dataset"
    assert deliveries[0].metadata.task_count == 2
    delivery = v2.get_dataset_delivery(
        delivery_id=deliveries[0].id, expand=[ExpandableEnumDatasetTask.DELIVERY]
    )
    assert (
        delivery.delivery.actual_instance.name == "dataset-delivery-001"
        and len(delivery.tasks) == 2
    )
    first = v2.get_dataset_tasks(dataset_id=dataset.id, limit=1)
    second = v2.get_dataset_tasks(dataset_id=dataset.id, limit=1, next_token=first.next_token)
    assert second.next_token is None and first.tasks[0].task_id != second.tasks[0].task_id
    task = v2.get_dataset_task(
        task_id=first.tasks[0].task_id, expand=[ExpandableEnumDatasetTask.DATASET]
    )
    assert task.dataset.actual_instance.id == dataset.id
    assert v2.get_dataset_task_response_url(task_id=task.task_id, attachment_id="att_0") is None
    redirect, download = scale_fake.requests[-1], None
    assert redirect.status == 302
    with http(scale_fake, auth=f"Bearer {API_KEY}") as c:
        r = c.get(f"/v2/datasets/task/{task.task_id}/response_url/att_0")
        assert r.status_code == 302
        download = httpx.get(r.headers["location"])
    assert download.status_code == 200 and "att_0" in download.text
    with pytest.raises(v2x.NotFoundException):
        v2.get_dataset_task_response_url(task_id=task.task_id, attachment_id="att_9")


def test_v2_auth_and_server_errors(scale_fake: FakeServer) -> None:
    bad = SCALEAPI.build(scale_fake.base_url, "live_wrong")
    with pytest.raises(v2x.UnauthorizedException) as err:
        bad.v2.get_projects()
    assert '"status_code": 401' in err.value.body.replace(":", ": ").replace(":  ", ": ")
    with http(scale_fake) as c:  # v2 also accepts Basic
        assert c.get("/v2/projects").status_code == 200
    good = SCALEAPI.build(scale_fake.base_url, API_KEY)
    scale_fake.faults.fail_next("GET", "/v2/batches", 500)
    with pytest.raises(v2x.ServiceException) as err:
        good.v2.get_batches()
    assert err.value.data.error == "Internal server error (injected)"


# =========================================================================== recorder + compare


def test_recorder_records_and_answers_from_canned(make_recorder: Any) -> None:
    canned = Canned().add("POST", "/v1/things", 201, {"ok": 1}, headers={"X-Extra": "y"}, times=1)
    session = make_recorder(canned)
    base_url, log = session
    with httpx.Client(base_url=base_url) as c:
        r1 = c.post(
            "/v1/things/a%2Fb",
            params=[("t", "x y"), ("t", "z"), ("b", "True")],
            json={"n": 1},
            headers={"Authorization": "Basic abc"},
        )
        r2 = c.post("/v1/things")
        r3 = c.post(
            "/v1/upload",
            files={"file": ("f.bin", b"\x00\x01", "application/x-bin")},
            data={"project_name": "p/q"},
        )
    assert (r1.status_code, r1.json(), r1.headers["x-extra"]) == (201, {"ok": 1}, "y")
    assert r2.status_code == 404 and r3.status_code == 404
    first = log[0]
    assert (first.method, first.raw_path, first.path) == (
        "POST",
        "/v1/things/a%2Fb",
        "/v1/things/a/b",
    )
    assert first.query_string == "t=x+y&t=z&b=True"
    assert first.query == [("t", "x y"), ("t", "z"), ("b", "True")]
    assert first.authorization == "Basic abc" and first.json == {"n": 1} and first.status == 201
    assert log[2].form == [
        FormPart("project_name", None, None, "p/q"),
        FormPart("file", "f.bin", "application/x-bin", b"\x00\x01"),
    ]
    assert log[2].parts["file"] == ("f.bin", "application/x-bin", b"\x00\x01")
    assert session.recorder.fake is None and session.faults is None


def test_recorder_default_responder_is_the_fake(recorder: RecorderSession) -> None:
    base_url, log = recorder
    client = SCALEAPI.build(base_url, API_KEY)
    recorder.faults.fail_next("GET", "/v1/projects", 429)
    with pytest.raises(sx.ScaleTooManyRequests):
        client.projects()
    assert [p.name for p in client.projects()] == ["test_project", "GenAI Demo"]
    assert [r.status for r in log] == [429, 200] and log[1].response_json[0][
        "name"
    ] == "test_project"


def _rec(
    method: str = "POST",
    path: str = "/v1/batches/a%2Fb",
    query: str = "x=1&y=2&y=3",
    body: Any = None,
    auth: str = BASIC,
    status: int = 200,
    form: list[FormPart] | None = None,
) -> RecordedRequest:
    r = RecordedRequest(method, path, query, [("authorization", auth)], status=status)
    if form is not None:
        r.body, r.body_kind, r.form = b"multipart", "multipart", form
    elif body is not None:
        r.body, r.body_kind, r.json = b"json", "json", body
    return r


def test_compare_reports_each_kind_of_difference() -> None:
    base = _rec(body={"a": True, "b": [1, None], "c": None})
    assert compare(base, _rec(body={"c": None, "b": [1, None], "a": True})) == ""
    assert (
        compare(
            base,
            _rec(
                path="/v1/batches/a%2fb",
                query="y=2&x=1&y=3",
                body={"a": True, "b": [1, None], "c": None},
            ),
        )
        == ""
    )
    assert compare(_rec(query="q=a+b"), _rec(query="q=a%20b")) == ""
    cases = {
        "method: POST != PUT": _rec(method="PUT", body=base.json),
        "path: /v1/batches/a%2Fb != /v1/batches/a/b": _rec(path="/v1/batches/a/b", body=base.json),
        "query y: ['2', '3'] != ['3', '2']": _rec(query="x=1&y=3&y=2", body=base.json),
        "query x: ['1'] != <absent>": _rec(query="y=2&y=3", body=base.json),
        "body $.a: boolean True != number 1": _rec(body={**base.json, "a": 1}),
        "body $.c: only in first (None)": _rec(body={"a": True, "b": [1, None]}),
        "body $.b: array length 2 != 1": _rec(body={**base.json, "b": [1]}),
        "body kind: json": _rec(),
        "header authorization": _rec(body=base.json, auth="Bearer x"),
    }
    for expected, other in cases.items():
        diff = compare(base, other)
        assert expected in diff, (expected, diff)
    f1 = [FormPart("file", "a.png", None, b"123"), FormPart("project_name", None, None, "p")]
    assert (
        compare(
            _rec(form=f1),
            _rec(
                form=[
                    FormPart("project_name", None, "text/plain", "p"),
                    FormPart("file", "a.png", "image/png", "123"),
                ]
            ),
        )
        == ""
    )
    diff = compare(_rec(form=f1), _rec(form=[FormPart("file", "b.png", None, b"124")]))
    assert "part names" in diff and "filename: 'a.png' != 'b.png'" in diff and "content" in diff
    assert "request count: 2 (first) != 1 (second)" in compare([base, base], [base])
    assert json_diff(1, 1.0) == [] and json_diff(0, False) != []


def test_collapse_keeps_first_attempts_only() -> None:
    a = [
        _rec(method="GET", status=429),
        _rec(method="GET", status=429),
        _rec(method="GET", status=200),
        _rec(status=500),
        _rec(status=500, body={"changed": 1}),
    ]
    collapsed = collapse_attempts(a)
    assert [(r.method, r.status) for r in collapsed] == [("GET", 429), ("POST", 500), ("POST", 500)]
    assert retries_in(a) == 2
    assert compare(a[:1], a[:3], collapse_retries=True) == ""
    assert compare(a[:1], a[:3]) != ""
    assert (
        compare([_rec(status=200), _rec(status=200)], [_rec(status=200)], collapse_retries=True)
        != ""
    )


# =========================================================================== server helper


def test_serve_binds_loopback_and_shuts_down() -> None:
    with serve(create_app()) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        port = int(base_url.rsplit(":", 1)[1])
        assert httpx.get(f"{base_url}/v1/projects").status_code == 401
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        pass
    with pytest.raises(ValueError, match="non-loopback"):
        ServerThread(create_app(), host="0.0.0.0")


def test_case_env_exposes_fake_controls(scale_fake: FakeServer) -> None:
    env = SCALEAPI.env(scale_fake.base_url, scale_fake.app)
    assert isinstance(env, CaseEnv) and env.TaskType is scaleapi.TaskType
    assert env.faults is scale_fake.faults and env.store is scale_fake.store
    client = env.make_client()
    task = client.create_task(env.TaskType.Transcription, project="test_project", attachment="a")
    env.complete(task.id, {"text": "done"})
    assert client.get_task(task.id).response == {"text": "done"}


def test_fake_routes_are_exactly_the_64_operations() -> None:
    from tests.servers.scale_fake import v1, v2

    v1_ops = {(r.method, r.template.removeprefix("/v1/")) for r in v1.router.routes}
    v2_ops = {(r.method, r.template) for r in v2.router.routes}
    t, b, p, s = "task/{task_id}", "batches/{name}", "projects/{name}", "studio/"
    assert v1_ops == {
        ("GET", t),
        ("POST", "task/{task_type}"),
        ("POST", f"{t}/cancel"),
        ("POST", f"{t}/audit"),
        ("POST", f"{t}/unique_id"),
        ("DELETE", f"{t}/unique_id"),
        ("POST", f"{t}/setMetadata"),
        ("POST", f"{t}/tags"),
        ("PUT", f"{t}/tags"),
        ("DELETE", f"{t}/tags"),
        ("GET", "tasks"),
        ("POST", "batches"),
        ("GET", "batches"),
        ("GET", b),
        ("POST", f"{b}/finalize"),
        ("GET", f"{b}/status"),
        ("POST", f"{b}/setMetadata"),
        ("POST", "projects"),
        ("GET", "projects"),
        ("GET", p),
        ("POST", f"{p}/setParams"),
        ("GET", f"{p}/taskTemplates"),
        ("POST", "files/upload"),
        ("POST", "files/import"),
        ("POST", "evaluation_tasks/{task_type}"),
        ("POST", "training_tasks/{task_type}"),
        ("GET", "teams"),
        ("POST", "teams/invite"),
        ("POST", "teams/set_role"),
        ("GET", f"{s}assignments"),
        ("POST", f"{s}assignments/add"),
        ("POST", f"{s}assignments/remove"),
        ("GET", f"{s}projects/{{project}}/groups"),
        ("POST", f"{s}projects/{{project}}/groups"),
        ("PUT", f"{s}projects/{{project}}/groups/{{group}}"),
        ("GET", f"{s}batches"),
        ("POST", f"{s}batches/set_priorities"),
        ("POST", f"{s}batches/reset_priorities"),
        ("PUT", f"{s}batches/{{name}}"),
    }
    assert len(v1.router.routes) == 39
    gets = [
        "task",
        "tasks",
        "batch",
        "batches",
        "project",
        "projects",
        "deliveries",
        "delivery",
        "delivery/tasks",
        "annotation",
        "schema",
        "datasets",
        "datasets/deliveries",
        "datasets/delivery",
        "datasets/tasks",
        "datasets/task",
        "datasets/task/{task_id}/response_url/{attachment_id}",
    ]
    posts = [
        "task/chat",
        "task/metadata",
        "batch",
        "batch/finalize",
        "batch/pause",
        "batch/resume",
        "batch/cancel",
        "batch/metadata",
    ]
    expected = {("GET", f"/v2/{x}") for x in gets} | {("POST", f"/v2/{x}") for x in posts}
    assert v2_ops == expected and len(v2.router.routes) == 25
