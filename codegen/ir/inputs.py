"""What a method takes: an operation's parameters and request body -> wire-level ``Param``\\ s.

Design notes
------------
* Input is the operation's records (:mod:`codegen.spec.records`): ``$ref`` is resolved,
  path item parameters are merged in, every record knows its file and line.
* Parameters are collected once per operation (path, query, header, then the body's
  flattened properties / form fields / files); each method over the operation then
  reshapes that list (:mod:`codegen.ir.methods`).
* Path, query, header and cookie parameters keep their OpenAPI ``style`` and
  ``explode`` (``explode`` defaults to true for ``form`` only); the runtime serialises
  by them (``clientcore._styles``); a ``content``-typed one (JSON) is sent as JSON
  text instead.
* What cannot be served is skipped with a warning, never silently: a style its
  location does not allow, unsupported body media types. A *required* thing that is
  skipped skips the whole operation (:class:`Skip`).
* A JSON object body with ``properties`` is flattened into keyword arguments (read-only
  properties left out, as from form bodies), ``additionalProperties`` other than
  ``false`` adds ``**extra``; ``x-body-name``, a non-object or a free-form object is one
  parameter.
* A binary or text body (``image/png``, ``application/octet-stream``, ``text/plain``,
  a ``format: binary`` string) is one ``body`` parameter (bytes or a binary file),
  sent as given with its media type.
"""

from __future__ import annotations

import re
from typing import Protocol, cast

from codegen.ir.annotate import Annotator
from codegen.ir.calls import Body, BodyKind, Param, ParamLocation
from codegen.ir.naming import is_identifier, py_identifier, snake_case
from codegen.ir.schemas import is_json
from codegen.ir.types import CONTENT, FILE, STR, sequence_of
from codegen.spec.records import (
    Json,
    JsonObject,
    Loc,
    SpecBody,
    SpecMediaType,
    SpecOperation,
    SpecParameter,
    SpecSchema,
)

__all__ = [
    "Inputs",
    "Shape",
    "Skip",
    "Warn",
    "json_media",
    "object_shape",
    "property_at",
    "python_literal",
]

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

# The styles each parameter location allows (OpenAPI 3.x), its default first.
_STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}

_EXPLODED = ("form", "deepObject")

Shape = tuple[dict[str, SpecSchema], set[str], bool]  # properties, required, extra allowed


class Warn(Protocol):
    """Collects a warning about the record at ``at`` (or the key ``sub`` below it)."""

    def __call__(self, at: Loc, message: str, *sub: str) -> None: ...


class Skip(Exception):
    """This operation cannot be generated; the message becomes a warning."""

    def __init__(self, at: Loc, message: str, *sub: str) -> None:
        super().__init__(message)
        self.at = at
        self.sub = sub
        self.message = message


def python_literal(value: Json) -> str:
    """Python source for a JSON value (``true`` -> ``True``; arrays become tuples)."""
    if isinstance(value, tuple):
        inner = ", ".join(python_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, JsonObject):
        items = ", ".join(f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items)
        return "{" + items + "}"
    return repr(value)


_RAW_TYPES = ("application/octet-stream", "image/", "audio/", "video/", "application/pdf")


def _is_raw(media: SpecMediaType) -> bool:
    """A body sent as given, bytes or a binary file (``Content-Type`` the media type's):
    a binary media type, a ``format: binary`` string, or any ``text/*``."""
    schema = media.schema
    if media.media_type.startswith(_RAW_TYPES + ("text/",)) and "*" not in media.media_type:
        return True
    return schema is not None and schema.format == "binary" and "*" not in media.media_type


_NOT_FRAMED = ("multipart/", "application/x-www-form-urlencoded", "text/event-stream")


def json_media(content: tuple[SpecMediaType, ...], framed: bool = False) -> SpecMediaType | None:
    """The JSON media type of a ``content`` map (``application/json`` first).

    ``framed``: the operation has a body codec (``x-body-codec``), which frames any
    structured media type it names (a form, multipart or an event stream excepted).
    """
    ranked = sorted(
        (
            m
            for m in content
            if is_json(m.media_type)
            or (framed and m.schema is not None and not m.media_type.startswith(_NOT_FRAMED))
        ),
        key=lambda m: (m.media_type.split(";")[0] != "application/json", m.media_type),
    )
    return ranked[0] if ranked else None


