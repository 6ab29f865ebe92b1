"""Errors, retries and 409 recovery of the Scale client, end to end against the fake.

Sync and async (the ``api`` fixture).  Sleeps go through the client's sleep hook, which
records the requested delays (``api.sleeps``); no test asserts wall time.  scaleapi's own
behaviour is pinned next to ours where the README says we differ on purpose.
"""

from __future__ import annotations

import base64
import email.utils
import socket
import time
from typing import Any

import pytest
import scale_client
import scaleapi
from scale_client import (
    ScaleClientTimeout,
    ScaleConnectionError,
    ScaleDuplicateTask,
    ScaleException,
    ScaleInternalError,
    ScaleServiceUnavailable,
    ScaleTooManyRequests,
    ScaleUnauthorized,
    Task,
    TaskType,
)
from scaleapi import exceptions as sx

from tests.scale.conftest import Api, FakeServer, make_our_client
from tests.scale.parity_cases import API_KEY, SCALEAPI

IMG = "http://i.imgur.com/v4cBreD.jpg"


def create_kwargs(**extra: Any) -> dict[str, Any]:
    return dict(
        project="test_project",
        attachment=IMG,
        geometries={"box": {"objects_to_annotate": ["x"]}},
        **extra,
    )


def statuses(api: Api, method: str | None = None) -> list[int | None]:
    return [r.status for r in api.fake.requests if method is None or r.method == method]


# =========================================================================== 409 recovery


async def test_409_after_5xx_recovers_the_task_created_by_the_first_attempt(api: Api) -> None:
    store = api.fake.store
    api.fake.faults.act_then_fail("POST", "/v1/task/", 500)  # created, but the client sees 500
    task = await api.create_task(TaskType.ImageAnnotation, **create_kwargs(unique_id="once"))
    assert isinstance(task, Task)
    assert task.task_id == store.unique_ids["once"]
    assert [t for t in store.tasks.values() if t.get("unique_id") == "once"] == [
        store.tasks[task.task_id]
    ]  # exactly one task, the first attempt's
    log = api.fake.requests
    assert [(r.method, r.raw_path, r.status) for r in log] == [
        ("POST", "/v1/task/imageannotation", 500),
        ("POST", "/v1/task/imageannotation", 409),  # the retry meets the duplicate
        ("GET", "/v1/tasks", 200),  # recovery: GET /v1/tasks?unique_id=once
    ]
    assert log[0].json == log[1].json  # the retry is the same request
    assert dict(log[2].query) == {"unique_id": "once"}
    assert task.unique_id == "once" and task.params is not None
    assert len(api.sleeps) == 1  # one backoff before the retry


async def test_409_recovery_through_a_raw_response(api: Api) -> None:
    api.fake.faults.act_then_fail("POST", "/v1/task/", 500)
    raw = await api.with_raw_response.create_task(
        TaskType.ImageAnnotation, **create_kwargs(unique_id="raw-once")
    )
    recovered = raw.parse()
    assert isinstance(recovered, Task)
    assert recovered.task_id == api.fake.store.unique_ids["raw-once"]
    assert raw.status_code == 200 and raw.http_response.request.method == "GET"
    assert raw.http_response.request.url.params["unique_id"] == "raw-once"


async def test_update_task_unique_id_recovers_too(api: Api) -> None:
    task = await api.create_task(TaskType.ImageAnnotation, **create_kwargs())
    api.fake.faults.act_then_fail("POST", f"/v1/task/{task.task_id}/unique_id", 500)
    api.fake.faults.fail_next("POST", f"/v1/task/{task.task_id}/unique_id", 409)
    updated = await api.update_task_unique_id(task.task_id, unique_id="moved")
    assert updated.task_id == task.task_id and updated.unique_id == "moved"
    assert statuses(api)[1:] == [500, 409, 200]


