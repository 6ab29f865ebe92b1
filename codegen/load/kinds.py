"""OpenAPI object *kinds*: what type of object each JSON value of a spec is.

Design notes
------------
* A kind is derived top-down from the root by :func:`child_kind` (``root`` -> ``paths``
  -> ``pathItem`` -> ``operation`` -> ...). The bundler uses kinds to know which
  component section an external ``$ref`` belongs in and which values are plain data
  (``example``, ``default``, ``enum``...: never a ``$ref``, never an extension); the
  extension check uses them to know where an ``x-`` key sits.
* Kinds ``map:K`` / ``list:K`` are containers whose members are of kind ``K``; a
  ``map:`` key is a user-chosen name (a property, a header, ``x-next``), never an
  extension.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["child_kind", "children", "is_object_kind"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SUBSCHEMA = (
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")

_CHILDREN: dict[str, dict[str, str]] = {
    "root": {
        "paths": "paths",
        "components": "components",
        "webhooks": "map:pathItem",
        "security": "list:map:other",
    },
    "components": {
        "schemas": "map:schema",
        "responses": "map:response",
        "parameters": "map:parameter",
        "examples": "map:example",
        "requestBodies": "map:requestBody",
        "headers": "map:header",
        "securitySchemes": "map:securityScheme",
        "links": "map:link",
        "callbacks": "map:callback",
        "pathItems": "map:pathItem",
    },
    "pathItem": {**dict.fromkeys(_METHODS, "operation"), "parameters": "list:parameter"},
    "operation": {
        "parameters": "list:parameter",
        "requestBody": "requestBody",
        "responses": "responses",
        "callbacks": "map:callback",
        "security": "list:map:other",
        "x-stream": "stream",
    },
    "parameter": {
        "schema": "schema",
        "content": "map:mediaType",
        "example": "data",
        "examples": "map:example",
    },
    "requestBody": {"content": "map:mediaType"},
    "response": {"headers": "map:header", "content": "map:mediaType", "links": "map:link"},
    "mediaType": {
        "schema": "schema",
        "example": "data",
        "examples": "map:example",
        "encoding": "map:encoding",
    },
    "encoding": {"headers": "map:header"},
    "example": {"value": "data"},
    "link": {"parameters": "data", "requestBody": "data"},
    "schema": {
        **dict.fromkeys(_SUBSCHEMA, "schema"),
        **dict.fromkeys(_SCHEMA_MAPS, "map:schema"),
        "allOf": "list:schema",
        "anyOf": "list:schema",
        "oneOf": "list:schema",
        "prefixItems": "list:schema",
        "discriminator": "discriminator",
        "example": "data",
        "examples": "data",
        "default": "data",
        "enum": "data",
        "const": "data",
    },
    "discriminator": {"mapping": "refmap"},
    "stream": {"item": "schema"},
    "other": {
        "variables": "map:other",
        "scopes": "map:other",
        "example": "data",
        "examples": "data",
        "default": "data",
        "enum": "data",
    },
}
_CHILDREN["header"] = _CHILDREN["parameter"]
_DEFAULT_CHILD = {
    "paths": "pathItem",
    "responses": "response",
    "callback": "pathItem",
    "stream": "data",
}


def child_kind(kind: str, key: str) -> str:
    """Kind of the value under ``key`` in a value of kind ``kind``.

    ``"data"`` means: plain data, do not look inside (no ``$ref``, no extensions).
    """
    if kind.startswith("map:"):
        return kind[4:]
    if kind.startswith("list:"):
        return kind[5:]
    if kind in ("data", "refmap"):
        return "data"
    child = _CHILDREN.get(kind, {}).get(key)
    if child is not None:
        return child
    if key.startswith("x-"):
        return "data"
    return _DEFAULT_CHILD.get(kind, "other")


def is_object_kind(kind: str) -> bool:
    """True where an ``x-`` key is an extension (not a name, not data)."""
    return not kind.startswith(("map:", "list:")) and kind not in ("data", "refmap")


def children(node: Any, kind: str) -> Iterator[tuple[Any, Any, str]]:
    """``(key, value, kind)`` of every container below ``node`` worth walking into:
    dict values and list items that are dicts or lists, except plain data."""
    items: Any
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, value in items:
        if isinstance(value, (dict, list)):
            sub_kind = child_kind(kind, str(key))
            if sub_kind != "data":
                yield key, value, sub_kind
