"""The parity harness: ``ParityCase`` and the ``@case`` registry (``PARITY_CASES``), the ``env``
a case receives (``CaseEnv``: the package's enums, a client factory, the fake's controls),
the two client flavours (``SCALEAPI``, ``ours_flavour()``), and ``run_case`` / ``record_case``,
which run a case and check its outcome, optionally against a recording server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.servers.wire import RecordedRequest


@dataclass(frozen=True)
class ParityCase:
    name: str
    fn: Callable[[Any, Any], None]
    expect_status: int | None = None  # the HTTP status the case's last call must raise
    collapse_retries: bool = False
    doc: str = ""
    # Non-empty: our client cannot run this case verbatim because of a documented,
    # deliberate difference from scaleapi (the reason, quoted in the parity test id).
    excluded: str = ""

    def __call__(self, client: Any, env: Any) -> None:
        self.fn(client, env)


PARITY_CASES: list[ParityCase] = []


def case(
    expect_status: int | None = None, collapse_retries: bool = False, excluded: str = ""
) -> Callable[[Callable[[Any, Any], None]], Callable[[Any, Any], None]]:
    def deco(fn: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
        PARITY_CASES.append(
            ParityCase(
                fn.__name__,
                fn,
                expect_status,
                collapse_retries,
                (fn.__doc__ or "").strip(),
                excluded,
            )
        )
        return fn

    return deco


def case_id(c: ParityCase) -> str:
    return c.name


ENUM_NAMES = ("TaskType", "TaskStatus", "TaskReviewStatus", "BatchStatus", "TeammateRole")
API_KEY = "live_test_key"
PARITY_PAGE_SIZE = 2  # server default page size for the recorder's fake (tasks, batches)


@dataclass
class CaseEnv:
    """The ``env`` a case receives."""

    TaskType: Any
    TaskStatus: Any
    TaskReviewStatus: Any
    BatchStatus: Any
    TeammateRole: Any
    make_client: Callable[..., Any]  # make_client(api_key=API_KEY) -> same-flavour client
    fake: Any = None  # the Scale fake Starlette app behind the server, if any
    flavour: str = ""  # "scaleapi" | "ours": only for documented, deliberate differences

    @property
    def faults(self) -> Any:
        return self.fake.state.faults

    @property
    def store(self) -> Any:
        return self.fake.state.store

    def complete(self, task_id: str, response: dict[str, Any] | None = None) -> None:
        """Finish a task out-of-band (as a labeler would); not a client call."""
        self.store.complete_task(task_id, response)


@dataclass(frozen=True)
class Flavour:
    """One client package: how to build a client for a server root URL, and its enums."""

    name: str
    build: Callable[[str, str], Any]  # (root_base_url, api_key) -> client
    enums: Callable[[], dict[str, Any]]

    def env(self, base_url: str, fake: Any = None) -> CaseEnv:
        def make_client(api_key: str = API_KEY) -> Any:
            return self.build(base_url, api_key)

        return CaseEnv(**self.enums(), make_client=make_client, fake=fake, flavour=self.name)


def _scaleapi_build(base_url: str, api_key: str) -> Any:
    import scaleapi

    client = scaleapi.ScaleClient(api_key, api_instance_url=f"{base_url}/v1")
    client.v2.api_client.configuration.host = base_url
    return client


def _scaleapi_enums() -> dict[str, Any]:
    import scaleapi
    from scaleapi.teams import TeammateRole

    return {
        "TaskType": scaleapi.TaskType,
        "TaskStatus": scaleapi.TaskStatus,
        "TaskReviewStatus": scaleapi.TaskReviewStatus,
        "BatchStatus": scaleapi.BatchStatus,
        "TeammateRole": TeammateRole,
    }


SCALEAPI = Flavour("scaleapi", _scaleapi_build, _scaleapi_enums)


def ours_flavour(max_retries: int = 2) -> Flavour:
    """Our generated client (``generated/scale_client``). Adjust here if its surface moves."""

    def build(base_url: str, api_key: str) -> Any:
        import scale_client

        client = scale_client.ScaleClient(api_key, base_url=base_url, max_retries=max_retries)
        if hasattr(client, "_sleep"):
            client._sleep = lambda _seconds: None  # Retry-After: 0 anyway; never sleep in tests
        return client

    def enums() -> dict[str, Any]:
        import scale_client

        return {name: getattr(scale_client, name) for name in ENUM_NAMES}

    return Flavour("ours", build, enums)


def status_of(exc: BaseException | None) -> int | None:
    if exc is None:
        return None
    for attr in ("code", "status_code", "status"):
        value = getattr(exc, attr, None)
        if isinstance(value, int):
            return value
    return None


def run_case(client: Any, case: ParityCase, env: CaseEnv) -> BaseException | None:
    """Run one case; returns the API error it raised (None if none).

    Raises AssertionError when the outcome does not match ``case.expect_status``, and lets
    a case's own assertion failures through.
    """
    error: BaseException | None = None
    try:
        case.fn(client, env)
    except AssertionError:
        raise
    except Exception as exc:  # noqa: BLE001 - API errors are the point of error cases
        error = exc
    if case.expect_status is None and error is not None:
        raise AssertionError(f"{case.name}: unexpected {type(error).__name__}: {error}") from error
    if case.expect_status is not None and status_of(error) != case.expect_status:
        raise AssertionError(
            f"{case.name}: expected an API error with status {case.expect_status}, got "
            f"{type(error).__name__ if error else 'no error'}: {error}"
        )
    return error


@dataclass
class CaseRun:
    case: ParityCase
    flavour: str
    log: list[RecordedRequest]
    error: BaseException | None
    status: int | None = field(init=False)

    def __post_init__(self) -> None:
        self.status = status_of(self.error)


def record_case(
    case: ParityCase, flavour: Flavour, session: Any = None, **recorder_kwargs: Any
) -> CaseRun:
    """Run ``case`` with ``flavour``'s client against a recorder; returns the recorded log.

    ``session``: a ``tests.scale.conftest.RecorderSession`` (reset here first, then reused);
    without one a fresh Recorder + server is started for this run.
    """
    if session is not None:
        session.reset()
        env = flavour.env(session.base_url, session.recorder.fake)
        error = run_case(env.make_client(), case, env)
        return CaseRun(case, flavour.name, list(session.log), error)

    from tests.servers.recorder import Recorder
    from tests.support.server import serve

    recorder_kwargs.setdefault("page_size", PARITY_PAGE_SIZE)
    recorder = Recorder(**recorder_kwargs)
    with serve(recorder) as base_url:
        env = flavour.env(base_url, recorder.fake)
        error = run_case(env.make_client(), case, env)
    return CaseRun(case, flavour.name, list(recorder.log), error)
