"""``to_raw_response`` / ``async_to_raw_response`` over the same generated methods."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

import clientcore
from tests.runtime.conftest import Server, call
from tests.runtime.contract_client import AsyncDemoClient, DemoClient, Task


def wrap(kind: str, method: Any) -> Any:
    return (clientcore.to_raw_response if kind == "sync" else clientcore.async_to_raw_response)(
        method
    )


async def test_raw_response_gives_status_headers_and_parse(
    make_client: Any, server: Server, kind: str
) -> None:
    client = make_client()
    k = uuid.uuid4().hex
    raw = await call(wrap(kind, client.flaky)(k, fail=2, status=503))
    assert isinstance(raw, clientcore.APIResponse)
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "application/json"
    assert raw.retries_taken == 2
    assert raw.http_response.request.url.path == f"/flaky/{k}"
    assert raw.request_id is None
    parsed = raw.parse()
    assert parsed["attempts"] == 3
    assert raw.parse() is parsed  # parsed once
    assert repr(raw) == "<APIResponse [200] retries_taken=2>"


async def test_raw_response_of_a_resource_method_parses_to_the_model(
    make_client: Any, kind: str
) -> None:
    client = make_client()
    uid = uuid.uuid4().hex
    raw = await call(wrap(kind, client.tasks.create)(unique_id=uid))
    task = raw.parse()
    assert isinstance(task, Task) and task.unique_id == uid
    assert task._client is client
    # the flag does not leak: the plain method still returns the model
    plain = await call(client.tasks.list(unique_id=uid))
    assert plain["docs"][0]["unique_id"] == uid


async def test_raw_errors_still_raise(make_client: Any, kind: str) -> None:
    client = make_client(max_retries=0)
    with pytest.raises(clientcore.InternalServerError):
        await call(wrap(kind, client.flaky)(uuid.uuid4().hex, fail=1, status=500))
    # and the next plain call is not raw
    assert isinstance(await call(client.flaky(uuid.uuid4().hex)), dict)


async def test_concurrent_raw_and_plain_calls_do_not_mix(server: Server) -> None:
    async with AsyncDemoClient(base_url=server.base_url) as client:
        raw_flaky = clientcore.async_to_raw_response(client.flaky)
        results = await asyncio.gather(
            *[
                raw_flaky(uuid.uuid4().hex) if i % 2 else client.flaky(uuid.uuid4().hex)
                for i in range(10)
            ]
        )
    for i, result in enumerate(results):
        assert isinstance(result, clientcore.APIResponse) == bool(i % 2)


def test_wrapper_keeps_the_method_metadata(server: Server) -> None:
    client = DemoClient(base_url=server.base_url)
    raw = clientcore.to_raw_response(client.flaky)
    assert raw.__name__ == "flaky" and raw.__wrapped__ == client.flaky  # type: ignore[attr-defined]
    client.close()
