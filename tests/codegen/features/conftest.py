"""The features API (``tests/specs/features/openapi.yaml``: one small API exercising the
compiler's less common paths) compiled once per test module into a temporary package
(``built``: its directory and the compiler's warnings; ``pkg``: the imported package, removed
from ``sys.modules`` afterwards), and ``client(pkg, handler)``: a sync or async client
whose requests an ``httpx.MockTransport`` handler answers."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from codegen.pipeline import compile_spec, write_package

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "tests" / "specs" / "features" / "openapi.yaml"
PACKAGE = "features_test_client"

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("features")
    compiled = compile_spec(SPEC, package=PACKAGE)
    write_package(compiled.files, out / PACKAGE)
    return out, [d.message for d in compiled.warnings]


@pytest.fixture(scope="module")
def pkg(built: tuple[Path, list[str]]) -> Iterator[ModuleType]:
    out, _ = built
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def client(pkg: Any, handler: Handler, *, is_async: bool = False) -> Any:
    if is_async:
        transport = httpx.MockTransport(handler)
        return pkg.AsyncFeaturesClient("tok", http_client=httpx.AsyncClient(transport=transport))
    return pkg.FeaturesClient(
        "tok", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
