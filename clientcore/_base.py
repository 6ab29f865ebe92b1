"""What every client is: configuration, request preparation and building, errors.

Design notes
------------
* Everything that does not depend on the call is computed once per client: the
  default headers (User-Agent, Accept, ``default_headers``), the auth headers/query
  items of a static credential for each security requirement (cached on first use),
  the default timeout as httpx's extension dict, the names to redact from URLs.
* Per call, ``_prepare`` builds only what the request needs (URL with its encoded
  query string, headers, body bytes, multipart parts: a ``_prepared.Prepared``),
  reused unchanged by every retry.  The query string is encoded here rather than passed as httpx ``params=``:
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
* A client may default query parameters (``query_defaults``: a client option such as
  ``api_version``): applied to the operations that declare the parameter when the
  call leaves it out.
* A body is encoded by the operation's codec (``_codec``), whose ``Accept`` replaces
  the default one when it is not JSON's.
* Failures become exceptions here, with URLs redacted when a scheme puts the key in
  the query string.  Nothing here logs or stores a header.
* There is no I/O here and nothing sync- or async-specific: the clients add their
  httpx client, transports and ``_sleep``; the calls themselves are flows (``_calls``).
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar
from urllib.parse import urlencode

import httpx

from ._auth import FIRST, AuthParts, AuthQuery, Credential, Credentials, Secrets, auth_parts
from ._codec import JSON_CODEC, encode_body
from ._config import ClientConfig, Operation, ResultRule
from ._deadline import total_of
from ._encode import (
    encode_data,
    encode_files,
    encode_headers,
    encode_query,
    query_string,
    raw_content,
    render_path,
    with_cookies,
)
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIResultError,
    APIStatusError,
    APIStreamError,
    ParameterError,
    request_id_of,
)
from ._failures import (
    connection_error_class,
    make_parameter_error,
    make_result_error,
    make_status_error,
    make_stream_error,
    make_validation_error,
    set_fields,
)
from ._prepared import Prepared
from ._redact import redact_query_logs, redact_url, scrub_chain, secret_headers
from ._transport import TransportFactory, Transports, TransportSettings
from ._types import (
    NOT_GIVEN,
    AsyncCredential,
    FileContent,
    FileTypes,
    NotGiven,
    RequestFiles,
    TimeoutTypes,
)
from ._version import __version__

__all__ = ["BaseClient", "Client", "log", "to_timeout"]

B = TypeVar("B", bound="BaseClient[Any, Any]")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)
C = TypeVar("C", bound=AsyncCredential)
E = TypeVar("E", bound=APIError)

# Checking the httpx client's cookies and headers on every call (``_build``) costs more
# through the public API (``bool(Cookies)`` and ``Headers.raw`` build a generator and a
# list each time, ~0.7 us) than everything else we add to a call.  httpx 0.27/0.28
# keep a ``Headers``' items in ``_list`` and a cookie jar's in the standard
# ``CookieJar._cookies``: read directly when they exist, the public forms otherwise.
_PEEK = hasattr(httpx.Headers(), "_list") and hasattr(httpx.Cookies().jar, "_cookies")

log = logging.getLogger("clientcore")

_DEFAULT_CONNECT_TIMEOUT = 10.0


def to_timeout(timeout: TimeoutTypes) -> httpx.Timeout:
    """A float is the overall timeout with connect capped at 10 s; ``None`` is none."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    return httpx.Timeout(timeout, connect=min(float(timeout), _DEFAULT_CONNECT_TIMEOUT))


