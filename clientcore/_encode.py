"""Turning call arguments into wire values: path, query, headers, cookies, multipart
(bodies: ``_codec``; the OpenAPI style rules themselves: ``_styles``).

Design notes
------------
* Pure functions, no I/O, shared by the sync and async clients.  Every failure is a
  ``ParameterError`` naming the wire parameter, raised before anything is sent.
* Path values are percent-encoded with nothing safe (``quote(v, safe="")``) unless the
  parameter is ``reserved`` (OpenAPI ``allowReserved``), which keeps RFC 3986 reserved
  characters and ``%`` as given and only encodes what a URL cannot carry (space,
  non-ASCII, ...).  A plain string in ``simple`` style (nearly every id) takes a fast
  path; arrays, objects and the ``label`` / ``matrix`` styles go through ``_styles``.
* Query values become unencoded ``(key, str)`` pairs; ``query_string`` encodes them as
  httpx would (``urlencode``: space as ``+``, ``,`` as ``%2C``), except the values of
  ``reserved`` parameters, whose RFC 3986 reserved characters stay literal.  ``None``
  is dropped.
* Header parameters given as something other than a ``str`` (a number, a boolean, an
  array, an object) are serialised in ``simple`` style; cookie parameters become one
  ``Cookie`` header (``form`` style), joined to a ``Cookie`` the caller set.
* A ``content``-typed parameter (``content: {application/json: ...}`` instead of a
  schema) is sent as compact JSON text, percent-encoded like any other value.
* ``merge_param`` puts a pager's cursor or offset in the query, or in an object body
  when the name is not a declared query parameter.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import IO, cast
from urllib.parse import quote, quote_plus, urlencode

from ._config import CookieParam, HeaderParam, Operation, PathParam, QueryParam
from ._errors import ParameterError
from ._styles import cookie_pairs, header_text, normalise, path_text, plain, query_pairs
from ._styles import scalar as _scalar
from ._types import FileTypes, RequestFiles

__all__ = [
    "Raw",
    "as_json",
    "encode_cookies",
    "encode_data",
    "encode_files",
    "encode_headers",
    "encode_query",
    "merge_param",
    "query_string",
    "query_value",
    "raw_content",
    "render_path",
    "with_cookies",
]

_RESERVED_SAFE = ":/?#[]@!$&'()*+,;=%"
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+").fullmatch
_DEFAULT_QUERY = QueryParam()
_DEFAULT_PATH = PathParam()
_DEFAULT_HEADER = HeaderParam()
_DEFAULT_COOKIE = CookieParam()


# "." and ".." are dot segments: clients and servers collapse them, so such a value would
# address another resource (``cancel_task("..")`` -> ``POST /v1/cancel``). Percent-encoding
# does not help (``%2E`` is ``.`` to RFC 3986), so they are refused before sending.
_DOT_SEGMENTS = frozenset({".", ".."})
_DOT_MESSAGE = "path parameter cannot be the dot segment {!r}: it would address another resource"


def render_path(op: Operation, path: Mapping[str, object] | None) -> str:
    """The operation's path with every placeholder filled in and encoded."""
    parts = op.path_parts
    if len(parts) == 1:
        return parts[0]
    out = list(parts)
    params = op.path_params
    for i in range(1, len(parts), 2):
        name = parts[i]
        if path is None or name not in path:
            raise ParameterError(name, "missing path parameter")
        value = path[name]
        spec = params.get(name, _DEFAULT_PATH)
        if spec.content is not None:
            value = as_json(name, value)
        if spec.style != "simple" or isinstance(value, (list, tuple, Mapping)):
            out[i] = _styled_path(name, value, spec)
            continue
        text = value if type(value) is str else _scalar(value, False)
        if text is None and value is not None and hasattr(value, "model_dump"):
            out[i] = _styled_path(name, value, spec)
            continue
        if text is None or value is None:
            raise ParameterError(name, f"path parameter cannot be {type(value).__name__}")
        if not text:
            raise ParameterError(name, "path parameter cannot be empty")
        if text in _DOT_SEGMENTS:
            raise ParameterError(name, _DOT_MESSAGE.format(text))
        if _UNRESERVED(text) is None:  # most ids need no quoting at all
            reserved = spec.reserved
            if reserved:
                for segment in text.split("/"):
                    if segment in _DOT_SEGMENTS:
                        raise ParameterError(name, _DOT_MESSAGE.format(segment))
            text = quote(text, safe=_RESERVED_SAFE if reserved else "")
        out[i] = text
    return "".join(out)


