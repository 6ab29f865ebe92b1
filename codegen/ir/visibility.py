"""Request and response shapes: ``readOnly`` and ``writeOnly`` properties.

Design notes
------------
A ``readOnly`` property is sent by the server only, a ``writeOnly`` one by the client
only (OpenAPI 3.x, "Fixed Fields" of the Schema Object). One class cannot serve both
directions when such a property is required: a request would have to invent the
server's ``id``, a response would fail without the client's ``password``. So, on the
prepared document (after :func:`codegen.ir.schemas.prepare` hoisted every class):

* a class is on the *request* side when a request body or a parameter reaches it
  (through ``$ref``\\ s, properties, items, unions, ``allOf``), on the *response* side
  when anything else does (responses, streams, callbacks), or nothing (a component no
  operation names is a response shape, as declared);
* a *response* shape never requires a ``writeOnly`` property: it stays, optional;
* a *request* shape has no ``readOnly`` properties at all (not offered, not required),
  and its properties name request shapes;
* a class only requests use is changed in place (``NewPet`` loses its ``id``); one both
  sides use, whose request shape differs, gets a twin ``<Name>Request`` (first free of
  ``Request``, ``Input``, ``Params``) for the request side, and keeps its name for
  responses (``Pet`` stays what ``GET /pets/{id}`` returns). A class whose properties
  name a twinned class is twinned too, so nesting is handled: ``Order.items: list[Pet]``
  in a request body is ``OrderRequest.items: list[PetRequest]``.

Input types of methods pick the twin (:attr:`codegen.ir.schemas.Prepared.request_shapes`,
read by :class:`codegen.ir.annotate.Annotator` in ``input`` mode); a flattened body's
own ``readOnly`` properties are left out by :mod:`codegen.ir.inputs`.

The rule is the specification's: a ``readOnly`` property in ``required`` is required in
responses only, a ``writeOnly`` one in requests only. Other generators leave
``readOnly`` properties out of request models too (openapi-generator's
typescript-fetch, openapi-typescript); this is our own code.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["split_visibility"]

_REF = "#/components/schemas/"
_REQUEST_KEYS = ("requestBody", "parameters")


def split_visibility(
    doc: dict[str, Any], schemas: dict[str, Any], twin_name: Callable[[str], str]
) -> dict[str, str]:
    """Make request and response shapes (module notes); return ``{class: its twin}``.

    ``schemas``: the prepared ``components/schemas`` (changed in place, twins added);
    ``twin_name``: allocates the name of a class's request twin.
    """
    names = set(schemas)  # once: not once per schema (Plaid has 2,900 of them)
    edges = {name: _refs(schema) & names for name, schema in schemas.items()}
    request = _closure(_request_refs(doc) & names, edges)
    response = _closure(_response_refs(doc) & names, edges)
    response |= names - request - response  # named by nothing: as declared
    read = {name: _flagged(schemas, name, "readOnly", set()) for name in schemas}
    write = {name: _flagged(schemas, name, "writeOnly", set()) for name in schemas}

    def differs(name: str) -> bool:
        needed = _required(schemas[name]) & write[name]
        return bool(read[name]) or (name in response and bool(needed))

    both = request & response
    twinned = {name for name in both if differs(name)}
    grew = True
    while grew:
        more = {n for n in both - twinned if edges[n] & twinned}
        twinned |= more
        grew = bool(more)
    twins = {name: twin_name(name) for name in sorted(twinned)}
    shapes = {twins[n]: _request_shape(schemas[n], read[n], twins) for n in sorted(twinned)}
    for name in sorted(twinned):
        said = shapes[twins[name]].get("description")
        note = f"``{name}`` as requests send it: read-only properties left out."
        shapes[twins[name]]["description"] = f"{said}\n\n{note}" if isinstance(said, str) else note
    for name in sorted(request - response):
        if read[name] or edges[name] & twinned:
            schemas[name] = _request_shape(schemas[name], read[name], twins)
    for name in sorted(response):
        _drop_required(schemas[name], write[name])
    schemas.update(shapes)
    return twins


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            yield item
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)


def _target(ref: Any) -> str | None:
    return ref[len(_REF) :] if isinstance(ref, str) and ref.startswith(_REF) else None


def _refs(node: Any) -> set[str]:
    """Every component ``node`` names (``$ref``\\ s and discriminator mappings)."""
    out = set()
    for item in _walk(node):
        found = _target(item.get("$ref"))
        if found is not None:
            out.add(found)
        if "discriminator" in item:
            out |= {t for t in map(_target, _mapping(item).values()) if t is not None}
    return out


def _mapping(schema: dict[str, Any]) -> dict[str, Any]:
    disc = schema.get("discriminator")
    mapping = disc.get("mapping") if isinstance(disc, dict) else None
    return mapping if isinstance(mapping, dict) else {}


def _closure(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _operations(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(path item, operation) pairs; a path item's ``parameters`` are request-side."""
    for item in (doc.get("paths") or {}).values():
        if isinstance(item, dict):
            for key, op in item.items():
                if isinstance(op, dict) and key != "parameters":
                    yield item, op


