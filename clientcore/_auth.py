"""The client's credential, and how an auth scheme puts it on a request.

Design notes
------------
* ``Credential`` is the only object that holds the secret.  Its ``repr``/``str`` never
  show it, it has no ``__dict__`` (so ``vars()`` cannot reveal it) and nothing else in
  the runtime stores it: errors copy no request headers, logs name no headers and
  URLs are redacted when a scheme puts the key in the query string.
* A ``str`` credential is static: the auth headers of each security requirement are
  computed once per client and merged into the precomputed default headers.  A
  callable is evaluated before every attempt (so a refreshed token is used on retry);
  an async callable (or a callable returning an awaitable) is accepted by async
  clients only.
* A client holds one credential, applied with the first scheme an operation names
  (security requirements are alternatives), or one per scheme (``Credentials``): then
  every scheme the operation names that has a credential is applied (an API key and a
  bearer token both go out when both are given, as some APIs' own clients do).
* Keeping it out of errors and logs is ``_redact``'s work.
* A ``TokenSource`` (``OAuth2ClientCredentials``, ``_oauth``) is asked for its token
  before every attempt, with the client (whose httpx client fetches it); after a 401
  it is told which token was refused (``invalidate``) and the call is sent once more.
* A secret with a control character is refused (``ParameterError("credential")``): a
  string when the client is made, a callable's result before the request is sent.
"""

from __future__ import annotations

import base64
import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, cast

from ._config import AuthScheme
from ._errors import ParameterError
from ._styles import cookie_pairs
from ._types import TokenSource

__all__ = [
    "AuthParts",
    "AuthQuery",
    "Credential",
    "Credentials",
    "FIRST",
    "Secrets",
    "auth_parts",
]

AuthQuery = list[tuple[str, str]]
AuthParts = tuple[dict[str, str], AuthQuery]
_NO_AUTH: AuthParts = ({}, [])


def _is_source(value: object) -> bool:
    return all(callable(getattr(value, m, None)) for m in ("token", "atoken", "invalidate"))


class Credential:
    """Holds the secret (a ``str``, a callable returning one, or a ``TokenSource`` such
    as ``OAuth2ClientCredentials``); never shows it."""

    __slots__ = ("_value", "is_static", "is_async", "is_source")

    def __init__(
        self, value: str | Callable[[], str] | Callable[[], Awaitable[str]] | TokenSource | None
    ) -> None:
        source = _is_source(value)
        if value is not None and not isinstance(value, str) and not callable(value) and not source:
            raise TypeError(
                "credential must be a str, a callable returning one, or a token source"
                " (clientcore.OAuth2ClientCredentials)"
            )
        if isinstance(value, str):
            _refuse_control_characters(value)
        self._value = value
        self.is_source = source
        self.is_static = value is None or isinstance(value, str)
        self.is_async = not self.is_static and (
            inspect.iscoroutinefunction(value)
            or inspect.iscoroutinefunction(getattr(value, "__call__", None))  # noqa: B004
        )

    @property
    def static_value(self) -> str | None:
        """The secret when it is a plain string (``None`` for callables or no credential)."""
        return self._value if isinstance(self._value, str) else None

    def get(self, client: Any = None) -> str | None:
        """The current secret, evaluating a sync callable (a token source gets its token
        with ``client``)."""
        value = self._value
        if value is None or isinstance(value, str):
            return value
        if self.is_source:
            return _check(cast("TokenSource", value).token(client))
        result = cast("Callable[[], object]", value)()
        if inspect.isawaitable(result):
            if inspect.iscoroutine(result):
                result.close()
            raise ParameterError("credential", "an async credential needs the async client")
        return _check(result)

    async def aget(self, client: Any = None) -> str | None:
        """The current secret, evaluating a sync or async callable (a token source gets
        its token with ``client``)."""
        value = self._value
        if value is None or isinstance(value, str):
            return value
        if self.is_source:
            return _check(await cast("TokenSource", value).atoken(client))
        result = cast("Callable[[], object]", value)()
        if inspect.isawaitable(result):
            result = await result
        return _check(result)

    def invalidate(self, secret: str | None) -> bool:
        """Tell a token source the API refused ``secret``; whether a retry can get
        another token."""
        if not self.is_source:
            return False
        cast("TokenSource", self._value).invalidate(secret)
        return True

    def __repr__(self) -> str:
        if self._value is None:
            return "Credential(None)"
        if self.is_source:
            return f"Credential({self._value!r})"
        return "Credential(<callable>)" if not self.is_static else "Credential('****')"

    __str__ = __repr__

    def __reduce__(self) -> str:
        raise TypeError("a Credential cannot be pickled")


