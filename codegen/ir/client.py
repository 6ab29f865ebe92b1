"""The client-wide settings of the root records: exceptions, retries, base URL, user agent.

Design notes
------------
* ``x-errors`` (:class:`codegen.spec.records.XErrors`) names the API's exception
  classes; every runtime status class (``clientcore._errors``) gets an API class too,
  named ``<base-without-Exception/Error><RuntimeName>`` when the spec names none, so
  ``except <Base>`` catches everything the client raises. A status class derives from
  its ``4XX``/``5XX`` range class when the spec names one.
* The base URL is ``x-python-client.default_base_url``, else the first server's URL
  with its variables' defaults filled in (only when it is absolute).
"""

from __future__ import annotations

from dataclasses import dataclass

from codegen.ir.naming import pascal_case, snake_case
from codegen.ir.nodes import ErrorClass, ErrorConfig, RetryDefaults
from codegen.spec.records import SpecDocument, SpecServer, XErrors, XPythonClient

__all__ = [
    "RUNTIME_STATUS",
    "ClientNames",
    "base_url",
    "client_names",
    "error_class_for",
    "error_config",
    "retry_defaults",
    "user_agent",
]

# Runtime status classes (clientcore._errors) the generated package names for itself.
RUNTIME_STATUS = (
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (402, "PaymentRequiredError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
)


@dataclass(frozen=True)
class ClientNames:
    """The names a package defines before any model: its two clients and its errors."""

    client: str
    async_client: str
    errors: ErrorConfig
    reserved: frozenset[str]  # the above, kept from model classes


def client_names(doc: SpecDocument, name: str) -> ClientNames:
    """Client and error class names from ``x-python-client``/``x-errors``, else from the
    spec's title (or ``name``). The IR (:mod:`codegen.ir.build`) and the diff's surface
    (:mod:`codegen.diff.surface`) both name a package this way."""
    pyclient = doc.x_python_client
    stem = pascal_case(snake_case(doc.title or name))
    client = (pyclient.name if pyclient else None) or f"{stem}Client"
    async_client = (pyclient.async_name if pyclient else None) or f"Async{client}"
    errors = error_config(doc.x_errors, client.removesuffix("Client") or stem)
    reserved = {client, async_client, *(c.name for c in errors.classes)}
    reserved |= {alias for alias, _ in errors.aliases}
    return ClientNames(client, async_client, errors, frozenset(reserved))


def error_config(spec: XErrors | None, stem: str) -> ErrorConfig:
    """Every exception class of the API and how the runtime picks one (module notes)."""
    base = (spec.base if spec else None) or f"{stem}Error"
    prefix = base.removesuffix("Exception").removesuffix("Error") or stem
    named = dict(spec.classes) if spec else {}
    classes = [
        ErrorClass(base, ("clientcore.APIError",), "Base class of every error this client raises.")
    ]
    by_status: dict[int, str] = {}
    by_range: dict[int, str] = {}
    ranges = {int(k[0]): v for k, v in named.items() if k.endswith("XX")}
    for digit, cls in sorted(ranges.items()):
        runtime = "clientcore.InternalServerError" if digit == 5 else "clientcore.APIStatusError"
        classes.append(ErrorClass(cls, (base, runtime), f"Any {digit}xx response."))
        by_range[digit] = cls
    runtime_by_status = dict(RUNTIME_STATUS)
    statuses = {int(k): v for k, v in named.items() if k.isdigit()}
    for status, runtime_name in RUNTIME_STATUS:
        statuses.setdefault(status, prefix + runtime_name)
    for status, cls in sorted(statuses.items()):
        parent = ranges.get(status // 100, base)
        runtime = runtime_by_status.get(
            status, "InternalServerError" if status >= 500 else "APIStatusError"
        )
        bases: tuple[str, ...] = (parent, f"clientcore.{runtime}")
        if parent != base and (status >= 500 or runtime == "APIStatusError"):
            bases = (parent,)
        classes.append(ErrorClass(cls, bases, f"HTTP {status}."))
        by_status[status] = cls
    if 5 not in by_range:
        cls = prefix + "InternalServerError"
        classes.append(
            ErrorClass(cls, (base, "clientcore.InternalServerError"), "Any 5xx response.")
        )
        by_range[5] = cls
    if 4 not in by_range:
        cls = prefix + "APIStatusError"
        classes.append(
            ErrorClass(cls, (base, "clientcore.APIStatusError"), "Any other error status.")
        )
        by_range[4] = cls
    connection = named.get("connection", prefix + "APIConnectionError")
    classes.append(ErrorClass(connection, (base, "clientcore.APIConnectionError"), "No response."))
    timeout = named.get("timeout", prefix + "APITimeoutError")
    classes.append(ErrorClass(timeout, (connection, "clientcore.APITimeoutError"), "Timed out."))
    validation = prefix + "ResponseValidationError"
    doc = "A success response whose body cannot be decoded or validated."
    classes.append(ErrorClass(validation, (base, "clientcore.APIResponseValidationError"), doc))
    stream = prefix + "StreamError"
    doc = "A stream that broke its framing: an undecodable event, or no terminator."
    classes.append(ErrorClass(stream, (base, "clientcore.APIStreamError"), doc))
    parameter = prefix + "ParameterError"
    doc = "A call argument that cannot be sent (``.parameter`` names it); nothing was sent."
    classes.append(ErrorClass(parameter, (base, "clientcore.APIParameterError"), doc))
    message = None
    if spec is not None and spec.message:
        message = tuple(int(p) if p.isdigit() else p for p in spec.message)
    by_code = spec.codes if spec else ()
    for code, cls in by_code:
        classes.append(ErrorClass(cls, (base, "clientcore.APIResultError"), f"Error {code!r}."))
    unknown = spec.unknown_code if spec else None
    if unknown is not None:
        doc = "An error code this client does not know (``.code`` has it)."
        classes.append(ErrorClass(unknown, (base, "clientcore.APIResultError"), doc))
    return ErrorConfig(
        base,
        tuple(_dedupe_classes(classes)),
        tuple(sorted(by_status.items())),
        tuple(sorted(by_range.items())),
        connection,
        timeout,
        tuple(sorted(spec.aliases)) if spec else (),
        message,
        by_code,
        unknown,
        validation,
        stream,
        parameter,
        tuple(
            (name, tuple(int(p) if p.isdigit() else p for p in ptr))
            for name, ptr in (spec.fields if spec else ())
        ),
    )


def _dedupe_classes(classes: list[ErrorClass]) -> list[ErrorClass]:
    seen: dict[str, ErrorClass] = {}
    for cls in classes:
        seen.setdefault(cls.name, cls)
    return list(seen.values())


def base_url(servers: tuple[SpecServer, ...], pyclient: XPythonClient | None) -> str | None:
    if pyclient is not None and pyclient.default_base_url:
        return pyclient.default_base_url
    if not servers or servers[0].url is None:
        return None
    url = servers[0].url
    for var in servers[0].variables:
        url = url.replace("{" + var.name + "}", var.default)
    return url.rstrip("/") if "://" in url else None


def user_agent(pyclient: XPythonClient | None, package: str, version: str) -> str:
    agent = (pyclient.user_agent if pyclient else None) or package.replace("_", "-")
    return agent if "/" in agent else f"{agent}/{version}"


def retry_defaults(document: SpecDocument) -> RetryDefaults:
    retries, timeout = document.x_retries, document.x_timeout
    return RetryDefaults(
        max_retries=retries.max_retries if retries else None,
        initial_delay=retries.initial_delay if retries else None,
        max_delay=retries.max_delay if retries else None,
        timeout=None if timeout is None else float(timeout),
    )


def error_class_for(errors: ErrorConfig, status: str) -> str:
    """The exception class the runtime raises for a documented status ("404", "4XX",
    "default"): the exact status's, else its range's, else the API's base class."""
    if status.isdigit():
        found = dict(errors.by_status).get(int(status))
        if found is not None:
            return found
        status = status[0] + "XX"
    if status.endswith("XX") and status[0].isdigit():
        ranged = dict(errors.by_range).get(int(status[0]))
        if ranged is not None:
            return ranged
    return errors.base
