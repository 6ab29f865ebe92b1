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
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .events import DecthingsEvent

__all__ = ["AsyncEventsMixin", "EventsMixin"]


class _HasTransports(Protocol):
    def _transport(self, name: str) -> Any: ...


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
