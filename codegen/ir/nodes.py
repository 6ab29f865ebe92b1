"""The intermediate representation between the spec and the templates.

Design notes
------------
* Plain frozen dataclasses holding only what the templates print: every name is
  already a valid, collision-free Python identifier and every type is a structured
  :class:`codegen.ir.types.TypeRef` (``.text`` is the annotation, ``.runtime`` the
  run-time expression, ``.classes`` the model classes it names). Templates format;
  they never look at the raw spec or make decisions: what they ask (is this argument
  a sequence of files, does this call's result need a declared type, which classes
  does a module import) is a field or property here.
* Tuples, not lists, so the whole tree is hashable and cannot be changed by a template.
* One ``OperationInfo`` per HTTP operation becomes one module-level ``Operation``
  constant; several ``Method``s (from ``x-methods``) may share it.
* The root ``Resource`` is the client itself (``python_path == ""``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from codegen.ir.types import ANY, NONE, TypeRef, literal, referenced_classes

__all__ = [
    "Api",
    "AuthScheme",
    "Body",
    "CustomCode",
    "CustomModule",
    "CustomRef",
    "EnumInfo",
    "ErrorClass",
    "ErrorConfig",
    "ErrorResponse",
    "Link",
    "Method",
    "MethodKind",
    "ResponseKind",
    "ModelField",
    "ModelInfo",
    "OperationInfo",
    "Pagination",
    "Param",
    "ParamLocation",
    "Recovery",
    "Resource",
    "ResultRule",
    "RetryDefaults",
    "StreamInfo",
    "Switch",
    "SwitchCase",
    "TypeRef",
]

# call: one request, the parsed result; page: one page of a paginated operation;
# iterate: a lazy pager over every item; count: a page's total; stream: a typed event
# stream; switch: one method whose boolean argument selects stream or result
# (rendered as @overloads); download: a streamed binary body.
MethodKind = Literal["call", "page", "iterate", "count", "stream", "switch", "download"]
ResponseKind = Literal["none", "json", "binary", "text", "events"]
ParamLocation = Literal["path", "query", "header", "body", "form", "file"]
BodyKind = Literal["json_flat", "json_whole", "multipart", "form", "none"]


@dataclass(frozen=True)
class Param:
    """One argument of a generated method (or one value fixed by the method)."""

    wire_name: str
    python_name: str
    location: ParamLocation
    type: TypeRef  # input type, e.g. TaskStatus | str
    required: bool
    default: str | None = None  # Python source of the default when send_default
    send_default: bool = False
    description: str = ""
    fixed: str | None = None  # Python source of a value sent on every call (not exposed)
    explode: bool = True  # query arrays: repeated keys
    bool_style: str = "lower"  # query booleans: lower | title
    reserved: bool = False  # path: keep reserved characters unencoded

    @property
    def signature_default(self) -> str | None:
        """Default printed in the signature: None for optional params, spec default
        for ``x-send-default`` ones, nothing for required ones."""
        if self.required:
            return None
        return self.default if self.send_default else "None"

    @property
    def signature_type(self) -> TypeRef:
        """The type printed in the signature: ``| None`` added when the default is None."""
        return self.type.or_none() if self.signature_default == "None" else self.type

    @property
    def omit_when_none(self) -> bool:
        """Optional, not always-sent: leave it out of the request when it is None."""
        return not self.required and not self.send_default and self.fixed is None

    @property
    def value(self) -> str:
        """The Python expression sent: the fixed value, else the argument."""
        return self.fixed if self.fixed is not None else self.python_name

    @property
    def is_sequence(self) -> bool:
        """The argument is a sequence (files: one part per element)."""
        return self.type.is_sequence

    @property
    def is_str(self) -> bool:
        """The argument is a ``str`` (headers: sent as is, anything else through ``str()``)."""
        return self.type.is_str


@dataclass(frozen=True)
class Body:
    """How a method's keyword arguments become the request body."""

    kind: BodyKind = "none"
    param_name: str | None = None  # json_whole: the one parameter holding the body
    extra: bool = False  # **extra merged into the JSON object / form fields
    required: bool = True
    content_type: str = ""