def object_shape(schema: SpecSchema | None, seen: frozenset[int] = frozenset()) -> Shape | None:
    """(properties, required, extra allowed) of an object schema, ``allOf`` merged."""
    if schema is None or id(schema) in seen:
        return None
    props: dict[str, SpecSchema] = {}
    required = set(schema.required)
    extra = schema.additional_properties is not False
    found = bool(schema.properties) or schema.types == ("object",)
    for part in schema.all_of:
        sub = object_shape(part, seen | {id(schema)})
        if sub is None:
            return None
        props.update(sub[0])
        required |= sub[1]
        extra = extra and sub[2]
        found = True
    if schema.one_of or schema.any_of or not found:
        return None
    props.update(schema.properties)
    return props, required, extra


def property_at(schema: SpecSchema | None, pointer: tuple[str | int, ...]) -> SpecSchema | None:
    """The property schema at ``pointer`` (``x-result``'s ``result`` or ``error``) inside
    an object schema, ``allOf`` merged at each step; ``None`` where a step has none."""
    for key in pointer:
        shape = object_shape(schema)
        schema = shape[0].get(str(key)) if shape is not None else None
        if schema is None:
            return None
    return schema


# Query names ending in a comparison (Twilio's ``StartTime<`` / ``StartTime>``): the
# operator is named, so the two do not collapse into ``start_time`` and a numbered twin.
_OPERATORS = (("<=", "lte"), (">=", "gte"), ("!=", "ne"), ("<", "lt"), (">", "gt"))


def _python_name(wire: str, declared: str | None) -> str:
    if declared:
        return py_identifier(declared)
    if is_identifier(wire):
        return py_identifier(wire)
    for operator, word in _OPERATORS:
        stem = wire.removesuffix(operator)
        base = stem if is_identifier(stem) else snake_case(stem)  # as the plain name
        if stem != wire and is_identifier(base):
            return py_identifier(f"{base}_{word}")
    return py_identifier(snake_case(wire))


