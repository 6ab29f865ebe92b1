"""The public Python surface a spec compiles to, built from the IR without models.

Design notes
------------
* What users import from a regenerated package: the two client classes, the
  exceptions, one class per model and enum (names from :func:`codegen.ir.schemas.prepare`,
  enum members included), and every method (``client.<resource>.<name>``) with its
  signature, return type and error union.
* Built with the IR's own pieces (``prepare``, ``SchemaClasses``, ``Annotator``,
  ``OperationBuilder``, ``MethodFactory``, ``error_config``, ``naming``), the same
  calls :func:`codegen.ir.build.build_api` makes, minus datamodel-code-generator and
  rendering: a class's *kind* (model, enum, root), which ``build_api`` learns from the
  generated models, is read here from the prepared document the generator would be
  given (an ``enum`` is an enum, an object a model, anything else a root model). So a
  3 MB spec's surface costs a fraction of a second, not the ~20 s of a full compile.
* Why not griffe over two generated packages: that needs both versions compiled and
  rendered (datamodel-code-generator, ruff: seconds to tens of seconds each) and a new
  dependency, and it sees Python names only: it cannot tell a renamed class from a
  removed one with a new one added, nor link a changed signature to the operation and
  spec line that caused it. The IR knows both.
* The classes are named exactly as a compile names them, but not put in the spec's
  order (``prepare(..., ordered=False)``, a third of its time): nothing here emits them
  in order, and :func:`codegen.diff.sdk.compare_sdk` pairs renamed classes by name, not
  by position.
* Operations the IR would skip (with a warning in a real compile) are left out here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codegen.diagnostics import SpecError
from codegen.diff.schemas import flatten
from codegen.diff.wire import endpoint_key, operation_label
from codegen.ir.annotate import Annotator, SchemaClasses
from codegen.ir.client import client_names
from codegen.ir.inputs import Skip
from codegen.ir.methods import MethodFactory
from codegen.ir.naming import NameSet, operation_id, py_identifier, snake_case
from codegen.ir.operations import OperationBuilder, auth_kind
from codegen.ir.schemas import prepare
from codegen.ir.seams import operation_seams
from codegen.load.loader import LoadedSpec
from codegen.spec.records import Loc, SpecDocument, SpecSchema

__all__ = ["ClassSig", "MethodSig", "ParamSig", "Surface", "build_surface"]


@dataclass(frozen=True)
class ParamSig:
    python_name: str
    wire_name: str
    location: str
    type: str
    required: bool
    default: str | None  # as printed in the signature


@dataclass(frozen=True)
class MethodSig:
    resource: str  # dotted python path, "" = the client
    name: str
    endpoint: tuple[str, str]
    operation: str  # "GET /pets/{id}"
    primary: bool
    params: tuple[ParamSig, ...]
    returns: str
    errors: tuple[tuple[str, str], ...]  # (status, exception class)
    loc: Loc

    @property
    def ref(self) -> str:
        return f"client.{self.resource}.{self.name}" if self.resource else f"client.{self.name}"


@dataclass(frozen=True)
class ClassSig:
    name: str
    kind: str  # model | enum | int_enum | root
    record: SpecSchema | None
    fields: tuple[tuple[str, str], ...] = ()  # wire name -> python attribute
    members: tuple[tuple[str, str], ...] = ()  # repr(value) -> member name
    links: tuple[tuple[str, tuple[str, ...]], ...] = ()  # x-links method -> positional args


@dataclass
class Surface:
    client: str
    async_client: str
    methods: list[MethodSig] = field(default_factory=list)
    classes: dict[str, ClassSig] = field(default_factory=dict)
    exceptions: tuple[str, ...] = ()
    codes: dict[str, str] = field(default_factory=dict)  # x-result error code -> class
    exports: tuple[str, ...] = ()  # hand-written names the package root re-exports
    loc: Loc | None = None


def _quiet(*_args: Any, **_kw: Any) -> None:
    return None


def build_surface(spec: LoadedSpec, doc: SpecDocument, name: str) -> Surface:
    """The Python surface ``spec`` compiles to (see the module notes)."""
    names = client_names(doc, name)
    client, async_client, errors = names.client, names.async_client, names.errors
    reserved = set(names.reserved)
    prepared = prepare(spec.document, reserved, ordered=False)  # order: see the notes
    classes = SchemaClasses(doc, prepared)
    schemas = prepared.document.get("components", {}).get("schemas") or {}
    kinds = {cls: _kind(body) for cls, body in schemas.items()}
    surface = Surface(client, async_client, loc=doc.loc)
    surface.exceptions = tuple(
        sorted({c.name for c in errors.classes} | {a for a, _ in errors.aliases})
    )
    surface.codes = dict(errors.by_code)
    custom = doc.x_python_custom
    surface.exports = tuple(sorted(e.rsplit(".", 1)[-1] for e in custom.exports)) if custom else ()
    for cls, kind in kinds.items():
        record = classes.record(cls)
        members = tuple((repr(v), m) for v, m in prepared.enum_members.get(cls, {}).items())
        links = tuple((x.name, x.positional) for x in record.x_links) if record else ()
        surface.classes[cls] = ClassSig(cls, kind, record, _fields(record), members, links)
    annotator = Annotator(classes, kinds)
    supported = {s.name for s in doc.security_schemes if auth_kind(s) is not None}
    ops = OperationBuilder(annotator, supported, errors, _quiet)
    factory = MethodFactory(annotator, _quiet)
    consts = NameSet()
    for op in doc.operations:
        oid = operation_id(op.operation_id, op.method, op.path)
        const = consts.take("_" + snake_case(oid).upper())
        where = op.x_python_resource
        if where is None:
            where = snake_case(op.tags[0]) if op.tags else ""
        try:
            info, params, body, annotation, schema = ops.operation(
                op, oid, const, operation_seams(spec, doc, op)
            )
            placed = factory.methods(op, info, params, body, annotation, schema, where)
        except (Skip, SpecError):
            continue
        for item in placed:
            m = item.method
            sigs = tuple(
                ParamSig(
                    p.python_name,
                    p.wire_name,
                    p.location,
                    p.type.text,
                    p.required,
                    p.signature_default,
                )
                for p in m.params
            )
            errs = tuple((e.status, e.error_class) for e in m.operation.errors)
            surface.methods.append(
                MethodSig(
                    item.resource if item.resource is not None else where,
                    m.name,
                    endpoint_key(op),
                    operation_label(op),
                    m.primary,
                    sigs,
                    m.returns.text,
                    errs,
                    item.at,
                )
            )
    return surface


def _kind(body: Any) -> str:
    if not isinstance(body, dict):
        return "root"
    enum = body.get("enum")
    if isinstance(enum, list) and enum:
        values = [v for v in enum if v is not None]
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return "int_enum"
        return "enum"
    if body.get("properties") or body.get("allOf"):
        return "model"
    return "root"  # unions, arrays, maps (additionalProperties only), primitives


def _fields(record: SpecSchema | None) -> tuple[tuple[str, str], ...]:
    if record is None:
        return ()
    props = flatten(record).properties
    return tuple((wire, p.x_python_name or py_identifier(wire)) for wire, p in props.items())
