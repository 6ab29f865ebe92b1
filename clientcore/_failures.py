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
* An error body is decoded for ``err.body`` (JSON, else the text); its message is the
  string at ``message_pointer``, else the raw text, else the reason phrase.
"""

from __future__ import annotations

import json

import httpx

from ._config import ErrorConfig
from ._errors import (
    RUNTIME_BY_STATUS,
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
)
from ._pointer import Pointer, resolve_pointer

__all__ = [
    "connection_error_class",
    "decode_body",
    "extract_message",
    "make_status_error",
    "mix",
    "runtime_status_class",
    "status_error_class",
]

_MIXED: dict[tuple[type[APIError], type[APIError]], type[APIError]] = {}


def mix(base: type[APIError], runtime: type[APIError]) -> type[APIError]:
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


def decode_body(content: bytes, text: str) -> object:
    """The error body: parsed JSON when it is JSON, else the text (``None`` if empty)."""
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return text


def extract_message(body: object, pointer: Pointer | None, text: str) -> str:
    """The string at ``pointer`` inside ``body``; the raw ``text`` otherwise."""
    if pointer is not None and not isinstance(body, str):
        value = resolve_pointer(body, pointer)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
    return text


def make_status_error(config: ErrorConfig, response: httpx.Response) -> APIStatusError:
    """Build the exception for a non-success response whose body has been read."""
    content = response.content
    text = response.text if content else ""
    body = decode_body(content, text)
    message = extract_message(body, config.message_pointer, text) or response.reason_phrase
    cls = status_error_class(config, response.status_code)
    return cls(message, response=response, body=body)
