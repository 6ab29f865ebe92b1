"""Large string enums: datamodel-code-generator sees them abridged, the member list is ours.

Design notes
------------
* datamodel-code-generator names enum members against a set of names taken so far that
  it copies for every member, so a 100,000-value enum costs it minutes (quadratic). The
  member *names* are ours anyway (:func:`codegen.ir.schemas.prepare` decides them,
  :func:`codegen.ir.models.fix_enums` applies them), so for a string enum with more than
  :data:`ABRIDGE_OVER` values :func:`abridge_enums` leaves datamodel-code-generator only
  the first values and those the document uses as a ``default`` (a default is written
  as a member reference, ``Status.PENDING``, so its member must exist).
* The full member list reaches the generated code through the IR:
  ``EnumInfo.members`` (built from :attr:`Prepared.enum_members` for an abridged enum),
  which :mod:`codegen.render.modelsplit` writes as the class body of every open enum.
* Enums at or under the bound are untouched, so ordinary APIs generate exactly as before.
"""

from __future__ import annotations

from typing import Any

from codegen.ir.schemas import Prepared

__all__ = ["ABRIDGE_OVER", "abridge_enums"]

ABRIDGE_OVER = 500
_KEEP_FIRST = 2  # more than one value: a one-value enum may be read as a constant


def _string_defaults(document: Any) -> set[str]:
    """Every string ``default`` in the document (iterative: nesting can be deep)."""
    found: set[str] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            default = node.get("default")
            if isinstance(default, str):
                found.add(default)
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return found


def abridge_enums(prepared: Prepared) -> set[str]:
    """Abridge the large string enums of ``prepared.document`` in place; their class names."""
    schemas = prepared.document.get("components", {}).get("schemas") or {}
    large = [
        name
        for name, members in prepared.enum_members.items()
        if len(members) > ABRIDGE_OVER and isinstance(schemas.get(name), dict)
    ]
    if not large:
        return set()
    defaults = _string_defaults(prepared.document)
    for name in large:
        schema = schemas[name]
        values = list(prepared.enum_members[name])
        kept = values[:_KEEP_FIRST] + [v for v in values[_KEEP_FIRST:] if v in defaults]
        schema["enum"] = kept
        schema.pop("x-enum-varnames", None)  # the names are ours (prepared.enum_members)
    return set(large)
