"""Typed records of a spec: what every stage after ``codegen.spec`` reads instead of dicts.

Design notes
------------
* :func:`codegen.spec.parse.parse_spec` turns a ``LoadedSpec`` into one
  :class:`SpecDocument`; nothing later looks at the bundled dict (except
  ``codegen.ir.schemas``/``models``, which hand a dict to datamodel-code-generator).
* Frozen, slotted dataclasses holding tuples, so records are hashable values and two
  versions of a spec can be compared record by record (the future ``codegen diff``).
* Every record has a :class:`Loc` (bundled JSON pointer, file, line, in-file pointer)
  that is *not* part of equality: moving an inline schema behind a ``$ref`` or
  splitting a spec into files changes no record. A schema also keeps the component
  name it was reached through (``ref_name``) and the record it was derived from
  (``base``), both outside equality too.
* Plain JSON values are frozen (:mod:`codegen.spec.values`: tuples, ``JsonObject``,
  a ``Value`` box for what may be absent, so ``default: null`` differs from none).
* Schemas may be recursive (``Task.subtasks: [Task]``): the parser shares one record per
  schema location, so a record can (indirectly) contain itself. :class:`SpecSchema`
  therefore compares coinductively (a pair already being compared counts as equal) and
  hashes shallowly (no sub-schemas); ``repr`` stops at a cycle (dataclasses' guard).
* The typed values of our ``x-`` extensions (``docs/extensions.md``) are records too
  (:mod:`codegen.spec.xrecords`: ``XPagination``, ``XMethod``...); the OpenAPI object
  records carry them as ``x_*`` fields. All of them are re-exported here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import MISSING, dataclass, field, fields

from codegen.spec.values import Json, JsonObject, Loc, Value, freeze, thaw
from codegen.spec.xrecords import (
    XConflictRecovery,
    XErrors,
    XLink,
    XMethod,
    XPagination,
    XPythonClient,
    XPythonCustom,
    XResult,
    XRetries,
)

__all__ = [
    "Json",
    "JsonObject",
    "Loc",
    "SecurityRequirement",
    "SpecBody",
    "SpecDiscriminator",
    "SpecDocument",
    "SpecHeader",
    "SpecMediaType",
    "SpecOperation",
    "SpecParameter",
    "SpecResponse",
    "SpecSchema",
    "SpecSecurityScheme",
    "SpecServer",
    "SpecServerVariable",
    "Value",
    "XConflictRecovery",
    "XErrors",
    "XLink",
    "XMethod",
    "XPagination",
    "XPythonClient",
    "XPythonCustom",
    "XResult",
    "XRetries",
    "XStream",
    "freeze",
    "iter_schemas",
    "thaw",
]


# ------------------------------------------------------------------ schemas


@dataclass(frozen=True, slots=True)
class SpecDiscriminator:
    property_name: str
    mapping: tuple[tuple[str, str], ...] = ()  # tag -> reference, as written
    loc: Loc = field(compare=False, repr=False, kw_only=True)


_COMPARING = threading.local()  # .pairs: the schema pairs being compared (coinduction)


@dataclass(frozen=True, slots=True, eq=False)
class SpecSchema:
    """A schema with ``$ref`` resolved and nullability normalised (see the module notes).

    ``types`` never holds ``"null"`` next to another type: 3.0 ``nullable: true``, 3.1
    ``type: [X, "null"]``, a ``null`` in ``enum`` and a ``{type: "null"}`` member of
    ``anyOf``/``oneOf`` all become ``nullable=True``. A schema whose only type is null
    keeps ``types == ("null",)``.
    """

    types: tuple[str, ...] = ()
    nullable: bool = False
    format: str | None = None
    enum: tuple[Json, ...] | None = None
    const: Value | None = None
    default: Value | None = None
    title: str | None = None
    description: str | None = None
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    properties: tuple[tuple[str, SpecSchema], ...] = ()
    required: tuple[str, ...] = ()
    items: SpecSchema | None = None
    additional_properties: bool | SpecSchema | None = None
    all_of: tuple[SpecSchema, ...] = ()
    one_of: tuple[SpecSchema, ...] = ()
    any_of: tuple[SpecSchema, ...] = ()
    not_: SpecSchema | None = None
    discriminator: SpecDiscriminator | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: int | float | None = None  # 3.1 form (3.0's boolean is converted)
    exclusive_maximum: int | float | None = None
    multiple_of: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    min_properties: int | None = None
    max_properties: int | None = None
    x_enum_varnames: tuple[str, ...] | None = None
    x_links: tuple[XLink, ...] = ()
    x_python_name: str | None = None
    x_send_default: bool | None = None
    x_python_type: str | None = None  # module.Name of python/: the values' Python type
    # not part of equality:
    ref_name: str | None = field(default=None, compare=False)  # components/schemas name
    base: SpecSchema | None = field(default=None, compare=False, repr=False)
    loc: Loc = field(compare=False, repr=False, kw_only=True)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, SpecSchema):
            return NotImplemented
        pairs: set[tuple[int, int]] = _COMPARING.__dict__.setdefault("pairs", set())
        pair = (id(self), id(other))
        if pair in pairs:  # already being compared further up: assume equal
            return True
        pairs.add(pair)
        try:
            return all(getattr(self, name) == getattr(other, name) for name in _COMPARED)
        finally:
            pairs.discard(pair)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in _SHALLOW))

    def get_property(self, name: str) -> SpecSchema | None:
        """The schema of property ``name`` (this schema's own properties only)."""
        return next((s for n, s in self.properties if n == name), None)

    @property
    def is_empty(self) -> bool:
        """True when the schema says nothing this record keeps (``{}``)."""
        return all(getattr(self, name) == default for name, default in _DEFAULTS)


_FIELDS = fields(SpecSchema)
_COMPARED = tuple(f.name for f in _FIELDS if f.compare)
_DEFAULTS = tuple((f.name, f.default) for f in _FIELDS if f.compare)
_SUBSCHEMAS = frozenset(
    {"properties", "items", "additional_properties", "all_of", "one_of", "any_of", "not_"}
)
_SHALLOW = tuple(name for name in _COMPARED if name not in _SUBSCHEMAS)
assert all(f.default is not MISSING for f in _FIELDS if f.name != "loc")


# ------------------------------------------------------------------ the other objects


@dataclass(frozen=True, slots=True)
class SpecMediaType:
    media_type: str  # the content key, e.g. "application/json"
    schema: SpecSchema | None = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SpecParameter:
    """A parameter (``$ref`` resolved; ``loc`` is where the operation lists it)."""

    name: str
    location: str  # the "in" field: path | query | header | cookie
    required: bool = False
    description: str | None = None
    deprecated: bool = False
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False
    schema: SpecSchema | None = None
    content: tuple[SpecMediaType, ...] = ()
    x_python_name: str | None = None
    x_send_default: bool | None = None
    x_bool_style: str | None = None
    x_allow_reserved: bool | None = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SpecBody:
    """A request body (``$ref`` resolved; ``loc`` is the operation's ``requestBody``)."""

    description: str | None = None
    required: bool = False
    content: tuple[SpecMediaType, ...] = ()
    x_body_name: str | None = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SpecHeader:
    name: str
    description: str | None = None
    required: bool = False
    deprecated: bool = False
    schema: SpecSchema | None = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SpecResponse:
    """One response; ``status`` as written: ``"200"``, ``"4XX"``, ``"default"``."""

    status: str
    description: str | None = None
    content: tuple[SpecMediaType, ...] = ()
    headers: tuple[SpecHeader, ...] = ()
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SecurityRequirement:
    """One alternative of a ``security`` list: scheme name -> scopes, in order."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    loc: Loc = field(compare=False, repr=False, kw_only=True)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.schemes)


@dataclass(frozen=True, slots=True)
class SpecSecurityScheme:
    name: str  # the components/securitySchemes key
    type: str | None = None
    scheme: str | None = None  # http: basic, bearer...
    bearer_format: str | None = None
    location: str | None = None  # apiKey: header | query | cookie
    param_name: str | None = None  # apiKey: the header or query parameter name
    description: str | None = None
    open_id_connect_url: str | None = None
    token_url: str | None = None  # oauth2: the clientCredentials flow's tokenUrl
    scopes: tuple[str, ...] = ()  # oauth2: that flow's scopes
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SpecServerVariable:
    name: str
    default: str = ""
    enum: tuple[str, ...] = ()
    description: str | None = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SpecServer:
    url: str | None = None
    description: str | None = None
    variables: tuple[SpecServerVariable, ...] = ()
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class XStream:
    """Operation ``x-stream``: ``item`` is the schema of one event's ``data``."""

    item: SpecSchema
    param: str | None = None
    terminator: str | None = None
    error_field: str | None = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SpecOperation:
    """One operation; parameters include the path item's (the operation's win)."""

    method: str  # lower case, as in the spec: get, post...
    path: str
    operation_id: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    description: str | None = None
    deprecated: bool = False
    parameters: tuple[SpecParameter, ...] = ()
    request_body: SpecBody | None = None
    responses: tuple[SpecResponse, ...] = ()
    security: tuple[SecurityRequirement, ...] | None = None  # None: the document's
    x_python_name: str | None = None
    x_python_resource: str | None = None
    x_idempotent: bool | None = None
    x_idempotency_key: str | None = None
    x_conflict_recovery: XConflictRecovery | None = None
    x_pagination: XPagination | None = None
    x_methods: tuple[XMethod, ...] = ()
    x_stream: XStream | None = None
    x_success_statuses: tuple[int, ...] | None = None
    x_body_codec: str | None = None  # None: the document's (else JSON)
    x_body_codec_options: Json = None  # given to the codec's configure() (None: not)
    x_result: XResult | None = None  # None: the document's (else the status alone)
    x_transport: str | None = None  # None: the document's (else httpx)
    x_transport_options: Json = None  # handed to the transport (None: the document's)
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SpecDocument:
    """The whole spec. Operations: paths in document order, each path item's methods in
    OpenAPI's order (get, put, post, delete, options, head, patch, trace)."""

    openapi: str
    title: str = ""
    version: str = ""
    description: str | None = None
    servers: tuple[SpecServer, ...] = ()
    security_schemes: tuple[SpecSecurityScheme, ...] = ()
    security: tuple[SecurityRequirement, ...] | None = None
    operations: tuple[SpecOperation, ...] = ()
    schemas: tuple[tuple[str, SpecSchema], ...] = ()  # components/schemas, in order
    x_python_client: XPythonClient | None = None
    x_errors: XErrors | None = None
    x_retries: XRetries | None = None
    x_timeout: int | float | None = None
    x_python_custom: XPythonCustom | None = None
    x_transports: tuple[tuple[str, str], ...] = ()  # name -> module.NAME of python/
    x_body_codec: str | None = None
    x_result: XResult | None = None
    x_transport: str | None = None
    x_transport_options: Json = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)

    def schema(self, name: str) -> SpecSchema | None:
        """The component schema ``name``."""
        return next((s for n, s in self.schemas if n == name), None)

    def operation(self, operation_id: str) -> SpecOperation | None:
        return next((op for op in self.operations if op.operation_id == operation_id), None)


def _media(content: tuple[SpecMediaType, ...]) -> Iterator[SpecSchema | None]:
    return (media.schema for media in content)


def iter_schemas(document: SpecDocument) -> Iterator[SpecSchema]:
    """Every schema record reachable from the document, each once (``base`` included)."""
    seen: set[int] = set()
    stack: list[SpecSchema | None] = [s for _, s in reversed(document.schemas)]
    for op in reversed(document.operations):
        stack.append(op.x_stream.item if op.x_stream else None)
        for response in op.responses:
            stack.extend(_media(response.content))
            stack.extend(header.schema for header in response.headers)
        if op.request_body is not None:
            stack.extend(_media(op.request_body.content))
        for param in op.parameters:
            stack.append(param.schema)
            stack.extend(_media(param.content))
    while stack:
        schema = stack.pop()
        if schema is None or id(schema) in seen:
            continue
        seen.add(id(schema))
        yield schema
        extra = schema.additional_properties
        stack.extend((schema.base, schema.not_, schema.items))
        stack.append(extra if isinstance(extra, SpecSchema) else None)
        stack.extend(reversed(schema.any_of + schema.one_of + schema.all_of))
        stack.extend(s for _, s in reversed(schema.properties))
