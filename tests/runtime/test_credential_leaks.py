"""No credential in any error or log: every auth scheme, every way a call can fail.

For each scheme (Basic, Bearer, an API-key header, a query parameter, OAuth2 client
credentials: its secret, its Basic form and the token it fetched) a call fails
against the fault server (refused connection, reset before and after the head, a
timeout, a trickle cut by the deadline, 401, 500, an undecodable 200, a malformed
stream event), with every log of clientcore, httpx and httpcore captured at DEBUG.
Then the key, and the form the scheme sends it in (Basic's base64), must not appear
in: ``str``/``repr`` of the error, its formatted traceback with the whole cause chain,
any attribute reachable from it or from any exception in its chain (requests and
headers included), its pickle, nor any log record.  The pickled error comes back as
the same class with the same text.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
import pickle
import socket
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import clientcore
from tests.faults.behaviours import (
    SSE,
    Body,
    Json,
    ResetAfterHeaders,
    ResetBeforeHeaders,
    SlowHeaders,
    Status,
    Trickle,
)
from tests.faults.server import FaultServer
from tests.runtime.contract_client import CONFIG, DemoClient, DemoError

KEY = "sk_live_LEAKCHECK_9131"
SCHEMES = ["basic", "bearer", "apiKey", "queryKey"]


def _forms(scheme: str) -> list[str]:
    forms = [KEY]
    if scheme == "basic":
        forms.append(base64.b64encode(f"{KEY}:".encode()).decode())
    return forms


def _walk(obj: Any, seen: set[int], depth: int = 0) -> Iterator[str]:
    """Every string (and bytes, decoded) reachable from ``obj``'s attributes."""
    if id(obj) in seen or depth > 12:
        return
    seen.add(id(obj))
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, bytes):
        yield obj.decode("latin-1")
    elif isinstance(obj, (int, float, bool, type(None), type)):
        return
    elif isinstance(obj, httpx.Request):
        yield str(obj.url)
        yield from _walk(obj.headers, seen, depth + 1)
    elif isinstance(obj, httpx.Headers):
        for k, v in obj.raw:
            yield (k + b": " + v).decode("latin-1")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(k, seen, depth + 1)
            yield from _walk(v, seen, depth + 1)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for v in obj:
            yield from _walk(v, seen, depth + 1)
    else:
        if isinstance(obj, BaseException):
            yield from _walk(obj.args, seen, depth + 1)
            yield from _walk(obj.__cause__, seen, depth + 1)
            yield from _walk(obj.__context__, seen, depth + 1)
            if isinstance(obj, httpx.RequestError):
                try:
                    yield from _walk(obj.request, seen, depth + 1)
                except RuntimeError:
                    pass
        for name in getattr(obj, "__slots__", ()):
            yield from _walk(getattr(obj, name, None), seen, depth + 1)
        yield from _walk(getattr(obj, "__dict__", {}), seen, depth + 1)


def _assert_clean(err: BaseException, scheme: str, logs: list[str]) -> None:
    _assert_none_of(_forms(scheme), err, logs, scheme)


def _assert_none_of(forms: list[str], err: BaseException, logs: list[str], scheme: str) -> None:
    assert isinstance(err, DemoError), repr(err)
    texts = {
        "str": str(err),
        "repr": repr(err),
        "traceback": "".join(traceback.format_exception(err)),
        "pickle": pickle.dumps(err).decode("latin-1"),
        "logs": "\n".join(logs),
    }
    texts["attributes"] = "\n".join(_walk(err, set()))
    for form in forms:
        for where, text in texts.items():
            assert form not in text, f"{scheme}: the credential appears in the error's {where}"
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and str(again) == str(err)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


