"""Several credential kinds (``x-python-client.credentials``, ``tests/specs/credentials``):
one keyword-only constructor parameter per security scheme, each a string, a function
or (async client) a coroutine function; every scheme given goes on the wire, and a
client made with none of them is the API's parameter error.  Against a real server."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import clientcore
from tests.support.compiled import compiled_package
from tests.support.server import serve

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "credentials" / "openapi.yaml"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(SPEC, "credentials_test_client", tmp_path_factory.mktemp("c")) as p:
        yield p


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    async def seen(request: Request) -> Response:
        return JSONResponse(
            {
                "api_key": request.headers.get("api-key"),
                "authorization": request.headers.get("authorization"),
                "api_version": request.query_params.get("api-version"),
            }
        )

    app = Starlette(routes=[Route("/whoami", seen), Route("/public", seen)])
    with serve(app) as url:
        yield url


def test_each_scheme_is_a_keyword_only_parameter(pkg: Any) -> None:
    for cls in (pkg.Keys, pkg.AsyncKeys):
        params = inspect.signature(cls).parameters
        for name in ("api_key", "bearer_token"):
            assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
            assert params[name].default is None


@pytest.mark.parametrize(
    ("given", "api_key", "authorization"),
    [
        ({"api_key": "K"}, "K", None),
        ({"bearer_token": "T"}, None, "Bearer T"),
        ({"api_key": "K", "bearer_token": "T"}, "K", "Bearer T"),
        ({"api_key": "", "bearer_token": lambda: "F"}, None, "Bearer F"),
    ],
)
def test_every_credential_given_goes_on_the_wire(
    pkg: Any, base_url: str, given: dict[str, Any], api_key: str | None, authorization: str | None
) -> None:
    with pkg.Keys(base_url=base_url, **given) as client:
        seen = client.whoami()
        assert (seen.api_key, seen.authorization) == (api_key, authorization)
        public = client.public()
        assert (public.api_key, public.authorization) == (None, None)


async def test_async_client_takes_coroutine_functions(pkg: Any, base_url: str) -> None:
    async def token() -> str:
        return "AT"

    async with pkg.AsyncKeys(base_url=base_url, api_key=lambda: "SK", bearer_token=token) as c:
        seen = await c.whoami()
    assert (seen.api_key, seen.authorization) == ("SK", "Bearer AT")


@pytest.mark.parametrize("cls", ["Keys", "AsyncKeys"])
def test_no_credential_at_all_is_the_apis_parameter_error(pkg: Any, cls: str) -> None:
    with pytest.raises(pkg.KeysError) as info:
        getattr(pkg, cls)(base_url="http://127.0.0.1:9")
    assert isinstance(info.value, clientcore.ParameterError)
    assert "api_key or bearer_token" in str(info.value)


def test_a_coroutine_credential_on_the_sync_client_is_a_clear_error(pkg: Any) -> None:
    async def token() -> str:
        return "T"

    with pytest.raises(pkg.KeysError, match="async client") as info:
        pkg.Keys(base_url="http://127.0.0.1:9", bearer_token=token)
    assert isinstance(info.value, clientcore.ParameterError)


def test_a_client_option_defaults_a_query_parameter_a_call_may_override(
    pkg: Any, base_url: str
) -> None:
    params = inspect.signature(pkg.Keys).parameters
    assert params["api_version"].kind is inspect.Parameter.KEYWORD_ONLY
    with pkg.Keys(base_url=base_url, api_key="K", api_version="2024-02-01") as client:
        assert client.whoami().api_version == "2024-02-01"
        assert client.whoami(api_version="2025-01-01").api_version == "2025-01-01"
        assert client.public().api_version is None  # an operation without the parameter
    with pkg.Keys(base_url=base_url, api_key="K") as client:
        assert client.whoami().api_version is None  # unset: nothing sent


def test_an_option_for_a_query_parameter_no_operation_has_is_an_error(tmp_path: Path) -> None:
    from codegen.diagnostics import SpecError
    from codegen.pipeline import compile_spec

    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC.read_text().replace("query: api-version", "query: api_ver"))
    with pytest.raises(SpecError, match="api_version: no operation has a query parameter"):
        compile_spec(spec, package="keys_client")
