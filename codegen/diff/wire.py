"""HTTP-level comparison of two spec documents: which endpoints match, and what changed
API-wide (servers, security schemes); each matched pair goes to
:class:`codegen.diff.operation.OperationDiff`.

Design notes
------------
* Operations are matched by method and path *shape* (``/pets/{petId}`` and
  ``/pets/{id}`` are one endpoint: only the name of a placeholder changed, which the
  SDK comparison reports as a renamed argument). An endpoint that disappears while one
  with the same ``operationId`` appears elsewhere has moved (``endpoint-path-changed``)
  and is compared with its new self.
* A removed endpoint is located at another method of its path in the newer spec when
  there is one, else at the document.
* One cache of schema pairs found equal serves every operation (a schema used by 300
  operations is compared once).
"""

from __future__ import annotations

from typing import Any

from codegen.diff.emit import Emitter
from codegen.diff.operation import PLACEHOLDER, OperationDiff
from codegen.spec.records import SpecDocument, SpecOperation

__all__ = ["compare_wire", "endpoint_key", "operation_label"]


def endpoint_key(op: SpecOperation) -> tuple[str, str]:
    return op.method, PLACEHOLDER.sub("{}", op.path)


def operation_label(op: SpecOperation) -> str:
    return f"{op.method.upper()} {op.path}"


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
            before, after = PLACEHOLDER.findall(op.path), PLACEHOLDER.findall(new_op.path)
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
        OperationDiff(at, old, new, old_raw, new_raw, equal).compare(old_op, new_op)
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
