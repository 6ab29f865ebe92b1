"""Parameters named like builtins (``list``, ``dict``, ``str``) or like a model of the
package (``Thing``): the generated methods still build their result types, which they
reach through ``builtins`` and the models package (``tests/specs/names``).  A method
named like a builtin (``client.catalog.list``) hides it for the annotations after it in
its class body: those are written ``builtins.list[...]``, and mypy agrees."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.compiled import compiled_package, mypy_strict
from tests.support.server import serve

SPEC = Path(__file__).resolve().parents[1] / "specs" / "names" / "openapi.yaml"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(SPEC, "names_test_client", tmp_path_factory.mktemp("names")) as p:
        yield p


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    async def things(request: Request) -> JSONResponse:
        return JSONResponse(
            [{"name": "&".join(f"{k}={v}" for k, v in request.query_params.items())}]
        )

    async def index(request: Request) -> JSONResponse:
        return JSONResponse({"a": {"name": request.query_params.get("dict", "")}})

    async def names(request: Request) -> JSONResponse:
        return JSONResponse(["x"] * int(request.query_params["list"]))

    routes = [
        Route("/things", things),
        Route("/index", index),
        Route("/names", names),
        Route("/catalog", things),
        Route("/events", things),
        Route("/catalog/first", things),
    ]
    with serve(Starlette(routes=routes)) as url:
        yield url


def test_parameters_named_like_builtins_and_models(pkg: Any, base_url: str) -> None:
    with pkg.Names(base_url=base_url) as client:
        found = client.list_things(list="l", str="s", Thing="t")
        assert isinstance(found[0], pkg.Thing)
        assert found[0].name == "list=l&str=s&Thing=t"
        index = client.thing_index(dict="d", str="s")
        assert isinstance(index["a"], pkg.Thing) and index["a"].name == "d"
        assert client.names(list=2) == ["x", "x"]


async def test_async_twin(pkg: Any, base_url: str) -> None:
    async with pkg.AsyncNames(base_url=base_url) as client:
        assert (await client.names(list=1)) == ["x"]
        assert (await client.thing_index(dict="e"))["a"].name == "e"


def test_the_shadowed_builtins_are_reached_through_builtins(pkg: Any) -> None:
    source = (Path(pkg.__file__).parent / "_client.py").read_text()
    assert "builtins.list[_models.Thing]" in source
    assert "builtins.dict[builtins.str, _models.Thing]" in source


def test_a_method_named_list_does_not_break_later_annotations(pkg: Any, base_url: str) -> None:
    source = (Path(pkg.__file__).parent / "resources" / "catalog.py").read_text()
    assert "def list(" in source and "-> builtins.list[Thing]" in source
    with pkg.Names(base_url=base_url) as client:
        assert [t.name for t in client.catalog.list()] == [""]
        assert [t.name for t in client.catalog.first(tags=["a"])] == ["tags=a"]


def test_the_package_type_checks_with_shadowing_names(pkg: Any) -> None:
    done = mypy_strict(pkg)
    assert done.returncode == 0, done.stdout + done.stderr


def test_query_names_ending_in_an_operator_are_named_for_it(pkg: Any, base_url: str) -> None:
    import inspect

    params = inspect.signature(pkg.Names.events).parameters
    # an identifier keeps its spelling (``StartTime``); its operator twins follow it
    assert {"StartTime", "StartTime_lt", "StartTime_gt", "Size_gte"} <= set(params)
    with pkg.Names(base_url=base_url) as client:
        [thing] = client.events(StartTime="a", StartTime_lt="b", StartTime_gt="c", Size_gte=3)
    assert thing.name == "StartTime=a&StartTime<=b&StartTime>=c&Size>==3"
