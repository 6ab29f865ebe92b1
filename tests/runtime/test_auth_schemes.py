"""A credential per security scheme (``credentials=``): every scheme an operation names
that has a credential goes on the wire; each may be a string, a callable or (async
clients) a coroutine function, evaluated per attempt; none of them is ever shown."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest

import clientcore
from tests.runtime.conftest import Server, call
from tests.runtime.contract_client import CONFIG

BOTH = clientcore.Operation("GET", "/echo/auth", security=("apiKey", "bearer"))
KEY_ONLY = clientcore.Operation("GET", "/echo/auth", security=("apiKey",))
WITH_QUERY = clientcore.Operation("GET", "/echo/auth", security=("queryKey", "bearer"))


def _client(kind: str, server: Server, **credentials: Any) -> Any:
    cls = clientcore.SyncAPIClient if kind == "sync" else clientcore.AsyncAPIClient
    return cls(CONFIG, credentials=credentials, base_url=server.base_url)


async def test_both_credentials_go_on_the_wire_when_both_are_given(
    server: Server, kind: str
) -> None:
    client = _client(kind, server, apiKey="K", bearer="T")
    echo = await call(client._request(BOTH, dict))
    assert echo["headers"]["api-key"] == "K"
    assert echo["headers"]["authorization"] == "Bearer T"
    only_key = await call(client._request(KEY_ONLY, dict))  # the operation names one scheme
    assert only_key["headers"]["api-key"] == "K" and "authorization" not in only_key["headers"]
    await call(client.close())


@pytest.mark.parametrize("missing", [None, ""])
async def test_a_scheme_without_a_credential_is_left_out(
    server: Server, kind: str, missing: str | None
) -> None:
    client = _client(kind, server, apiKey=missing, bearer="T")
    echo = await call(client._request(BOTH, dict))
    assert "api-key" not in echo["headers"] and echo["headers"]["authorization"] == "Bearer T"
    await call(client.close())


async def test_callable_credentials_are_evaluated_per_attempt_alongside_a_string(
    server: Server, kind: str
) -> None:
    n = 0

    def token() -> str:
        nonlocal n
        n += 1
        return f"T{n}"

    client = _client(kind, server, queryKey="Q", bearer=token)
    first = await call(client._request(WITH_QUERY, dict))
    second = await call(client._request(WITH_QUERY, dict))
    assert first["headers"]["authorization"] == "Bearer T1"
    assert second["headers"]["authorization"] == "Bearer T2"
    assert first["query_items"] == [["key", "Q"]]  # the string once, not twice
    await call(client.close())


async def test_an_async_credential_among_others_on_the_async_client(server: Server) -> None:
    async def key() -> str:
        return "AK"

    async with clientcore.AsyncAPIClient(
        CONFIG, credentials={"apiKey": key, "bearer": "T"}, base_url=server.base_url
    ) as client:
        echo = await client._request(BOTH, dict)
    assert echo["headers"]["api-key"] == "AK" and echo["headers"]["authorization"] == "Bearer T"


def test_an_async_credential_on_the_sync_client_is_refused_at_construction() -> None:
    async def key() -> str:
        return "AK"

    with pytest.raises(clientcore.ParameterError, match="async client"):
        clientcore.SyncAPIClient(CONFIG, credentials={"apiKey": key})


def test_credentials_for_an_unknown_scheme_or_both_forms_are_refused() -> None:
    with pytest.raises(ValueError, match="nope"):
        clientcore.SyncAPIClient(CONFIG, credentials={"nope": "x"})
    with pytest.raises(TypeError, match="not both"):
        clientcore.SyncAPIClient(CONFIG, credential="x", credentials={"bearer": "y"})


def test_no_credential_of_a_set_is_shown_or_pickled() -> None:
    client = clientcore.SyncAPIClient(
        CONFIG, credentials={"apiKey": "sk_SECRET_A", "bearer": lambda: "sk_SECRET_B"}
    )
    texts = [repr(client), repr(client._credential), str(client._credential)]
    assert not any("SECRET" in t for t in texts), texts
    assert "apiKey=" in repr(client._credential)
    with pytest.raises(TypeError):
        pickle.dumps(client._credential)
    client.close()


COOKIE_CONFIG = dataclasses.replace(
    CONFIG,
    auth={**CONFIG.auth, "cookieKey": clientcore.AuthScheme("cookie", name="session")},
)
WITH_COOKIES = clientcore.Operation(
    "GET",
    "/echo/auth",
    security=("cookieKey",),
    cookie_params={"pref": clientcore.CookieParam()},
)


@pytest.mark.parametrize("dynamic", [False, True])
async def test_an_auth_cookie_and_cookie_parameters_share_one_cookie_header(
    server: Server, kind: str, dynamic: bool
) -> None:
    cls = clientcore.SyncAPIClient if kind == "sync" else clientcore.AsyncAPIClient
    key: Any = (lambda: "S1") if dynamic else "S1"
    client = cls(COOKIE_CONFIG, credentials={"cookieKey": key}, base_url=server.base_url)
    echo = await call(client._request(WITH_COOKIES, dict, cookies={"pref": "dark"}))
    assert echo["headers"]["cookie"] == "session=S1; pref=dark"
    alone = await call(client._request(WITH_COOKIES, dict))
    assert alone["headers"]["cookie"] == "session=S1"
    await call(client.close())
