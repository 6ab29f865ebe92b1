"""HTTP-level comparison of two spec documents: endpoints, parameters, bodies,
responses, security and lifecycle (schemas are :mod:`codegen.diff.schemas`').

Design notes
------------
* Operations are matched by method and path *shape* (``/pets/{petId}`` and
  ``/pets/{id}`` are one endpoint: only the name of a placeholder changed, which the
  SDK comparison reports as a renamed argument). An endpoint that disappears while one
  with the same ``operationId`` appears elsewhere has moved (``endpoint-path-changed``)
  and is compared with its new self.
* Parameters are matched by ``in`` and name; path parameters by their position in the
  path, so a renamed placeholder is not a removed and an added parameter.
* Security is compared as the effective requirement (the operation's, else the
  document's): alternatives are sets of scheme names; a client that used an
  alternative the newer spec no longer accepts is refused (``security-added``).
* Lifecycle: ``deprecated`` comes from the records; ``x-sunset`` and
  ``x-stability-level`` are vendor extensions the spec layer ignores, so they are read
  from the bundled document at the operation's pointer (the only raw read here).
"""

from __future__ import annotations

import re
from typing import Any

from codegen.diagnostics import split_pointer
from codegen.diff.emit import Emitter
from codegen.diff.schemas import Ctx, SchemaWalk
from codegen.spec.records import (
    SecurityRequirement,
    SpecBody,
    SpecDocument,
    SpecMediaType,
    SpecOperation,
    SpecParameter,
    SpecResponse,
    SpecSchema,
)

__all__ = ["compare_wire", "endpoint_key", "operation_label"]

_PLACEHOLDER = re.compile(r"\{[^}/]*\}")
_STABILITY = ("draft", "alpha", "beta", "stable")


def endpoint_key(op: SpecOperation) -> tuple[str, str]:
    return op.method, _PLACEHOLDER.sub("{}", op.path)


def operation_label(op: SpecOperation) -> str:
    return f"{op.method.upper()} {op.path}"


def raw_at(document: dict[str, Any], pointer: str) -> Any:
    node: Any = document
    for seg in split_pointer(pointer):
        if isinstance(node, dict) and seg in node:
            node = node[seg]
        elif isinstance(node, list) and seg.isdigit() and int(seg) < len(node):
            node = node[int(seg)]
        else:
            return None
    return node


def compare_wire(
    old: SpecDocument,
    new: SpecDocument,
    emit: Emitter,
    old_raw: dict[str, Any],
    new_raw: dict[str, Any],
) -> list[tuple[SpecOperation, SpecOperation]]:
    """Report the HTTP-level changes; returns the matched operation pairs."""
    olds = {endpoint_key(op): op for op in old.operations}
    news = {endpoint_key(op): op for op in new.operations}
    pairs = [(olds[k], news[k]) for k in news if k in olds]
    added = {k: op for k, op in news.items() if k not in olds}
    by_id = {op.operation_id: k for k, op in added.items() if op.operation_id}
    for key, op in olds.items():
        if key in news:
            continue
        moved_to = by_id.get(op.operation_id) if op.operation_id else None
        if moved_to is not None:
            new_op = added.pop(moved_to)
            at = emit.scoped(operation_label(new_op))
            at(
                "endpoint-path-changed",
                new_op.loc,
                "endpoint",
                new_op.path,
                operation_id=op.operation_id,
                old=op.path,
                new=new_op.path,
            )
            before, after = _PLACEHOLDER.findall(op.path), _PLACEHOLDER.findall(new_op.path)
            fresh = [n[1:-1] for n in after if n not in before]
            for name in fresh[: max(0, len(after) - len(before))]:
                at(
                    "request-path-parameter-added",
                    new_op.loc,
                    f"path parameter `{name}`",
                    name=name,
                )
            pairs.append((op, new_op))
            continue
        at = emit.scoped(operation_label(op))
        rule = "endpoint-removed-after-deprecation" if op.deprecated else "endpoint-removed"
        at(rule, _path_loc(new, op) or new.loc, "endpoint")
    for op in added.values():
        emit.scoped(operation_label(op))("endpoint-added", op.loc, "endpoint")
    equal: dict[tuple[int, int], bool] = {}
    for old_op, new_op in pairs:
        at = emit.scoped(operation_label(new_op))
        _Operation(at, old, new, old_raw, new_raw, equal).compare(old_op, new_op)
    _document(old, new, emit)
    return pairs