def _check(value: object) -> str:
    if not isinstance(value, str):
        raise ParameterError(
            "credential", f"the credential callable returned {type(value).__name__}, not str"
        )
    _refuse_control_characters(value)
    return value


_CONTROL = frozenset(chr(c) for c in (*range(0x20), 0x7F))


def _refuse_control_characters(secret: str) -> None:
    """A key with CR, LF, NUL or another control character (often a newline kept from
    a file) would break the header or be sent as garbage and retried: refused before
    anything is sent, and the message never shows the key."""
    if not _CONTROL.isdisjoint(secret):
        raise ParameterError(
            "credential",
            "the credential contains a control character (such as a newline, CR or NUL);"
            " strip it (a key read from a file often keeps its trailing newline)",
        )


Secrets = Mapping[str, "str | None"]
"""The secrets of one attempt, by security scheme name (``FIRST``: see ``Credentials``)."""

FIRST = ""
"""The key of a client's one credential, applied with each operation's first scheme."""


class Credentials:
    """A client's credentials: one per security scheme name, each a ``Credential``, or
    a single one (key ``FIRST``) applied with the first scheme of each operation's
    security.  Same interface as a ``Credential``, with mappings for values."""

    __slots__ = ("_held", "is_static", "is_async", "refreshable")

    def __init__(self, held: Mapping[str, Credential]) -> None:
        self._held = dict(held)
        self.is_static = all(c.is_static for c in self._held.values())
        self.is_async = any(c.is_async for c in self._held.values())
        self.refreshable = any(c.is_source for c in self._held.values())

    @property
    def static_value(self) -> dict[str, str | None]:
        """The secrets when every credential is a plain string, else none (a callable
        among them makes every attempt evaluate them all)."""
        if not self.is_static:
            return {}
        return {name: c.static_value for name, c in self._held.items()}

    def get(self, client: Any = None) -> dict[str, str | None]:
        return {name: c.get(client) for name, c in self._held.items()}

    async def aget(self, client: Any = None) -> dict[str, str | None]:
        return {name: await c.aget(client) for name, c in self._held.items()}

    def invalidate(self, secrets: Secrets) -> bool:
        """After a 401: each token source forgets the token it gave (``secrets``, by
        scheme); whether any did, so that another attempt gets a fresh token."""
        refreshed = False
        for name, credential in self._held.items():
            refreshed = credential.invalidate(secrets.get(name)) or refreshed
        return refreshed

    def __repr__(self) -> str:
        if set(self._held) == {FIRST}:
            return repr(self._held[FIRST])
        return "Credentials(" + ", ".join(f"{n}={c!r}" for n, c in self._held.items()) + ")"

    __str__ = __repr__

    def __reduce__(self) -> str:
        raise TypeError("Credentials cannot be pickled")


def auth_parts(
    schemes: Mapping[str, AuthScheme], security: tuple[str, ...], secrets: Secrets
) -> AuthParts:
    """Headers and query items carrying ``secrets`` for an operation's ``security``
    (scheme names): the ``FIRST`` secret with the first scheme named; otherwise every
    named scheme that has a secret, in the order named."""
    if not security or not secrets:
        return _NO_AUTH
    if FIRST in secrets:
        secret = secrets[FIRST]
        return _NO_AUTH if secret is None else _apply(schemes[security[0]], secret)
    headers: dict[str, str] = {}
    query: AuthQuery = []
    for name in security:
        secret = secrets.get(name)
        if secret is not None:
            more_headers, more_query = _apply(schemes[name], secret)
            headers.update(more_headers)
            query += more_query
    return headers, query


def _apply(scheme: AuthScheme, secret: str) -> AuthParts:
    kind = scheme.kind
    if kind in ("bearer", "oauth2"):
        _refuse_non_ascii(secret)
        return {"Authorization": f"Bearer {secret}"}, []
    if kind == "basic":
        # An API key is the user name with an empty password; "user:pass" is both.
        pair = secret if ":" in secret else f"{secret}:"
        token = base64.b64encode(pair.encode()).decode("ascii")
        return {"Authorization": f"Basic {token}"}, []
    assert scheme.name is not None
    if kind == "header":
        _refuse_non_ascii(secret)
        return {scheme.name: secret}, []
    if kind == "cookie":
        return {"Cookie": "; ".join(cookie_pairs(scheme.name, secret, False))}, []
    return {}, [(scheme.name, secret)]


def _refuse_non_ascii(secret: str) -> None:
    """A header value must be ASCII: httpx would raise ``UnicodeEncodeError`` holding
    the whole header (the key with it).  Refused first, without echoing the key."""
    if not secret.isascii():
        raise ParameterError(
            "credential",
            "the credential contains a non-ASCII character, which cannot be sent in a header",
        )
