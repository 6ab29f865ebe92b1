# Copied by codegen from specs/dial/python/pool.py (sha256 c9031a5303f74ac6). Edit that file, not this one.
"""Client pools: many ``Dial`` / ``AsyncDial`` clients (different DIALs, different
credentials) over one shared httpx connection pool.

Design notes
------------
* A pool owns one ``httpx.Client`` (``httpx.AsyncClient``) made from its arguments
  (``connection_limits`` plus any httpx keyword: ``transport``, ``verify``, ``proxy``,
  ...).  ``create_client`` hands it to a new client as ``http_client``; the runtime never
  closes an injected client, so closing a pooled client leaves the pool (and its other
  clients) working, where aidial-client's ``Dial.close()`` closes the whole pool
  (dial.md Q8).  ``pool.close()`` / ``await pool.aclose()`` (or the context manager)
  closes the shared connections.
* Each client keeps its own base URL, credentials, bucket cache, timeout, retries and
  ``api_version``; the pool's httpx client only carries connections.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import httpx

from clientcore import NOT_GIVEN, NotGiven

from .._client import AsyncDial, Dial

__all__ = ["AsyncDialClientPool", "DialClientPool"]

DEFAULT_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
Timeout = float | httpx.Timeout | None | NotGiven


class DialClientPool:
    """``DialClientPool().create_client(base_url=..., api_key=... | bearer_token=...)``."""

    def __init__(
        self, connection_limits: httpx.Limits = DEFAULT_LIMITS, **httpx_kwargs: Any
    ) -> None:
        self.http_client = httpx.Client(limits=connection_limits, **httpx_kwargs)

    def create_client(
        self,
        *,
        base_url: str,
        api_key: str | Callable[[], str] | None = None,
        bearer_token: str | Callable[[], str] | None = None,
        api_version: str | None = None,
        max_retries: int | NotGiven = NOT_GIVEN,
        timeout: Timeout = NOT_GIVEN,
    ) -> Dial:
        """A client of ``base_url`` sharing the pool's connections."""
        return Dial(
            api_key=api_key,
            bearer_token=bearer_token,
            api_version=api_version,
            base_url=base_url,
            max_retries=max_retries,
            timeout=timeout,
            http_client=self.http_client,
        )

    @property
    def is_closed(self) -> bool:
        return self.http_client.is_closed

    def close(self) -> None:
        """Close the shared connections (the pool's clients cannot be used after)."""
        self.http_client.close()

    def __enter__(self) -> DialClientPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncDialClientPool:
    """``AsyncDialClientPool().create_client(...)`` gives ``AsyncDial`` clients over one
    ``httpx.AsyncClient``."""

    def __init__(
        self, connection_limits: httpx.Limits = DEFAULT_LIMITS, **httpx_kwargs: Any
    ) -> None:
        self.http_client = httpx.AsyncClient(limits=connection_limits, **httpx_kwargs)

    def create_client(
        self,
        *,
        base_url: str,
        api_key: str | Callable[[], str] | Callable[[], Awaitable[str]] | None = None,
        bearer_token: str | Callable[[], str] | Callable[[], Awaitable[str]] | None = None,
        api_version: str | None = None,
        max_retries: int | NotGiven = NOT_GIVEN,
        timeout: Timeout = NOT_GIVEN,
    ) -> AsyncDial:
        """An async client of ``base_url`` sharing the pool's connections."""
        return AsyncDial(
            api_key=api_key,
            bearer_token=bearer_token,
            api_version=api_version,
            base_url=base_url,
            max_retries=max_retries,
            timeout=timeout,
            http_client=self.http_client,
        )

    @property
    def is_closed(self) -> bool:
        return self.http_client.is_closed

    async def aclose(self) -> None:
        """Close the shared connections."""
        await self.http_client.aclose()

    close = aclose

    async def __aenter__(self) -> AsyncDialClientPool:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
