"""Large enums: datamodel-code-generator sees them abridged, the member list is ours.

Design notes
------------
* datamodel-code-generator names enum members against a set of names taken so far that
  it copies for every member, so a 100,000-value enum costs it minutes (quadratic). For
  an enum with more than :data:`ABRIDGE_OVER` values, :func:`abridge_enums` leaves it
  only the first values and those the document uses as a ``default`` (a default is
  written as a member reference, ``Status.PENDING``, so its member must exist).
* The member *names* are decided here or before: a string enum's in
  :func:`codegen.ir.schemas.prepare` (``x-enum-varnames``, else ``UPPER_SNAKE``, applied
  by :func:`codegen.ir.models.fix_enums`); an integer enum's members are named as
  datamodel-code-generator names them (``integer_5``, ``integer__1`` for -1) and
  recorded in :attr:`Prepared.enum_members` too. Other enums (numbers, mixed types) are
  left whole.
* The full member list reaches the generated code through the IR: ``EnumInfo.members``
  (from :attr:`Prepared.enum_members` for an abridged enum), which
  :mod:`codegen.render.modelsplit` writes as the class body where the source lacks
  members.
* Enums at or under the bound are untouched, so ordinary APIs generate exactly as before.
"""

from __future__ import annotations

from typing import Any

from codegen.ir.schemas import Prepared

__all__ = ["ABRIDGE_OVER", "abridge_enums"]

ABRIDGE_OVER = 500
_KEEP_FIRST = 2  # more than one value: a one-value enum may be read as a constant


def _defaults(document: Any) -> set[Any]:
    """Every string or integer ``default`` in the document (iterative: nesting is deep)."""
    found: set[Any] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            default = node.get("default")
            if isinstance(default, (str, int)):
                found.add(default)
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return found


def _integer_members(schema: dict[str, Any]) -> dict[Any, str]:
    """``{5: "integer_5", -1: "integer__1"}`` for an all-integer enum, else ``{}``."""
    values = schema.get("enum")
    if schema.get("type") != "integer" or not isinstance(values, list):
        return {}
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return {}
    return {v: "integer_" + str(v).replace("-", "_") for v in values}


def abridge_enums(prepared: Prepared) -> set[str]:
    """Abridge the large enums of ``prepared.document`` in place; their class names."""
    schemas = prepared.document.get("components", {}).get("schemas") or {}
    for name, schema in schemas.items():
        if isinstance(schema, dict) and len(schema.get("enum") or ()) > ABRIDGE_OVER:
            members = _integer_members(schema)
            if members:
                prepared.enum_members[name] = members
    large = [
        name
        for name, members in prepared.enum_members.items()
        if len(members) > ABRIDGE_OVER and isinstance(schemas.get(name), dict)
    ]
    if not large:
        return set()
    defaults = _defaults(prepared.document)
    for name in large:
        schema = schemas[name]
        values = list(prepared.enum_members[name])
        kept = values[:_KEEP_FIRST] + [v for v in values[_KEEP_FIRST:] if v in defaults]
        schema["enum"] = kept
        schema.pop("x-enum-varnames", None)  # the names are ours (prepared.enum_members)
    return set(large)
