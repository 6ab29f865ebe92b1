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
* Then extensions: :func:`codegen.spec.parse.parse_spec` reads the document into its
  typed records, and reading every ``x-`` value into its record is the extension
  check (closed list, right place, documented shape).
* The first problem raises; what is returned is the list of warnings.
* The structural check is the slow half (Plaid: ~2 s of jsonschema), and nothing
  after it needs its verdict until the end, so :class:`Validation` runs it in a forked
  child (:mod:`codegen.spec.aside`) while :mod:`codegen.pipeline` reads the records and
  builds the IR and the models; the verdict is the same, and so is the order of the
  warnings (the validator's come right after the loader's, as in :func:`read_spec`). A
  structural error still wins over any later problem the invalid document causes.
* openapi-spec-validator (and the jsonschema-path, pydantic-settings and requests it
  pulls in, ~0.3 s) is imported on first use, so with the check forked the compiler
  process never imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

from codegen.diagnostics import Diagnostic, SpecError
from codegen.load.loader import LoadedSpec
from codegen.spec.aside import Aside
from codegen.spec.parse import parse_spec
from codegen.spec.records import SpecDocument

__all__ = ["Validation", "read_spec", "validate"]

_MAX_MESSAGE = 300
_WEAK = frozenset({"oneOf", "anyOf"})
_STAMP = "codegen_where"


def validate(spec: LoadedSpec, *, strict: bool = False) -> list[Diagnostic]:
    """Raise SpecError for the first problem; return the warnings (loader's included)."""
    return read_spec(spec, strict=strict)[1]


def read_spec(spec: LoadedSpec, *, strict: bool = False) -> tuple[SpecDocument, list[Diagnostic]]:
    """Validate, then read the typed records (the stage's output) and the warnings
    (``strict``: a vendor extension is an error, see ``parse_spec``)."""
    _check_openapi(spec, strict)
    document = parse_spec(spec, strict=strict)
    return document, list(spec.diagnostics)


class Validation:
    """The structural check of ``spec``, started now, run aside (see the module notes).

    :meth:`wait` raises its SpecError or puts its warnings in ``spec.diagnostics``
    where :func:`read_spec` would have; :meth:`failed_early` says, without waiting,
    that the verdict is in and is an error; :meth:`close` drops a verdict not waited for.
    """

    def __init__(self, spec: LoadedSpec, *, strict: bool = False) -> None:
        self._spec = spec
        self._mark = len(spec.diagnostics)
        self._aside: Aside[list[Diagnostic]] = Aside(lambda: _structure_warnings(spec, strict))
        self._done = False

    @property
    def seconds(self) -> float:
        """How long the check took (in the child, when it ran there)."""
        return self._aside.seconds

    @property
    def ran_aside(self) -> bool:
        """The verdict came from a child process (known once waited for)."""
        return self._aside.ran_aside

    def failed_early(self) -> bool:
        if not self._aside.ready():
            return False
        try:
            self._aside.result()
        except Exception:
            return True
        return False

    def wait(self) -> None:
        warnings = self._aside.result()  # raises the SpecError
        if not self._done:
            self._spec.diagnostics[self._mark : self._mark] = warnings
            self._done = True

    def close(self) -> None:
        self._aside.close()


def _structure_warnings(spec: LoadedSpec, strict: bool) -> list[Diagnostic]:
    """:func:`_check_openapi`, its warnings taken out of ``spec.diagnostics`` and returned."""
    start = len(spec.diagnostics)
    _check_openapi(spec, strict)
    found = list(spec.diagnostics[start:])
    del spec.diagnostics[start:]
    return found


def _check_openapi(spec: LoadedSpec, strict: bool = False) -> None:
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.validation.registries import KeywordValidatorRegistry

    validator_cls = OpenAPIV31SpecValidator if spec.is_31 else OpenAPIV30SpecValidator
    try:
        validator = validator_cls(spec.document)
        schema_validator = _crawled(validator.schema_validator)
        error = next(iter(schema_validator.iter_errors(spec.document)), None)
        if error is not None:
            error = _narrow(error)
            raise spec.error([str(s) for s in error.absolute_path], _short(error.message))
        stamping = {k: _stamping(v, SchemaPath) for k, v in validator.keyword_validators.items()}
        validator.keyword_validators_registry = KeywordValidatorRegistry(cast(Any, stamping))
        semantic = iter(validator.root_validator(validator.schema_path))
        error = None
        for found in semantic:
            if strict or not _harmless(found):
                error = found
                break
            where = [str(s) for s in getattr(found, _STAMP, ())]
            message = f"a value the spec shows was not checked or does not match its schema: {_short(found.message)}"
            spec.diagnostics.append(spec.warning(where, message))
    except SpecError:
        raise
    except Exception as exc:  # the validator itself tripped over the document
        raise spec.error("", f"cannot validate: {type(exc).__name__}: {exc}") from None
    if error is not None:
        where = [str(s) for s in getattr(error, _STAMP, ())]
        raise spec.error(where, _short(error.message))


def _crawled(validator: Any) -> Any:
    """The OpenAPI meta-schema validator, its reference registry crawled up front.

    The 3.1 meta-schema resolves ``$dynamicRef: "#meta"`` anchors; ``referencing`` finds
    an anchor by crawling the registry, but the crawled registry goes only to the
    reference's own subtree, so every sibling crawls again (Plaid-sized 3.1 documents:
    hundreds of crawls, most of the structural pass). Crawled once here, the same
    checks give the same errors ~4x faster. Private attributes of jsonschema: if they
    change, the validator is used as it comes.
    """
    try:
        resolver = validator._resolver
        registry = resolver._registry.crawl()
        faster = validator.evolve()
        object.__setattr__(faster, "_resolver", registry.resolver(base_uri=resolver._base_uri))
    except Exception:
        return validator
    return faster


def _harmless(error: Any) -> bool:
    """A semantic error about a value the spec shows (a ``default`` or example that its
    own schema refuses: a jsonschema error) rather than about the API's shape
    (duplicate operationIds, undeclared path parameters): the client is right anyway."""
    if str(getattr(error, "message", "")).startswith("Unknown JSON Schema dialect"):
        return True  # a schema's own ``$schema`` (draft-05...): its values go unchecked
    return isinstance(getattr(error, "validator", None), str) and hasattr(error, "instance")


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

    def __init__(self, inner: Any, path_type: type) -> None:
        self.inner = inner
        self.path_type = path_type

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        where = next((cast(Any, a).parts for a in args if isinstance(a, self.path_type)), None)
        for error in self.inner(*args, **kwargs):
            if where is not None and not hasattr(error, _STAMP):
                setattr(error, _STAMP, where)
            yield error


class _Ids(set[int]):
    """openapi-spec-validator's visited-schema lists (``in``, ``append``) as a set:
    a list made every visit a scan of all the schemas before it (quadratic)."""

    def append(self, item: int) -> None:
        self.add(item)


def _stamping(cls: Callable[[Any], Any], path_type: type) -> Callable[[Any], _Stamped]:
    def make(registry: Any) -> _Stamped:
        inner = cls(registry)
        for name in ("visited_schema_ids", "meta_checked_schema_ids"):
            if isinstance(getattr(inner, name, None), list):
                setattr(inner, name, _Ids(getattr(inner, name)))
        return _Stamped(inner, path_type)

    return make


def _short(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[:_MAX_MESSAGE] + " ..."
