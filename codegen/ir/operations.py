"""Operations -> ``OperationInfo`` (one ``clientcore.Operation`` constant each).

Design notes
------------
* Input is :class:`codegen.spec.records.SpecOperation`; its parameters and body become
  wire-level ``Param``\\ s in :mod:`codegen.ir.inputs`, the methods over it are made in
  :mod:`codegen.ir.methods`.
* Response typing: the first success status with a body decides the return type
  (``x-success-statuses`` or every 2xx, else ``default``); JSON -> the annotation
  builder, ``text/event-stream`` -> a stream (typed by ``x-stream``), any other media
  type -> a file-like body (``response="binary"``: a download method) or, for text
  and other non-JSON bodies, ``bytes`` (``response="text"``). The other
  documented responses become ``ErrorResponse``\\ s, each with the exception class
  the runtime raises for its status.
* Idempotency follows the HTTP method unless ``x-idempotent`` says otherwise;
  pagination, streaming and conflict recovery are the operation's ``x-`` records,
  checked for what the runtime needs (an operation that lacks it is skipped).
"""

from __future__ import annotations

from dataclasses import replace

from codegen.ir.annotate import Annotator
from codegen.ir.client import error_class_for
from codegen.ir.inputs import Inputs, Skip, Warn, json_media, property_at
from codegen.ir.naming import NameSet
from codegen.ir.nodes import (
    Body,
    ErrorConfig,
    ErrorResponse,
    OperationInfo,
    Pagination,
    Param,
    Recovery,
    ResponseKind,
    StreamInfo,
)
from codegen.ir.seams import Seams
from codegen.ir.types import ANY, BYTES, NONE, TypeRef
from codegen.spec.records import (
    Loc,
    SecurityRequirement,
    SpecMediaType,
    SpecOperation,
    SpecSchema,
    SpecSecurityScheme,
)

__all__ = [
    "OperationBuilder",
    "auth_kind",
    "dedupe",
    "security_names",
    "signature_order",
]

# Names a generated method uses itself (locals, trailing keyword arguments).
METHOD_RESERVED = frozenset(
    {
        "self",
        "extra_headers",
        "timeout",
        "max_retries",
        "extra",
        "_json",
        "_headers",
        "_data",
        "_files",
        "_query",
        "_path",
        "_result",
    }
)
_IDEMPOTENT = frozenset({"get", "head", "options", "put", "delete", "trace"})

Built = tuple[OperationInfo, list[Param], Body, TypeRef, SpecSchema | None]


