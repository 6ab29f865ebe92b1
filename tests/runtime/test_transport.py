"""Transports: one operation sent by a custom transport that does not use httpx for I/O
(HTTP/1.0 written to a plain socket), everything above the send unchanged."""

from __future__ import annotations

import asyncio
import socket
import uuid
from typing import Any

import httpx
import pytest

import clientcore
from tests.runtime.conftest import Server, call
from tests.runtime.contract_client import (
    CONFIG,
    SECRET,
    DemoConnectionError,
    DemoNotFound,
)

ECHO = clientcore.Operation("POST", "/echo/plain")
RAW_ECHO = clientcore.Operation("POST", "/echo/raw", transport="raw")
RAW_FLAKY = clientcore.Operation(
    "GET", "/flaky/{key}", path_params={"key": clientcore.PathParam()}, transport="raw"
)
RAW_STATUS = clientcore.Operation(
    "GET", "/status/{code}", path_params={"code": clientcore.PathParam()}, transport="raw"
)
_SKIP = {"host", "connection", "content-length", "accept-encoding", "transfer-encoding"}


def _request_bytes(request: httpx.Request) -> bytes:
    """The request as HTTP/1.0 (so the server answers with a plain body, then closes)."""
    body = request.read()
    url = request.url
    lines = [
        f"{request.method} {url.raw_path.decode()} HTTP/1.0",
        f"host: {url.netloc.decode()}",
        "x-via: raw-socket",
        f"content-length: {len(body)}",
        *(f"{k}: {v}" for k, v in request.headers.items() if k not in _SKIP),
    ]
    return "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body


def _response(request: httpx.Request, data: bytes) -> httpx.Response:
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(line.split(": ", 1)) for line in header_lines]
    return httpx.Response(
        int(status_line.split()[1]), headers=headers, content=body, request=request
    )


