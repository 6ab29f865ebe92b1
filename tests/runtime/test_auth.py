"""Credentials: schemes on the wire, evaluated per request, never revealed."""

from __future__ import annotations

import base64
import logging
import traceback
import uuid
from typing import Any

import pytest

import clientcore
from tests.runtime.conftest import Server, call
from tests.runtime.contract_client import CONFIG, SECRET, AsyncDemoClient, DemoClient

ECHO = clientcore.Operation("GET", "/echo/auth")
BASIC = clientcore.Operation("GET", "/echo/auth", security=("basic",))
API_KEY = clientcore.Operation("GET", "/echo/auth", security=("apiKey",))
QUERY_KEY = clientcore.Operation("GET", "/echo/auth", security=("queryKey",))
NO_AUTH = clientcore.Operation("GET", "/echo/auth", security=())
STATUS = clientcore.Operation("GET", "/status/{code}", path_params={"code": clientcore.PathParam()})
STATUS_BASIC = clientcore.Operation(
    "GET", "/status/{code}", path_params={"code": clientcore.PathParam()}, security=("basic",)
)
QUERY_STATUS = clientcore.Operation(
    "GET", "/status/{code}", path_params={"code": clientcore.PathParam()}, security=("queryKey",)
)

B64 = base64.b64encode(f"{SECRET}:".encode()).decode()
FORMS = (SECRET, B64)  # the secret as itself and as it appears in a basic header


async def test_schemes_on_the_wire(make_client: Any) -> None:
    client = make_client()
    bearer = await call(client._request(ECHO, dict))
    assert bearer["headers"]["authorization"] == f"Bearer {SECRET}"
    basic = await call(client._request(BASIC, dict))
    assert basic["headers"]["authorization"] == f"Basic {B64}"
    key = await call(client._request(API_KEY, dict))
    assert key["headers"]["api-key"] == SECRET and "authorization" not in key["headers"]
    query = await call(client._request(QUERY_KEY, dict, query={"a": "1"}))
    assert query["query_items"] == [["a", "1"], ["key", SECRET]]
    assert "authorization" not in query["headers"]
    none = await call(client._request(NO_AUTH, dict))
    assert "authorization" not in none["headers"] and "api-key" not in none["headers"]


async def test_basic_is_the_key_as_user_with_an_empty_password(server: Server, kind: str) -> None:
    cls = DemoClient if kind == "sync" else AsyncDemoClient
    client = cls("live_KEY", base_url=server.base_url)
    echo = await call(client._request(BASIC, dict))
    assert echo["headers"]["authorization"] == "Basic bGl2ZV9LRVk6"  # measured from scaleapi
    await call(client.close())


async def test_user_agent_and_default_headers(make_client: Any) -> None:
    client = make_client(default_headers={"X-Team": "runtime", "Accept": "application/x-demo"})
    echo = await call(client._request(ECHO, dict, headers={"X-Call": "1"}))
    ua = echo["headers"]["user-agent"]
    assert ua.startswith("demo-client/1.0 clientcore/") and " python/3." in ua
    assert echo["headers"]["x-team"] == "runtime"
    assert echo["headers"]["accept"] == "application/x-demo"
    assert echo["headers"]["x-call"] == "1"


async def test_callable_credential_is_evaluated_per_request(
    make_client: Any, server: Server
) -> None:
    tokens = iter(f"tok-{i}" for i in range(1, 100))
    client = make_client(api_key=lambda: next(tokens))
    first = await call(client._request(ECHO, dict))
    second = await call(client._request(ECHO, dict))
    assert first["headers"]["authorization"] == "Bearer tok-1"
    assert second["headers"]["authorization"] == "Bearer tok-2"
    # and per attempt: a retry picks up a refreshed token
    k = uuid.uuid4().hex
    result = await call(client.flaky(k, fail=1, status=503))
    assert [s["headers"]["authorization"] for s in server.state.seen["flaky:" + k]] == [
        "Bearer tok-3",
        "Bearer tok-4",
    ]
    assert result["auth"] == "Bearer tok-4"


@pytest.mark.parametrize("bad", ["\n", "\r\n", "\x00", "\x7f", "a\tb"])
def test_a_credential_with_control_characters_is_refused_at_construction(
    server: Server, bad: str
) -> None:
    key = SECRET + bad
    for cls in (DemoClient, AsyncDemoClient):
        with pytest.raises(clientcore.ParameterError) as info:
            cls(key, base_url=server.base_url)
        assert info.value.parameter == "credential" and "newline" in str(info.value)
        assert SECRET not in str(info.value) and SECRET not in repr(info.value)


