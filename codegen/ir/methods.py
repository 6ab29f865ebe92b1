"""The Python methods over one operation: its own, and one per ``x-methods`` entry.

Design notes
------------
* The operation's own method (``x-python-name`` or snake_case ``operationId``) is kind
  ``page`` when the operation paginates, ``stream`` when it always streams, ``call``
  otherwise. ``x-stream`` with a ``param`` (a boolean switching streaming on) gives
  two methods: the own one with the switch fixed to false, and ``<name>_stream``.
* ``x-methods`` entries reshape the same wire-level parameter list: keys of
  ``exclude``/``fixed``/``defaults``/``rename`` are wire names (Python names are
  accepted too); ``require_one_of`` names are Python names after renaming.
* ``iterate`` methods drop the cursor parameter (the pager owns it); ``count``
  returns the page's ``total_field``.
* An ``x-methods`` entry may name its own ``resource`` (same meaning as
  ``x-python-resource``); each method comes back as a :class:`Placed` with that
  resource (None = the operation's) and the pointer a name collision is reported at.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast

from codegen.ir.annotate import Annotator
from codegen.ir.naming import snake_case
from codegen.ir.nodes import Body, Method, MethodKind, OperationInfo, Param
from codegen.ir.operations import OperationBuilder, Skip, dedupe, python_literal, signature_order

__all__ = ["MethodFactory", "Placed"]

_GENERATED_SUMMARY = {
    "iterate": "Iterate over every item {info.method} {info.path} lists, fetching pages lazily"
    " (one page at a time: ``{own}()``).",
    "count": "The number of items {info.method} {info.path} would list (one request, "
    "``{own}()``'s total).",
    "page": "One page of {info.method} {info.path} (same as ``{own}()``).",
    "call": "{info.summary}",
}


@dataclass(frozen=True)
class Placed:
    """A method, the resource it goes to (None: the operation's) and its spec pointer."""

    method: Method
    resource: str | None
    pointer: str


class MethodFactory:
    def __init__(self, ops: OperationBuilder, annotator: Annotator, warn: Any) -> None:
        self.ops = ops
        self.ann = annotator
        self.warn = warn

    def methods(
        self,
        op: dict[str, Any],
        ptr: str,
        info: OperationInfo,
        params: list[Param],
        body: Body,
        annotation: str,
        schema: Any,
        where: str = "",
    ) -> list[Placed]:
        """The operation's own method(s), then one per ``x-methods`` entry.

        ``where`` is the operation's resource path (names the own method in the
        generated docstrings of entries placed elsewhere).
        """
        own = op.get("x-python-name")
        name = own if isinstance(own, str) else snake_case(info.operation_id)
        stream = info.stream
        out: list[Method] = []
        if stream is not None and stream.param:
            out.append(
                self.make(
                    name,
                    "call",
                    ptr,
                    info,
                    params,
                    body,
                    annotation,
                    schema,
                    {"fixed": {stream.param: False}},
                )
            )
            out.append(
                self.make(
                    name + "_stream",
                    "stream",
                    ptr,
                    info,
                    params,
                    body,
                    annotation,
                    schema,
                    {"fixed": {stream.param: True}},
                )
            )
        else:
            kind = "page" if info.pagination else "stream" if stream else "call"
            out.append(self.make(name, kind, ptr, info, params, body, annotation, schema, {}))
        placed = [Placed(m, None, ptr) for m in out]
        for extra_name, spec in (op.get("x-methods") or {}).items():
            mptr = f"{ptr}/x-methods/{extra_name}"
            resource = spec.get("resource")
            resource = None if resource is None else str(resource)
            own_ref = name
            if resource is not None and resource != where:
                own_ref = f"client.{where}.{name}" if where else f"client.{name}"
            method = self.make(
                str(extra_name),
                str(spec.get("kind", "call")),
                mptr,
                info,
                params,
                body,
                annotation,
                schema,
                spec,
                own_ref,
            )
            placed.append(Placed(replace(method, primary=False), resource, mptr))
        return placed

    def make(
        self,
        name: str,
        kind: str,
        ptr: str,
        info: OperationInfo,
        params: list[Param],
        body: Body,
        annotation: str,
        schema: Any,
        spec: dict[str, Any],
        own: str = "",
    ) -> Method:
        work = list(params)

        def find(key: str, what: str) -> int:
            for i, p in enumerate(work):
                if p.wire_name == key:
                    return i
            for i, p in enumerate(work):
                if p.python_name == key:
                    return i
            raise Skip(f"{ptr}/{what}", f"{key!r} is not a parameter of {info.operation_id}")

        for key in spec.get("exclude") or []:
            i = find(str(key), "exclude")
            if work[i].required:
                raise Skip(f"{ptr}/exclude", f"cannot exclude required parameter {key!r}")
            del work[i]
        fixed: list[Param] = []
        for key, value in (spec.get("fixed") or {}).items():
            i = find(str(key), "fixed")
            fixed.append(replace(work.pop(i), fixed=python_literal(value)))
        for key, value in (spec.get("defaults") or {}).items():
            i = find(str(key), "defaults")
            work[i] = replace(
                work[i], default=python_literal(value), send_default=True, required=False
            )
        for key, new in (spec.get("rename") or {}).items():
            i = find(str(key), "rename")
            work[i] = replace(work[i], python_name=str(new))
        pagination = info.pagination
        if kind in ("iterate", "count") and pagination is None:
            raise Skip(ptr, f"kind {kind!r} needs x-pagination on the operation")
        if kind == "iterate" and pagination is not None and pagination.style != "offset":
            work = [
                p
                for p in work
                if not (p.wire_name == pagination.cursor_param and p.location == "query")
            ]
        work = dedupe(work, self.warn, ptr)
        require = []
        for group in spec.get("require_one_of") or []:
            names = []
            for key in group:
                i = find(str(key), "require_one_of")
                names.append(work[i].python_name)
            require.append(tuple(names))

        sync_ret = async_ret = cast_to = annotation
        item = count_field = None
        if kind == "iterate":
            assert pagination is not None
            item = self._page_item(schema, pagination.items, ptr)
            sync_ret, async_ret = f"clientcore.SyncPager[{item}]", f"clientcore.AsyncPager[{item}]"
            cast_to = item
        elif kind == "count":
            assert pagination is not None
            if not pagination.total_field:
                raise Skip(ptr, "kind 'count' needs total_field in x-pagination")
            sync_ret = async_ret = "int"
            cast_to, count_field = "Any", pagination.total_field
        elif kind == "stream":
            item = info.stream.item_annotation if info.stream else "Any"
            sync_ret, async_ret = f"clientcore.Stream[{item}]", f"clientcore.AsyncStream[{item}]"
            cast_to = item
        return Method(
            name=name,
            kind=cast(MethodKind, kind),
            operation=info,
            params=signature_order(work),
            fixed=tuple(fixed),
            body=body,
            return_annotation=sync_ret,
            async_return_annotation=async_ret,
            cast_to=cast_to,
            item_annotation=item,
            count_field=count_field,
            docstring=self.docstring(info, spec, work, kind, own),
            require_one_of=tuple(require),
            raw_response=kind in ("call", "page"),
        )

    def _page_item(self, schema: Any, items: str, ptr: str) -> str:
        shape = self.ops.object_shape(schema) if schema is not None else None
        if shape is None or items not in shape[0]:
            self.warn(ptr, f"page items {items!r} not found in the response schema; typed Any")
            return "Any"
        prop = self.ann.resolve(shape[0][items])
        return self.ann.annotation(prop.get("items")) if "items" in prop else "Any"

    @staticmethod
    def docstring(
        info: OperationInfo, spec: dict[str, Any], params: list[Param], kind: str, own: str
    ) -> str:
        parts = []
        summary = str(spec.get("description") or "").strip()
        if not summary and spec and kind in _GENERATED_SUMMARY:
            summary = _GENERATED_SUMMARY[kind].format(own=own, info=info)
        elif not summary:
            summary = info.summary
            if info.description and info.description != summary:
                summary = f"{summary}\n\n{info.description}".strip()
        if summary:
            parts.append(summary)
        if info.deprecated:
            parts.append("Deprecated.")
        described = [p for p in params if p.description]
        if described:
            lines = ["Args:"]
            for p in described:
                text = " ".join(p.description.split())
                lines.append(f"    {p.python_name}: {text}")
            parts.append("\n".join(lines))
        return "\n\n".join(parts) or f"{info.method} {info.path}"
