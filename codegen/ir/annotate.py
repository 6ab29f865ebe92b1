"""Python types for schema records, from the classes that were actually generated.

Design notes
------------
* Input is a :class:`codegen.spec.records.SpecSchema` (``$ref`` already resolved by the
  spec stage). :class:`SchemaClasses` says which record became which class: a record
  reached through ``components/schemas/<name>`` is that component's class (as
  renamed by :func:`codegen.ir.schemas.prepare`), an inline record is the class
  ``prepare`` hoisted from its location, if any.
* Output is a :class:`codegen.ir.types.TypeRef` (its ``text`` is the annotation).
* A record whose class became a model or enum is that class. Any other schema
  (arrays, maps, unions, primitives, and root models that ``--collapse-root-models``
  inlined) is typed structurally: ``list[Pet]``, ``dict[str, list[str]]``,
  ``Task | str``. A record derived from another (``base``: a ``$ref`` with sibling
  keywords, the one non-null member of a nullable ``anyOf``) is typed as its base.
* An object with ``properties`` and a ``oneOf`` is a root model over one class per
  member (:mod:`codegen.ir.renames`): it is typed as the union of those classes.
* A union with a ``discriminator`` (its members are tagged variants) ends in
  ``clientcore.APIModel`` in output types, as the union fields of the models do
  (:func:`codegen.ir.models.open_unions`): a variant a newer server adds parses as a
  plain ``APIModel`` keeping every field, while a known tag still picks its class (the
  ``Literal`` tag fails the other variants; pydantic's smart mode prefers the class
  whose fields are set). This holds wherever the union is written: an operation's
  result, an array's items, a member of another union (``id | Annotation``), and for
  the unions whose members imply a discriminator or are told apart by a key
  (:mod:`codegen.ir.tagged`, ``Prepared.opened``).
* A schema with ``x-python-type`` (``tensor.DecthingsTensor``) is that hand-written
  type in both flavours, wherever it is used (``list[_custom_tensor.DecthingsTensor]``);
  the models say the same through datamodel-code-generator's ``customTypePath``
  (:mod:`codegen.ir.models`), and the spec stage checked the name exists
  (:func:`codegen.ir.custom.python_types`).
* Two flavours: *output* types describe parsed responses (``list[Task]``,
  ``datetime.datetime``); *input* types are what a method accepts: open enums
  take ``TaskStatus | str``, arrays any ``Sequence``, models also a plain dict, and
  dates also strings. A model with a request twin (``readOnly`` properties, see
  :mod:`codegen.ir.visibility`) is its twin in input types: ``PetRequest | Mapping``.
* Output types double as the runtime ``cast_to`` expression (``TypeRef.runtime``), so
  they only use names the generated modules import: model/enum classes, ``Any``,
  ``datetime``.
"""

from __future__ import annotations

from typing import Literal

from codegen.ir.schemas import Prepared
from codegen.ir.types import (
    ANY,
    API_MODEL,
    BOOL,
    BYTES,
    FILE,
    FLOAT,
    INT,
    NONE,
    STR,
    TypeRef,
    class_ref,
    custom_type,
    dict_of,
    join,
    list_of,
    mapping_of,
    named,
    sequence_of,
    union,
)
from codegen.spec.records import SpecDocument, SpecSchema, iter_schemas

__all__ = ["Annotator", "SchemaClasses"]

Mode = Literal["input", "output"]

_PRIMITIVES = {"integer": INT, "number": FLOAT, "boolean": BOOL, "null": NONE}
_CONST_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}


class SchemaClasses:
    """Which schema record became which class of the prepared document."""

    def __init__(self, document: SpecDocument, prepared: Prepared) -> None:
        self.components = dict(prepared.renamed)  # component name -> class
        self.request_shapes = dict(prepared.request_shapes)  # class -> its request twin
        self.variants = dict(prepared.variant_names)  # class -> its merged variants
        self.hoisted = {pointer: cls for cls, pointer in prepared.origin.items()}
        self.hoisted.update(prepared.aliases)  # the same titled schema inlined again
        self.opened = frozenset(prepared.opened)  # tagged without a discriminator keyword
        at: dict[str, SpecSchema] = {}
        for schema in iter_schemas(document):
            at.setdefault(schema.loc.pointer, schema)
        self.records: dict[str, SpecSchema] = {}  # class -> its schema record
        for name, schema in document.schemas:
            if name in self.components:
                self.records[self.components[name]] = schema
        for cls, pointer in prepared.origin.items():
            if cls not in self.records and pointer in at:
                self.records[cls] = at[pointer]

    def class_of(self, schema: SpecSchema) -> str | None:
        """The class ``schema`` is, or None when it stays structural."""
        if schema.ref_name is not None:
            return self.components.get(schema.ref_name)
        return self.hoisted.get(schema.loc.pointer)

    def record(self, cls: str) -> SpecSchema | None:
        return self.records.get(cls)

    def own(self, cls: str) -> SpecSchema | None:
        """The record of ``cls`` when it is that class's own (not an alias of another)."""
        schema = self.records.get(cls)
        return schema if schema is not None and self.class_of(schema) == cls else None


