"""Fixtures: one fake API server per session (real HTTP on 127.0.0.1), and clients.

* ``server``       - ``Server(base_url, state)``; ``state`` is the app's ``fake_api.State``.
* ``kind``         - parametrises a test over ``"sync"`` and ``"async"``.
* ``make_client``  - ``make_client(**kwargs)`` builds a ``DemoClient`` or ``AsyncDemoClient``
                     (per ``kind``) on the server, records sleeps instead of sleeping
                     (``client.sleeps``) and closes it after the test.
* ``call``         - ``await call(x)`` awaits ``x`` if it is awaitable (sync results pass).
* ``collect``      - ``await collect(iterable, limit=None)`` drains a sync or async iterable.
"""

from __future__ import annotations

import inspect
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.runtime import fake_api
from tests.runtime.contract_client import AsyncDemoClient, DemoClient
from tests.support.server import ServerThread


@dataclass
class Server:
    base_url: str
    state: fake_api.State


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    app = fake_api.create_app()
    thread = ServerThread(app)
    base_url = thread.start()
    # The helper's listening socket is created with proto 0, so asyncio does not set
    # TCP_NODELAY on accepted connections and every response whose headers and body
    # are written separately stalls ~40 ms (Nagle + delayed ACK).  On Linux accepted
    # sockets inherit the option from the listener, so set it there.
    listener = getattr(thread, "_sock", None)
    if listener is not None:
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        yield Server(base_url, app.state.fake)
    finally:
        thread.stop()


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def make_client(server: Server, kind: str) -> AsyncIterator[Callable[..., Any]]:
    made: list[Any] = []

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("base_url", server.base_url)
        cls = DemoClient if kind == "sync" else AsyncDemoClient
        client = cls(**kwargs)
        client.sleeps = []  # type: ignore[attr-defined]
        if kind == "sync":
            client._sleep = client.sleeps.append
        else:

            async def record(delay: float) -> None:
                client.sleeps.append(delay)

            client._sleep = record
        made.append(client)
        return client

    yield make
    for client in made:
        if isinstance(client, DemoClient):
            client.close()
        else:
            await client.aclose()


async def call(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


async def collect(iterable: Any, limit: int | None = None) -> list[Any]:
    out: list[Any] = []
    if hasattr(iterable, "__aiter__"):
        iterator: AsyncIterator[Any] = iterable.__aiter__()
        async for item in iterator:
            out.append(item)
            if limit is not None and len(out) >= limit:
                break
        await iterator.aclose()  # type: ignore[attr-defined]
    else:
        for item in iterable:
            out.append(item)
            if limit is not None and len(out) >= limit:
                break
    return out


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port
