"""Every failure is the documented typed error: a subclass of the package's base error
(``except ScaleException`` catches it) and of the runtime class for its cause, with
the original exception kept as ``__cause__``.

One case per fault, run for every package (its idempotent op when it has one, else
its first unary op), sync and async, with ``max_retries=0`` so each case is exactly
one request and one answer:

* undecodable or invalid success bodies (malformed JSON, HTML with the wrong content
  type, binary garbage, empty, the wrong shape, JSON nested beyond any parser's
  depth, an oversized non-JSON body) -> ``APIResponseValidationError``, keeping the
  status and the raw body;
* broken transports (reset before or after the head, a body shorter than its
  Content-Length, also on an error status) and malformed HTTP (a head that is not
  HTTP, a bad status line, an oversized head, a bad chunk header, a gzip body that
  does not inflate) -> ``APIConnectionError``, no status;
* error statuses whatever their body (a proxy's HTML 502, malformed JSON on a 500,
  a status nobody documents) -> ``APIStatusError`` of the right kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import clientcore
from tests.faults.behaviours import (
    Behaviour,
    Body,
    Json,
    Oversized,
    Raw,
    ResetAfterHeaders,
    ResetBeforeHeaders,
    Status,
    Truncated,
)
from tests.faults.harness import Harness, assert_typed

HTML = b"<!doctype html><html><body><h1>Service Unavailable</h1></body></html>"


@dataclass(frozen=True)
class Case:
    name: str
    behaviour: Behaviour
    error: type[clientcore.APIError]
    status: int | None
    body: object = None  # the raw body the error must keep (when not None)


CASES = [
    Case(
        "malformed-json-200",
        Body(200, b'{"task_id": "k", "text": "k", ', "application/json"),
        clientcore.APIResponseValidationError,
        200,
        '{"task_id": "k", "text": "k", ',
    ),
    Case(
        "html-200-wrong-content-type",
        Body(200, HTML, "text/html; charset=utf-8"),
        clientcore.APIResponseValidationError,
        200,
        HTML.decode(),
    ),
    Case(
        "binary-200-wrong-content-type",
        Body(200, b"\xff\xfe\x00\x81garbage", "application/octet-stream"),
        clientcore.APIResponseValidationError,
        200,
        b"\xff\xfe\x00\x81garbage",
    ),
    Case("empty-200", Body(200, b""), clientcore.APIResponseValidationError, 200),
    Case(
        "wrong-shape-200",
        Json({"unexpected": True}),
        clientcore.APIResponseValidationError,
        200,
    ),
    Case("array-instead-of-object-200", Json([1, 2]), clientcore.APIResponseValidationError, 200),
    Case(
        "deeply-nested-json-200",
        Body(200, b"[" * 100_000 + b"]" * 100_000),
        clientcore.APIResponseValidationError,
        200,
    ),
    Case(
        "oversized-non-json-200",
        Oversized(8 * 1024 * 1024),
        clientcore.APIResponseValidationError,
        200,
    ),
    Case("reset-before-headers", ResetBeforeHeaders(), clientcore.APIConnectionError, None),
    Case(
        "reset-after-headers",
        ResetAfterHeaders(partial=b'{"task_id": '),
        clientcore.APIConnectionError,
        None,
    ),
    Case(
        "truncated-body",
        Truncated(b'{"task_id": "k", "te', declared_length=1000),
        clientcore.APIConnectionError,
        None,
    ),
    Case(
        "truncated-error-body",
        Truncated(b'{"error": "ba', declared_length=1000, status=500),
        clientcore.APIConnectionError,
        None,
    ),
    Case("not-http-at-all", Raw(b"SSH-2.0-OpenSSH_9.6\r\n"), clientcore.APIConnectionError, None),
    Case(
        "malformed-status-line",
        Raw(b"HTTP/1.1 abc OK\r\ncontent-length: 0\r\n\r\n"),
        clientcore.APIConnectionError,
        None,
    ),
    Case(
        "oversized-response-head",
        Body(200, b"{}", headers=(("x-padding", "a" * 200_000),)),
        clientcore.APIConnectionError,
        None,
    ),
    Case(
        "malformed-chunk-header",
        Raw(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
        clientcore.APIConnectionError,
        None,
    ),
    Case(
        "gzip-body-that-does-not-inflate",
        Body(200, b"not gzip at all", headers=(("content-encoding", "gzip"),)),
        clientcore.APIConnectionError,
        None,
    ),
    Case(
        "html-502-from-a-proxy",
        Body(502, HTML, "text/html"),
        clientcore.InternalServerError,
        502,
        HTML.decode(),
    ),
    Case(
        "malformed-json-500",
        Body(500, b'{"error": {"message": ', "application/json"),
        clientcore.InternalServerError,
        500,
        '{"error": {"message": ',
    ),
    Case("undocumented-status-418", Status(418), clientcore.APIStatusError, 418),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_failure_is_the_documented_typed_error(harness: Harness, case: Case) -> None:
    op, key = harness.adapter.unary, "k"
    harness.server.script(op.method, op.path(key), case.behaviour, then=Json(op.ok(key)))
    client = harness.client(max_retries=0)
    with pytest.raises(harness.base) as info:
        await harness.call(client, op, key)
    err = info.value
    assert_typed(err, harness.base, case.error)
    assert isinstance(err, clientcore.APIError)
    assert err.status_code == case.status
    if isinstance(err, clientcore.APIConnectionError):
        assert not isinstance(err, clientcore.APITimeoutError)  # a failure, not a timeout
    if case.body is not None:
        assert err.body == case.body
    assert err.method == op.method and err.url is not None and op.path(key) in err.url
    assert "\n" not in str(err) and len(str(err)) < 500  # one short line, never the body
    assert harness.server.count(op.method, op.path(key)) == 1


async def test_oversized_valid_body_is_returned_whole(harness: Harness) -> None:
    op, key = harness.adapter.unary, "big"
    size = 8 * 1024 * 1024
    harness.server.script(op.method, op.path(key), Oversized(size, base=op.ok(key)))
    client = harness.client(max_retries=0)
    result = await harness.call(client, op, key)
    assert op.check(result, key)
    assert len(result.padding) == size  # unknown fields are kept


async def test_client_is_usable_after_every_typed_failure(harness: Harness) -> None:
    """One client through every case in turn, then a plain success: no failure leaves
    the client (or its pool) broken."""
    op = harness.adapter.unary
    client = harness.client(max_retries=0)
    for case in CASES:
        harness.server.script(op.method, op.path(case.name), case.behaviour, tag=case.name)
        with pytest.raises(harness.base):
            await harness.call(client, op, case.name)
    harness.server.script(op.method, op.path("after"), Json(op.ok("after")), tag="after")
    assert op.check(await harness.call(client, op, "after"), "after")