@dataclass(frozen=True)
class Pagination:
    """``x-pagination``: all names are wire names."""

    const_name: str
    style: str
    items: str
    cursor_param: str | None = None
    cursor_field: str | None = None
    has_more_field: str | None = None
    offset_param: str | None = None
    limit_field: str | None = None
    total_field: str | None = None


@dataclass(frozen=True)
class StreamInfo:
    """``x-stream`` (or a ``text/event-stream`` response)."""

    const_name: str
    item: TypeRef  # one event
    terminator: str | None = None
    error_field: str | None = None
    param: str | None = None  # wire name of the boolean switching streaming on


@dataclass(frozen=True)
class Recovery:
    """``x-conflict-recovery``: a lookup operation run after a retried 409."""

    operation: OperationInfo  # the lookup operation (its constant may live elsewhere)
    query: tuple[tuple[str, str], ...]  # (query param wire name, body field wire name)
    result: tuple[str | int, ...]


@dataclass(frozen=True)
class ErrorResponse:
    """A documented non-success response of an operation."""

    status: str  # "404", "4XX", "default"
    type: TypeRef | None  # of the body, if any
    description: str
    error_class: str = ""  # the exception class the client raises for it


@dataclass(frozen=True)
class ResultRule:
    """``x-result``: success read from the body too (pointers split into keys)."""

    error: tuple[str | int, ...]
    code: tuple[str | int, ...] | None = None
    message: tuple[str | int, ...] | None = None
    result: tuple[str | int, ...] | None = None


@dataclass(frozen=True)
class OperationInfo:
    """One HTTP operation: becomes one ``clientcore.Operation`` constant."""

    operation_id: str
    const_name: str
    method: str
    path: str
    path_params: tuple[Param, ...]
    query_params: tuple[Param, ...]
    security: tuple[str, ...] | None  # None = the client's default security
    idempotent: bool
    idempotency_key: str | None = None
    recovery: Recovery | None = None
    success: tuple[int, ...] | None = None
    errors: tuple[ErrorResponse, ...] = ()
    pagination: Pagination | None = None
    stream: StreamInfo | None = None
    response: ResponseKind = "none"  # what the success response carries
    # The runtime's seams (docs/extensions.md): None = JSON / the status alone / httpx.
    codec: CustomRef | None = None
    result_rule: ResultRule | None = None
    transport: str | None = None
    summary: str = ""
    description: str = ""
    deprecated: bool = False


@dataclass(frozen=True)
class Switch:
    """A stream-switch method's boolean argument and what each value returns.

    Rendered as three ``@overload``s (``Literal[True]`` -> the stream,
    ``Literal[False]`` (the default) -> the result, ``bool`` -> either) over one body
    that calls ``_stream`` or ``_request`` by the argument's value.
    """

    param: str  # Python name of the boolean argument
    default: bool
    result: TypeRef  # when false (also the runtime ``cast_to``)
    stream: TypeRef  # sync, when true, e.g. clientcore.Stream[Chunk]
    async_stream: TypeRef
    item: TypeRef  # one event (the stream's ``cast_to``)

    @property
    def cases(self) -> tuple[SwitchCase, SwitchCase]:
        """The two ``Literal`` overloads, the default's first (it keeps the default)."""
        return (
            SwitchCase(literal(self.default), repr(self.default), self.result, self.result),
            SwitchCase(literal(not self.default), None, self.stream, self.async_stream),
        )


@dataclass(frozen=True)
class SwitchCase:
    """One ``@overload`` of a switch method: the argument typed ``Literal[value]``."""

    type: TypeRef  # Literal[True] / Literal[False]
    default: str | None  # Python source of the default, None: no default
    returns: TypeRef
    async_returns: TypeRef