async def test_a_callable_credential_with_a_newline_is_refused_before_sending(
    make_client: Any, server: Server
) -> None:
    calls = 0

    def token() -> str:
        nonlocal calls
        calls += 1
        return SECRET + "\n"  # read from a file, newline kept

    client = make_client(api_key=token)
    k = uuid.uuid4().hex
    with pytest.raises(clientcore.ParameterError) as info:
        await call(client.flaky(k, fail=0))
    assert info.value.parameter == "credential" and SECRET not in str(info.value)
    assert calls == 1  # not retried
    assert server.state.seen["flaky:" + k] == []  # nothing was sent


async def test_async_callable_credential(server: Server) -> None:
    count = 0

    async def token() -> str:
        nonlocal count
        count += 1
        return f"async-{count}"

    async with AsyncDemoClient(token, base_url=server.base_url) as client:
        a = await client._request(ECHO, dict)
        b = await client._request(QUERY_KEY, dict)
    assert a["headers"]["authorization"] == "Bearer async-1"
    assert b["query_items"] == [["key", "async-2"]]


def test_sync_client_rejects_an_async_credential() -> None:
    async def token() -> str:
        return "x"

    with pytest.raises(clientcore.ParameterError, match="async client"):
        DemoClient(token)  # type: ignore[arg-type]


async def test_the_secret_never_shows(
    make_client: Any, server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(max_retries=2)
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    errors: list[BaseException] = []
    for op in (STATUS, STATUS_BASIC):
        with pytest.raises(clientcore.APIStatusError) as info:
            await call(client._request(op, dict, path={"code": 503}))  # retried, logged
        errors.append(info.value)
    await call(client.flaky(uuid.uuid4().hex, fail=1, status=500))
    closed = make_client(base_url="http://127.0.0.1:9", max_retries=1)
    with pytest.raises(clientcore.APIConnectionError) as conn:
        await call(closed._request(ECHO, dict))
    errors.append(conn.value)

    texts = [repr(client), str(client), repr(client._credential), str(client._credential)]
    for err in errors:
        texts += [str(err), repr(err), "".join(traceback.format_exception(err))]
        texts += [repr(v) for v in vars(err).values()]
    texts += [r.getMessage() for r in caplog.records]
    texts.append(caplog.text)
    assert any("Retrying" in t for t in texts)  # the logs were captured
    for text in texts:
        for form in FORMS:
            assert form not in text
    assert repr(client) == f"<{type(client).__name__} base_url={server.base_url!r}>"


async def test_query_credential_is_redacted_from_errors_and_our_logs(
    make_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(max_retries=1)
    caplog.set_level(logging.DEBUG, logger="clientcore")
    with pytest.raises(clientcore.InternalServerError) as info:
        await call(client._request(QUERY_STATUS, dict, path={"code": 500}, query={"q": "v"}))
    err = info.value
    assert err.url is not None and "key=%2A%2A%2A" in err.url and "q=v" in err.url
    for text in (err.url, str(err), repr(err), *[repr(v) for v in vars(err).values()]):
        assert SECRET not in text
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("clientcore")]
    assert ours and not any(SECRET in m for m in ours)


def test_credential_holder_hides_the_value() -> None:
    from clientcore._auth import Credential

    holder = Credential(SECRET)
    assert SECRET not in repr(holder) and SECRET not in str(holder)
    assert not hasattr(holder, "__dict__")
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(holder)
    assert holder.get() == SECRET
    assert repr(Credential(lambda: SECRET)) == "Credential(<callable>)"
    with pytest.raises(TypeError):
        Credential(42)  # type: ignore[arg-type]


def test_unknown_security_scheme_is_reported() -> None:
    client = DemoClient()
    bad = clientcore.Operation("GET", "/x", security=("nope",))
    with pytest.raises(ValueError, match="unknown security scheme 'nope'"):
        client._request(bad, None)
    client.close()


def test_config_rejects_unknown_default_security() -> None:
    with pytest.raises(ValueError):
        clientcore.ClientConfig(default_base_url="http://x", default_security=("nope",))
    assert CONFIG.default_security == ("bearer",)
