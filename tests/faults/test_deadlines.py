"""Nothing outlives its deadline: a call given ``timeout=1`` raises the package's timeout
error (a subclass of its base error and of ``clientcore.APITimeoutError``) within the
timeout plus a generous slack, and leaves no connection behind on the server.

Durations are measured only as "the call raised its timeout error within its bound";
no test times a success.  Bounds:

* slow response heads: each attempt is bounded by ``timeout`` today, so a call ends
  within ``timeout * (1 + retries)`` plus its (real) retry sleeps plus ``SLACK``;
* the whole call (issue 6: ``timeout=`` bounds the call, body reads and retries
  included) ends within ``timeout + SLACK`` even when the body trickles in a byte at
  a time, each read well inside its limit, or the retries would add up.
* a stream's start is bounded like a call; a stream stalled between events by the
  per-read limit.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest

import clientcore
from tests.faults.behaviours import SSE, Json, SlowHeaders, Status, Trickle
from tests.faults.harness import Harness, assert_typed

TIMEOUT = 1.0
SLACK = 1.5


def assert_timed_out(harness: Harness, err: BaseException | None) -> None:
    assert err is not None, "the call returned instead of timing out"
    assert_typed(err, harness.base, clientcore.APITimeoutError)


def assert_abandoned(harness: Harness) -> None:
    """The client let go of the timed-out connection (before being closed itself)."""
    assert harness.server.wait_for_open(0), f"still open: {harness.server.open} connection(s)"


async def timed_call(
    harness: Harness, client: object, key: str, **options: object
) -> tuple[float, BaseException | None]:
    op = harness.adapter.unary
    start = time.monotonic()
    outcome = await harness.outcome(client, op, key, **options)
    elapsed = time.monotonic() - start
    return elapsed, outcome if isinstance(outcome, BaseException) else None


async def test_slow_headers_raise_timeout_error_within_timeout(harness: Harness) -> None:
    op, key = harness.adapter.unary, "slow"
    harness.server.script(op.method, op.path(key), then=SlowHeaders(5, Json(op.ok(key))))
    client = harness.client(max_retries=0)
    elapsed, err = await timed_call(harness, client, key, timeout=TIMEOUT)
    assert_timed_out(harness, err)
    assert elapsed <= TIMEOUT + SLACK, f"took {elapsed:.2f}s"
    assert harness.server.count(op.method, op.path(key)) == 1
    assert_abandoned(harness)


@pytest.mark.faults_need("idempotent")
async def test_slow_headers_with_retries_end_within_per_attempt_bound(harness: Harness) -> None:
    op, key = harness.adapter.idempotent, "slow-retried"
    assert op is not None
    retries = 1
    harness.server.script(op.method, op.path(key), then=SlowHeaders(5, Json(op.ok(key))))
    client = harness.client(max_retries=retries, real_sleep=True)
    elapsed, err = await timed_call(harness, client, key, timeout=TIMEOUT)
    assert_timed_out(harness, err)
    bound = TIMEOUT * (1 + retries) + sum(harness.sleeps) + SLACK
    assert elapsed <= bound, f"took {elapsed:.2f}s, bound {bound:.2f}s"
    assert 1 <= harness.server.count(op.method, op.path(key)) <= 1 + retries
    assert_abandoned(harness)


@pytest.mark.faults_need("idempotent")
async def test_slow_headers_with_retries_end_within_whole_call_deadline(harness: Harness) -> None:
    op, key = harness.adapter.idempotent, "slow-deadline"
    assert op is not None
    harness.server.script(op.method, op.path(key), then=SlowHeaders(5, Json(op.ok(key))))
    client = harness.client(max_retries=2, real_sleep=True)
    elapsed, err = await timed_call(harness, client, key, timeout=TIMEOUT)
    assert_timed_out(harness, err)
    assert elapsed <= TIMEOUT + SLACK, f"took {elapsed:.2f}s with sleeps {harness.sleeps}"
    assert_abandoned(harness)


async def test_trickled_body_raises_timeout_error_within_whole_call_deadline(
    harness: Harness,
) -> None:
    op, key = harness.adapter.unary, "trickle"
    body = json.dumps({**op.ok(key), "pad": "0123456789"}).encode()
    # The last 15 bytes at 5 per second: 3 s of body, each read far inside its limit.
    trickle = Trickle(body, bytes_per_second=5, burst=len(body) - 15)
    harness.server.script(op.method, op.path(key), then=trickle)
    client = harness.client(max_retries=2, real_sleep=True)
    elapsed, err = await timed_call(harness, client, key, timeout=TIMEOUT)
    assert_timed_out(harness, err)
    assert elapsed <= TIMEOUT + SLACK, f"took {elapsed:.2f}s"
    assert_abandoned(harness)
    # The cut connection went nowhere near the pool: the next call is fine.
    harness.server.script(op.method, op.path("next"), Json(op.ok("next")))
    assert op.check(await harness.call(client, op, "next", timeout=TIMEOUT), "next")


async def test_retry_after_beyond_the_deadline_is_not_waited(harness: Harness) -> None:
    """A retry whose sleep would end past the deadline is not made: the 429 is the
    outcome, at once, instead of a 30 s wait (runtime-contract: deadlines)."""
    op, key = harness.adapter.unary, "later"
    harness.server.script(
        op.method, op.path(key), Status(429, retry_after=30), then=Json(op.ok(key))
    )
    client = harness.client(max_retries=2, real_sleep=True)
    elapsed, err = await timed_call(harness, client, key, timeout=TIMEOUT)
    assert err is not None
    assert_typed(err, harness.base, clientcore.RateLimitError)
    assert elapsed <= TIMEOUT + SLACK, f"took {elapsed:.2f}s"
    assert harness.server.count(op.method, op.path(key)) == 1
    assert all(s <= TIMEOUT for s in harness.sleeps)


@pytest.mark.parametrize("flavor", ["async"])
async def test_async_call_cancelled_by_its_caller_releases_its_connection(
    harness: Harness,
) -> None:
    """The caller's own deadline (``asyncio.wait_for``) cancels the call mid-request:
    the cancellation propagates as such and the connection is let go."""
    op, key = harness.adapter.unary, "cancelled"
    harness.server.script(op.method, op.path(key), then=SlowHeaders(5, Json(op.ok(key))))
    client = harness.client(max_retries=2)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(harness.call(client, op, key), 0.3)
    assert_abandoned(harness)
    harness.server.script(op.method, op.path("next"), Json(op.ok("next")))
    assert op.check(await harness.call(client, op, "next"), "next")


@pytest.mark.faults_need("stream")
async def test_stream_slow_start_raises_timeout_error_within_timeout(harness: Harness) -> None:
    op, key = harness.adapter.stream, "stream-slow"
    assert op is not None
    harness.server.script(op.method, op.path(key), then=SlowHeaders(5, SSE(op.events(key))))
    client = harness.client(max_retries=0)
    start = time.monotonic()
    items, err, _ = await harness.stream_outcome(client, op, key, timeout=TIMEOUT)
    elapsed = time.monotonic() - start
    assert items == []
    assert_timed_out(harness, err)
    assert elapsed <= TIMEOUT + SLACK, f"took {elapsed:.2f}s"
    assert_abandoned(harness)


@pytest.mark.faults_need("stream")
async def test_stream_stalled_between_events_raises_timeout_error(harness: Harness) -> None:
    op, key = harness.adapter.stream, "stream-stall"
    assert op is not None
    events = op.events(key)
    harness.server.script(op.method, op.path(key), then=SSE(events, interval=5))
    client = harness.client(max_retries=0)
    start = time.monotonic()
    items, err, stream = await harness.stream_outcome(client, op, key, timeout=TIMEOUT)
    elapsed = time.monotonic() - start
    assert [op.item_key(i) for i in items] == [op.event_key(events[0])]  # before the stall
    assert_timed_out(harness, err)
    assert elapsed <= TIMEOUT + SLACK, f"took {elapsed:.2f}s"
    assert stream is not None and stream.response.is_closed
    assert_abandoned(harness)
