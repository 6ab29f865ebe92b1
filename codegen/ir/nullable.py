"""Nullability moves from component schemas to the places that use them.

Design notes
------------
datamodel-code-generator ignores a referenced schema's own ``nullable`` (and turns
``type: [string, "null"]`` enums into enums that are not ``str``), so on the prepared
document (:func:`codegen.ir.schemas.prepare`) every component is made non-null
(:func:`strip_null`) and every ``$ref`` to a nullable one becomes an explicit
``X | None`` (:func:`move_nullability`): ``anyOf: [$ref, {type: "null"}]`` in 3.1,
``allOf: [$ref]`` with ``nullable: true`` in 3.0. A string ``enum`` without a ``type``
gets ``type: string``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["move_nullability", "strip_null"]

_REF = "#/components/schemas/"


def strip_null(schema: dict[str, Any]) -> bool:
    """Remove ``nullable``, a ``"null"`` type and a ``None`` enum value; True if any was."""
    nullable = bool(schema.pop("nullable", False))
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [t for t in kind if t != "null"]
        schema["type"] = rest[0] if len(rest) == 1 else rest
        nullable = True
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        schema["enum"] = [v for v in schema["enum"] if v is not None]
        nullable = True
    return nullable


def move_nullability(doc: dict[str, Any], schemas: dict[str, Any], also: set[str]) -> None:
    """Make the components of ``doc`` non-null and their uses ``X | None`` (notes).

    ``also``: components already stripped (hoisted from a nullable inline schema).
    """
    nullable = set(also)
    for name, schema in schemas.items():
        if isinstance(schema, dict):
            if strip_null(schema):
                nullable.add(name)
            if "type" not in schema and _all_str(schema.get("enum")):
                schema["type"] = "string"
    if nullable:
        refs = {_REF + n for n in nullable}
        version31 = str(doc.get("openapi", "3.0")).startswith("3.1")
        for key in list(doc):
            doc[key] = _wrap(doc[key], refs, version31)


def _wrap(node: Any, refs: set[str], version31: bool) -> Any:
    if isinstance(node, list):
        return [_wrap(v, refs, version31) for v in node]
    if not isinstance(node, dict):
        return node
    if node.get("$ref") in refs:
        use = {k: v for k, v in node.items() if k != "$ref"}
        if version31:
            use["anyOf"] = [{"$ref": node["$ref"]}, {"type": "null"}]
        else:
            use.update(allOf=[{"$ref": node["$ref"]}], nullable=True)
        return use
    if isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1 and node.get("nullable"):
        return node  # already the nullable wrapper
    return {k: _wrap(v, refs, version31) for k, v in node.items()}


def _all_str(values: Any) -> bool:
    return isinstance(values, list) and bool(values) and all(isinstance(v, str) for v in values)
