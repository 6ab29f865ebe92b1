"""Fixtures of the fault suite: a fresh fault server per test, and a ``Harness`` that
drives any adapted package's sync or async client against it.

* ``fault_server`` - a started ``FaultServer``; at teardown it must have logged no
  server-side error, and it is stopped.
* ``adapter``      - one ``Adapter`` per package having what the test's
  ``@pytest.mark.faults_need(...)`` names (all adapters when it names nothing).
* ``flavor``       - ``"sync"`` or ``"async"``.
* ``package``      - the adapter's package, loaded once per session.
* ``harness``      - ``Harness(package, flavor, server)`` (``harness.py``); the clients
  it made are closed at teardown.

Every test is an ``async def``; the harness hides whether the client is sync or async.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack

import pytest

from tests.faults.adapters import ADAPTERS, Adapter, Package
from tests.faults.harness import Harness
from tests.faults.server import FaultServer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "faults_need(*capabilities): run once per adapter that has them all"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "adapter" not in metafunc.fixturenames:
        return
    needs: tuple[str, ...] = ()
    for marker in metafunc.definition.iter_markers("faults_need"):
        needs += tuple(marker.args)
    chosen = [a for a in ADAPTERS if a.has(*needs)]
    metafunc.parametrize("adapter", chosen, ids=[a.name for a in chosen])


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class _Packages:
    def __init__(self, stack: ExitStack, factory: pytest.TempPathFactory) -> None:
        self._stack = stack
        self._factory = factory
        self._loaded: dict[str, Package] = {}

    def get(self, adapter: Adapter) -> Package:
        package = self._loaded.get(adapter.name)
        if package is None:
            folder = self._factory.mktemp(f"faults-{adapter.name}")
            module = self._stack.enter_context(adapter.load(folder))
            package = self._loaded[adapter.name] = Package.of(adapter, module)
        return package


@pytest.fixture(scope="session")
def _packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Packages]:
    with ExitStack() as stack:
        yield _Packages(stack, tmp_path_factory)


@pytest.fixture
def package(adapter: Adapter, _packages: _Packages) -> Package:
    return _packages.get(adapter)


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server
        assert server.errors == [], "the fault server itself failed:\n" + "\n".join(server.errors)


@pytest.fixture
async def harness(
    package: Package, flavor: str, fault_server: FaultServer
) -> AsyncIterator[Harness]:
    h = Harness(package, flavor, fault_server)
    yield h
    await h.aclose_all()
