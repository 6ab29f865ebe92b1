"""Pluggable transports: what sends an operation's request when it is not httpx.

Design notes
------------
* An ``Operation`` may name a transport (``Operation.transport``); ``None`` (every
  operation by default) is the client's httpx client.  ``ClientConfig.transports``
  maps each name to a ``TransportFactory``, which makes a ``SyncTransport`` for sync
  clients and an ``AsyncTransport`` for async ones.  A WebSocket transport is the
  motivating case: one connection carrying many operations' requests.
* A transport takes the ``httpx.Request`` the runtime built (URL, headers with auth,
  encoded body, the timeout in ``request.extensions["timeout"]``) and returns an
  ``httpx.Response``; with ``stream=True`` the body may still be unread.  The httpx
  clients have exactly this shape, so the default needs no adapter.  Everything
  above the send (retries, auth, codecs, result rules, errors) is unchanged.  A
  transport reports I/O failures as ``httpx.TransportError`` subclasses
  (``httpx.ConnectError`` when nothing was sent), which are retried and become the
  API's connection errors like httpx's own; other exceptions propagate as they are.
* A transport may decline a request: ``send`` returns ``None`` and the client's own
  httpx client sends it (deadlines and all), as if the operation named no transport.
  With ``x-transport-options`` an operation tells its transport how to treat it: the
  value (any JSON) is in ``request.extensions["transport_options"]``, absent when the
  spec gives none.  Together they let one transport route per operation (Decthings:
  over its WebSocket always, only while events are listened to, or only if a socket
  is open) from facts the spec declares, with no table of operations in code.
* ``Transports`` is one client's set: each transport is made on first use (under a
  lock: a sync client may be shared by threads) and closed with the client; a
  transport asked for after the client closed is an error, not a silent reopen, and
  so is a name ``ClientConfig.transports`` does not have (raised when the operation
  is about to be sent: nothing is sent).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import httpx

__all__ = [
    "AsyncTransport",
    "SyncTransport",
    "TransportFactory",
    "TransportSettings",
    "Transports",
]

X = TypeVar("X")


class SyncTransport(Protocol):
    """Sends requests for a sync client."""

    def send(self, request: httpx.Request, *, stream: bool) -> httpx.Response | None: ...

    def close(self) -> None: ...


class AsyncTransport(Protocol):
    """Sends requests for an async client."""

    async def send(self, request: httpx.Request, *, stream: bool) -> httpx.Response | None: ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True, slots=True)
class TransportSettings:
    """What a factory knows about the client it makes a transport for.

    ``headers`` are the client's default headers (User-Agent, Accept, its
    ``default_headers``); credentials are not among them: they come with each request.
    """

    base_url: str
    timeout: httpx.Timeout
    headers: Mapping[str, str]


class TransportFactory(Protocol):
    """``ClientConfig.transports`` values: make one client's transport, sync or async."""

    def sync_transport(self, settings: TransportSettings) -> SyncTransport: ...

    def async_transport(self, settings: TransportSettings) -> AsyncTransport: ...


class Transports(Generic[X]):
    """The named transports of one client: made on first use, handed back to close."""

    __slots__ = ("_factories", "_make", "_made", "_lock", "_closed")

    def __init__(
        self, factories: Mapping[str, TransportFactory], make: Callable[[TransportFactory], X]
    ) -> None:
        self._factories = factories
        self._make = make
        self._made: dict[str, X] = {}
        self._lock = threading.Lock()
        self._closed = False

    def get(self, name: str) -> X:
        transport = self._made.get(name)
        if transport is not None:
            return transport
        with self._lock:
            if self._closed:
                raise RuntimeError(f"transport {name!r}: the client is closed")
            transport = self._made.get(name)
            if transport is None:
                factory = self._factories.get(name)
                if factory is None:
                    raise ValueError(f"unknown transport {name!r} (not in ClientConfig.transports)")
                transport = self._made[name] = self._make(factory)
            return transport

    def close(self) -> list[X]:
        """Forget every transport made (the caller closes them); no more are made."""
        with self._lock:
            self._closed = True
            made, self._made = list(self._made.values()), {}
        return made
