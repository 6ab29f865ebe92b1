"""Check a loaded spec: valid OpenAPI for its own version, then only accepted extensions.

Design notes
------------
* Structure first: openapi-spec-validator's 3.0 or 3.1 validator (by the ``openapi``
  field) runs on the *bundled* document, which has local refs only, so there is
  nothing to fetch and it is validated once. Its JSON-schema pass reports a path into
  the document; the first error, narrowed into its ``oneOf``/``anyOf`` causes (see
  :func:`_narrow`), becomes a SpecError located through :meth:`LoadedSpec.origin`,
  i.e. in the file the node came from. Its semantic pass (duplicate operationIds,
  undeclared path parameters, defaults that break their schema) reports no path, so
  each keyword validator is wrapped to stamp its errors with the document path it was
  checking (:class:`_Stamped`).
* Then extensions: the document is walked with the same OpenAPI kinds the loader uses
  (``load.kinds.child_kind``), so an ``x-`` key is only an extension where OpenAPI
  allows one: a header called ``x-next`` or a property called ``x-foo`` is a name,
  and nothing inside ``example``/``examples``/``default``/``enum`` values is looked
  at. Each extension must be in the closed list, sit on the kind of object it is
  meant for, and have the documented shape; vendor documentation keys are skipped.
* The first problem raises; what is returned is the list of warnings.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import Any, cast

from jsonschema_path import SchemaPath
from openapi_spec_validator import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
)
from openapi_spec_validator.validation.registries import KeywordValidatorRegistry

from codegen.diagnostics import Diagnostic, SpecError
from codegen.load.kinds import children, is_object_kind
from codegen.load.loader import LoadedSpec, Pointer
from codegen.spec.extensions import EXTENSIONS, check_extension, is_ignored

__all__ = ["validate"]

_MAX_MESSAGE = 300
_WEAK = frozenset({"oneOf", "anyOf"})
_STAMP = "codegen_where"


def validate(spec: LoadedSpec) -> list[Diagnostic]:
    """Raise SpecError for the first problem; return the warnings (loader's included)."""
    _check_openapi(spec)
    _check_extensions(spec, spec.document, "root", ())
    return list(spec.diagnostics)


def _check_openapi(spec: LoadedSpec) -> None:
    validator_cls = OpenAPIV31SpecValidator if spec.is_31 else OpenAPIV30SpecValidator
    try:
        validator = validator_cls(spec.document)
        error = next(iter(validator.schema_validator.iter_errors(spec.document)), None)
        if error is not None:
            error = _narrow(error)
            raise spec.error([str(s) for s in error.absolute_path], _short(error.message))
        stamping = {k: _stamping(v) for k, v in validator.keyword_validators.items()}
        validator.keyword_validators_registry = KeywordValidatorRegistry(cast(Any, stamping))
        error = next(iter(validator.root_validator(validator.schema_path)), None)
    except SpecError:
        raise
    except Exception as exc:  # the validator itself tripped over the document
        raise spec.error("", f"cannot validate: {type(exc).__name__}: {exc}") from None
    if error is not None:
        where = [str(s) for s in getattr(error, _STAMP, ())]
        raise spec.error(where, _short(error.message))


def _narrow(error: Any) -> Any:
    """Descend into oneOf/anyOf failures to the most specific cause.

    The alternative "it is a Reference Object" (``'$ref' is a required property``) is
    noise; of the rest the deepest wins, a non-oneOf/anyOf error over a oneOf/anyOf.
    """
    while error.context:
        causes = [
            e for e in error.context if not (e.validator == "required" and "'$ref'" in e.message)
        ]
        if not causes:
            break
        error = max(causes, key=lambda e: (len(e.absolute_path), e.validator not in _WEAK))
    return error


class _Stamped:
    """A keyword validator whose errors are stamped with the document path it checked.

    openapi-spec-validator's semantic checks (defaults against their schema, duplicate
    operationIds, undeclared path parameters...) report no path; the innermost
    keyword validator an error passes through knows where it is.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        where = next((a.parts for a in args if isinstance(a, SchemaPath)), None)
        for error in self.inner(*args, **kwargs):
            if where is not None and not hasattr(error, _STAMP):
                setattr(error, _STAMP, where)
            yield error


def _stamping(cls: Callable[[Any], Any]) -> Callable[[Any], _Stamped]:
    return lambda registry: _Stamped(cls(registry))


def _short(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[:_MAX_MESSAGE] + " ..."


def _check_extensions(spec: LoadedSpec, node: Any, kind: str, ptr: Pointer) -> None:
    if isinstance(node, dict) and is_object_kind(kind):
        for key, value in node.items():
            if key.startswith("x-") and not is_ignored(key):
                _check_extension(spec, key, value, node, kind, ptr)
    for key, value, sub_kind in children(node, kind):
        _check_extensions(spec, value, sub_kind, (*ptr, str(key)))


def _check_extension(
    spec: LoadedSpec, name: str, value: Any, owner: dict[str, Any], kind: str, ptr: Pointer
) -> None:
    where = (*ptr, name)
    extension = EXTENSIONS.get(name)
    if extension is None:
        close = difflib.get_close_matches(name, EXTENSIONS, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise spec.error(
            where,
            f"unknown extension {name!r} (the accepted ones are listed "
            f"in docs/extensions.md){hint}",
        )
    if kind not in extension.where:
        raise spec.error(
            where,
            f"{name} does not belong on a {kind} object (only on: "
            f"{', '.join(sorted(extension.where))})",
        )
    problem = check_extension(name, value, owner)
    if problem is not None:
        raise spec.error((*where, *(str(s) for s in problem[0])), f"{name}: {problem[1]}")
