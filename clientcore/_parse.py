"""Turning response bodies into the types generated methods return (``cast_to``).

Design notes
------------
* One ``Parser`` per ``cast_to``, built on first use and cached: a pydantic model
  class is parsed straight from bytes with ``model_validate_json`` (no intermediate
  ``dict``), any other annotation through a ``TypeAdapter`` built once, ``typing.Any``
  with ``json.loads``, and ``bytes`` is the raw body.  That is the JSON codec's fast
  path; a body of another codec is decoded by it, then validated (``from_body``).
* Models whose class has a true ``__links__`` attribute get the client in their
  private ``_client`` so their link methods can call other operations.  Where such
  models can occur in a ``cast_to`` (the value itself, list items, dict values,
  union members, model fields, up to three levels deep) is worked out once per type
  into a small ``linker`` function; for the usual type without links it is ``None``
  and parsing does nothing extra.
"""

from __future__ import annotations

import json
import threading
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, TypeAdapter

from ._codec import JSON_CODEC, BodyCodec

__all__ = ["Parser", "get_parser"]

Linker = Callable[[Any, object], None]
_LINK_DEPTH = 3  # how deep into fields/containers to look for linked models


def _has_links(tp: object) -> bool:
    return (
        isinstance(tp, type) and issubclass(tp, BaseModel) and bool(getattr(tp, "__links__", None))
    )


def _linker(tp: Any, depth: int) -> Linker | None:
    """A function storing the client in every linked model a value of type ``tp`` holds,
    or ``None`` when ``tp`` can hold none (decided once per type, not per value).  Each
    step checks the value's shape, since a union member may not be the one that parsed."""
    if _has_links(tp):

        def set_client(value: Any, client: object) -> None:
            if isinstance(value, tp):
                value._client = client

        return set_client
    if depth <= 0:
        return None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (list, tuple, set, frozenset, Sequence) and args:
        inners = [inner for a in args if a is not Ellipsis if (inner := _linker(a, depth - 1))]
        if not inners:
            return None

        def each(value: Any, client: object) -> None:
            if isinstance(value, (list, tuple, set, frozenset)):
                for item in value:
                    for inner in inners:
                        inner(item, client)

        return each
    if origin in (dict, Mapping) and len(args) == 2:
        inner_value = _linker(args[1], depth - 1)
        if inner_value is None:
            return None

        def values(value: Any, client: object) -> None:
            if isinstance(value, dict):
                for item in value.values():
                    inner_value(item, client)

        return values
    if origin is typing.Union or origin is types.UnionType or origin is typing.Annotated:
        members = [inner for a in args if (inner := _linker(a, depth))]
        if not members:
            return None

        def any_member(value: Any, client: object) -> None:
            if value is not None:
                for inner in members:
                    inner(value, client)

        return any_member
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        fields = [
            (name, inner)
            for name, info in tp.model_fields.items()
            if (inner := _linker(info.annotation, depth - 1))
        ]
        if not fields:
            return None

        def model_fields(value: Any, client: object) -> None:
            if isinstance(value, tp):
                for name, inner in fields:
                    item = getattr(value, name, None)
                    if item is not None:
                        inner(item, client)

        return model_fields
    return None


def _identity(value: Any) -> Any:
    return value


class Parser:
    """Parses JSON bytes (``from_json``) or decoded JSON (``from_python``) into a type;
    ``linker`` (``None`` for most types) gives linked models their client."""

    __slots__ = ("from_json", "from_python", "linker")

    def __init__(self, cast_to: Any) -> None:
        self.from_json: Callable[[Any], Any]  # JSON text: bytes (or str: a stream event)
        self.from_python: Callable[[Any], Any]
        if cast_to is Any or cast_to is object:
            self.from_json, self.from_python = json.loads, _identity
        elif cast_to is bytes:
            self.from_json, self.from_python = bytes, _identity
        elif isinstance(cast_to, type) and issubclass(cast_to, BaseModel):
            self.from_json, self.from_python = cast_to.model_validate_json, cast_to.model_validate
        else:
            adapter: TypeAdapter[Any] = TypeAdapter(cast_to)
            self.from_json, self.from_python = adapter.validate_json, adapter.validate_python
        self.linker = _linker(cast_to, _LINK_DEPTH)

    def from_body(self, content: bytes, codec: BodyCodec) -> Any:
        """A success body: JSON bytes validated directly (``bytes``: returned as they
        are), another codec's content decoded first."""
        if codec is JSON_CODEC or self.from_json is bytes:
            return self.from_json(content)
        return self.from_python(codec.decode(content))


_CACHE: dict[Any, Parser] = {}
_LOCK = threading.Lock()


def get_parser(cast_to: Any) -> Parser:
    """The cached parser for ``cast_to`` (unhashable annotations are not cached)."""
    try:
        parser = _CACHE.get(cast_to)
    except TypeError:
        return Parser(cast_to)
    if parser is None:
        parser = Parser(cast_to)
        with _LOCK:
            parser = _CACHE.setdefault(cast_to, parser)
    return parser
