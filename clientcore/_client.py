"""``SyncAPIClient``: the base of generated sync clients.

Design notes
------------
* Generated clients subclass ``SyncAPIClient`` and pass their ``ClientConfig``;
  generated methods call ``_request`` / ``_paginate`` / ``_stream`` / ``_download``
  with a module-level ``Operation``.  Those four are ``_calls.SyncCalls``: the calls
  written once for both kinds of client, with the sync finishers.  Resources have
  the same calls (``SyncResource`` is a ``SyncCalls`` too); a call always goes to the
  client, ``self._client``.
* This module holds only what is sync about a client (``_base.BaseClient`` is the
  rest): its driver (``_drive.run``), its ``httpx.Client``, the transports it makes,
  ``time.sleep`` and closing.
* An injected ``http_client`` is used as is (its own headers, cookies, limits and
  transport) and never closed by us; a client we create is closed by ``close()`` or
  the context manager, and so are the named transports it made.
* ``_sleep`` may be replaced on an instance, so tests can record backoff delays
  instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import httpx

from ._base import BaseClient
from ._calls import SyncCalls
from ._drive import run
from ._transport import SyncTransport, TransportFactory, Transports
from ._types import SyncCredential

__all__ = ["SyncAPIClient"]

T = TypeVar("T")


class SyncAPIClient(SyncCalls, BaseClient[httpx.Client, SyncCredential]):
    """Base class of generated synchronous clients."""

    _drive = staticmethod(run)
    _http_type = httpx.Client
    _transports: Transports[SyncTransport]
    _sleep: Callable[[float], object] = staticmethod(time.sleep)

    def _new_http(self) -> httpx.Client:
        return httpx.Client(timeout=self.timeout, headers=self._default_headers)

    def _make_transport(self, factory: TransportFactory) -> SyncTransport:
        return factory.sync_transport(self._transport_settings())

    def close(self) -> None:
        """Close the transports this client made, and its HTTP client if it made that
        (an injected one is left open)."""
        for transport in self._transports.close():
            transport.close()
        if self._owns_http:
            self._http.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