async def test_409_recovery_finding_nothing_raises_the_409(api: Api) -> None:
    faults = api.fake.faults
    faults.fail_next("POST", "/v1/task/", 500)  # nothing created
    faults.fail_next("POST", "/v1/task/", 409)  # ... yet the retry is refused
    with pytest.raises(ScaleDuplicateTask) as err:
        await api.create_task(TaskType.ImageAnnotation, **create_kwargs(unique_id="ghost"))
    assert err.value.code == 409
    assert statuses(api) == [500, 409, 200]  # the recovery looked, found no task
    assert dict(api.fake.requests[-1].query) == {"unique_id": "ghost"}
    assert api.fake.store.tasks.get("ghost") is None


async def test_plain_409_is_raised_without_recovery(api: Api) -> None:
    await api.create_task(TaskType.ImageAnnotation, **create_kwargs(unique_id="dup"))
    with pytest.raises(ScaleDuplicateTask) as err:
        await api.create_task(TaskType.ImageAnnotation, **create_kwargs(unique_id="dup"))
    assert err.value.status_code == 409 and "dup" in err.value.message
    assert statuses(api) == [200, 409]  # no GET /v1/tasks: no earlier attempt failed


def test_scaleapi_409_recovery_never_runs_over_http(scale_fake: FakeServer) -> None:
    """scaleapi's recovery depends on urllib3's retry history, and its retries are mounted
    on https:// only: over http:// the 500 is raised, and a second call meets the 409."""
    client = SCALEAPI.build(scale_fake.base_url, API_KEY)
    scale_fake.faults.act_then_fail("POST", "/v1/task/", 500)
    kwargs = create_kwargs(unique_id="theirs")
    with pytest.raises(sx.ScaleInternalError):
        client.create_task(scaleapi.TaskType.ImageAnnotation, **kwargs)
    with pytest.raises(sx.ScaleDuplicateResource):
        client.create_task(scaleapi.TaskType.ImageAnnotation, **kwargs)
    assert [r.status for r in scale_fake.requests] == [500, 409]


# =========================================================================== which requests retry


async def test_create_task_without_unique_id_is_not_retried_on_500(api: Api) -> None:
    api.fake.faults.fail_always("POST", "/v1/task/", 500)
    with pytest.raises(ScaleInternalError) as err:
        await api.create_task(TaskType.ImageAnnotation, **create_kwargs())
    assert err.value.status_code == 500
    assert statuses(api) == [500]  # exactly one attempt: a retry could duplicate the task
    assert api.sleeps == []


async def test_create_task_with_unique_id_is_retried_with_backoff(api: Api) -> None:
    store = api.fake.store
    api.fake.faults.fail_next("POST", "/v1/task/", 503, n=2)  # nothing created
    task = await api.create_task(TaskType.ImageAnnotation, **create_kwargs(unique_id="retry-me"))
    assert statuses(api) == [503, 503, 200]
    assert store.unique_ids == {"retry-me": task.task_id}
    # no Retry-After: exponential backoff from x-retries (0.5 s, x2) with 0.75..1.0 jitter
    assert len(api.sleeps) == 2
    assert 0.375 <= api.sleeps[0] <= 0.5 and 0.75 <= api.sleeps[1] <= 1.0


async def test_retries_stop_after_max_retries(api: Api) -> None:
    api.fake.faults.fail_always("POST", "/v1/task/", 503, retry_after=0)
    with pytest.raises(ScaleServiceUnavailable):
        await api.create_task(TaskType.ImageAnnotation, **create_kwargs(unique_id="never"))
    assert statuses(api) == [503] * 4  # 1 + x-retries max_retries (3)
    assert api.sleeps == [0.0] * 3


