"""Body framing: the ``BodyCodec`` protocol, and ``JSON_CODEC``, the default.

Design notes
------------
* A codec turns the generated code's body value into request bytes and response bytes
  into a decoded value (dicts, lists, scalars: what JSON decodes to).  Everything the
  runtime reads from a body goes through the operation's codec: success bodies, error
  bodies (``err.body`` and its message), pages, result rules, recovery lookups.  Only
  the SSE framing of streams is fixed (text events of JSON data).
* A codec also names the ``Content-Type`` sent with a body and the ``Accept`` sent on
  every request of its operations.  Any object with those four members is a codec:
  a non-JSON framing (a binary envelope of length-prefixed JSON and blobs, say) is
  hand-written per API and its instance put on the generated ``Operation``.
* ``decode`` raises ``ValueError`` for malformed content; an error body that does not
  decode is kept as its text.  ``encode`` failures become ``ParameterError("body")``
  before anything is sent.
* JSON is the fast path and stays byte-for-byte what it was: the C encoder, compact,
  UTF-8, non-ASCII kept raw, with a ``default`` hook for pydantic models
  (``by_alias``, ``exclude_unset``), enums (their value), datetimes (ISO 8601), UUIDs,
  decimals, sets, and a type that gives pydantic its schema (``x-python-type``'s
  hand-written types: ``__get_pydantic_core_schema__``) as pydantic dumps it to JSON.
  Parsing a JSON success body into a model skips ``decode``: pydantic validates the
  bytes directly (``_parse.Parser.from_body``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from enum import Enum
from typing import Any, Final, Protocol

from pydantic import BaseModel, TypeAdapter

from ._errors import ParameterError

__all__ = ["JSON_CODEC", "BodyCodec", "JsonCodec", "encode_body", "encode_json"]


class BodyCodec(Protocol):
    """How an operation's bodies are framed on the wire."""

    @property
    def content_type(self) -> str:
        """``Content-Type`` of a request body."""
        ...

    @property
    def accept(self) -> str:
        """``Accept`` of every request."""
        ...

    def encode(self, value: object) -> bytes:
        """The request body for ``value`` (the generated code's ``json=`` argument)."""
        ...

    def decode(self, content: bytes) -> object:
        """A response body, decoded; ``ValueError`` when it is malformed."""
        ...


def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return list(value)
    if hasattr(type(value), "__get_pydantic_core_schema__"):
        return _adapter(type(value)).dump_python(value, mode="json")
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(cls: type) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(cls)
    if adapter is None:
        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), default=_json_default, allow_nan=False
)


def encode_json(body: object) -> bytes:
    """The body as compact UTF-8 JSON; ``ParameterError`` when it cannot be encoded."""
    try:
        return _ENCODER.encode(body).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise ParameterError("body", str(exc)) from exc


class JsonCodec:
    """``application/json`` both ways (the default codec)."""

    __slots__ = ()
    content_type: Final = "application/json"
    accept: Final = "application/json"

    def encode(self, value: object) -> bytes:
        return encode_json(value)

    def decode(self, content: bytes) -> object:
        return json.loads(content)

    def __repr__(self) -> str:
        return "JSON_CODEC"


JSON_CODEC: Final = JsonCodec()


def encode_body(codec: BodyCodec, value: object) -> bytes:
    """``codec.encode(value)``, its failures as ``ParameterError("body")``."""
    if codec is JSON_CODEC:
        return encode_json(value)
    try:
        return codec.encode(value)
    except ParameterError:
        raise
    except (TypeError, ValueError) as exc:
        raise ParameterError("body", str(exc)) from exc
