"""What every operation of our client shares, checked against the served fake: raw responses,
unknown fields and enum values that never crash, per-call extra headers, ``max_retries``
and ``timeout``, and an injected httpx client that is used but not closed.  The last test
checks that all 64 operations (39 v1 + 25 v2) were called successfully by both clients
across the ``test_operations_*`` modules; it relies on this module sorting (and so running)
after the others.
"""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

import httpx
import pytest
import scale_client
from scale_client import BatchStatus, ScaleException, Task, Tasklist, TaskStatus, TaskType

from tests.scale.conftest import OPERATIONS_HIT, Api, all_operations, make_our_client
from tests.scale.operations_support import BEARER, genai_task_id, image_task, last
from tests.scale.parity_cases import API_KEY
from tests.support.server import serve


async def test_raw_responses(api: Api) -> None:
    from clientcore import APIResponse

    task = await image_task(api)
    raw = await api.with_raw_response.get_task(task.task_id)
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200 and raw.retries_taken == 0
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.request_id == raw.headers["x-request-id"] and raw.request_id.startswith("req_")
    parsed = raw.parse()
    assert isinstance(parsed, Task) and parsed.task_id == task.task_id
    assert raw.parse() is parsed  # parsed once
    api.fake.faults.fail_next("GET", "/v2/project", 503, retry_after=0)
    raw_v2 = await api.v2.with_raw_response.get_project(project_name="GenAI Demo")
    assert raw_v2.retries_taken == 1 and raw_v2.parse().name == "GenAI Demo"
    page = await api.with_raw_response.tasks(project="test_project")
    assert isinstance(page.parse(), Tasklist)


async def test_unknown_fields_and_enum_values_never_crash(api: Api) -> None:
    store = api.fake.store
    task = await image_task(api)
    with store.lock:
        raw = store.tasks[task.task_id]
        raw["status"] = "on_hold"  # not a TaskStatus member
        raw["type"] = "hologramannotation"  # not a TaskType member
        raw["customer_review_status"] = "escalated"
        raw["brand_new_field"] = {"nested": [1, 2]}
        store.add_batch("test_project", "odd")["status"] = "archived"
        store.teammates["owner@example.com"]["role"] = "superadmin"
        store.teammates["owner@example.com"]["pronouns"] = "they"
    got = await api.get_task(task.task_id)
    assert isinstance(got.status, TaskStatus) and got.status == "on_hold"
    assert got.status.value == "on_hold" and got.status != TaskStatus.Pending
    assert isinstance(got.type, TaskType) and got.type.value == "hologramannotation"
    assert got.customer_review_status is not None
    assert got.customer_review_status.value == "escalated"
    assert got.brand_new_field == {"nested": [1, 2]}  # type: ignore[attr-defined]
    assert got.model_extra is not None
    assert got.model_extra["brand_new_field"] == {"nested": [1, 2]}
    assert got.model_dump()["brand_new_field"] == {"nested": [1, 2]}
    listed = await api.collect(api.client.get_tasks(project_name="test_project"))
    assert listed[0].status.value == "on_hold"  # type: ignore[union-attr]
    batch = await api.get_batch("odd")
    assert batch.status.value == "archived" and isinstance(batch.status, BatchStatus)
    team = await api.list_teammates()
    owner = next(t for t in team if t.email == "owner@example.com")
    assert owner.role.value == "superadmin" and owner.pronouns == "they"  # type: ignore[attr-defined]
    # v2: unknown task and message-role values
    from scale_client import V2TaskStatus

    tid = genai_task_id(api)
    with store.lock:
        store.tasks[tid]["_threads"][0]["turns"][0]["messages"][0]["role"] = "critic"
    v2_task = await api.v2.get_task(task_id=tid)
    assert v2_task.threads is not None
    assert v2_task.threads[0].turns[0].messages[0].role.value == "critic"  # type: ignore[union-attr]
    with store.lock:
        store.tasks[tid]["status"] = "on_hold"
    on_hold = await api.v2.get_task(task_id=tid)
    assert isinstance(on_hold.status, V2TaskStatus) and on_hold.status.value == "on_hold"


async def test_unknown_annotation_type_in_a_v2_task_does_not_crash(api: Api) -> None:
    store = api.fake.store
    tid = genai_task_id(api)
    with store.lock:
        turn = store.tasks[tid]["_threads"][0]["turns"][0]
        turn["annotations"].append({"id": "73ffff", "key": "mood", "type": "slider", "value": 3})
    task = await api.v2.get_task(task_id=tid)
    assert task.threads is not None
    annotations = task.threads[0].turns[0].annotations or []
    assert len(annotations) == 2
    assert getattr(annotations[-1], "key", None) == "mood"


