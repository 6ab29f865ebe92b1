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

from dataclasses import dataclass

from codegen.ir.calls import (
    Body,
    CustomRef,
    ErrorResponse,
    Link,
    Method,
    MethodKind,
    OperationInfo,
    Pagination,
    Param,
    ParamLocation,
    Recovery,
    Resource,
    ResponseKind,
    ResultRule,
    StreamInfo,
    Switch,
    SwitchCase,
)
from codegen.ir.types import ANY, TypeRef

__all__ = [
    "Api",
    "AuthScheme",
    "Body",
    "CodeField",
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
    """One ``components.securitySchemes`` entry: kind basic|bearer|header|query|cookie|
    oauth2 (a bearer token; ``token_url``: its clientCredentials flow's, if any)."""

    key: str
    kind: str
    name: str | None = None
    token_url: str | None = None
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeField:
    """A typed attribute of an error code's class, read from the error body."""

    name: str  # Python attribute
    wire: str  # the property's name in the error body
    pointer: tuple[str | int, ...]  # where in ``err.body``
    type: str  # annotation text (builtins only, else Any)


@dataclass(frozen=True)
class ErrorClass:
    """One generated exception class: ``class name(*bases)``."""

    name: str
    bases: tuple[str, ...]
    doc: str = ""
    fields: tuple[CodeField, ...] = ()  # x-result error codes: typed body fields


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
    validation: str = "clientcore.APIResponseValidationError"  # undecodable success body
    stream: str = "clientcore.APIStreamError"  # a stream that broke its framing
    parameter: str = "clientcore.APIParameterError"  # a bad call argument, nothing sent
    fields: tuple[tuple[str, tuple[str | int, ...]], ...] = ()  # attribute -> body pointer
    operation_bases: bool = False  # x-result operations have their own error base class


@dataclass(frozen=True)
class RetryDefaults:
    """``x-retries`` / ``x-timeout``; None = runtime default."""

    max_retries: int | None = None
    initial_delay: float | None = None
    max_delay: float | None = None
    timeout: float | None = None

    @property
    def sets_policy(self) -> bool:
        """Some part of the retry policy differs from the runtime's defaults."""
        return any(v is not None for v in (self.max_retries, self.initial_delay, self.max_delay))


@dataclass(frozen=True)
class CustomModule:
    """A hand-written module copied into ``_custom/`` (``specs/<api>/python/<module>.py``)."""

    module: str
    source_label: str  # e.g. "specs/dial/python/paths.py"
    sha256: str
    text: str


@dataclass(frozen=True)
class HandMethod:
    """A public method a hand-written mixin adds (``api.md`` lists it)."""

    name: str
    signature: str  # "(self, *, url: str) -> None", as written
    doc: str
    source: str  # "specs/dial/python/files.py"
    async_signature: str | None = None  # the async mixin's, when it has one
    async_coroutine: bool = True  # the async mixin's is ``async def`` (else a plain def)


@dataclass(frozen=True)
class CustomCode:
    """``x-python-custom``: the hand-written modules, what the package root re-exports
    and the mixins the sync and async clients derive from (before the runtime base)."""

    modules: tuple[CustomModule, ...] = ()
    exports: tuple[CustomRef, ...] = ()
    client_mixin: CustomRef | None = None
    async_client_mixin: CustomRef | None = None
    # resource python path -> (sync mixin, async mixin)
    resource_mixins: tuple[tuple[str, CustomRef | None, CustomRef | None], ...] = ()
    # python path ("" = the client) -> the public methods its mixins add (for api.md)
    listed: tuple[tuple[str, tuple[HandMethod, ...]], ...] = ()
    # x-python-custom.dependencies: requirements of the hand-written code (pyproject)
    dependencies: tuple[str, ...] = ()

    def hand_written(self, python_path: str) -> tuple[HandMethod, ...]:
        """The hand-written methods ``client.<python_path>`` gets from its mixins."""
        for path, methods in self.listed:
            if path == python_path:
                return methods
        return ()

    def mixins_of(self, python_path: str, is_async: bool) -> CustomRef | None:
        """The mixin the resource at ``python_path`` derives from, if any."""
        for path, sync, async_ in self.resource_mixins:
            if path == python_path:
                return async_ if is_async else sync
        return None


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
    credential_param: str  # the one credential's constructor parameter (``credentials`` empty)
    credential_required: bool  # one credential (or, with ``credentials``, one of them) needed
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
    # x-python-client.credentials: (constructor parameter, security scheme) per scheme
    credentials: tuple[tuple[str, str], ...] = ()
    # x-python-client.options: (constructor parameter, query wire name it defaults)
    options: tuple[tuple[str, str], ...] = ()

    @property
    def client_credentials(self) -> bool:
        """A scheme has an OAuth2 clientCredentials flow: the client also takes
        ``client_id`` / ``client_secret`` and fetches its own tokens."""
        return any(a.token_url for a in self.auth)

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
