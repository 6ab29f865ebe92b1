"""OAuth2 client credentials (RFC 6749 §4.4): a credential that fetches, caches and
refreshes its own access token.

Design notes
------------
* ``OAuth2ClientCredentials`` is given to a client as its credential (or as the
  credential of an ``oauth2`` scheme); the client asks it for the token before every
  attempt, like a callable credential.  The token is sent as ``Authorization: Bearer``.
* Fetching: ``POST`` to the token URL (the credential's own, else the ``tokenUrl`` of
  the spec's clientCredentials flow, ``AuthScheme.token_url``; a relative one is joined
  to the client's base URL), form-encoded ``grant_type=client_credentials`` and the
  ``scope`` asked for; the client authenticates with HTTP Basic over its form-encoded
  id and secret (RFC 6749 §2.3.1), or with ``client_id`` / ``client_secret`` in the
  form (``auth="post"``).  It goes through the API client's own httpx client, so
  proxies, transports and timeouts apply; not through its retries or auth.
* Caching: one token per credential object, reused until ``expires_in`` minus a margin
  (``refresh_margin``, at most half the lifetime) has passed; a token without
  ``expires_in`` lasts until the API refuses it.  A 401 from the API drops the token
  that was refused (not a newer one another call already fetched), and the call is
  sent once more with a fresh one (``_flow``).
* One fetch at a time: a ``threading.Lock`` for sync clients, an ``asyncio.Lock`` (per
  event loop) for async ones; whoever waited finds the token the first one fetched.
* Failures are the API's typed errors: a refusing token endpoint (RFC 6749 §5.2
  ``{"error": "invalid_client", ...}``) the API's status error for its status, an
  unreachable one its connection error, a body without ``access_token`` its response
  validation error.
* The secret and the token never show: ``repr``/``str`` print the client id only, the
  object has no ``__dict__`` and refuses pickling, errors copy no request headers, and
  nothing here logs.
"""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote_plus, urlencode

import httpx

from ._codec import JSON_CODEC
from ._errors import ParameterError
from ._failures import make_status_error
from ._redact import scrub_chain

if TYPE_CHECKING:
    from ._base import Client

__all__ = ["OAuth2ClientCredentials"]

_GRANT = "client_credentials"
_AUTHORIZATION = frozenset({"authorization"})


def _unreachable(client: Client, exc: httpx.HTTPError, request: httpx.Request) -> Exception:
    """The API's connection error for a token request that failed; the httpx error
    in its chain keeps a copy of the request without the client's Basic credentials
    or the form (``scrub_chain``)."""
    scrub_chain(exc, _AUTHORIZATION, frozenset())
    return client._connection_error(exc, request)


