"""``models.py`` of a generated package: datamodel-code-generator, run in-process.

Design notes
------------
* One ``datamodel_code_generator.generate`` call per API on the prepared document
  (:mod:`codegen.ir.schemas` already named every class), scope ``schemas`` only, one file.
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
  ``Annotated[A | B, Field(discriminator="type")]``, which rejects a tag the spec does not
  list. A server may add a variant at any time, so the union becomes
  ``A | B | APIModel`` in smart mode: the declared variant still wins for a known tag
  (its ``Literal`` tag fails the others), an unknown one parses as a plain ``APIModel``
  keeping every field.
* ``Model.model_rebuild()`` calls are dropped (:func:`drop_rebuilds`): pydantic
  completes such models on first use, and import time matters more.
* The result is parsed once more to learn which classes exist, their kind and their
  field names (wire -> Python), which the annotation builder and ``x-links`` need.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from codegen.ir.schemas import Prepared

__all__ = [
    "ClassInfo",
    "ModelsError",
    "ModelsResult",
    "drop_rebuilds",
    "fix_enums",
    "open_unions",
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
    source = _run_dmcg(prepared.document, header, package, base_classes)
    for module in ("_links", "_pages"):
        source = source.replace(f"from {package}.{module} import", f"from .{module} import")
    source = fix_enums(source, prepared.enum_members)
    source = rename_fields(source, property_aliases(prepared.document))
    source = drop_rebuilds(open_unions(source))
    return ModelsResult(source, inspect(source))


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
    for cls in ast.parse(source).body:
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
    """``Annotated[A | B, Field(discriminator=...)]`` -> ``A | B | APIModel`` (notes)."""
    return _DISCRIMINATOR.sub(r' | APIModel,\1Field(union_mode="smart")', source)


def drop_rebuilds(source: str) -> str:
    """Remove top-level ``Model.model_rebuild()`` calls.

    pydantic completes a model with forward references on its first use anyway; the
    eager calls build most of the schema graph at import (about 40% of the Scale
    package's import time) for models a program may never touch.
    """
    drop: set[int] = set()
    for node in ast.parse(source).body:
        call = node.value if isinstance(node, ast.Expr) else None
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "model_rebuild"
            and not call.args
            and not call.keywords
        ):
            drop.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    if not drop:
        return source
    lines = source.splitlines(keepends=True)
    return "".join(line for i, line in enumerate(lines, 1) if i not in drop)


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
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, int, str]] = []  # (line index, start col, end col, text)
    renames: dict[str, dict[str, str]] = {}
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef) or _base_names(cls) != ["str", "Enum"]:
            continue
        first, last = cls.bases[0], cls.bases[-1]
        edits.append((first.lineno - 1, first.col_offset, last.end_col_offset or 0, "OpenEnum"))
        wanted = enum_members.get(cls.name, {})
        for stmt in cls.body:
            member = _member_value(stmt)
            if member is None or member[1] not in wanted or wanted[member[1]] == member[0]:
                continue
            assert isinstance(stmt, ast.Assign)
            target = stmt.targets[0]
            new = wanted[member[1]]
            edits.append((target.lineno - 1, target.col_offset, target.end_col_offset or 0, new))
            renames.setdefault(cls.name, {})[member[0]] = new
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.attr in renames.get(node.value.id, {})
            and node.end_lineno is not None
            and node.end_col_offset is not None
        ):
            start = node.end_col_offset - len(node.attr)
            new = renames[node.value.id][node.attr]
            edits.append((node.end_lineno - 1, start, node.end_col_offset, new))
    if not edits:
        return source
    for index, start, end, text in sorted(edits, reverse=True):
        line = lines[index]
        lines[index] = line[:start] + text + line[end:]
    out = "".join(lines)
    return _add_import(out, "from clientcore import OpenEnum")


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
    for node in ast.parse(source).body:
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
                info.fields[_alias(stmt) or name] = name
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