def _path_loc(doc: SpecDocument, gone: SpecOperation) -> Any:
    """A newer record near a removed operation: another method of its path, if any."""
    for op in doc.operations:
        if op.path == gone.path:
            return op.loc
    return None


def _document(old: SpecDocument, new: SpecDocument, emit: Emitter) -> None:
    old_url = old.servers[0].url if old.servers else None
    new_url = new.servers[0].url if new.servers else None
    if old_url != new_url and old_url is not None:
        loc = new.servers[0].loc if new.servers else new.loc
        emit("server-url-changed", loc, "servers", str(new_url), old=old_url, new=new_url)
    schemes = {s.name: s for s in new.security_schemes}
    for scheme in old.security_schemes:
        now = schemes.get(scheme.name)
        if now is None or now == scheme:
            continue
        parts = []
        for attr in ("type", "scheme", "location", "param_name"):
            a, b = getattr(scheme, attr), getattr(now, attr)
            if a != b:
                parts.append(f"{attr} {a} -> {b}")
        if parts:
            detail = ", ".join(parts)
            emit(
                "security-scheme-changed",
                now.loc,
                f"security scheme `{scheme.name}`",
                detail,
                scheme=scheme.name,
                detail=detail,
            )


def _alternatives(
    reqs: tuple[SecurityRequirement, ...] | None,
) -> dict[frozenset[str], dict[str, tuple[str, ...]]]:
    out: dict[frozenset[str], dict[str, tuple[str, ...]]] = {}
    for req in reqs or ():
        out[frozenset(req.names)] = dict(req.schemes)
    return out


def _show_alts(alts: dict[frozenset[str], Any]) -> str:
    if not alts:
        return "none"
    return " or ".join("+".join(sorted(a)) or "anonymous" for a in sorted(alts, key=sorted))


