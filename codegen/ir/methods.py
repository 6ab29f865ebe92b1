"""The Python methods over one operation: its own, and one per ``x-methods`` entry.

Design notes
------------
* The operation's own method (``x-python-name`` or snake_case ``operationId``) is kind
  ``page`` when the operation paginates, ``stream`` when it always streams,
  ``download`` when its success body is binary, ``call`` otherwise. ``x-stream`` with
  a ``param`` (a boolean switching streaming on) gives one ``switch`` method: the
  argument's value selects the typed stream or the typed result (``ir.nodes.Switch``).
* ``x-methods`` entries reshape the same wire-level parameter list: keys of
  ``exclude``/``fixed``/``defaults``/``rename`` are wire names (Python names are
  accepted too); ``require_one_of`` names are Python names after renaming.
* ``iterate`` methods drop the cursor parameter (the pager owns it); ``count``
  returns the page's ``total_field``.
* An ``x-methods`` entry may name its own ``resource`` (same meaning as
  ``x-python-resource``); each method comes back as a :class:`Placed` with that
  resource (None = the operation's) and the record a name collision is reported at.
* Input is the operation's record and its ``XMethod`` records; what a method changes
  is a :class:`_Reshape` (an ``x-methods`` entry, or the fixed switch of a stream).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from codegen.ir.annotate import Annotator
from codegen.ir.inputs import Skip, Warn, object_shape, python_literal
from codegen.ir.naming import snake_case
from codegen.ir.nodes import Body, Method, MethodKind, OperationInfo, Param, Switch
from codegen.ir.operations import dedupe, signature_order
from codegen.ir.types import ANY, BOOL, INT, NONE, TypeRef, generic, join, named
from codegen.spec.records import Json, Loc, SpecOperation, SpecSchema, XMethod

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
    """A method, the resource it goes to (None: the operation's) and its spec record."""

    method: Method
    resource: str | None
    at: Loc


@dataclass(frozen=True)
class _Reshape:
    """How one method changes the operation's parameters (all keys are wire names,
    Python names accepted too); ``entry``: an ``x-methods`` entry (or a stream switch)."""

    exclude: tuple[str, ...] = ()
    fixed: tuple[tuple[str, Json], ...] = ()
    defaults: tuple[tuple[str, Json], ...] = ()
    rename: tuple[tuple[str, str], ...] = ()
    require_one_of: tuple[tuple[str, ...], ...] = ()
    description: str | None = None
    entry: bool = False

    @classmethod
    def of(cls, spec: XMethod) -> _Reshape:
        return cls(
            spec.exclude,
            spec.fixed,
            spec.defaults,
            spec.rename,
            spec.require_one_of,
            spec.description,
            True,
        )


class MethodFactory:
    def __init__(self, annotator: Annotator, warn: Warn, *, params_dict: bool = False) -> None:
        self.ann = annotator
        self.warn = warn
        self.params_dict = params_dict

    def methods(
        self,
        op: SpecOperation,
        info: OperationInfo,
        params: list[Param],
        body: Body,
        annotation: TypeRef,
        schema: SpecSchema | None,
        where: str = "",
    ) -> list[Placed]:
        """The operation's own method(s), then one per ``x-methods`` entry.

        ``where`` is the operation's resource path (names the own method in the
        generated docstrings of entries placed elsewhere).
        """
        name = op.x_python_name or snake_case(info.operation_id)
        stream = info.stream
        common = (info, params, body, annotation, schema)
        out: list[Method] = []
        if stream is not None and stream.param:
            out.append(self.make(name, "switch", op.loc, *common, _Reshape()))
        else:
            kind = "page" if info.pagination else "stream" if stream else "call"
            if kind == "call" and info.response == "binary":
                kind = "download"
            out.append(self.make(name, kind, op.loc, *common, _Reshape()))
        placed = [Placed(m, None, op.loc) for m in out]
        for spec in op.x_methods:
            own_ref = name
            if spec.resource is not None and spec.resource != where:
                own_ref = f"client.{where}.{name}" if where else f"client.{name}"
            method = self.make(spec.name, spec.kind, spec.loc, *common, _Reshape.of(spec), own_ref)
            placed.append(Placed(replace(method, primary=False), spec.resource, spec.loc))
        return placed

    def make(
        self,
        name: str,
        kind: str,
        at: Loc,
        info: OperationInfo,
        params: list[Param],
        body: Body,
        annotation: TypeRef,
        schema: SpecSchema | None,
        spec: _Reshape,
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
            raise Skip(at, f"{key!r} is not a parameter of {info.operation_id}", what)

        for key in spec.exclude:
            i = find(key, "exclude")
            if work[i].required:
                raise Skip(at, f"cannot exclude required parameter {key!r}", "exclude")
            del work[i]
        fixed: list[Param] = []
        for key, value in spec.fixed:
            i = find(key, "fixed")
            fixed.append(replace(work.pop(i), fixed=python_literal(value)))
        for key, value in spec.defaults:
            i = find(key, "defaults")
            work[i] = replace(
                work[i], default=python_literal(value), send_default=True, required=False
            )
        for key, new in spec.rename:
            i = find(key, "rename")
            work[i] = replace(work[i], python_name=new)
        pagination = info.pagination
        if kind in ("iterate", "count") and pagination is None:
            raise Skip(at, f"kind {kind!r} needs x-pagination on the operation")
        if kind == "iterate" and pagination is not None and pagination.style != "offset":
            work = [
                p
                for p in work
                if not (p.wire_name == pagination.cursor_param and p.location == "query")
            ]
        work = dedupe(work, self.warn, at)
        require = []
        for group in spec.require_one_of:
            require.append(tuple(work[find(key, "require_one_of")].python_name for key in group))

        sync_ret = async_ret = cast_to = annotation
        item: TypeRef | None = None
        count_field = None
        switch: Switch | None = None
        if kind == "iterate":
            assert pagination is not None
            item = self.page_item(schema, pagination.items, at)
            sync_ret = generic("clientcore.SyncPager", item)
            async_ret = generic("clientcore.AsyncPager", item)
            cast_to = item
        elif kind == "count":
            assert pagination is not None
            if not pagination.total_field:
                raise Skip(at, "kind 'count' needs total_field in x-pagination")
            sync_ret = async_ret = INT
            cast_to, count_field = ANY, pagination.total_field
        elif kind == "stream":
            item = info.stream.item if info.stream else ANY
            sync_ret = generic("clientcore.Stream", item)
            async_ret = generic("clientcore.AsyncStream", item)
            cast_to = item
        elif kind == "download":
            sync_ret = named("clientcore.BinaryResponse")
            async_ret = named("clientcore.AsyncBinaryResponse")
            cast_to = NONE
        elif kind == "switch":
            switch = self.switch(info, work, annotation, at)
            work[[p.python_name for p in work].index(switch.param)] = replace(
                next(p for p in work if p.python_name == switch.param),
                type=BOOL,
                required=False,
                default=repr(switch.default),
                send_default=True,
            )
            sync_ret = join(annotation, switch.stream)
            async_ret = join(annotation, switch.async_stream)
        return Method(
            name=name,
            kind=cast(MethodKind, kind),
            operation=info,
            params=signature_order(work),
            fixed=tuple(fixed),
            body=body,
            returns=sync_ret,
            async_returns=async_ret,
            cast_to=cast_to,
            item=item,
            count_field=count_field,
            docstring=self.docstring(info, spec, work, kind, own),
            require_one_of=tuple(require),
            raw_response=kind in ("call", "page"),
            switch=switch,
            params_dict=self.dict_name(name, kind, body, work),
        )

    def dict_name(self, name: str, kind: str, body: Body, params: list[Param]) -> str:
        """``x-python-client.params_dict``: the TypedDict name of a ``call`` whose only
        arguments are JSON body properties (none sent by default), else ""."""
        if not self.params_dict or kind != "call" or body.kind != "json_flat" or body.extra:
            return ""
        if any(p.location != "body" or p.send_default for p in params):
            return ""
        return "".join(part.capitalize() for part in name.split("_")) + "ParamsDict"

    @staticmethod
    def switch(info: OperationInfo, params: list[Param], result: TypeRef, at: Loc) -> Switch:
        """The stream-switch of an operation with ``x-stream.param``: that boolean
        argument (body or query), defaulting to the spec's default (else false)."""
        stream = info.stream
        assert stream is not None and stream.param
        found = [p for p in params if p.wire_name == stream.param]
        if not found or found[0].location not in ("body", "query"):
            raise Skip(at, f"x-stream param {stream.param!r} is not a body or query parameter")
        param = found[0]
        default = param.default == "True" if param.send_default else False
        item = stream.item
        return Switch(
            param=param.python_name,
            default=default,
            result=result,
            stream=generic("clientcore.Stream", item),
            async_stream=generic("clientcore.AsyncStream", item),
            item=item,
        )

    def page_item(self, schema: SpecSchema | None, items: str, at: Loc | None) -> TypeRef:
        """The type of one item of the page ``schema`` (items property ``items``);
        ``at``: where to warn when there is none (None: silently ``Any``)."""
        shape = object_shape(schema)
        prop = shape[0].get(items) if shape is not None else None
        if prop is None:
            if at is not None:
                self.warn(at, f"page items {items!r} not found in the response schema; typed Any")
            return ANY
        return self.ann.type_of(prop.items) if prop.items is not None else ANY

    @staticmethod
    def docstring(
        info: OperationInfo, spec: _Reshape, params: list[Param], kind: str, own: str
    ) -> str:
        parts = []
        summary = (spec.description or "").strip()
        if not summary and spec.entry and kind in _GENERATED_SUMMARY:
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