FAILURES: dict[str, Callable[[FaultServer], tuple[Any, dict[str, Any]]]] = {
    "reset_before_headers": lambda s: (ResetBeforeHeaders(), {}),
    "reset_after_headers": lambda s: (ResetAfterHeaders(), {}),
    "slow_headers_timeout": lambda s: (SlowHeaders(2.0), {"timeout": 0.3}),
    "trickle_cut_by_deadline": lambda s: (
        Trickle(b'{"a": "' + b"x" * 50 + b'"}', 20),
        {"timeout": 0.4},
    ),
    "status_401": lambda s: (Json({"error": {"message": "bad key"}}, status=401), {}),
    "status_500": lambda s: (Status(500), {}),
    "undecodable_200": lambda s: (Body(200, b"<html>not json</html>", "text/html"), {}),
}


def _client(scheme: str, base_url: str) -> DemoClient:
    config = dataclasses.replace(CONFIG, default_security=(scheme,))
    client = DemoClient(KEY, base_url=base_url, config=config, max_retries=1)
    client._sleep = lambda seconds: None
    return client


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_credential_in_any_error_traceback_pickle_or_debug_log(
    scheme: str, failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with FaultServer() as server:
        behaviour, options = FAILURES[failure](server)
        server.script("GET", "/flaky/k", behaviour, then=behaviour)
        client = _client(scheme, server.base_url)
        with pytest.raises(clientcore.APIError) as info:
            client._request(clientcore.Operation("GET", "/flaky/k"), dict, **options)
        client.close()
        assert server.count("GET", "/flaky/k") >= 1
        sent = server.requests[0]
    on_wire = f"{sent.header('authorization')} {sent.header('api-key')} {sent.query}"
    assert any(form in on_wire for form in _forms(scheme))  # else the test proves nothing
    _assert_clean(info.value, scheme, [r.getMessage() for r in caplog.records])


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_credential_after_a_refused_connection(
    scheme: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = _client(scheme, f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(clientcore.APIConnectionError) as info:
        client._request(clientcore.Operation("GET", "/flaky/k"), dict)
    client.close()
    cause = info.value.__cause__
    assert isinstance(cause, httpx.ConnectError)
    assert cause.request.headers.get("authorization", "[redacted]") == "[redacted]"
    _assert_clean(info.value, scheme, [r.getMessage() for r in caplog.records])


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_credential_in_a_malformed_stream_event_error(
    scheme: str, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.runtime.contract_client import SSE as SSE_OP
    from tests.runtime.contract_client import STREAM, Event

    caplog.set_level(logging.DEBUG)
    with FaultServer() as server:
        server.script("POST", "/sse/r", SSE([{"index": 0, "text": "a"}], malformed="{nope"))
        client = _client(scheme, server.base_url)
        stream = client._stream(SSE_OP, Event, STREAM, path={"run": "r"}, json={})
        with pytest.raises(clientcore.APIStreamError) as info:
            list(stream)
        client.close()
    _assert_clean(info.value, scheme, [r.getMessage() for r in caplog.records])


def test_the_httpx_request_log_line_redacts_a_query_credential(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    # as in a fresh process where a client with other query names was made first
    monkeypatch.setattr(logging.getLogger("httpx"), "filters", [])
    other = dataclasses.replace(
        CONFIG,
        auth={"otherKey": clientcore.AuthScheme("query", name="other_key")},
        default_security=("otherKey",),
    )
    DemoClient("x", config=other).close()  # another client, other names
    with FaultServer() as server:
        server.script("GET", "/flaky/k", Json({"ok": True}))
        client = _client("queryKey", server.base_url)
        assert client._request(clientcore.Operation("GET", "/flaky/k"), dict) == {"ok": True}
        client.close()
        assert KEY in server.requests[0].query  # sent, as the scheme says
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any("HTTP Request: GET" in line and "key=%2A%2A%2A" in line for line in lines), lines
    assert not any(KEY in line for line in lines)


@pytest.mark.parametrize("scheme", ["bearer", "apiKey"])
def test_a_non_ascii_header_credential_is_a_parameter_error_that_does_not_echo_it(
    scheme: str,
) -> None:
    secret = "sk_live_é_9131"
    client = DemoClient(
        secret,
        base_url="http://127.0.0.1:9",
        config=dataclasses.replace(CONFIG, default_security=(scheme,)),
    )
    with pytest.raises(clientcore.ParameterError) as info:
        client._request(clientcore.Operation("GET", "/flaky/k"), dict)
    assert info.value.parameter == "credential"
    assert secret not in "".join(_walk(info.value, set()))
    assert secret not in "".join(traceback.format_exception(info.value))


# -- OAuth2 client credentials: the client secret, its Basic form, the fetched token -----

CLIENT_ID = "leak-app"
TOKEN = "at_LEAKCHECK_5521"
OAUTH_CONFIG = dataclasses.replace(
    CONFIG,
    auth={"cc": clientcore.AuthScheme("oauth2", token_url="/oauth/token")},
    default_security=("cc",),
)
TOKEN_FAILURES: dict[str, Callable[[], tuple[Any, dict[str, Any]]]] = {
    "reset_before_headers": lambda: (ResetBeforeHeaders(), {}),
    "reset_after_headers": lambda: (ResetAfterHeaders(), {}),
    "slow_headers_timeout": lambda: (SlowHeaders(2.0), {"timeout": 0.3}),
    "status_401": lambda: (Json({"error": "invalid_client"}, status=401), {}),
    "status_500": lambda: (Status(500), {}),
    "undecodable_200": lambda: (Body(200, b"<html>not json</html>", "text/html"), {}),
    "no_token_200": lambda: (Json({"token_type": "bearer"}), {}),
}


def _oauth_forms() -> list[str]:
    pair = f"{CLIENT_ID}:{KEY}"
    return [KEY, TOKEN, base64.b64encode(pair.encode()).decode()]


def _oauth_client(base_url: str, auth: str) -> DemoClient:
    credential = clientcore.OAuth2ClientCredentials(CLIENT_ID, KEY, auth=auth)  # type: ignore[arg-type]
    client = DemoClient(credential, base_url=base_url, config=OAUTH_CONFIG, max_retries=1)
    client._sleep = lambda seconds: None
    return client


@pytest.mark.parametrize("auth", ["basic", "post"])
@pytest.mark.parametrize("failure", sorted(TOKEN_FAILURES))
def test_no_oauth2_secret_when_the_token_endpoint_fails(
    failure: str, auth: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with FaultServer() as server:
        behaviour, options = TOKEN_FAILURES[failure]()
        server.script("POST", "/oauth/token", behaviour, then=behaviour)
        client = _oauth_client(server.base_url, auth)
        with pytest.raises(clientcore.APIError) as info:
            client._request(clientcore.Operation("GET", "/flaky/k"), dict, **options)
        client.close()
        sent = server.requests[0]
    assert server.count("GET", "/flaky/k") == 0  # no API call without a token
    on_wire = f"{sent.header('authorization')} {sent.body!r}"
    assert any(form in on_wire for form in _oauth_forms())  # else the test proves nothing
    _assert_none_of(_oauth_forms(), info.value, [r.getMessage() for r in caplog.records], failure)


@pytest.mark.parametrize("failure", ["status_401", "status_500", "reset_before_headers"])
def test_no_oauth2_token_when_the_api_call_fails(
    failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with FaultServer() as server:
        issued = Json({"access_token": TOKEN, "token_type": "bearer", "expires_in": 600})
        server.script("POST", "/oauth/token", issued, then=issued)
        behaviour, options = FAILURES[failure](server)
        server.script("GET", "/flaky/k", behaviour, then=behaviour)
        client = _oauth_client(server.base_url, "basic")
        with pytest.raises(clientcore.APIError) as info:
            client._request(clientcore.Operation("GET", "/flaky/k"), dict, **options)
        client.close()
        api = [r for r in server.requests if r.path == "/flaky/k"]
    assert api and api[0].header("authorization") == f"Bearer {TOKEN}"
    _assert_none_of(_oauth_forms(), info.value, [r.getMessage() for r in caplog.records], failure)
