"""The closed list of ``x-`` extensions (docs/extensions.md) and the places they may sit.

Design notes
------------
* :data:`EXTENSIONS` maps each accepted extension to where it may appear and a light
  shape check. Anything else starting with ``x-`` is an error, except the vendor
  documentation keys in :data:`IGNORED` / :data:`IGNORED_PREFIXES`, which real-world
  specs carry and the compiler skips (their values are not looked into).
* "Where" is an OpenAPI *kind* (:mod:`codegen.load.kinds`): the type of object a JSON
  value is, derived top-down from the root (``root`` -> ``paths`` -> ``pathItem`` ->
  ``operation`` -> ...).
* Shape checks return the first problem as ``(path below the key, message)`` so the
  error can point at the offending nested key.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "EXTENSIONS",
    "IGNORED",
    "IGNORED_PREFIXES",
    "PAGINATION_FIELDS",
    "Extension",
    "Problem",
    "check_extension",
    "is_ignored",
]

# ------------------------------------------------------------------ shape checks

Problem = tuple[tuple[str | int, ...], str]
Check = Callable[[Any], Problem | None]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CUSTOM_REF = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
_DOTTED = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)?$")
_ERROR_KEY = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|connection|timeout)$")


def _anything(value: Any) -> Problem | None:
    return None


def _string(value: Any) -> Problem | None:
    return None if isinstance(value, str) else ((), f"must be a string, not {value!r}")


def _identifier(value: Any) -> Problem | None:
    if isinstance(value, str) and _IDENT.match(value) and not keyword.iskeyword(value):
        return None
    return (), f"must be a Python identifier, not {value!r}"


def _pointer(value: Any) -> Problem | None:
    if isinstance(value, str) and (value == "" or value.startswith("/")):
        return None
    return (), f"must be a JSON pointer ('' or starting with '/'), not {value!r}"


def _boolean(value: Any) -> Problem | None:
    return None if isinstance(value, bool) else ((), f"must be true or false, not {value!r}")


def _number(
    minimum: float, *, integer: bool = False, above: bool = False, maximum: float | None = None
) -> Check:
    types = (int,) if integer else (int, float)
    word = "an integer" if integer else "a number"
    rel = f"{'>' if above else '>='} {minimum}" + (f" and <= {maximum}" if maximum else "")

    def check(value: Any) -> Problem | None:
        if isinstance(value, types) and not isinstance(value, bool):
            if (value > minimum or (value == minimum and not above)) and (
                maximum is None or value <= maximum
            ):
                return None
        return (), f"must be {word} {rel}, not {value!r}"

    return check


def _choice(*choices: str) -> Check:
    def check(value: Any) -> Problem | None:
        if value in choices:
            return None
        return (), f"{value!r} is not one of {', '.join(choices)}"

    return check


def _match(pattern: re.Pattern[str], what: str) -> Check:
    def check(value: Any) -> Problem | None:
        if isinstance(value, str) and pattern.match(value):
            return None
        return (), f"must be {what}, not {value!r}"

    return check


def _list_of(item: Check, *, non_empty: bool = False) -> Check:
    def check(value: Any) -> Problem | None:
        if not isinstance(value, list) or (non_empty and not value):
            return (), f"must be a {'non-empty ' if non_empty else ''}list, not {value!r}"
        for index, element in enumerate(value):
            problem = item(element)
            if problem is not None:
                return (index, *problem[0]), problem[1]
        return None

    return check


def _map_of(key: Check, item: Check) -> Check:
    def check(value: Any) -> Problem | None:
        if not isinstance(value, dict):
            return (), f"must be a mapping, not {value!r}"
        for name, element in value.items():
            problem = key(name)
            if problem is not None:
                return (name,), f"key {problem[1]}"
            problem = item(element)
            if problem is not None:
                return (name, *problem[0]), problem[1]
        return None

    return check


def _fields(fields: Mapping[str, Check], *required: str) -> Check:
    def check(value: Any) -> Problem | None:
        if not isinstance(value, dict):
            return (), f"must be a mapping, not {value!r}"
        for name in required:
            if name not in value:
                return (), f"missing required key {name!r}"
        for name, element in value.items():
            field_check = fields.get(name)
            if field_check is None:
                return (name,), f"unknown key {name!r} (expected: {', '.join(fields)})"
            problem = field_check(element)
            if problem is not None:
                return (name, *problem[0]), problem[1]
        return None

    return check


_STRINGS = _map_of(_string, _string)
# The optional string fields of ``x-pagination`` besides ``style`` and ``items``
# (``codegen.ir.operations`` copies exactly these into the IR).
PAGINATION_FIELDS = (
    "cursor_param",
    "cursor_field",
    "has_more_field",
    "offset_param",
    "limit_field",
    "total_field",
)
_METHOD = _fields(
    {
        "kind": _choice("call", "page", "iterate", "count"),
        "rename": _map_of(_string, _identifier),
        "exclude": _list_of(_string),
        "defaults": _map_of(_string, _anything),
        "fixed": _map_of(_string, _anything),
        "require_one_of": _list_of(_list_of(_string, non_empty=True)),
        "resource": _match(_DOTTED, "'' or dotted identifiers"),
        "description": _string,
    },
    "kind",
)
_LINK = _fields(
    {
        "operationId": _string,
        "parameters": _map_of(_string, _anything),
        "positional": _list_of(_string),
        "update": _STRINGS,
        "description": _string,
    },
    "operationId",
)


# ------------------------------------------------------------------ the list


@dataclass(frozen=True)
class Extension:
    where: frozenset[str]  # kinds (see child_kind) on which the key may appear
    description: str
    check: Check


def _ext(where: str, description: str, check: Check) -> Extension:
    return Extension(frozenset(where.split()), description, check)


EXTENSIONS: dict[str, Extension] = {
    # root level
    "x-python-client": _ext(
        "root",
        "client class names, credential, default base URL, user agent",
        _fields(
            dict.fromkeys(("name", "async_name", "credential"), _identifier)
            | dict.fromkeys(("default_base_url", "user_agent"), _string)
        ),
    ),
    "x-errors": _ext(
        "root",
        "the API's exception classes and where an error body holds its message",
        _fields(
            {
                "base": _identifier,
                "message": _pointer,
                "classes": _map_of(
                    _match(_ERROR_KEY, "a status like 400, 4XX, connection or timeout"), _identifier
                ),
                "aliases": _map_of(_identifier, _identifier),
            }
        ),
    ),
    "x-retries": _ext(
        "root",
        "default retry policy of the generated client",
        _fields(
            {
                "max_retries": _number(0, integer=True),
                "initial_delay": _number(0),
                "max_delay": _number(0),
            }
        ),
    ),
    "x-timeout": _ext("root", "default timeout in seconds", _number(0, above=True)),
    "x-python-custom": _ext(
        "root",
        "hand-written python/*.py beside the spec: re-exports and client mixins",
        _fields(
            {
                "exports": _list_of(_match(_CUSTOM_REF, "module.Name of python/")),
                "client": _match(_CUSTOM_REF, "module.Name of python/"),
                "async_client": _match(_CUSTOM_REF, "module.Name of python/"),
            }
        ),
    ),
    # operation level (x-python-name also names parameters and body properties)
    "x-python-name": _ext(
        "operation parameter schema",
        "Python name of a method, parameter or body property",
        _identifier,
    ),
    "x-python-resource": _ext(
        "operation",
        "resource holding the method: '' = the client, dotted = nested",
        _match(_DOTTED, "'' or dotted identifiers"),
    ),
    "x-idempotent": _ext("operation", "override the HTTP-method rule for retries", _boolean),
    "x-idempotency-key": _ext(
        "operation", "body property that makes a request safe to retry", _string
    ),
    "x-conflict-recovery": _ext(
        "operation",
        "turn a 409 after a retry into a lookup",
        _fields({"operationId": _string, "query": _STRINGS, "result": _pointer}, "operationId"),
    ),
    "x-pagination": _ext(
        "operation",
        "how the list operation pages",
        _fields(
            {
                "style": _choice("cursor", "offset", "token"),
                **dict.fromkeys(("items", *PAGINATION_FIELDS), _string),
            },
            "style",
        ),
    ),
    "x-methods": _ext(
        "operation",
        "extra Python methods over the same HTTP operation",
        _map_of(_identifier, _METHOD),
    ),
    "x-stream": _ext(
        "operation",
        "the operation can answer text/event-stream",
        _fields(
            {
                "param": _string,
                "item": _map_of(_string, _anything),
                "terminator": _string,
                "error_field": _string,
            },
            "item",
        ),
    ),
    "x-success-statuses": _ext(
        "operation",
        "statuses counted as success",
        _list_of(_number(100, integer=True, maximum=599), non_empty=True),
    ),
    # parameter / property / body level
    "x-send-default": _ext(
        "parameter schema", "the spec default is the Python default and always sent", _boolean
    ),
    "x-bool-style": _ext("parameter", "query boolean spelling", _choice("lower", "title")),
    "x-allow-reserved": _ext(
        "parameter", "keep reserved characters of a path parameter unencoded", _boolean
    ),
    "x-body-name": _ext(
        "requestBody", "the whole body is one parameter with this name", _identifier
    ),
    # schema level
    "x-enum-varnames": _ext("schema", "enum member names", _list_of(_identifier)),
    "x-links": _ext(
        "schema",
        "methods on the returned model calling another operation",
        _map_of(_identifier, _LINK),
    ),
}

# Vendor documentation keys found in real specs: accepted and ignored (values unread).
IGNORED: frozenset[str] = frozenset(
    {
        "x-logo",
        "x-tagGroups",
        "x-codeSamples",
        "x-code-samples",
        "x-examples",
        "x-internal",
        "x-displayName",
        "x-traitTag",
        "x-explorer-enabled",
        "x-proxy-enabled",
        "x-samples-enabled",
        "x-stoplight",
        "x-readme",
    }
)
IGNORED_PREFIXES: tuple[str, ...] = (
    "x-twilio",
    "x-spotify",
    "x-generator",
    "x-apisguru",
    "x-origin",
    "x-providerName",
    "x-serviceName",
    "x-redoc",
    "x-ms-",
    "x-amazon-apigateway",
)


def is_ignored(name: str) -> bool:
    return name in IGNORED or name.startswith(IGNORED_PREFIXES)


def check_extension(name: str, value: Any, owner: Mapping[str, Any]) -> Problem | None:
    """First shape problem of ``owner[name]`` (an entry of :data:`EXTENSIONS`), if any."""
    problem = EXTENSIONS[name].check(value)
    if problem is None and name == "x-enum-varnames":
        members = owner.get("enum")
        if isinstance(members, list) and len(members) != len(value):
            problem = (), f"has {len(value)} names for {len(members)} enum members"
    return problem
