"""Timeouts and connection failures: typed errors, retried only when safe, never a hang."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

import clientcore
from tests.runtime.conftest import Server, call
from tests.runtime.contract_client import SECRET, DemoConnectionError, DemoTimeout

SLOW_GET = clientcore.Operation("GET", "/slow/{key}", path_params={"key": clientcore.PathParam()})
SLOW_POST = clientcore.Operation("POST", "/slow/{key}", path_params={"key": clientcore.PathParam()})


async def test_per_call_timeout_raises_api_timeout_error(make_client: Any, server: Server) -> None:
    client = make_client(max_retries=0)
    k = uuid.uuid4().hex
    with pytest.raises(clientcore.APITimeoutError) as info:
        await call(
            client._request(SLOW_GET, dict, path={"key": k}, query={"delay": 5}, timeout=0.2)
        )
    err = info.value
    assert isinstance(err, DemoTimeout) and isinstance(err, DemoConnectionError)
    assert err.status_code is None and err.method == "GET"
    assert err.url is not None and f"/slow/{k}" in err.url
    assert server.state.counts["slow:" + k] == 1


async def test_client_timeout_applies_when_the_call_gives_none(
    make_client: Any, server: Server
) -> None:
    client = make_client(max_retries=0, timeout=0.2)
    with pytest.raises(DemoTimeout):
        await call(
            client._request(SLOW_GET, dict, path={"key": uuid.uuid4().hex}, query={"delay": 5})
        )
    # and a per-call timeout wins over the client's
    result = await call(
        client._request(
            SLOW_GET, dict, path={"key": uuid.uuid4().hex}, query={"delay": 0.3}, timeout=5.0
        )
    )
    assert result == {"slept": True}


async def test_read_timeout_is_retried_for_idempotent_requests(
    make_client: Any, server: Server
) -> None:
    # httpx.Timeout: per-phase limits only, so the whole-call deadline does not stop
    # the retry (see the next test).
    client = make_client(max_retries=1)
    k = uuid.uuid4().hex
    with pytest.raises(DemoTimeout):
        await call(
            client._request(
                SLOW_GET, dict, path={"key": k}, query={"delay": 5}, timeout=httpx.Timeout(0.2)
            )
        )
    assert server.state.counts["slow:" + k] == 2
    assert len(client.sleeps) == 1


async def test_no_retry_is_made_past_the_whole_call_deadline(
    make_client: Any, server: Server
) -> None:
    client = make_client(max_retries=3)
    k = uuid.uuid4().hex
    with pytest.raises(DemoTimeout):
        await call(
            client._request(SLOW_GET, dict, path={"key": k}, query={"delay": 5}, timeout=0.2)
        )
    assert server.state.counts["slow:" + k] == 1
    assert client.sleeps == []


async def test_read_timeout_is_not_retried_for_a_plain_post(
    make_client: Any, server: Server
) -> None:
    client = make_client(max_retries=2)
    k = uuid.uuid4().hex
    with pytest.raises(DemoTimeout):
        await call(
            client._request(
                SLOW_POST, dict, path={"key": k}, query={"delay": 5}, json={}, timeout=0.2
            )
        )
    assert server.state.counts["slow:" + k] == 1
    assert client.sleeps == []


async def test_connection_refused(make_client: Any, closed_port: int) -> None:
    client = make_client(base_url=f"http://127.0.0.1:{closed_port}")
    with pytest.raises(clientcore.APIConnectionError) as info:
        await call(client.flaky("k"))
    err = info.value
    assert type(err) is DemoConnectionError  # not the timeout subclass
    assert err.status_code is None and err.code is None
    assert isinstance(err.__cause__, httpx.ConnectError)
    assert len(client.sleeps) == 3  # nothing was sent: retried whatever the method


async def test_connection_refused_is_retried_even_for_a_plain_post(
    make_client: Any, closed_port: int
) -> None:
    client = make_client(base_url=f"http://127.0.0.1:{closed_port}", max_retries=2)
    from tests.runtime.contract_client import FLAKY_POST

    with pytest.raises(DemoConnectionError):
        await call(client._request(FLAKY_POST, dict, path={"key": "k"}, json={"a": 1}))
    assert len(client.sleeps) == 2


async def test_default_error_classes_mix_in_the_api_base(
    server: Server, kind: str, closed_port: int
) -> None:
    """Without connection/timeout classes in ErrorConfig, the runtime mixes the base in."""

    class MyError(clientcore.APIError):
        pass

    config = clientcore.ClientConfig(
        default_base_url=f"http://127.0.0.1:{closed_port}",
        errors=clientcore.ErrorConfig(base=MyError),
    )
    cls = clientcore.SyncAPIClient if kind == "sync" else clientcore.AsyncAPIClient
    client = cls(config, credential=SECRET, max_retries=0)
    op = clientcore.Operation("GET", "/x")
    with pytest.raises(MyError) as info:
        await call(client._request(op, None))
    assert isinstance(info.value, clientcore.APIConnectionError)
    assert type(info.value).__name__ == "MyAPIConnectionError"

    client2 = cls(config, credential=SECRET, max_retries=0, base_url=server.base_url)
    with pytest.raises(MyError) as info2:
        await call(
            client2._request(SLOW_GET, None, path={"key": "t"}, query={"delay": 5}, timeout=0.2)
        )
    assert isinstance(info2.value, clientcore.APITimeoutError)
    assert isinstance(info2.value, clientcore.APIConnectionError)
    for c in (client, client2):
        await call(c.close())


async def test_fault_mid_response_is_a_connection_error(kind: str) -> None:
    """A transport that fails while reading the response (injected with MockTransport)."""
    attempts = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.RemoteProtocolError("peer closed connection", request=request)

    from tests.runtime.contract_client import AsyncDemoClient, DemoClient

    if kind == "sync":
        client: Any = DemoClient(
            base_url="http://api.test",
            http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        )
        client._sleep = lambda d: None
    else:

        async def ahandler(request: httpx.Request) -> httpx.Response:
            return handler(request)

        client = AsyncDemoClient(
            base_url="http://api.test",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(ahandler)),
        )

        async def nosleep(d: float) -> None:
            return None

        client._sleep = nosleep
    with pytest.raises(DemoConnectionError) as info:
        await call(client.flaky("k"))  # GET: retried as idempotent
    assert len(attempts) == 4
    assert "peer closed connection" in str(info.value)
    assert not isinstance(info.value, clientcore.APITimeoutError)