class RawSocketTransport:
    """Sync: a socket per request, read to EOF."""

    def __init__(self, settings: clientcore.TransportSettings) -> None:
        self.settings = settings
        self.sent: list[httpx.Request] = []
        self.closed = False

    def send(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        assert not self.closed
        self.sent.append(request)
        timeout = request.extensions["timeout"]
        address = (request.url.host, request.url.port)
        try:
            sock = socket.create_connection(address, timeout=timeout["connect"])
        except OSError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        with sock:
            sock.settimeout(timeout["read"])
            sock.sendall(_request_bytes(request))
            data = b"".join(iter(lambda: sock.recv(65536), b""))
        return _response(request, data)

    def close(self) -> None:
        self.closed = True


class AsyncRawSocketTransport:
    """Async: an asyncio stream per request, read to EOF."""

    def __init__(self, settings: clientcore.TransportSettings) -> None:
        self.settings = settings
        self.sent: list[httpx.Request] = []
        self.closed = False

    async def send(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        assert not self.closed
        self.sent.append(request)
        try:
            reader, writer = await asyncio.open_connection(request.url.host, request.url.port)
        except OSError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        writer.write(_request_bytes(request))
        data = await reader.read()
        writer.close()
        await writer.wait_closed()
        return _response(request, data)

    async def aclose(self) -> None:
        self.closed = True


class RawFactory:
    """A ``TransportFactory``: one transport per client, remembered for the tests."""

    def __init__(self) -> None:
        self.made: list[Any] = []

    def sync_transport(self, settings: clientcore.TransportSettings) -> RawSocketTransport:
        self.made.append(RawSocketTransport(settings))
        return self.made[-1]

    def async_transport(self, settings: clientcore.TransportSettings) -> AsyncRawSocketTransport:
        self.made.append(AsyncRawSocketTransport(settings))
        return self.made[-1]


@pytest.fixture
def factory() -> RawFactory:
    return RawFactory()


@pytest.fixture
def raw_client(make_client: Any, factory: RawFactory) -> Any:
    config = clientcore.ClientConfig(
        default_base_url=CONFIG.default_base_url,
        user_agent=CONFIG.user_agent,
        auth=CONFIG.auth,
        default_security=CONFIG.default_security,
        errors=CONFIG.errors,
        retry=CONFIG.retry,
        timeout=CONFIG.timeout,
        transports={"raw": factory},
    )
    return lambda **kwargs: make_client(config=config, **kwargs)


async def test_the_operation_goes_through_its_transport(
    raw_client: Any, factory: RawFactory, server: Server
) -> None:
    client = raw_client()
    assert factory.made == []  # made on first use
    echo = await call(client._request(RAW_ECHO, dict, json={"n": 1}, headers={"x-call": "c"}))
    assert echo["headers"]["x-via"] == "raw-socket"
    assert echo["headers"]["authorization"] == f"Bearer {SECRET}"  # auth, as for httpx
    assert echo["headers"]["user-agent"].startswith("demo-client/1.0 clientcore/")
    assert echo["headers"]["content-type"] == "application/json"
    assert echo["headers"]["x-call"] == "c"
    assert echo["body"] == '{"n":1}'
    [transport] = factory.made
    assert len(transport.sent) == 1

    plain = await call(client._request(ECHO, dict))  # no transport named: httpx
    assert "x-via" not in plain["headers"]
    await call(client._request(RAW_ECHO, dict))
    assert factory.made == [transport] and len(transport.sent) == 2

    settings = transport.settings
    assert settings.base_url == server.base_url
    assert settings.timeout == client.timeout
    assert settings.headers["user-agent"].startswith("demo-client/1.0")
    assert "authorization" not in {k.lower() for k in settings.headers}


async def test_retries_and_errors_apply_on_top(
    raw_client: Any, factory: RawFactory, server: Server
) -> None:
    client = raw_client()
    k = uuid.uuid4().hex
    result = await call(client._request(RAW_FLAKY, dict, path={"key": k}, query={"fail": 2}))
    assert result["attempts"] == 3
    assert len(factory.made[0].sent) == 3 and len(client.sleeps) == 2
    with pytest.raises(DemoNotFound) as info:
        await call(client._request(RAW_STATUS, dict, path={"code": 404}))
    assert info.value.message == "boom 404" and info.value.request_id == "req-404"


async def test_transport_failures_are_retried_connection_errors(
    raw_client: Any, factory: RawFactory, closed_port: int
) -> None:
    client = raw_client(base_url=f"http://127.0.0.1:{closed_port}", max_retries=2)
    with pytest.raises(DemoConnectionError) as info:
        await call(client._request(RAW_ECHO, dict, json={}))
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert len(factory.made[0].sent) == 3  # nothing was sent: retried even for a POST
    assert len(client.sleeps) == 2


async def test_closed_with_the_client(raw_client: Any, factory: RawFactory, kind: str) -> None:
    unused = raw_client()
    await call(unused.close())
    assert factory.made == []  # never made, nothing to close

    client = raw_client()
    await call(client._request(RAW_ECHO, dict))
    [transport] = factory.made
    assert not transport.closed
    await call(client.close())
    assert transport.closed
    with pytest.raises(RuntimeError, match="closed"):
        await call(client._request(RAW_ECHO, dict))
    assert len(transport.sent) == 1


async def test_an_unknown_transport_fails_before_sending(make_client: Any, server: Server) -> None:
    client = make_client()
    op = clientcore.Operation(
        "GET", "/flaky/{key}", path_params={"key": clientcore.PathParam()}, transport="nope"
    )
    k = uuid.uuid4().hex
    with pytest.raises(ValueError, match="unknown transport 'nope'"):
        await call(client._request(op, dict, path={"key": k}))
    assert server.state.counts["flaky:" + k] == 0 and client.sleeps == []


class ChoosyTransport(RawSocketTransport):
    """Sends over its socket only what its operation's options ask for; declines the
    rest (``None``), which the client's httpx client then sends."""

    def send(self, request: httpx.Request, *, stream: bool) -> httpx.Response | None:  # type: ignore[override]
        self.seen = request.extensions.get("transport_options", "absent")
        if self.seen == {"via": "socket"}:
            return super().send(request, stream=stream)
        return None


class AsyncChoosyTransport(AsyncRawSocketTransport):
    async def send(self, request: httpx.Request, *, stream: bool) -> httpx.Response | None:  # type: ignore[override]
        self.seen = request.extensions.get("transport_options", "absent")
        if self.seen == {"via": "socket"}:
            return await super().send(request, stream=stream)
        return None


class ChoosyFactory(RawFactory):
    def sync_transport(self, settings: clientcore.TransportSettings) -> RawSocketTransport:
        self.made.append(ChoosyTransport(settings))
        return self.made[-1]

    def async_transport(self, settings: clientcore.TransportSettings) -> AsyncRawSocketTransport:
        self.made.append(AsyncChoosyTransport(settings))
        return self.made[-1]


async def test_options_reach_the_transport_which_may_decline(
    make_client: Any, server: Server
) -> None:
    factory = ChoosyFactory()
    config = clientcore.ClientConfig(
        default_base_url=CONFIG.default_base_url,
        auth=CONFIG.auth,
        default_security=CONFIG.default_security,
        errors=CONFIG.errors,
        transports={"choosy": factory},
    )
    client = make_client(config=config)
    socket_op = clientcore.Operation(
        "POST", "/echo/raw", transport="choosy", transport_options={"via": "socket"}
    )
    http_op = clientcore.Operation(
        "POST", "/echo/raw", transport="choosy", transport_options={"via": "http"}
    )
    plain_op = clientcore.Operation("POST", "/echo/raw", transport="choosy")
    sent = await call(client._request(socket_op, dict, json={"n": 1}))
    assert sent["headers"]["x-via"] == "raw-socket"
    [transport] = factory.made
    assert transport.seen == {"via": "socket"} and len(transport.sent) == 1
    declined = await call(client._request(http_op, dict, json={"n": 2}))
    assert "x-via" not in declined["headers"] and declined["body"] == '{"n":2}'
    assert transport.seen == {"via": "http"} and len(transport.sent) == 1  # httpx sent it
    await call(client._request(plain_op, dict, json={}))
    assert transport.seen == "absent"  # no options: no extension