class _Operation:
    def __init__(
        self,
        emit: Emitter,
        old_doc: SpecDocument,
        new_doc: SpecDocument,
        old_raw: dict[str, Any],
        new_raw: dict[str, Any],
        equal: dict[tuple[int, int], bool],
    ) -> None:
        self.emit = emit
        self.equal = equal
        self.old_doc, self.new_doc = old_doc, new_doc
        self.old_raw, self.new_raw = old_raw, new_raw

    def compare(self, old: SpecOperation, new: SpecOperation) -> None:
        emit = self.emit
        self._lifecycle(old, new)
        if old.operation_id != new.operation_id and old.operation_id and new.operation_id:
            emit(
                "operation-id-changed",
                new.loc,
                "operationId",
                new.operation_id,
                old=old.operation_id,
                new=new.operation_id,
            )
        if old.tags != new.tags:
            emit(
                "operation-tags-changed",
                new.loc,
                "tags",
                ",".join(new.tags),
                old=list(old.tags),
                new=list(new.tags),
            )
        self._security(old, new)
        self._parameters(old, new)
        self._body(old.request_body, new.request_body, new)
        self._responses(old, new)

    def _lifecycle(self, old: SpecOperation, new: SpecOperation) -> None:
        emit = self.emit
        raw_old = raw_at(self.old_raw, old.loc.pointer) or {}
        raw_new = raw_at(self.new_raw, new.loc.pointer) or {}
        if new.deprecated and not old.deprecated:
            emit("endpoint-deprecated", new.loc, "endpoint")
            if "x-sunset" not in raw_new:
                emit("endpoint-deprecated-without-sunset", new.loc, "endpoint")
        elif old.deprecated and not new.deprecated:
            emit("endpoint-reactivated", new.loc, "endpoint")
        a, b = raw_old.get("x-stability-level"), raw_new.get("x-stability-level")
        if a in _STABILITY and b in _STABILITY and _STABILITY.index(b) < _STABILITY.index(a):
            emit("endpoint-stability-decreased", new.loc, "x-stability-level", b, old=a, new=b)

    def _security(self, old: SpecOperation, new: SpecOperation) -> None:
        o = _alternatives(old.security if old.security is not None else self.old_doc.security)
        n = _alternatives(new.security if new.security is not None else self.new_doc.security)
        loc = (new.security[0].loc if new.security else None) or new.loc
        lost = [a for a in o if a not in n and frozenset() not in n]
        if lost and n:
            self.emit(
                "security-added",
                loc,
                "security",
                _show_alts(n),
                old=_show_alts(o),
                new=_show_alts(n),
                lost=_show_alts(dict.fromkeys(lost)),
            )
        elif o and (not n or frozenset() in n) and frozenset() not in o:
            self.emit(
                "security-removed",
                loc,
                "security",
                _show_alts(n),
                old=_show_alts(o),
                new=_show_alts(n),
            )
        for alt, schemes in n.items():
            if alt not in o:
                continue
            for scheme, scopes in schemes.items():
                before = o[alt].get(scheme, ())
                for scope in scopes:
                    if scope not in before:
                        self.emit(
                            "security-scope-added",
                            loc,
                            f"security `{scheme}`",
                            scope,
                            scheme=scheme,
                            new=scope,
                        )
                for scope in before:
                    if scope not in scopes:
                        self.emit(
                            "security-scope-removed",
                            loc,
                            f"security `{scheme}`",
                            scope,
                            scheme=scheme,
                            old=scope,
                        )

    def _parameters(self, old: SpecOperation, new: SpecOperation) -> None:
        emit = self.emit
        olds, news = _params_by_key(old, new), _params_by_key(new, old)
        walk = SchemaWalk(emit, "request", self.equal)
        for key, param in news.items():
            label = f"{param.location} parameter `{param.name}`"
            before = olds.get(key)
            if before is None:
                if param.location == "path":
                    continue  # a new placeholder: reported as the endpoint's path change
                rule = "required" if param.required else "optional"
                emit(f"request-parameter-added-{rule}", param.loc, label, param=label)
                continue
            if before.required != param.required:
                rule = "required" if param.required else "optional"
                emit(f"request-parameter-became-{rule}", param.loc, label, param=label)
            if param.deprecated and not before.deprecated:
                emit("request-parameter-deprecated", param.loc, label, param=label)
            serial = [
                f"{attr} {getattr(before, attr)} -> {getattr(param, attr)}"
                for attr in ("style", "explode", "allow_reserved")
                if getattr(before, attr) != getattr(param, attr)
            ]
            if serial:
                detail = ", ".join(serial)
                emit(
                    "request-parameter-serialization-changed",
                    param.loc,
                    label,
                    detail,
                    param=label,
                    detail=detail,
                )
            ctx = Ctx(f"{param.location} parameter", param.name)
            walk.compare(_param_schema(before), _param_schema(param), ctx, param.loc)
        for key, param in olds.items():
            if key not in news and param.location != "path":
                label = f"{param.location} parameter `{param.name}`"
                emit("request-parameter-removed", new.loc, label, param=label)

    def _body(self, old: SpecBody | None, new: SpecBody | None, op: SpecOperation) -> None:
        emit = self.emit
        if old is None and new is None:
            return
        if old is None:
            assert new is not None
            rule = "required" if new.required else "optional"
            emit(f"request-body-added-{rule}", new.loc, "request body")
            return
        if new is None:
            emit("request-body-removed", op.loc, "request body")
            return
        if old.required != new.required:
            rule = "required" if new.required else "optional"
            emit(f"request-body-became-{rule}", new.loc, "request body")
        walk = SchemaWalk(emit, "request", self.equal)
        self._media(old.content, new.content, walk, "request", "request body", new.loc, "")

    def _media(
        self,
        old: tuple[SpecMediaType, ...],
        new: tuple[SpecMediaType, ...],
        walk: SchemaWalk,
        direction: str,
        kind: str,
        loc: Any,
        status: str,
    ) -> None:
        olds = {m.media_type: m for m in old}
        news = {m.media_type: m for m in new}
        first = new[0].media_type if new else ""
        for media, m in news.items():
            if media not in olds:
                self.emit(
                    f"{direction}-media-type-added",
                    m.loc,
                    f"{kind} {media}",
                    media,
                    media=media,
                    status=status,
                )
                continue
            label = kind if media == first else f"{kind} ({media})"
            walk.compare(olds[media].schema, m.schema, Ctx(label), m.loc)
        for media in olds:
            if media not in news:
                self.emit(
                    f"{direction}-media-type-removed",
                    loc,
                    f"{kind} {media}",
                    media,
                    media=media,
                    status=status,
                )

    def _responses(self, old: SpecOperation, new: SpecOperation) -> None:
        emit = self.emit
        # "4xx" and "4XX" are one status; "default" is shown as written
        olds = {_status(r.status): r for r in old.responses}
        news = {_status(r.status): r for r in new.responses}
        walk = SchemaWalk(emit, "response", self.equal)
        for status, response in news.items():
            kind = "success" if _success(status) else "error"
            before = olds.get(status)
            if before is None:
                emit(
                    f"response-{kind}-status-added",
                    response.loc,
                    f"response {status}",
                    status,
                    status=status,
                )
                continue
            self._media(
                before.content,
                response.content,
                walk,
                "response",
                f"response {status} body",
                response.loc,
                status,
            )
            self._headers(before, response, walk, status)
        for status in olds:
            if status not in news:
                kind = "success" if _success(status) else "error"
                emit(
                    f"response-{kind}-status-removed",
                    new.loc,
                    f"response {status}",
                    status,
                    status=status,
                )

    def _headers(self, old: SpecResponse, new: SpecResponse, walk: SchemaWalk, status: str) -> None:
        olds = {h.name.lower(): h for h in old.headers}
        news = {h.name.lower(): h for h in new.headers}
        for key, header in news.items():
            label = f"response {status} header `{header.name}`"
            before = olds.get(key)
            if before is None:
                self.emit(
                    "response-header-added", header.loc, label, status=status, name=header.name
                )
                continue
            if before.required and not header.required:
                self.emit(
                    "response-header-became-optional",
                    header.loc,
                    label,
                    status=status,
                    name=header.name,
                )
            walk.compare(
                before.schema,
                header.schema,
                Ctx(f"response {status} header", header.name),
                header.loc,
            )
        for key, header in olds.items():
            if key not in news and header.required:
                self.emit(
                    "response-required-header-removed",
                    new.loc,
                    f"response {status} header `{header.name}`",
                    status=status,
                    name=header.name,
                )