class OAuth2ClientCredentials:
    """An OAuth2 client-credentials token source: give it to a client as its credential.

    ``token_url`` defaults to the spec's clientCredentials ``tokenUrl``; ``scopes`` are
    asked for as one space-separated ``scope`` (none: the server's default); ``auth``
    is how the client authenticates to the token endpoint: ``"basic"`` (HTTP Basic,
    the default) or ``"post"`` (id and secret in the form)."""

    __slots__ = (
        "client_id",
        "_secret",
        "token_url",
        "scopes",
        "auth",
        "refresh_margin",
        "_clock",
        "_held",
        "_lock",
        "_alocks",
        "fetches",
    )

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        token_url: str | None = None,
        scopes: Sequence[str] = (),
        auth: Literal["basic", "post"] = "basic",
        refresh_margin: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not isinstance(client_id, str) or not client_id:
            raise ParameterError("client_id", "an OAuth2 client id is a non-empty string")
        if not isinstance(client_secret, str) or not client_secret:
            raise ParameterError("client_secret", "an OAuth2 client secret is a non-empty string")
        if auth not in ("basic", "post"):
            raise ParameterError("auth", f"token endpoint auth is 'basic' or 'post', not {auth!r}")
        if isinstance(scopes, str):
            scopes = scopes.split()
        self.client_id = client_id
        self._secret = client_secret
        self.token_url = token_url
        self.scopes = tuple(scopes)
        self.auth = auth
        self.refresh_margin = refresh_margin
        self._clock = clock
        # (token, refresh time or None: until refused), replaced whole so a reader never
        # pairs one token with another's time.
        self._held: tuple[str, float | None] | None = None
        self._lock = threading.Lock()
        self._alocks: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = {}
        self.fetches = 0  # tokens fetched so far

    # -- the token -------------------------------------------------------------------

    def _cached(self) -> str | None:
        held = self._held
        if held is None or (held[1] is not None and self._clock() >= held[1]):
            return None
        return held[0]

    def invalidate(self, token: str | None) -> None:
        """Forget ``token`` (refused by the API), unless a newer one replaced it."""
        held = self._held
        if token is not None and held is not None and held[0] == token:
            self._held = None

    def token(self, client: Client) -> str:
        """The current token, fetched with ``client``'s httpx client when needed."""
        token = self._cached()
        if token is not None:
            return token
        with self._lock:
            token = self._cached()
            if token is None:
                request = self._request(client)
                try:
                    response = client._http.send(request)
                except httpx.HTTPError as exc:
                    raise _unreachable(client, exc, request) from exc
                token = self._accept(client, response)
        return token

    async def atoken(self, client: Client) -> str:
        """``token`` for an async client (one fetch at a time per event loop)."""
        token = self._cached()
        if token is not None:
            return token
        async with self._alock():
            token = self._cached()
            if token is None:
                request = self._request(client)
                try:
                    response = await client._http.send(request)
                except httpx.HTTPError as exc:
                    raise _unreachable(client, exc, request) from exc
                token = self._accept(client, response)
        return token

    def _alock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        held = self._alocks.get(id(loop))
        if held is None or held[0] is not loop:
            held = (loop, asyncio.Lock())
            self._alocks = {id(loop): held}  # an old loop's lock is of no use any more
        return held[1]

    # -- the exchange ----------------------------------------------------------------

    def _url(self, client: Client) -> str:
        url = self.token_url
        if url is None:
            found = [s.token_url for s in client._config.auth.values() if s.token_url]
            if not found:
                raise client._parameter_error(
                    ParameterError(
                        "token_url",
                        "no token URL: the spec names no clientCredentials flow; give token_url",
                    )
                )
            url = found[0]
        if "://" not in url:
            url = client.base_url + "/" + url.lstrip("/")
        return url

    def _request(self, client: Client) -> httpx.Request:
        form = [("grant_type", _GRANT)]
        if self.scopes:
            form.append(("scope", " ".join(self.scopes)))
        headers = {
            "content-type": "application/x-www-form-urlencoded",
            "accept": "application/json",
        }
        if self.auth == "basic":
            pair = f"{quote_plus(self.client_id)}:{quote_plus(self._secret)}"
            headers["authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form += [("client_id", self.client_id), ("client_secret", self._secret)]
        return httpx.Request(
            "POST",
            self._url(client),
            headers=headers,
            content=urlencode(form).encode(),
            extensions={"timeout": client._timeout_ext},
        )

    def _accept(self, client: Client, response: httpx.Response) -> str:
        """The token of a token response (kept, with its refresh time), or the API's
        typed error."""
        response.read()
        if not 200 <= response.status_code < 300:
            err = make_status_error(client._config.errors, response, JSON_CODEC)
            raise client._finished(err, err.body)
        try:
            body: Any = response.json()
        except ValueError as exc:
            bad = ValueError("the token response is not JSON")
            raise client._validation_error(response, bad) from exc
        token = body.get("access_token") if isinstance(body, dict) else None
        kind = body.get("token_type", "bearer") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            bad = ValueError("the token response has no access_token")
            raise client._validation_error(response, bad)
        if not isinstance(kind, str) or kind.lower() != "bearer":
            bad = ValueError(f"the token response's token_type is {kind!r}, not bearer")
            raise client._validation_error(response, bad)
        lifetime = body.get("expires_in")
        now = self._clock()
        refresh_at = None
        if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool):
            refresh_at = now + lifetime - min(self.refresh_margin, lifetime / 2)
        self._held = (token, refresh_at)
        self.fetches += 1
        return token

    # -- never shown -----------------------------------------------------------------

    def __repr__(self) -> str:
        return f"OAuth2ClientCredentials(client_id={self.client_id!r}, client_secret='****')"

    __str__ = __repr__

    def __reduce__(self) -> str:
        raise TypeError("OAuth2ClientCredentials cannot be pickled")