def _styled_path(name: str, value: object, spec: PathParam) -> str:
    """An array, an object, or a ``label`` / ``matrix`` value (``_styles``)."""
    if value is None:
        raise ParameterError(name, "path parameter cannot be NoneType")
    found = normalise(name, value)
    if not found:
        raise ParameterError(name, "path parameter cannot be empty")
    text = path_text(name, found, spec.style, spec.explode, spec.reserved)
    if text in _DOT_SEGMENTS:
        raise ParameterError(name, _DOT_MESSAGE.format(text))
    return text


def query_value(name: str, value: object, spec: QueryParam) -> list[tuple[str, str]]:
    """The ``(key, text)`` pairs of one query parameter (empty for ``None``); the texts
    are not yet percent-encoded."""
    if value is None:
        return []
    if spec.content is not None:
        value = as_json(name, value)
    found = normalise(name, value, spec.bool_style == "title")
    pairs = query_pairs(name, found, spec.style, spec.explode)
    if spec.reserved:
        return [(k, Raw(v)) for k, v in pairs]
    return pairs


class Raw(str):
    """A query value sent with RFC 3986 reserved characters unencoded (``allowReserved``)."""

    __slots__ = ()


def query_string(pairs: list[tuple[str, str]]) -> str:
    """``pairs`` as a query string: ``urlencode``'s bytes, but a ``Raw`` value keeps its
    reserved characters (only what a URL cannot carry is encoded)."""
    if not any(type(v) is Raw for _, v in pairs):
        return urlencode(pairs)
    return "&".join(
        quote_plus(k) + "=" + (quote(v, safe=_RESERVED_SAFE) if type(v) is Raw else quote_plus(v))
        for k, v in pairs
    )


def encode_query(op: Operation, query: Mapping[str, object] | None) -> list[tuple[str, str]]:
    """All query pairs, in the caller's order; unknown names use ``QueryParam()``."""
    if not query:
        return []
    specs = op.query_params
    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        if value is None:
            continue
        spec = specs.get(name, _DEFAULT_QUERY)
        if spec.content is not None:
            pairs.extend(query_value(name, value, spec))
            continue
        # Fast path: the overwhelmingly common plain string / int value.
        if type(value) is str and not spec.reserved and spec.style != "deepObject":
            pairs.append((name, value))
        elif type(value) is int:
            pairs.append((name, str(value)))
        else:
            pairs.extend(query_value(name, value, spec))
    return pairs


def encode_headers(op: Operation, headers: Mapping[str, object]) -> dict[str, str]:
    """Header values as text: a ``str`` as given, anything else in ``simple`` style
    (``HeaderParam``); ``None`` leaves the header out."""
    out: dict[str, str] = {}
    specs = op.header_params
    for name, value in headers.items():
        spec = specs.get(name, _DEFAULT_HEADER)
        if spec.content is not None and value is not None:
            value = as_json(name, value)
        if type(value) is str:
            out[name] = value
            continue
        text = header_text(name, normalise(name, value), spec.explode)
        if text is not None:
            out[name] = text
    return out