class BaseClient(Generic[H, C]):
    """A client of either kind: ``H`` is its httpx client class, ``C`` its credential type.

    ``SyncAPIClient`` and ``AsyncAPIClient`` add only their I/O: how their httpx client
    is made, their transports, their sleep and closing."""

    base_url: str
    max_retries: int
    timeout: httpx.Timeout
    _http: H
    _http_type: ClassVar[type[httpx.Client | httpx.AsyncClient]]
    _async_credentials: ClassVar[bool] = False
    _drive: ClassVar[Callable[..., Any]]  # (client, flow): ``_drive.run`` or ``_drive.arun``

    def __init__(
        self,
        config: ClientConfig,
        *,
        credential: C | None = None,
        credentials: Mapping[str, C | None] | None = None,
        query_defaults: Mapping[str, object] | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        http_client: H | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        try:
            holder = _credentials(config, credential, credentials)
        except ParameterError as exc:
            raise make_parameter_error(config.errors, exc) from None
        if holder.is_async and not self._async_credentials:
            refused = ParameterError(
                "credential",
                "a coroutine function needs the async client (give the sync client a string"
                " or a plain function)",
            )
            raise make_parameter_error(config.errors, refused)
        expected = self._http_type
        if http_client is not None and not isinstance(http_client, expected):
            raise TypeError(f"http_client must be an httpx.{expected.__name__}")
        self._config = config
        self._credential = holder
        # Client options that default a query parameter (``api-version``), set ones only.
        self._query_defaults = {k: v for k, v in (query_defaults or {}).items() if v is not None}
        self.base_url = (base_url or config.default_base_url).rstrip("/")
        given = config.timeout if isinstance(timeout, NotGiven) else timeout
        self.timeout = to_timeout(given)
        self._total = total_of(given)
        self._timeout_ext = self.timeout.as_dict()
        retries = config.retry.max_retries if isinstance(max_retries, NotGiven) else max_retries
        if retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.max_retries = retries
        user_agent = (
            f"{config.user_agent} clientcore/{__version__} python/{platform.python_version()}"
        )
        headers = {"user-agent": user_agent, "accept": JSON_CODEC.accept}
        for name, value in (default_headers or {}).items():
            headers[name.lower()] = value
        self._default_headers = headers
        self._auth_cache: dict[tuple[str, ...] | None, tuple[httpx.Headers, AuthQuery]] = {}
        # Requests are built directly (see ``_build``) while the URL is absolute and the
        # httpx client has no cookies or default params; then the static headers merged
        # with the httpx client's are cached, keyed by the static object, and dropped
        # whenever the httpx client's headers change.
        self._direct = httpx.URL(self.base_url).is_absolute_url
        self._client_raw: list[Any] | None = None
        self._merged: dict[int, httpx.Headers] = {}
        self._redact = frozenset(
            s.name for s in config.auth.values() if s.kind == "query" and s.name
        )
        self._secret_headers = secret_headers(config.auth)
        redact_query_logs(self._redact)
        # A client we create carries the default headers itself; an injected one is
        # shared and keeps its own, so ours go on every request instead.
        self._owns_http: bool = http_client is None
        self._request_headers = {} if http_client is None else self._default_headers
        self._http = http_client if http_client is not None else self._new_http()
        self._transports = Transports(config.transports, self._make_transport)

    def _new_http(self) -> H:
        """The httpx client made when none is injected."""
        raise NotImplementedError

    def _make_transport(self, factory: TransportFactory) -> Any:
        """The transport ``factory`` makes for this kind of client."""
        raise NotImplementedError

    def _transport(self, name: str) -> Any:
        """The named transport (``Operation.transport``), made on first use."""
        return self._transports.get(name)

    @property
    def _client(self: B) -> B:
        """The client calls go through: a client's is itself (a resource's, its client)."""
        return self

    def _transport_settings(self) -> TransportSettings:
        return TransportSettings(self.base_url, self.timeout, dict(self._default_headers))

    # -- preparation -------------------------------------------------------------------

    def _security(self, op: Operation) -> tuple[str, ...]:
        security = op.security if op.security is not None else self._config.default_security
        for name in security:
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

    def _dynamic_auth(self, op: Operation, secrets: Secrets) -> AuthParts:
        return auth_parts(self._config.auth, self._security(op), secrets)

    def _defaulted(
        self, op: Operation, query: Mapping[str, object] | None
    ) -> Mapping[str, object] | None:
        """``query`` with the client's defaults for the query parameters ``op`` declares
        and the call left out (``None``)."""
        defaults = {k: v for k, v in self._query_defaults.items() if k in op.query_params}
        if not defaults:
            return query
        given = {k: v for k, v in (query or {}).items() if v is not None}
        return {**defaults, **given}

    def _parameter_error(self, exc: ParameterError) -> ParameterError:
        """``exc`` as the API's own parameter error (raise it ``from None``)."""
        return make_parameter_error(self._config.errors, exc)

    def _prepare(
        self,
        op: Operation,
        path: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        body: object,
        files: RequestFiles | None,
        data: Mapping[str, object] | None,
        headers: Mapping[str, object] | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        accept: str | None = None,
        cookies: Mapping[str, object] | None = None,
        content: FileContent | None = None,
        content_type: str | None = None,
    ) -> Prepared:
        """The call's request, encoded once; a bad argument raises the API's
        ``APIParameterError`` naming it, before anything is sent."""
        try:
            return self._encode(
                op,
                path,
                query,
                body,
                files,
                data,
                headers,
                timeout,
                max_retries,
                accept,
                cookies,
                content,
                content_type,
            )
        except ParameterError as exc:
            raise self._parameter_error(exc) from None

    def _encode(
        self,
        op: Operation,
        path: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        body: object,
        files: RequestFiles | None,
        data: Mapping[str, object] | None,
        headers: Mapping[str, object] | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        accept: str | None = None,
        cookies: Mapping[str, object] | None = None,
        content: FileContent | None = None,
        content_type: str | None = None,
    ) -> Prepared:
        rendered = op.path_parts[0] if len(op.path_parts) == 1 else render_path(op, path)
        url = self.base_url + rendered
        cached = self._auth_cache.get(op.security)  # ``_static_auth``'s, without the call
        hdrs, auth_query = cached if cached is not None else self._static_auth(op)
        if self._query_defaults:
            query = self._defaulted(op, query)
        pairs = encode_query(op, query) if query else None
        if auth_query:
            pairs = (pairs or []) + auth_query
        if pairs:
            url = f"{url}?{query_string(pairs)}"  # what httpx makes of ``params=``
        static = True
        codec = op.codec
        if cookies:
            headers = with_cookies(op, headers, cookies)
        raw = None if content is None else raw_content(content)
        body_bytes = None
        if (
            body is not NOT_GIVEN
            or raw is not None
            or accept is not None
            or headers
            or codec is not JSON_CODEC
        ):
            static = False
            hdrs = hdrs.copy()
            if body is not NOT_GIVEN:
                body_bytes = encode_body(codec, body)
                hdrs["content-type"] = codec.content_type
            elif raw is not None:
                body_bytes = raw
                hdrs["content-type"] = content_type or "application/octet-stream"
            if accept is None and codec is not JSON_CODEC:
                accept = codec.accept
            if accept is not None:
                hdrs["accept"] = accept
            if headers:
                _update_joining_cookies(hdrs, encode_headers(op, headers))
        return Prepared(
            op,
            url,
            hdrs,
            static,
            body_bytes,
            *_form_parts(files, data),
            self._timeout_ext if isinstance(timeout, NotGiven) else to_timeout(timeout).as_dict(),
            rendered,
            body,
            self.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            self._total if isinstance(timeout, NotGiven) else total_of(timeout),
        )

    def _build(
        self, url: str, headers: httpx.Headers, static: bool, prepared: Prepared
    ) -> httpx.Request:
        """The request ``http.build_request`` would build, built faster when possible.

        ``build_request`` merges the httpx client's URL, headers, cookies and params
        into every request.  Our URL is absolute, so while the httpx client has no
        cookies and no default params only the header merge matters, and for the usual
        call (static headers) its result is cached: same request, ~6 us less per call
        (httpx's merge re-validates and re-searches every header every time)."""
        http = self._http
        extensions: dict[str, Any] = {"timeout": prepared.window}
        if prepared.op.transport_options is not None:
            extensions["transport_options"] = prepared.op.transport_options
        if (
            self._direct
            and not http.params
            and not (http.cookies.jar._cookies if _PEEK else http.cookies)  # type: ignore[attr-defined]
        ):
            items = http.headers._list if _PEEK else http.headers.raw
            if items != self._client_raw:
                self._client_raw = list(items)
                self._merged = {}
            merged = self._merged.get(id(headers)) if static else None
            if merged is None:
                merged = httpx.Headers(http.headers)
                merged.update(headers)  # exactly httpx's Client._merge_headers
                if static:
                    self._merged[id(headers)] = merged
            return httpx.Request(
                prepared.op.method,
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
            prepared.op.method,
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
            _update_joining_cookies(headers, auth_headers, first=True)
        url = prepared.url
        if auth_query:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(auth_query)}"
        return url, headers

    # -- outcomes ----------------------------------------------------------------------

    def _finished(self, err: E, body: object) -> E:
        """``err`` with the API's error ``fields`` from ``body`` and its URL redacted."""
        if self._config.errors.fields:
            set_fields(self._config.errors, err, body)
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
        scrub_chain(exc, self._secret_headers, self._redact)
        return self._finished(err, None)

    def _status_error(self, op: Operation, response: httpx.Response) -> APIStatusError:
        """The exception for a non-success response (its body must have been read)."""
        err = make_status_error(self._config.errors, response, op.codec)
        return self._finished(err, err.body)

    def _result_error(
        self, rule: ResultRule, response: httpx.Response, body: object, error: object
    ) -> APIResultError:
        """The exception for an error a result rule found in a success body."""
        err = make_result_error(self._config.errors, rule, response, body, error)
        return self._finished(err, body)

    def _validation_error(
        self, response: httpx.Response, exc: ValueError
    ) -> APIResponseValidationError:
        """The exception for a success body that cannot be decoded or validated (raise it
        ``from exc``)."""
        err = make_validation_error(self._config.errors, response, exc)
        return self._finished(err, None)

    def _stream_error(self, response: httpx.Response, message: str, body: object) -> APIError:
        """The status-less base error for an error event inside a stream."""
        err = self._config.errors.base(message, request=response.request, body=body)
        err.headers = response.headers
        err.request_id = request_id_of(response.headers)
        return self._finished(err, body)

    def _broken_stream(
        self, response: httpx.Response, message: str, body: object = None
    ) -> APIStreamError:
        """The exception for a stream that broke its framing (raise it ``from`` the cause)."""
        err = make_stream_error(self._config.errors, response, message, body)
        return self._finished(err, None)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_url={self.base_url!r}>"


def _credentials(
    config: ClientConfig, credential: object, credentials: Mapping[str, object] | None
) -> Credentials:
    """The client's ``Credentials``: its one ``credential`` (applied with each operation's
    first scheme), or ``credentials`` by scheme name (``None`` and ``""`` leave a scheme
    out)."""
    if credentials is None:
        return Credentials({FIRST: Credential(credential)})  # type: ignore[arg-type]
    if credential is not None:
        raise TypeError("give credential or credentials, not both")
    unknown = [name for name in credentials if name not in config.auth]
    if unknown:
        raise ValueError(f"credentials for unknown security schemes: {', '.join(unknown)}")
    return Credentials(
        {name: Credential(v) for name, v in credentials.items() if v is not None and v != ""}  # type: ignore[arg-type]
    )


def _form_parts(
    files: RequestFiles | None, data: Mapping[str, object] | None
) -> tuple[list[tuple[str, FileTypes]] | None, dict[str, str | list[str]] | None]:
    """Multipart parts and form fields for httpx.  ``files`` given (even empty) means a
    multipart body: without a file part httpx would send the fields form-urlencoded,
    so they go as parts without a filename instead."""
    fields = encode_data(data) if data else None
    if files is None:
        return None, fields
    parts = encode_files(files)
    if parts or not fields:
        return parts, fields
    for name, value in fields.items():
        for text in [value] if isinstance(value, str) else value:
            parts.append((name, (None, text.encode())))
    return parts, None


Client = BaseClient[Any, Any]
"""A client of either kind (what the calls, flows and pagers take)."""


def _update_joining_cookies(
    target: httpx.Headers, extra: Mapping[str, str], *, first: bool = False
) -> None:
    """``target.update(extra)``, except that a ``Cookie`` in both is one header carrying
    both (an apiKey-in-cookie scheme and the call's cookie parameters); ``first`` puts
    ``extra``'s cookies before ``target``'s."""
    for name, value in extra.items():
        old = target.get(name) if name.lower() == "cookie" else None
        if old:
            target[name] = f"{value}; {old}" if first else f"{old}; {value}"
        else:
            target[name] = value
