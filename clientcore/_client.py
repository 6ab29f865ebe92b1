"""``SyncAPIClient``: the request loop, retries and 409 recovery (sync).

Design notes
------------
* Generated clients subclass these and pass their ``ClientConfig``; generated methods
  call ``_request`` / ``_paginate`` / ``_stream`` with a module-level ``Operation``.
* The hot path is flat: prepare once (``BaseClient._prepare``), then per attempt
  build the request (``BaseClient._build``: what ``build_request`` returns, with the
  header merge cached) and ``send`` it on the httpx client, a status check and a
  cached parser.  No closures, no per-attempt objects beyond httpx's own, the retry
  decision only consulted after a failure (``_retry``).
* The sync and async clients (``_async_client.py``) are written twice, line for
  line, like httpx's own clients: the shared parts (preparation, retry decisions,
  errors, parsing) are in other modules; only the I/O differs.
* An injected ``http_client`` is used as is (its own headers, cookies, limits and
  transport) and never closed by us; a client we create is closed by ``close()`` /
  ``aclose()`` or the context manager.
* ``_sleep`` (``time.sleep`` / ``asyncio.sleep``) is an instance attribute so tests
  can record backoff delays instead of waiting.
* A 409 after an attempt that may have acted (5xx, or a transport error after the
  request was sent) is looked up with the operation's ``Recovery`` before raising.
"""

from __future__ import annotations

import functools
import json as jsonlib
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, overload

import httpx

from ._auth import Credential
from ._base import BaseClient, Prepared, is_success, log, parse_item, parse_response
from ._config import ClientConfig, Operation, Pagination, StreamSpec
from ._errors import APIError
from ._pagination import SyncPager
from ._parse import get_parser
from ._response import RAW_RESPONSE, APIResponse
from ._retry import (
    backoff_delay,
    is_retry_safe,
    retry_delay,
    should_retry_exception,
    should_retry_status,
    was_sent,
)
from ._streaming import EventParser, Stream
from ._types import NOT_GIVEN, NotGiven, RequestFiles, SyncCredential, TimeoutTypes

__all__ = ["SyncAPIClient"]

T = TypeVar("T")
Headers = Mapping[str, str]


