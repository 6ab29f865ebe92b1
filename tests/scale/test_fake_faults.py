"""The Scale fake's test hooks: fault injection (fail the next N requests with ``Retry-After``,
match on the decoded path prefix, act-then-fail for the 409 recovery story, persistent
faults on a create) and the ``/_control/...`` endpoints over HTTP.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import scaleapi
from scaleapi import exceptions as sx

from tests.scale.conftest import BASIC, FakeServer, http
from tests.scale.parity_cases import collapse_attempts, retries_in


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
