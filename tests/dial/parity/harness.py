"""Running a parity case against a recording DIAL Core fake, with any client.

    run = record_case(case, AIDIAL, session)      # CaseRun: .requests, .error, .log
    reference_requests(case)                      # aidial-client's, recorded once per process

Design notes
------------
* A case is ``async def fn(c, env)`` written once for both flavours: ``c`` is a proxy whose
  every call is awaitable (``await c.files.upload(...)`` runs ``Dial`` directly and awaits
  ``AsyncDial``); ``env.collect(stream)`` / ``env.content(download)`` consume a chat stream
  or a download either way.  The case uses the seed's / aidial-client's call names, which
  issue 7 requires our ``dial_client`` to accept as well.
* ``Flavour`` builds a client for a base URL: ``AIDIAL_SYNC`` / ``AIDIAL_ASYNC`` here; the
  later ``dial_client`` tests pass their own ``Flavour`` to ``record_case`` and compare with
  ``normalise.diff(apply_deviations(reference_requests(case), case.deviations), ours)``.
* The server is a ``tests/servers/recorder.Recorder`` in front of a Core fake that proxies
  chat to the scripted aidial-sdk app (``CoreState.reset()`` before every case, so buckets,
  ids and stored files are the same on every run).  ``session()`` starts one on 127.0.0.1
  for the whole process; a fixture may pass its own.
* A case's last call may fail on purpose: the runner keeps the exception in ``CaseRun``
  and ``ParityCase.reference_status`` says which HTTP status aidial-client must end with.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.dial.servers.chat_app import create_chat_app
from tests.dial.servers.core_fake import API_KEY, BUCKET, create_app
from tests.servers.recorder import Recorder
from tests.servers.wire import RecordedRequest
from tests.support.server import ServerThread

from .normalise import Deviation, NormalisedRequest, normalise_all

__all__ = [
    "AIDIAL_ASYNC",
    "AIDIAL_SYNC",
    "CASES",
    "CaseEnv",
    "CaseRun",
    "Flavour",
    "ParityCase",
    "RecordingSession",
    "case",
    "record_case",
    "reference_requests",
    "session",
    "status_of",
]

CaseFn = Callable[[Any, "CaseEnv"], Awaitable[None]]


@dataclass(frozen=True)
class ParityCase:
    name: str  # "<scenario>[sync]" / "<scenario>[async]"
    scenario: str
    flavour: str  # "sync" | "async"
    fn: CaseFn
    doc: str = ""
    deviations: tuple[Deviation, ...] = ()  # where our client deliberately differs, and why
    reference_status: int | None = None  # the HTTP status aidial-client's last call fails with
    ours_status: int | None = None  # ... and ours (differs when a deviation fixes a bug)
    reference_raises: str | None = None  # aidial-client fails before/without HTTP: its class

    def __str__(self) -> str:
        return self.name


CASES: dict[str, ParityCase] = {}


_SAME: Any = object()


def case(
    *deviations: Deviation,
    reference_status: int | None = None,
    ours_status: Any = _SAME,
    reference_raises: str | None = None,
) -> Callable[[CaseFn], CaseFn]:
    """Register ``fn`` as ``<name>[sync]`` and ``<name>[async]``; ``ours_status`` defaults to
    ``reference_status`` (set it when a deviation makes our call succeed or fail otherwise)."""

    def deco(fn: CaseFn) -> CaseFn:
        for flavour in ("sync", "async"):
            name = f"{fn.__name__}[{flavour}]"
            CASES[name] = ParityCase(
                name,
                fn.__name__,
                flavour,
                fn,
                inspect.cleandoc(fn.__doc__ or ""),
                tuple(deviations),
                reference_status,
                reference_status if ours_status is _SAME else ours_status,
                reference_raises,
            )
        return fn

    return deco


# --------------------------------------------------------------------------- clients


class _Awaitable:
    """Attribute proxy: every call becomes awaitable, whether the client is sync or async."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if callable(attr) and not isinstance(attr, type):

            async def call(*args: Any, **kwargs: Any) -> Any:
                result = attr(*args, **kwargs)
                return await result if inspect.isawaitable(result) else result

            return call
        return _Awaitable(attr)


@dataclass(frozen=True)
class Flavour:
    """How to build one kind of client: ``build(base_url, **credentials)``."""

    name: str
    is_async: bool
    build: Callable[..., Any]
    close: Callable[[Any], Any]


def _aidial(is_async: bool) -> Flavour:
    def build(base_url: str, **kwargs: Any) -> Any:
        import aidial_client

        if not kwargs:
            kwargs = {"api_key": API_KEY}
        cls = aidial_client.AsyncDial if is_async else aidial_client.Dial
        return cls(base_url=base_url, **kwargs)

    def close(client: Any) -> Any:
        return client.aclose() if is_async else client.close()

    return Flavour("aidial-async" if is_async else "aidial-sync", is_async, build, close)


