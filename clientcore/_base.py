"""What the sync and async clients share: configuration, request preparation, errors.

Design notes
------------
* Everything that does not depend on the call is computed once per client: the
  default headers (User-Agent, Accept, ``default_headers``), the auth headers/query
  items of a static credential for each security requirement (cached on first use),
  the default timeout as httpx's extension dict, the names to redact from URLs.
* Per call, ``_prepare`` builds only what the request needs (URL with its encoded
  query string, headers, body bytes, multipart parts), reused unchanged by every
  retry.  The query string is encoded here rather than passed as httpx ``params=``:
  same bytes, but httpx's params merging costs more than all our preparation.
* When the client creates its httpx client, the default headers are set on it, so a
  request carries only its auth (and body/per-call) headers; an injected httpx client
  is shared with others and keeps its own defaults, so ours go on every request.
  Per-request headers are an ``httpx.Headers`` built once per security requirement
  and never mutated; a call that adds headers copies it.
* ``_build`` returns exactly the request ``httpx_client.build_request`` would, but
  caches httpx's header merge (the most expensive part of building a request) per
  security requirement, checked against the httpx client's current headers on every
  call; with cookies or default params on the httpx client it defers to
  ``build_request``.
* Failures become exceptions here, with URLs redacted when a scheme puts the key in
  the query string.  Nothing here logs or stores a header.
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

from ._auth import AuthParts, AuthQuery, Credential, auth_parts, redact_url
from ._config import ClientConfig, Operation
from ._encode import encode_data, encode_files, encode_json, encode_query, render_path
from ._errors import APIConnectionError, APIError, APIStatusError, request_id_of
from ._failures import connection_error_class, make_status_error
from ._parse import get_parser
from ._pointer import resolve_pointer
from ._types import NOT_GIVEN, FileTypes, NotGiven, RequestFiles, TimeoutTypes
from ._version import __version__

__all__ = [
    "BaseClient",
    "Prepared",
    "is_success",
    "log",
    "parse_item",
    "parse_response",
    "to_timeout",
]

log = logging.getLogger("clientcore")

_DEFAULT_CONNECT_TIMEOUT = 10.0
_JSON_CONTENT_TYPE = "application/json"


def to_timeout(timeout: TimeoutTypes) -> httpx.Timeout:
    """A float is the overall timeout with connect capped at 10 s; ``None`` is none."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    return httpx.Timeout(timeout, connect=min(float(timeout), _DEFAULT_CONNECT_TIMEOUT))


def is_success(op: Operation, status: int) -> bool:
    """Whether ``status`` is a success for ``op`` (``op.success``, else any 2xx)."""
    success = op.success
    return 200 <= status < 300 if success is None else status in success


def parse_response(cast_to: Any, client: object, response: httpx.Response) -> Any:
    """A response body parsed into ``cast_to``, linked models given ``client``."""
    if cast_to is None:
        return None
    parser = get_parser(cast_to)
    value = parser.from_json(response.content)
    if parser.linker is not None:
        parser.linker(value, client)
    return value


def parse_item(cast_to: Any, client: object, item: Any) -> Any:
    """Decoded JSON (a recovered item) validated into ``cast_to``."""
    if cast_to is None:
        return None
    parser = get_parser(cast_to)
    value = parser.from_python(item)
    if parser.linker is not None:
        parser.linker(value, client)
    return value


class Prepared:
    """A request's wire values, reused unchanged by every attempt."""

    __slots__ = ("url", "headers", "static", "content", "files", "data", "timeout", "path")

    def __init__(
        self,
        url: str,
        headers: httpx.Headers,
        static: bool,
        content: bytes | None,
        files: list[tuple[str, FileTypes]] | None,
        data: dict[str, str | list[str]] | None,
        timeout: dict[str, float | None],
        path: str,
    ) -> None:
        self.url = url
        self.headers = headers
        self.static = static  # ``headers`` is the client's cached object for its security
        self.content = content
        self.files = files
        self.data = data
        self.timeout = timeout
        self.path = path


