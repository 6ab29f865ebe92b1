"""The package surface: exactly the contract's names, typed, documented."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import clientcore

CONTRACT = {
    # values generated modules build
    "AuthScheme",
    "ClientConfig",
    "CookieParam",
    "ErrorConfig",
    "HeaderParam",
    "Operation",
    "PathParam",
    "QueryParam",
    "Pagination",
    "Recovery",
    "RetryPolicy",
    "StreamSpec",
    # seams: body codecs, result rules, transports
    "BodyCodec",
    "JSON_CODEC",
    "ResultRule",
    "SyncTransport",
    "AsyncTransport",
    "TransportFactory",
    "TransportSettings",
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
    "FileContent",
    "FileTypes",
    "OAuth2ClientCredentials",
    "SyncPager",
    "AsyncPager",
    "Stream",
    "AsyncStream",
    "APIResponse",
    "BinaryResponse",
    "AsyncBinaryResponse",
    "to_raw_response",
    "async_to_raw_response",
    "ResultResponse",
    "to_result_response",
    "async_to_result_response",
    # errors
    "ClientError",
    "ParameterError",
    "APIError",
    "APIParameterError",
    "APIResultError",
    "APIResponseValidationError",
    "APIStreamError",
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


def _relative_imports(module: Path) -> set[str]:
    """The sibling modules ``module`` imports, including under ``TYPE_CHECKING``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.update([node.module] if node.module else [a.name for a in node.names])
    return found


def test_no_import_cycles_between_modules() -> None:
    """Not even under ``TYPE_CHECKING``: every module can be read bottom-up."""
    package = Path(clientcore.__file__).parent
    graph = {p.stem: _relative_imports(p) for p in package.glob("_*.py")}
    assert graph["_config"] and graph["_failures"]  # the parser sees imports
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path, name))
        if name not in done:
            for dep in sorted(graph.get(name, ())):
                visit(dep, (*path, name))
            done.add(name)

    for name in sorted(graph):
        visit(name, ())
