"""Downloads (``_download``): a streamed binary body, status-checked before it is returned,
its connection released as soon as the body is no longer wanted."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

import clientcore
from tests.runtime.conftest import Server, call, collect
from tests.runtime.contract_client import (
    SECRET,
    AsyncDemoClient,
    DemoClient,
    DemoConnectionError,
    DemoNotFound,
    DemoServerError,
)
from tests.runtime.fake_api import blob_bytes

ECHO = clientcore.Operation("GET", "/echo/probe")


def key() -> str:
    return uuid.uuid4().hex


def chunks_of(response: Any) -> Any:
    return response.iter_bytes() if hasattr(response, "iter_bytes") else response.aiter_bytes()


@pytest.fixture
def one_connection(server: Server, kind: str) -> Iterator[Any]:
    """A client whose pool holds ONE connection and waits at most 0.3 s for it: a
    response left open makes the next request fail with a pool timeout."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    timeout = httpx.Timeout(5.0, pool=0.3)
    if kind == "sync":
        client: Any = DemoClient(
            base_url=server.base_url, http_client=httpx.Client(limits=limits), timeout=timeout
        )
        client._sleep = lambda delay: None
    else:
        client = AsyncDemoClient(
            base_url=server.base_url, http_client=httpx.AsyncClient(limits=limits), timeout=timeout
        )

        async def nosleep(delay: float) -> None:
            return None

        client._sleep = nosleep
    yield client
    if kind == "sync":
        client._http.close()


async def connection_is_free(client: Any) -> bool:
    try:
        await call(client._request(ECHO, dict, max_retries=0))
    except clientcore.APITimeoutError:
        return False
    return True


async def test_streams_the_body_in_chunks(make_client: Any, server: Server, kind: str) -> None:
    client = make_client()
    k = key()
    response = await call(client.download(k, size=100_000, chunk=8192))
    cls = clientcore.BinaryResponse if kind == "sync" else clientcore.AsyncBinaryResponse
    assert isinstance(response, cls)
    assert response.status_code == 200
    assert response.content_type == "application/octet-stream"
    assert response.request_id == f"blob-{k}"
    assert not response.is_closed  # the body is the caller's to read
    chunks = await collect(chunks_of(response))
    assert b"".join(chunks) == blob_bytes(100_000)
    assert len(chunks) > 1
    assert response.is_closed
    seen = server.state.seen["blob:" + k]
    assert len(seen) == 1
    assert seen[0]["headers"]["accept"] == "*/*"
    assert seen[0]["headers"]["authorization"] == f"Bearer {SECRET}"


async def test_read_returns_everything_and_releases(one_connection: Any) -> None:
    client = one_connection
    response = await call(client.download(key(), size=5000, chunk=1000))
    assert not await connection_is_free(client)  # the open body holds the connection
    assert await call(response.read()) == blob_bytes(5000)
    assert response.is_closed
    assert await connection_is_free(client)


async def test_error_status_raises_from_the_call(one_connection: Any, server: Server) -> None:
    client = one_connection
    k = key()
    with pytest.raises(DemoNotFound) as info:
        await call(client.download(k, missing=1))
    err = info.value
    assert err.status_code == 404 and err.message == f"no blob {k}"
    assert err.body == {"error": {"message": f"no blob {k}"}}  # read before raising
    assert await connection_is_free(client)  # and released


async def test_failed_attempts_are_closed_before_retrying(
    one_connection: Any, server: Server
) -> None:
    client = one_connection
    k = key()
    response = await call(client.download(k, fail=2, status=503, size=300))
    # with one connection, an unclosed failed attempt would block the retry
    assert await call(response.read()) == blob_bytes(300)
    assert server.state.counts["blob:" + k] == 3
    with pytest.raises(DemoServerError):
        await call(client.download(key(), fail=5, status=503, max_retries=0))
    assert await connection_is_free(client)


async def test_leaving_early_closes_the_connection(
    make_client: Any, server: Server, kind: str
) -> None:
    client = make_client()
    k = key()
    if kind == "sync":
        with client.download(k, forever=1, chunk=100) as response:
            for chunk in response.iter_bytes():
                assert chunk == blob_bytes(100)
                break
    else:
        async with await client.download(k, forever=1, chunk=100) as response:
            async for chunk in response.aiter_bytes():
                assert chunk == blob_bytes(100)
                break
    assert response.is_closed
    assert await asyncio.to_thread(server.state.stream_ended[k].wait, 5)
    assert server.state.stream_cancelled.get(k) is True  # the server saw the client go


def test_abandoned_sync_download_is_closed_when_collected(server: Server) -> None:
    client = DemoClient(base_url=server.base_url)
    k = key()
    response = client.download(k, forever=1)
    raw = response.http_response
    del response
    assert raw.is_closed
    assert server.state.stream_ended[k].wait(5)
    client.close()


class _Broken(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Two chunks, then the connection drops."""

    def __iter__(self) -> Iterator[bytes]:
        yield b"ab"
        yield b"cd"
        raise httpx.ReadError("connection dropped")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


async def test_a_failure_mid_body_is_a_connection_error(kind: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Broken())

    async def ahandler(request: httpx.Request) -> httpx.Response:
        return handler(request)

    if kind == "sync":
        client: Any = DemoClient(
            base_url="http://api.test",
            http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        )
    else:
        client = AsyncDemoClient(
            base_url="http://api.test",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(ahandler)),
        )
    response = await call(client.download("x"))
    got: list[bytes] = []
    with pytest.raises(DemoConnectionError) as info:
        if kind == "sync":
            got.extend(response.iter_bytes())
        else:
            async for chunk in response.aiter_bytes():
                got.append(chunk)
    assert got == [b"ab", b"cd"]
    assert "connection dropped" in str(info.value)
    assert isinstance(info.value.__cause__, httpx.ReadError)
    assert response.is_closed
    await call(client.close())
