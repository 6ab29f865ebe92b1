"""One endpoint in two versions: lifecycle, security, parameters, body, responses.

Design notes
------------
* :class:`OperationDiff` compares a matched pair of operations (``codegen.diff.wire``
  matches them); schemas go to :class:`codegen.diff.schemas.SchemaWalk`, one per
  direction, sharing the diff's cache of schema pairs known equal.
* Parameters are matched by ``in`` and name (header names case-insensitively); path
  parameters by name, else by their position among the placeholders the other version
  lacks (:func:`path_keys`), so a renamed placeholder is the same parameter.
* Security is the effective requirement (the operation's, else the document's):
  alternatives are sets of scheme names; a client using an alternative the newer spec
  no longer accepts is refused (``security-added``).
* Lifecycle: ``deprecated`` comes from the records; ``x-sunset`` and
  ``x-stability-level`` are vendor extensions the spec layer ignores, so they are read
  from the bundled document at the operation's pointer (the only raw read of the diff).
* Statuses: ``4xx`` and ``4XX`` are one; ``2XX`` statuses are successes, everything
  else (``default`` included) an error response.
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

__all__ = ["OperationDiff", "PLACEHOLDER", "path_keys", "raw_at"]

PLACEHOLDER = re.compile(r"\{[^}/]*\}")
_STABILITY = ("draft", "alpha", "beta", "stable")


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


class OperationDiff:
    """Reports the changes between two versions of one operation."""

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
    mine = [p[1:-1] for p in PLACEHOLDER.findall(path)]
    theirs = {p[1:-1] for p in PLACEHOLDER.findall(other)}
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
