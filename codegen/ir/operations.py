"""Operations -> ``OperationInfo`` and the ``Method``\\ s over them.

Design notes
------------
* Input is the *prepared* document (:mod:`codegen.ir.schemas`): paths are unchanged, so
  JSON pointers still point into the spec for error messages.
* Parameters are collected once per operation as wire-level ``Param`` values (path,
  query, header, then the body's flattened properties / form fields / files); each
  method (the operation's own, plus one per ``x-methods`` entry) then applies its
  ``rename``/``exclude``/``defaults``/``fixed`` to that list and orders the signature.
* What cannot be served is skipped with a warning, never silently: cookie
  parameters, unsupported body media types, ``deepObject`` queries. A *required*
  thing that is skipped skips the whole operation.
* Response typing: the first success status with a body decides the return type;
  JSON -> the annotation builder, ``text/event-stream`` with ``x-stream`` -> a stream,
  any other media type -> ``bytes`` (the runtime returns the raw body).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, cast

from codegen.ir.annotate import Annotator
from codegen.ir.naming import NameSet, is_identifier, py_identifier, snake_case
from codegen.ir.nodes import (
    Body,
    BodyKind,
    ErrorResponse,
    OperationInfo,
    Pagination,
    Param,
    ParamLocation,
    Recovery,
    StreamInfo,
)
from codegen.ir.schemas import json_media, operation_id

__all__ = ["OperationBuilder", "Skip", "python_literal"]

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
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_PAGINATION_FIELDS = (
    "cursor_param",
    "cursor_field",
    "has_more_field",
    "offset_param",
    "limit_field",
    "total_field",
)


class Skip(Exception):
    """This operation cannot be generated; the message becomes a warning."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.message = message