async def test_put_is_retried_unlike_scaleapi(api: Api) -> None:
    task = await api.create_task(TaskType.ImageAnnotation, **create_kwargs(tags=["a"]))
    api.fake.faults.fail_next("PUT", f"/v1/task/{task.task_id}/tags", 502)
    updated = await api.add_task_tags(task.task_id, tags=["b"])
    assert updated.tags == ["a", "b"]
    puts = [r for r in api.fake.requests if r.method == "PUT"]
    assert [r.status for r in puts] == [502, 200] and puts[0].json == puts[1].json == ["b"]
    # scaleapi never retries PUT (nor anything over http://)
    from scaleapi.api import HTTP_RETRY_ALLOWED_METHODS

    assert "PUT" not in HTTP_RETRY_ALLOWED_METHODS and "POST" in HTTP_RETRY_ALLOWED_METHODS


async def test_post_declared_idempotent_is_retried(api: Api) -> None:
    task = await api.create_task(TaskType.ImageAnnotation, **create_kwargs())
    api.fake.faults.fail_next("POST", f"/v1/task/{task.task_id}/setMetadata", 500)
    updated = await api.set_task_metadata(task.task_id, metadata={"k": 1})
    assert updated.metadata == {"k": 1}
    assert statuses(api, "POST")[-2:] == [500, 200]


async def test_429_is_retried_even_for_a_non_idempotent_post(api: Api) -> None:
    api.fake.faults.fail_next("POST", "/v1/batches", 429, retry_after=0)
    batch = await api.create_batch(project="test_project", batch_name="after 429")
    assert batch.name == "after 429" and statuses(api) == [429, 200]


async def test_429_exhausted_raises_too_many_requests(api: Api) -> None:
    api.fake.faults.fail_always("GET", "/v1/projects", 429, retry_after=0)
    with pytest.raises(ScaleTooManyRequests) as err:
        await api.projects(max_retries=1)
    assert err.value.code == 429 and statuses(api) == [429, 429]
    assert err.value.headers["retry-after"] == "0"


# =========================================================================== Retry-After


async def test_retry_after_seconds_is_honoured(api: Api) -> None:
    api.fake.faults.fail_next("GET", "/v1/projects", 429, retry_after=7)
    projects = await api.projects()
    assert [p.name for p in projects][0] == "test_project"
    assert api.sleeps == [7.0]  # the server's delay, not the backoff


async def test_retry_after_http_date_and_ms_are_honoured(api: Api) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    api.fake.faults.fail_next("GET", "/v1/projects", 503, headers={"Retry-After": when})
    api.fake.faults.fail_next("GET", "/v1/projects", 503, headers={"retry-after-ms": "1500"})
    await api.projects()
    assert len(api.sleeps) == 2
    assert 25.0 <= api.sleeps[0] <= 31.0  # an HTTP date ~30 s ahead (1 s resolution)
    assert api.sleeps[1] == pytest.approx(1.5)


async def test_retry_after_over_a_minute_falls_back_to_backoff(api: Api) -> None:
    api.fake.faults.fail_next("GET", "/v1/projects", 429, retry_after=3600)
    await api.projects()
    assert len(api.sleeps) == 1 and 0 < api.sleeps[0] <= 8.0  # capped by max_delay


# =========================================================================== 401 and the secret


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_401_with_a_bad_key_and_the_key_never_leaks(
    scale_fake: FakeServer, is_async: bool
) -> None:
    secret = "live_super_secret_key_0123456789"
    basic = base64.b64encode(f"{secret}:".encode()).decode()
    client = make_our_client(scale_fake.base_url, is_async, api_key=secret)
    try:
        for call in (lambda: client.get_task("t"), lambda: client.v2.get_projects()):
            try:
                result = call()
                if is_async:
                    await result
                raise AssertionError("ScaleUnauthorized expected")
            except ScaleUnauthorized as err:
                assert err.code == err.status_code == 401
                assert err.message.startswith("Unauthorized: please provide a valid API key")
                assert isinstance(err, ScaleException)
                texts = [str(err), repr(err), repr(client), str(err.body), str(dict(err.headers))]
                texts += [repr(v) for v in vars(err).values()]
                for text in texts:
                    assert secret not in text and basic not in text, text
                assert str(err).startswith("401 Unauthorized")
        # 401 is not retried
        assert [r.status for r in scale_fake.requests] == [401, 401]
        assert scale_fake.requests[0].authorization == f"Basic {basic}"  # it was sent, though
        assert scale_fake.requests[1].authorization == f"Bearer {secret}"
    finally:
        if is_async:
            await client.aclose()
        else:
            client.close()


