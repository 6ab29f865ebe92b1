"""Typed values of our ``x-`` extensions (``docs/extensions.md``), one record each.

Read by :mod:`codegen.spec.xvalues`; ``x-stream`` (which holds a schema) is
:class:`codegen.spec.records.XStream`. Like every record, each carries its
:class:`~codegen.spec.values.Loc` outside equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codegen.spec.values import Json, Loc

__all__ = [
    "XConflictRecovery",
    "XErrors",
    "XLink",
    "XMethod",
    "XPagination",
    "XPythonClient",
    "XPythonCustom",
    "XResult",
    "XRetries",
]


@dataclass(frozen=True, slots=True)
class XPythonClient:
    """Root ``x-python-client``: class names, credential, base URL, user agent."""

    name: str | None = None
    async_name: str | None = None
    credential: str | None = None
    credentials: tuple[tuple[str, str], ...] = ()  # constructor parameter -> scheme name
    options: tuple[tuple[str, str], ...] = ()  # constructor parameter -> query wire name
    default_base_url: str | None = None
    user_agent: str | None = None
    params_dict: bool = False  # JSON bodies also taken as one positional dict (TypedDict)
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class XErrors:
    """Root ``x-errors``; ``message`` is the split JSON pointer into an error body."""

    base: str | None = None
    message: tuple[str, ...] | None = None
    classes: tuple[tuple[str, str], ...] = ()  # status key ("400", "5XX", "timeout") -> class
    aliases: tuple[tuple[str, str], ...] = ()
    codes: tuple[tuple[str, str], ...] = ()  # x-result error code -> class
    unknown_code: str | None = None  # class of an x-result code the spec does not list
    fields: tuple[tuple[str, tuple[str, ...]], ...] = ()  # attribute -> pointer into the body
    operation_bases: bool = False  # one base class per x-result operation
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class XResult:
    """``x-result`` (root default or per operation): success decided from the body too.
    Each field is a split JSON pointer into the decoded body."""

    error: tuple[str, ...]
    code: tuple[str, ...] | None = None
    message: tuple[str, ...] | None = None
    result: tuple[str, ...] | None = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class XRetries:
    """Root ``x-retries`` (numbers as written: an int stays an int)."""

    max_retries: int | None = None
    initial_delay: int | float | None = None
    max_delay: int | float | None = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class XPythonCustom:
    """Root ``x-python-custom``: ``module.Name`` references into ``python/*.py``."""

    exports: tuple[str, ...] = ()
    client: str | None = None
    async_client: str | None = None
    # resource path ("files", "chat.completions") -> (sync mixin, async mixin)
    resources: tuple[tuple[str, tuple[str | None, str | None]], ...] = ()
    # PEP 508 requirements the hand-written code needs beyond the runtime's
    dependencies: tuple[str, ...] = ()
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class XPagination:
    """Operation ``x-pagination``: every name is a wire name."""

    style: str
    items: str | None = None
    cursor_param: str | None = None
    cursor_field: str | None = None
    has_more_field: str | None = None
    offset_param: str | None = None
    limit_field: str | None = None
    total_field: str | None = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class XMethod:
    """One entry of an operation's ``x-methods``."""

    name: str
    kind: str  # call | page | iterate | count
    rename: tuple[tuple[str, str], ...] = ()
    exclude: tuple[str, ...] = ()
    defaults: tuple[tuple[str, Json], ...] = ()
    fixed: tuple[tuple[str, Json], ...] = ()
    require_one_of: tuple[tuple[str, ...], ...] = ()
    resource: str | None = None
    description: str | None = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class XConflictRecovery:
    """Operation ``x-conflict-recovery``; ``result`` is the split JSON pointer."""

    operation_id: str
    query: tuple[tuple[str, str], ...] = ()
    result: tuple[str, ...] = ()
    loc: Loc = field(compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class XLink:
    """One entry of a schema's ``x-links``."""

    name: str
    operation_id: str
    parameters: tuple[tuple[str, Json], ...] = ()
    positional: tuple[str, ...] = ()
    update: tuple[tuple[str, str], ...] = ()
    description: str | None = None
    loc: Loc = field(compare=False, repr=False, kw_only=True)