@dataclass(frozen=True)
class Method:
    """One generated Python method over an operation."""

    name: str
    kind: MethodKind
    operation: OperationInfo
    params: tuple[Param, ...]  # signature order: path, then required, then optional
    fixed: tuple[Param, ...] = ()  # values sent on every call, not in the signature
    body: Body = field(default_factory=Body)
    returns: TypeRef = NONE  # sync return type
    async_returns: TypeRef = NONE
    cast_to: TypeRef = NONE  # passed to _request/_paginate/_stream (as ``.runtime``)
    item: TypeRef | None = None  # iterate/stream: one item
    count_field: str | None = None  # count: response field holding the total
    docstring: str = ""
    require_one_of: tuple[tuple[str, ...], ...] = ()
    raw_response: bool = True  # exposed under with_raw_response
    primary: bool = True  # the operation's own method (False: an ``x-methods`` entry)
    switch: Switch | None = None  # kind "switch": the argument and both returns

    @property
    def is_async_def(self) -> bool:
        """Async twins of pagers and streams are plain ``def``: iteration awaits."""
        return self.kind not in ("iterate", "stream")

    def by_location(self, *locations: str) -> tuple[Param, ...]:
        """Signature and fixed params at the given locations, in signature order."""
        return tuple(p for p in self.params + self.fixed if p.location in locations)

    @property
    def cast_to_is_union(self) -> bool:
        """The parsed result is a union: the call's result gets a declared type."""
        return self.cast_to.is_union

    @property
    def classes(self) -> tuple[str, ...]:
        """The generated classes its signature and body name (sorted)."""
        types = [self.returns, self.async_returns, self.cast_to, *(p.type for p in self.params)]
        return referenced_classes(types)


@dataclass(frozen=True)
class Resource:
    """A group of methods: the client itself (root) or ``client.<python_path>``."""

    name: str  # attribute name on the parent ("" for the root)
    python_path: str  # dotted path from the client ("" for the root)
    class_name: str
    async_class_name: str
    module: str  # module stem under resources/ ("" for the root: _client.py)
    methods: tuple[Method, ...]
    children: tuple[Resource, ...] = ()

    def walk(self) -> tuple[Resource, ...]:
        """This resource and all descendants, depth first, parents first."""
        out: list[Resource] = [self]
        for child in self.children:
            out.extend(child.walk())
        return tuple(out)


@dataclass(frozen=True)
class Link:
    """A method on a returned model calling another operation (schema ``x-links``)."""

    model_class: str
    method_name: str
    target_path: str  # dotted resource path of the target method ("" = client)
    target_method: str
    target_return: TypeRef  # sync return type of the target
    target_async_return: TypeRef
    args: tuple[tuple[str, str], ...]  # bound: (target python param, Python expression)
    update: tuple[tuple[str, str], ...] = ()  # (model attribute, result attribute)
    result_is_mapping: bool = False  # result is a dict: read it by key
    # Target parameters the link does not bind, forwarded as the link method's own
    # arguments (same Python name, annotation and default as on the target):
    positional: tuple[Param, ...] = ()  # positional-or-keyword, in signature order
    keyword: tuple[Param, ...] = ()  # keyword-only
    extra: bool = False  # the target takes ``**extra``: forwarded too
    docstring: str = ""

    @property
    def forwarded(self) -> tuple[Param, ...]:
        return self.positional + self.keyword

    @property
    def classes(self) -> tuple[str, ...]:
        """The generated classes its signature names (sorted)."""
        types = [self.target_return, self.target_async_return, *(p.type for p in self.forwarded)]
        return referenced_classes(types)


@dataclass(frozen=True)
class EnumInfo:
    """A generated enum class: members as (python name, wire value)."""

    class_name: str
    members: tuple[tuple[str, str | int | float], ...]
    open: bool = True  # derives from clientcore.OpenEnum
    description: str = ""


