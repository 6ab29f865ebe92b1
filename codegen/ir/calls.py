"""IR nodes of the call surface: operations, the methods over them, resources, links.

Design notes
------------
* Part of the IR (:mod:`codegen.ir.nodes` re-exports every name): plain frozen
  dataclasses holding only what the templates print. Every type is a structured
  :class:`codegen.ir.types.TypeRef`; what a template would ask of a type or a
  parameter (is it a sequence of files, does the result need a declared type, which
  classes does a module import) is a field or property here.
* One ``OperationInfo`` per HTTP operation becomes one module-level ``Operation``
  constant; several ``Method``s (from ``x-methods``) may share it.
* The root ``Resource`` is the client itself (``python_path == ""``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from codegen.ir.types import NONE, TypeRef, literal, referenced_classes
from codegen.spec.values import Json

__all__ = [
    "Body",
    "BodyKind",
    "CustomRef",
    "ErrorResponse",
    "Link",
    "Method",
    "MethodKind",
    "OperationInfo",
    "Pagination",
    "Param",
    "ParamLocation",
    "Recovery",
    "Resource",
    "ResponseKind",
    "ResultRule",
    "StreamInfo",
    "Switch",
    "SwitchCase",
]

# call: one request, the parsed result; page: one page of a paginated operation;
# iterate: a lazy pager over every item; count: a page's total; stream: a typed event
# stream; switch: one method whose boolean argument selects stream or result
# (rendered as @overloads); download: a streamed binary body.
MethodKind = Literal["call", "page", "iterate", "count", "stream", "switch", "download"]
ResponseKind = Literal["none", "json", "binary", "text", "events"]
ParamLocation = Literal["path", "query", "header", "cookie", "body", "form", "file"]
BodyKind = Literal["json_flat", "json_whole", "multipart", "form", "binary", "none"]


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
    explode: bool = True  # query arrays: repeated keys (OpenAPI ``explode``)
    bool_style: str = "lower"  # query booleans: lower | title
    reserved: bool = False  # path, query: keep reserved characters unencoded
    style: str = ""  # OpenAPI ``style``; "" = the location's default
    content: str = ""  # a ``content``-typed parameter: its (JSON) media type

    @property
    def config_args(self) -> str:
        """Arguments of its ``clientcore.PathParam`` / ``QueryParam`` / ``HeaderParam`` /
        ``CookieParam``: only those differing from the runtime's defaults."""
        default_style = {"path": "simple", "query": "form"}.get(self.location, "")
        default_explode = self.location in ("query", "cookie")
        args = []
        if self.reserved and self.location in ("path", "query"):
            args.append("reserved=True")
        if self.style and self.style != default_style and self.location in ("path", "query"):
            args.append(f"style={self.style!r}")
        if self.explode != default_explode:
            args.append(f"explode={self.explode}")
        if self.bool_style != "lower" and self.location == "query":
            args.append(f"bool_style={self.bool_style!r}")
        if self.content:
            args.append(f"content={self.content!r}")
        return ", ".join(args)

    @property
    def configured(self) -> bool:
        """Its operation constant must say how it is serialised (``config_args``)."""
        return bool(self.config_args)

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
    param_name: str | None = None  # json_whole, binary: the one parameter holding the body
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
    errors: str | None = None  # x-errors.operation_bases: the operation's error base class


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
    transport_options: Json = None  # x-transport-options (only with a transport)
    summary: str = ""
    description: str = ""
    deprecated: bool = False
    header_params: tuple[Param, ...] = ()  # those not sent in the default style
    cookie_params: tuple[Param, ...] = ()  # those not sent in the default style


@dataclass(frozen=True)
class Switch:
    """A stream-switch method's boolean argument and what each value returns.

    Rendered as three ``@overload``s (``Literal[True]`` -> the stream,
    ``Literal[False]`` -> the result, ``bool`` -> either) over one body
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
        """The two ``Literal`` overloads, the default's first (it keeps the default):
        ``Literal[True]`` returns the stream, ``Literal[False]`` the result."""

        def case(value: bool) -> SwitchCase:
            default = repr(value) if value == self.default else None
            if value:
                return SwitchCase(literal(True), default, self.stream, self.async_stream)
            return SwitchCase(literal(False), default, self.result, self.result)

        return case(self.default), case(not self.default)


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
    shadowed: tuple[str, ...] = ()  # builtins a method of its class hides (``list``)
    params_dict: str = ""  # x-python-client.params_dict: the body's TypedDict, positional

    def ann(self, type_: TypeRef) -> str:
        """``type_`` as an annotation of this method's signature (see ``shadowed``)."""
        return type_.text_within(self.shadowed) if self.shadowed else type_.text

    @property
    def is_async_def(self) -> bool:
        """Async twins of pagers and streams are plain ``def``: iteration awaits."""
        return self.kind not in ("iterate", "stream")

    def by_location(self, *locations: str) -> tuple[Param, ...]:
        """Signature and fixed params at the given locations, in signature order."""
        return tuple(p for p in self.params + self.fixed if p.location in locations)

    @property
    def header_values(self) -> str:
        """The value type of the method's ``_headers`` dict: ``str`` when every header
        argument is one, else ``Any`` (the runtime serialises the rest)."""
        return "str" if all(p.is_str for p in self.by_location("header")) else "Any"

    @property
    def progress(self) -> str | None:
        """Which transfer an ``on_progress`` argument reports: ``"upload"`` (a file part
        in the body), ``"download"`` (a download), else none."""
        if self.by_location("file"):
            return "upload"
        return "download" if self.kind == "download" else None

    @property
    def body_may_be_absent(self) -> bool:
        """No body is sent when every argument of it was left out: an optional body
        (``json_flat``: no always-sent property; ``json_whole``: an optional argument)."""
        body = self.by_location("body")
        if self.body.kind == "json_flat":
            return not self.body.required and all(p.omit_when_none for p in body)
        if self.body.kind == "json_whole":
            return not body[0].required and body[0].fixed is None
        return False

    def runtime(self, type_: TypeRef) -> str:
        """``type_`` as a run-time expression in this method's body, where its
        arguments may shadow builtins (see ``TypeRef.runtime_within``)."""
        return type_.runtime_within(p.python_name for p in self.params)

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
class CustomRef:
    """``module.Name`` inside ``_custom/``; ``options``: ``x-body-codec-options``."""

    module: str
    name: str
    options: Json = None
