"""OAuth2 client credentials: a client generated from a spec with an ``oauth2`` scheme
(``clientCredentials`` flow) against a real token server and resource server.

The spec (below) names a relative ``tokenUrl``; one starlette app on 127.0.0.1 is both
the token endpoint (RFC 6749 §4.4: form-encoded ``grant_type=client_credentials``,
client authentication by HTTP Basic or in the form, tokens ``tok-1``, ``tok-2``...
with an ``expires_in`` the test sets) and the API (``GET /whoami`` answers the bearer
token it was given, 401 for a token it does not know or has revoked).  The app
records every request, so each test asserts what went over the wire: how many tokens
were fetched, how, and which token each call carried.

Time is never asserted: expiry is driven by the credential's injectable clock.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import pickle
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import clientcore
from tests.support.compiled import compiled_package
from tests.support.server import serve

SPEC = """\
openapi: 3.0.3
info: {title: Vault, version: "1"}
servers: [{url: "https://vault.example"}]
x-python-client: {name: Vault, async_name: AsyncVault}
x-errors: {base: VaultError}
security: [{cc: [read]}]
components:
  securitySchemes:
    cc:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /oauth/token
          scopes: {read: Read things, write: Write things}
  schemas:
    Whoami:
      type: object
      required: [token]
      properties:
        token: {type: string}
paths:
  /whoami:
    get:
      operationId: whoami
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Whoami"}
        "401": {description: unauthorised}
