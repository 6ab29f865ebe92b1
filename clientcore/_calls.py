"""The calls generated methods make, written once for sync and async clients.

Design notes
------------
* ``request`` is ``_request`` itself, for both kinds of client: it prepares the
  request once and hands ``request_flow`` (see ``_actions``: attempts, recovery of a
  409 after an attempt that may have acted, the result checks, parsing) to the
  client's driver.  ``paginate``, ``stream`` and ``download`` take the client first
  and return what their sync or async finisher (``SyncPager``/``AsyncPager``,
  ``Stream``/``AsyncStream``, ``BinaryResponse``/``AsyncBinaryResponse``) drives.
* ``SyncCalls`` / ``AsyncCalls`` make them methods, for clients and resources alike,
  pairing each call with its kind's finisher; the overloads here are what a type
  checker sees on ``client._request`` and the others (``_drive``).  Keyword
  arguments are typed once, as ``TypedDict``s.
* ``RAW_RESPONSE`` (set by ``to_raw_response``) is read and cleared by the outermost
  request only, so a raw call's recovery lookup or link methods are not raw.
* 409 recovery: when the final response is 409, the operation has a ``Recovery``, an
  earlier attempt may have acted (5xx, or a transport error after sending) and the
  body carried the key, the recovery operation is called with query values taken
  from the body and the item at ``recovery.result`` is returned instead of the 409.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, overload

import httpx

from ._actions import Flow
from ._base import Client, log
from ._config import Operation, Pagination, StreamSpec
from ._download import AsyncBinaryResponse, BinaryResponse
from ._drive import Call, awaiting, blocking, method
from ._errors import APIError
from ._flow import attempts, checked
from ._opened import Opening
from ._outcome import decoded_result, is_success, parsed_result, raw_response, success_value
from ._pagination import AsyncPager, PageWalk, SyncPager
from ._pointer import resolve_pointer
from ._prepared import Prepared
from ._progress import Progress
from ._response import RAW_RESPONSE, APIResponse
from ._streaming import AsyncStream, Stream, StreamPlan
from ._types import NOT_GIVEN, FileContent, NotGiven, RequestFiles, TimeoutTypes

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "AsyncCalls",
    "CallOptions",
    "DownloadOptions",
    "RequestOptions",
    "download",
    "paginate",
    "recovery_query",
    "request",
    "stream",
    "SyncCalls",
]

T = TypeVar("T")

_SSE = "text/event-stream"
_ANY = "*/*"


class CallOptions(TypedDict, total=False):
    """The keyword arguments of every call."""

    path: Mapping[str, object] | None
    query: Mapping[str, object] | None
    json: object
    headers: Mapping[str, object] | None
    cookies: Mapping[str, object] | None
    timeout: TimeoutTypes | NotGiven
    max_retries: int | NotGiven


class RequestOptions(CallOptions, total=False):
    """``_request`` also takes multipart parts or a raw body (``content``: bytes or a
    binary file, read once, sent as ``content_type``), and an upload's progress callback."""

    files: RequestFiles | None
    data: Mapping[str, object] | None
    content: FileContent | None
    content_type: str | None
    upload_progress: Progress | None


class DownloadOptions(CallOptions, total=False):
    """``_download`` also takes a progress callback for the body as it is read."""

    progress: Progress | None


@overload
def request(
    self: Any, op: Operation, cast_to: None, **options: Unpack[RequestOptions]
) -> Call[None]: ...
@overload
def request(
    self: Any, op: Operation, cast_to: type[T], **options: Unpack[RequestOptions]
) -> Call[T]: ...
@overload
def request(
    self: Any, op: Operation, cast_to: Any, **options: Unpack[RequestOptions]
) -> Call[Any]: ...
def request(
    self: Any,
    op: Operation,
    cast_to: Any,
    *,
    path: Mapping[str, object] | None = None,
    query: Mapping[str, object] | None = None,
    json: object = NOT_GIVEN,
    files: RequestFiles | None = None,
    data: Mapping[str, object] | None = None,
    headers: Mapping[str, object] | None = None,
    cookies: Mapping[str, object] | None = None,
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
    content: FileContent | None = None,
    content_type: str | None = None,
    upload_progress: Progress | None = None,
) -> Any:
    """``_request``: send one operation (with retries), return the body parsed into
    ``cast_to`` (a sync client) or an awaitable of it (an async one)."""
    client: Client = self._client
    prepared = client._prepare(
        op,
        path,
        query,
        json,
        files,
        data,
        headers,
        timeout,
        max_retries,
        cookies=cookies,
        content=content,
        content_type=content_type,
    )
    if upload_progress is not None:
        prepared.progress = upload_progress
    return client._drive(client, request_flow(client, cast_to, prepared, timeout))


