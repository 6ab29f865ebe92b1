"""The closed list of ``x-`` extensions (docs/extensions.md) and the places they may sit.

Design notes
------------
* :data:`EXTENSIONS` maps each accepted extension to where it may appear, what it is
  for and its reader (:mod:`codegen.spec.xvalues`), which turns the value into its
  typed record and is the shape check. Anything else starting with ``x-`` is an
  error, except the vendor documentation keys in :data:`IGNORED` /
  :data:`IGNORED_PREFIXES`, which real-world specs carry and the compiler skips
  (their values are not looked into).
* "Where" is an OpenAPI *kind* (:mod:`codegen.load.kinds`): the type of object a JSON
  value is, derived top-down from the root (``root`` -> ``paths`` -> ``pathItem`` ->
  ``operation`` -> ...). :mod:`codegen.spec.parse` walks the document with these kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

from codegen.spec.xvalues import READERS, Read

__all__ = ["EXTENSIONS", "IGNORED", "IGNORED_PREFIXES", "Extension", "is_ignored"]


@dataclass(frozen=True)
class Extension:
    where: frozenset[str]  # kinds (see child_kind) on which the key may appear
    description: str
    read: Read  # value -> typed value; raises shapes.Bad


def _ext(name: str, where: str, description: str) -> tuple[str, Extension]:
    return name, Extension(frozenset(where.split()), description, READERS[name])


EXTENSIONS: dict[str, Extension] = dict(
    [
        # root level
        _ext("x-python-client", "root", "client class names, credential, base URL, user agent"),
        _ext("x-errors", "root", "the API's exception classes and where errors hold messages"),
        _ext("x-retries", "root", "default retry policy of the generated client"),
        _ext("x-timeout", "root", "default timeout in seconds"),
        _ext("x-python-custom", "root", "hand-written python/*.py: re-exports, client mixins"),
        _ext("x-transports", "root", "transports operations may select: name -> factory"),
        # root (the default) or operation level: the runtime's seams
        _ext("x-body-codec", "root operation", "body framing: json or a hand-written codec"),
        _ext("x-body-codec-options", "operation", "options for the codec: configure(options)"),
        _ext("x-result", "root operation", "success decided from the body as well"),
        _ext("x-transport", "root operation", "the transport that sends the request"),
        _ext("x-transport-options", "root operation", "options the transport reads per request"),
        # operation level (x-python-name also names parameters and body properties)
        _ext("x-python-name", "operation parameter schema", "Python name"),
        _ext("x-python-resource", "operation", "resource holding the method ('' = client)"),
        _ext("x-idempotent", "operation", "override the HTTP-method rule for retries"),
        _ext("x-idempotency-key", "operation", "body property making a retry safe"),
        _ext("x-conflict-recovery", "operation", "turn a 409 after a retry into a lookup"),
        _ext("x-pagination", "operation", "how the list operation pages"),
        _ext("x-methods", "operation", "extra Python methods over the same HTTP operation"),
        _ext("x-stream", "operation", "the operation can answer text/event-stream"),
        _ext("x-success-statuses", "operation", "statuses counted as success"),
        # parameter / property / body level
        _ext("x-send-default", "parameter schema", "the spec default is always sent"),
        _ext("x-bool-style", "parameter", "query boolean spelling"),
        _ext("x-allow-reserved", "parameter", "keep reserved characters of a path parameter"),
        _ext("x-body-name", "requestBody", "the whole body is one parameter with this name"),
        # schema level
        _ext("x-enum-varnames", "schema", "enum member names"),
        _ext("x-links", "schema", "methods on the returned model calling another operation"),
        _ext("x-python-type", "schema", "the values are this hand-written type (module.Name)"),
    ]
)
assert set(EXTENSIONS) == set(READERS), "every extension has a reader and a place"

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
        "x-hidden-from-docs",  # Plaid: documentation only
        "x-override-enum-values-shown",
        "x-reserved-keys",
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
