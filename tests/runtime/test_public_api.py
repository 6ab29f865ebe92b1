"""The package surface: exactly the contract's names, typed, documented."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import clientcore

CONTRACT = {
    # values generated modules build
    "AuthScheme",
    "ClientConfig",
    "ErrorConfig",
    "Operation",
    "PathParam",
    "QueryParam",
    "Pagination",
    "Recovery",
    "RetryPolicy",
    "StreamSpec",
    # classes generated code subclasses
    "SyncAPIClient",
    "AsyncAPIClient",
    "SyncResource",
    "AsyncResource",
    "APIModel",
    "OpenEnum",
    "PageModel",
    # signatures and results
    "NOT_GIVEN",
    "NotGiven",
    "FileTypes",
    "SyncPager",
    "AsyncPager",
    "Stream",
    "AsyncStream",
    "APIResponse",
    "to_raw_response",
    "async_to_raw_response",
    # errors
    "ClientError",
    "ParameterError",
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
}


def test_all_is_exactly_the_contract() -> None:
    assert set(clientcore.__all__) == CONTRACT
    assert len(clientcore.__all__) == len(CONTRACT)  # no duplicates


def test_every_exported_name_resolves() -> None:
    for name in clientcore.__all__:
        assert getattr(clientcore, name) is not None, name


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from clientcore import *", namespace)
    assert set(namespace) - {"__builtins__"} == CONTRACT


def test_contract_doc_mentions_every_export() -> None:
    doc = (Path(clientcore.__file__).parents[1] / "docs" / "runtime-contract.md").read_text()
    missing = [name for name in clientcore.__all__ if name not in doc]
    assert missing == []


def test_package_is_typed_and_modules_are_private() -> None:
    package = Path(clientcore.__file__).parent
    assert (package / "py.typed").is_file()
    modules = sorted(p.stem for p in package.glob("*.py") if p.stem != "__init__")
    assert modules and all(m.startswith("_") for m in modules)
    for stem in modules:
        module = importlib.import_module(f"clientcore.{stem}")
        assert module.__doc__ and len(module.__doc__.strip()) > 40, f"{stem} needs design notes"


def test_public_classes_report_the_package() -> None:
    for name in clientcore.__all__:
        obj = getattr(clientcore, name)
        if inspect.isclass(obj):
            assert obj.__module__ == "clientcore", name


def test_not_given_is_a_falsy_singleton() -> None:
    assert clientcore.NotGiven() is clientcore.NOT_GIVEN
    assert not clientcore.NOT_GIVEN
    assert repr(clientcore.NOT_GIVEN) == "NOT_GIVEN"
