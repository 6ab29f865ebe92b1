"""409 recovery: a retried create whose first attempt acted (then failed) is found again."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

import clientcore
from tests.runtime.conftest import Server, call
from tests.runtime.contract_client import DemoConflict, Task


async def test_recovers_the_item_created_by_the_failed_attempt(
    make_client: Any, server: Server
) -> None:
    client = make_client()
    uid = uuid.uuid4().hex
    task = await call(client.tasks.create(unique_id=uid, mode="fail_first"))
    assert isinstance(task, Task)
    assert task.task_id == f"task-{uid}"
    assert task.unique_id == uid
    # attempt 1 acted then answered 500; attempt 2 got 409; one recovery lookup
    assert server.state.counts["tasks-post:" + uid] == 2
    assert server.state.counts["tasks-get:" + uid] == 1
    assert len(client.sleeps) == 1
    assert task._client is client  # Task has __links__


async def test_409_without_an_earlier_failure_is_raised(make_client: Any, server: Server) -> None:
    client = make_client()
    uid = uuid.uuid4().hex
    await call(client.tasks.create(unique_id=uid))  # creates it
    with pytest.raises(DemoConflict) as info:
        await call(client.tasks.create(unique_id=uid))  # duplicate, first attempt
    assert info.value.status_code == 409
    assert info.value.message == f"unique_id {uid} exists"
    assert server.state.counts["tasks-get:" + uid] == 0  # no lookup was made
    assert client.sleeps == []


async def test_409_is_raised_when_the_lookup_finds_nothing(
    make_client: Any, server: Server
) -> None:
    client = make_client()
    uid = uuid.uuid4().hex
    with pytest.raises(clientcore.ConflictError) as info:
        await call(client.tasks.create(unique_id=uid, mode="lose"))
    assert isinstance(info.value, DemoConflict)
    assert server.state.counts["tasks-post:" + uid] == 2
    assert server.state.counts["tasks-get:" + uid] == 1


async def test_recovery_works_for_raw_responses(
    make_client: Any, server: Server, kind: str
) -> None:
    client = make_client()
    uid = uuid.uuid4().hex
    wrap = clientcore.to_raw_response if kind == "sync" else clientcore.async_to_raw_response
    raw = await call(wrap(client.tasks.create)(unique_id=uid, mode="fail_first"))
    assert isinstance(raw, clientcore.APIResponse)
    assert raw.retries_taken == 1
    assert raw.http_response.request.method == "GET"  # the lookup's response
    assert raw.parse().task_id == f"task-{uid}"


def test_recovery_query_needs_the_key_in_the_body() -> None:
    from clientcore._calls import recovery_query
    from tests.runtime.contract_client import CREATE_TASK

    assert recovery_query(CREATE_TASK, {"unique_id": "u"}) == {"unique_id": "u"}
    assert recovery_query(CREATE_TASK, {"unique_id": None}) is None
    assert recovery_query(CREATE_TASK, {"other": 1}) is None
    assert recovery_query(CREATE_TASK, ["unique_id"]) is None