@dataclass(frozen=True)
class ModelField:
    """A field of a generated model, as datamodel-code-generator wrote it."""

    name: str  # Python attribute
    annotation: str  # its annotation in the models' source
    wire_name: str


@dataclass(frozen=True)
class ModelInfo:
    """A generated pydantic model class (not root models)."""

    class_name: str
    description: str = ""
    links: tuple[Link, ...] = ()
    page_items: str | None = None  # page models: the items' Python attribute
    page_item: TypeRef = ANY  # page models: one item
    fields: tuple[ModelField, ...] = ()  # inherited ones included


@dataclass(frozen=True)
class AuthScheme:
    """One ``components.securitySchemes`` entry: kind basic|bearer|header|query."""

    key: str
    kind: str
    name: str | None = None


@dataclass(frozen=True)
class ErrorClass:
    """One generated exception class: ``class name(*bases)``."""

    name: str
    bases: tuple[str, ...]
    doc: str = ""


@dataclass(frozen=True)
class ErrorConfig:
    """``x-errors`` resolved: every class, and how the runtime picks one."""

    base: str
    classes: tuple[ErrorClass, ...]
    by_status: tuple[tuple[int, str], ...]
    by_range: tuple[tuple[int, str], ...]
    connection: str
    timeout: str
    aliases: tuple[tuple[str, str], ...] = ()
    message_pointer: tuple[str | int, ...] | None = None
    by_code: tuple[tuple[str, str], ...] = ()  # x-result error code -> class
    unknown_code: str | None = None


@dataclass(frozen=True)
class RetryDefaults:
    """``x-retries`` / ``x-timeout``; None = runtime default."""

    max_retries: int | None = None
    initial_delay: float | None = None
    max_delay: float | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class CustomModule:
    """A hand-written module copied into ``_custom/`` (``specs/<api>/python/<module>.py``)."""

    module: str
    source_label: str  # e.g. "specs/dial/python/paths.py"
    sha256: str
    text: str


@dataclass(frozen=True)
class CustomRef:
    """``module.Name`` inside ``_custom/``."""

    module: str
    name: str


@dataclass(frozen=True)
class CustomCode:
    """``x-python-custom``: the hand-written modules, what the package root re-exports
    and the mixins the sync and async clients derive from (before the runtime base)."""

    modules: tuple[CustomModule, ...] = ()
    exports: tuple[CustomRef, ...] = ()
    client_mixin: CustomRef | None = None
    async_client_mixin: CustomRef | None = None


@dataclass(frozen=True)
class Api:
    """Everything one generated package is made of."""

    name: str  # spec folder name, e.g. "scale"
    package: str  # e.g. "scale_client"
    title: str
    version: str
    description: str
    spec_label: str  # e.g. "specs/scale/openapi.yaml"
    spec_sha256: str
    client_name: str
    async_client_name: str
    credential_param: str
    credential_required: bool
    default_base_url: str | None
    user_agent: str
    auth: tuple[AuthScheme, ...]
    default_security: tuple[str, ...]
    errors: ErrorConfig
    retry: RetryDefaults
    root: Resource
    enums: tuple[EnumInfo, ...]
    models: tuple[ModelInfo, ...]
    pseudo_models: tuple[str, ...] = ()  # root-model classes: exported, never annotated
    # The models module, as datamodel-code-generator wrote it (and codegen.ir.models
    # post-processed it); codegen.render splits it into models/.
    models_source: str = ""
    custom: CustomCode = CustomCode()
    transports: tuple[tuple[str, CustomRef], ...] = ()  # x-transports: name -> factory

    @property
    def header_hash(self) -> str:
        return self.spec_sha256[:16]

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(link for m in self.models for link in m.links)

    @property
    def class_names(self) -> tuple[str, ...]:
        """Every generated class: enums, models and root models."""
        names = [e.class_name for e in self.enums] + [m.class_name for m in self.models]
        return tuple(names) + self.pseudo_models