class SyncAPIClient(BaseClient):
    """Base class of generated synchronous clients."""

    _http: httpx.Client

    def __init__(
        self,
        config: ClientConfig,
        *,
        credential: SyncCredential | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        holder = Credential(credential)
        if holder.is_async:
            raise TypeError("an async credential needs the async client")
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError("http_client must be an httpx.Client")
        owns = http_client is None
        self._setup(config, holder, base_url, timeout, max_retries, default_headers, owns)
        self._http = (
            http_client
            if http_client is not None
            else httpx.Client(timeout=self.timeout, headers=self._default_headers)
        )
        self._sleep: Callable[[float], object] = time.sleep

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP client if this client created it (an injected one is left open)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the calls generated methods make ----------------------------------------------

    @overload
    def _request(
        self,
        op: Operation,
        cast_to: None,
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        files: RequestFiles | None = None,
        data: Mapping[str, object] | None = None,
        headers: Headers | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None: ...

    @overload
    def _request(
        self,
        op: Operation,
        cast_to: type[T],
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        files: RequestFiles | None = None,
        data: Mapping[str, object] | None = None,
        headers: Headers | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> T: ...

    @overload
    def _request(
        self,
        op: Operation,
        cast_to: Any,
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        files: RequestFiles | None = None,
        data: Mapping[str, object] | None = None,
        headers: Headers | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Any: ...

    def _request(
        self,
        op: Operation,
        cast_to: Any,
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        files: RequestFiles | None = None,
        data: Mapping[str, object] | None = None,
        headers: Headers | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Any:
        """Send one operation (with retries) and return the body parsed into ``cast_to``."""
        raw = RAW_RESPONSE.get()
        if raw:
            RAW_RESPONSE.set(False)  # only the outermost request of a raw call is raw
        prepared = self._prepare(op, path, query, json, files, data, headers, timeout)
        response, retries_taken, applied = self._send(op, prepared, json, max_retries, False)
        if not is_success(op, response.status_code):
            if response.status_code == 409 and applied and op.recovery is not None:
                return self._recover(op, cast_to, json, response, retries_taken, timeout, raw)
            raise self._status_error(response)
        if raw:
            return APIResponse(
                response, retries_taken, functools.partial(parse_response, cast_to, self)
            )
        if cast_to is None:
            return None
        parser = get_parser(cast_to)
        value = parser.from_json(response.content)
        if parser.linker is not None:
            parser.linker(value, self)
        return value

    @overload
    def _paginate(
        self,
        op: Operation,
        item_type: type[T],
        pagination: Pagination,
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        headers: Headers | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPager[T]: ...

    @overload
    def _paginate(
        self,
        op: Operation,
        item_type: Any,
        pagination: Pagination,
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        headers: Headers | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPager[Any]: ...

    def _paginate(
        self,
        op: Operation,
        item_type: Any,
        pagination: Pagination,
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        headers: Headers | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPager[Any]:
        """A lazy pager over every item; nothing is sent until it is iterated."""
        fetch = functools.partial(self._fetch_page, op, path, headers, timeout, max_retries)
        return SyncPager(fetch, op, item_type, pagination, query, json, self)

    @overload
    def _stream(
        self,
        op: Operation,
        item_type: type[T],
        stream_spec: StreamSpec,
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        headers: Headers | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Stream[T]: ...

    @overload
    def _stream(
        self,
        op: Operation,
        item_type: Any,
        stream_spec: StreamSpec,
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        headers: Headers | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Stream[Any]: ...

    def _stream(
        self,
        op: Operation,
        item_type: Any,
        stream_spec: StreamSpec,
        *,
        path: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        headers: Headers | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Stream[Any]:
        """Send now (HTTP errors raise here) and return a typed event stream."""
        prepared = self._prepare(
            op, path, query, json, None, None, headers, timeout, accept="text/event-stream"
        )
        response, _, _ = self._send(op, prepared, json, max_retries, True)
        if not is_success(op, response.status_code):
            try:
                response.read()
            except httpx.HTTPError as exc:
                raise self._connection_error(exc, response.request) from exc
            finally:
                response.close()
            raise self._status_error(response)
        parse = EventParser(
            item_type,
            stream_spec,
            functools.partial(self._stream_error, response),
            self._config.errors.message_pointer,
            self,
        )
        return Stream(response, parse)

    # -- internals ---------------------------------------------------------------------

    def _fetch_page(
        self,
        op: Operation,
        path: Mapping[str, object] | None,
        headers: Headers | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        query: Mapping[str, object] | None,
        body: object,
    ) -> Any:
        prepared = self._prepare(op, path, query, body, None, None, headers, timeout)
        response, _, _ = self._send(op, prepared, body, max_retries, False)
        if not is_success(op, response.status_code):
            raise self._status_error(response)
        return jsonlib.loads(response.content)

    def _send(
        self,
        op: Operation,
        prepared: Prepared,
        body: object,
        max_retries: int | NotGiven,
        stream: bool,
    ) -> tuple[httpx.Response, int, bool]:
        """The retry loop: the final response, the retries taken, and whether an
        earlier attempt may have acted on the server (for 409 recovery)."""
        http = self._http
        credential = self._credential
        retries = self.max_retries if isinstance(max_retries, NotGiven) else max_retries
        n = 0
        applied = False
        while True:
            if credential.is_static:
                url, headers, static = prepared.url, prepared.headers, prepared.static
            else:
                static = False
                auth = self._dynamic_auth(op, credential.get())
                url, headers = self._with_auth(prepared, auth)
            request = self._build(op.method, url, headers, static, prepared)
            try:
                response = http.send(request, stream=stream)
            except httpx.TransportError as exc:
                if n < retries and should_retry_exception(exc, is_retry_safe(op, body)):
                    applied = applied or was_sent(exc)
                    delay = backoff_delay(self._config.retry, n)
                    self._log_retry(op, prepared, n + 1, retries, delay, type(exc).__name__)
                    self._sleep(delay)
                    n += 1
                    continue
                raise self._connection_error(exc, request) from exc
            except httpx.RequestError as exc:
                raise self._connection_error(exc, request) from exc
            status = response.status_code
            if (
                is_success(op, status)
                or n >= retries
                or not should_retry_status(status, is_retry_safe(op, body))
            ):
                return response, n, applied
            if status >= 500:
                applied = True
            delay = retry_delay(self._config.retry, n, response.headers)
            response.close()
            self._log_retry(op, prepared, n + 1, retries, delay, f"status {status}")
            self._sleep(delay)
            n += 1

    def _recover(
        self,
        op: Operation,
        cast_to: Any,
        body: object,
        response: httpx.Response,
        retries_taken: int,
        timeout: TimeoutTypes | NotGiven,
        raw: bool,
    ) -> Any:
        conflict = self._status_error(response)
        query = self._recovery_query(op, body)
        if query is None:
            raise conflict
        assert op.recovery is not None
        lookup = op.recovery.operation
        try:
            prepared = self._prepare(lookup, None, query, NOT_GIVEN, None, None, None, timeout)
            found, _, _ = self._send(lookup, prepared, NOT_GIVEN, NOT_GIVEN, False)
            if not is_success(lookup, found.status_code):
                raise self._status_error(found)
            item = self._recovered_item(op, jsonlib.loads(found.content))
        except (APIError, ValueError) as exc:
            raise conflict from exc
        if item is None:
            raise conflict
        log.info(
            "Recovered %s %s after 409 with %s %s", op.method, op.path, lookup.method, lookup.path
        )
        value = parse_item(cast_to, self, item)
        if raw:
            return APIResponse(found, retries_taken, lambda _: value, value)
        return value
