"""Typed iterators over a Server-Sent Events response: ``Stream`` and ``AsyncStream``.

Design notes
------------
* The event rules (terminator, error events, validation into the item type) live in
  one ``EventParser`` shared by both streams; bytes-to-events is ``SSEDecoder``.
* The response is closed as soon as the stream is done with it: when the events run
  out or the terminator arrives, when an error event raises, when ``close()`` or the
  context manager exits, and when the caller breaks out of a ``for`` loop.  The last
  works because ``__iter__`` returns a fresh generator owned only by the loop: leaving
  the loop finalises it, and its ``finally`` closes the stream (immediately on
  CPython; for ``async for`` the event loop finalises it at its next step).
* The sync stream sends its request when created, so HTTP errors raise at the call.
  The async one is created by a plain call and sends on first iteration or
  ``async with``.  Neither retries once events have started to flow.
* The generators over the response do not reference the stream object, so an
  abandoned stream has no reference cycle and its ``__del__`` closes the response.
* An item type of ``str`` yields each event's data unparsed; ``typing.Any`` the JSON.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx

from ._config import StreamSpec
from ._errors import APIError
from ._parse import get_parser
from ._pointer import resolve_pointer
from ._sse import ServerSentEvent, SSEDecoder

__all__ = ["AsyncStream", "EventParser", "Stream"]

T = TypeVar("T")

_SKIP: Any = object()
_STOP: Any = object()


class EventParser:
    """Turns one ``ServerSentEvent`` into an item, ``_SKIP`` or ``_STOP``, or raises."""

    __slots__ = (
        "_spec",
        "_from_python",
        "_attach",
        "_raw_text",
        "_make_error",
        "_pointer",
        "_client",
    )

    def __init__(
        self,
        item_type: Any,
        spec: StreamSpec,
        make_error: Callable[[str, object], APIError],
        message_pointer: tuple[str | int, ...] | None,
        client: object,
    ) -> None:
        parser = get_parser(item_type)
        self._spec = spec
        self._from_python = parser.from_python
        self._attach = parser.linker
        self._raw_text = item_type is str
        self._make_error = make_error
        self._pointer = message_pointer
        self._client = client

    def __call__(self, sse: ServerSentEvent) -> Any:
        data = sse.data
        terminator = self._spec.terminator
        if terminator is not None and data.startswith(terminator):
            return _STOP
        if self._raw_text:
            return data
        if not data.strip():
            return _SKIP
        obj = json.loads(data)
        field = self._spec.error_field
        if field is not None and isinstance(obj, dict) and obj.get(field):
            raise self._make_error(self._error_message(obj, field), obj)
        item = self._from_python(obj)
        if self._attach is not None:
            self._attach(item, self._client)
        return item

    def _error_message(self, obj: dict[str, Any], field: str) -> str:
        if self._pointer is not None:
            found = resolve_pointer(obj, self._pointer)
            if isinstance(found, str) and found:
                return found
        error = obj[field]
        if isinstance(error, str):
            return error
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
        return "An error occurred during streaming"


def _events(response: httpx.Response, parse: EventParser) -> Generator[Any, None, None]:
    decoder = SSEDecoder()
    try:
        for chunk in response.iter_bytes():
            for sse in decoder.feed(chunk):
                item = parse(sse)
                if item is _STOP:
                    return
                if item is not _SKIP:
                    yield item
        for sse in decoder.flush():
            item = parse(sse)
            if item is _STOP:
                return
            if item is not _SKIP:
                yield item
    finally:
        response.close()


async def _aevents(response: httpx.Response, parse: EventParser) -> AsyncGenerator[Any, None]:
    decoder = SSEDecoder()
    try:
        async for chunk in response.aiter_bytes():
            for sse in decoder.feed(chunk):
                item = parse(sse)
                if item is _STOP:
                    return
                if item is not _SKIP:
                    yield item
        for sse in decoder.flush():
            item = parse(sse)
            if item is _STOP:
                return
            if item is not _SKIP:
                yield item
    finally:
        await response.aclose()


class Stream(Generic[T]):
    """Iterator of typed events over an open SSE response."""

    def __init__(self, response: httpx.Response, parse: EventParser) -> None:
        self.response = response
        self._iterator: Generator[T, None, None] = _events(response, parse)

    def __next__(self) -> T:
        return next(self._iterator)

    def __iter__(self) -> Iterator[T]:
        return self._consume()

    def _consume(self) -> Iterator[T]:
        try:
            yield from self._iterator
        finally:
            self.close()

    def close(self) -> None:
        """Stop the stream and release its connection (idempotent)."""
        self._iterator.close()
        self.response.close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            response = self.__dict__.get("response")
            if response is not None and not response.is_closed:
                response.close()
        except Exception:  # pragma: no cover - never raise from a finaliser
            pass

    def __repr__(self) -> str:
        return f"<Stream [{self.response.status_code}] closed={self.response.is_closed}>"


class AsyncStream(Generic[T]):
    """Async iterator of typed events; the request is sent on first use."""

    def __init__(
        self, open_response: Callable[[], Awaitable[httpx.Response]], parse: EventParser
    ) -> None:
        self._open: Callable[[], Awaitable[httpx.Response]] | None = open_response
        self._parse = parse
        self.response: httpx.Response | None = None
        self._iterator: AsyncGenerator[T, None] | None = None
        self._closed = False

    async def _start(self) -> AsyncGenerator[T, None]:
        if self._iterator is None:
            if self._closed or self._open is None:
                raise RuntimeError("the stream is closed")
            opener, self._open = self._open, None
            self.response = await opener()
            self._iterator = _aevents(self.response, self._parse)
        return self._iterator

    async def __anext__(self) -> T:
        if self._closed:
            raise StopAsyncIteration
        iterator = await self._start()
        return await iterator.__anext__()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._consume()

    async def _consume(self) -> AsyncIterator[T]:
        try:
            if self._closed:
                return
            async for item in await self._start():
                yield item
        finally:
            await self.close()

    async def close(self) -> None:
        """Stop the stream and release its connection (idempotent)."""
        self._closed = True
        self._open = None
        if self._iterator is not None:
            await self._iterator.aclose()
        if self.response is not None:
            await self.response.aclose()

    aclose = close

    async def __aenter__(self) -> AsyncStream[T]:
        await self._start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        if self.response is None:
            return "<AsyncStream (not started)>"
        return f"<AsyncStream [{self.response.status_code}] closed={self.response.is_closed}>"
