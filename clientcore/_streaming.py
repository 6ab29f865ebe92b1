"""Typed iterators over a Server-Sent Events response: ``Stream`` and ``AsyncStream``.

Design notes
------------
* Everything but the I/O is written once: ``EventReader`` turns the bytes of the
  response, chunk by chunk, into items (``SSEDecoder`` for the framing, then the
  event rules: terminator, error events, validation into the item type), and
  ``StreamPlan`` is the call (its ``_flow.Opening``, the item type, the spec).  The
  two streams only read chunks, blocking or awaited, and feed them in.
* The response is closed as soon as the stream is done with it: when the events run
  out or the terminator arrives, when an error event raises, when ``close()`` or the
  context manager exits, and when the caller breaks out of a ``for`` loop.  The last
  works because ``__iter__`` returns a fresh generator owned only by the loop: leaving
  the loop finalises it, and its ``finally`` closes the stream (immediately on
  CPython; for ``async for`` the event loop finalises it at its next step).
* The sync stream sends its request when created, so HTTP errors raise at the call.
  The async one is created by a plain call and sends on first iteration or
  ``async with``.  Neither retries once events have started to flow; a failure while
  reading becomes the API's connection error (a read timeout between events its
  timeout error), an event whose data does not decode or validate its
  ``APIStreamError``, and so does a body that ends before a declared terminator.
  Every one of them closes the response first.
* The generators over the response do not reference the stream object, so an
  abandoned stream has no reference cycle and its finaliser (``SyncClosing``) closes
  the response.
* An item type of ``str`` yields each event's data unparsed; ``typing.Any`` the JSON.
"""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterable, Iterator
from typing import Any, Generic, TypeVar

import httpx

from ._actions import AsyncIO, SyncIO
from ._config import StreamSpec
from ._drive import arun, run
from ._errors import APIError, APIStreamError
from ._opened import Opening, SyncClosing
from ._parse import get_parser
from ._pointer import Pointer, resolve_pointer
from ._sse import ServerSentEvent, SSEDecoder

__all__ = ["AsyncStream", "EventParser", "EventReader", "Stream", "StreamPlan"]

T = TypeVar("T")

_SKIP: Any = object()
_STOP: Any = object()


class EventParser:
    """Turns one ``ServerSentEvent`` into an item, ``_SKIP`` or ``_STOP``, or raises."""

    __slots__ = (
        "_spec",
        "_from_json",
        "_error_key",
        "_from_python",
        "_attach",
        "_raw_text",
        "_make_error",
        "_broken",
        "_pointer",
        "_client",
    )

    def __init__(
        self,
        item_type: Any,
        spec: StreamSpec,
        make_error: Callable[[str, object], APIError],
        message_pointer: Pointer | None,
        client: object,
        broken: Callable[[str, object], APIStreamError],
    ) -> None:
        parser = get_parser(item_type)
        self._spec = spec
        self._from_json = parser.from_json
        # An event can only be an error event if its text holds the key, quoted.
        self._error_key = None if spec.error_field is None else json.dumps(spec.error_field)
        self._from_python = parser.from_python
        self._attach = parser.linker
        self._raw_text = item_type is str
        self._make_error = make_error
        self._broken = broken
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
        error_key = self._error_key
        try:
            if error_key is None or error_key not in data:
                # No error field possible: validate straight from the text (one pass in
                # pydantic-core, no intermediate dicts).
                item = self._from_json(data)
            else:
                item = self._decoded(data)
        except ValueError as exc:  # the API's errors are not ValueErrors: they pass
            raise self._broken(f"Invalid stream event: {_first_line(exc)}", data) from exc
        if self._attach is not None:
            self._attach(item, self._client)
        return item

    def _decoded(self, data: str) -> Any:
        """An event that may be an error event: decoded, checked, then validated."""
        obj = json.loads(data)
        field = self._spec.error_field
        if field is not None and isinstance(obj, dict) and obj.get(field):
            raise self._make_error(self._error_message(obj, field), obj)
        return self._from_python(obj)

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


def _first_line(exc: ValueError) -> str:
    return str(exc).partition("\n")[0] or type(exc).__name__


