"""The exception hierarchy.

Design notes
------------
* Errors never keep the request (its headers carry the credential) nor the
  ``httpx.Response`` (which points back at the request).  They copy what a caller
  needs: status, parsed body, response headers, request id, method and URL.
* ``str(err)`` is ``"<code> <message> (request id <id>)"``; parts that are absent are
  left out.  ``code`` is the status, except for an ``APIResultError`` (a success
  status whose body reports an error, see ``ResultRule``): the body's error code.
* Errors pickle (for multiprocessing, task queues): rebuilt from their attributes,
  which hold no request and so no credential.
* An API's own classes (``class ScaleInvalidRequest(ScaleException, BadRequestError)``)
  add nothing but their name.  Which class a failure gets (and the classes mixed from
  the API's base when it names none) is decided in ``_failures``, from the
  ``ErrorConfig``; this module knows no configuration.
"""

from __future__ import annotations

import httpx

# The public names of this module are listed once, in ``clientcore.__all__``.

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
        Exception.__init__(self, message)  # not super(): ParameterError may follow
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

    def _set_response(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        self.headers = response.headers
        self.request_id = request_id_of(response.headers)

    def __str__(self) -> str:
        code = self.code
        text = self.message if code is None else f"{code} {self.message}"
        if self.request_id:
            text = f"{text} (request id {self.request_id})"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only constructors cannot be replayed from ``args``: rebuild from the
        # state instead (nothing in it holds a request or a credential).  A class
        # ``mix`` made at run time is made again on unpickling.
        cls = type(self)
        mixed = cls.__dict__.get("_mixed_from")
        if mixed is not None:
            return (restore_mixed, (*mixed, self.args, self.__dict__))
        return (restore, (cls, self.args, self.__dict__))


class APIParameterError(APIError, ParameterError):
    """A ``ParameterError`` as the API's own error: what a generated client raises for
    a bad argument (``except ScaleException`` and ``except ParameterError`` both catch
    it).  Nothing was sent; ``status_code`` is ``None``."""

    def __init__(self, parameter: str, message: str) -> None:
        APIError.__init__(self, f"{parameter}: {message}")
        self.parameter = parameter


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
        self._set_response(response)


class APIResultError(APIError):
    """A success status whose body reports an error (``ResultRule``).

    ``code`` is the body's error code as text (a number in the body is given in
    decimal; ``None`` when the body names none), not the HTTP status, which stays in
    ``status_code``.
    """

    def __init__(
        self, message: str, *, response: httpx.Response, body: object, code: str | None
    ) -> None:
        super().__init__(message, request=response.request, body=body)
        self._set_response(response)
        self.error_code = code

    @property
    def code(self) -> str | None:  # type: ignore[override]
        """The body's error code (``by_code`` key)."""
        return self.error_code


class APIResponseValidationError(APIError):
    """A success response whose body cannot be decoded or validated into the result.

    ``body`` is the raw body (text, or ``bytes`` when it is not text in its charset);
    the decoding or validation error is the ``__cause__``.
    """

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message, request=response.request, body=raw_body(response))
        self._set_response(response)


class APIStreamError(APIError):
    """A stream that broke its framing after it opened: an event whose data cannot be
    decoded or validated into the item type, or a body that ended before the stream's
    terminator.  ``body`` is the offending event's data (``None`` for a missing
    terminator); the decoding or validation error, if any, is the ``__cause__``.
    A connection that fails mid-stream is an ``APIConnectionError`` (a timeout between
    events an ``APITimeoutError``), as before the response.
    """

    def __init__(self, message: str, *, response: httpx.Response, body: object = None) -> None:
        super().__init__(message, request=response.request, body=body)
        self._set_response(response)


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


RUNTIME_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def restore(cls: type[APIError], args: tuple[object, ...], state: dict[str, object]) -> APIError:
    """An unpickled error: ``args`` and attributes as they were, no ``__init__`` run."""
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    err.__dict__.update(state)
    return err


def request_id_of(headers: httpx.Headers) -> str | None:
    """The server's request id (``x-request-id``, ``request-id`` or AWS's), if any."""
    for name in _REQUEST_ID_HEADERS:
        value: str | None = headers.get(name)
        if value:
            return value
    return None


def raw_body(response: httpx.Response) -> str | bytes:
    """A read response's body as text, or as ``bytes`` when it does not decode."""
    content = response.content
    try:
        return content.decode(response.encoding or "utf-8")
    except (UnicodeDecodeError, LookupError):
        return content


_MIXED: dict[tuple[type[APIError], type[APIError]], type[APIError]] = {}


def mix(base: type[APIError], runtime: type[APIError]) -> type[APIError]:
    """``runtime`` if ``base`` already is one, else a cached ``(base, runtime)`` class
    (``ScaleNotFoundError(ScaleException, NotFoundError)``), made once per pair."""
    if issubclass(runtime, base):
        return runtime
    if issubclass(base, runtime):
        return base
    key = (base, runtime)
    cls = _MIXED.get(key)
    if cls is None:
        stem = base.__name__.removesuffix("Exception").removesuffix("Error")
        namespace = {"__module__": base.__module__, "_mixed_from": (base, runtime)}
        cls = type(f"{stem}{runtime.__name__}", (base, runtime), namespace)
        cls = _MIXED.setdefault(key, cls)
    return cls


def restore_mixed(
    base: type[APIError],
    runtime: type[APIError],
    args: tuple[object, ...],
    state: dict[str, object],
) -> APIError:
    """An unpickled error of a class ``mix`` made (made again here, or found cached)."""
    return restore(mix(base, runtime), args, state)
