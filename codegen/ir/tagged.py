"""Unions told apart without a ``discriminator`` keyword: by a tag, or by a key.

Design notes
------------
Many specs (Decthings everywhere, any spec written from TypeScript types) write a
tagged union as a plain ``oneOf`` / ``anyOf`` whose object members each fix one
property: ``{type: {const: user}}`` / ``{type: {const: organization}}``. Nothing says
"discriminator", but it is one, and a server may add a variant at any time. Two shapes
are recognised, for any spec, on the prepared document (:mod:`codegen.ir.schemas`
calls :func:`tag_union` once a union's members are hoisted, so object members are
``$ref``\\ s to classes):

* **Tagged** (:func:`implied_tag`): at least two object members, all with one property
  of the same name, *required* in each, whose value is fixed: a string ``const``, or an
  ``enum`` of strings (one value, or several: Decthings' ``{code: cancelled |
  server_overloaded | ...}`` catch-all members), the value sets of the members
  disjoint. Any other member must be something that is never an object (a string, an
  array, null...). The union is then written as if the spec had said
  ``discriminator: {propertyName: <it>, mapping: <each value -> its member>}``
  (the mapping always: without it datamodel-code-generator takes the class name as the
  value), so it is exactly the case :mod:`codegen.ir.models` already handles: each
  member's tag becomes a ``Literal`` and the union is opened, ``A | B | APIModel`` in
  smart mode, so an unknown tag parses as the plain ``APIModel`` fallback instead of
  failing a response. A union that also has members that are not objects is
  regrouped as a spec author would write it, ``oneOf: [<array>, {oneOf: [A, B],
  discriminator: ...}]``; datamodel-code-generator flattens that (``list[Any] | A | B``)
  and :func:`codegen.ir.models.open_flattened_unions` appends the fallback. Such a
  member's tag stays as written (a ``const`` is already a ``Literal``).
  When several properties qualify, ``type``, ``kind``, ``state``, ``code``,
  ``method``, ``event`` are preferred, in that order, then the first by name.
* **Presence-based** (:func:`presence_keys`): no common tag, but each object member
  requires a property that no other member declares (``{success: ...}`` /
  ``{failed: ...}``). Members keep ``extra="allow"`` (an unknown field never crashes
  a response) and the union is opened the same way, marked :data:`OPEN_MARK` for
  :func:`codegen.ir.models.open_flattened_unions`: ``Success | Failed | APIModel`` in
  smart mode. pydantic then picks deterministically: a member validates only when its
  own key is there, so ``{success: ...}`` is ``Success`` and ``{failed: ...}`` is
  ``Failed`` (whatever other keys come along); a value with neither key parses as the
  fallback instead of failing; one with both keys is the first member listed (both
  validate; smart mode prefers the member with more fields set, then the first).
  ``extra="forbid"`` members were the other choice: they make the choice strict but
  refuse any field a newer server adds, which a response must never do; a callable
  discriminator (which key is present) would need a runtime helper for no better
  result.

Nothing is inferred when a member lacks the property, when it is optional in one, when
two members share a value, for an object member that is not a class, or for a member
that may be an object without being a class (an untyped or free-form member, a nested
union): the union stays as written. Requests are not affected: method arguments are
typed from the spec's own members (:mod:`codegen.ir.annotate`, *input* types), only
parsed values get the fallback. Nothing is reported: an inferred discriminator is what
the spec means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codegen.ir.variants import Resolve, object_shape

__all__ = ["OPEN_MARK", "ImpliedTag", "implied_tag", "presence_keys", "tag_union"]

OPEN_MARK = "x-codegen-open-union"  # prepared document only: a union to open

_PREFERRED = ("type", "kind", "state", "code", "method", "event")
_NEVER_OBJECT = frozenset({"string", "number", "integer", "boolean", "array", "null"})


@dataclass(frozen=True)
class ImpliedTag:
    """The discriminator a union's members imply: the property, and the member (its
    ``$ref``) each value selects."""

    property: str
    mapping: dict[str, str]


def _deref(schema: Any, resolve: Resolve) -> dict[str, Any]:
    for _ in range(16):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            break
        schema = resolve(schema["$ref"])
    return schema if isinstance(schema, dict) else {}


def _is_object_class(member: Any, resolve: Resolve) -> bool:
    """A ``$ref`` to an object schema (properties, or ``allOf`` parts that have some)."""
    if not (isinstance(member, dict) and isinstance(member.get("$ref"), str)):
        return False
    props, _ = object_shape(member, resolve)
    target = _deref(member, resolve)
    return bool(props) and not target.get("oneOf") and not target.get("anyOf")


def _never_object(member: Any, resolve: Resolve) -> bool:
    """A member no object value can match: its type(s) exclude ``object``."""
    schema = _deref(member, resolve)
    if not schema or schema.get("oneOf") or schema.get("anyOf") or schema.get("allOf"):
        return False
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if kind is not None and all(k in _NEVER_OBJECT for k in kinds):
        return True
    if "const" in schema:
        return not isinstance(schema["const"], dict)
    values = schema.get("enum")
    return isinstance(values, list) and not any(isinstance(v, dict) for v in values)


def _split(members: list[Any], resolve: Resolve) -> list[bool] | None:
    """For each member, whether it is an object class; None when a member may be an
    object without being one (the union cannot be told apart safely)."""
    kinds = []
    for member in members:
        if _is_object_class(member, resolve):
            kinds.append(True)
        elif _never_object(member, resolve):
            kinds.append(False)
        else:
            return None
    return kinds if sum(kinds) >= 2 else None


def _values(prop: Any, resolve: Resolve) -> set[str] | None:
    """The string values a property is fixed to (``const``, or an ``enum`` of strings)."""
    prop = _deref(prop, resolve)
    if "const" in prop:
        return {prop["const"]} if isinstance(prop["const"], str) else None
    values = prop.get("enum")
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        return set(values)
    return None


def implied_tag(members: list[Any], resolve: Resolve) -> ImpliedTag | None:
    """The discriminator ``members`` (one ``oneOf`` / ``anyOf``) imply (module notes)."""
    kinds = _split(members, resolve)
    if kinds is None:
        return None
    objects = [m for m, is_object in zip(members, kinds, strict=True) if is_object]
    shapes = [object_shape(m, resolve) for m in objects]
    common = set.intersection(*(required for _, required in shapes))
    order = [p for p in _PREFERRED if p in common] + sorted(common - set(_PREFERRED))
    for name in order:
        mapping: dict[str, str] = {}
        for member, (props, _) in zip(objects, shapes, strict=True):
            values = _values(props.get(name), resolve)
            if values is None or values & mapping.keys():
                break
            mapping.update((value, member["$ref"]) for value in sorted(values))
        else:
            return ImpliedTag(name, mapping)
    return None


def presence_keys(members: list[Any], resolve: Resolve) -> list[str] | None:
    """For each object member, a property it requires that no other member declares
    (first by name); None unless every object member has one (module notes)."""
    kinds = _split(members, resolve)
    if kinds is None:
        return None
    shapes = [
        object_shape(m, resolve) for m, is_object in zip(members, kinds, strict=True) if is_object
    ]
    keys = []
    for i, (_, required) in enumerate(shapes):
        others = [set(props) for j, (props, _) in enumerate(shapes) if j != i]
        own = sorted(required.difference(*others))
        if not own:
            return None
        keys.append(own[0])
    return keys


def tag_union(schema: dict[str, Any], resolve: Resolve) -> bool:
    """Write ``schema``'s implied discriminator into it, or mark it presence-based
    (module notes); True when the union is to be opened. ``schema`` is left alone when
    it has a ``discriminator`` already, or ``properties`` of its own (its members are
    merged into it: :mod:`codegen.ir.renames`)."""
    if "discriminator" in schema or schema.get("properties"):
        return False
    changed = False
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if not isinstance(members, list):
            continue
        tag = implied_tag(members, resolve)
        if tag is not None:
            _write(schema, key, tag, resolve)
            changed = True
        elif presence_keys(members, resolve) is not None:
            schema[OPEN_MARK] = True
            changed = True
    return changed


def _write(schema: dict[str, Any], key: str, tag: ImpliedTag, resolve: Resolve) -> None:
    discriminator = {"propertyName": tag.property, "mapping": tag.mapping}
    members = schema[key]
    is_object = [_is_object_class(m, resolve) for m in members]
    other = "anyOf" if key == "oneOf" else "oneOf"
    if all(is_object) and other not in schema:
        schema["discriminator"] = discriminator
        return
    first = is_object.index(True)
    objects = [m for m, o in zip(members, is_object, strict=True) if o]
    group: dict[str, Any] = {"oneOf": objects, "discriminator": discriminator}
    rest = [m for m, o in zip(members, is_object, strict=True) if not o]
    schema[key] = [*rest[:first], group, *rest[first:]]