def _status(status: str) -> str:
    return status if status == "default" else status.upper()


def _success(status: str) -> bool:
    return status.startswith("2")


def path_keys(path: str, other: str) -> dict[str, str]:
    """Path placeholder -> its matching key: its name when ``other`` (the path of the
    same endpoint in the other version) has it too, else its position among the
    placeholders ``other`` lacks (a renamed placeholder keeps its key)."""
    mine = [p[1:-1] for p in _PLACEHOLDER.findall(path)]
    theirs = {p[1:-1] for p in _PLACEHOLDER.findall(other)}
    loose = [n for n in mine if n not in theirs]
    return {n: (n if n in theirs else f"#{loose.index(n)}") for n in mine}


def _params_by_key(op: SpecOperation, other: SpecOperation) -> dict[tuple[str, str], SpecParameter]:
    keys = path_keys(op.path, other.path)
    out: dict[tuple[str, str], SpecParameter] = {}
    for param in op.parameters:
        if param.location == "path" and param.name in keys:
            out[("path", keys[param.name])] = param
        else:
            out[
                (param.location, param.name.lower() if param.location == "header" else param.name)
            ] = param
    return out


def _param_schema(param: SpecParameter) -> SpecSchema | None:
    if param.schema is not None:
        return param.schema
    return param.content[0].schema if param.content else None