"""

CLIENT_ID = "vault-app"
SECRET = "s3cr3t_LEAKCHECK_7731"


@dataclass
class Vault:
    """The token server's and the API's state (shared with the test thread)."""

    expires_in: int | None = 3600
    slow: float = 0.0  # seconds the token endpoint takes (makes concurrent calls overlap)
    body: dict[str, Any] | None = None  # a token response to send instead
    issued: list[str] = field(default_factory=list)
    revoked: set[str] = field(default_factory=set)
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    api_tokens: list[str | None] = field(default_factory=list)

    async def token(self, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        auth = request.headers.get("authorization")
        self.token_requests.append(
            {"form": form, "authorization": auth, "type": request.headers["content-type"]}
        )
        if self.slow:
            await asyncio.sleep(self.slow)
        if auth is not None:
            user, _, password = (
                base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
            )
        else:
            user, password = form.get("client_id", ""), form.get("client_secret", "")
        if (user, password) != (CLIENT_ID, SECRET):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        if self.body is not None:
            return JSONResponse(self.body)
        token = f"tok-{len(self.issued) + 1}"
        self.issued.append(token)
        answer: dict[str, Any] = {"access_token": token, "token_type": "Bearer"}
        if self.expires_in is not None:
            answer["expires_in"] = self.expires_in
        return JSONResponse(answer)

    async def whoami(self, request: Request) -> Response:
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        self.api_tokens.append(token)
        if token is None or (token not in self.issued and token != "ready-made"):
            return JSONResponse({"error": "unknown token"}, status_code=401)
        if token in self.revoked:
            return JSONResponse({"error": "revoked"}, status_code=401)
        return JSONResponse({"token": token})


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("oauth2")
    spec = folder / "vault.yaml"
    spec.write_text(SPEC)
    with compiled_package(spec, "vault_oauth_client", folder) as package:
        yield package


@pytest.fixture
def vault() -> Iterator[tuple[Vault, str]]:
    state = Vault()
    app = Starlette(
        routes=[
            Route("/oauth/token", state.token, methods=["POST"]),
            Route("/whoami", state.whoami),
        ]
    )
    with serve(app) as base_url:
        yield state, base_url


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_client_id_and_secret_fetch_one_token_from_the_specs_token_url(
    pkg: ModuleType, vault: tuple[Vault, str]
) -> None:
    state, base_url = vault
    with pkg.Vault(client_id=CLIENT_ID, client_secret=SECRET, base_url=base_url) as client:
        assert client.whoami().token == "tok-1"
        assert client.whoami().token == "tok-1"  # cached
    assert state.api_tokens == ["tok-1", "tok-1"]
    (fetch,) = state.token_requests
    assert fetch["type"] == "application/x-www-form-urlencoded"
    assert fetch["form"] == {"grant_type": "client_credentials"}
    expected = base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
    assert fetch["authorization"] == f"Basic {expected}"


def test_secret_in_the_form_scopes_and_an_explicit_token_url(
    pkg: ModuleType, vault: tuple[Vault, str]
) -> None:
    state, base_url = vault
    credential = clientcore.OAuth2ClientCredentials(
        CLIENT_ID,
        SECRET,
        token_url=f"{base_url}/oauth/token",
        scopes=["read", "write"],
        auth="post",
    )
    with pkg.Vault(credential, base_url=base_url) as client:
        assert client.whoami().token == "tok-1"
    (fetch,) = state.token_requests
    assert fetch["authorization"] is None
    assert fetch["form"] == {
        "grant_type": "client_credentials",
        "scope": "read write",
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
    }


def test_a_token_is_refreshed_before_it_expires(pkg: ModuleType, vault: tuple[Vault, str]) -> None:
    state, base_url = vault
    state.expires_in = 300
    clock = Clock()
    credential = clientcore.OAuth2ClientCredentials(CLIENT_ID, SECRET, clock=clock)
    with pkg.Vault(credential, base_url=base_url) as client:
        assert client.whoami().token == "tok-1"
        clock.now += 260  # still valid for 40 s: more than the 30 s margin
        assert client.whoami().token == "tok-1"
        clock.now += 15  # 25 s left: within the margin, so a new token first
        assert client.whoami().token == "tok-2"
    assert len(state.token_requests) == 2 and credential.fetches == 2
    # a token without expires_in is kept until the API refuses it
    state.expires_in = None
    clock.now += 10**6
    with pkg.Vault(credential, base_url=base_url) as client:
        assert client.whoami().token == "tok-3"
        clock.now += 10**6
        assert client.whoami().token == "tok-3"


def test_a_401_gets_one_new_token_and_one_more_attempt(
    pkg: ModuleType, vault: tuple[Vault, str]
) -> None:
    state, base_url = vault
    with pkg.Vault(client_id=CLIENT_ID, client_secret=SECRET, base_url=base_url) as client:
        assert client.whoami().token == "tok-1"
        state.revoked.add("tok-1")
        assert client.whoami().token == "tok-2"
        assert state.api_tokens == ["tok-1", "tok-1", "tok-2"]
        # a server refusing every token: one refresh, then the 401 is the answer
        state.revoked.update({"tok-2", "tok-3", "tok-4"})
        with pytest.raises(pkg.VaultAuthenticationError) as info:
            client.whoami()
    assert info.value.status_code == 401
    assert state.api_tokens[3:] == ["tok-2", "tok-3"]
    assert len(state.token_requests) == 3


def test_concurrent_sync_calls_fetch_one_token(pkg: ModuleType, vault: tuple[Vault, str]) -> None:
    state, base_url = vault
    state.slow = 0.3
    client = pkg.Vault(client_id=CLIENT_ID, client_secret=SECRET, base_url=base_url)
    start = threading.Barrier(8)
    seen: list[str] = []

    def call() -> None:
        start.wait()
        seen.append(client.whoami().token)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
    assert seen == ["tok-1"] * 8
    assert len(state.token_requests) == 1


def test_async_calls_fetch_one_token_and_refresh_after_a_401(
    pkg: ModuleType, vault: tuple[Vault, str]
) -> None:
    state, base_url = vault
    state.slow = 0.3

    async def run() -> list[str]:
        async with pkg.AsyncVault(
            client_id=CLIENT_ID, client_secret=SECRET, base_url=base_url
        ) as client:
            first = await asyncio.gather(*(client.whoami() for _ in range(8)))
            state.revoked.add("tok-1")
            again = await client.whoami()
            return [w.token for w in first] + [again.token]

    assert asyncio.run(run()) == ["tok-1"] * 8 + ["tok-2"]
    assert len(state.token_requests) == 2


def test_a_ready_access_token_is_sent_as_is(pkg: ModuleType, vault: tuple[Vault, str]) -> None:
    state, base_url = vault
    with pkg.Vault("ready-made", base_url=base_url) as client:
        assert client.whoami().token == "ready-made"
    assert state.token_requests == []


def test_token_endpoint_failures_are_the_apis_typed_errors(
    pkg: ModuleType, vault: tuple[Vault, str], caplog: pytest.LogCaptureFixture
) -> None:
    state, base_url = vault
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    with pkg.Vault(client_id=CLIENT_ID, client_secret="wrong", base_url=base_url) as client:
        with pytest.raises(pkg.VaultAuthenticationError) as refused:
            client.whoami()
    errors.append(refused.value)
    assert refused.value.body == {"error": "invalid_client"}
    assert state.api_tokens == []  # nothing was sent to the API
    state.body = {"token_type": "bearer"}  # no access_token
    with pkg.Vault(client_id=CLIENT_ID, client_secret=SECRET, base_url=base_url) as client:
        with pytest.raises(pkg.VaultResponseValidationError, match="access_token") as bad:
            client.whoami()
    errors.append(bad.value)
    with socket_closed() as port:
        credential = clientcore.OAuth2ClientCredentials(
            CLIENT_ID, SECRET, token_url=f"http://127.0.0.1:{port}/token"
        )
        with pkg.Vault(credential, base_url=base_url, max_retries=0) as client:
            with pytest.raises(pkg.VaultAPIConnectionError) as down:
                client.whoami()
    errors.append(down.value)
    basic = base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
    logs = "\n".join(r.getMessage() for r in caplog.records)
    for err in errors:
        assert isinstance(err, pkg.VaultError)
        for text in (str(err), repr(err), pickle.dumps(err).decode("latin-1"), logs):
            assert SECRET not in text and basic not in text


@contextmanager
def socket_closed() -> Iterator[int]:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    yield port


def test_the_credential_never_shows_its_secret() -> None:
    credential = clientcore.OAuth2ClientCredentials(CLIENT_ID, SECRET)
    held = clientcore._auth.Credential(credential)
    for text in (str(credential), repr(credential), repr(held), str(held)):
        assert SECRET not in text
        assert f"client_id={CLIENT_ID!r}" in text
    assert not hasattr(credential, "__dict__")
    with pytest.raises(TypeError):
        pickle.dumps(credential)


def test_bad_arguments_name_the_parameter(pkg: ModuleType) -> None:
    with pytest.raises(pkg.VaultParameterError) as info:
        pkg.Vault(client_id=CLIENT_ID)
    assert info.value.parameter == "client_secret"
    with pytest.raises(pkg.VaultParameterError) as info:
        pkg.Vault()
    assert info.value.parameter == "api_key"
    with pytest.raises(clientcore.ParameterError) as raw:
        clientcore.OAuth2ClientCredentials(CLIENT_ID, "", token_url="/t")
    assert raw.value.parameter == "client_secret"


def test_no_token_url_anywhere_is_a_parameter_error(vault: tuple[Vault, str]) -> None:
    _, base_url = vault
    config = clientcore.ClientConfig(
        default_base_url=base_url,
        auth={"cc": clientcore.AuthScheme("bearer")},
        default_security=("cc",),
    )
    client = clientcore.SyncAPIClient(
        config, credential=clientcore.OAuth2ClientCredentials(CLIENT_ID, SECRET)
    )
    with pytest.raises(clientcore.APIParameterError, match="token_url"):
        client._request(clientcore.Operation("GET", "/whoami"), dict)
    client.close()
