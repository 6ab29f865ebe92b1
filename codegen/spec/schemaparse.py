"""Schema objects of the bundled document -> shared :class:`SpecSchema` records.

Design notes
------------
* One record per schema *location*: :meth:`SchemaParser.schema` is memoised by JSON
  pointer, and a ``$ref`` (always local after bundling) yields the record of its
  target, so every use of ``#/components/schemas/Task`` is the same object. This is
  also how recursion ends: a record is registered (empty, a placeholder made with
  ``__new__``) *before* its sub-schemas are read and filled in afterwards, so
  ``Task.subtasks.items`` is the ``Task`` record itself. Records are only compared or
  hashed after parsing, when every placeholder is filled.
* A ``$ref`` with sibling keywords (``{$ref: X, description: ..., x-python-name: ...}``)
  is an *overlay*: a record with X's fields, the siblings' fields over them, and
  ``base`` = X's record. Booleans that only add (``nullable``, ``readOnly``,
  ``writeOnly``, ``deprecated``) are or-ed; every other sibling replaces X's value.
* Nullability is normalised: ``nullable: true`` (3.0), ``type: [X, "null"]`` (3.1), a
  ``null`` in ``enum`` and ``{type: "null"}`` members of ``anyOf``/``oneOf`` all give
  ``nullable=True`` without ``"null"`` in ``types``. An ``anyOf``/``oneOf`` left with
  one member and no other structural keyword collapses into an overlay of that member,
  so ``anyOf: [{type: string}, {type: "null"}]`` equals ``{type: string, nullable: true}``.
* An overlay's fields are copied from its base; when the base is still a placeholder
  (an overlay inside the schema it refers to, as in ``next: {anyOf: [{$ref: Node},
  {type: "null"}]}``) the copy waits in :attr:`SchemaParser.pending` until
  :meth:`SchemaParser.finish`.
* The component name a record was reached through is ``ref_name``: set on the records
  of ``components/schemas/<name>`` and inherited by overlays of them.
* 3.0's boolean ``exclusiveMinimum``/``exclusiveMaximum`` become 3.1's numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from codegen.diagnostics import split_pointer
from codegen.spec.records import (
    Loc,
    SpecDiscriminator,
    SpecSchema,
    Value,
    freeze,
)

__all__ = ["SchemaParser"]

Pointer = tuple[str, ...]
Extensions = Callable[[dict[str, Any], Pointer, str], Mapping[str, Any]]

_ALL = tuple(f.name for f in fields(SpecSchema) if f.name not in ("base", "loc"))
_DEFAULTS = {f.name: f.default for f in fields(SpecSchema) if f.name != "loc"}
_OR_FIELDS = frozenset({"nullable", "read_only", "write_only", "deprecated"})
_STRUCTURAL = frozenset(
    {
        "type",
        "format",
        "enum",
        "const",
        "properties",
        "additionalProperties",
        "items",
        "prefixItems",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "discriminator",
        "patternProperties",
    }
)
_NUMBERS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "multipleOf": "multiple_of",
}
_COUNTS = {
    "minLength": "min_length",
    "maxLength": "max_length",
    "minItems": "min_items",
    "maxItems": "max_items",
    "minProperties": "min_properties",
    "maxProperties": "max_properties",
}
_FLAGS = {
    "deprecated": "deprecated",
    "readOnly": "read_only",
    "writeOnly": "write_only",
    "uniqueItems": "unique_items",
}
_TEXTS = {"format": "format", "title": "title", "description": "description", "pattern": "pattern"}
_EXTENSIONS = {
    "x-enum-varnames": "x_enum_varnames",
    "x-links": "x_links",
    "x-python-name": "x_python_name",
    "x-send-default": "x_send_default",
    "x-python-type": "x_python_type",
}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_null(member: Any) -> bool:
    """``{type: "null"}`` (or ``["null"]``), as an ``anyOf``/``oneOf`` member."""
    return (
        isinstance(member, dict)
        and "$ref" not in member
        and member.get("type") in ("null", ["null"])
    )


def _filled(record: SpecSchema) -> bool:
    return hasattr(record, "loc")


def _fill(record: SpecSchema, values: dict[str, Any]) -> None:
    for name, default in _DEFAULTS.items():
        object.__setattr__(record, name, values.get(name, default))
    object.__setattr__(record, "loc", values["loc"])


class SchemaParser:
    """See the module notes; ``extensions(node, ptr, kind)`` reads a node's ``x-`` keys."""

    def __init__(
        self, document: Any, locate: Callable[[Pointer], Loc], extensions: Extensions
    ) -> None:
        self.document = document
        self.locate = locate
        self.extensions = extensions
        self.memo: dict[Pointer, SpecSchema] = {}
        self.pending: list[tuple[SpecSchema, SpecSchema, dict[str, Any], Pointer]] = []
        self._following: set[Pointer] = set()

    # -- entry points ----------------------------------------------------------------

    def schema(self, node: Any, ptr: Pointer) -> SpecSchema:
        """The record of the schema ``node`` found at ``ptr``."""
        got = self.memo.get(ptr)
        if got is not None:
            return got
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target_ptr, target = self._target(node["$ref"])
            if len(node) == 1:
                if ptr in self._following:  # a $ref chain back to itself
                    return self._plain({}, ptr)
                self._following.add(ptr)
                try:
                    return self.schema(target, target_ptr)
                finally:
                    self._following.discard(ptr)
            record = self._new(ptr)
            own, _ = self._own({k: v for k, v in node.items() if k != "$ref"}, node, ptr)
            self._overlay(record, self.schema(target, target_ptr), own, ptr)
            return record
        return self._plain(node if isinstance(node, dict) else {}, ptr)

    def finish(self) -> None:
        """Fill the overlays that waited for their base (see the module notes)."""
        while self.pending:
            waiting, self.pending = self.pending, []
            for record, base, own, ptr in waiting:
                self._overlay(record, base, own, ptr)
            if len(self.pending) == len(waiting):  # overlays of each other only
                record, _, own, ptr = self.pending.pop(0)
                _fill(record, {**own, "loc": self.locate(ptr), "ref_name": self._component(ptr)})

    # -- records ---------------------------------------------------------------------

    def _new(self, ptr: Pointer) -> SpecSchema:
        record = SpecSchema.__new__(SpecSchema)
        self.memo[ptr] = record
        return record

    def _plain(self, node: dict[str, Any], ptr: Pointer) -> SpecSchema:
        record = self._new(ptr)
        own, collapse = self._own(node, node, ptr)
        if collapse is not None:
            self._overlay(record, collapse, own, ptr)
            return record
        own["loc"] = self.locate(ptr)
        own["ref_name"] = self._component(ptr)
        _fill(record, own)
        return record

    def _overlay(
        self, record: SpecSchema, base: SpecSchema, own: dict[str, Any], ptr: Pointer
    ) -> None:
        if not _filled(base):
            self.pending.append((record, base, own, ptr))
            return
        values = {name: getattr(base, name) for name in _ALL}
        for name, value in own.items():
            values[name] = (values[name] or value) if name in _OR_FIELDS else value
        values["base"] = base
        values["loc"] = self.locate(ptr)
        values["ref_name"] = self._component(ptr) or base.ref_name
        _fill(record, values)

    @staticmethod
    def _component(ptr: Pointer) -> str | None:
        return ptr[2] if len(ptr) == 3 and ptr[:2] == ("components", "schemas") else None

    def _target(self, ref: str) -> tuple[Pointer, Any]:
        try:
            segments = split_pointer(ref)
        except ValueError:
            return (), {}
        node: Any = self.document
        for seg in segments:
            if isinstance(node, dict) and seg in node:
                node = node[seg]
            elif isinstance(node, list) and seg.isdigit() and int(seg) < len(node):
                node = node[int(seg)]
            else:
                return segments, {}
        return segments, node

    # -- fields ----------------------------------------------------------------------

    def _own(
        self, node: dict[str, Any], holder: dict[str, Any], ptr: Pointer
    ) -> tuple[dict[str, Any], SpecSchema | None]:
        """The fields ``node`` sets (only those), and the member it collapses into.

        ``holder`` is the dict holding the node's keys (the ``$ref`` object for an
        overlay): its ``x-`` keys were read at ``ptr``.
        """
        out: dict[str, Any] = {}
        nullable = node.get("nullable") is True
        kind = node.get("type")
        if isinstance(kind, (str, list)):
            types = tuple(
                t for t in ([kind] if isinstance(kind, str) else kind) if isinstance(t, str)
            )
            if "null" in types and len(set(types)) > 1:
                types, nullable = tuple(t for t in types if t != "null"), True
            out["types"] = types
        for key, name in _TEXTS.items():
            if isinstance(node.get(key), str):
                out[name] = node[key]
        if isinstance(node.get("enum"), list):
            if None in node["enum"]:
                nullable = True
            out["enum"] = tuple(freeze(v) for v in node["enum"] if v is not None)
        for key in ("const", "default"):
            if key in node:
                out[key] = Value(freeze(node[key]))
        for key, name in _FLAGS.items():
            if key in node:
                out[name] = node[key] is True
        self._constraints(node, out)
        self._subschemas(node, ptr, out)
        if isinstance(node.get("required"), list):
            out["required"] = tuple(str(r) for r in node["required"])
        found = node.get("discriminator")
        if isinstance(found, dict) and isinstance(found.get("propertyName"), str):
            mapping = found.get("mapping")
            out["discriminator"] = SpecDiscriminator(
                found["propertyName"],
                tuple((str(k), str(v)) for k, v in mapping.items())
                if isinstance(mapping, dict)
                else (),
                loc=self.locate((*ptr, "discriminator")),
            )
        for key, value in self.extensions(holder, ptr, "schema").items():
            if key in _EXTENSIONS:
                out[_EXTENSIONS[key]] = value
        collapse = None
        for key in ("anyOf", "oneOf"):
            members = node.get(key)
            if not isinstance(members, list) or not any(_is_null(m) for m in members):
                continue
            nullable = True
            kept = [(i, m) for i, m in enumerate(members) if not _is_null(m)]
            records = tuple(self.schema(m, (*ptr, key, str(i))) for i, m in kept)
            field = "any_of" if key == "anyOf" else "one_of"
            if len(records) == 1 and not (_STRUCTURAL - {key}) & set(node):
                out.pop(field, None)
                collapse = records[0]
            else:
                out[field] = records
        if nullable:
            out["nullable"] = True
        return out, collapse

    def _constraints(self, node: dict[str, Any], out: dict[str, Any]) -> None:
        for key, name in _NUMBERS.items():
            if _number(node.get(key)):
                out[name] = node[key]
        for key, name in _COUNTS.items():
            if isinstance(node.get(key), int) and not isinstance(node[key], bool):
                out[name] = node[key]
        for key, bound, name in (
            ("exclusiveMinimum", "minimum", "exclusive_minimum"),
            ("exclusiveMaximum", "maximum", "exclusive_maximum"),
        ):
            value = node.get(key)
            if _number(value):
                out[name] = value
            elif value is True and bound in out:  # 3.0: a flag on minimum/maximum
                out[name] = out.pop(bound)

    def _subschemas(self, node: dict[str, Any], ptr: Pointer, out: dict[str, Any]) -> None:
        props = node.get("properties")
        if isinstance(props, dict):
            out["properties"] = tuple(
                (str(name), self.schema(sub, (*ptr, "properties", str(name))))
                for name, sub in props.items()
            )
        for key, name in (("items", "items"), ("not", "not_")):
            if isinstance(node.get(key), dict):
                out[name] = self.schema(node[key], (*ptr, key))
        extra = node.get("additionalProperties")
        if isinstance(extra, bool):
            out["additional_properties"] = extra
        elif isinstance(extra, dict):
            out["additional_properties"] = self.schema(extra, (*ptr, "additionalProperties"))
        for key, name in (("allOf", "all_of"), ("anyOf", "any_of"), ("oneOf", "one_of")):
            members = node.get(key)
            if isinstance(members, list):
                out[name] = tuple(
                    self.schema(m, (*ptr, key, str(i))) for i, m in enumerate(members)
                )