class Annotator:
    """Types of the schema records of one API."""

    def __init__(self, classes: SchemaClasses, kinds: dict[str, str]) -> None:
        """``kinds``: class name -> kind (``model``, ``root``, ``enum``, ``int_enum``)."""
        self.classes = classes
        self.kinds = kinds
        self._stack: list[str] = []

    def type_of(self, schema: SpecSchema | None, mode: Mode = "output") -> TypeRef:
        """The type of ``schema`` (``Any`` when the schema says nothing)."""
        if schema is None:
            return ANY
        if schema.x_python_type is not None:
            custom = custom_type(schema.x_python_type)
            return union([custom, NONE]) if schema.nullable else custom
        cls = self.classes.class_of(schema)
        if cls is not None:
            inner = self._class(cls, mode)
        elif schema.base is not None:
            inner = self.type_of(schema.base, mode)
        else:
            return self._structure(schema, mode)
        return union([inner, NONE]) if schema.nullable else inner

    def _class(self, cls: str, mode: Mode) -> TypeRef:
        twin = self.classes.request_shapes.get(cls) if mode == "input" else None
        if twin is not None and (self.kinds.get(twin) == "model" or twin in self.classes.variants):
            cls = twin  # no readOnly properties (codegen.ir.visibility)
        kind = self.kinds.get(cls)
        ref = class_ref(cls)
        if kind == "enum":
            return join(ref, STR) if mode == "input" else ref
        if kind == "int_enum":
            return join(ref, INT) if mode == "input" else ref
        if kind == "model":
            return join(ref, self._dict(ANY, mode)) if mode == "input" else ref
        schema = self.classes.record(cls)
        variants = self.classes.variants.get(cls, [])
        if variants and all(self.kinds.get(v) == "model" for v in variants):
            out = [self._class(v, mode) for v in variants]  # an object with a oneOf (notes)
            if schema is not None and schema.discriminator is not None and mode == "output":
                out.append(API_MODEL)
            return union(out)
        if cls in self._stack or schema is None:
            return ANY  # recursive structural type: nothing better to say
        self._stack.append(cls)
        try:
            if self.classes.class_of(schema) != cls:  # an alias of another component
                return self.type_of(schema, mode)
            if schema.base is not None:
                return self.type_of(schema.base, mode)
            return self._structure(schema, mode)
        finally:
            self._stack.pop()

    def _structure(self, schema: SpecSchema, mode: Mode) -> TypeRef:
        parts: list[TypeRef] = []
        for members in (schema.one_of, schema.any_of):
            if members:
                variants = [self.type_of(s, mode) for s in members]
                if mode == "output" and self._open(schema):
                    variants.append(API_MODEL)  # a tag the spec does not list (notes)
                parts.append(union(variants))
        if len(schema.all_of) == 1:
            parts.append(self.type_of(schema.all_of[0], mode))
        elif schema.all_of:
            parts.append(self._dict(ANY, mode))
        if not parts:
            kinds = schema.types
            if len(kinds) > 1:
                parts.append(union([self._typed(schema, kind, mode) for kind in kinds]))
            else:
                parts.append(self._typed(schema, kinds[0] if kinds else None, mode))
        if schema.nullable:
            parts.append(NONE)
        return union(parts)

    def _open(self, schema: SpecSchema) -> bool:
        """A union of tagged variants: a ``discriminator``, or one its members imply."""
        return schema.discriminator is not None or schema.loc.pointer in self.classes.opened

    def _typed(self, schema: SpecSchema, kind: str | None, mode: Mode) -> TypeRef:
        if schema.const is not None and kind is None:
            kind = _CONST_TYPES.get(type(schema.const.value))
        if kind == "string" or (kind is None and _all_str(schema.enum)):
            return self._string(schema.format, mode)
        if kind in _PRIMITIVES:
            return _PRIMITIVES[kind]
        if kind == "array":
            item = self.type_of(schema.items, mode) if schema.items is not None else ANY
            return sequence_of(item) if mode == "input" else list_of(item)
        extra = schema.additional_properties
        if kind == "object" or schema.properties or extra is not None:
            typed = isinstance(extra, SpecSchema) and not extra.is_empty
            value = self.type_of(extra, mode) if isinstance(extra, SpecSchema) and typed else ANY
            return self._dict(value, mode)
        return ANY

    @staticmethod
    def _dict(value: TypeRef, mode: Mode) -> TypeRef:
        return mapping_of(value) if mode == "input" else dict_of(value)

    @staticmethod
    def _string(fmt: str | None, mode: Mode) -> TypeRef:
        if fmt in ("date-time", "date"):
            moment = named("datetime.datetime" if fmt == "date-time" else "datetime.date")
            return join(moment, STR) if mode == "input" else moment
        if fmt == "binary":
            return FILE if mode == "input" else BYTES
        return STR


def _all_str(values: object) -> bool:
    return isinstance(values, tuple) and bool(values) and all(isinstance(v, str) for v in values)
