"""Configuration values that generated code builds once, at module level.

Design notes
------------
* Everything here is a frozen, slotted dataclass: generated modules create these
  objects at import time and the runtime only reads them, so they are shared freely
  between clients, threads and event loops.
* The runtime knows no API.  Each ``x-`` extension of the spec language becomes a
  field here (see ``docs/extensions.md``); the request loop reads fields, never names.
* Work that depends only on the operation (splitting the path template, deciding
  idempotency from the method) is done once in ``__post_init__`` and kept in private
  fields, so the per-call path does no parsing.
* Wire names are used throughout (query keys, body properties, response fields);
  Python names exist only in the generated code.
* Three seams let an API differ from JSON over HTTP without a different runtime, each
  an ``Operation`` field whose default is plain JSON over httpx: ``codec`` (how bodies
  are framed, ``_codec``), ``result_rule`` (success decided by the body as well as
  the status, ``ResultRule``) and ``transport`` (a named transport from
  ``ClientConfig.transports`` sends the request, ``_transport``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from ._codec import JSON_CODEC, BodyCodec
from ._errors import (
    APIConnectionError,
    APIError,
    APIParameterError,
    APIResponseValidationError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
)
from ._pointer import Pointer
from ._transport import TransportFactory

# The public names of this module are listed once, in ``clientcore.__all__``.

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class AuthScheme:
    """How the client's one credential is put on the wire.

    ``kind``: ``basic`` (``Authorization: Basic base64("<key>:")``, or of ``user:pass``
    when the key holds a ``:``), ``bearer`` (``Authorization: Bearer <key>``), ``header``
    (header ``name: <key>``), ``query`` (query parameter ``name=<key>``), ``cookie``
    (cookie ``name=<key>``) or ``oauth2`` (``Authorization: Bearer <token>``, the token
    given or fetched from ``token_url`` by a ``clientcore.OAuth2ClientCredentials``
    credential; ``scopes`` are the flow's, for reference: the credential says which it
    asks for).
    """

    kind: Literal["basic", "bearer", "header", "query", "cookie", "oauth2"]
    name: str | None = None
    token_url: str | None = None
    scopes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in ("basic", "bearer", "header", "query", "cookie", "oauth2"):
            raise ValueError(f"unknown auth scheme kind {self.kind!r}")
        if self.kind in ("header", "query", "cookie") and not self.name:
            raise ValueError(f"auth scheme kind {self.kind!r} needs a name")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Default retry policy of a client (per-client and per-call ``max_retries`` win)."""

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.initial_delay < 0 or self.max_delay < 0:
            raise ValueError("retry delays must be >= 0")


