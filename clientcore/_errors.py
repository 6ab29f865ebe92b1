"""The exception hierarchy, and how a failed response becomes an exception.

Design notes
------------
* Errors never keep the request (its headers carry the credential) nor the
  ``httpx.Response`` (which points back at the request).  They copy what a caller
  needs: status, parsed body, response headers, request id, method and URL.
* ``str(err)`` is ``"<status> <message> (request id <id>)"``; parts that are absent are
  left out.
* An API's own classes (``class ScaleInvalidRequest(ScaleException, BadRequestError)``)
  add nothing but their name.  When the API names no class for a status, the runtime
  class for that status is mixed with the API's base class once and cached, so
  ``except ScaleException`` catches everything a client raises.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from ._config import ErrorConfig

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "ParameterError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]

_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid")


class ClientError(Exception):
    """Base class of everything clientcore raises."""


class ParameterError(ClientError, ValueError):
    """A call argument that cannot be encoded; raised before anything is sent."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


class APIError(ClientError):
    """An API call failed.  ``status_code`` is ``None`` when there was no response."""

    message: str
    status_code: int | None
    body: object
    headers: httpx.Headers | None
    request_id: str | None
    method: str | None
    url: str | None

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, body: object = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = None
        self.body = body
        self.headers = None
        self.request_id = None
        self.method = request.method if request is not None else None
        self.url = str(request.url) if request is not None else None

    @property
    def code(self) -> int | None:
        """Alias of ``status_code``."""
        return self.status_code

    def __str__(self) -> str:
        text = self.message if self.status_code is None else f"{self.status_code} {self.message}"
        if self.request_id:
            text = f"{text} (request id {self.request_id})"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class APIConnectionError(APIError):
    """No response: the connection failed, or reading the response did."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, write, read or pool)."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APIStatusError(APIError):
    """The server answered with a status the operation does not count as success."""

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, request=response.request, body=body)
        self.status_code = response.status_code
        self.headers = response.headers
        self.request_id = request_id_of(response.headers)


class BadRequestError(APIStatusError):
    """400"""


class AuthenticationError(APIStatusError):
    """401"""


class PaymentRequiredError(APIStatusError):
    """402"""


class PermissionDeniedError(APIStatusError):
    """403"""


class NotFoundError(APIStatusError):
    """404"""


class ConflictError(APIStatusError):
    """409"""


class UnprocessableEntityError(APIStatusError):
    """422"""


class RateLimitError(APIStatusError):
    """429"""


class InternalServerError(APIStatusError):
    """5xx"""


_RUNTIME_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
_MIXED: dict[tuple[type[APIError], type[APIError]], type[APIError]] = {}


def request_id_of(headers: httpx.Headers) -> str | None:
    """The server's request id (``x-request-id``, ``request-id`` or AWS's), if any."""
    for name in _REQUEST_ID_HEADERS:
        value: str | None = headers.get(name)
        if value:
            return value
    return None


def _mix(base: type[APIError], runtime: type[APIError]) -> type[APIError]:
    """``runtime`` if ``base`` already is one, else a cached ``(base, runtime)`` class."""
    if issubclass(runtime, base):
        return runtime
    if issubclass(base, runtime):
        return base
    key = (base, runtime)
    cls = _MIXED.get(key)
    if cls is None:
        stem = base.__name__.removesuffix("Exception").removesuffix("Error")
        cls = type(f"{stem}{runtime.__name__}", (base, runtime), {"__module__": base.__module__})
        cls = _MIXED.setdefault(key, cls)
    return cls


def runtime_status_class(status: int) -> type[APIStatusError]:
    """The runtime class for a status (``APIStatusError`` when none is specific)."""
    if status >= 500:
        return InternalServerError
    return _RUNTIME_BY_STATUS.get(status, APIStatusError)


def status_error_class(config: ErrorConfig, status: int) -> type[APIStatusError]:
    cls = config.by_status.get(status) or config.by_range.get(status // 100)
    if cls is not None:
        return cls
    mixed = _mix(config.base, runtime_status_class(status))
    assert issubclass(mixed, APIStatusError)
    return mixed


def connection_error_class(config: ErrorConfig, timeout: bool) -> type[APIConnectionError]:
    conn = config.connection
    if conn is None:
        conn_mixed = _mix(config.base, APIConnectionError)
        assert issubclass(conn_mixed, APIConnectionError)
        conn = conn_mixed
    if not timeout:
        return conn
    if config.timeout is not None:
        return config.timeout
    mixed = _mix(conn, APITimeoutError)
    assert issubclass(mixed, APITimeoutError)
    return mixed


def decode_body(content: bytes, text: str) -> object:
    """The error body: parsed JSON when it is JSON, else the text (``None`` if empty)."""
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return text


def extract_message(body: object, pointer: tuple[str | int, ...] | None, text: str) -> str:
    """The string at ``pointer`` inside ``body``; the raw ``text`` otherwise."""
    if pointer is not None and not isinstance(body, str):
        value = resolve_pointer(body, pointer)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
    return text


_MISSING = object()


def resolve_pointer(value: object, pointer: tuple[str | int, ...]) -> object:
    """Walk ``pointer`` (keys and indices) into parsed JSON; ``None`` when absent."""
    for key in pointer:
        if isinstance(value, dict):
            value = value.get(key, _MISSING) if isinstance(key, str) else _MISSING
        elif isinstance(value, list) and isinstance(key, int):
            value = value[key] if -len(value) <= key < len(value) else _MISSING
        else:
            return None
        if value is _MISSING:
            return None
    return value


def make_status_error(config: ErrorConfig, response: httpx.Response) -> APIStatusError:
    """Build the exception for a non-success response whose body has been read."""
    content = response.content
    text = response.text if content else ""
    body = decode_body(content, text)
    message = extract_message(body, config.message_pointer, text) or response.reason_phrase
    cls = status_error_class(config, response.status_code)
    return cls(message, response=response, body=body)
