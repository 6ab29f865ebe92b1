"""SDK-level comparison: two :class:`codegen.diff.surface.Surface`\\ s.

Design notes
------------
* Methods are matched through their endpoints (the wire comparison's pairs, moved
  endpoints included), not their names, so a renamed ``operationId`` or
  ``x-python-name`` is a renamed method and a new tag or ``x-python-resource`` a moved
  one, never a removed and an added method.
* Classes are matched by name; a class that disappears while a new one with an equal
  schema record appears was renamed (``class-renamed``; several equal ones are paired
  by name, never by their order in the surface). Type texts are compared after
  applying those renames, so a rename is reported once, not again on every signature
  that mentions the class.
* Changes the wire comparison already reported for a parameter (it became required,
  its type changed) are not repeated as signature changes: ``method-parameter-*``
  rules cover what only the Python side sees (a type that changed through a class, a
  keyword renamed by ``x-python-name``, a default).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from codegen.diff.change import Change
from codegen.diff.emit import Emitter
from codegen.diff.operation import path_keys
from codegen.diff.surface import ClassSig, MethodSig, ParamSig, Surface
from codegen.spec.records import Loc

__all__ = ["compare_sdk"]


def compare_sdk(
    old: Surface,
    new: Surface,
    emit: Emitter,
    endpoints: Iterable[tuple[tuple[str, str], tuple[str, str]]],
    wire: list[Change],
) -> None:
    renames = _classes(old, new, emit)
    _public(old, new, emit)
    olds: dict[tuple[str, str], list[MethodSig]] = {}
    for m in old.methods:
        olds.setdefault(m.endpoint, []).append(m)
    news: dict[tuple[str, str], list[MethodSig]] = {}
    for m in new.methods:
        news.setdefault(m.endpoint, []).append(m)
    touched = {(c.where.operation, c.where.path) for c in wire}
    severe = {(c.where.operation, c.where.path) for c in wire if c.level != "info"}
    for old_key, new_key in endpoints:
        a, b = olds.get(old_key, []), news.get(new_key, [])
        if not b:
            continue
        at = emit.scoped(b[0].operation)
        for before, after in _pair_methods(a, b, at):
            _method(before, after, at, renames, touched, severe)


def _pair_methods(
    old: list[MethodSig], new: list[MethodSig], emit: Emitter
) -> list[tuple[MethodSig, MethodSig]]:
    pairs = []
    left = list(old)
    for m in new:
        match = next(
            (o for o in left if o.primary == m.primary and (m.primary or o.name == m.name)), None
        )
        if match is None:
            emit("method-added", m.loc, f"method {m.ref}", m.ref, new=m.ref)
            continue
        left.remove(match)
        pairs.append((match, m))
    for m in left:
        emit("method-removed", new[0].loc if new else None, f"method {m.ref}", m.ref, old=m.ref)
    return pairs


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _renamed(text: str, renames: dict[str, str]) -> str:
    if not renames:
        return text
    return _WORD.sub(lambda m: renames.get(m.group(0), m.group(0)), text)


def _method(
    old: MethodSig,
    new: MethodSig,
    emit: Emitter,
    renames: dict[str, str],
    touched: set[tuple[str, str]],
    severe: set[tuple[str, str]],
) -> None:
    if old.resource != new.resource:
        emit("method-moved", new.loc, f"method {old.ref}", new.ref, old=old.ref, new=new.ref)
    elif old.name != new.name:
        emit("method-renamed", new.loc, f"method {old.ref}", new.ref, old=old.ref, new=new.ref)
    ref = new.ref
    if _renamed(old.returns, renames) != new.returns and not _response_touched(new, severe):
        emit(
            "method-return-type-changed",
            new.loc,
            f"method {ref} result",
            new.returns,
            method=ref,
            old=old.returns,
            new=new.returns,
        )
    _params(old, new, emit, renames, touched)
    _errors(old, new, emit)


def _response_touched(m: MethodSig, touched: set[tuple[str, str]]) -> bool:
    return any(op == m.operation and path.startswith("response ") for op, path in touched)


def _param_key(p: ParamSig, keys: dict[str, str]) -> tuple[str, str]:
    if p.location == "path" and p.wire_name in keys:
        return ("path", keys[p.wire_name])
    return (p.location, p.wire_name)


def _path(m: MethodSig) -> str:
    return m.operation.split(" ", 1)[1]


def _params(
    old: MethodSig,
    new: MethodSig,
    emit: Emitter,
    renames: dict[str, str],
    touched: set[tuple[str, str]],
) -> None:
    ref = new.ref
    old_keys, new_keys = path_keys(_path(old), _path(new)), path_keys(_path(new), _path(old))
    olds = {_param_key(p, old_keys): p for p in old.params}
    wire_paths = {path for op, path in touched if op == new.operation}
    for p in new.params:
        before = olds.get(_param_key(p, new_keys))
        if before is None:
            continue  # a new argument: the wire comparison reports the new parameter
        label = f"method {ref} argument {p.python_name}"
        if before.python_name != p.python_name:
            rule = "path-parameter-renamed" if p.location == "path" else "method-parameter-renamed"
            emit(
                rule,
                new.loc,
                f"method {ref} argument {before.python_name}",
                p.python_name,
                method=ref,
                old=before.python_name,
                new=p.python_name,
            )
        if any(f"`{p.wire_name}" in path for path in wire_paths):
            continue  # the wire comparison reported this parameter's change
        if before.required != p.required and p.required:
            emit("method-parameter-became-required", new.loc, label, method=ref, name=p.python_name)
        if _renamed(before.type, renames) != p.type:
            emit(
                "method-parameter-type-changed",
                new.loc,
                label,
                p.type,
                method=ref,
                name=p.python_name,
                old=before.type,
                new=p.type,
            )
        if not p.required and not before.required and before.default != p.default:
            emit(
                "method-parameter-default-changed",
                new.loc,
                label,
                str(p.default),
                method=ref,
                name=p.python_name,
                old=before.default,
                new=p.default,
            )


def _errors(old: MethodSig, new: MethodSig, emit: Emitter) -> None:
    ref = new.ref
    a, b = dict(old.errors), dict(new.errors)
    for status, cls in b.items():
        if status not in a:
            emit(
                "error-status-added",
                new.loc,
                f"method {ref} errors",
                status,
                method=ref,
                status=status,
                error_class=cls,
            )
        elif a[status] != cls:
            emit(
                "error-class-changed",
                new.loc,
                f"method {ref} errors",
                status,
                method=ref,
                status=status,
                old=a[status],
                new=cls,
            )
    for status, cls in a.items():
        if status not in b:
            emit(
                "error-status-removed",
                new.loc,
                f"method {ref} errors",
                status,
                method=ref,
                status=status,
                error_class=cls,
            )


def _classes(old: Surface, new: Surface, emit: Emitter) -> dict[str, str]:
    """Model and enum classes (root kinds are left out: datamodel-code-generator turns
    many of them into inline annotations, not names; their changes show on the wire)."""
    gone = sorted(
        (c for name, c in old.classes.items() if name not in new.classes and c.kind != "root"),
        key=lambda c: c.name,
    )
    came = sorted(
        (c for name, c in new.classes.items() if name not in old.classes and c.kind != "root"),
        key=lambda c: c.name,
    )
    renames: dict[str, str] = {}
    for c in gone:
        twin = _twin(c, came)
        if twin is not None:
            came.remove(twin)
            renames[c.name] = twin.name
            emit(
                "class-renamed",
                _loc(twin, new),
                f"class {c.name}",
                twin.name,
                old=c.name,
                new=twin.name,
            )
        else:
            emit("class-removed", new.loc, f"class {c.name}", old=c.name)
    for c in came:
        emit("class-added", _loc(c, new), f"class {c.name}", new=c.name)
    for name, c in new.classes.items():
        before = old.classes.get(name)
        if before is None:
            before = next((old.classes[o] for o, n in renames.items() if n == name), None)
        if before is not None:
            _class(before, c, emit, _loc(c, new))
    return renames


def _twin(old: ClassSig, came: list[ClassSig]) -> ClassSig | None:
    """The new class ``old`` was renamed to: same kind, equal schema record; among equal
    ones the name ending most like ``old``'s (``GetPetResponse`` -> ``FetchPetResponse``),
    then the first by name. Never the surface's order, which is not the spec's."""
    equal = [
        n for n in came if n.kind == old.kind and n.record is not None and n.record == old.record
    ]
    return max(equal, key=lambda n: _common_suffix(old.name, n.name), default=None)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _loc(c: ClassSig, surface: Surface) -> Loc | None:
    return c.record.loc if c.record is not None else surface.loc


def _class(old: ClassSig, new: ClassSig, emit: Emitter, loc: Loc | None) -> None:
    cls = new.name
    a, b = dict(old.members), dict(new.members)
    for value, member in b.items():
        if value not in a:
            emit(
                "enum-member-added", loc, f"class {cls} member {member}", value, cls=cls, new=member
            )
        elif a[value] != member:
            emit(
                "enum-member-renamed",
                loc,
                f"class {cls} member {a[value]}",
                member,
                cls=cls,
                old=a[value],
                new=member,
            )
    for value, member in a.items():
        if value not in b:
            emit(
                "enum-member-removed",
                loc,
                f"class {cls} member {member}",
                value,
                cls=cls,
                old=member,
            )
    la, lb = dict(old.links), dict(new.links)
    for link in lb:
        if link not in la:
            emit(
                "public-name-added",
                loc,
                f"method {cls}.{link}",
                kind="model method",
                new=f"{cls}.{link}",
            )
        elif lb[link][: len(la[link])] != la[link]:  # positional arguments taken away
            emit(
                "method-parameter-renamed",
                loc,
                f"method {cls}.{link}",
                ",".join(lb[link]),
                method=f"{cls}.{link}",
                old=f"positional {list(la[link])}",
                new=f"positional {list(lb[link])}",
            )
    for link in la:
        if link not in lb:
            emit(
                "public-name-removed",
                loc,
                f"method {cls}.{link}",
                kind="model method",
                old=f"{cls}.{link}",
            )
    fa, fb = dict(old.fields), dict(new.fields)
    for wire, attr in fb.items():
        if wire in fa and fa[wire] != attr:
            emit(
                "model-field-renamed",
                loc,
                f"class {cls} attribute {fa[wire]}",
                attr,
                cls=cls,
                old=fa[wire],
                new=attr,
            )


def _public(old: Surface, new: Surface, emit: Emitter) -> None:
    for kind, a, b in (
        ("client class", {old.client, old.async_client}, {new.client, new.async_client}),
        ("exception", set(old.exceptions), set(new.exceptions)),
        ("hand-written export", set(old.exports), set(new.exports)),
    ):
        for name in sorted(b - a):
            emit("public-name-added", new.loc, f"{kind} {name}", kind=kind, new=name)
        for name in sorted(a - b):
            emit("public-name-removed", new.loc, f"{kind} {name}", kind=kind, old=name)
    for code, cls in new.codes.items():
        if code not in old.codes:
            emit("error-code-added", new.loc, f"error code {code}", cls, code=code, new=cls)
    for code, cls in old.codes.items():
        if code not in new.codes:
            emit("error-code-removed", new.loc, f"error code {code}", cls, code=code, old=cls)
