"""Non-idempotent calls are never repeated without an idempotency key, and are repeated
(the same bytes) with one; the server counts every request.

* Without a key, a fault after which the server may have acted (5xx, a reset before
  or after the response head, a truncated body, a timeout after sending) ends the
  call with its typed error after exactly one request, whatever ``max_retries``.
* A 408 or 429 is the exception the runtime documents: the server refused the
  request, so even a non-idempotent call is repeated.
* With the key (``Adapter.keyed``) the same faults are retried, the retry carrying
  the same body, key included.
"""

from __future__ import annotations

import json

import pytest

import clientcore
from tests.faults.behaviours import Json, SlowHeaders, Status
from tests.faults.catalog import FAULTS, REFUSED, SENT, Fault
from tests.faults.harness import Harness, assert_typed

RETRIES = 3
SENT_FAULTS = pytest.mark.parametrize("fault", SENT, ids=[f.name for f in SENT])


@pytest.mark.faults_need("non_idempotent")
@SENT_FAULTS
async def test_non_idempotent_call_is_never_repeated_without_idempotency_key(
    harness: Harness, fault: Fault
) -> None:
    op, key = harness.adapter.non_idempotent, "once"
    assert op is not None
    path = op.path(key)
    harness.server.script(op.method, path, fault.behaviour, then=Json(op.ok(key)), tag=key)
    client = harness.client(max_retries=RETRIES)
    with pytest.raises(harness.base) as info:
        await harness.call(client, op, key)
    assert_typed(info.value, harness.base, fault.error)
    assert harness.server.count(op.method, path) == 1, harness.server.describe()
    assert harness.sleeps == []


@pytest.mark.faults_need("non_idempotent")
async def test_non_idempotent_call_is_never_repeated_after_slow_headers_timeout(
    harness: Harness,
) -> None:
    op, key = harness.adapter.non_idempotent, "once-slow"
    assert op is not None
    path = op.path(key)
    harness.server.script(op.method, path, SlowHeaders(3, Json(op.ok(key))), then=Json(op.ok(key)))
    client = harness.client(max_retries=RETRIES)
    with pytest.raises(harness.base) as info:
        await harness.call(client, op, key, timeout=0.3)
    assert_typed(info.value, harness.base, clientcore.APITimeoutError)
    assert harness.server.count(op.method, path) == 1, harness.server.describe()
    assert harness.sleeps == []


@pytest.mark.faults_need("non_idempotent")
@pytest.mark.parametrize("fault", REFUSED, ids=[f.name for f in REFUSED])
async def test_non_idempotent_call_is_repeated_after_refusal_which_did_not_act(
    harness: Harness, fault: Fault
) -> None:
    op, key = harness.adapter.non_idempotent, "refused"
    assert op is not None
    path = op.path(key)
    harness.server.script(op.method, path, fault.behaviour, then=Json(op.ok(key)))
    client = harness.client(max_retries=RETRIES)
    assert op.check(await harness.call(client, op, key), key)
    assert harness.server.count(op.method, path) == 2
    assert len(harness.sleeps) == 1


@pytest.mark.faults_need("non_idempotent")
async def test_non_idempotent_call_repeated_429s_end_in_typed_rate_limit_error(
    harness: Harness,
) -> None:
    op, key = harness.adapter.non_idempotent, "refused-always"
    assert op is not None
    path = op.path(key)
    harness.server.script(op.method, path, then=Status(429, retry_after=0))
    client = harness.client(max_retries=RETRIES)
    with pytest.raises(harness.base) as info:
        await harness.call(client, op, key)
    assert_typed(info.value, harness.base, clientcore.RateLimitError)
    assert harness.server.count(op.method, path) == 1 + RETRIES


@pytest.mark.faults_need("keyed")
@SENT_FAULTS
async def test_keyed_call_is_retried_with_the_same_idempotency_key(
    harness: Harness, fault: Fault
) -> None:
    op, key = harness.adapter.keyed, "keyed-once"
    assert op is not None
    path = op.path(key)
    harness.server.script(op.method, path, fault.behaviour, then=Json(op.ok(key)), tag=key)
    client = harness.client(max_retries=RETRIES)
    assert op.check(await harness.call(client, op, key), key)
    seen = harness.server.requests
    assert len(seen) == 2, harness.server.describe()
    assert seen[0].body == seen[1].body
    assert key in json.loads(seen[0].body).values()  # the key travels in the body
    assert len(harness.sleeps) == 1


@pytest.mark.faults_need("keyed")
async def test_keyed_call_raises_typed_error_once_retry_budget_is_spent(
    harness: Harness,
) -> None:
    op, key = harness.adapter.keyed, "keyed-spent"
    assert op is not None
    path = op.path(key)
    fault = FAULTS["status-503"]
    harness.server.script(op.method, path, then=fault.behaviour)
    client = harness.client(max_retries=RETRIES)
    with pytest.raises(harness.base) as info:
        await harness.call(client, op, key)
    assert_typed(info.value, harness.base, fault.error)
    assert harness.server.count(op.method, path) == 1 + RETRIES


@pytest.mark.faults_need("keyed", "non_idempotent")
async def test_same_operation_without_its_key_is_sent_once(harness: Harness) -> None:
    """The key, not the operation, makes the difference: the same op, same fault."""
    keyed, plain = harness.adapter.keyed, harness.adapter.non_idempotent
    assert keyed is not None and plain is not None
    client = harness.client(max_retries=RETRIES)
    for op, key in ((keyed, "with-key"), (plain, "without-key")):
        harness.server.script(op.method, op.path(key), Status(500), then=Json(op.ok(key)), tag=key)
    assert keyed.check(await harness.call(client, keyed, "with-key"), "with-key")
    with pytest.raises(harness.base):
        await harness.call(client, plain, "without-key")
    tags = {t: len(seen) for t, seen in harness.server.by_tag().items()}
    assert tags == {"with-key": 2, "without-key": 1}
