"""``LoadedSpec`` -> :class:`SpecDocument`: the one reader of the bundled spec dict.

Design notes
------------
* Entry point: :func:`parse_spec`. It raises ``SpecError`` for an ``x-`` extension that
  is unknown, misplaced or of the wrong shape; it has no warnings of its own (the
  loader's stay in ``LoadedSpec.diagnostics``).
* First the whole document is walked with the OpenAPI kinds the loader uses
  (``load.kinds.children``), in document order, so an ``x-`` key is an extension only
  where OpenAPI allows one (a header named ``x-next`` or a property ``x-foo`` is a
  name; nothing inside ``example``/``default``/``enum`` values is looked at), and every
  extension anywhere (callbacks and unused components included) is checked. Checking
  means reading: the value becomes its typed record (:mod:`codegen.spec.xvalues`),
  remembered per object, and the records built afterwards take their ``x_*`` fields
  from there. The first problem raises, with the file, line and JSON pointer of the
  offending nested key.
* Then the records (:mod:`codegen.spec.records`). ``$ref`` is resolved here and only
  here: schemas by :class:`codegen.spec.schemaparse.SchemaParser` (one shared record per
  schema), other objects (parameters, bodies, responses, headers, security schemes) by
  :meth:`_Parser.deref`, which follows the reference and reads the target. Those records
  are located where the operation uses them (the ``$ref``), their schemas where the
  schemas are.
* Parameters: the path item's, then the operation's; an operation parameter with the
  same ``in`` and ``name`` replaces the path item's in its place.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from codegen.diagnostics import Diagnostic, format_pointer, split_pointer
from codegen.load.kinds import children, is_object_kind
from codegen.load.loader import LoadedSpec
from codegen.spec.extensions import EXTENSIONS, is_ignored
from codegen.spec.records import (
    Loc,
    SecurityRequirement,
    SpecBody,
    SpecDocument,
    SpecHeader,
    SpecMediaType,
    SpecOperation,
    SpecParameter,
    SpecResponse,
    SpecSchema,
    SpecSecurityScheme,
    SpecServer,
    SpecServerVariable,
)
from codegen.spec.schemaparse import SchemaParser
from codegen.spec.shapes import Bad
from codegen.spec.xvalues import Pointer

__all__ = ["HTTP_METHODS", "parse_spec"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_OPERATION_X = {
    "x-python-name": "x_python_name",
    "x-python-resource": "x_python_resource",
    "x-idempotent": "x_idempotent",
    "x-idempotency-key": "x_idempotency_key",
    "x-conflict-recovery": "x_conflict_recovery",
    "x-pagination": "x_pagination",
    "x-methods": "x_methods",
    "x-stream": "x_stream",
    "x-success-statuses": "x_success_statuses",
    "x-body-codec": "x_body_codec",
    "x-body-codec-options": "x_body_codec_options",
    "x-result": "x_result",
    "x-transport": "x_transport",
    "x-transport-options": "x_transport_options",
}
_PARAMETER_X = {
    "x-python-name": "x_python_name",
    "x-send-default": "x_send_default",
    "x-bool-style": "x_bool_style",
    "x-allow-reserved": "x_allow_reserved",
}
_ROOT_X = {
    "x-python-client": "x_python_client",
    "x-errors": "x_errors",
    "x-retries": "x_retries",
    "x-timeout": "x_timeout",
    "x-python-custom": "x_python_custom",
    "x-transports": "x_transports",
    "x-body-codec": "x_body_codec",
    "x-result": "x_result",
    "x-transport": "x_transport",
    "x-transport-options": "x_transport_options",
}


def parse_spec(spec: LoadedSpec, *, strict: bool = False) -> SpecDocument:
    """The typed records of ``spec`` (see the module notes); raises ``SpecError``.

    ``x-`` keys that are not ours are vendor extensions: ignored, and listed once as
    an info diagnostic with their counts (``strict``: an error, as in our own specs).
    One that looks like a misspelling of ours (``x-python-nme``) is always an error."""
    parser = _Parser(spec, strict)
    document = parser.document()
    del parser.schemas  # it calls back into the parser: a cycle holding every record
    if parser.vendor:
        counts = ", ".join(f"{k} ({n})" for k, n in sorted(parser.vendor.items()))
        total = sum(parser.vendor.values())
        first = parser.vendor_at
        file, line, file_pointer = spec.origin(first)
        spec.diagnostics.append(
            Diagnostic(
                file,
                line,
                file_pointer,
                f"{total} vendor extension key(s) ignored: {counts}",
                severity="info",
            )
        )
    return document


def _text(node: Mapping[str, Any], key: str) -> str | None:
    value = node.get(key)
    return value if isinstance(value, str) else None


def _items(node: Any, key: str) -> Iterator[tuple[str, Any]]:
    value = node.get(key) if isinstance(node, dict) else None
    if isinstance(value, dict):
        yield from ((str(k), v) for k, v in value.items())


def _typed(found: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    return {names[key]: value for key, value in found.items() if key in names}


_IGNORED = object()


class _Parser:
    def __init__(self, spec: LoadedSpec, strict: bool = False) -> None:
        self.spec = spec
        self.strict = strict
        self.vendor: Counter[str] = Counter()  # ignored vendor extension keys
        self.vendor_at: Pointer = ()
        self.doc = spec.document
        self.found: dict[Pointer, Mapping[str, Any]] = {}
        self.schemas = SchemaParser(self.doc, self.loc, self.extensions)

    # -- the Context of xvalues -------------------------------------------------------

    def loc(self, ptr: Pointer) -> Loc:
        file, line, file_pointer = self.spec.origin(ptr)
        return Loc(format_pointer(ptr), file, line, file_pointer)

    def schema(self, node: Any, ptr: Pointer) -> SpecSchema:
        return self.schemas.schema(node, ptr)

    # -- extensions --------------------------------------------------------------------

    def check(self, node: Any, kind: str, ptr: Pointer) -> None:
        """Read every extension of the document (see the module notes)."""
        if isinstance(node, dict) and is_object_kind(kind):
            self.extensions(node, ptr, kind)
        for key, value, sub_kind in children(node, kind):
            self.check(value, sub_kind, (*ptr, str(key)))

    def extensions(self, node: dict[str, Any], ptr: Pointer, kind: str) -> Mapping[str, Any]:
        """The typed values of the ``x-`` keys of the object at ``ptr`` (of ``kind``)."""
        got = self.found.get(ptr)
        if got is None:
            read = {
                key: self._extension(key, value, node, kind, ptr)
                for key, value in node.items()
                if isinstance(key, str) and key.startswith("x-") and not is_ignored(key)
            }
            got = {key: value for key, value in read.items() if value is not _IGNORED}
            self.found[ptr] = got
        return got

    def _extension(
        self, name: str, value: Any, owner: dict[str, Any], kind: str, ptr: Pointer
    ) -> Any:
        where = (*ptr, name)
        extension = EXTENSIONS.get(name)
        if extension is None:
            close = difflib.get_close_matches(name, EXTENSIONS, n=1, cutoff=0.8)
            looks_ours = bool(close) or name.startswith("x-python")
            if not self.strict and not looks_ours:
                if not self.vendor:
                    self.vendor_at = where
                self.vendor[name] += 1
                return _IGNORED
            close = close or difflib.get_close_matches(name, EXTENSIONS, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise self.spec.error(
                where,
                f"unknown extension {name!r} (the accepted ones are listed "
                f"in docs/extensions.md){hint}",
            )
        if kind not in extension.where:
            raise self.spec.error(
                where,
                f"{name} does not belong on a {kind} object (only on: "
                f"{', '.join(sorted(extension.where))})",
            )
        try:
            return extension.read(value, owner, self, where)
        except Bad as bad:
            at = (*where, *(str(s) for s in bad.path))
            raise self.spec.error(at, f"{name}: {bad.message}") from None

    # -- references to non-schema objects ---------------------------------------------

    def deref(self, node: Any, ptr: Pointer) -> tuple[dict[str, Any], Pointer]:
        """The object a (chain of) ``$ref`` leads to, and its pointer."""
        for _ in range(20):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                break
            try:
                ptr = split_pointer(node["$ref"])
            except ValueError:
                return {}, ptr
            node = self.doc
            for seg in ptr:
                node = node.get(seg) if isinstance(node, dict) else None
        return (node, ptr) if isinstance(node, dict) else ({}, ptr)

    # -- the document -----------------------------------------------------------------

    def document(self) -> SpecDocument:
        self.check(self.doc, "root", ())
        info = self.doc.get("info")
        info = info if isinstance(info, dict) else {}
        components = self.doc.get("components")
        schemes = tuple(
            self._scheme(key, raw, ("components", "securitySchemes", key))
            for key, raw in _items(components, "securitySchemes")
        )
        servers = self.doc.get("servers")
        operations = tuple(self._operations())
        schemas = tuple(
            (key, self.schema(raw, ("components", "schemas", key)))
            for key, raw in _items(components, "schemas")
        )
        self.schemas.finish()
        return SpecDocument(
            self.spec.openapi_version,
            title=str(info.get("title") or ""),
            version=str(info.get("version") or ""),
            description=_text(info, "description"),
            servers=tuple(
                self._server(raw, ("servers", str(i)))
                for i, raw in enumerate(servers if isinstance(servers, list) else [])
                if isinstance(raw, dict)
            ),
            security_schemes=schemes,
            security=self._security(self.doc, ()),
            operations=operations,
            schemas=schemas,
            **_typed(self.extensions(self.doc, (), "root"), _ROOT_X),
            loc=self.loc(()),
        )

    def _server(self, node: dict[str, Any], ptr: Pointer) -> SpecServer:
        variables = []
        for name, raw in _items(node, "variables"):
            var = raw if isinstance(raw, dict) else {}
            enum = var.get("enum")
            variables.append(
                SpecServerVariable(
                    name,
                    str(var.get("default", "")),
                    tuple(str(v) for v in enum) if isinstance(enum, list) else (),
                    _text(var, "description"),
                    loc=self.loc((*ptr, "variables", name)),
                )
            )
        url = node.get("url")
        return SpecServer(
            None if url is None else str(url),
            _text(node, "description"),
            tuple(variables),
            loc=self.loc(ptr),
        )

    def _scheme(self, name: str, raw: Any, ptr: Pointer) -> SpecSecurityScheme:
        node, _ = self.deref(raw, ptr)
        flows = node.get("flows") if isinstance(node, dict) else None
        flow = flows.get("clientCredentials") if isinstance(flows, dict) else None
        flow = flow if isinstance(flow, dict) else {}
        scopes = flow.get("scopes")
        return SpecSecurityScheme(
            name,
            _text(node, "type"),
            _text(node, "scheme"),
            _text(node, "bearerFormat"),
            _text(node, "in"),
            _text(node, "name"),
            _text(node, "description"),
            _text(node, "openIdConnectUrl"),
            _text(flow, "tokenUrl"),
            tuple(str(s) for s in scopes) if isinstance(scopes, dict) else (),
            loc=self.loc(ptr),
        )

    def _security(
        self, holder: dict[str, Any], ptr: Pointer
    ) -> tuple[SecurityRequirement, ...] | None:
        if "security" not in holder:
            return None
        raw = holder["security"]
        out = []
        for i, alternative in enumerate(raw if isinstance(raw, list) else []):
            schemes = []
            for name, scopes in (alternative if isinstance(alternative, dict) else {}).items():
                listed = tuple(str(s) for s in scopes) if isinstance(scopes, list) else ()
                schemes.append((str(name), listed))
            out.append(
                SecurityRequirement(tuple(schemes), loc=self.loc((*ptr, "security", str(i))))
            )
        return tuple(out)

    # -- operations --------------------------------------------------------------------

    def _operations(self) -> Iterator[SpecOperation]:
        for path, item in _items(self.doc, "paths"):
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    yield self._operation(path, method, op, item)

    def _operation(
        self, path: str, method: str, op: dict[str, Any], item: dict[str, Any]
    ) -> SpecOperation:
        ptr = ("paths", path, method)
        merged: dict[tuple[str, str], SpecParameter] = {}
        for where, holder in ((ptr[:2], item), (ptr, op)):
            listed = holder.get("parameters")
            for i, raw in enumerate(listed if isinstance(listed, list) else []):
                param = self._parameter(raw, (*where, "parameters", str(i)))
                if param is not None:
                    merged[(param.location, param.name)] = param
        tags = op.get("tags")
        body = op.get("requestBody")
        return SpecOperation(
            method,
            path,
            operation_id=_text(op, "operationId"),
            tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
            summary=_text(op, "summary"),
            description=_text(op, "description"),
            deprecated=bool(op.get("deprecated")),
            parameters=tuple(merged.values()),
            request_body=None if body is None else self._body(body, (*ptr, "requestBody")),
            responses=tuple(
                self._response(status, raw, (*ptr, "responses", status))
                for status, raw in _items(op, "responses")
            ),
            security=self._security(op, ptr),
            **_typed(self.extensions(op, ptr, "operation"), _OPERATION_X),
            loc=self.loc(ptr),
        )

    def _content(self, node: dict[str, Any], ptr: Pointer) -> tuple[SpecMediaType, ...]:
        out = []
        for media_type, media in _items(node, "content"):
            where = (*ptr, "content", media_type)
            raw = media.get("schema") if isinstance(media, dict) else None
            schema = self.schema(raw, (*where, "schema")) if isinstance(raw, dict) else None
            out.append(SpecMediaType(media_type, schema, loc=self.loc(where)))
        return tuple(out)

    def _parameter(self, raw: Any, ptr: Pointer) -> SpecParameter | None:
        node, where = self.deref(raw, ptr)
        if "name" not in node or "in" not in node:
            return None
        schema = node.get("schema")
        explode = node.get("explode")
        return SpecParameter(
            str(node["name"]),
            str(node["in"]),
            required=bool(node.get("required")),
            description=_text(node, "description"),
            deprecated=bool(node.get("deprecated")),
            style=_text(node, "style"),
            explode=explode if isinstance(explode, bool) else None,
            allow_reserved=bool(node.get("allowReserved")),
            schema=self.schema(schema, (*where, "schema")) if isinstance(schema, dict) else None,
            content=self._content(node, where),
            **_typed(self.extensions(node, where, "parameter"), _PARAMETER_X),
            loc=self.loc(ptr),
        )

    def _body(self, raw: Any, ptr: Pointer) -> SpecBody:
        node, where = self.deref(raw, ptr)
        found = self.extensions(node, where, "requestBody") if node else {}
        return SpecBody(
            _text(node, "description"),
            bool(node.get("required")),
            self._content(node, where),
            found.get("x-body-name"),
            loc=self.loc(ptr),
        )

    def _response(self, status: str, raw: Any, ptr: Pointer) -> SpecResponse:
        node, where = self.deref(raw, ptr)
        headers = []
        for name, value in _items(node, "headers"):
            header, at = self.deref(value, (*where, "headers", name))
            schema = header.get("schema")
            headers.append(
                SpecHeader(
                    name,
                    _text(header, "description"),
                    bool(header.get("required")),
                    bool(header.get("deprecated")),
                    self.schema(schema, (*at, "schema")) if isinstance(schema, dict) else None,
                    loc=self.loc((*where, "headers", name)),
                )
            )
        return SpecResponse(
            status,
            _text(node, "description"),
            self._content(node, where),
            tuple(headers),
            loc=self.loc(ptr),
        )
