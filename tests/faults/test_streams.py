"""Broken and malformed Server-Sent Events streams: every failure is typed, the events
before it are delivered, the connection is released, and the client stays usable.

Runs for every package with a streaming op (``faults_need("stream")``; Scale has
none, so today this is the compiled ``tests/specs/streaming`` package).  The
runtime's documented types (``clientcore.APIStreamError``): a stream whose framing
breaks after it opened (an event that does not decode or validate, a body that ends
before its declared terminator, which includes a non-SSE body) raises
``APIStreamError``; a connection that fails mid-stream (an incomplete chunked body,
a reset) ``APIConnectionError``; a failure before the stream opens is typed like any
call's.  Every one is a subclass of the package's base error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

import clientcore
from tests.faults.adapters import StreamOp
from tests.faults.behaviours import SSE, Behaviour, Body, Json, ResetBeforeHeaders, Status
from tests.faults.harness import Harness, assert_typed

pytestmark = pytest.mark.faults_need("stream")

Events = list[Mapping[str, object]]


def mid_second_event(events: Events) -> int:
    """A byte offset in the middle of the second event's ``data:`` line."""
    first, second = SSE(events).payloads()[:2]
    return len(first) + len(second) // 2


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Events], Behaviour]
    delivered: int  # events the caller gets before the failure
    error: type[clientcore.APIError]
    cause: bool  # the original exception must be the __cause__


CASES = [
    Case(
        "cut-mid-event-chunked",
        lambda ev: SSE(ev, truncate_after=mid_second_event(ev)),
        1,
        clientcore.APIConnectionError,
        True,
    ),
    Case(
        "cut-mid-event-reset",
        lambda ev: SSE(ev, truncate_after=mid_second_event(ev), cut="reset"),
        1,
        clientcore.APIConnectionError,
        True,
    ),
    Case(
        "cut-mid-event-at-connection-close",
        lambda ev: SSE(ev, truncate_after=mid_second_event(ev), framing="close"),
        1,
        clientcore.APIStreamError,
        True,
    ),
    Case(
        "ended-before-terminator",
        lambda ev: SSE(ev, terminator=None, framing="close"),
        3,
        clientcore.APIStreamError,
        False,
    ),
    Case(
        "malformed-data-json",
        lambda ev: SSE(ev[:1], malformed='{"index": 1, "delta": '),
        1,
        clientcore.APIStreamError,
        True,
    ),
    Case(
        "invalid-event-shape",
        lambda ev: SSE(ev[:2], malformed='{"delta": "no index", "index": "one"}'),
        2,
        clientcore.APIStreamError,
        True,
    ),
    Case(
        "wrong-content-type-json",
        lambda ev: Json(dict(ev[0])),
        0,
        clientcore.APIStreamError,
        False,
    ),
    Case(
        "wrong-content-type-html",
        lambda ev: Body(200, b"<html><body>maintenance</body></html>", "text/html"),
        0,
        clientcore.APIStreamError,
        False,
    ),
    Case("status-503-at-start", lambda ev: Status(503), 0, clientcore.InternalServerError, False),
    Case(
        "reset-before-headers",
        lambda ev: ResetBeforeHeaders(),
        0,
        clientcore.APIConnectionError,
        True,
    ),
]


def keys(op: StreamOp, items: list[Any]) -> list[object]:
    return [op.item_key(i) for i in items]


def expected_keys(op: StreamOp, events: Events) -> list[object]:
    return [op.event_key(e) for e in events]


@pytest.mark.parametrize("framing", ["chunked", "close"])
async def test_stream_delivers_every_event_then_ends(harness: Harness, framing: str) -> None:
    op, key = harness.adapter.stream, "whole"
    assert op is not None
    sse = SSE(op.events(key)) if framing == "chunked" else SSE(op.events(key), framing="close")
    harness.server.script(op.method, op.path(key), sse)
    client = harness.client(max_retries=0)
    items, err, stream = await harness.stream_outcome(client, op, key)
    assert err is None
    assert op.check(items, key)
    assert stream.response.is_closed


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_stream_failure_is_typed_and_releases_the_connection(
    harness: Harness, case: Case
) -> None:
    op, key = harness.adapter.stream, "broken"
    assert op is not None
    events = op.events(key)
    harness.server.script(op.method, op.path(key), case.make(events), tag=key)
    client = harness.client(max_retries=0)
    items, err, stream = await harness.stream_outcome(client, op, key)
    assert err is not None, f"the stream ended normally after {len(items)} items"
    assert_typed(err, harness.base, case.error)
    if case.cause:
        assert err.__cause__ is not None
    assert keys(op, items) == expected_keys(op, events[: case.delivered])
    assert "\n" not in str(err)
    if stream is not None and stream.response is not None:
        assert stream.response.is_closed, "the failed stream still holds its connection"
    assert harness.server.count(op.method, op.path(key)) == 1
    # The client is unharmed: the next stream on it works.
    harness.server.script(op.method, op.path("after"), SSE(op.events("after")), tag="after")
    after, err_after, _ = await harness.stream_outcome(client, op, "after")
    assert err_after is None and op.check(after, "after")


async def test_stream_error_event_raises_the_base_error(harness: Harness) -> None:
    """An error the server reports inside the stream is the base error itself, with
    the server's message, not a framing error."""
    op, key = harness.adapter.stream, "error-event"
    assert op is not None
    events = op.events(key)
    harness.server.script(
        op.method, op.path(key), SSE([events[0], {"error": {"message": "model overloaded"}}])
    )
    client = harness.client(max_retries=0)
    items, err, _ = await harness.stream_outcome(client, op, key)
    assert isinstance(err, harness.base)
    assert not isinstance(err, (clientcore.APIStreamError, clientcore.APIConnectionError))
    assert "model overloaded" in str(err)
    assert keys(op, items) == expected_keys(op, events[:1])
