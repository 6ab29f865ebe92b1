"""``Harness``: drive any adapted package's sync or async client against a fault server,
and ``assert_typed``, the check every failure goes through.

Design notes
------------
* One object hides the flavor: ``await harness.call(client, op, key, ...)`` works for
  a sync client (the call blocks the test's loop, which is harmless: the server has
  its own loop and thread) and an async one.  Every request is tagged with its call
  key (``x-fault-tag``), so the server's log can be matched to calls one by one.
* Retry sleeps go through the client's ``_sleep`` hook and are recorded in
  ``sleeps``; they are skipped unless the client is made with ``real_sleep=True``
  (deadline tests, where the whole call's duration is the point).
* Clients made here are closed by the ``harness`` fixture's teardown.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import Any

import clientcore
from tests.faults.adapters import Op, Package, StreamOp
from tests.faults.server import TAG_HEADER, FaultServer

__all__ = ["DEFAULT_TIMEOUT", "Harness", "assert_typed"]

DEFAULT_TIMEOUT = 10.0  # a client bug must fail a test, not hang it for a minute


class Harness:
    """One package's clients of one flavor against one fault server."""

    def __init__(self, package: Package, flavor: str, server: FaultServer) -> None:
        self.package = package
        self.adapter = package.adapter
        self.flavor = flavor
        self.server = server
        self.sleeps: list[float] = []
        self._clients: list[Any] = []

    @property
    def is_async(self) -> bool:
        return self.flavor == "async"

    @property
    def base(self) -> type[Exception]:
        return self.package.base_error

    def client(self, *, real_sleep: bool = False, **kwargs: Any) -> Any:
        """A client on the server (``timeout`` defaults to ``DEFAULT_TIMEOUT``)."""
        cls = self.package.async_client if self.is_async else self.package.sync_client
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        client = cls(base_url=self.server.base_url, **self.adapter.client_kwargs, **kwargs)
        sleeps = self.sleeps

        if self.is_async:

            async def asleep(seconds: float) -> None:
                sleeps.append(seconds)
                await asyncio.sleep(seconds if real_sleep else 0)

            client._sleep = asleep
        else:

            def sleep(seconds: float) -> None:
                sleeps.append(seconds)
                if real_sleep:
                    time.sleep(seconds)

            client._sleep = sleep
        self._clients.append(client)
        return client

    async def close(self, client: Any) -> None:
        if self.is_async:
            await client.aclose()
        else:
            client.close()

    async def aclose_all(self) -> None:
        for client in self._clients:
            await self.close(client)
        self._clients.clear()

    async def call(self, client: Any, op: Op, key: str, **options: Any) -> Any:
        """``op`` with ``key``, tagged ``key``; the result (raises what the call raises)."""
        result = op.invoke(client, key, extra_headers={TAG_HEADER: key}, **options)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def outcome(self, client: Any, op: Op, key: str, **options: Any) -> Any:
        """Like ``call``, but an ``Exception`` is returned instead of raised."""
        try:
            return await self.call(client, op, key, **options)
        except Exception as exc:  # noqa: BLE001 - the tests classify it
            return exc

    async def stream_outcome(
        self, client: Any, op: StreamOp, key: str, **options: Any
    ) -> tuple[list[Any], Exception | None, Any]:
        """Open ``op``'s stream for ``key`` and iterate it to its end: the items read,
        the exception that ended it (``None``: it ended normally) and the stream object
        (``None`` when opening it raised).  Nothing is closed here: releasing the
        connection is the runtime's job, which the tests check."""
        items: list[Any] = []
        stream = None
        try:
            opened = op.open(client, key, extra_headers={TAG_HEADER: key}, **options)
            if inspect.isawaitable(opened) and not hasattr(opened, "__aiter__"):
                opened = await opened  # a stream-switch method sends at the ``await``
            stream = opened
            if self.is_async:
                async for item in stream:
                    items.append(item)
            else:
                for item in stream:
                    items.append(item)
        except Exception as exc:  # noqa: BLE001 - the tests classify it
            return items, exc, stream
        return items, None, stream


def assert_typed(err: object, base: type[Exception], kind: type[Exception]) -> None:
    """``err`` is the package's error (``base``) of the runtime's ``kind``, chained or
    status-bearing as its kind requires."""
    assert isinstance(err, base), f"{type(err).__module__}.{type(err).__qualname__}: {err!r}"
    assert isinstance(err, kind), f"{type(err).__qualname__} is not a {kind.__name__}"
    if isinstance(err, (clientcore.APIConnectionError, clientcore.APIResponseValidationError)):
        assert err.__cause__ is not None, "the original error must be kept as __cause__"