def encode_cookies(op: Operation, cookies: Mapping[str, object]) -> str | None:
    """The ``Cookie`` header carrying the cookie parameters (``form`` style), or ``None``
    when every value was ``None``."""
    items: list[str] = []
    specs = op.cookie_params
    for name, value in cookies.items():
        spec = specs.get(name, _DEFAULT_COOKIE)
        if spec.content is not None and value is not None:
            value = as_json(name, value)
        items += cookie_pairs(name, normalise(name, value), spec.explode)
    return "; ".join(items) if items else None


def as_json(name: str, value: object) -> str:
    """A ``content``-typed parameter's value as compact JSON text."""
    try:
        return json.dumps(plain(value), separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        raise ParameterError(name, f"cannot send {type(value).__name__} as JSON") from None


def raw_content(content: object) -> bytes:
    """A raw request body as bytes: bytes as given, a binary file read once (so every
    attempt sends the same bytes)."""
    if isinstance(content, (bytes, bytearray, memoryview)):
        return bytes(content)
    read = getattr(content, "read", None)
    if isinstance(content, str) or not callable(read):
        raise ParameterError(
            "body", f"a raw body is bytes or a binary file, not {type(content).__name__}"
        )
    data = read()
    if not isinstance(data, bytes):
        raise ParameterError("body", "a raw body's file must be opened in binary mode")
    return data


def with_cookies(
    op: Operation, headers: Mapping[str, object] | None, cookies: Mapping[str, object]
) -> Mapping[str, object] | None:
    """``headers`` with the cookie parameters in their ``Cookie`` header, after any
    cookies the caller's own ``Cookie`` header carries."""
    cookie = encode_cookies(op, cookies)
    if cookie is None:
        return headers
    out: dict[str, object] = {}
    for name, value in (headers or {}).items():
        if name.lower() == "cookie":
            if isinstance(value, str) and value:
                cookie = f"{value}; {cookie}"
        else:
            out[name] = value
    out["cookie"] = cookie
    return out


def _file_part(field: str, value: object) -> FileTypes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, tuple):
        if len(value) not in (2, 3):
            raise ParameterError(field, "a file tuple is (filename, content[, content_type])")
        content = value[1]
        if isinstance(content, str):
            raise ParameterError(field, "file content must be bytes or a binary file")
        return value
    if isinstance(value, str):
        raise ParameterError(field, "file content must be bytes or a binary file, not str")
    if hasattr(value, "read"):
        name = getattr(value, "name", None)
        filename = os.path.basename(name) if isinstance(name, str) and name else ""
        if not filename or (filename.startswith("<") and filename.endswith(">")):
            filename = field
        return (filename, cast(IO[bytes], value))
    raise ParameterError(field, f"unsupported file type {type(value).__name__}")


def encode_files(files: RequestFiles) -> list[tuple[str, FileTypes]]:
    """Multipart file parts; unnamed file objects are named after their field."""
    items = files.items() if isinstance(files, Mapping) else files
    return [(field, _file_part(field, value)) for field, value in items]


def encode_data(data: Mapping[str, object]) -> dict[str, str | list[str]]:
    """Form fields as text (booleans lower-case, enums by value, ``None`` dropped); an
    array is one field per item, an object (a mapping or a model) its JSON text (the
    OpenAPI default for an object property of a form)."""
    out: dict[str, str | list[str]] = {}
    for name, value in data.items():
        found = normalise(name, value)
        if found is None:
            continue
        if isinstance(found, str):
            out[name] = found
        elif isinstance(value, (list, tuple)):
            out[name] = cast("list[str]", found)
        else:
            out[name] = json.dumps(plain(value), separators=(",", ":"), ensure_ascii=False)
    return out


def merge_param(
    op: Operation,
    query: Mapping[str, object] | None,
    body: object,
    name: str,
    value: object,
) -> tuple[dict[str, object], object]:
    """``(query, body)`` with ``name`` set: in the JSON body when the body is an object
    and ``name`` is not a declared query parameter, else in the query."""
    if isinstance(body, Mapping) and name not in op.query_params and name not in (query or {}):
        return dict(query or {}), {**body, name: value}
    return {**(query or {}), name: value}, body