async def test_per_call_extra_headers_and_max_retries_reach_the_wire(api: Api) -> None:
    task = await image_task(api)
    await api.get_task(task.task_id, extra_headers={"X-Trace-Id": "trace-123"})
    assert last(api).header("x-trace-id") == "trace-123"
    await api.v2.get_projects(extra_headers={"X-Trace-Id": "v2"})
    assert last(api).header("x-trace-id") == "v2" and last(api).authorization == BEARER
    await api.get_task(task.task_id)
    assert last(api).header("x-trace-id") is None  # per call only

    path = f"/v1/task/{task.task_id}"
    api.fake.faults.fail_always("GET", path, 500, retry_after=0)
    with pytest.raises(scale_client.ScaleInternalError):
        await api.get_task(task.task_id, max_retries=1)
    assert [r.status for r in api.fake.requests if r.path == path][-2:] == [500, 500]
    attempts = len([r for r in api.fake.requests if r.path == path])
    with pytest.raises(scale_client.ScaleInternalError):
        await api.get_task(task.task_id, max_retries=0)
    assert len([r for r in api.fake.requests if r.path == path]) == attempts + 1
    with pytest.raises(scale_client.ScaleInternalError):
        await api.get_task(task.task_id)  # client default: max_retries 3 (x-retries)
    assert len([r for r in api.fake.requests if r.path == path]) == attempts + 1 + 4
    assert api.sleeps == [0.0] * 4  # Retry-After: 0 honoured, via the sleep hook


async def _slow_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await asyncio.sleep(0.6 if scope["path"].endswith("/slow") else 0)
    body = b'{"task_id": "t1"}'
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_per_call_timeout(is_async: bool) -> None:
    with serve(_slow_app) as base_url:
        client = make_our_client(base_url, is_async, max_retries=0)
        try:
            api = Api(client, is_async, None)  # type: ignore[arg-type]
            with pytest.raises(scale_client.ScaleClientTimeout) as err:
                await api.get_task("slow", timeout=0.1)
            assert isinstance(err.value, scale_client.ScaleConnectionError)
            assert isinstance(err.value, ScaleException) and err.value.status_code is None
            ok = await api.get_task("slow", timeout=5.0)  # the same call, more time
            assert ok.task_id == "t1"
            raw = await api.with_raw_response.get_task("fast", timeout=2.5)
            assert raw.http_response.request.extensions["timeout"]["read"] == 2.5
            raw = await api.with_raw_response.get_task("fast")
            assert raw.http_response.request.extensions["timeout"]["read"] == 60.0  # default
        finally:
            if is_async:
                await client.aclose()
            else:
                client.close()


async def test_injected_http_client_is_used_and_not_closed(scale_fake: Any) -> None:
    seen: list[str] = []

    def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    with httpx.Client(event_hooks={"request": [hook]}) as http:
        with scale_client.ScaleClient(API_KEY, base_url=scale_fake.base_url, http_client=http) as c:
            assert [p.name for p in c.projects()][0] == "test_project"
        assert not http.is_closed and seen == ["/v1/projects"]
    async with httpx.AsyncClient(event_hooks={"request": [lambda r: _arecord(seen, r)]}) as ahttp:
        async with scale_client.AsyncScaleClient(
            API_KEY, base_url=scale_fake.base_url, http_client=ahttp
        ) as ac:
            assert (await ac.get_project("test_project")).name == "test_project"
        assert not ahttp.is_closed and seen[-1] == "/v1/projects/test_project"


async def _arecord(seen: list[str], request: httpx.Request) -> None:
    seen.append(request.url.path)


# =========================================================================== coverage


def test_every_operation_was_called_by_both_clients(request: pytest.FixtureRequest) -> None:
    """All 64 operations (the fake's routes) answered 2xx/3xx to both clients above."""
    package = request.module.__name__.rpartition(".")[0]
    here = Path(request.module.__file__).parent
    modules = [
        importlib.import_module(f"{package}.{path.stem}")
        for path in sorted(here.glob("test_operations_*.py"))
    ]
    defined = {(m.__name__, n) for m in modules for n in dir(m) if n.startswith("test_")}
    selected = {
        (i.module.__name__, getattr(i, "originalname", i.name))
        for i in request.session.items
        if getattr(i, "module", None) in modules
    }
    if defined - selected:
        pytest.skip("run every test_operations_* module to check operation coverage")

    expected = all_operations()
    assert len(expected) == 64
    for kind in ("sync", "async"):
        missing = sorted(expected - OPERATIONS_HIT[kind])
        assert missing == [], f"{kind}: never called successfully: {missing}"