class EventReader:
    """The items of one response, fed its body's chunks; ``done`` after the terminator.

    ``feed`` returns a chunk's items as a list (cheaper than a generator per chunk).
    When an event fails to parse, the items before it are still returned and the
    error is kept in ``failed`` for the caller to raise after yielding them."""

    __slots__ = ("_decoder", "_parse", "_terminated", "done", "failed")

    def __init__(self, parse: EventParser, terminated: bool) -> None:
        self._decoder = SSEDecoder()
        self._parse = parse
        self._terminated = terminated
        self.done = False
        self.failed: Exception | None = None

    def feed(self, chunk: bytes) -> list[Any]:
        return self._items(self._decoder.feed(chunk))

    def end(self) -> list[Any]:
        """The items of an unterminated last event, once the body has ended; then, when
        the stream has a terminator that never came, ``APIStreamError`` in ``failed``
        (the body was cut short: the items so far may not be the whole answer)."""
        items = self._items(self._decoder.flush())
        if self.failed is None and self._terminated and not self.done:
            self.failed = self._parse._broken("The stream ended before its terminator", None)
        return items

    def _items(self, events: Iterable[ServerSentEvent]) -> list[Any]:
        parse = self._parse
        out: list[Any] = []
        for sse in events:
            try:
                item = parse(sse)
            except Exception as exc:
                self.failed = exc
                return out
            if item is _STOP:
                self.done = True
                return out
            if item is not _SKIP:
                out.append(item)
        return out


class StreamPlan(Generic[T]):
    """A ``_stream`` call: the request to open, and how its events become items."""

    __slots__ = ("opening", "item_type", "spec")

    def __init__(self, opening: Opening, item_type: Any, spec: StreamSpec) -> None:
        self.opening = opening
        self.item_type = item_type
        self.spec = spec

    def reader(self, response: httpx.Response) -> EventReader:
        client = self.opening.client
        make_error = functools.partial(client._stream_error, response)
        broken = functools.partial(client._broken_stream, response)
        pointer = client._config.errors.message_pointer
        parse = EventParser(self.item_type, self.spec, make_error, pointer, client, broken)
        return EventReader(parse, self.spec.terminator is not None)


def _events(response: httpx.Response, plan: StreamPlan[Any]) -> Generator[Any, None, None]:
    reader = plan.reader(response)
    try:
        with plan.opening.reading(response):
            for chunk in response.iter_bytes():
                yield from reader.feed(chunk)
                if reader.failed is not None:
                    raise reader.failed
                if reader.done:
                    return
            yield from reader.end()
            if reader.failed is not None:
                raise reader.failed
    finally:
        response.close()


async def _aevents(response: httpx.Response, plan: StreamPlan[Any]) -> AsyncGenerator[Any, None]:
    reader = plan.reader(response)
    try:
        with plan.opening.reading(response):
            async for chunk in response.aiter_bytes():
                for item in reader.feed(chunk):
                    yield item
                if reader.failed is not None:
                    raise reader.failed
                if reader.done:
                    return
            for item in reader.end():
                yield item
            if reader.failed is not None:
                raise reader.failed
    finally:
        await response.aclose()


class Stream(SyncClosing, Generic[T]):
    """Iterator of typed events over an open SSE response (sent when created)."""

    def __init__(self, io: SyncIO, plan: StreamPlan[T]) -> None:
        self.response = run(io, plan.opening.flow())
        self._iterator: Generator[T, None, None] = _events(self.response, plan)

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

    def __repr__(self) -> str:
        return f"<Stream [{self.response.status_code}] closed={self.response.is_closed}>"


class AsyncStream(Generic[T]):
    """Async iterator of typed events; the request is sent on first use."""

    def __init__(self, io: AsyncIO, plan: StreamPlan[T]) -> None:
        self._io = io
        self._plan: StreamPlan[T] | None = plan
        self.response: httpx.Response | None = None
        self._iterator: AsyncGenerator[T, None] | None = None
        self._closed = False

    async def _start(self) -> AsyncGenerator[T, None]:
        if self._iterator is None:
            if self._closed or self._plan is None:
                raise RuntimeError("the stream is closed")
            plan, self._plan = self._plan, None
            self.response = await arun(self._io, plan.opening.flow())
            self._iterator = _aevents(self.response, plan)
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
        self._plan = None
        if self._iterator is not None:
            await self._iterator.aclose()
        if self.response is not None:
            await self.response.aclose()

    aclose = close

    async def start(self) -> AsyncStream[T]:
        """Send the request now (an error status raises here) and return the stream;
        ``await aclient.chat.create(..., stream=True)`` uses it."""
        await self._start()
        return self

    async def __aenter__(self) -> AsyncStream[T]:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        if self.response is None:
            return "<AsyncStream (not started)>"
        return f"<AsyncStream [{self.response.status_code}] closed={self.response.is_closed}>"
