"""Each accepted ``x-`` extension's value -> its typed record (``docs/extensions.md``).

Design notes
------------
* :data:`READERS` maps an extension name to a function reading its value (built from
  :mod:`codegen.spec.shapes`): a scalar extension gives a plain value (``x-python-name``
  -> ``str``), a structured one a record (``x-pagination`` -> ``XPagination``). A value
  of the wrong shape raises ``shapes.Bad``; where an extension may sit is
  :data:`codegen.spec.extensions.EXTENSIONS`' business.
* A reader gets the value, the object holding it (``x-enum-varnames`` counts the
  ``enum`` beside it) and a :class:`Context` that gives records their location and
  parses the schema inside ``x-stream`` (so its ``$ref`` is resolved by the parser,
  like every other).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from codegen.spec.records import (
    Loc,
    SpecSchema,
    XConflictRecovery,
    XErrors,
    XLink,
    XMethod,
    XPagination,
    XPythonClient,
    XPythonCustom,
    XResult,
    XRetries,
    XStream,
)
from codegen.spec.shapes import (
    Bad,
    anything,
    boolean,
    choice,
    fields,
    identifier,
    list_of,
    map_of,
    match,
    number,
    pointer,
    string,
)

__all__ = ["READERS", "Context", "Pointer", "Read"]

Pointer = tuple[str, ...]


class Context(Protocol):
    """What a reader needs of the parser."""

    def loc(self, ptr: Pointer) -> Loc: ...

    def schema(self, node: Any, ptr: Pointer) -> SpecSchema: ...


# value, the object holding the key, the parser, the pointer of the key
Read = Callable[[Any, Mapping[str, Any], Context, Pointer], Any]

_CUSTOM_REF = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
_DOTTED = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)?$")
_ERROR_KEY = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|connection|timeout)$")
_STRINGS = map_of(string, string)
_RESOURCE = match(_DOTTED, "'' or dotted identifiers")


def _scalar(reader: Callable[[Any], Any]) -> Read:
    return lambda value, owner, ctx, at: reader(value)


def _option(value: Any) -> str:
    """A client option: ``{query: api-version}`` (the query parameter it defaults)."""
    got = fields(value, {"query": string}, "query")
    return str(got["query"])


def _python_client(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    names = ("name", "async_name", "credential")
    got = fields(
        value,
        dict.fromkeys(names, identifier)
        | dict.fromkeys(("default_base_url", "user_agent"), string)
        | {"credentials": map_of(identifier, string), "options": map_of(identifier, _option)}
        | {"params_dict": boolean},
    )
    if got.get("credential") is not None and got.get("credentials"):
        raise Bad(
            ("credentials",), "give credential (one) or credentials (one per scheme), not both"
        )
    return XPythonClient(**got, loc=ctx.loc(at))


def _errors(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    status = match(_ERROR_KEY, "a status like 400, 4XX, connection or timeout")
    got = fields(
        value,
        {
            "base": identifier,
            "message": pointer,
            "classes": map_of(status, identifier),
            "aliases": map_of(identifier, identifier),
            "codes": map_of(string, identifier),
            "unknown_code": identifier,
            "operation_bases": boolean,
            "fields": map_of(identifier, pointer),
        },
    )
    taken = {"message", "status_code", "code", "body", "headers", "request_id", "method", "url"}
    for name, _ in got.get("fields", ()):
        if name in taken or name.startswith("_"):
            raise Bad(("fields", name), f"{name!r} is an attribute every API error has already")
    return XErrors(**got, loc=ctx.loc(at))


def _result(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    got = fields(
        value, {"error": pointer, "code": pointer, "message": pointer, "result": pointer}, "error"
    )
    return XResult(**got, loc=ctx.loc(at))


_CODEC = match(
    re.compile(r"^(json|[A-Za-z][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*)$"),
    "json or module.NAME of python/",
)
_TRANSPORT = match(
    re.compile(r"^(http|[A-Za-z_][A-Za-z0-9_-]*)$"), "http or a name of x-transports"
)


def _retries(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    delay = number(0)
    got = fields(
        value,
        {"max_retries": number(0, integer=True), "initial_delay": delay, "max_delay": delay},
    )
    return XRetries(**got, loc=ctx.loc(at))


_REQUIREMENT = match(
    re.compile(
        r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9._, -]+\])?\s*([<>=!~][=<>]?[^;\s]*(\s*,\s*[<>=!~][=<>]?[^;\s,]+)*)?$"
    ),
    "a requirement such as 'websockets>=13,<18'",
)


def _custom(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    ref = match(_CUSTOM_REF, "module.Name of python/")

    def pair(item: Any) -> tuple[str | None, str | None]:
        got = fields(item, {"sync": ref, "async": ref})
        if not got:
            raise Bad((), "give sync and/or async: module.Name of python/")
        return got.get("sync"), got.get("async")

    path = match(_DOTTED, "a dotted resource path")
    got = fields(
        value,
        {
            "exports": list_of(ref),
            "client": ref,
            "async_client": ref,
            "resources": map_of(path, pair),
            "dependencies": list_of(_REQUIREMENT),
        },
    )
    return XPythonCustom(**got, loc=ctx.loc(at))


def _recovery(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    got = fields(
        value, {"operationId": string, "query": _STRINGS, "result": pointer}, "operationId"
    )
    return XConflictRecovery(got.pop("operationId"), **got, loc=ctx.loc(at))


_PAGINATION_FIELDS = (
    "items",
    "cursor_param",
    "cursor_field",
    "has_more_field",
    "offset_param",
    "limit_field",
    "total_field",
)


def _pagination(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    readers = {"style": choice("cursor", "offset", "token")}
    got = fields(value, readers | dict.fromkeys(_PAGINATION_FIELDS, string), "style")
    return XPagination(**got, loc=ctx.loc(at))


_METHOD = {
    "kind": choice("call", "page", "iterate", "count"),
    "rename": map_of(string, identifier),
    "exclude": list_of(string),
    "defaults": map_of(string, anything),
    "fixed": map_of(string, anything),
    "require_one_of": list_of(list_of(string, non_empty=True)),
    "resource": _RESOURCE,
    "description": string,
}


def _methods(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    entries = map_of(identifier, lambda entry: fields(entry, _METHOD, "kind"))(value)
    return tuple(
        XMethod(name, got.pop("kind"), **got, loc=ctx.loc((*at, name))) for name, got in entries
    )


def _stream(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    readers = {
        "param": string,
        "item": map_of(string, anything),
        "terminator": string,
        "error_field": string,
    }
    got = fields(value, readers, "item")
    got["item"] = ctx.schema(value["item"], (*at, "item"))
    return XStream(**got, loc=ctx.loc(at))


_STATUS = number(100, integer=True, maximum=599)


def _statuses(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    return tuple(int(s) for s in list_of(_STATUS, non_empty=True)(value))


def _enum_varnames(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    names = list_of(identifier)(value)
    members = owner.get("enum")
    if isinstance(members, list) and len(members) != len(names):
        raise Bad((), f"has {len(names)} names for {len(members)} enum members")
    return names


_LINK = {
    "operationId": string,
    "parameters": map_of(string, anything),
    "positional": list_of(string),
    "update": _STRINGS,
    "description": string,
}


def _links(value: Any, owner: Mapping[str, Any], ctx: Context, at: Pointer) -> Any:
    entries = map_of(identifier, lambda entry: fields(entry, _LINK, "operationId"))(value)
    return tuple(
        XLink(name, got.pop("operationId"), **got, loc=ctx.loc((*at, name)))
        for name, got in entries
    )


READERS: dict[str, Read] = {
    # root level
    "x-python-client": _python_client,
    "x-errors": _errors,
    "x-retries": _retries,
    "x-timeout": _scalar(number(0, above=True)),
    "x-python-custom": _custom,
    "x-transports": _scalar(
        map_of(
            match(re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$"), "a name"),
            match(_CUSTOM_REF, "module.NAME of python/"),
        )
    ),
    # root (default) or operation level
    "x-body-codec": _scalar(_CODEC),
    "x-result": _result,
    "x-transport": _scalar(_TRANSPORT),
    "x-transport-options": _scalar(anything),
    "x-body-codec-options": _scalar(anything),  # operation level
    # operation level (x-python-name also names parameters and body properties)
    "x-python-name": _scalar(identifier),
    "x-python-resource": _scalar(_RESOURCE),
    "x-idempotent": _scalar(boolean),
    "x-idempotency-key": _scalar(string),
    "x-conflict-recovery": _recovery,
    "x-pagination": _pagination,
    "x-methods": _methods,
    "x-stream": _stream,
    "x-success-statuses": _statuses,
    # parameter / property / body level
    "x-send-default": _scalar(boolean),
    "x-bool-style": _scalar(choice("lower", "title")),
    "x-allow-reserved": _scalar(boolean),
    "x-body-name": _scalar(identifier),
    # schema level
    "x-enum-varnames": _enum_varnames,
    "x-links": _links,
    "x-python-type": _scalar(match(_CUSTOM_REF, "module.Name of python/")),
}