@dataclass(frozen=True, slots=True)
class ErrorConfig:
    """The API's exception classes and where an error body keeps its message.

    ``base`` is the API's root exception (a ``clientcore.APIError`` subclass).  A status
    error's class is ``by_status[status]``, else ``by_range[status // 100]``, else the
    runtime class for the status mixed with ``base``.  ``message_pointer`` is a JSON
    pointer as a tuple of keys/indices; the raw body text is the message when the
    pointer finds no string.

    An error a ``ResultRule`` finds in a success body is of class ``by_code[code]``,
    else ``unknown_code``, else ``APIResultError`` mixed with ``base``; a class that is
    not an ``APIResultError`` already gets it mixed in.

    A success body that cannot be decoded or validated raises ``validation``, else
    ``APIResponseValidationError`` mixed with ``base``; a stream that breaks its
    framing (an undecodable event, no terminator) raises ``stream``, else
    ``APIStreamError`` mixed with ``base``.  A bad call argument (nothing sent)
    raises ``parameter``, else ``APIParameterError`` mixed with ``base``.

    ``fields`` (attribute name -> JSON pointer into an error body) copies more of the
    body onto every error a client raises (``err.display_message``): the value found,
    else ``None`` (also on errors without a body).
    """

    base: type[APIError] = APIError
    by_status: Mapping[int, type[APIStatusError]] = field(default_factory=dict)
    by_range: Mapping[int, type[APIStatusError]] = field(default_factory=dict)
    connection: type[APIConnectionError] | None = None
    timeout: type[APITimeoutError] | None = None
    message_pointer: Pointer | None = None
    by_code: Mapping[str, type[APIError]] = field(default_factory=dict)
    unknown_code: type[APIError] | None = None
    validation: type[APIResponseValidationError] | None = None
    stream: type[APIStreamError] | None = None
    parameter: type[APIParameterError] | None = None
    fields: Mapping[str, Pointer] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a generated client class passes to ``SyncAPIClient``/``AsyncAPIClient``.

    ``default_security`` names the schemes of ``auth`` used by operations whose
    ``security`` is ``None``.  The names are alternatives (OpenAPI semantics): the
    client's single credential is applied with the first one.  ``transports`` names
    the factories of the transports operations may select (``Operation.transport``).
    """

    default_base_url: str
    user_agent: str = "clientcore"
    auth: Mapping[str, AuthScheme] = field(default_factory=dict)
    default_security: tuple[str, ...] = ()
    errors: ErrorConfig = field(default_factory=ErrorConfig)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float | httpx.Timeout | None = 60.0
    transports: Mapping[str, TransportFactory] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in self.default_security:
            if name not in self.auth:
                raise ValueError(f"default_security names unknown scheme {name!r}")


_PATH_STYLES = ("simple", "label", "matrix")
_QUERY_STYLES = ("form", "spaceDelimited", "pipeDelimited", "deepObject")


@dataclass(frozen=True, slots=True)
class PathParam:
    """A path placeholder.  ``reserved=True`` keeps RFC 3986 reserved characters and
    ``%`` unencoded (OpenAPI ``allowReserved``); otherwise everything but
    ``A-Za-z0-9_.-~`` is percent-encoded.  ``style`` and ``explode`` are OpenAPI's
    (``simple``: ``a,b``; ``label``: ``.a,b`` / ``.a.b``; ``matrix``: ``;id=a,b`` /
    ``;id=a;id=b``), for arrays and objects as well as scalars."""

    reserved: bool = False
    style: Literal["simple", "label", "matrix"] = "simple"
    explode: bool = False
    content: str | None = None  # ``content``-typed (JSON): the value sent as JSON text

    def __post_init__(self) -> None:
        if self.style not in _PATH_STYLES:
            raise ValueError(f"unknown path parameter style {self.style!r}")


@dataclass(frozen=True, slots=True)
class QueryParam:
    """A query parameter: lists as repeated keys (``explode``) or one comma-joined
    value; booleans as ``true``/``false`` or ``True``/``False`` (``bool_style``).
    ``style`` is OpenAPI's: ``form`` (objects as ``k=v`` pairs when exploded, else
    ``name=k,v``), ``spaceDelimited`` / ``pipeDelimited`` (items joined by a space or
    ``|``), ``deepObject`` (``name[k]=v``).  ``reserved`` (``allowReserved``) sends RFC
    3986 reserved characters unencoded."""

    explode: bool = True
    bool_style: Literal["lower", "title"] = "lower"
    style: Literal["form", "spaceDelimited", "pipeDelimited", "deepObject"] = "form"
    reserved: bool = False
    content: str | None = None  # ``content``-typed (JSON): the value sent as JSON text

    def __post_init__(self) -> None:
        if self.style not in _QUERY_STYLES:
            raise ValueError(f"unknown query parameter style {self.style!r}")


@dataclass(frozen=True, slots=True)
class HeaderParam:
    """A header parameter (OpenAPI ``simple`` style): an array ``a,b``; an object
    ``k,v,k2,v2`` or, with ``explode``, ``k=v,k2=v2``.  A ``str`` is sent as given."""

    explode: bool = False
    content: str | None = None  # ``content``-typed (JSON): the value sent as JSON text


@dataclass(frozen=True, slots=True)
class CookieParam:
    """A cookie parameter (OpenAPI ``form`` style), sent in the ``Cookie`` header: an
    array ``name=a,b`` or, with ``explode`` (the default), ``name=a; name=b``; an object
    ``name=k,v`` or, exploded, one cookie per property."""

    explode: bool = True
    content: str | None = None  # ``content``-typed (JSON): the value sent as JSON text


@dataclass(frozen=True, slots=True)
class Recovery:
    """``x-conflict-recovery``: after a retried create ends in 409, call ``operation``
    with ``query`` (query wire name -> body property) and return the item at ``result``."""

    operation: Operation
    query: Mapping[str, str]
    result: Pointer = ()


@dataclass(frozen=True, slots=True)
class ResultRule:
    """Success decided by the body too (RPC style: HTTP 200 with ``{"error": {...}}``).

    On a success status the decoded body is examined: a non-null value at ``error``
    raises the API error for the code at ``code`` (``ErrorConfig.by_code``), its message
    at ``message`` (``None``: ``ErrorConfig.message_pointer``); otherwise the value at
    ``result`` (``None``: the whole body) is what the call parses into ``cast_to``.
    """

    error: Pointer = ("error",)
    code: Pointer | None = ("error", "code")
    message: Pointer | None = None
    result: Pointer | None = ("result",)
    # the operation's own error base: what it raises for a code derives from it too
    errors: type[APIError] | None = None


@dataclass(frozen=True, slots=True)
class Operation:
    """One HTTP operation: method, path template and how its arguments are encoded.

    ``idempotent=None`` derives idempotency from the method (GET, HEAD, OPTIONS, PUT,
    DELETE); ``security=None`` means the client config's ``default_security`` and
    ``()`` means no authentication.  ``codec`` frames its bodies (default JSON),
    ``result_rule`` reads success from the body as well (default: the status alone),
    ``transport`` names the transport that sends it (default: the httpx client), and
    ``transport_options`` (any JSON value) reaches that transport with each request
    (``request.extensions["transport_options"]``).
    """

    method: str
    path: str
    path_params: Mapping[str, PathParam] = field(default_factory=dict)
    query_params: Mapping[str, QueryParam] = field(default_factory=dict)
    header_params: Mapping[str, HeaderParam] = field(default_factory=dict)
    cookie_params: Mapping[str, CookieParam] = field(default_factory=dict)
    security: tuple[str, ...] | None = None
    idempotent: bool | None = None
    idempotency_key: str | None = None
    recovery: Recovery | None = None
    success: frozenset[int] | None = None
    codec: BodyCodec = JSON_CODEC
    result_rule: ResultRule | None = None
    transport: str | None = None
    transport_options: Any = None  # x-transport-options, for the transport to read
    # Derived once in __post_init__ (not a constructor argument).
    path_parts: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        method = self.method.upper()
        object.__setattr__(self, "method", method)
        if not self.path.startswith("/"):
            object.__setattr__(self, "path", "/" + self.path)
        if self.idempotent is None:
            object.__setattr__(self, "idempotent", method in _IDEMPOTENT_METHODS)
        missing = [
            m for m in ("content_type", "accept", "encode", "decode") if not hasattr(self.codec, m)
        ]
        if missing:
            raise TypeError(f"{method} {self.path}: codec lacks {', '.join(missing)}")
        # "/v1/task/{task}/x" -> ("/v1/task/", "task", "/x"): literals at even indexes,
        # wire names at odd ones; rendering is a join, not a regex or str.format.
        object.__setattr__(self, "path_parts", tuple(_PLACEHOLDER.split(self.path)))


@dataclass(frozen=True, slots=True)
class Pagination:
    """``x-pagination``: how a list operation pages (all names are wire names)."""

    style: Literal["cursor", "offset", "token"]
    items: str
    cursor_param: str | None = None
    cursor_field: str | None = None
    has_more_field: str | None = None
    offset_param: str | None = None
    limit_field: str | None = None
    total_field: str | None = None

    def __post_init__(self) -> None:
        if self.style not in ("cursor", "offset", "token"):
            raise ValueError(f"unknown pagination style {self.style!r}")
        if self.style == "offset":
            if not self.offset_param:
                raise ValueError("offset pagination needs offset_param")
        elif not (self.cursor_param and self.cursor_field):
            raise ValueError(f"{self.style} pagination needs cursor_param and cursor_field")


@dataclass(frozen=True, slots=True)
class StreamSpec:
    """``x-stream``: SSE data equal to ``terminator`` ends the stream; an event whose
    JSON object has a truthy ``error_field`` raises the API's base error."""

    terminator: str | None = "[DONE]"
    error_field: str | None = "error"
