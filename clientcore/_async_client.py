"""``AsyncAPIClient``: the base of generated async clients.

Design notes
------------
* The same calls as the sync client (``_calls.AsyncCalls``: one request path,
  retries, recovery, errors): ``await self._request(...)`` and
  ``await self._download(...)``; ``_paginate`` and ``_stream`` are plain calls
  returning ``AsyncPager`` / ``AsyncStream``, which send when iterated.
* The credential may also be an async callable, awaited before every attempt.
* This module holds only what is async about a client: its driver (``_drive.arun``),
  its ``httpx.AsyncClient``, the transports it makes, its sleep and closing
  (``close`` is an alias of ``aclose``).
* asyncio is imported on the first sleep, not with the module: a sync-only program
  never loads it (about 9 ms of ``import scale_client``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx

from ._base import BaseClient
from ._calls import AsyncCalls
from ._drive import arun
from ._transport import AsyncTransport, TransportFactory, Transports
from ._types import AsyncCredential

__all__ = ["AsyncAPIClient"]

T = TypeVar("T")


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


class AsyncAPIClient(AsyncCalls, BaseClient[httpx.AsyncClient, AsyncCredential]):
    """Base class of generated asynchronous clients (credential may be an async callable)."""

    _drive = staticmethod(arun)
    _http_type = httpx.AsyncClient
    _transports: Transports[AsyncTransport]
    _async_credentials = True
    _sleep: Callable[[float], Awaitable[object]] = staticmethod(_asyncio_sleep)

    def _new_http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.timeout, headers=self._default_headers)

    def _make_transport(self, factory: TransportFactory) -> AsyncTransport:
        return factory.async_transport(self._transport_settings())

    async def aclose(self) -> None:
        """Close the transports this client made, and its HTTP client if it made that
        (an injected one is left open)."""
        for transport in self._transports.close():
            await transport.aclose()
        if self._owns_http:
            await self._http.aclose()

    close = aclose

    async def __aenter__(self: T) -> T:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