class BaseClient:
    """Configuration and preparation shared by ``SyncAPIClient`` and ``AsyncAPIClient``."""

    base_url: str
    max_retries: int
    timeout: httpx.Timeout
    _http: httpx.Client | httpx.AsyncClient

    def _setup(
        self,
        config: ClientConfig,
        credential: Credential,
        base_url: str | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        default_headers: Mapping[str, str] | None,
        owns_http: bool,
    ) -> None:
        self._config = config
        self._credential = credential
        self.base_url = (base_url or config.default_base_url).rstrip("/")
        self.timeout = to_timeout(config.timeout if isinstance(timeout, NotGiven) else timeout)
        self._timeout_ext = self.timeout.as_dict()
        retries = config.retry.max_retries if isinstance(max_retries, NotGiven) else max_retries
        if retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.max_retries = retries
        user_agent = (
            f"{config.user_agent} clientcore/{__version__} python/{platform.python_version()}"
        )
        headers = {"user-agent": user_agent, "accept": _JSON_CONTENT_TYPE}
        for name, value in (default_headers or {}).items():
            headers[name.lower()] = value
        self._default_headers = headers
        # A client we create carries the default headers itself; an injected one is
        # shared and keeps its own, so ours go on every request instead.
        self._owns_http = owns_http
        self._request_headers = {} if owns_http else headers
        self._auth_cache: dict[tuple[str, ...] | None, tuple[httpx.Headers, AuthQuery]] = {}
        # Requests are built directly (see ``_build``) while the URL is absolute and the
        # httpx client has no cookies or default params; then the static headers merged
        # with the httpx client's are cached, keyed by the static object, and dropped
        # whenever the httpx client's headers change.
        self._direct = httpx.URL(self.base_url).is_absolute_url
        self._client_raw: list[tuple[bytes, bytes]] | None = None
        self._merged: dict[int, httpx.Headers] = {}
        self._redact = frozenset(
            s.name for s in config.auth.values() if s.kind == "query" and s.name
        )

    # -- preparation -------------------------------------------------------------------

    def _security(self, op: Operation) -> tuple[str, ...]:
        security = op.security if op.security is not None else self._config.default_security
        for name in security[:1]:
            if name not in self._config.auth:
                raise ValueError(f"{op.method} {op.path}: unknown security scheme {name!r}")
        return security

    def _static_auth(self, op: Operation) -> tuple[httpx.Headers, AuthQuery]:
        """Per-request headers plus the static credential's auth for ``op`` (cached).

        The headers are an ``httpx.Headers`` built once: httpx copies it without
        re-validating each header, and it is never mutated (calls copy it first)."""
        cached = self._auth_cache.get(op.security)
        if cached is None:
            security = self._security(op)
            secret = self._credential.static_value
            auth_headers, auth_query = auth_parts(self._config.auth, security, secret)
            cached = (httpx.Headers({**self._request_headers, **auth_headers}), auth_query)
            self._auth_cache[op.security] = cached
        return cached

    def _dynamic_auth(self, op: Operation, secret: str | None) -> AuthParts:
        return auth_parts(self._config.auth, self._security(op), secret)

    def _prepare(
        self,
        op: Operation,
        path: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        body: object,
        files: RequestFiles | None,
        data: Mapping[str, object] | None,
        headers: Mapping[str, str] | None,
        timeout: TimeoutTypes | NotGiven,
        accept: str | None = None,
    ) -> Prepared:
        rendered = op.path_parts[0] if len(op.path_parts) == 1 else render_path(op, path)
        url = self.base_url + rendered
        hdrs, auth_query = self._static_auth(op)
        pairs = encode_query(op, query) if query else None
        if auth_query:
            pairs = (pairs or []) + auth_query
        if pairs:
            url = f"{url}?{urlencode(pairs)}"  # exactly what httpx makes of ``params=``
        content = None
        static = True
        if body is not NOT_GIVEN or accept is not None or headers:
            static = False
            hdrs = hdrs.copy()
            if body is not NOT_GIVEN:
                content = encode_json(body)
                hdrs["content-type"] = _JSON_CONTENT_TYPE
            if accept is not None:
                hdrs["accept"] = accept
            if headers:
                hdrs.update(headers)
        return Prepared(
            url,
            hdrs,
            static,
            content,
            encode_files(files) if files is not None else None,
            encode_data(data) if data else None,
            self._timeout_ext if isinstance(timeout, NotGiven) else to_timeout(timeout).as_dict(),
            rendered,
        )

    def _build(
        self, method: str, url: str, headers: httpx.Headers, static: bool, prepared: Prepared
    ) -> httpx.Request:
        """The request ``http.build_request`` would build, built faster when possible.

        ``build_request`` merges the httpx client's URL, headers, cookies and params
        into every request.  Our URL is absolute, so while the httpx client has no
        cookies and no default params only the header merge matters, and for the usual
        call (static headers) its result is cached: same request, ~6 us less per call
        (httpx's merge re-validates and re-searches every header every time)."""
        http = self._http
        extensions = {"timeout": prepared.timeout}
        if self._direct and not http.cookies and not http.params:
            raw = http.headers.raw
            if raw != self._client_raw:
                self._client_raw = raw
                self._merged = {}
            merged = self._merged.get(id(headers)) if static else None
            if merged is None:
                merged = httpx.Headers(http.headers)
                merged.update(headers)  # exactly httpx's Client._merge_headers
                if static:
                    self._merged[id(headers)] = merged
            return httpx.Request(
                method,
                url,
                headers=merged,
                content=prepared.content,
                files=prepared.files,
                data=prepared.data,
                extensions=extensions,
            )
        params = None
        if http.params:
            # httpx replaces a URL's query with ``params`` (the client's defaults), so
            # hand it ours as ``params`` to be merged instead.
            parsed = httpx.URL(url)
            url, params = str(parsed.copy_with(query=None)), parsed.params
        return http.build_request(
            method,
            url,
            params=params,
            headers=headers,
            content=prepared.content,
            files=prepared.files,
            data=prepared.data,
            extensions=extensions,
        )

    def _with_auth(self, prepared: Prepared, auth: AuthParts) -> tuple[str, httpx.Headers]:
        """URL and headers of one attempt with a dynamic credential's auth added."""
        auth_headers, auth_query = auth
        headers = prepared.headers
        if auth_headers:
            headers = headers.copy()
            headers.update(auth_headers)
        url = prepared.url
        if auth_query:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(auth_query)}"
        return url, headers

    # -- outcomes ----------------------------------------------------------------------

    def _redacted(self, err: APIError) -> APIError:
        if self._redact and err.url:
            err.url = redact_url(err.url, self._redact)
        return err

    def _connection_error(self, exc: Exception, request: httpx.Request) -> APIConnectionError:
        timed_out = isinstance(exc, httpx.TimeoutException)
        cls = connection_error_class(self._config.errors, timed_out)
        detail = str(exc)
        if timed_out:
            message = "Request timed out."
        else:
            message = f"Connection error: {detail}" if detail else "Connection error."
        err = cls(message, request=request)
        self._redacted(err)
        return err

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        """The exception for a non-success response (its body must have been read)."""
        err = make_status_error(self._config.errors, response)
        self._redacted(err)
        return err

    def _stream_error(self, response: httpx.Response, message: str, body: object) -> APIError:
        """The status-less base error for an error event inside a stream."""
        err = self._config.errors.base(message, request=response.request, body=body)
        err.headers = response.headers
        err.request_id = request_id_of(response.headers)
        return self._redacted(err)

    def _log_retry(
        self, op: Operation, prepared: Prepared, retry: int, retries: int, delay: float, why: str
    ) -> None:
        """Log the ``retry``-th retry (1-based) of ``retries``: method, path, delay, cause."""
        log.info(
            "Retrying %s %s in %.3fs (attempt %d of %d) after %s",
            op.method,
            prepared.path,  # the path only: the query string may carry a credential
            delay,
            retry + 1,
            retries + 1,
            why,
        )

    @staticmethod
    def _recovery_query(op: Operation, body: object) -> dict[str, object] | None:
        """Query of the 409 recovery lookup, or ``None`` when the body lacks the key."""
        recovery = op.recovery
        if recovery is None or not isinstance(body, Mapping):
            return None
        if op.idempotency_key is not None and body.get(op.idempotency_key) is None:
            return None
        query: dict[str, object] = {}
        for param, field in recovery.query.items():
            value = body.get(field)
            if value is None:
                return None
            query[param] = value
        return query

    @staticmethod
    def _recovered_item(op: Operation, page: Any) -> Any:
        assert op.recovery is not None
        return resolve_pointer(page, op.recovery.result)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_url={self.base_url!r}>"