def python_literal(value: Any) -> str:
    """Python source for a JSON value (``true`` -> ``True``; lists become tuples)."""
    if isinstance(value, list):
        inner = ", ".join(python_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        items = ", ".join(f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    return repr(value)


def _pointer_tuple(pointer: str) -> tuple[str | int, ...]:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    return tuple(int(p) if p.isdigit() else p for p in parts)


class OperationBuilder:
    """Builds the IR of one operation (see the module notes)."""

    def __init__(self, doc: dict[str, Any], annotator: Annotator, warn: Any) -> None:
        self.doc = doc
        self.ann = annotator
        self.warn = warn  # callable(pointer, message)

    # -- resolution ----------------------------------------------------------
    def deref(self, node: Any) -> Any:
        """Follow a local ``$ref`` to a non-schema component (parameter, body...)."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 20:
            target: Any = self.doc
            for part in _pointer_tuple(node["$ref"].removeprefix("#")):
                target = target.get(str(part), {}) if isinstance(target, dict) else {}
            node, seen = target, seen + 1
        return node if isinstance(node, dict) else {}

    def object_shape(self, schema: Any) -> tuple[dict[str, Any], set[str], bool] | None:
        """(properties, required, extra allowed) of an object schema, allOf merged."""
        schema = self.ann.resolve(schema)
        props: dict[str, Any] = {}
        required: set[str] = set(schema.get("required") or [])
        extra = schema.get("additionalProperties", True) is not False
        found = bool(schema.get("properties")) or schema.get("type") == "object"
        for part in schema.get("allOf") or []:
            sub = self.object_shape(part)
            if sub is None:
                return None
            props.update(sub[0])
            required |= sub[1]
            extra = extra and sub[2]
            found = True
        if schema.get("oneOf") or schema.get("anyOf") or not found:
            return None
        props.update(schema.get("properties") or {})
        return props, required, extra

    # -- parameters ------------------------------------------------------------
    def parameters(self, path: str, op: dict[str, Any], ptr: str) -> list[Param]:
        item = self.doc["paths"][path]
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        base = ptr.rsplit("/", 1)[0]
        for where, plist in ((base, item.get("parameters")), (ptr, op.get("parameters"))):
            for i, raw in enumerate(plist or []):
                param = self.deref(raw)
                if "name" in param and "in" in param:
                    merged[(param["in"], param["name"])] = (param, f"{where}/parameters/{i}")
        out: list[Param] = []
        for (location, name), (param, pptr) in merged.items():
            built = self.parameter(location, name, param, pptr)
            if built is not None:
                out.append(built)
        order = {name: i for i, name in enumerate(_PLACEHOLDER.findall(path))}
        for name in order:
            if not any(p.location == "path" and p.wire_name == name for p in out):
                raise Skip(ptr, f"path placeholder {{{name}}} has no parameter")
        return sorted(out, key=lambda p: order.get(p.wire_name, -1) if p.location == "path" else 0)

    def parameter(self, location: str, name: str, param: dict[str, Any], ptr: str) -> Param | None:
        required = bool(param.get("required")) or location == "path"
        if location not in ("path", "query", "header"):
            if required:
                raise Skip(ptr, f"required {location} parameter {name!r} is not supported")
            self.warn(ptr, f"{location} parameter {name!r} is not supported; skipped")
            return None
        schema = param.get("schema")
        if schema is None and isinstance(param.get("content"), dict):
            media = json_media(param["content"])
            schema = media[1].get("schema") if media else {}
        if param.get("style") in ("deepObject", "spaceDelimited", "pipeDelimited"):
            if required:
                raise Skip(ptr, f"query style {param['style']!r} is not supported")
            self.warn(ptr, f"query style {param['style']!r} is not supported; {name!r} skipped")
            return None
        if location == "header" and name.lower() in ("authorization", "content-type", "accept"):
            self.warn(ptr, f"header parameter {name!r} is set by the client; skipped")
            return None
        python = param.get("x-python-name") or (schema or {}).get("x-python-name")
        if not isinstance(python, str):
            python = name if is_identifier(name) else snake_case(name)
        default, send = self._default(param, schema, ptr)
        return Param(
            wire_name=name,
            python_name=py_identifier(python),
            location=cast(ParamLocation, location),
            annotation=self.ann.annotation(schema, "input") if schema else "str",
            required=required,
            default=default,
            send_default=send,
            description=str(param.get("description") or "").strip(),
            explode=param.get("explode", True) is not False,
            bool_style=str(param.get("x-bool-style", "lower")),
            reserved=bool(param.get("x-allow-reserved") or param.get("allowReserved")),
        )

    def _default(self, holder: dict[str, Any], schema: Any, ptr: str) -> tuple[str | None, bool]:
        send = holder.get("x-send-default") or (schema or {}).get("x-send-default")
        if not send:
            return None, False
        resolved = schema or {}
        if "default" not in resolved and isinstance(schema, dict):
            resolved = self.ann.resolve(schema)
        if "default" not in resolved:
            self.warn(ptr, "x-send-default without a default; ignored")
            return None, False
        return python_literal(resolved["default"]), True

    # -- request body --------------------------------------------------------------
    def body(self, op: dict[str, Any], ptr: str) -> tuple[Body, list[Param]]:
        if "requestBody" not in op:
            return Body(), []
        raw = self.deref(op["requestBody"])
        bptr = ptr + "/requestBody"
        required = bool(raw.get("required"))
        content = raw.get("content") or {}
        media = json_media(content)
        if media is not None:
            return self._json_body(raw, media, required, bptr)
        for form_type, kind in (
            ("multipart/form-data", "multipart"),
            ("application/x-www-form-urlencoded", "form"),
        ):
            if form_type in content:
                return self._form_body(content[form_type], kind, required, bptr)
        message = f"request body media type(s) {', '.join(sorted(content)) or 'none'} not supported"
        if required:
            raise Skip(bptr, message)
        self.warn(bptr, message + "; body skipped")
        return Body(), []

    def _json_body(
        self, raw: dict[str, Any], media: tuple[str, dict[str, Any]], required: bool, ptr: str
    ) -> tuple[Body, list[Param]]:
        schema = media[1].get("schema") or {}
        shape = self.object_shape(schema)
        name = raw.get("x-body-name")
        if isinstance(name, str) or shape is None or (not shape[0] and shape[2]):
            pname = name if isinstance(name, str) else "body"
            param = Param(
                pname,
                pname,
                "body",
                self.ann.annotation(schema, "input"),
                required,
                description=str(raw.get("description") or "").strip(),
            )
            return Body("json_whole", pname, required=required, content_type=media[0]), [param]
        props, req, extra = shape
        send_all = bool(
            schema.get("x-send-default") or self.ann.resolve(schema).get("x-send-default")
        )
        params = []
        for wire, prop in props.items():
            resolved = self.ann.resolve(prop)
            if prop.get("readOnly") or resolved.get("readOnly"):
                continue
            python = prop.get("x-python-name") or resolved.get("x-python-name")
            if not isinstance(python, str):
                python = wire if is_identifier(wire) else snake_case(wire)
            holder = dict(prop)
            if send_all and "x-send-default" not in holder:
                holder["x-send-default"] = "default" in prop or "default" in resolved
            default, send = (
                self._default(holder, prop, ptr) if holder.get("x-send-default") else (None, False)
            )
            params.append(
                Param(
                    wire,
                    py_identifier(python),
                    "body",
                    self.ann.annotation(prop, "input"),
                    required and wire in req,
                    default,
                    send,
                    description=str(
                        prop.get("description") or resolved.get("description") or ""
                    ).strip(),
                )
            )
        return Body("json_flat", extra=extra, required=required, content_type=media[0]), params

    def _form_body(
        self, media: dict[str, Any], kind: str, required: bool, ptr: str
    ) -> tuple[Body, list[Param]]:
        shape = self.object_shape(media.get("schema") or {})
        if shape is None:
            raise Skip(ptr, "a form body must be an object schema")
        props, req, extra = shape
        params = []
        for wire, prop in props.items():
            resolved = self.ann.resolve(prop)
            items = (
                self.ann.resolve(resolved.get("items")) if resolved.get("type") == "array" else {}
            )
            is_file = resolved.get("format") == "binary" or items.get("format") == "binary"
            location = "file" if is_file and kind == "multipart" else "form"
            annotation = self.ann.annotation(prop, "input")
            if is_file:
                annotation = (
                    "clientcore.FileTypes" if not items else "Sequence[clientcore.FileTypes]"
                )
            python = prop.get("x-python-name")
            if not isinstance(python, str):
                python = wire if is_identifier(wire) else snake_case(wire)
            default, send = self._default(prop, prop, ptr)
            params.append(
                Param(
                    wire,
                    py_identifier(python),
                    cast(ParamLocation, location),
                    annotation,
                    required and wire in req,
                    default,
                    send,
                    description=str(prop.get("description") or "").strip(),
                )
            )
        body_kind = "multipart" if kind == "multipart" else "form"
        return Body(cast(BodyKind, body_kind), extra=extra, required=required), params

    # -- responses ---------------------------------------------------------------------
    def responses(
        self, op: dict[str, Any], ptr: str
    ) -> tuple[str, Any, tuple[int, ...] | None, tuple[ErrorResponse, ...], bool]:
        """(output annotation, success schema, success statuses, error responses, streams)."""
        responses = {str(k): self.deref(v) for k, v in (op.get("responses") or {}).items()}
        declared = op.get("x-success-statuses")
        success = tuple(int(s) for s in declared) if isinstance(declared, list) else None

        def is_success(status: str) -> bool:
            if success is not None:
                return status.isdigit() and int(status) in success
            return status.startswith("2")

        ok = [s for s in responses if is_success(s)] or (
            ["default"] if "default" in responses else []
        )
        annotation, schema, streams = "None", None, False
        for status in ok:
            content = responses[status].get("content") or {}
            if not content:
                continue
            media = json_media(content)
            if media is not None and "schema" in media[1]:
                schema = media[1]["schema"]
                annotation = self.ann.annotation(schema)
            elif "text/event-stream" in content:
                streams = True
            else:
                annotation = "bytes"
            break
        errors = []
        for status, resp in responses.items():
            if status in ok:
                continue
            media = json_media(resp.get("content"))
            body = (
                self.ann.annotation(media[1]["schema"]) if media and "schema" in media[1] else None
            )
            errors.append(ErrorResponse(status, body, str(resp.get("description") or "").strip()))
        return annotation, schema, success, tuple(errors), streams

    # -- the operation -------------------------------------------------------------------
    def operation(
        self, path: str, method: str, op: dict[str, Any], ptr: str, const: str
    ) -> tuple[OperationInfo, list[Param], Body, str, Any]:
        """The operation, its wire-level params, body, return type and response schema."""
        params = self.parameters(path, op, ptr)
        body, body_params = self.body(op, ptr)
        annotation, schema, success, errors, streams = self.responses(op, ptr)
        pagination = self.pagination(op, const, ptr)
        stream = self.stream(op, const, ptr, streams)
        idempotent = op.get("x-idempotent")
        info = OperationInfo(
            operation_id=operation_id(op, method, path),
            const_name=const,
            method=method.upper(),
            path=path,
            path_params=tuple(p for p in params if p.location == "path"),
            query_params=tuple(p for p in params if p.location == "query"),
            security=self.security(op),
            idempotent=bool(idempotent) if isinstance(idempotent, bool) else method in _IDEMPOTENT,
            idempotency_key=op.get("x-idempotency-key"),
            success=success,
            errors=errors,
            pagination=pagination,
            stream=stream,
            summary=str(op.get("summary") or "").strip(),
            description=str(op.get("description") or "").strip(),
            deprecated=bool(op.get("deprecated")),
        )
        return info, params + body_params, body, annotation, schema

    def security(self, op: dict[str, Any]) -> tuple[str, ...] | None:
        if "security" not in op:
            return None
        return security_names(op.get("security"), self.supported_schemes())

    def supported_schemes(self) -> set[str]:
        schemes = (self.doc.get("components") or {}).get("securitySchemes") or {}
        return {k for k, v in schemes.items() if auth_kind(self.deref(v)) is not None}

    def pagination(self, op: dict[str, Any], const: str, ptr: str) -> Pagination | None:
        spec = op.get("x-pagination")
        if not isinstance(spec, dict):
            return None
        style = spec.get("style")
        if style == "offset" and not spec.get("offset_param"):
            raise Skip(ptr + "/x-pagination", "offset pagination needs offset_param")
        if style in ("cursor", "token") and not (
            spec.get("cursor_param") and spec.get("cursor_field")
        ):
            raise Skip(
                ptr + "/x-pagination", f"{style} pagination needs cursor_param and cursor_field"
            )
        if not spec.get("items"):
            raise Skip(ptr + "/x-pagination", "x-pagination needs items")
        return Pagination(
            const + "_PAGINATION",
            str(style),
            str(spec["items"]),
            **{k: spec.get(k) for k in _PAGINATION_FIELDS},
        )

    def stream(self, op: dict[str, Any], const: str, ptr: str, sse: bool) -> StreamInfo | None:
        spec = op.get("x-stream")
        if not isinstance(spec, dict):
            if sse:
                self.warn(ptr, "text/event-stream response without x-stream; items typed Any")
                return StreamInfo(const + "_STREAM", "Any")
            return None
        return StreamInfo(
            const + "_STREAM",
            self.ann.annotation(spec.get("item")),
            terminator=spec.get("terminator"),
            error_field=spec.get("error_field"),
            param=spec.get("param"),
        )

    def recovery(
        self, op: dict[str, Any], infos: dict[str, OperationInfo], ptr: str
    ) -> Recovery | None:
        spec = op.get("x-conflict-recovery")
        if not isinstance(spec, dict):
            return None
        target = infos.get(str(spec.get("operationId")))
        if target is None:
            raise Skip(
                ptr + "/x-conflict-recovery", f"unknown operationId {spec.get('operationId')!r}"
            )
        query = tuple((str(k), str(v)) for k, v in (spec.get("query") or {}).items())
        return Recovery(target, query, _pointer_tuple(str(spec.get("result") or "")))


def auth_kind(scheme: dict[str, Any]) -> tuple[str, str | None] | None:
    """(runtime kind, header/query name) of a security scheme, None if unsupported."""
    kind = scheme.get("type")
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        return {"basic": ("basic", None), "bearer": ("bearer", None)}.get(http)
    if kind == "apiKey" and scheme.get("in") in ("header", "query"):
        return str(scheme["in"]), str(scheme.get("name"))
    if kind in ("oauth2", "openIdConnect"):
        return "bearer", None
    return None


def security_names(requirements: Any, supported: set[str]) -> tuple[str, ...]:
    """Alternatives of a security requirement list, as single scheme names."""
    out: list[str] = []
    for alternative in requirements or []:
        names = [n for n in (alternative or {}) if n in supported]
        if names and names[0] not in out:
            out.append(names[0])
    return tuple(out)


def signature_order(params: list[Param]) -> tuple[Param, ...]:
    """Path params (template order), then required, then optional."""
    path = [p for p in params if p.location == "path"]
    rest = [p for p in params if p.location != "path"]
    return tuple(path + [p for p in rest if p.required] + [p for p in rest if not p.required])


def dedupe(params: list[Param], warn: Any, ptr: str) -> list[Param]:
    """Make Python names unique within one method (warning on each rename)."""
    names = NameSet(METHOD_RESERVED)
    out = []
    for p in params:
        wanted = p.python_name
        if wanted in names and p.location != "path":
            wanted = f"{wanted}_{p.location}"
        name = names.take(wanted)
        if name != p.python_name:
            warn(ptr, f"parameter {p.wire_name!r} ({p.location}) renamed to {name!r}: name taken")
            p = replace(p, python_name=name)
        out.append(p)
    return out