class Inputs:
    """Builds the wire-level parameters of one operation (see the module notes)."""

    def __init__(self, annotator: Annotator, warn: Warn) -> None:
        self.ann = annotator
        self.warn = warn

    # -- parameters ------------------------------------------------------------------

    def parameters(self, op: SpecOperation) -> list[Param]:
        out = [p for p in map(self.parameter, op.parameters) if p is not None]
        order = {name: i for i, name in enumerate(_PLACEHOLDER.findall(op.path))}
        for name in order:
            if not any(p.location == "path" and p.wire_name == name for p in out):
                raise Skip(op.loc, f"path placeholder {{{name}}} has no parameter")
        return sorted(out, key=lambda p: order.get(p.wire_name, -1) if p.location == "path" else 0)

    def parameter(self, param: SpecParameter) -> Param | None:
        location, name, at = param.location, param.name, param.loc
        required = param.required or location == "path"
        if location not in _STYLES:
            if required:
                raise Skip(at, f"required {location} parameter {name!r} is not supported")
            self.warn(at, f"{location} parameter {name!r} is not supported; skipped")
            return None
        schema, content = param.schema, ""
        if schema is None and param.content:
            media = json_media(param.content)
            schema = media.schema if media is not None else None
            content = media.media_type if media is not None else ""
        style = param.style or _STYLES[location][0]
        if style not in _STYLES[location]:
            message = f"{location} parameter style {style!r} is not supported"
            if required:
                raise Skip(at, message)
            self.warn(at, f"{message}; {name!r} skipped")
            return None
        if location == "header" and name.lower() in ("authorization", "content-type", "accept"):
            self.warn(at, f"header parameter {name!r} is set by the client; skipped")
            return None
        declared = param.x_python_name or (schema.x_python_name if schema else None)
        default, send = self.default(param.x_send_default, schema, at)
        return Param(
            wire_name=name,
            python_name=_python_name(name, declared),
            location=cast(ParamLocation, location),
            type=STR if schema is None or schema.is_empty else self.ann.type_of(schema, "input"),
            required=required,
            default=default,
            send_default=send,
            description=(param.description or "").strip(),
            # OpenAPI: ``explode`` defaults to true for ``form``, false for the others
            # (``deepObject`` is only defined exploded).
            explode=param.explode if param.explode is not None else style in _EXPLODED,
            bool_style=param.x_bool_style or "lower",
            reserved=bool(param.x_allow_reserved or param.allow_reserved),
            style=style,
            content=content,
        )

    def default(
        self, send: bool | None, schema: SpecSchema | None, at: Loc
    ) -> tuple[str | None, bool]:
        """``x-send-default`` (on the holder or the schema): the default's source, True."""
        if not (send or (schema is not None and schema.x_send_default)):
            return None, False
        if schema is None or schema.default is None:
            self.warn(at, "x-send-default without a default; ignored")
            return None, False
        return python_literal(schema.default.value), True

    # -- request body ----------------------------------------------------------------

    def body(self, op: SpecOperation, framed: bool = False) -> tuple[Body, list[Param]]:
        raw = op.request_body
        if raw is None:
            return Body(), []
        media = json_media(raw.content, framed)
        if media is not None:
            return self._json_body(raw, media)
        for form_type, kind in (
            ("multipart/form-data", "multipart"),
            ("application/x-www-form-urlencoded", "form"),
        ):
            found = next((m for m in raw.content if m.media_type == form_type), None)
            if found is not None:
                return self._form_body(found, kind, raw.required, raw.loc)
        raw_media = next((m for m in raw.content if _is_raw(m)), None)
        if raw_media is not None:
            name = raw.x_body_name or "body"
            body = Body("binary", name, required=raw.required, content_type=raw_media.media_type)
            described = (raw.description or "").strip()
            return body, [Param(name, name, "body", CONTENT, raw.required, description=described)]
        names = ", ".join(sorted(m.media_type for m in raw.content)) or "none"
        message = f"request body media type(s) {names} not supported"
        if raw.required:
            raise Skip(raw.loc, message)
        self.warn(raw.loc, message + "; body skipped")
        return Body(), []

    def _json_body(self, raw: SpecBody, media: SpecMediaType) -> tuple[Body, list[Param]]:
        schema, required = media.schema, raw.required
        shape = object_shape(schema)
        name = raw.x_body_name
        if name is not None or schema is None or shape is None or (not shape[0] and shape[2]):
            pname = name or "body"
            param = Param(
                pname,
                pname,
                "body",
                self.ann.type_of(schema, "input"),
                required,
                description=(raw.description or "").strip(),
            )
            body = Body("json_whole", pname, required=required, content_type=media.media_type)
            return body, [param]
        props, req, extra = shape
        params = []
        for wire, prop in props.items():
            if prop.read_only:
                continue
            send = prop.x_send_default
            if schema.x_send_default and send is None:
                send = prop.default is not None
            default, sent = self.default(send, prop, raw.loc) if send else (None, False)
            params.append(
                Param(
                    wire,
                    _python_name(wire, prop.x_python_name),
                    "body",
                    self.ann.type_of(prop, "input"),
                    required and wire in req,
                    default,
                    sent,
                    description=(prop.description or "").strip(),
                )
            )
        body = Body("json_flat", extra=extra, required=required, content_type=media.media_type)
        return body, params

    def _form_body(
        self, media: SpecMediaType, kind: str, required: bool, at: Loc
    ) -> tuple[Body, list[Param]]:
        shape = object_shape(media.schema)
        if shape is None:
            raise Skip(at, "a form body must be an object schema")
        props, req, extra = shape
        params = []
        for wire, prop in props.items():
            if prop.read_only:
                continue
            items = prop.items if prop.types == ("array",) else None
            is_file = prop.format == "binary" or (items is not None and items.format == "binary")
            location = "file" if is_file and kind == "multipart" else "form"
            type_ = self.ann.type_of(prop, "input")
            if is_file:
                single = items is None or items.is_empty
                type_ = FILE if single else sequence_of(FILE)
            default, send = self.default(prop.x_send_default, prop, at)
            params.append(
                Param(
                    wire,
                    _python_name(wire, prop.x_python_name),
                    cast(ParamLocation, location),
                    type_,
                    required and wire in req,
                    default,
                    send,
                    description=(prop.description or "").strip(),
                )
            )
        body_kind: BodyKind = "multipart" if kind == "multipart" else "form"
        return Body(body_kind, extra=extra, required=required), params
