"""Two schema records, compared structurally in one direction (request or response).

Design notes
------------
* Input is :class:`codegen.spec.records.SpecSchema`: ``$ref`` already resolved and
  nullability already normalised by the spec layer (3.0 ``nullable``, 3.1 type lists,
  ``null`` enum members and ``{type: null}`` union members are one ``nullable`` flag),
  so an inline schema moved behind a ``$ref``, a schema moved to another file, keys
  reordered or the 3.0 form rewritten in the 3.1 form compare equal and report nothing.
* ``allOf`` is merged before comparing (:func:`flatten`: properties, required names,
  types, enums and constraints of every member, recursively), so reordering members,
  splitting a schema into ``allOf`` parts or inlining them changes nothing; what a new
  member really adds shows up as what it adds (a property, a requirement, a bound).
* ``oneOf``/``anyOf`` members are matched by structural equality (records compare
  coinductively); one unmatched member on each side is the same member changed and is
  compared further, the rest are members added or removed.
* Recursive schemas: a pair of records already being compared in this walk is not
  walked again (:attr:`SchemaWalk.seen`), so ``Task.subtasks: [Task]`` terminates, and
  a schema used twice in one operation is reported once.
* Descriptions, titles and examples never produce a change; they are not read.
* Direction decides the level: the rules come in ``request-*`` and ``response-*``
  pairs; properties that are ``readOnly`` are skipped in requests and ``writeOnly``
  ones in responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codegen.diff.emit import Emitter
from codegen.spec.records import Json, Loc, SpecDiscriminator, SpecSchema, Value

__all__ = ["Flat", "SchemaWalk", "describe", "flatten"]

_LOWER = ("minimum", "exclusive_minimum", "min_length", "min_items", "min_properties")
_UPPER = ("maximum", "exclusive_maximum", "max_length", "max_items", "max_properties")
_NAMES = {
    "minimum": "minimum",
    "exclusive_minimum": "exclusiveMinimum",
    "min_length": "minLength",
    "min_items": "minItems",
    "min_properties": "minProperties",
    "maximum": "maximum",
    "exclusive_maximum": "exclusiveMaximum",
    "max_length": "maxLength",
    "max_items": "maxItems",
    "max_properties": "maxProperties",
    "pattern": "pattern",
    "multiple_of": "multipleOf",
    "unique_items": "uniqueItems",
}


@dataclass
class Flat:
    """A schema with its ``allOf`` members merged in."""

    schema: SpecSchema
    types: tuple[str, ...] = ()
    nullable: bool = False
    format: str | None = None
    enum: tuple[Json, ...] | None = None
    default: Value | None = None
    properties: dict[str, SpecSchema] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: SpecSchema | None = None
    additional: SpecSchema | None = None
    one_of: tuple[SpecSchema, ...] = ()
    any_of: tuple[SpecSchema, ...] = ()
    discriminator: SpecDiscriminator | None = None
    bounds: dict[str, object] = field(default_factory=dict)
    closed: bool = False  # additionalProperties: false


def flatten(schema: SpecSchema) -> Flat:
    """``schema`` with its ``allOf`` members (recursively) merged in."""
    flat = Flat(schema, nullable=schema.nullable)
    _merge(flat, schema, set())
    if not flat.types:  # a type the keywords imply is the same as one written
        if flat.properties or flat.additional is not None:
            flat.types = ("object",)
        elif flat.items is not None:
            flat.types = ("array",)
    return flat


def _merge(flat: Flat, schema: SpecSchema, active: set[int]) -> None:
    if id(schema) in active:
        return
    active.add(id(schema))
    if schema.types and not flat.types:
        flat.types = tuple(sorted(t for t in schema.types if t != "null")) or schema.types
    flat.format = flat.format or schema.format
    if schema.enum is not None:
        mine = tuple(v for v in schema.enum if v is not None)
        flat.enum = mine if flat.enum is None else tuple(v for v in flat.enum if v in mine)
    if schema.const is not None and flat.enum is None:
        flat.enum = (schema.const.value,)
    flat.default = flat.default or schema.default
    for name, prop in schema.properties:
        flat.properties.setdefault(name, prop)
    flat.required.update(schema.required)
    flat.items = flat.items or schema.items
    if isinstance(schema.additional_properties, SpecSchema):
        flat.additional = flat.additional or schema.additional_properties
    flat.closed = flat.closed or schema.additional_properties is False
    flat.one_of = flat.one_of or schema.one_of
    flat.any_of = flat.any_of or schema.any_of
    flat.discriminator = flat.discriminator or schema.discriminator
    for name in _NAMES:
        value = getattr(schema, name)
        if value is not None and value is not False and name not in flat.bounds:
            flat.bounds[name] = value
    for member in schema.all_of:
        _merge(flat, member, active)
    active.discard(id(schema))


def describe(schema: SpecSchema) -> str:
    """A short name for a schema in a message: its component name, else its type."""
    if schema.ref_name:
        return schema.ref_name
    flat = flatten(schema)
    if flat.types == ("array",) and flat.items is not None:
        return f"array of {describe(flat.items)}"
    if flat.enum is not None:
        return "enum " + ", ".join(repr(v) for v in flat.enum[:4])
    text = "|".join(flat.types) or ("object" if flat.properties else "any")
    return f"{text} ({flat.format})" if flat.format else text


def _types_move(old: tuple[str, ...], new: tuple[str, ...]) -> str:
    """``generalized`` (new accepts all old did), ``specialized``, else ``changed``."""
    o, n = set(old), set(new)
    if "number" in n:
        n.add("integer")
    if "number" in o:
        o.add("integer")
    if not old:
        return "specialized"
    if not new:
        return "generalized"
    if o < n or (o == n and "number" in new):  # integer -> number
        return "generalized"
    if n < o or (o == n and "number" in old):
        return "specialized"
    return "changed"


@dataclass
class Ctx:
    """What is being compared: ``kind`` (``query parameter``, ``request body``,
    ``response 200 body``) and the dotted path below it."""

    kind: str
    path: str = ""

    @property
    def what(self) -> str:
        return f"{self.kind} `{self.path}`" if self.path else self.kind

    def child(self, name: str) -> Ctx:
        return Ctx(self.kind, f"{self.path}.{name}" if self.path else name)

    def items(self) -> Ctx:
        return Ctx(self.kind, f"{self.path}[]" if self.path else "[]")


class SchemaWalk:
    """Compares schema pairs of one operation in one direction (see the module notes)."""

    def __init__(
        self, emit: Emitter, direction: str, equal: dict[tuple[int, int], bool] | None = None
    ) -> None:
        self.emit = emit
        self.d = direction  # "request" | "response"
        self.seen: set[tuple[int, int]] = set()
        # pairs found equal or not, shared by every walk of one diff (a schema used by
        # many operations is compared once); records live as long as the diff
        self.equal = {} if equal is None else equal

    def compare(
        self, old: SpecSchema | None, new: SpecSchema | None, ctx: Ctx, at: Loc | None
    ) -> None:
        """Report every difference between ``old`` and ``new`` (``at``: the newer record
        around them, for a location when ``new`` has none of its own)."""
        if old is None or new is None or old is new:
            return
        key = (id(old), id(new))
        if key in self.seen:
            return
        self.seen.add(key)
        same = self.equal.get(key)
        if same is None:
            same = self.equal[key] = old == new
        if same:
            return
        loc = new.loc
        d, what = self.d, ctx.what
        o, n = flatten(old), flatten(new)
        if o.nullable != n.nullable:
            self.emit(
                f"{d}-became-{'nullable' if n.nullable else 'not-nullable'}", loc, what, what=what
            )
        union_o, union_n = o.one_of or o.any_of, n.one_of or n.any_of
        if o.types != n.types and not (union_o or union_n):
            move = _types_move(o.types, n.types)
            old_t, new_t = "|".join(o.types) or "any", "|".join(n.types) or "any"
            self.emit(f"{d}-type-{move}", loc, what, new_t, what=what, old=old_t, new=new_t)
            if move == "changed":
                return  # a different kind of value: what is below does not compare
        elif o.format != n.format:
            self.emit(
                f"{d}-format-changed",
                loc,
                what,
                str(n.format),
                what=what,
                old=o.format,
                new=n.format,
            )
        self._enum(o, n, ctx, loc)
        self._bounds(o, n, ctx, loc)
        if o.default != n.default and (d == "response" or o.default is not None):
            old_v = None if o.default is None else o.default.value
            new_v = None if n.default is None else n.default.value
            self.emit(
                f"{d}-default-changed",
                loc,
                what,
                repr(new_v),
                what=what,
                old=repr(old_v),
                new=repr(new_v),
            )
        if o.discriminator != n.discriminator and o.discriminator is not None:
            detail = _discriminator_detail(o.discriminator, n.discriminator)
            self.emit(f"{d}-discriminator-changed", loc, what, detail, what=what, detail=detail)
        self._closed(o, n, ctx, loc)
        self._properties(o, n, ctx, loc)
        self.compare(o.items, n.items, ctx.items(), loc)
        self.compare(o.additional, n.additional, ctx.child("*"), loc)
        for keyword, old_m, new_m in (("oneOf", o.one_of, n.one_of), ("anyOf", o.any_of, n.any_of)):
            self._union(keyword, old_m, new_m, ctx, loc)

    def _enum(self, o: Flat, n: Flat, ctx: Ctx, loc: Loc) -> None:
        d, what = self.d, ctx.what
        if o.enum == n.enum:
            return
        if o.enum is None and n.enum is not None:
            self.emit(f"{d}-became-enum", loc, what, what=what, new=", ".join(map(repr, n.enum)))
        elif n.enum is None and o.enum is not None:
            self.emit(f"{d}-enum-removed", loc, what, what=what)
        elif o.enum is not None and n.enum is not None:
            for value in n.enum:
                if value not in o.enum:
                    self.emit(
                        f"{d}-enum-value-added",
                        loc,
                        what,
                        repr(value),
                        what=what,
                        value=repr(value),
                    )
            for value in o.enum:
                if value not in n.enum:
                    self.emit(
                        f"{d}-enum-value-removed",
                        loc,
                        what,
                        repr(value),
                        what=what,
                        value=repr(value),
                    )

    def _bounds(self, o: Flat, n: Flat, ctx: Ctx, loc: Loc) -> None:
        for name in _NAMES:
            old_v, new_v = o.bounds.get(name), n.bounds.get(name)
            if old_v == new_v:
                continue
            if name in _LOWER or name in _UPPER:
                upper = name in _UPPER
                if old_v is None:
                    tighter = True
                elif new_v is None:
                    tighter = False
                else:
                    tighter = new_v < old_v if upper else new_v > old_v  # type: ignore[operator]
            else:  # pattern, multipleOf, uniqueItems: any new or changed one restricts
                tighter = new_v is not None
            direction = "tightened" if tighter else "relaxed"
            self.emit(
                f"{self.d}-constraint-{direction}",
                loc,
                ctx.what,
                f"{name}={new_v}",
                what=ctx.what,
                constraint=_NAMES[name],
                old=_value(old_v),
                new=_value(new_v),
            )

    def _closed(self, o: Flat, n: Flat, ctx: Ctx, loc: Loc) -> None:
        if o.closed == n.closed or "object" not in n.types:
            return
        direction = "tightened" if n.closed else "relaxed"
        old, new = ("true", "false") if n.closed else ("false", "true")
        self.emit(
            f"{self.d}-constraint-{direction}",
            loc,
            ctx.what,
            f"additionalProperties={new}",
            what=ctx.what,
            constraint="additionalProperties",
            old=old,
            new=new,
        )

    def _properties(self, o: Flat, n: Flat, ctx: Ctx, loc: Loc) -> None:
        d = self.d
        skip = "read_only" if d == "request" else "write_only"
        for name, prop in n.properties.items():
            if getattr(prop, skip):
                continue
            sub = ctx.child(name)
            old_prop = o.properties.get(name)
            if old_prop is None or getattr(old_prop, skip):
                required = name in n.required
                if d == "request":
                    rule = f"request-property-added-{'required' if required else 'optional'}"
                else:
                    rule = f"response-{'required' if required else 'optional'}-property-added"
                self.emit(rule, prop.loc, sub.what, what=sub.what)
                continue
            was, now = name in o.required, name in n.required
            if was != now:
                if d == "request":
                    rule = f"request-property-became-{'required' if now else 'optional'}"
                else:
                    rule = f"response-property-became-{'required' if now else 'optional'}"
                self.emit(rule, prop.loc, sub.what, what=sub.what)
            self.compare(old_prop, prop, sub, prop.loc)
        for name, old_prop in o.properties.items():
            if getattr(old_prop, skip):
                continue
            new_prop = n.properties.get(name)
            if new_prop is not None and not getattr(new_prop, skip):
                continue
            sub = ctx.child(name)
            if d == "request":
                rule = "request-property-removed"
            else:
                rule = (
                    f"response-{'required' if name in o.required else 'optional'}-property-removed"
                )
            self.emit(rule, loc, sub.what, what=sub.what)

    def _union(
        self,
        keyword: str,
        old: tuple[SpecSchema, ...],
        new: tuple[SpecSchema, ...],
        ctx: Ctx,
        loc: Loc,
    ) -> None:
        if old == new:
            return
        gone = [m for m in old if m not in new]
        came = [m for m in new if m not in old]
        if len(gone) == 1 and len(came) == 1 and _same_kind(gone[0], came[0]):
            self.compare(gone[0], came[0], ctx, came[0].loc)
            return
        d = self.d
        for member in came:
            text = describe(member)
            self.emit(
                f"{d}-union-member-added",
                member.loc,
                ctx.what,
                text,
                what=ctx.what,
                keyword=keyword,
                new=text,
            )
        for member in gone:
            text = describe(member)
            self.emit(
                f"{d}-union-member-removed",
                loc,
                ctx.what,
                text,
                what=ctx.what,
                keyword=keyword,
                old=text,
            )


def _same_kind(a: SpecSchema, b: SpecSchema) -> bool:
    """Two union members that are one member changed: same name, or same type."""
    if a.ref_name and b.ref_name:
        return a.ref_name == b.ref_name
    return flatten(a).types == flatten(b).types


def _value(value: object) -> str:
    return "none" if value is None else str(value)


def _discriminator_detail(old: SpecDiscriminator, new: SpecDiscriminator | None) -> str:
    if new is None:
        return f"{old.property_name} removed"
    if old.property_name != new.property_name:
        return f"property {old.property_name} -> {new.property_name}"
    gone = sorted(dict(old.mapping).keys() - dict(new.mapping).keys())
    moved = sorted(
        k for k, v in old.mapping if k in dict(new.mapping) and dict(new.mapping)[k] != v
    )
    parts = [f"tag {t} removed" for t in gone] + [f"tag {t} remapped" for t in moved]
    return ", ".join(parts) or "mapping changed"