AIDIAL_SYNC = _aidial(False)
AIDIAL_ASYNC = _aidial(True)


@dataclass
class CaseEnv:
    flavour: Flavour
    base_url: str
    core: Any  # the CoreState behind the recorder (seed files out-of-band, inspect state)
    tmp: Path
    bucket: str = BUCKET
    clients: list[Any] = field(default_factory=list)

    def client(self, **credentials: Any) -> _Awaitable:
        """Another client of the same flavour (``api_key=`` / ``bearer_token=``)."""
        built = self.flavour.build(self.base_url, **credentials)
        self.clients.append(built)
        return _Awaitable(built)

    def seed_file(self, path: str, content: bytes, content_type: str = "text/plain") -> str:
        """Store ``files/{bucket}/{path}`` out-of-band; returns its decoded relative URL."""
        self.core.put_file(self.bucket, path, content, content_type)
        return f"files/{self.bucket}/{path}"

    async def collect(self, stream: Any) -> list[Any]:
        if hasattr(stream, "__aiter__"):
            return [item async for item in stream]
        return list(stream)

    async def content(self, download: Any) -> bytes:
        if self.flavour.is_async:
            return bytes(await download.aget_content())
        return bytes(download.get_content())


# --------------------------------------------------------------------------- running


@dataclass
class RecordingSession:
    base_url: str
    recorder: Recorder
    core: Any
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def log(self) -> list[RecordedRequest]:
        return self.recorder.log


_SESSION: RecordingSession | None = None
_SERVER: ServerThread | None = None


def session() -> RecordingSession:
    """The process-wide recording server (started on first use, a daemon thread)."""
    global _SESSION, _SERVER
    if _SESSION is None:
        app = create_app(chat_upstream=create_chat_app())
        recorder = Recorder(app)
        _SERVER = ServerThread(recorder)
        _SESSION = RecordingSession(_SERVER.start(), recorder, app.state.core)
    return _SESSION


@dataclass
class CaseRun:
    requests: list[NormalisedRequest]
    log: list[RecordedRequest]
    error: BaseException | None


def status_of(error: BaseException | None) -> int | None:
    """The HTTP status an exception carries (aidial's ``status_code``, httpx's response)."""
    if error is None:
        return None
    for attr in ("status_code", "status"):
        value = getattr(error, attr, None)
        if isinstance(value, int):
            return int(value)
    response = getattr(error, "response", None)
    return getattr(response, "status_code", None)


def record_case(
    case: ParityCase, flavour: Flavour, rs: RecordingSession | None = None, tmp: Path | None = None
) -> CaseRun:
    """Run ``case`` with a fresh ``flavour`` client against a freshly reset recorder."""
    import tempfile

    rs = rs or session()
    with rs.lock, tempfile.TemporaryDirectory() as scratch:
        rs.recorder.reset()
        env = CaseEnv(flavour, rs.base_url, rs.core, tmp or Path(scratch))
        client = env.client()
        error: BaseException | None = None

        async def main() -> None:
            nonlocal error
            try:
                await case.fn(client, env)
            except Exception as exc:  # noqa: BLE001 - kept for the case's expected status
                error = exc
            finally:
                for built in env.clients:
                    closed = flavour.close(built)
                    if inspect.isawaitable(closed):
                        await closed

        asyncio.run(main())
        log = list(rs.recorder.log)
    return CaseRun(normalise_all(log), log, error)


_REFERENCE: dict[str, list[NormalisedRequest]] = {}


def reference_requests(case: ParityCase | str) -> list[NormalisedRequest]:
    """aidial-client 0.18.0's requests for ``case`` (recorded live, once per process).

    Raises AssertionError when the case did not end as its definition says (a case that
    silently failed early would make a short, meaningless reference)."""
    c = CASES[case] if isinstance(case, str) else case
    if c.name not in _REFERENCE:
        run = record_case(c, AIDIAL_ASYNC if c.flavour == "async" else AIDIAL_SYNC)
        got = status_of(run.error)
        if run.error is not None and got is None:
            if type(run.error).__name__ != c.reference_raises:
                raise AssertionError(f"{c.name}: aidial-client raised {run.error!r}") from run.error
        elif c.reference_raises is not None:
            raise AssertionError(f"{c.name}: expected {c.reference_raises}, got {run.error!r}")
        assert got == c.reference_status, f"{c.name}: ended with {got}, {run.error!r}"
        _REFERENCE[c.name] = run.requests
    return list(_REFERENCE[c.name])


def scenarios(cases: Iterable[ParityCase] | None = None) -> list[str]:
    return sorted({c.scenario for c in (cases or CASES.values())})
