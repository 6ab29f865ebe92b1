"""Names for the members of a union (``oneOf`` / ``anyOf``), from their context.

Design notes
------------
A union member that needs a class (an inline object, enum or ``allOf`` merge) gets a
name a person would choose, never its position. :func:`member_names` lists the
candidates in order of preference; :func:`codegen.ir.schemas.prepare` takes the first
one that is free:

1. its ``title`` (the spec author named it), alone;
2. the union's own name, when the member is the only one needing a class (``customer:
   anyOf: [string, {object}]`` -> the object is ``<Owner>Customer``, as a plain
   property would be);
3. ``<Owner><Tag>``: its discriminator value (the ``discriminator.mapping`` key that
   names it, or the ``const`` / one-value ``enum`` of the discriminating property), or,
   without a discriminator, a property fixed to a value no sibling shares
   (``type: {const: web}`` -> ``EventSourceWeb``);
4. ``<Owner><RefName>`` for a ``$ref`` member (merged variants, below);
5. ``<Owner><Title>`` when the title alone is taken;
6. ``<Owner><Kind>`` when it is the only member of its kind (``Object``, ``Array``,
   ``Enum``...);
7. ``<Owner>With<Prop>``: a property only it requires, else only it declares.

Only when all are taken does ``prepare`` fall back to ``<Owner>Variant<n>``, and says so
in a warning naming the schema: a number is a name nobody chose, which moves when
members are added, and a ``title`` in the spec would name it.

Nothing here depends on the order of the document's keys, only on the union itself,
so the names survive a reordering of ``components/schemas`` or ``paths``.

*Merged variants*: datamodel-code-generator turns an object with ``properties`` *and* a
``oneOf`` into one class per member (the object's fields plus the member's), named
``<Owner>1``, ``<Owner>2``... :func:`member_names` with ``merged=True`` names those
(the candidates that do not start with the owner are left out: the class is the owner,
narrowed), and :func:`codegen.ir.models.rename_classes` applies the names to the
generated module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from codegen.ir.naming import suffix_case

__all__ = ["Resolve", "member_names", "object_shape", "union_members"]

Resolve = Callable[[str], Any]  # a $ref -> the schema it names (None when unknown)

_SCALARS = (str, int, float, bool)


def union_members(schema: dict[str, Any]) -> list[Any]:
    """The members of ``schema``'s ``oneOf`` and ``anyOf``, in order."""
    out: list[Any] = []
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list):
            out.extend(members)
    return out


def member_names(
    owner: str,
    union: dict[str, Any],
    index: int,
    resolve: Resolve,
    *,
    sole: bool = False,
    merged: bool = False,
) -> list[str]:
    """Candidate class names for member ``index`` of ``union`` (module notes).

    ``sole``: it is the only member that needs a class; ``merged``: name the class
    datamodel-code-generator makes of the owner's object and this member.
    """
    members = union_members(union)
    member = members[index]
    siblings = [m for i, m in enumerate(members) if i != index]
    member = member if isinstance(member, dict) else {}
    out: list[str] = []
    title = member.get("title")
    title = title if isinstance(title, str) and suffix_case(title) else None
    if title and not merged:
        out.append(suffix_case(title))
    if sole and not merged:
        out.append(owner)
    tag = _tag(member, siblings, union.get("discriminator"), resolve)
    if tag is not None:
        out.append(owner + tag)
    ref = member.get("$ref")
    if isinstance(ref, str) and suffix_case(ref.rsplit("/", 1)[-1]):
        out.append(owner + suffix_case(ref.rsplit("/", 1)[-1]))
    if title:
        out.append(owner + suffix_case(title))
    kinds = [_kind(s, resolve) for s in siblings]
    kind = _kind(member, resolve)
    if kind is not None and kind not in kinds:
        out.append(owner + kind)
    shapes = [_shape(s, resolve) for s in siblings]
    props, required = _shape(member, resolve)
    for own, others in ((required, [r for _, r in shapes]), (set(props), [p for p, _ in shapes])):
        unique = sorted(own - set().union(*others)) if others else sorted(own)
        named = [p for p in unique if suffix_case(p)]
        if named:
            out.append(owner + "With" + suffix_case(named[0]))
    return list(dict.fromkeys(out))


def _deref(schema: Any, resolve: Resolve, depth: int = 0) -> dict[str, Any]:
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and depth < 16:
        schema = resolve(schema["$ref"])
        depth += 1
    return schema if isinstance(schema, dict) else {}


def _shape(schema: Any, resolve: Resolve, depth: int = 0) -> tuple[dict[str, Any], set[str]]:
    """(properties, required) of an object schema, ``allOf`` parts and ``$ref``\\ s merged."""
    schema = _deref(schema, resolve)
    props: dict[str, Any] = {}
    required: set[str] = set()
    if depth < 8:
        for part in schema.get("allOf") or []:
            sub_props, sub_required = _shape(part, resolve, depth + 1)
            props.update(sub_props)
            required |= sub_required
    if isinstance(schema.get("properties"), dict):
        props.update(schema["properties"])
    if isinstance(schema.get("required"), list):
        required |= {r for r in schema["required"] if isinstance(r, str)}
    return props, required


def object_shape(schema: Any, resolve: Resolve) -> tuple[dict[str, Any], set[str]]:
    """(properties, required) of an object schema, ``allOf`` parts and ``$ref``\\ s merged."""
    return _shape(schema, resolve)


def _fixed(prop: Any, resolve: Resolve) -> str | None:
    """The one value a property may take (``const``, or an ``enum`` of one)."""
    prop = _deref(prop, resolve)
    if "const" in prop and isinstance(prop["const"], _SCALARS):
        return str(prop["const"])
    values = prop.get("enum")
    if isinstance(values, list) and len(values) == 1 and isinstance(values[0], _SCALARS):
        return str(values[0])
    return None


def _tag(member: dict[str, Any], siblings: list[Any], disc: Any, resolve: Resolve) -> str | None:
    """The member's discriminator value, or a property value that tells it apart."""
    props, _ = _shape(member, resolve)
    if isinstance(disc, dict) and isinstance(disc.get("propertyName"), str):
        ref = member.get("$ref")
        mapping = disc.get("mapping")
        if isinstance(ref, str) and isinstance(mapping, dict):
            keys = [k for k, v in mapping.items() if v in (ref, ref.rsplit("/", 1)[-1])]
            if len(keys) == 1 and suffix_case(str(keys[0])):
                return suffix_case(str(keys[0]))
        value = _fixed(props.get(disc["propertyName"]), resolve)
        return suffix_case(value or "") or None
    shapes = [_shape(s, resolve)[0] for s in siblings]
    for name in sorted(props):
        value = _fixed(props[name], resolve)
        if value is None or not suffix_case(value):
            continue
        if all(_fixed(other.get(name), resolve) != value for other in shapes):
            return suffix_case(value)
    return None


def _kind(schema: Any, resolve: Resolve) -> str | None:
    schema = _deref(schema, resolve)
    if isinstance(schema.get("enum"), list):
        return "Enum"
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    if kind is None and (schema.get("properties") or schema.get("allOf")):
        kind = "object"
    return suffix_case(kind) if isinstance(kind, str) else None
