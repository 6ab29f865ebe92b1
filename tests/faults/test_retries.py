"""Idempotent calls under retryable faults: they succeed within the retry budget, and
once it is spent they fail with the documented typed error; the server counts
exactly ``1 + retries`` requests either way.

Each test runs per package with an idempotent op, sync and async, and per fault of
``catalog.RETRYABLE`` (429 with Retry-After, 408, 500, 502, 503, 504, a reset before
or after the response head, a truncated body): the fault is in the test's id.  Retry
sleeps are recorded, not waited (``harness.sleeps``), so the delays asked for can be
checked exactly.
"""

from __future__ import annotations

import pytest

import clientcore
from tests.faults.behaviours import Json, Status
from tests.faults.catalog import RETRYABLE, Fault
from tests.faults.harness import Harness, assert_typed

pytestmark = pytest.mark.faults_need("idempotent")

RETRIES = 2
BY_NAME = pytest.mark.parametrize("fault", RETRYABLE, ids=[f.name for f in RETRYABLE])


@BY_NAME
async def test_idempotent_call_succeeds_after_fault_within_retry_budget(
    harness: Harness, fault: Fault
) -> None:
    op, key = harness.adapter.idempotent, "retry-ok"
    assert op is not None
    path = op.path(key)
    harness.server.script(op.method, path, *[fault.behaviour] * RETRIES, then=Json(op.ok(key)))
    client = harness.client(max_retries=RETRIES)
    result = await harness.call(client, op, key)
    assert op.check(result, key)
    assert harness.server.count(op.method, path) == 1 + RETRIES, harness.server.describe()
    assert len(harness.sleeps) == RETRIES


@BY_NAME
async def test_idempotent_call_raises_typed_error_once_retry_budget_is_spent(
    harness: Harness, fault: Fault
) -> None:
    op, key = harness.adapter.idempotent, "retry-spent"
    assert op is not None
    path = op.path(key)
    harness.server.script(
        op.method, path, *[fault.behaviour] * (RETRIES + 1), then=Json(op.ok(key))
    )
    client = harness.client(max_retries=RETRIES)
    with pytest.raises(harness.base) as info:
        await harness.call(client, op, key)
    err = info.value
    assert_typed(err, harness.base, fault.error)
    assert not isinstance(err, clientcore.APITimeoutError)
    assert isinstance(err, clientcore.APIError)
    assert err.status_code == fault.status
    if fault.status is not None:
        assert f"injected {fault.status}" in str(err)
    assert harness.server.count(op.method, path) == 1 + RETRIES, harness.server.describe()
    assert harness.server.unused() == {}
    assert len(harness.sleeps) == RETRIES


@BY_NAME
async def test_per_call_max_retries_zero_sends_once_on_fault(
    harness: Harness, fault: Fault
) -> None:
    op, key = harness.adapter.idempotent, "no-retry"
    assert op is not None
    harness.server.script(op.method, op.path(key), fault.behaviour, then=Json(op.ok(key)))
    client = harness.client(max_retries=RETRIES)
    with pytest.raises(harness.base) as info:
        await harness.call(client, op, key, max_retries=0)
    assert_typed(info.value, harness.base, fault.error)
    assert harness.server.count(op.method, op.path(key)) == 1
    assert harness.sleeps == []


@pytest.mark.parametrize("status", [429, 503], ids=["status-429", "status-503"])
async def test_retry_after_header_is_honoured(harness: Harness, status: int) -> None:
    op, key = harness.adapter.idempotent, "retry-after"
    assert op is not None
    harness.server.script(
        op.method,
        op.path(key),
        Status(status, retry_after=3),
        Status(status, retry_after="0.25"),
        then=Json(op.ok(key)),
    )
    client = harness.client(max_retries=RETRIES)
    assert op.check(await harness.call(client, op, key), key)
    assert harness.sleeps == [3.0, 0.25]


async def test_retry_after_beyond_a_minute_falls_back_to_backoff(harness: Harness) -> None:
    op, key = harness.adapter.idempotent, "retry-after-huge"
    assert op is not None
    harness.server.script(
        op.method, op.path(key), Status(429, retry_after=86400), then=Json(op.ok(key))
    )
    client = harness.client(max_retries=RETRIES)
    assert op.check(await harness.call(client, op, key), key)
    assert len(harness.sleeps) == 1 and 0 < harness.sleeps[0] <= 60


async def test_each_retry_is_the_same_request(harness: Harness) -> None:
    op, key = harness.adapter.idempotent, "same-request"
    assert op is not None
    faults = [Status(503), Status(500)]
    harness.server.script(op.method, op.path(key), *faults, then=Json(op.ok(key)))
    client = harness.client(max_retries=RETRIES)
    assert op.check(await harness.call(client, op, key), key)
    seen = harness.server.requests
    assert len(seen) == 3
    for later in seen[1:]:
        assert (later.method, later.path, later.query, later.body) == (
            seen[0].method,
            seen[0].path,
            seen[0].query,
            seen[0].body,
        )
        assert later.header("authorization") == seen[0].header("authorization")
