"""``models.py`` of a generated package: datamodel-code-generator, run in-process.

Design notes
------------
* One ``datamodel_code_generator.generate`` call per API on the prepared document
  (:mod:`codegen.ir.schemas` already named every class), scope ``schemas`` only, one file;
  for a large API it is made in a forked child (:mod:`codegen.ir.modelsaside`) and only
  its text comes back, the post-processing below runs here.
* Every model derives from ``clientcore.APIModel`` (extra allowed, populate by name);
  models with ``x-links`` derive from their ``_links.<Name>Links`` mixin instead, page
  models (:mod:`codegen.ir.pages`) from their ``_pages.<Name>Page`` base (a
  ``clientcore.PageModel``; a linked page model's mixin derives from it), all through
  ``base_class_map`` and all ``APIModel`` subclasses.
* Lenient response parsing: string formats that pydantic would validate strictly
  (``email`` needs an extra package, ``uri``, ``uuid``) stay ``str``; ``date-time`` is a
  plain ``datetime`` (naive values are accepted).
* Enums are post-processed with :mod:`ast` positions, not regexes: ``(str, Enum)``
  becomes ``clientcore.OpenEnum`` and members get the names chosen in
  :func:`codegen.ir.schemas.prepare` (``x-enum-varnames`` wins), references such as
  ``Status.pending`` in defaults included. datamodel-code-generator's own member naming
  (snake-cased by ``--snake-case-field``) is therefore irrelevant.
* ``x-python-name`` on a schema property renames the attribute after the fact
  (:func:`rename_fields`; datamodel-code-generator's own ``aliases`` option loses to
  ``--snake-case-field`` when the wanted name is the wire name, as in scaleapi's
  ``StudioProjectGroup.numWorkers``); the wire name stays the pydantic alias.
* Discriminated unions are opened (:func:`open_unions`): datamodel-code-generator writes
  ``Annotated[A | B, Field(discriminator="type")]`` (or the keyword among others, as
  ``Field(description=..., discriminator="type")``), which rejects a tag the spec does not
  list. A server may add a variant at any time, so the union becomes
  ``A | B | APIModel`` in smart mode: the declared variant still wins for a known tag
  (its ``Literal`` tag fails the others), an unknown one parses as a plain ``APIModel``
  keeping every field.
* A discriminated union written inside another union (``anyOf: [string, {oneOf: [...],
  discriminator: ...}]``, an id or the expanded object; also a ``$ref`` to such a
  union) is flattened by datamodel-code-generator into ``str | A | B``, the
  discriminator dropped, so :func:`open_unions` never sees it.
  :func:`open_flattened_unions` finds, from the prepared document, the discriminated
  unions each property's schema reaches (through ``$ref``\\ s to components that got no
  class, ``anyOf``/``oneOf``/``allOf``, array items and map values) and appends
  ``APIModel`` to every union of that field's annotation listing all of one's
  variants: ``str | A | B | APIModel``. Smart mode still parses a string as ``str``
  and a known tag as its class.
* ``Model.model_rebuild()`` calls are dropped (:func:`drop_rebuilds`): pydantic
  completes such models on first use, and import time matters more.
* Classes datamodel-code-generator names itself (the per-member classes of an object
  that also has a ``oneOf``) get the names ``prepare`` chose for them
  (:mod:`codegen.ir.renames`) before anything else reads the module.
* Characters that do not print (NUL, CR, U+2028...) in datamodel-code-generator's
  output, which can only sit in string literals, are escaped first
  (:mod:`codegen.ir.escapes`): the edits below work by line numbers.
* A field an ``allOf`` subclass redeclares with a type mypy rejects as an override is
  narrowed to enum members or its class flattened (:mod:`codegen.ir.overrides`).
* ``x-python-type: tensor.DecthingsTensor`` (a schema whose values are a hand-written
  type) becomes datamodel-code-generator's ``customTypePath``
  (``<package>._custom.tensor.DecthingsTensor``) on the prepared copy
  (:func:`custom_type_paths`): the schema gets no class, its uses are annotated with
  the type, imported ``from ._custom.tensor import DecthingsTensor`` (one package
  level deeper once split into ``models/``); the type validates itself
  (``__get_pydantic_core_schema__``, docs/extensions.md).
* The result is read once more to learn which classes exist, their kind and their
  field names (wire -> Python), which the annotation builder and ``x-links`` need.
* Parsing is the cost of these steps (about a second for Plaid's 2 MB module), so a
  step given the text the previous one parsed reuses its tree
  (:func:`codegen.ir.trees.parse_module`), ``drop_rebuilds`` runs in ``fix_enums``'
  pass, and a step with nothing to find (no ``discriminator``, no ``model_rebuild``)
  returns before parsing: Plaid's module is parsed twice (before and after the enum
  edits) instead of eight times, the last tree serving :mod:`codegen.render.modelsplit`.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from codegen.ir.escapes import escape_nonprintable
from codegen.ir.modelsaside import generate_aside
from codegen.ir.overrides import fix_overrides
from codegen.ir.renames import rename_classes, variant_renames
from codegen.ir.schemas import Prepared
from codegen.ir.tagged import OPEN_MARK
from codegen.ir.trees import parse_module

__all__ = [
    "ClassInfo",
    "ModelsError",
    "ModelsResult",
    "custom_type_paths",
    "drop_rebuilds",
    "fix_enums",
    "open_flattened_unions",
    "open_unions",
    "tagged_variants",
    "property_aliases",
    "rename_fields",
    "generate_models",
    "inspect",
]

_TYPE_MAPPINGS = [
    "email=string",
    "idn-email=string",
    "uri=string",
    "uri-reference=string",
    "iri=string",
    "uuid=string",
    "byte=string",
    "hostname=string",
    "ipv4=string",
    "ipv6=string",
]


class ModelsError(Exception):
    """datamodel-code-generator failed, or its output lacks a class we need."""


@dataclass
class ClassInfo:
    """What a generated class is: kind ``model``, ``root``, ``enum``, ``int_enum``."""

    name: str
    kind: str
    doc: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # wire name -> python name
    annotations: dict[str, str] = field(default_factory=dict)  # python name -> annotation
    members: dict[Any, str] = field(default_factory=dict)  # enums: value -> member name

    @property
    def wire_names(self) -> dict[str, str]:
        """python name -> wire name."""
        return {python: wire for wire, python in self.fields.items()}


@dataclass
class ModelsResult:
    source: str
    classes: dict[str, ClassInfo]

    def kinds(self) -> dict[str, str]:
        """class name -> kind, for :class:`codegen.ir.annotate.Annotator`."""
        return {name: info.kind for name, info in self.classes.items()}


def generate_models(
    prepared: Prepared, *, header: str, package: str, base_classes: dict[str, str]
) -> ModelsResult:
    """Run datamodel-code-generator and post-process its output (see module notes)."""
    schemas = prepared.document.get("components", {}).get("schemas") or {}
    if not schemas:
        source = f"{header}\n\nfrom __future__ import annotations\n"
        return ModelsResult(source, {})
    custom_type_paths(prepared.document, package)
    run = lambda: _run_dmcg(prepared.document, header, package, base_classes)  # noqa: E731
    source = escape_nonprintable(generate_aside(run, schemas=len(schemas)))
    for module in ("_links", "_pages"):
        source = source.replace(f"from {package}.{module} import", f"from .{module} import")
    source = source.replace(f"from {package}._custom.", "from ._custom.")
    renames = variant_renames(source, prepared.variant_names, prepared.document)
    source = rename_classes(source, renames)
    source = _fix_enums(source, prepared.enum_members, drop=True)
    source = open_flattened_unions(open_unions(source), prepared.document)
    source = rename_fields(source, property_aliases(prepared.document))
    source = fix_overrides(source)
    return ModelsResult(source, inspect(source))


_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions")
_SUBSCHEMA_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")
_SUBSCHEMA_ONE = ("items", "additionalProperties", "not")


def custom_type_paths(document: dict[str, Any], package: str) -> int:
    """Give every schema of ``components/schemas`` (at any depth) carrying
    ``x-python-type: module.Name`` the ``customTypePath`` ``<package>._custom.module.Name``;
    the prepared copy is changed in place. Returns how many schemas got one."""
    count = 0
    todo: list[Any] = list((document.get("components", {}).get("schemas") or {}).values())
    while todo:
        schema = todo.pop()
        if not isinstance(schema, dict):
            continue
        ref = schema.get("x-python-type")
        if isinstance(ref, str):
            schema["customTypePath"] = f"{package}._custom.{ref}"
            count += 1
        for key in _SUBSCHEMA_MAPS:
            value = schema.get(key)
            if isinstance(value, dict):
                todo.extend(value.values())
        for key in _SUBSCHEMA_LISTS:
            value = schema.get(key)
            if isinstance(value, list):
                todo.extend(value)
        todo.extend(schema.get(key) for key in _SUBSCHEMA_ONE)
    return count


def property_aliases(document: dict[str, Any]) -> dict[str, str]:
    """``{"Schema.wireName": "python_name"}`` from ``x-python-name`` on properties."""
    out: dict[str, str] = {}
    schemas = document.get("components", {}).get("schemas") or {}
    for name, schema in schemas.items():
        if not isinstance(schema, dict):
            continue
        parts = [schema, *[p for p in schema.get("allOf") or [] if isinstance(p, dict)]]
        for part in parts:
            for wire, prop in (part.get("properties") or {}).items():
                if isinstance(prop, dict) and isinstance(prop.get("x-python-name"), str):
                    out[f"{name}.{wire}"] = prop["x-python-name"]
    return dict(sorted(out.items()))


def rename_fields(source: str, renames: dict[str, str]) -> str:
    """Rename attributes: ``{"Class.wireName": "python_name"}``, matched by alias or name."""
    if not renames:
        return source
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, int, str]] = []
    for cls in parse_module(source).body:
        if not isinstance(cls, ast.ClassDef):
            continue
        for stmt in cls.body:
            if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
                continue
            wire = _alias(stmt) or stmt.target.id
            new = renames.get(f"{cls.name}.{wire}")
            if new and new != stmt.target.id:
                target = stmt.target
                edits.append(
                    (target.lineno - 1, target.col_offset, target.end_col_offset or 0, new)
                )
    for index, start, end, text in sorted(edits, reverse=True):
        lines[index] = lines[index][:start] + text + lines[index][end:]
    return "".join(lines)


_DISCRIMINATOR = re.compile(r",(\s*)Field\(discriminator=['\"][^'\"]+['\"]\)")


def open_unions(source: str) -> str:
    """``Annotated[A | B, Field(discriminator=...)]`` -> ``A | B | APIModel`` (notes);
    a root model so opened says so in its base too: ``RootModel[A | B | APIModel]``."""
    opened = _open_discriminator_keywords(
        _DISCRIMINATOR.sub(r' | APIModel,\1Field(union_mode="smart")', source)
    )
    return opened if opened == source else _open_root_bases(opened)


_SMART = 'union_mode="smart"'


def _open_discriminator_keywords(source: str) -> str:
    """The same for a ``Field`` whose ``discriminator`` sits among other arguments
    (``Field(description=..., discriminator="type")``, which the pattern above leaves):
    the keyword becomes ``union_mode="smart"``, and the union gets ``APIModel`` unless it
    has it already."""
    # (line index, byte column, end line index, end byte column, text)
    if "discriminator" not in source:
        return source
    edits: list[tuple[int, int, int, int, str]] = []
    for node in ast.walk(parse_module(source)):
        if not (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Annotated"
            and isinstance(node.slice, ast.Tuple)
            and len(node.slice.elts) > 1
        ):
            continue
        union, *extras = node.slice.elts
        for call in extras:
            if not (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "Field"
            ):
                continue
            for kw in call.keywords:
                if kw.arg != "discriminator" or kw.end_lineno is None:
                    continue
                end_line, end_col = kw.end_lineno - 1, kw.end_col_offset or 0
                edits.append((kw.lineno - 1, kw.col_offset, end_line, end_col, _SMART))
                if not _names(union, _FALLBACK):
                    line, col = _end(union)
                    edits.append((line - 1, col, line - 1, col, f" | {_FALLBACK}"))
    if not edits:
        return source
    lines = [line.encode() for line in source.splitlines(keepends=True)]
    for index, start, end_index, end, text in sorted(edits, reverse=True):
        lines[index] = lines[index][:start] + text.encode() + lines[end_index][end:]
        for gone in range(index + 1, end_index + 1):
            lines[gone] = b""
    return b"".join(lines).decode()


def _open_root_bases(source: str) -> str:
    inserts: list[tuple[int, int]] = []  # (line index, byte column) of ``| APIModel``
    for cls in parse_module(source).body:
        if not isinstance(cls, ast.ClassDef):
            continue
        base = next((b for b in cls.bases if _is_root_model(b)), None)
        root = next(
            (
                s.annotation
                for s in cls.body
                if isinstance(s, ast.AnnAssign)
                and isinstance(s.target, ast.Name)
                and s.target.id == "root"
            ),
            None,
        )
        if not isinstance(base, ast.Subscript) or root is None or base.slice.end_lineno is None:
            continue
        if _names(root, _FALLBACK) and not _names(base.slice, _FALLBACK):
            inserts.append((base.slice.end_lineno - 1, base.slice.end_col_offset or 0))
    if not inserts:
        return source
    lines = [line.encode() for line in source.splitlines(keepends=True)]
    for index, col in sorted(inserts, reverse=True):
        lines[index] = lines[index][:col] + f" | {_FALLBACK}".encode() + lines[index][col:]
    return b"".join(lines).decode()


def _is_root_model(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "RootModel"
    )


def _names(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


_REF = "#/components/schemas/"
_FALLBACK = "APIModel"


def tagged_variants(document: dict[str, Any], classes: set[str]) -> dict[str, list[set[str]]]:
    """``{"Class.wireName": [variant classes of each discriminated union]}``: the
    discriminated unions each property's schema reaches (module notes); ``root`` for a
    root model's own schema. ``classes``: the classes the models module defines (a
    ``$ref`` to one of them is that class, never looked into)."""
    schemas = document.get("components", {}).get("schemas") or {}
    out: dict[str, list[set[str]]] = {}
    for name, schema in schemas.items():
        if name not in classes or not isinstance(schema, dict):
            continue
        places = [("root", schema)]
        for part in [schema, *[p for p in schema.get("allOf") or [] if isinstance(p, dict)]]:
            props = part.get("properties")
            if isinstance(props, dict):
                places.extend(props.items())
        for wire, prop in places:
            found = _Reach(schemas, classes).unions(prop)
            if found:
                out.setdefault(f"{name}.{wire}", []).extend(found)
    return out


class _Reach:
    """The discriminated unions a schema reaches, as sets of variant class names."""

    def __init__(self, schemas: dict[str, Any], classes: set[str]) -> None:
        self.schemas = schemas
        self.classes = classes
        self.seen: set[str] = set()
        self.found: list[set[str]] = []

    def unions(self, schema: Any) -> list[set[str]]:
        self._walk(schema)
        return self.found

    def _component(self, schema: dict[str, Any]) -> str | None:
        ref = schema.get("$ref")
        return ref[len(_REF) :] if isinstance(ref, str) and ref.startswith(_REF) else None

    def _walk(self, schema: Any) -> None:
        if not isinstance(schema, dict):
            return
        name = self._component(schema)
        if name is not None:
            if name not in self.classes and name not in self.seen:
                self.seen.add(name)
                self._walk(self.schemas.get(name))
            return
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if not isinstance(members, list):
                continue
            if "discriminator" in schema or schema.get(OPEN_MARK):
                variants: set[str] = set()
                for member in members:
                    variants |= self._variants(member, set())
                if variants:
                    self.found.append(variants)
            for member in members:
                self._walk(member)
        for sub in schema.get("allOf") or []:
            self._walk(sub)
        for key in ("items", "additionalProperties"):
            self._walk(schema.get(key))

    def _variants(self, schema: Any, seen: set[str]) -> set[str]:
        """The classes a union member is (an alias or a union of classes: all of them)."""
        if not isinstance(schema, dict):
            return set()
        name = self._component(schema)
        if name is not None:
            if name in self.classes:
                return {name}
            if name in seen:
                return set()
            return self._variants(self.schemas.get(name), seen | {name})
        out: set[str] = set()
        for key in ("oneOf", "anyOf", "allOf"):
            for member in schema.get(key) or []:
                out |= self._variants(member, seen)
        return out


def open_flattened_unions(source: str, document: dict[str, Any]) -> str:
    """``str | A | B`` -> ``str | A | B | APIModel`` where the spec's union of ``A`` and
    ``B`` is discriminated but was written inside another union (module notes)."""
    tree = parse_module(source)
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    reached = tagged_variants(document, classes)
    if not reached:
        return source
    inserts: list[tuple[int, int, str]] = []  # (line index, byte column, text)
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef):
            continue
        for stmt in cls.body:
            if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
                continue
            wanted = reached.get(f"{cls.name}.{_alias(stmt) or stmt.target.id}")
            if not wanted:
                continue
            for members, end, text in _unions(stmt.annotation):
                names = {n for n in map(_member_name, members) if n is not None}
                if _FALLBACK not in names and any(v <= names for v in wanted):
                    inserts.append((end[0] - 1, end[1], text))
    if not inserts:
        return source
    lines = [line.encode() for line in source.splitlines(keepends=True)]
    for index, col, text in sorted(inserts, reverse=True):
        lines[index] = lines[index][:col] + text.encode() + lines[index][col:]
    return _open_root_bases(b"".join(lines).decode())


def _unions(annotation: ast.expr) -> list[tuple[list[ast.expr], tuple[int, int], str]]:
    """Every union in ``annotation``: its members, where it ends (line, byte column) and
    how a member is appended there. A union written as a member of another
    (``Union[A, B] | APIModel``, as :func:`open_unions` leaves a forward-referencing one)
    is part of it, not a union of its own."""
    found: list[tuple[list[ast.expr], tuple[int, int], str]] = []
    inside: set[int] = set()  # unions that are members of an enclosing one
    for node in ast.walk(annotation):  # breadth first: a union before its members
        members = _union_members(node)
        if members is None or id(node) in inside:
            continue
        inside.update(_spine(node))
        flat: list[ast.expr] = []
        todo = list(members)
        while todo:
            member = todo.pop(0)
            nested = _union_members(member)
            if nested is None:
                flat.append(member)
            else:
                inside.update(_spine(member))
                todo[:0] = nested
        if isinstance(node, ast.BinOp):
            found.append((flat, _end(node), f" | {_FALLBACK}"))
        else:
            found.append((flat, _end(members[-1]), f", {_FALLBACK}"))
    return found


def _spine(node: ast.AST) -> set[int]:
    """A union's own nodes: itself, and the ``|`` nodes of a chain (``A | B | C`` is
    ``(A | B) | C``)."""
    out = {id(node)}
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        out.add(id(node))
        node = node.left
    return out


def _union_members(node: ast.AST) -> list[ast.expr] | None:
    """The members of ``A | B | C`` or ``Union[A, B, C]``; None for anything else."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        out: list[ast.expr] = []
        chain: ast.expr = node
        while isinstance(chain, ast.BinOp) and isinstance(chain.op, ast.BitOr):
            out.insert(0, chain.right)
            chain = chain.left
        return [chain, *out]
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Union"
        and isinstance(node.slice, ast.Tuple)
        and node.slice.elts
    ):
        return list(node.slice.elts)
    return None


