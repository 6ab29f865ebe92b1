"""``client.on_event``: the client mixins that register event listeners.

Design notes
------------
* A listener is registered on the client's WebSocket transport (``x-transports: ws``,
  :mod:`.transport`); while at least one is registered every call goes over the socket
  (``route: listening``), and events reach every listener in the order they arrived.
* ``on_event(callback)`` returns a function that removes that listener (as
  decthings-api's ``on_event``); removing the last one sends later calls over HTTP
  again and closes the socket once nothing else keeps it (no call waiting, no
  subscribed id).
* The sync client calls listeners on one dispatcher thread; the async client on one
  task, awaiting a listener that is a coroutine function.  A listener that raises is
  logged (``decthings_client`` logger) and the others still run.
* ``client.events()`` is the same as an iterator: ``with client.events() as events:
  for event in events: ...`` (``async with`` / ``async for`` on the async client).  It
  is a listener that queues what arrives, registered for the block; iteration waits
  for the next event and ends only with the block (``break`` out of it).
"""

from __future__ import annotations

import asyncio
import queue
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .events import DecthingsEvent

__all__ = ["AsyncEvents", "AsyncEventsMixin", "Events", "EventsMixin"]


class _HasTransports(Protocol):
    def _transport(self, name: str) -> Any: ...


class Events:
    """``client.events()``: the events that arrive while the ``with`` block runs."""

    def __init__(self, client: _HasTransports) -> None:
        self._client = client
        self._queue: queue.Queue[DecthingsEvent] = queue.Queue()
        self._dispose: Callable[[], None] | None = None

    def __enter__(self) -> Events:
        self._dispose = self._client._transport("ws").add_listener(self._queue.put)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._dispose is not None:
            self._dispose()
            self._dispose = None

    def __iter__(self) -> Events:
        return self

    def __next__(self) -> DecthingsEvent:
        return self.get()

    def get(self, timeout: float | None = None) -> DecthingsEvent:
        """The next event; ``queue.Empty`` after ``timeout`` seconds without one."""
        return self._queue.get(timeout=timeout)


class AsyncEvents:
    """``client.events()`` of the async client: ``async with`` / ``async for``."""

    def __init__(self, client: _HasTransports) -> None:
        self._client = client
        self._queue: asyncio.Queue[DecthingsEvent] = asyncio.Queue()
        self._dispose: Callable[[], None] | None = None

    async def __aenter__(self) -> AsyncEvents:
        self._dispose = self._client._transport("ws").add_listener(self._queue.put_nowait)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._dispose is not None:
            self._dispose()
            self._dispose = None

    def __aiter__(self) -> AsyncEvents:
        return self

    async def __anext__(self) -> DecthingsEvent:
        return await self._queue.get()


class EventsMixin:
    """Event listeners for the sync client (``DecthingsClientSync``)."""

    def on_event(
        self: _HasTransports, callback: Callable[[DecthingsEvent], object]
    ) -> Callable[[], None]:
        """Call ``callback`` with every event (typed: ``DecthingsEvent``) until the
        returned function is called.  While any listener is registered, calls go over
        one WebSocket; launch calls subscribe to their session's events."""
        remove: Callable[[], None] = self._transport("ws").add_listener(callback)
        return remove

    def events(self: _HasTransports) -> Events:
        """The events as an iterator, while a ``with`` block runs (a listener meanwhile)."""
        return Events(self)


class AsyncEventsMixin:
    """Event listeners for the async client (``DecthingsClient``)."""

    def on_event(
        self: _HasTransports,
        callback: Callable[[DecthingsEvent], object]
        | Callable[[DecthingsEvent], Awaitable[object]],
    ) -> Callable[[], None]:
        """Call ``callback`` (a function or a coroutine function) with every event until
        the returned function is called; see the sync client."""
        remove: Callable[[], None] = self._transport("ws").add_listener(callback)
        return remove

    def events(self: _HasTransports) -> AsyncEvents:
        """The events as an async iterator, while an ``async with`` block runs."""
        return AsyncEvents(self)
