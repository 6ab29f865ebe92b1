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
* Security requirement names are alternatives: the first scheme named is used.
* A transport failure's httpx exception holds the request, headers and all: before
  an API error is raised ``from`` it, every request in the chain is replaced by a
  scrubbed copy (``scrub_chain``).  httpx logs each request's URL: a filter on its
  logger redacts query-string credentials (``redact_query_logs``).
* A secret with a control character is refused (``ParameterError("credential")``): a
  string when the client is made, a callable's result before the request is sent.
"""

from __future__ import annotations

import base64
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping

import httpx

from ._config import AuthScheme
from ._errors import ParameterError

__all__ = [
    "AuthParts",
    "AuthQuery",
    "Credential",
    "auth_parts",
    "redact_url",
    "scrub_chain",
    "secret_headers",
    "RedactQueryLog",
    "redact_query_logs",
]

AuthQuery = list[tuple[str, str]]
AuthParts = tuple[dict[str, str], AuthQuery]
_NO_AUTH: AuthParts = ({}, [])


class Credential:
    """Holds the secret (a ``str`` or a callable returning one); never shows it."""

    __slots__ = ("_value", "is_static", "is_async")

    def __init__(
        self, value: str | Callable[[], str] | Callable[[], Awaitable[str]] | None
    ) -> None:
        if value is not None and not isinstance(value, str) and not callable(value):
            raise TypeError("credential must be a str or a callable returning one")
        if isinstance(value, str):
            _refuse_control_characters(value)
        self._value = value
        self.is_static = value is None or isinstance(value, str)
        self.is_async = not self.is_static and (
            inspect.iscoroutinefunction(value)
            or inspect.iscoroutinefunction(getattr(value, "__call__", None))  # noqa: B004
        )

    @property
    def static_value(self) -> str | None:
        """The secret when it is a plain string (``None`` for callables or no credential)."""
        return self._value if isinstance(self._value, str) else None

    def get(self) -> str | None:
        """The current secret, evaluating a sync callable."""
        value = self._value
        if value is None or isinstance(value, str):
            return value
        result = value()
        if inspect.isawaitable(result):
            if inspect.iscoroutine(result):
                result.close()
            raise ParameterError("credential", "an async credential needs the async client")
        return _check(result)

    async def aget(self) -> str | None:
        """The current secret, evaluating a sync or async callable."""
        value = self._value
        if value is None or isinstance(value, str):
            return value
        result = value()
        if inspect.isawaitable(result):
            result = await result
        return _check(result)

    def __repr__(self) -> str:
        if self._value is None:
            return "Credential(None)"
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


def auth_parts(
    schemes: Mapping[str, AuthScheme], security: tuple[str, ...], secret: str | None
) -> AuthParts:
    """Headers and query items that apply ``secret`` with the first scheme named."""
    if secret is None or not security:
        return _NO_AUTH
    scheme = schemes[security[0]]
    kind = scheme.kind
    if kind == "bearer":
        _refuse_non_ascii(secret)
        return {"Authorization": f"Bearer {secret}"}, []
    if kind == "basic":
        token = base64.b64encode(f"{secret}:".encode()).decode("ascii")
        return {"Authorization": f"Basic {token}"}, []
    assert scheme.name is not None
    if kind == "header":
        _refuse_non_ascii(secret)
        return {scheme.name: secret}, []
    return {}, [(scheme.name, secret)]


def _refuse_non_ascii(secret: str) -> None:
    """A header value must be ASCII: httpx would raise ``UnicodeEncodeError`` holding
    the whole header (the key with it).  Refused first, without echoing the key."""
    if not secret.isascii():
        raise ParameterError(
            "credential",
            "the credential contains a non-ASCII character, which cannot be sent in a header",
        )


def redact_url(url: httpx.URL | str, names: frozenset[str]) -> str:
    """``url`` with the values of the query parameters in ``names`` replaced by ``***``."""
    url = httpx.URL(url) if isinstance(url, str) else url
    if not names or not url.query:
        return str(url)
    params = [(k, "***" if k in names else v) for k, v in url.params.multi_items()]
    return str(url.copy_with(params=params))


def secret_headers(schemes: Mapping[str, AuthScheme]) -> frozenset[str]:
    """The (lower-case) names of the headers the schemes put a credential in."""
    names = set()
    for scheme in schemes.values():
        if scheme.kind in ("basic", "bearer"):
            names.add("authorization")
        elif scheme.kind == "header" and scheme.name:
            names.add(scheme.name.lower())
    return frozenset(names)


def _scrubbed(
    request: httpx.Request, headers: frozenset[str], query: frozenset[str]
) -> httpx.Request:
    """A body-less copy of ``request`` whose credential headers and query items read
    ``[redacted]``/``***``."""
    kept = [(k, "[redacted]" if k.lower() in headers else v) for k, v in request.headers.items()]
    return httpx.Request(request.method, redact_url(request.url, query), headers=kept)


def scrub_chain(exc: BaseException, headers: frozenset[str], query: frozenset[str]) -> None:
    """Replace the request held by every httpx exception in ``exc``'s chain (its
    ``__cause__``s and ``__context__``s) with a scrubbed copy: an error the client
    raises ``from`` a transport failure reveals no credential, however it is walked."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, httpx.RequestError):
            try:
                request = e.request
            except RuntimeError:  # raised without a request
                request = None
            if request is not None:
                e.request = _scrubbed(request, headers, query)
        todo.append(e.__cause__)
        todo.append(e.__context__)


class RedactQueryLog(logging.Filter):
    """On httpx's logger: the URL in its "HTTP Request: ..." line with the values of
    the credential's query parameters replaced by ``***`` (httpx logs the full URL)."""

    def __init__(self, names: frozenset[str]) -> None:
        super().__init__()
        self.names = names

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(isinstance(a, httpx.URL) for a in args):
            record.args = tuple(
                redact_url(a, self.names) if isinstance(a, httpx.URL) else a for a in args
            )
        return True


_LOG_FILTERS: dict[frozenset[str], RedactQueryLog] = {}


def redact_query_logs(names: frozenset[str]) -> None:
    """Install (once per set of names) the ``RedactQueryLog`` filter on httpx's logger."""
    if names and names not in _LOG_FILTERS:
        _LOG_FILTERS[names] = RedactQueryLog(names)
        logging.getLogger("httpx").addFilter(_LOG_FILTERS[names])