def _end(node: ast.expr) -> tuple[int, int]:
    return node.end_lineno or node.lineno, node.end_col_offset or 0


def _member_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value  # a forward reference: Union["A", "B"]
    return None


def drop_rebuilds(source: str) -> str:
    """Remove top-level ``Model.model_rebuild()`` calls.

    pydantic completes a model with forward references on its first use anyway; the
    eager calls build most of the schema graph at import (about 40% of the Scale
    package's import time) for models a program may never touch.
    """
    if "model_rebuild" not in source:
        return source
    drop = _rebuild_lines(parse_module(source))
    if not drop:
        return source
    lines = source.splitlines(keepends=True)
    return "".join(line for i, line in enumerate(lines, 1) if i not in drop)


def _rebuild_lines(tree: ast.Module) -> set[int]:
    """The line numbers (from 1) of the top-level ``Model.model_rebuild()`` calls."""
    drop: set[int] = set()
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "model_rebuild"
            and not call.args
            and not call.keywords
        ):
            drop.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return drop


def _run_dmcg(
    document: dict[str, Any], header: str, package: str, base_classes: dict[str, str]
) -> str:
    import datamodel_code_generator as dmcg
    from datamodel_code_generator.enums import (
        DataModelType,
        DefaultValueType,
        InputFileType,
        OpenAPIScope,
    )
    from datamodel_code_generator.format import DatetimeClassType, Formatter, PythonVersion

    options: dict[str, Any] = dict(
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_310,
        base_class="clientcore.APIModel",
        base_class_map={name: f"{package}.{base}" for name, base in base_classes.items()},
        openapi_scopes=[OpenAPIScope.Schemas],
        disable_timestamp=True,
        snake_case_field=True,
        use_annotated=True,
        field_constraints=True,
        use_standard_collections=True,
        use_union_operator=True,
        collapse_root_models=True,
        use_schema_description=True,
        use_subclass_enum=True,
        deserialize_default_values=[DefaultValueType.Enum],
        output_datetime_class=DatetimeClassType.Datetime,
        type_mappings=_TYPE_MAPPINGS,
        formatters=[Formatter.BUILTIN],
        treat_dot_as_module=False,
        custom_file_header=header,
        disable_future_imports=True,
    )

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = dmcg.generate(document, **options)
    except Exception as exc:  # dmcg raises many types; the message is what matters
        raise ModelsError(f"datamodel-code-generator failed: {exc}") from exc
    if not isinstance(out, str):
        raise ModelsError("datamodel-code-generator did not return a single module")
    return out