def _request_refs(doc: dict[str, Any]) -> set[str]:
    components = doc.get("components") or {}
    out = _refs([components.get("requestBodies"), components.get("parameters")])
    for item, op in _operations(doc):
        out |= _refs([item.get("parameters"), *(op.get(k) for k in _REQUEST_KEYS)])
    return out


def _response_refs(doc: dict[str, Any]) -> set[str]:
    rest = {k: v for k, v in doc.items() if k not in ("paths", "components")}
    components = doc.get("components") or {}
    out = _refs([rest, {k: v for k, v in components.items() if k not in _SKIP_COMPONENTS}])
    for _, op in _operations(doc):
        out |= _refs({k: v for k, v in op.items() if k not in _REQUEST_KEYS})
    return out


_SKIP_COMPONENTS = ("schemas", "requestBodies", "parameters")


def _parts(schema: Any) -> list[dict[str, Any]]:
    """The schema and its inline ``allOf`` parts: where its properties are declared."""
    if not isinstance(schema, dict):
        return []
    inline = [p for p in schema.get("allOf") or [] if isinstance(p, dict) and "$ref" not in p]
    return [schema, *inline]


def _flagged(schemas: dict[str, Any], name: str, flag: str, seen: set[str]) -> set[str]:
    """Names of the properties of class ``name`` marked ``flag``, ``allOf`` bases included."""
    schema = schemas.get(name)
    out: set[str] = set()
    for part in _parts(schema):
        for prop, sub in (part.get("properties") or {}).items():
            target = _target(sub.get("$ref")) if isinstance(sub, dict) else None
            marked = isinstance(sub, dict) and sub.get(flag) is True
            if marked or (target is not None and schemas.get(target, {}).get(flag) is True):
                out.add(prop)
    for part in (schema or {}).get("allOf") or [] if isinstance(schema, dict) else []:
        base = _target(part.get("$ref")) if isinstance(part, dict) else None
        if base is not None and base not in seen:
            out |= _flagged(schemas, base, flag, seen | {name})
    return out


def _required(schema: Any) -> set[str]:
    return {r for part in _parts(schema) for r in part.get("required") or [] if isinstance(r, str)}


def _drop_required(schema: Any, names: set[str]) -> None:
    for part in _parts(schema):
        if names & set(part.get("required") or []):
            part["required"] = [r for r in part["required"] if r not in names]
            if not part["required"]:
                del part["required"]


def _request_shape(schema: Any, read: set[str], twins: dict[str, str]) -> Any:
    """A copy of ``schema`` without its ``readOnly`` properties, naming request twins."""
    shape = copy.deepcopy(schema)
    for part in _parts(shape):
        props = part.get("properties")
        if isinstance(props, dict) and read & set(props):
            part["properties"] = {k: v for k, v in props.items() if k not in read}
    _drop_required(shape, read)
    for item in _walk(shape):
        found = _target(item.get("$ref"))
        if found in twins:
            item["$ref"] = _REF + twins[found]
        mapping = _mapping(item)
        for key, value in list(mapping.items()):
            found = _target(value)
            if found in twins:
                mapping[key] = _REF + twins[found]
    return shape