class OperationBuilder:
    """Builds the IR of one operation (see the module notes)."""

    def __init__(
        self, annotator: Annotator, supported: set[str], errors: ErrorConfig, warn: Warn
    ) -> None:
        self.ann = annotator
        self.supported = supported  # security schemes the runtime can apply
        self.errors = errors
        self.warn = warn
        self.inputs = Inputs(annotator, warn)

    def operation(self, op: SpecOperation, operation_id: str, const: str, seams: Seams) -> Built:
        """The operation, its wire-level params, body, return type and response schema."""
        framed = seams.codec is not None
        params = self.inputs.parameters(op)
        body, body_params = self.inputs.body(op, framed)
        annotation, schema, errors, response = self.responses(op, framed)
        if seams.result_rule is not None and seams.result_rule.result and schema is not None:
            schema = property_at(schema, seams.result_rule.result)
            annotation = ANY if schema is None else self.ann.type_of(schema)
        idempotent = op.x_idempotent
        info = OperationInfo(
            operation_id=operation_id,
            const_name=const,
            method=op.method.upper(),
            # A "#..." suffix only tells two path items apart (``/cookies#formExploded``):
            # a URL fragment, never sent.
            path=op.path.split("#", 1)[0] or "/",
            path_params=tuple(p for p in params if p.location == "path"),
            query_params=tuple(p for p in params if p.location == "query"),
            security=None if op.security is None else security_names(op.security, self.supported),
            idempotent=op.method in _IDEMPOTENT if idempotent is None else idempotent,
            idempotency_key=op.x_idempotency_key,
            success=op.x_success_statuses,
            errors=errors,
            pagination=self.pagination(op, const),
            stream=self.stream(op, const, response == "events"),
            response=response,
            codec=seams.codec,
            result_rule=seams.result_rule,
            transport=seams.transport,
            transport_options=seams.transport_options,
            summary=(op.summary or "").strip(),
            description=(op.description or "").strip(),
            deprecated=op.deprecated,
            header_params=tuple(p for p in params if p.location == "header" and p.configured),
            cookie_params=tuple(p for p in params if p.location == "cookie" and p.configured),
        )
        return info, params + body_params, body, annotation, schema

    def responses(
        self, op: SpecOperation, framed: bool = False
    ) -> tuple[TypeRef, SpecSchema | None, tuple[ErrorResponse, ...], ResponseKind]:
        """(output type, success schema, error responses, response kind)."""
        success = op.x_success_statuses
        by_status = {r.status: r for r in op.responses}

        def is_success(status: str) -> bool:
            if success is not None:
                return status.isdigit() and int(status) in success
            return status.startswith("2")

        ok = [s for s in by_status if is_success(s)] or (
            ["default"] if "default" in by_status else []
        )
        kind: ResponseKind = "none"
        annotation, schema = NONE, None
        for status in ok:
            content = by_status[status].content
            if not content:
                continue
            media = json_media(content, framed)
            if media is not None and media.schema is not None:
                schema, kind = media.schema, "json"
                annotation = self.ann.type_of(schema)
            elif any(m.media_type == "text/event-stream" for m in content):
                kind = "events"
            else:
                annotation, kind = BYTES, "binary" if _is_binary(content) else "text"
            break
        errors = []
        for status, response in by_status.items():
            if status in ok:
                continue
            media = json_media(response.content, framed)
            found = media.schema if media is not None else None
            described = (response.description or "").strip()
            cls = error_class_for(self.errors, status)
            errors.append(ErrorResponse(status, self._optional(found), described, cls))
        return annotation, schema, tuple(errors), kind

    def _optional(self, schema: SpecSchema | None) -> TypeRef | None:
        return None if schema is None else self.ann.type_of(schema)

    def pagination(self, op: SpecOperation, const: str) -> Pagination | None:
        spec = op.x_pagination
        if spec is None:
            return None
        style = spec.style
        if style == "offset" and not spec.offset_param:
            raise Skip(spec.loc, "offset pagination needs offset_param")
        if style in ("cursor", "token") and not (spec.cursor_param and spec.cursor_field):
            raise Skip(spec.loc, f"{style} pagination needs cursor_param and cursor_field")
        if not spec.items:
            raise Skip(spec.loc, "x-pagination needs items")
        return Pagination(
            const + "_PAGINATION",
            style,
            spec.items,
            cursor_param=spec.cursor_param,
            cursor_field=spec.cursor_field,
            has_more_field=spec.has_more_field,
            offset_param=spec.offset_param,
            limit_field=spec.limit_field,
            total_field=spec.total_field,
        )

    def stream(self, op: SpecOperation, const: str, sse: bool) -> StreamInfo | None:
        spec = op.x_stream
        if spec is None:
            if sse:
                self.warn(op.loc, "text/event-stream response without x-stream; items typed Any")
                return StreamInfo(const + "_STREAM", ANY)
            return None
        return StreamInfo(
            const + "_STREAM",
            self.ann.type_of(spec.item),
            terminator=spec.terminator,
            error_field=spec.error_field,
            param=spec.param,
        )

    def recovery(self, op: SpecOperation, infos: dict[str, OperationInfo]) -> Recovery | None:
        spec = op.x_conflict_recovery
        if spec is None:
            return None
        target = infos.get(spec.operation_id)
        if target is None:
            raise Skip(spec.loc, f"unknown operationId {spec.operation_id!r}")
        result = tuple(int(p) if p.isdigit() else p for p in spec.result)
        return Recovery(target, spec.query, result)


def auth_kind(scheme: SpecSecurityScheme) -> tuple[str, str | None] | None:
    """(runtime kind, header/query name) of a security scheme, None if unsupported."""
    if scheme.type == "http":
        http = (scheme.scheme or "").lower()
        return {"basic": ("basic", None), "bearer": ("bearer", None)}.get(http)
    if scheme.type == "apiKey" and scheme.location in ("header", "query", "cookie"):
        return scheme.location, str(scheme.param_name)
    if scheme.type == "oauth2" and scheme.token_url:
        return "oauth2", None  # a bearer token, or one fetched by client credentials
    if scheme.type in ("oauth2", "openIdConnect"):
        return "bearer", None
    return None


def security_names(
    requirements: tuple[SecurityRequirement, ...] | None, supported: set[str]
) -> tuple[str, ...]:
    """Alternatives of a security requirement list, as single scheme names."""
    out: list[str] = []
    for alternative in requirements or ():
        names = [n for n in alternative.names if n in supported]
        if names and names[0] not in out:
            out.append(names[0])
    return tuple(out)


def signature_order(params: list[Param]) -> tuple[Param, ...]:
    """Path params (template order), then required, then optional."""
    path = [p for p in params if p.location == "path"]
    rest = [p for p in params if p.location != "path"]
    return tuple(path + [p for p in rest if p.required] + [p for p in rest if not p.required])


def dedupe(params: list[Param], warn: Warn, at: Loc) -> list[Param]:
    """Make Python names unique within one method (warning on each rename)."""
    names = NameSet(METHOD_RESERVED)
    out = []
    for p in params:
        wanted = p.python_name
        if wanted in names and p.location != "path":
            wanted = f"{wanted}_{p.location}"
        name = names.take(wanted)
        if name != p.python_name:
            warn(at, f"parameter {p.wire_name!r} ({p.location}) renamed to {name!r}: name taken")
            p = replace(p, python_name=name)
        out.append(p)
    return out


_BINARY_TYPES = ("image/", "audio/", "video/", "application/octet-stream", "application/pdf")


def _is_binary(content: tuple[SpecMediaType, ...]) -> bool:
    """A file-like success body (streamed by a download method); other non-JSON bodies
    (``text/plain``...) are returned whole as bytes."""
    for media in content:
        if media.media_type.startswith(_BINARY_TYPES):
            return True
        if media.schema is not None and media.schema.format == "binary":
            return True
    return False