def _base_names(node: ast.ClassDef) -> list[str]:
    names = []
    for base in node.bases:
        target = base.value if isinstance(base, ast.Subscript) else base
        if isinstance(target, ast.Name):
            names.append(target.id)
        elif isinstance(target, ast.Attribute):
            names.append(target.attr)
    return names


def _member_value(stmt: ast.stmt) -> tuple[str, Any] | None:
    if (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Constant)
    ):
        return stmt.targets[0].id, stmt.value.value
    return None


def fix_enums(source: str, enum_members: dict[str, dict[Any, str]]) -> str:
    """String enums -> ``OpenEnum`` with our member names (see module notes)."""
    return _fix_enums(source, enum_members, drop=False)


def _fix_enums(source: str, enum_members: dict[str, dict[Any, str]], *, drop: bool) -> str:
    """:func:`fix_enums`, and with ``drop`` :func:`drop_rebuilds` too, from one parse
    (the rebuild calls are whole top-level lines, no enum edit touches them)."""
    tree = parse_module(source)
    lines = source.splitlines(keepends=True)
    # (line index, start col, end line index, end col, text): the bases of a class with a
    # long name are split over lines by datamodel-code-generator's formatter
    edits: list[tuple[int, int, int, int, str]] = []
    renames: dict[str, dict[str, str]] = {}
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef) or _base_names(cls) != ["str", "Enum"]:
            continue
        first, last = cls.bases[0], cls.bases[-1]
        end_line = (last.end_lineno or first.lineno) - 1
        edits.append(
            (first.lineno - 1, first.col_offset, end_line, last.end_col_offset or 0, "OpenEnum")
        )
        wanted = enum_members.get(cls.name, {})
        for stmt in cls.body:
            member = _member_value(stmt)
            if member is None or member[1] not in wanted or wanted[member[1]] == member[0]:
                continue
            assert isinstance(stmt, ast.Assign)
            target = stmt.targets[0]
            new = wanted[member[1]]
            index = target.lineno - 1
            edits.append((index, target.col_offset, index, target.end_col_offset or 0, new))
            renames.setdefault(cls.name, {})[member[0]] = new
    for node in ast.walk(tree) if renames else ():
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.attr in renames.get(node.value.id, {})
            and node.end_lineno is not None
            and node.end_col_offset is not None
        ):
            start = node.end_col_offset - len(node.attr)
            new = renames[node.value.id][node.attr]
            index = node.end_lineno - 1
            edits.append((index, start, index, node.end_col_offset, new))
    dropped = _rebuild_lines(tree) if drop and "model_rebuild" in source else set()
    if not edits and not dropped:
        return source
    for index, start, end_index, end, text in sorted(edits, reverse=True):
        lines[index] = lines[index][:start] + text + lines[end_index][end:]
        for gone in range(index + 1, end_index + 1):
            lines[gone] = ""
    for number in dropped:
        lines[number - 1] = ""
    out = "".join(lines)
    return _add_import(out, "from clientcore import OpenEnum") if edits else out


