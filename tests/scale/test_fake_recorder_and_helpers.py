"""The test machinery around the Scale fake: the recording server (canned responder and the
fake as default), the parity comparator (``compare``, ``collapse_attempts``), the loopback
server-thread helper, the ``CaseEnv`` controls, and the fake's route table (exactly the 64
operations).
"""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest
import scaleapi
from scaleapi import exceptions as sx

from tests.scale.conftest import BASIC, FakeServer, RecorderSession
from tests.scale.parity_cases import (
    API_KEY,
    SCALEAPI,
    CaseEnv,
    collapse_attempts,
    compare,
    json_diff,
    retries_in,
)
from tests.servers.recorder import Canned
from tests.servers.scale_fake import create_app
from tests.servers.wire import FormPart, RecordedRequest
from tests.support.server import ServerThread, serve


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
