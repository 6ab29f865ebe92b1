"""Client construction, lifecycle and resources."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import clientcore
from tests.runtime.conftest import Server, call
from tests.runtime.contract_client import CONFIG, AsyncDemoClient, AsyncTasks, DemoClient, Tasks

ECHO = clientcore.Operation("GET", "/echo/x")


def test_defaults_from_config() -> None:
    client = DemoClient(base_url="http://api.test/v1/")
    assert client.base_url == "http://api.test/v1"  # trailing slash dropped
    assert client.max_retries == 3
    assert client.timeout == httpx.Timeout(10.0, connect=10.0)
    client.close()
    plain = clientcore.SyncAPIClient(clientcore.ClientConfig(default_base_url="http://x"))
    assert plain.base_url == "http://x" and plain.max_retries == 2
    assert plain.timeout == httpx.Timeout(60.0, connect=10.0)  # runtime defaults
    plain.close()
    explicit = DemoClient(timeout=None, max_retries=0)
    assert explicit.timeout == httpx.Timeout(None) and explicit.max_retries == 0
    explicit.close()
    with pytest.raises(ValueError):
        DemoClient(max_retries=-1)


def test_sync_lifecycle_owned_and_injected(server: Server) -> None:
    with DemoClient(base_url=server.base_url) as client:
        assert client._request(ECHO, dict)["method"] == "GET"
        owned = client._http
    assert owned.is_closed

    injected = httpx.Client(headers={"x-shared": "pool"})
    with DemoClient(base_url=server.base_url, http_client=injected) as client:
        echo = client._request(ECHO, dict)
    assert not injected.is_closed  # never closed by us
    assert echo["headers"]["x-shared"] == "pool"  # its own headers are kept
    assert echo["headers"]["user-agent"].startswith("demo-client/1.0")  # ours still sent
    assert echo["headers"]["authorization"].startswith("Bearer ")
    injected.close()
    with pytest.raises(TypeError):
        DemoClient(http_client=httpx.AsyncClient())  # type: ignore[arg-type]


async def test_async_lifecycle_owned_and_injected(server: Server) -> None:
    async with AsyncDemoClient(base_url=server.base_url) as client:
        assert (await client._request(ECHO, dict))["method"] == "GET"
        owned = client._http
    assert owned.is_closed

    injected = httpx.AsyncClient()
    client = AsyncDemoClient(base_url=server.base_url, http_client=injected)
    await client._request(ECHO, dict)
    await client.aclose()
    await client.close()  # alias
    assert not injected.is_closed
    await injected.aclose()
    with pytest.raises(TypeError):
        AsyncDemoClient(http_client=httpx.Client())  # type: ignore[arg-type]


async def test_resources_share_the_client_calls(make_client: Any, kind: str) -> None:
    client = make_client(default_headers={"x-from": "client"})
    assert isinstance(client.tasks, Tasks if kind == "sync" else AsyncTasks)
    assert client.tasks._client is client
    for name in ("_request", "_paginate", "_stream", "_download"):
        # the same function, bound to the resource, calling through its client
        assert getattr(client.tasks, name).__func__ is getattr(client, name).__func__
    assert client._client is client  # a client calls through itself
    assert repr(client.tasks).startswith(f"<{type(client.tasks).__name__} of <")
    result = await call(client.tasks.list(unique_id="none"))
    assert result == {"docs": [], "total": 0}
    echo = await call(client.tasks._request(ECHO, dict))
    assert echo["headers"]["x-from"] == "client"  # the client's configuration


async def test_cast_to_none_ignores_the_body(make_client: Any) -> None:
    client = make_client()
    assert await call(client._request(ECHO, None)) is None


async def test_bytes_cast_returns_the_raw_body(make_client: Any) -> None:
    client = make_client()
    body = await call(client._request(ECHO, bytes))
    assert isinstance(body, bytes) and body.startswith(b'{"method":"GET"')


def test_operation_derives_idempotency_and_normalises() -> None:
    assert clientcore.Operation("get", "x").method == "GET"
    assert clientcore.Operation("get", "x").path == "/x"
    for method, expected in [
        ("GET", True),
        ("PUT", True),
        ("DELETE", True),
        ("POST", False),
        ("PATCH", False),
    ]:
        assert clientcore.Operation(method, "/x").idempotent is expected
    assert clientcore.Operation("POST", "/x", idempotent=True).idempotent is True
    with pytest.raises(ValueError):
        clientcore.AuthScheme("header")  # needs a name
    with pytest.raises(ValueError):
        clientcore.AuthScheme("digest")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        clientcore.RetryPolicy(max_retries=-1)
    assert CONFIG.retry.max_delay == 8.0


def test_direct_build_matches_httpx_build_request() -> None:
    """``_build`` is an exact, faster ``build_request``: same URL, same headers in order."""
    http = httpx.Client(headers={"x-shared": "1", "user-agent": "theirs"})
    client = DemoClient(base_url="https://api.test", http_client=http)
    for json_body, extra in [(clientcore.NOT_GIVEN, None), ({"a": 1}, {"X-Call": "y"})]:
        prepared = client._prepare(
            ECHO, None, {"q": "a b"}, json_body, None, None, extra, 5.0, clientcore.NOT_GIVEN
        )
        ours = client._build(prepared.url, prepared.headers, prepared.static, prepared)
        theirs = http.build_request(
            "GET",
            prepared.url,
            headers=prepared.headers,
            content=prepared.content,
            extensions={"timeout": prepared.timeout},
        )
        assert ours.url == theirs.url
        assert ours.headers.raw == theirs.headers.raw
        assert ours.extensions == theirs.extensions
        assert ours.read() == theirs.read()
    http.close()


@pytest.mark.parametrize("peek", [True, False], ids=["httpx-internals", "public-api"])
async def test_injected_client_state_is_honoured_on_every_call(
    server: Server, peek: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Either way of reading the httpx client's state (``_base._PEEK``) sees changes."""
    import clientcore._base

    if peek:
        assert clientcore._base._PEEK  # the installed httpx has the internals we read
    monkeypatch.setattr(clientcore._base, "_PEEK", peek)
    http = httpx.Client(headers={"x-shared": "1"})
    with DemoClient(base_url=server.base_url, http_client=http) as client:
        assert client._request(ECHO, dict)["headers"]["x-shared"] == "1"
        http.headers["x-shared"] = "2"  # changed in place after the first call
        http.headers["x-new"] = "n"
        echo = client._request(ECHO, dict)
        assert echo["headers"]["x-shared"] == "2" and echo["headers"]["x-new"] == "n"
        http.cookies.set("session", "abc")
        http.params = httpx.QueryParams({"tenant": "t1"})
        echo = client._request(ECHO, dict, query={"q": "1"})
        assert echo["headers"]["cookie"] == "session=abc"
        assert sorted(echo["query_items"]) == [["q", "1"], ["tenant", "t1"]]
    http.close()