def _add_import(source: str, statement: str) -> str:
    """Insert an import after ``from __future__`` (ruff sorts it later)."""
    marker = "from __future__ import annotations\n"
    if statement in source:
        return source
    if marker in source:
        return source.replace(marker, marker + "\n" + statement + "\n", 1)
    return statement + "\n" + source


_ENUM_BASES = {"OpenEnum": "enum", "IntEnum": "int_enum", "Enum": "enum_other", "StrEnum": "enum"}


def inspect(source: str) -> dict[str, ClassInfo]:
    """Every top-level class of a models module: kind, docstring, fields, members."""
    out: dict[str, ClassInfo] = {}
    aliased = _lines_with(source, "alias")
    for node in parse_module(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = _base_names(node)
        kind = "model"
        if "RootModel" in bases:
            kind = "root"
        elif bases and bases[-1] in _ENUM_BASES:
            kind = "int_enum" if "int" in bases else _ENUM_BASES[bases[-1]]
            if kind == "enum_other" and "str" in bases:
                kind = "enum"
        elif bases and bases[0] in out and out[bases[0]].kind != "model":
            kind = out[bases[0]].kind
        info = ClassInfo(node.name, kind, ast.get_docstring(node) or "")
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name = stmt.target.id
                if name == "model_config":
                    continue
                end = stmt.end_lineno or stmt.lineno
                alias = _alias(stmt) if aliased[end] > aliased[stmt.lineno - 1] else None
                info.fields[alias or name] = name
                info.annotations[name] = _annotation_text(stmt.annotation)
            elif (member := _member_value(stmt)) is not None and kind != "model":
                info.members[member[1]] = member[0]
        if kind == "model":  # inherited fields (allOf bases)
            for base in bases:
                if base in out:
                    info.fields = {**out[base].fields, **info.fields}
                    info.annotations = {**out[base].annotations, **info.annotations}
        out[node.name] = info
    return out


def _lines_with(source: str, word: str) -> list[int]:
    """``counts[n]``: how many of the first ``n`` lines hold ``word`` (a statement whose
    lines hold no ``alias`` has no ``alias=`` keyword: no need to walk its tree)."""
    counts = [0]
    for line in source.split("\n"):
        counts.append(counts[-1] + (word in line))
    return counts


def _annotation_text(node: ast.expr) -> str:
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        if node.value.id == "Annotated" and isinstance(node.slice, ast.Tuple):
            return ast.unparse(node.slice.elts[0])
    return ast.unparse(node)


def _alias(stmt: ast.AnnAssign) -> str | None:
    for sub in ast.walk(stmt):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "Field":
            for kw in sub.keywords:
                if kw.arg == "alias" and isinstance(kw.value, ast.Constant):
                    return str(kw.value.value)
    return None
