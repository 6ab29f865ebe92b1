"""Turning call arguments into wire values: path, query, multipart (bodies: ``_codec``).

Design notes
------------
* Pure functions, no I/O, shared by the sync and async clients.  Every failure is a
  ``ParameterError`` naming the wire parameter, raised before anything is sent.
* Path values are percent-encoded with nothing safe (``quote(v, safe="")``) unless the
  parameter is ``reserved`` (OpenAPI ``allowReserved``), which keeps RFC 3986 reserved
  characters and ``%`` as given and only encodes what a URL cannot carry (space,
  non-ASCII, ...).
* Query values become ``(key, str)`` pairs handed to httpx, which does the
  percent-encoding (space as ``+``, ``,`` as ``%2C``).  ``None`` is dropped.
* ``merge_param`` puts a pager's cursor or offset in the query, or in an object body
  when the name is not a declared query parameter.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import re
import uuid
from collections.abc import Mapping
from enum import Enum
from typing import IO, cast
from urllib.parse import quote

from ._config import Operation, PathParam, QueryParam
from ._errors import ParameterError
from ._types import FileTypes, RequestFiles

__all__ = [
    "encode_data",
    "encode_files",
    "encode_query",
    "merge_param",
    "query_value",
    "render_path",
]

_RESERVED_SAFE = ":/?#[]@!$&'()*+,;=%"
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+").fullmatch
_DEFAULT_QUERY = QueryParam()
_DEFAULT_PATH = PathParam()


def _scalar(value: object, title_bools: bool) -> str | None:
    """A scalar as text, or ``None`` when its type is not supported."""
    if isinstance(value, str):
        return str(value.value) if isinstance(value, Enum) else value
    if isinstance(value, bool):
        if title_bools:
            return "True" if value else "False"
        return "true" if value else "false"
    if isinstance(value, Enum):
        return _scalar(value.value, title_bools)
    if isinstance(value, (int, float, decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return None


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
        text = value if type(value) is str else _scalar(value, False)
        if text is None or value is None:
            raise ParameterError(name, f"path parameter cannot be {type(value).__name__}")
        if not text:
            raise ParameterError(name, "path parameter cannot be empty")
        if text in _DOT_SEGMENTS:
            raise ParameterError(name, _DOT_MESSAGE.format(text))
        if _UNRESERVED(text) is None:  # most ids need no quoting at all
            reserved = params.get(name, _DEFAULT_PATH).reserved
            if reserved:
                for segment in text.split("/"):
                    if segment in _DOT_SEGMENTS:
                        raise ParameterError(name, _DOT_MESSAGE.format(segment))
            text = quote(text, safe=_RESERVED_SAFE if reserved else "")
        out[i] = text
    return "".join(out)


def query_value(name: str, value: object, spec: QueryParam) -> list[tuple[str, str]]:
    """The ``(key, text)`` pairs of one query parameter (empty for ``None``)."""
    if value is None:
        return []
    title = spec.bool_style == "title"
    if isinstance(value, (list, tuple)):
        texts = []
        for item in value:
            if item is None:
                continue
            text = _scalar(item, title)
            if text is None:
                raise ParameterError(
                    name, f"unsupported query list item type {type(item).__name__}"
                )
            texts.append(text)
        if spec.explode:
            return [(name, t) for t in texts]
        return [(name, ",".join(texts))] if texts else []
    text = _scalar(value, title)
    if text is None:
        raise ParameterError(name, f"unsupported query value type {type(value).__name__}")
    return [(name, text)]


def encode_query(op: Operation, query: Mapping[str, object] | None) -> list[tuple[str, str]]:
    """All query pairs, in the caller's order; unknown names use ``QueryParam()``."""
    if not query:
        return []
    specs = op.query_params
    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        if value is None:
            continue
        # Fast path: the overwhelmingly common plain string / int value.
        if isinstance(value, str) and type(value) is str:
            pairs.append((name, value))
        elif type(value) is int:
            pairs.append((name, str(value)))
        else:
            pairs.extend(query_value(name, value, specs.get(name, _DEFAULT_QUERY)))
    return pairs


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
    """Form fields as text (booleans lower-case, enums by value, ``None`` dropped)."""
    out: dict[str, str | list[str]] = {}
    for name, value in data.items():
        pairs = query_value(name, value, _DEFAULT_QUERY)
        if not pairs:
            continue
        if isinstance(value, (list, tuple)):
            out[name] = [v for _, v in pairs]
        else:
            out[name] = pairs[0][1]
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