def request_flow(
    client: Client, cast_to: Any, prepared: Prepared, timeout: TimeoutTypes | NotGiven
) -> Flow[Any]:
    """The flow of ``_request``: attempts, then recovery, checks and parsing."""
    raw = RAW_RESPONSE.get()
    if raw:
        RAW_RESPONSE.set(False)  # only the outermost request of a raw call is raw
    op = prepared.op
    response, retries_taken, applied = yield from attempts(client, prepared, False)
    if not is_success(op, response.status_code):
        if response.status_code == 409 and applied and op.recovery is not None:
            found = yield from recover(client, cast_to, prepared, response, retries_taken, timeout)
            return found if raw else found.parse()
        raise client._status_error(op, response)
    if raw:
        return raw_response(client, op, cast_to, response, retries_taken)
    return success_value(client, op, cast_to, response)


def recovery_query(op: Operation, body: object) -> dict[str, object] | None:
    """Query of the 409 recovery lookup, or ``None`` when the body lacks the key."""
    recovery = op.recovery
    if recovery is None or not isinstance(body, Mapping):
        return None
    if op.idempotency_key is not None and body.get(op.idempotency_key) is None:
        return None
    query: dict[str, object] = {}
    for param, field in recovery.query.items():
        value = body.get(field)
        if value is None:
            return None
        query[param] = value
    return query


def recover(
    client: Client,
    cast_to: Any,
    sent: Prepared,
    conflict_response: httpx.Response,
    retries_taken: int,
    timeout: TimeoutTypes | NotGiven,
) -> Flow[APIResponse[Any]]:
    """The item a 409'd create made after all, found with the operation's ``Recovery``;
    the 409 is raised when it cannot be found."""
    op = sent.op
    conflict = client._status_error(op, conflict_response)
    query = recovery_query(op, sent.body)
    if query is None or op.recovery is None:
        raise conflict
    recovery = op.recovery
    lookup = recovery.operation
    try:
        prepared = client._prepare(
            lookup, None, query, NOT_GIVEN, None, None, None, timeout, NOT_GIVEN
        )
        found = yield from checked(client, prepared, False)
        item = resolve_pointer(decoded_result(client, lookup, found), recovery.result)
    except (APIError, ValueError) as exc:
        raise conflict from exc
    if item is None:
        raise conflict
    log.info("Recovered %s %s after 409 with %s %s", op.method, op.path, lookup.method, lookup.path)
    value = parsed_result(client, cast_to, found, item)
    return APIResponse(found, retries_taken, lambda _: value, value)


@overload
def paginate(
    client: Client,
    op: Operation,
    item_type: type[T],
    pagination: Pagination,
    **options: Unpack[CallOptions],
) -> PageWalk[T]: ...
@overload
def paginate(
    client: Client,
    op: Operation,
    item_type: Any,
    pagination: Pagination,
    **options: Unpack[CallOptions],
) -> PageWalk[Any]: ...
def paginate(
    client: Client,
    op: Operation,
    item_type: Any,
    pagination: Pagination,
    **options: Unpack[CallOptions],
) -> PageWalk[Any]:
    """A lazy walk over every item; nothing is sent (or encoded) until it is iterated."""
    return PageWalk(client, op, item_type, pagination, options)


def _opening(client: Client, op: Operation, options: CallOptions, accept: str) -> Opening:
    """The streamed request of a call, encoded now (a bad argument raises here)."""
    prepared = client._prepare(
        op,
        options.get("path"),
        options.get("query"),
        options.get("json", NOT_GIVEN),
        None,
        None,
        options.get("headers"),
        options.get("timeout", NOT_GIVEN),
        options.get("max_retries", NOT_GIVEN),
        accept=accept,
        cookies=options.get("cookies"),
    )
    return Opening(client, prepared)


@overload
def stream(
    client: Client,
    op: Operation,
    item_type: type[T],
    stream_spec: StreamSpec,
    **options: Unpack[CallOptions],
) -> StreamPlan[T]: ...
@overload
def stream(
    client: Client,
    op: Operation,
    item_type: Any,
    stream_spec: StreamSpec,
    **options: Unpack[CallOptions],
) -> StreamPlan[Any]: ...
def stream(
    client: Client,
    op: Operation,
    item_type: Any,
    stream_spec: StreamSpec,
    **options: Unpack[CallOptions],
) -> StreamPlan[Any]:
    """A typed event stream over the operation's SSE response."""
    return StreamPlan(_opening(client, op, options, _SSE), item_type, stream_spec)


def download(client: Client, op: Operation, **options: Unpack[DownloadOptions]) -> Opening:
    """The operation's binary response, status-checked and left unread (``progress``
    is told of the body as it is read)."""
    opening = _opening(client, op, options, _ANY)
    opening.progress = options.get("progress")
    return opening


# -- the calls as methods, with each kind of client's driver and finishers ------------


class SyncCalls:
    """The calls generated sync methods make, on a client or a resource."""

    _request = blocking(request)
    _paginate = method(paginate, SyncPager)
    _stream = method(stream, Stream)
    _download = method(download, BinaryResponse.open)


class AsyncCalls:
    """The calls generated async methods make, on a client or a resource."""

    _request = awaiting(request)
    _paginate = method(paginate, AsyncPager)
    _stream = method(stream, AsyncStream)
    _download = method(download, AsyncBinaryResponse.open)
