"""``AsyncAPIClient``: the async twin of ``_client.SyncAPIClient``, line for line.

Design notes
------------
* Same request loop, retry decisions, errors and 409 recovery as the sync client (see
  ``_client.py``); only the I/O is awaited.  ``_sleep`` is ``asyncio.sleep``.
* The credential may also be an async callable, awaited before every attempt.
* ``_paginate`` and ``_stream`` are plain (not ``async``) calls returning
  ``AsyncPager`` / ``AsyncStream``; requests are sent when they are iterated.
* ``close`` is an alias of ``aclose``.
"""

from __future__ import annotations

import functools
import json as jsonlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar, overload

import httpx

from ._auth import Credential
from ._base import BaseClient, Prepared, is_success, log, parse_item, parse_response
from ._config import ClientConfig, Operation, Pagination, StreamSpec
from ._errors import APIError
from ._pagination import AsyncPager
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
from ._streaming import AsyncStream, EventParser
from ._types import NOT_GIVEN, AsyncCredential, NotGiven, RequestFiles, TimeoutTypes

__all__ = ["AsyncAPIClient"]

T = TypeVar("T")
Headers = Mapping[str, str]


class AsyncAPIClient(BaseClient):
    """Base class of generated asynchronous clients (credential may be an async callable)."""

    _http: httpx.AsyncClient

    def __init__(
        self,
        config: ClientConfig,
        *,
        credential: AsyncCredential | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError("http_client must be an httpx.AsyncClient")
        owns = http_client is None
        holder = Credential(credential)
        self._setup(config, holder, base_url, timeout, max_retries, default_headers, owns)
        self._http = (
            http_client
            if http_client is not None
            else httpx.AsyncClient(timeout=self.timeout, headers=self._default_headers)
        )
        # Imported here, not at module level: a sync-only program never loads asyncio
        # (about 9 ms of `import scale_client`); an async one has it loaded already.
        import asyncio

        self._sleep: Callable[[float], Awaitable[object]] = asyncio.sleep

    # -- lifecycle ---------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the HTTP client if this client created it (an injected one is left open)."""
        if self._owns_http:
            await self._http.aclose()

    close = aclose

    async def __aenter__(self: T) -> T:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- the calls generated methods make ----------------------------------------------

    @overload
    async def _request(
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
    async def _request(
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
    async def _request(
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

    async def _request(
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
            RAW_RESPONSE.set(False)
        prepared = self._prepare(op, path, query, json, files, data, headers, timeout)
        response, retries_taken, applied = await self._send(op, prepared, json, max_retries, False)
        if not is_success(op, response.status_code):
            if response.status_code == 409 and applied and op.recovery is not None:
                return await self._recover(op, cast_to, json, response, retries_taken, timeout, raw)
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
    ) -> AsyncPager[T]: ...

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
    ) -> AsyncPager[Any]: ...

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
    ) -> AsyncPager[Any]:
        """A lazy pager over every item; nothing is sent until it is iterated."""
        fetch = functools.partial(self._fetch_page, op, path, headers, timeout, max_retries)
        return AsyncPager(fetch, op, item_type, pagination, query, json, self)

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
    ) -> AsyncStream[T]: ...

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
    ) -> AsyncStream[Any]: ...

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
    ) -> AsyncStream[Any]:
        """A typed event stream; the request is sent on first iteration (or ``async with``).

        Arguments are encoded now, so a bad argument raises ``ParameterError`` here."""
        prepared = self._prepare(
            op, path, query, json, None, None, headers, timeout, accept="text/event-stream"
        )
        holder: list[httpx.Response] = []
        parse = EventParser(
            item_type,
            stream_spec,
            functools.partial(self._stream_error_from, holder),
            self._config.errors.message_pointer,
            self,
        )
        opener = functools.partial(self._open_stream, op, prepared, json, max_retries, holder)
        return AsyncStream(opener, parse)

    # -- internals ---------------------------------------------------------------------

    async def _open_stream(
        self,
        op: Operation,
        prepared: Prepared,
        body: object,
        max_retries: int | NotGiven,
        holder: list[httpx.Response],
    ) -> httpx.Response:
        response, _, _ = await self._send(op, prepared, body, max_retries, True)
        if not is_success(op, response.status_code):
            try:
                await response.aread()
            except httpx.HTTPError as exc:
                raise self._connection_error(exc, response.request) from exc
            finally:
                await response.aclose()
            raise self._status_error(response)
        holder.append(response)
        return response

    def _stream_error_from(
        self, holder: list[httpx.Response], message: str, body: object
    ) -> APIError:
        return self._stream_error(holder[0], message, body)

    async def _fetch_page(
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
        response, _, _ = await self._send(op, prepared, body, max_retries, False)
        if not is_success(op, response.status_code):
            raise self._status_error(response)
        return jsonlib.loads(response.content)

    async def _send(
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
                auth = self._dynamic_auth(op, await credential.aget())
                url, headers = self._with_auth(prepared, auth)
            request = self._build(op.method, url, headers, static, prepared)
            try:
                response = await http.send(request, stream=stream)
            except httpx.TransportError as exc:
                if n < retries and should_retry_exception(exc, is_retry_safe(op, body)):
                    applied = applied or was_sent(exc)
                    delay = backoff_delay(self._config.retry, n)
                    self._log_retry(op, prepared, n + 1, retries, delay, type(exc).__name__)
                    await self._sleep(delay)
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
            await response.aclose()
            self._log_retry(op, prepared, n + 1, retries, delay, f"status {status}")
            await self._sleep(delay)
            n += 1

    async def _recover(
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
            found, _, _ = await self._send(lookup, prepared, NOT_GIVEN, NOT_GIVEN, False)
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
