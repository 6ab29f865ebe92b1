"""Fixtures for the Scale tests: a served Scale fake and a served recorder.

* ``scale_fake``      - FakeServer(base_url, app) with fresh state (one uvicorn per session,
                        reset before each test); ``.faults``, ``.requests``, ``.store``.
* ``scaleapi_client`` - official ``scaleapi.ScaleClient`` pointed at ``scale_fake`` (v1 + v2).
* ``recorder``        - RecorderSession, unpacks as ``(base_url, log)``; also ``.recorder``,
                        ``.faults``, ``.store``, ``.reset()``. Pass it to ``record_case``.
* ``make_recorder``   - factory for extra, independent recorder servers.
* ``api``             - our generated client against ``scale_fake``, parametrised "sync" /
                        "async", wrapped so that ``await api.get_task(...)`` runs either
                        (see ``Api``); ``make_our_client`` builds one for any base URL.
* ``seeded``          - the state the README's examples presuppose, put in ``scale_fake``
                        (``SeedState`` in ``seed_docs_support.py``).
Helpers: ``BASIC`` (the v1 Authorization header for ``API_KEY``) and ``http(fake)``, a raw
httpx client on the fake (Basic auth unless ``auth`` says otherwise).
"""

from __future__ import annotations

import base64
import inspect
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:  # make ``tests`` importable under any import mode
    sys.path.insert(0, str(_ROOT))

import httpx  # noqa: E402
import pytest  # noqa: E402

from tests.scale.parity_cases import API_KEY, PARITY_PAGE_SIZE, SCALEAPI  # noqa: E402
from tests.servers.recorder import Recorder  # noqa: E402
from tests.servers.scale_fake import create_app  # noqa: E402
from tests.servers.wire import RecordedRequest  # noqa: E402
from tests.support.server import ServerThread  # noqa: E402

if TYPE_CHECKING:
    from tests.scale.seed_docs_support import SeedState

INSTANT_KEY = "test_instant_key"  # ``test_`` keys complete tasks instantly (Scale test mode)
FAKE_KEYS = frozenset({API_KEY, INSTANT_KEY})
FAKE_PROJECTS = ("test_project",)  # pre-created (the README payloads use it)
BASIC = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()


@dataclass
class FakeServer:
    base_url: str
    app: Any

    @property
    def faults(self) -> Any:
        return self.app.state.faults

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.app.state.requests  # type: ignore[no-any-return]

    @property
    def store(self) -> Any:
        return self.app.state.store

    def reset(self) -> None:
        self.app.state.reset()
        self.store.page_size = PARITY_PAGE_SIZE


@dataclass
class RecorderSession:
    base_url: str
    recorder: Recorder

    @property
    def log(self) -> list[RecordedRequest]:
        return self.recorder.log

    @property
    def faults(self) -> Any:
        return self.recorder.faults

    @property
    def store(self) -> Any:
        return self.recorder.store

    def reset(self) -> None:
        self.recorder.reset()

    def __iter__(self) -> Iterator[Any]:  # base_url, log = recorder
        return iter((self.base_url, self.log))


@pytest.fixture(scope="session")
def _fake_server() -> Iterator[FakeServer]:
    app = create_app(FAKE_KEYS, page_size=PARITY_PAGE_SIZE, projects=FAKE_PROJECTS)
    with ServerThread(app) as base_url:
        yield FakeServer(base_url, app)


@pytest.fixture
def scale_fake(_fake_server: FakeServer) -> FakeServer:
    _fake_server.reset()
    return _fake_server


@pytest.fixture
def scaleapi_client(scale_fake: FakeServer) -> Any:
    return SCALEAPI.build(scale_fake.base_url, API_KEY)


@pytest.fixture
def seeded(scale_fake: FakeServer) -> SeedState:
    from tests.scale.seed_docs_support import SeedState  # it imports this conftest

    return SeedState(scale_fake)


def http(fake: FakeServer, auth: str | None = BASIC) -> httpx.Client:
    headers = {"Authorization": auth} if auth else {}
    return httpx.Client(base_url=fake.base_url, headers=headers, follow_redirects=False)


@pytest.fixture(scope="session")
def _recorder_server() -> Iterator[RecorderSession]:
    rec = Recorder(api_keys=FAKE_KEYS, page_size=PARITY_PAGE_SIZE, projects=FAKE_PROJECTS)
    with ServerThread(rec) as base_url:
        yield RecorderSession(base_url, rec)


