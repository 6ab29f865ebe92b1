"""Which exception a failure becomes, from the API's ``ErrorConfig``.

Design notes
------------
* ``_errors`` defines the classes and knows no configuration; this module reads the
  ``ErrorConfig`` (so the two never import each other).
* A status error's class is ``by_status[status]``, else ``by_range[status // 100]``,
  else the runtime class for the status mixed with the API's ``base``.  Mixed classes
  (``ScaleNotFoundError(ScaleException, NotFoundError)``) are made once and cached, so
  ``except ScaleException`` catches everything a client raises and ``except
  NotFoundError`` works whatever the API names.
* An error body is decoded by the operation's codec for ``err.body`` (else it is kept
  as text); its message is the string at ``message_pointer``, else the raw text, else
  the reason phrase.
* An error a ``ResultRule`` finds in a success body is an ``APIResultError``: class by
  the body's code (``by_code``), else ``unknown_code``, else mixed from ``base``; a
  named class that is not an ``APIResultError`` yet is mixed with it, so every such
  error has the same constructor and attributes.
* A success body that cannot be decoded or validated (the codec's or pydantic's
  ``ValueError``) is an ``APIResponseValidationError``: ``validation``, else mixed
  from ``base``; the caller chains the original error as its ``__cause__``.  A stream
  that breaks its framing is likewise an ``APIStreamError`` (``stream``), and a
  ``ParameterError`` the runtime raises becomes the API's ``APIParameterError``
  (``parameter``) where a client method hands it to its caller.
"""

from __future__ import annotations

import httpx

from . import _errors
from ._codec import BodyCodec
from ._config import ErrorConfig, ResultRule
from ._errors import (
    RUNTIME_BY_STATUS,
    APIConnectionError,
    APIResultError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
    mix,
)
from ._pointer import Pointer, resolve_pointer

__all__ = [
    "connection_error_class",
    "decode_body",
    "extract_message",
    "set_fields",
    "make_parameter_error",
    "make_result_error",
    "make_stream_error",
    "make_validation_error",
    "make_status_error",
    "mix",
    "runtime_status_class",
    "status_error_class",
]


def runtime_status_class(status: int) -> type[APIStatusError]:
    """The runtime class for a status (``APIStatusError`` when none is specific)."""
    if status >= 500:
        return InternalServerError
    return RUNTIME_BY_STATUS.get(status, APIStatusError)


def status_error_class(config: ErrorConfig, status: int) -> type[APIStatusError]:
    cls = config.by_status.get(status) or config.by_range.get(status // 100)
    if cls is not None:
        return cls
    mixed = mix(config.base, runtime_status_class(status))
    assert issubclass(mixed, APIStatusError)
    return mixed


def connection_error_class(config: ErrorConfig, timeout: bool) -> type[APIConnectionError]:
    conn = config.connection
    if conn is None:
        conn_mixed = mix(config.base, APIConnectionError)
        assert issubclass(conn_mixed, APIConnectionError)
        conn = conn_mixed
    if not timeout:
        return conn
    if config.timeout is not None:
        return config.timeout
    mixed = mix(conn, APITimeoutError)
    assert issubclass(mixed, APITimeoutError)
    return mixed


def decode_body(codec: BodyCodec, response: httpx.Response) -> object:
    """An error body: decoded by ``codec`` when it can be, else its text (``None`` if empty)."""
    content = response.content
    if not content:
        return None
    try:
        return codec.decode(content)
    except ValueError:
        return response.text


def extract_message(body: object, pointer: Pointer | None, text: str) -> str:
    """The string at ``pointer`` inside ``body``; the raw ``text`` otherwise."""
    if pointer is not None and not isinstance(body, str):
        value = resolve_pointer(body, pointer)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
    return text


def make_status_error(
    config: ErrorConfig, response: httpx.Response, codec: BodyCodec
) -> APIStatusError:
    """Build the exception for a non-success response whose body has been read."""
    body = decode_body(codec, response)
    text = response.text if response.content else ""
    message = extract_message(body, config.message_pointer, text) or response.reason_phrase
    cls = status_error_class(config, response.status_code)
    return cls(message, response=response, body=body)


def result_error_class(config: ErrorConfig, code: str | None) -> type[APIResultError]:
    named = config.by_code.get(code) if code is not None else None
    cls = mix(named or config.unknown_code or config.base, APIResultError)
    assert issubclass(cls, APIResultError)
    return cls


def make_result_error(
    config: ErrorConfig, rule: ResultRule, response: httpx.Response, body: object, error: object
) -> APIResultError:
    """The exception for ``error``, the value a ``ResultRule`` found in a success body."""
    code = resolve_pointer(body, rule.code) if rule.code is not None else None
    if isinstance(code, bool) or code is None or isinstance(code, (dict, list)):
        code = None
    else:
        code = str(code)
    pointer = rule.message if rule.message is not None else config.message_pointer
    fallback = error if isinstance(error, str) else (code or "API error")
    message = extract_message(body, pointer, fallback) or fallback
    cls = result_error_class(config, code)
    if rule.errors is not None:  # the operation's own base class too
        mixed = mix(cls, rule.errors)
        assert issubclass(mixed, APIResultError)
        cls = mixed
    return cls(message, response=response, body=body, code=code)


def make_validation_error(
    config: ErrorConfig, response: httpx.Response, exc: ValueError
) -> _errors.APIResponseValidationError:
    """The exception for a success body that ``exc`` says cannot be decoded or validated."""
    cls = config.validation
    if cls is None:
        mixed = mix(config.base, _errors.APIResponseValidationError)
        assert issubclass(mixed, _errors.APIResponseValidationError)
        cls = mixed
    detail = str(exc).partition("\n")[0] or type(exc).__name__
    return cls(f"Invalid response body: {detail}", response=response)


def make_stream_error(
    config: ErrorConfig, response: httpx.Response, message: str, body: object
) -> _errors.APIStreamError:
    """The exception for a stream that broke its framing (see ``APIStreamError``)."""
    cls = config.stream
    if cls is None:
        mixed = mix(config.base, _errors.APIStreamError)
        assert issubclass(mixed, _errors.APIStreamError)
        cls = mixed
    return cls(message, response=response, body=body)


def make_parameter_error(
    config: ErrorConfig, exc: _errors.ParameterError
) -> _errors.ParameterError:
    """``exc`` (raised by the runtime, which knows no API) as the API's parameter error."""
    if isinstance(exc, config.base):
        return exc
    cls = config.parameter
    if cls is None:
        mixed = mix(config.base, _errors.APIParameterError)
        assert issubclass(mixed, _errors.APIParameterError)
        cls = mixed
    message = str(exc).removeprefix(f"{exc.parameter}: ")
    return cls(exc.parameter, message)


def set_fields(config: ErrorConfig, err: _errors.APIError, body: object) -> None:
    """Copy ``config.fields`` from an error ``body`` onto ``err`` (``None`` if absent)."""
    for name, pointer in config.fields.items():
        value = None if body is None or isinstance(body, str) else resolve_pointer(body, pointer)
        setattr(err, name, value)
