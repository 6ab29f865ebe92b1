"""Schema preparation: give every schema that needs a class a name of ours.

Design notes
------------
datamodel-code-generator invents names (``Model1``, ``Response2``, ``Type3``) for
inline schemas. We never let it: before models are generated, :func:`prepare` copies
the bundled document and

1. renames every ``components/schemas`` key to a PascalCase class name (``$ref``\\ s
   rewritten), avoiding names the generated modules use themselves (``Field``, ``Any``...);
2. hoists every inline schema that needs a class (objects with properties, enums,
   ``allOf`` merges) into ``components/schemas``: request bodies become
   ``<Op>Request``, success bodies ``<Op>Response``, error bodies ``<Op>Error<status>``,
   parameter enums ``<Op><Param>``, nested properties ``<Owner><Prop>``, array items
   ``<Owner>Item`` — a schema ``title`` wins when it is free, and a titled schema
   written out again (inline twice, or a component's copy) is the same class
   (:attr:`Prepared.aliases`: pointer -> class, nested classes included); union
   members are named from what tells them apart (:mod:`codegen.ir.variants`), and so
   are the classes datamodel-code-generator makes of an object that also has a
   ``oneOf`` (:attr:`Prepared.variant_names`, applied by :mod:`codegen.ir.renames`);
   a union whose members carry a tag without a ``discriminator`` keyword gets the one
   they imply, once they are named (:mod:`codegen.ir.tagged`; :attr:`Prepared.opened`);
3. splits request and response shapes where ``readOnly`` / ``writeOnly`` make them
   differ (:mod:`codegen.ir.visibility`; :attr:`Prepared.request_shapes`);
4. moves nullability from components to the places that use them
   (:mod:`codegen.ir.nullable`).

Names are decided walking the document in sorted key order (components, parameters,
request bodies, responses, then operations by path and method; properties by name), so
reordering the spec's keys renames nothing; the hoisted classes are then listed in the
order the spec declares their schemas. Only the media type the client uses is named
(JSON, else a form): an XML twin of a JSON body gets no classes. A name that falls back
to a number (nothing in the spec tells the schema apart, or a name is taken) is a
warning naming the schema (:attr:`Prepared.warnings`): a ``title`` would name it.

What stays inline is structural (arrays, maps, unions, primitives) and typed by
:class:`codegen.ir.annotate.Annotator`. Enum member names are decided here too
(``x-enum-varnames`` first, else ``UPPER_SNAKE`` of the value; a value listed twice is
one member) and applied to the generated module by :mod:`codegen.ir.models`.

This module (with :mod:`codegen.ir.models`) works on the bundled *dict*, not on the
spec records: the result is the document datamodel-code-generator consumes. The rest
of the IR reads records and finds a record's class through :attr:`Prepared.renamed`
(component -> class) and :attr:`Prepared.origin` (class -> JSON pointer of the schema
it was made from), see :class:`codegen.ir.annotate.SchemaClasses`.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from codegen.ir.naming import (
    NameSet,
    is_identifier,
    operation_id,
    pascal_case,
    snake_case,
    upper_snake,
)
from codegen.ir.nullable import move_nullability, strip_null
from codegen.ir.tagged import tag_union
from codegen.ir.variants import member_names, union_members
from codegen.ir.visibility import split_visibility

__all__ = [
    "HTTP_METHODS",
    "REF_PREFIX",
    "Prepared",
    "is_json",
    "iter_operations",
    "prepare",
]

REF_PREFIX = "#/components/schemas/"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Names the generated modules (or datamodel-code-generator's imports) use themselves.
RESERVED_CLASS_NAMES = frozenset(
    """Any Annotated AnyUrl APIModel APIResponse AwareDatetime Awaitable Base64Str BaseModel
    Callable ClassVar ConfigDict Decimal Dict Enum EmailStr Field IntEnum List Literal Mapping
    NOT_GIVEN NotGiven Operation OpenEnum Optional Pagination RootModel Sequence StrEnum
    StreamSpec TYPE_CHECKING TypeError TypeVar UUID Union ValueError Exception""".split()
)

_KEEP_AT_USE_SITE = (
    "description",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
    "examples",
    "x-python-name",
    "x-send-default",
)


def is_json(media: str) -> bool:
    """True for a JSON media type (``application/json``, ``*/*+json``, ``*/*``)."""
    base = media.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def iter_operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    """(path, method, operation, JSON pointer) for every operation, in document order."""
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield path, method, op, "/paths/" + _escape(path) + "/" + method


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@dataclass
class Prepared:
    """The document handed to datamodel-code-generator, and what we decided for it."""

    document: dict[str, Any]
    renamed: dict[str, str] = field(default_factory=dict)  # original component -> class
    origin: dict[str, str] = field(default_factory=dict)  # class -> pointer in the spec
    enum_members: dict[str, dict[Any, str]] = field(
        default_factory=dict
    )  # class -> value -> member
    op_names: dict[str, str] = field(default_factory=dict)  # operation pointer -> Pascal op name
    # class -> the names of the classes datamodel-code-generator makes of its object
    # and each member of its union (codegen.ir.variants, "merged variants")
    variant_names: dict[str, list[str]] = field(default_factory=dict)
    request_shapes: dict[str, str] = field(default_factory=dict)  # class -> its request twin
    # pointers of the unions told apart without a discriminator keyword, opened
    # (codegen.ir.tagged: an implied discriminator, or which key is present)
    opened: set[str] = field(default_factory=set)
    # pointer of an inline schema identical to a titled one hoisted before -> that class
    aliases: dict[str, str] = field(default_factory=dict)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (pointer, message)


def prepare(
    doc: dict[str, Any],
    reserved: set[str] | frozenset[str] = frozenset(),
    *,
    ordered: bool = True,
) -> Prepared:
    """Copy ``doc`` and name every schema that needs a class (see the module notes).

    ``ordered=False`` leaves the hoisted classes in the order they were named (a walk in
    sorted key order) instead of the order the spec declares their schemas: the same
    classes, names and decisions, in another order, for about a third less time. For
    callers that never emit the classes in order (``codegen.diff``'s SDK surface); the
    compiler keeps the default, whose order the generated modules follow."""
    original = doc
    prep = Prepared(document={})
    hoister = _Hoister(original, prep, RESERVED_CLASS_NAMES | set(reserved))
    doc = prep.document  # the copy, components renamed
    hoister.hoist_all()
    if ordered:
        hoister.document_order(original)
    hoister.split_visibility()
    move_nullability(doc, hoister.schemas, hoister.nullable_hoisted)
    for name, schema in (doc.get("components", {}).get("schemas") or {}).items():
        _dedupe_enum(schema)
        members = _enum_members(schema)
        if members:
            prep.enum_members[name] = members
    return prep


def _dedupe_enum(schema: Any) -> None:
    """An enum listing a value twice (``['', '', 'a', 'a']``) lists it once, with the
    first ``x-enum-varnames`` entry given for it: one member per value."""
    if not isinstance(schema, dict) or not isinstance(schema.get("enum"), list):
        return
    values = schema["enum"]
    seen: set[tuple[str, Any]] = set()
    others: list[Any] = []  # unhashable values (objects, arrays): compared pairwise, rare
    keep = []
    for i, value in enumerate(values):
        try:
            key = ("bool" if isinstance(value, bool) else "", value)
            if key in seen:
                continue
            seen.add(key)
        except TypeError:
            if any(_same(value, other) for other in others):
                continue
            others.append(value)
        keep.append(i)
    if len(keep) == len(values):
        return
    schema["enum"] = [values[i] for i in keep]
    given = schema.get("x-enum-varnames")
    if isinstance(given, list):
        schema["x-enum-varnames"] = [given[i] for i in keep if i < len(given)]


def _same(a: Any, b: Any) -> bool:
    """JSON equality: ``1`` and ``True`` differ, ``1`` and ``1.0`` do not."""
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def _enum_members(schema: Any) -> dict[Any, str]:
    if not isinstance(schema, dict) or not isinstance(schema.get("enum"), list):
        return {}
    values = [v for v in schema["enum"] if v is not None]
    if not all(isinstance(v, str) for v in values):
        return {}
    given = schema.get("x-enum-varnames")
    names = NameSet()
    out: dict[Any, str] = {}
    for i, value in enumerate(values):
        wanted = given[i] if isinstance(given, list) and i < len(given) else None
        if not (isinstance(wanted, str) and is_identifier(wanted) and not wanted.startswith("_")):
            wanted = upper_snake(value)
        out[value] = names.take(wanted)
    return out


def needs_class(schema: Any) -> bool:
    """True when an inline schema would make datamodel-code-generator emit a class."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    if isinstance(schema.get("enum"), list) and any(v is not None for v in schema["enum"]):
        return True
    if schema.get("properties"):
        return True
    all_of = schema.get("allOf")
    if isinstance(all_of, list):
        return len(all_of) > 1 or any(isinstance(s, dict) and "$ref" not in s for s in all_of)
    return False


class _Hoister:
    def __init__(
        self,
        source: dict[str, Any],
        prep: Prepared,
        reserved: set[str] | frozenset[str],
        named: bool = True,
    ) -> None:
        """Copy ``source`` into ``prep.document`` with its components renamed
        (:meth:`rename_components`), ready to hoist; ``source`` is left as it was."""
        self.prep = prep
        self.names = NameSet(reserved)
        self.next_number: dict[str, int] = {}  # base -> where its numbered search resumes
        self.schemas: dict[str, Any] = {}
        self.doc = self.rename_components(source)
        prep.document = self.doc
        self.named = named  # walk in sorted order (naming); else in the document's
        self.nullable_hoisted: set[str] = set()
        self.titled: dict[str, tuple[str, str]] = {}  # titled schema -> (class, pointer)
        self.copies: list[tuple[str, str]] = []  # (pointer, pointer of the schema it repeats)

    # -- order ---------------------------------------------------------------
    def order(self, keys: Any) -> list[Any]:
        """Keys to walk: sorted when naming, as written when finding the document's order
        (YAML may give ``200:`` as a number: keys sort as text)."""
        return sorted(keys, key=str) if self.named else list(keys)

    def items(self, table: Any) -> list[tuple[str, Any]]:
        """``(key as text, value)`` of a mapping, in :meth:`order`."""
        return [(str(k), table[k]) for k in self.order(table)] if isinstance(table, dict) else []

    def document_order(self, original: dict[str, Any]) -> None:
        """List the hoisted classes in the order the spec declares their schemas (as a
        walk of the document in its own order hoists them), after the components."""
        walk = _Hoister(original, Prepared(document={}), frozenset(), named=False)
        walk.hoist_all()
        rank = {ptr: i for i, ptr in enumerate(walk.prep.origin.values())}
        for ptr, cls in walk.prep.aliases.items():  # the walk met this one second
            rank.setdefault(ptr, rank.get(walk.prep.origin.get(cls, ""), len(rank)))
        own = set(self.prep.renamed.values())
        hoisted = sorted(
            (n for n in self.schemas if n not in own),
            key=lambda n: rank.get(self.prep.origin.get(n, ""), len(rank)),
        )
        ordered = {n: s for n, s in self.schemas.items() if n in own}
        ordered.update((n, self.schemas[n]) for n in hoisted)
        self.schemas.clear()
        self.schemas.update(ordered)

    # -- names ---------------------------------------------------------------
    def allocate_first(self, candidates: list[str], ptr: str, fallback: str = "") -> str:
        """The first free candidate (PascalCase), else ``fallback``, else the last
        candidate numbered; either of those is a warning at ``ptr`` (a ``title`` names
        the schema)."""
        for wanted in [*candidates, fallback]:
            base = _pascal(wanted) if wanted else ""
            if base and base not in RESERVED_CLASS_NAMES and base not in self.names:
                self.names.take(base)
                if wanted == fallback:
                    message = (
                        "nothing tells this union member apart (no title, discriminator value"
                        f" or property of its own): class {base}; a title would name it"
                    )
                    self.prep.warnings.append((ptr, message))
                return base
        wanted = fallback or candidates[-1]
        name = self.allocate(wanted)
        if name.startswith(_pascal(wanted)) and name[len(_pascal(wanted)) :].isdigit():
            message = f"class name {_pascal(wanted)} is taken: this schema is {name}"
            self.prep.warnings.append((ptr, message + "; a title would name it"))
        return name

    def allocate(self, wanted: str) -> str:
        base = _pascal(wanted)
        if base in RESERVED_CLASS_NAMES:
            base += "Model"
        n = self.next_number.get(base, 1)  # names are never released: resume the search
        candidate = base if n == 1 else f"{base}{n}"
        while candidate in self.names:
            n += 1
            candidate = f"{base}{n}"
        self.next_number[base] = n
        self.names.take(candidate)
        return candidate

    def rename_components(self, source: dict[str, Any]) -> dict[str, Any]:
        """Name every ``components/schemas`` key and copy ``source`` with its ``$ref``\\ s
        rewritten to those names (one walk: the copy rewrites as it goes)."""
        components = source.get("components")
        found = components.get("schemas") if isinstance(components, dict) else None
        old = found if isinstance(found, dict) else {}
        # sorted, a key already spelled as its class first: names do not depend on order
        mapping = {key: "" for key in old}
        for key in sorted(old, key=lambda k: (_pascal(k) != k, k)):
            mapping[key] = self.allocate(key)
            if _pascal(key) + "Model" != mapping[key] != _pascal(key):
                where = "/components/schemas/" + _escape(key)
                message = f"another schema key is also class {_pascal(key)}: this one is"
                self.prep.warnings.append((where, f"{message} {mapping[key]}"))
        self.prep.renamed = mapping
        for key, name in mapping.items():
            self.prep.origin[name] = "/components/schemas/" + _escape(key)
        refs = {REF_PREFIX + k: REF_PREFIX + v for k, v in mapping.items() if k != v}
        doc: dict[str, Any] = _copy(source, refs)
        components = doc.setdefault("components", {})
        copied = components.setdefault("schemas", {}) or {}
        self.schemas.update((mapping[k], v) for k, v in copied.items())
        components["schemas"] = self.schemas
        return doc

    # -- request and response shapes --------------------------------------------
    def split_visibility(self) -> None:
        """``readOnly`` / ``writeOnly``: request twins (:mod:`codegen.ir.visibility`)."""

        def twin_name(name: str) -> str:
            ptr = self.prep.origin.get(name, "")
            return self.allocate_first([name + "Request", name + "Input", name + "Params"], ptr)

        twins = split_visibility(self.doc, self.schemas, twin_name)
        self.prep.request_shapes = twins
        made = set(twins.values())  # listed right after the class each one twins
        ordered = {}
        for name, schema in self.schemas.items():
            if name not in made:
                ordered[name] = schema
                if name in twins:
                    ordered[twins[name]] = self.schemas[twins[name]]
        self.schemas.clear()
        self.schemas.update(ordered)
        for name, twin in twins.items():  # a twin's merged variants: the same names
            ptr = self.prep.origin.get(name, "")
            self.prep.variant_names[twin] = [
                self.allocate_first([twin + v.removeprefix(name)], ptr, f"{twin}Variant{i + 1}")
                for i, v in enumerate(self.prep.variant_names.get(name, []))
            ]
        self.nullable_hoisted |= {twins[n] for n in self.nullable_hoisted if n in twins}

    # -- hoisting ------------------------------------------------------------
    def hoist_all(self) -> None:
        """Name in an order of our own (sorted keys), never the document's: reordering
        ``components/schemas`` or ``paths`` gives every schema the same name."""
        for name in self.order(self.schemas):  # an inline copy of a titled component is it
            title = (
                self.schemas[name].get("title") if isinstance(self.schemas[name], dict) else None
            )
            if isinstance(title, str) and title.strip():
                same = _canonical(self.schemas[name])
                self.titled.setdefault(same, (name, self.prep.origin.get(name, "")))
        for name in self.order(self.schemas):
            self.merged_variants(self.schemas[name], name, self.prep.origin.get(name, ""))
            self.visit(self.schemas[name], name, self.prep.origin.get(name, ""))
        components = self.doc.get("components", {})
        for key, param in self.items(components.get("parameters")):
            if isinstance(param, dict) and "schema" in param:
                ptr = f"/components/parameters/{_escape(key)}/schema"
                param["schema"] = self.hoist(param["schema"], _pascal(key), ptr)
        for key, body in self.items(components.get("requestBodies")):
            ptr = f"/components/requestBodies/{_escape(key)}"
            self.media(body, _pascal(key) + "Request", ptr)
        for key, resp in self.items(components.get("responses")):
            self.media(resp, _pascal(key) + "Response", f"/components/responses/{_escape(key)}")
        operations = list(iter_operations(self.doc))
        for path, method, op, ptr in (
            sorted(operations, key=_op_order) if self.named else operations
        ):
            self.operation(path, method, op, ptr)
        self.nested_aliases()

    def operation(self, path: str, method: str, op: dict[str, Any], ptr: str) -> None:
        name = _pascal_words(operation_id(op.get("operationId"), method, path))
        self.prep.op_names[ptr] = name
        for i, param in enumerate(op.get("parameters") or []):
            if isinstance(param, dict) and isinstance(param.get("schema"), dict):
                pname = name + _pascal_words(str(param.get("name", i)))
                param["schema"] = self.hoist(param["schema"], pname, f"{ptr}/parameters/{i}/schema")
        body = op.get("requestBody")
        if isinstance(body, dict):
            self.media(body, name + "Request", ptr + "/requestBody")
        responses = op.get("responses") or {}
        success = sorted(str(s) for s in responses if str(s).startswith("2"))
        for status, resp in self.items(responses):
            status = str(status)
            if status.startswith("2"):
                wanted = name + "Response" + ("" if status == success[0] else status)
            else:
                wanted = name + "Error" + (status.upper() if status[0].isdigit() else "Default")
            if isinstance(resp, dict):
                self.media(resp, wanted, f"{ptr}/responses/{status}")
        stream = op.get("x-stream")
        if isinstance(stream, dict) and isinstance(stream.get("item"), dict):
            stream["item"] = self.hoist(stream["item"], name + "StreamItem", ptr + "/x-stream/item")

    def media(self, holder: dict[str, Any], wanted: str, ptr: str) -> None:
        """Name the schema of the media type the client uses (the IR's choice: JSON,
        else a form); an XML twin of a JSON body gets no classes of its own."""
        content = holder.get("content")
        if not isinstance(content, dict):
            return
        typed = {
            str(k): m
            for k, m in content.items()
            if isinstance(m, dict) and isinstance(m.get("schema"), dict)
        }
        ranked = sorted(
            (k for k in typed if is_json(k)),
            key=lambda k: (k.split(";")[0].strip().lower() != "application/json", k),
        )
        forms = [k for k in _FORMS if k in typed]
        for media_type in ranked[:1] or forms[:1] or sorted(typed):
            media = typed[media_type]
            mptr = f"{ptr}/content/{_escape(media_type)}/schema"
            if is_json(media_type):
                media["schema"] = self.hoist(media["schema"], wanted, mptr)
            else:  # form bodies are flattened, never a class: only name what is nested
                self.visit(media["schema"], wanted, mptr)

    def hoist(
        self, schema: Any, wanted: str, ptr: str, names: list[str] | None = None, fallback: str = ""
    ) -> Any:
        """Move ``schema`` into components when it needs a class; return its use site.

        ``names``: the candidate names (first free wins, then ``fallback``), else its
        title or ``wanted``.
        """
        if not needs_class(schema):
            self.visit(schema, wanted, ptr)
            return schema
        use: dict[str, Any] = {k: schema[k] for k in _KEEP_AT_USE_SITE if k in schema}
        title = schema.get("title")
        same = _canonical(schema) if isinstance(title, str) and title.strip() else None
        if same is not None and same in self.titled:  # the same titled schema again
            cls, first = self.titled[same]
            self.alias(ptr, first, cls)
            use["$ref"] = REF_PREFIX + cls
            return use
        if names is None:
            names = [title, wanted] if isinstance(title, str) and title.strip() else [wanted]
        name = self.allocate_first(names, ptr, fallback)
        moved = dict(schema)
        for key in _USE_SITE_ONLY:
            moved.pop(key, None)
        if strip_null(moved):
            self.nullable_hoisted.add(name)
        self.schemas[name] = moved
        self.prep.origin[name] = ptr
        use["$ref"] = REF_PREFIX + name
        self.merged_variants(moved, name, ptr)
        self.visit(moved, name, ptr)
        if same is not None:
            self.titled[same] = (name, ptr)
        return use

    def alias(self, ptr: str, first: str, cls: str) -> None:
        """``ptr`` is the schema at ``first`` again: it is class ``cls``, and what it nests
        are the classes of what ``first`` nests (:meth:`nested_aliases`, once all are named)."""
        self.prep.aliases[ptr] = cls
        self.copies.append((ptr, first))

    def nested_aliases(self) -> None:
        known = {p: c for c, p in self.prep.origin.items()}
        grew = True
        while grew:  # a copy may nest a copy
            known.update(self.prep.aliases)
            before = len(self.prep.aliases)
            for ptr, first in self.copies:
                for pointer, name in list(known.items()):
                    if pointer.startswith(first + "/"):
                        self.prep.aliases.setdefault(ptr + pointer[len(first) :], name)
            grew = len(self.prep.aliases) > before

    def visit(self, schema: Any, owner: str, ptr: str) -> None:
        """Hoist what needs a class inside ``schema`` (named after ``owner``)."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return
        props = schema.get("properties")
        if isinstance(props, dict):
            for prop in self.order(props):
                sub_name = owner + _pascal_words(prop)
                props[prop] = self.hoist(props[prop], sub_name, f"{ptr}/properties/{_escape(prop)}")
        if isinstance(schema.get("items"), dict):
            schema["items"] = self.hoist(schema["items"], owner + "Item", ptr + "/items")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            schema["additionalProperties"] = self.hoist(
                extra, owner + "Value", ptr + "/additionalProperties"
            )
        self.members(schema, owner, ptr)
        if isinstance(schema.get("allOf"), list):
            for i, sub in enumerate(schema["allOf"]):
                self.visit(sub, owner, f"{ptr}/allOf/{i}")

    def members(self, schema: dict[str, Any], owner: str, ptr: str) -> None:
        """Name the union members that need a class from their context
        (:func:`codegen.ir.variants.member_names`); a member that needs none (a nested
        union, an array) has its own members named after the same owner."""
        places = [
            (key, i)
            for key in ("oneOf", "anyOf")
            if isinstance(schema.get(key), list)
            for i in range(len(schema[key]))
        ]
        classes = sum(needs_class(schema[key][i]) for key, i in places)
        for index, (key, i) in enumerate(places):
            sub, sub_ptr = schema[key][i], f"{ptr}/{key}/{i}"
            if not needs_class(sub):
                self.visit(sub, owner, sub_ptr)
                continue
            merged = (
                self.prep.variant_names.get(owner) if self.schemas.get(owner) is schema else None
            )
            if merged:  # the part of merged variant ``merged[index]`` this member adds
                title = sub.get("title")
                names = [title] if isinstance(title, str) and title.strip() else []
                names.append(merged[index] + "Base")
            else:
                names = member_names(owner, schema, index, self.resolve, sole=classes == 1)
            last = f"{owner}Variant{index + 1}"
            schema[key][i] = self.hoist(sub, owner, sub_ptr, names, last)
        if places and tag_union(schema, self.resolve):  # members are classes now
            self.prep.opened.add(ptr)

    def merged_variants(self, schema: Any, name: str, ptr: str) -> None:
        """Names for the classes datamodel-code-generator makes of an object that also
        has a union (one per member, ``<Owner>1``...; :mod:`codegen.ir.variants`)."""
        if not (isinstance(schema, dict) and schema.get("properties") and union_members(schema)):
            return
        names = []
        for index in range(len(union_members(schema))):
            candidates = member_names(name, schema, index, self.resolve, merged=True)
            names.append(self.allocate_first(candidates, ptr, f"{name}Variant{index + 1}"))
        self.prep.variant_names[name] = names

    def resolve(self, ref: str) -> Any:
        """The component a ``$ref`` names (renamed or not yet), None for anything else."""
        if not ref.startswith(REF_PREFIX):
            return None
        key = ref[len(REF_PREFIX) :]
        return self.schemas.get(self.prep.renamed.get(key, key))


_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _canonical(schema: dict[str, Any]) -> str:
    """Text equal for schemas of one type: what a use site adds and what only documents
    (``description``, ``example``) left out, at the top (the class keeps the first's)."""
    kept = {k: v for k, v in schema.items() if k not in _USE_SITE_ONLY and k not in _DOCS}
    return json.dumps(kept, sort_keys=True, default=str)


_DOCS = ("description", "example", "examples")


_USE_SITE_ONLY = ("readOnly", "writeOnly", "default", "x-python-name", "x-send-default")


@functools.lru_cache(maxsize=8192)
def _pascal(text: str) -> str:
    """:func:`codegen.ir.naming.pascal_case`, remembered: the same keys recur all over a
    spec (a property name in every schema that has it)."""
    return pascal_case(text)


@functools.lru_cache(maxsize=8192)
def _pascal_words(text: str) -> str:
    """``pascal_case(snake_case(text))``, remembered (a property or operation name as the
    part of a class name)."""
    return pascal_case(snake_case(text))


def _copy(node: Any, refs: dict[str, str] | None = None) -> Any:
    """A deep copy of a bundled document: what :func:`copy.deepcopy` gives (an object
    reached twice, as YAML aliases make, is copied once and shared; anything but dicts,
    lists and scalars goes to ``deepcopy``), in a third of its time; with every
    ``$ref`` found in ``refs`` replaced by its value."""
    return _copy_of(node, {}, refs or {})


def _copy_of(item: Any, memo: dict[int, Any], refs: dict[str, str]) -> Any:
    # A function of the module, not a closure: a closure calling itself is a reference
    # cycle, which would keep ``memo`` (the whole copy) for the garbage collector.
    kind = type(item)
    if kind is not dict and kind is not list:
        return item if kind in _SCALARS else copy.deepcopy(item)
    done = memo.get(id(item))
    if done is not None:
        return done
    if kind is dict:
        table: dict[Any, Any] = {}
        memo[id(item)] = table
        for key, value in item.items():
            table[key] = value if type(value) in _SCALARS else _copy_of(value, memo, refs)
        ref = table.get("$ref")
        if isinstance(ref, str) and ref in refs:
            table["$ref"] = refs[ref]
        return table
    values: list[Any] = []
    memo[id(item)] = values
    values.extend(v if type(v) in _SCALARS else _copy_of(v, memo, refs) for v in item)
    return values


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _op_order(op: tuple[str, str, dict[str, Any], str]) -> tuple[str, int]:
    return op[0], HTTP_METHODS.index(op[1])