@pytest.fixture
def recorder(_recorder_server: RecorderSession) -> RecorderSession:
    _recorder_server.reset()
    return _recorder_server


@pytest.fixture
def make_recorder() -> Iterator[Callable[..., RecorderSession]]:
    servers: list[ServerThread] = []

    def make(responder: Any = None, **fake_kwargs: Any) -> RecorderSession:
        fake_kwargs.setdefault("api_keys", FAKE_KEYS)
        fake_kwargs.setdefault("page_size", PARITY_PAGE_SIZE)
        fake_kwargs.setdefault("projects", FAKE_PROJECTS)
        rec = Recorder(responder, **fake_kwargs) if responder is None else Recorder(responder)
        server = ServerThread(rec)
        servers.append(server)
        return RecorderSession(server.start(), rec)

    yield make
    for server in servers:
        server.stop()


# --------------------------------------------------------------------------- our client, sync or async


class _Call:
    """Attribute proxy: every callable becomes ``async``, awaiting the result when the
    client is async, so one test body drives ``ScaleClient`` and ``AsyncScaleClient``."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if callable(attr) and not isinstance(attr, type):

            async def call(*args: Any, **kwargs: Any) -> Any:
                result = attr(*args, **kwargs)
                if inspect.isawaitable(result):
                    result = await result
                return result

            return call
        return _Call(attr)


class Api(_Call):
    """``await api.get_task(...)`` / ``await api.v2.get_task(...)`` on either client.

    ``api.client`` is the real client, ``api.is_async`` says which, ``api.fake`` is the
    served Scale fake, ``api.sleeps`` records the delays of the client's sleep hook
    (retries never really sleep in these tests).
    """

    def __init__(self, client: Any, is_async: bool, fake: FakeServer) -> None:
        super().__init__(client)
        self.client = client
        self.is_async = is_async
        self.fake = fake
        self.sleeps: list[float] = []

    async def collect(self, pager: Any) -> list[Any]:
        """Every item of a lazy pager (``async for`` on the async client)."""
        if self.is_async:
            return [item async for item in pager]
        return list(pager)

    async def link(self, model: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        """A model link method: ``model.name()`` (sync) or ``await model.aname()`` (async)."""
        if self.is_async:
            return await getattr(model, "a" + name)(*args, **kwargs)
        return getattr(model, name)(*args, **kwargs)


def make_our_client(
    base_url: str,
    is_async: bool,
    api_key: str = API_KEY,
    sleeps: list[float] | None = None,
    **kwargs: Any,
) -> Any:
    """Our generated client at ``base_url``; its sleep hook records instead of sleeping."""
    import scale_client

    record = sleeps if sleeps is not None else []
    if is_async:
        client: Any = scale_client.AsyncScaleClient(api_key, base_url=base_url, **kwargs)

        async def asleep(seconds: float) -> None:
            record.append(seconds)

        client._sleep = asleep
    else:
        client = scale_client.ScaleClient(api_key, base_url=base_url, **kwargs)
        client._sleep = record.append
    return client


@pytest.fixture(params=["sync", "async"])
async def api(request: pytest.FixtureRequest, scale_fake: FakeServer) -> AsyncIterator[Api]:
    is_async = request.param == "async"
    wrapper = Api(None, is_async, scale_fake)
    client = make_our_client(scale_fake.base_url, is_async, sleeps=wrapper.sleeps)
    wrapper.client = client
    wrapper._target = client
    try:
        yield wrapper
    finally:
        record_operations(request.param, scale_fake.requests)
        if is_async:
            await client.aclose()
        else:
            client.close()


# Operations our client called successfully through the ``api`` fixture, per kind
# ("sync"/"async"): "METHOD /route/{template}" of the fake's routers (64 in all).
OPERATIONS_HIT: dict[str, set[str]] = {"sync": set(), "async": set()}


def operation_of(rec: RecordedRequest) -> str | None:
    from tests.servers.scale_fake import v1, v2

    router = v2.router if rec.raw_path.startswith("/v2/") else v1.router
    route, _, _ = router.match(rec.method, rec.raw_path)
    return None if route is None else f"{route.method} {route.template}"


def all_operations() -> set[str]:
    from tests.servers.scale_fake import v1, v2

    return {f"{r.method} {r.template}" for r in (*v1.router.routes, *v2.router.routes)}


def record_operations(kind: str, log: list[RecordedRequest]) -> None:
    for rec in log:
        op = operation_of(rec)
        if op is not None and rec.status is not None and rec.status < 400:
            OPERATIONS_HIT[kind].add(op)
