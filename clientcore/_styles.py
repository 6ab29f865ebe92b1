"""OpenAPI parameter serialisation: a value and its ``style`` -> wire text.

Design notes
------------
* The rules are the OpenAPI 3.x "style values" table, for primitives, arrays and
  objects: path ``simple`` / ``label`` / ``matrix``; query ``form`` /
  ``spaceDelimited`` / ``pipeDelimited`` / ``deepObject``; header ``simple``; cookie
  ``form``; each with ``explode``.  Pure functions, no I/O; every failure is a
  ``ParameterError`` naming the wire parameter.
* Values are normalised once (``normalise``): ``None`` is "not given", a list or tuple
  is an array (``None`` items dropped), a ``Mapping`` or a pydantic model (dumped by
  alias, ``None`` fields dropped) is an object, anything else goes through the
  scalar rules (booleans ``true``/``false``, enums by value, dates ISO 8601).  A value
  nested in an array or object item is sent as compact JSON: the table defines no
  nesting (``deepObject`` excepted, which nests with more brackets).
* Path text is percent-encoded here, one item at a time, so the delimiters a style
  adds (``,`` ``.`` ``;`` ``=``) stay literal and a delimiter inside a value does not
  (``allowReserved`` keeps reserved characters as given).  Query pairs are left
  unencoded: the URL is built by ``_encode.query_string``.  Cookie items are
  percent-encoded where RFC 6265 forbids a character (space, ``;``, ``,``, ``"``, ``\\``,
  controls, non-ASCII); everything else is sent as is.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Mapping
from enum import Enum
from typing import Literal, cast
from urllib.parse import quote

from ._errors import ParameterError

__all__ = [
    "Normalised",
    "cookie_pairs",
    "header_text",
    "normalise",
    "path_text",
    "plain",
    "query_pairs",
    "scalar",
]

PathStyle = Literal["simple", "label", "matrix"]
QueryStyle = Literal["form", "spaceDelimited", "pipeDelimited", "deepObject"]

Normalised = str | list[str] | list[tuple[str, str]] | None
"""A scalar's text, an array's item texts, an object's ``(key, text)`` pairs, or
``None`` (nothing to send)."""

_RESERVED_SAFE = ":/?#[]@!$&'()*+,;=%"
# RFC 6265 cookie-octet, less "%" (so a percent-encoded item decodes back).
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def scalar(value: object, title_bools: bool = False) -> str | None:
    """A scalar as text, or ``None`` when its type is not a scalar."""
    if isinstance(value, str):
        return str(value.value) if isinstance(value, Enum) else value
    if isinstance(value, bool):
        if title_bools:
            return "True" if value else "False"
        return "true" if value else "false"
    if isinstance(value, Enum):
        return scalar(value.value, title_bools)
    if isinstance(value, (int, float, decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return None


def _nested(name: str, value: object, title: bool) -> str:
    """An item of an array or object: a scalar's text, else compact JSON."""
    text = scalar(value, title)
    if text is not None:
        return text
    try:
        return json.dumps(plain(value), separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        raise ParameterError(name, f"unsupported value type {type(value).__name__}") from None


def plain(value: object) -> object:
    """``value`` as JSON-ready data (a model dumped by alias, ``None`` fields dropped)."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    text = scalar(value)
    return value if text is None or isinstance(value, (int, float, bool)) else text


def _object(value: object) -> Mapping[str, object] | None:
    dump = getattr(value, "model_dump", None)
    if callable(dump) and not isinstance(value, type):
        dumped = dump(mode="json", by_alias=True, exclude_none=True)
        return dumped if isinstance(dumped, Mapping) else None
    return value if isinstance(value, Mapping) else None


def normalise(name: str, value: object, title_bools: bool = False) -> Normalised:
    """``value`` as a scalar's text, an array's item texts or an object's pairs."""
    if value is None:
        return None
    text = scalar(value, title_bools)
    if text is not None:
        return text
    if isinstance(value, (list, tuple)):
        return [_nested(name, v, title_bools) for v in value if v is not None]
    found = _object(value)
    if found is not None:
        return [(str(k), _nested(name, v, title_bools)) for k, v in found.items() if v is not None]
    raise ParameterError(name, f"unsupported value type {type(value).__name__}")


def _flat(pairs: list[tuple[str, str]]) -> list[str]:
    return [part for pair in pairs for part in pair]


def _pairs(value: list[str] | list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """An object's pairs, or ``None`` for an array (an empty one is an empty array)."""
    if value and isinstance(value[0], tuple):
        return value
    return None


def _items(value: list[str] | list[tuple[str, str]]) -> list[str]:
    return cast("list[str]", value)


# -- path ------------------------------------------------------------------------------


def path_text(
    name: str, value: Normalised, style: PathStyle, explode: bool, reserved: bool = False
) -> str:
    """The text replacing ``{name}``: ``simple`` (``a,b``), ``label`` (``.a.b``) or
    ``matrix`` (``;name=a;name=b``), each item percent-encoded.

    The ``,`` between items is sent as ``%2C``: servers decode a path segment before
    splitting it (the same value), while URI-template routers (Prism's) read a literal
    ``,`` as a list of their own and fail on it."""

    def enc(text: str) -> str:
        return quote(text, safe=_RESERVED_SAFE if reserved else "")

    key = enc(name)
    if isinstance(value, str) or value is None:
        text = enc(value or "")
        if style == "label":
            return "." + text
        if style == "matrix":
            return f";{key}={text}" if text else f";{key}"
        return text
    comma = "%2C"
    found = _pairs(value)
    if found is not None:
        pairs = [(enc(k), enc(v)) for k, v in found]
        if explode:
            if style == "matrix":
                return "".join(f";{k}={v}" for k, v in pairs)
            if style == "label":
                return "".join(f".{k}={v}" for k, v in pairs)
            return comma.join(f"{k}={v}" for k, v in pairs)
        items = _flat(pairs)
    else:
        items = [enc(v) for v in _items(value)]
    if style == "label":
        return "." + ("." if explode else comma).join(items)
    if style == "matrix":
        if explode:
            return "".join(f";{key}={v}" for v in items)
        return f";{key}=" + comma.join(items)
    return comma.join(items)


# -- query -----------------------------------------------------------------------------


def query_pairs(
    name: str, value: Normalised, style: QueryStyle, explode: bool
) -> list[tuple[str, str]]:
    """The unencoded ``(key, text)`` pairs of one query parameter."""
    if value is None:
        return []
    if isinstance(value, str):
        if style == "deepObject":
            raise ParameterError(name, "a deepObject parameter takes an object")
        return [(name, value)]
    pairs = _pairs(value)
    if style == "deepObject":
        if pairs is None and value:
            raise ParameterError(name, "a deepObject parameter takes an object")
        return _deep(name, pairs or [])
    if pairs is not None:
        if explode and style == "form":
            return list(pairs)
        items = _flat(pairs)
    else:
        items = _items(value)
        if explode:
            return [(name, v) for v in items]
    if not items:
        return []
    return [(name, _DELIMITERS.get(style, ",").join(items))]


def _deep(name: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``name[key]=value`` for each property (a JSON-encoded value stays as text)."""
    return [(f"{name}[{k}]", v) for k, v in pairs]


# -- header and cookie -----------------------------------------------------------------


def header_text(name: str, value: Normalised, explode: bool) -> str | None:
    """A header's value, ``simple`` style: ``a,b``; an object ``k,v,k2,v2`` or, exploded,
    ``k=v,k2=v2``.  ``None`` when there is nothing to send."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    pairs = _pairs(value)
    if pairs is None:
        return ",".join(_items(value))
    if explode:
        return ",".join(f"{k}={v}" for k, v in pairs)
    return ",".join(_flat(pairs))


def _cookie(text: str) -> str:
    return quote(text, safe=_COOKIE_SAFE)


def cookie_pairs(name: str, value: Normalised, explode: bool) -> list[str]:
    """The ``name=value`` items of one cookie parameter, ``form`` style: an array
    ``name=a,b`` or, exploded, ``name=a`` and ``name=b``; an object ``name=k,v`` or,
    exploded, ``k=v`` per property."""
    if value is None:
        return []
    key = _cookie(name)
    if isinstance(value, str):
        return [f"{key}={_cookie(value)}"]
    pairs = _pairs(value)
    if pairs is not None:
        if explode:
            return [f"{_cookie(k)}={_cookie(v)}" for k, v in pairs]
        items = _flat(pairs)
    else:
        items = _items(value)
        if explode:
            return [f"{key}={_cookie(v)}" for v in items]
    return [f"{key}=" + ",".join(_cookie(v) for v in items)] if items else []