def test_client_repr_shows_the_base_url_only(scale_fake: FakeServer) -> None:
    secret = "live_do_not_print_me"
    with scale_client.ScaleClient(secret, base_url=scale_fake.base_url) as client:
        assert repr(client) == f"<ScaleClient base_url='{scale_fake.base_url}'>"
        assert secret not in repr(client) and secret not in str(client)
        assert secret not in repr(vars(client).get("_config", ""))


# =========================================================================== transport


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_connection_refused_is_retried_then_raised(is_async: bool) -> None:
    sleeps: list[float] = []
    base_url = f"http://127.0.0.1:{_closed_port()}"
    client = make_our_client(base_url, is_async, sleeps=sleeps, max_retries=2)
    try:
        with pytest.raises(ScaleConnectionError) as err:
            result = client.create_task(TaskType.ImageAnnotation, project="p")  # a POST, no key
            if is_async:
                await result
        assert not isinstance(err.value, ScaleClientTimeout)
        assert err.value.status_code is None and err.value.code is None
        assert len(sleeps) == 2  # connect failures are always retried: never sent
    finally:
        if is_async:
            await client.aclose()
        else:
            client.close()


async def test_client_level_max_retries_zero_disables_retries(scale_fake: FakeServer) -> None:
    scale_fake.faults.fail_always("GET", "/v1/projects", 503, retry_after=0)
    with scale_client.ScaleClient(API_KEY, base_url=scale_fake.base_url, max_retries=0) as c:
        with pytest.raises(ScaleServiceUnavailable):
            c.projects()
    assert [r.status for r in scale_fake.requests] == [503]


# =========================================================================== odd error bodies


async def _odd_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    status = int(scope["path"].rsplit("/", 1)[-1])
    body, ctype = {
        502: (b"<html>Bad Gateway</html>", b"text/html"),
        418: (b'{"error": "I am a teapot", "extra": [1]}', b"application/json"),
        400: (b'{"message": "no error key"}', b"application/json"),
    }[status]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", ctype), (b"x-request-id", b"req_odd")],
        }
    )
    await send({"type": "http.response.body", "body": body})


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_error_classes_and_messages_for_unusual_bodies(is_async: bool) -> None:
    from tests.support.server import serve

    with serve(_odd_app) as base_url:
        client = make_our_client(base_url, is_async, max_retries=0)
        try:

            async def fail(task_id: str) -> ScaleException:
                try:
                    result = client.get_task(task_id)
                    if is_async:
                        await result
                except ScaleException as err:
                    return err
                raise AssertionError("no error")

            gateway = await fail("502")  # unnamed 5xx: the 5XX class, raw text message
            assert type(gateway) is scale_client.ScaleServerError
            assert gateway.message == "<html>Bad Gateway</html>" == gateway.body
            assert gateway.code == 502 and gateway.request_id == "req_odd"
            teapot = await fail("418")  # unnamed 4xx: still a ScaleException, JSON body kept
            assert isinstance(teapot, scale_client.ScaleAPIStatusError)
            assert teapot.message == "I am a teapot" and teapot.body == {
                "error": "I am a teapot",
                "extra": [1],
            }
            odd = await fail("400")  # JSON without "error": message falls back to the text
            assert type(odd) is scale_client.ScaleInvalidRequest
            assert "no error key" in odd.message and odd.body == {"message": "no error key"}
        finally:
            if is_async:
                await client.aclose()
            else:
                client.close()
