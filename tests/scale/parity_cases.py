"""Wire-parity cases: the same calls made through ``scaleapi.ScaleClient`` and through our
generated ``scale_client.ScaleClient`` must put the same requests on the wire.

A case is ``fn(client, env)``.  It uses only scaleapi v1 method and parameter names, and
passes every argument except path parameters by keyword (ours are keyword-only); enums
come from ``env`` (``env.TaskType``, ``env.TaskStatus``, ``env.TaskReviewStatus``,
``env.BatchStatus``, ``env.TeammateRole``: the members of whichever package is under test),
and ``env`` also gives out-of-band control of the fake behind the server (``env.complete``,
``env.faults``) and ``env.make_client(api_key)``.  A case may assert on results, but only
through attributes both clients share (see ``_get``).  Error cases end with the failing
call; ``expect_status`` says which status must be raised.  The fake behind the server is
created with ``projects=("test_project",)`` (the README payloads use that project) and
``page_size=PARITY_PAGE_SIZE``; everything else a case needs it creates itself.

How 429/500/503 are compared honestly: scaleapi mounts its retry adapter on https:// only,
so against our http:// test server it sends each call once, while our client retries.  The
error cases therefore inject a *persistent* fault (``times=None``, ``Retry-After: 0`` so
retries do not sleep) and are marked ``collapse_retries=True``: ``compare`` then collapses
each run of identical consecutive requests answered 408/429/5xx to its first attempt, so
exactly the FIRST request of each client is compared for the failing call (a retry that
differs from the first attempt is not collapsed and shows up as a diff), and both clients
must end with the same exception status.  ``retries_in(log)`` counts the collapsed
attempts, for tests that also want to pin our retry count (1 + max_retries attempts).

A case whose ``excluded`` is set cannot run verbatim on our client because of a documented,
deliberate difference; ``test_wire_parity.py`` reports it as excluded, with the reason in the
test id.  ``env.flavour`` ("scaleapi" / "ours") lets a case call each client its own way where
the spec documents such a difference, so the wire can still be compared.

``tests/scale/test_wire_parity.py`` is essentially::

    @pytest.mark.parametrize("case", PARITY_CASES, ids=case_id)
    def test_wire_parity(case, recorder):
        a = record_case(case, SCALEAPI, recorder)
        b = record_case(case, ours_flavour(), recorder)
        diff = compare(a.log, b.log, collapse_retries=case.collapse_retries)
        assert not diff, diff
        assert a.status == b.status == case.expect_status
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.servers.wire import RecordedRequest

# --------------------------------------------------------------------------- plumbing


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


# --------------------------------------------------------------------------- comparison

RETRYABLE = frozenset({408, 429} | set(range(500, 600)))


def normalise_path(raw_path: str) -> str:
    """Only the case of percent-escape hex digits is normalised (``%2f`` == ``%2F``)."""
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), raw_path)


def _query_groups(rec: RecordedRequest) -> dict[str, list[str]]:
    """Decoded pairs as an ordered multiset: per name, the values in wire order."""
    groups: dict[str, list[str]] = {}
    for k, v in rec.query:
        groups.setdefault(k, []).append(v)
    return groups


def _same_request(a: RecordedRequest, b: RecordedRequest) -> bool:
    return (
        a.method == b.method
        and normalise_path(a.raw_path) == normalise_path(b.raw_path)
        and _query_groups(a) == _query_groups(b)
        and a.body == b.body
    )


def collapse_attempts(log: Sequence[RecordedRequest]) -> list[RecordedRequest]:
    """Keep the first attempt of each run of identical requests answered 408/429/5xx."""
    out: list[RecordedRequest] = []
    for rec in log:
        if out and out[-1].status in RETRYABLE and _same_request(out[-1], rec):
            continue
        out.append(rec)
    return out


def retries_in(log: Sequence[RecordedRequest]) -> int:
    return len(log) - len(collapse_attempts(log))


def _kind(x: Any) -> str:
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "boolean"
    if isinstance(x, (int, float)):
        return "number"
    if isinstance(x, str):
        return "string"
    if isinstance(x, list):
        return "array"
    if isinstance(x, dict):
        return "object"
    return type(x).__name__


def json_diff(a: Any, b: Any, where: str = "$") -> list[str]:
    """Strict JSON equality: true != 1, null != absent, key order ignored, array order not."""
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        return [f"{where}: {ka} {a!r} != {kb} {b!r}"]
    if ka == "object":
        out = [f"{where}.{k}: only in first ({a[k]!r})" for k in a if k not in b]
        out += [f"{where}.{k}: only in second ({b[k]!r})" for k in b if k not in a]
        for k in a:
            if k in b:
                out += json_diff(a[k], b[k], f"{where}.{k}")
        return out
    if ka == "array":
        if len(a) != len(b):
            return [f"{where}: array length {len(a)} != {len(b)}: {a!r} != {b!r}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in json_diff(x, y, f"{where}[{i}]")
        ]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def _as_bytes(v: bytes | str) -> bytes:
    return v if isinstance(v, bytes) else v.encode()


def _body_diff(a: RecordedRequest, b: RecordedRequest) -> list[str]:
    if a.body_kind != b.body_kind:
        return [f"body kind: {a.body_kind} {a.body[:200]!r} != {b.body_kind} {b.body[:200]!r}"]
    if a.body_kind == "json":
        return [f"body {d}" for d in json_diff(a.json, b.json)]
    if a.body_kind == "multipart":
        out: list[str] = []
        names_a = sorted(p.name for p in a.form)
        names_b = sorted(p.name for p in b.form)
        if names_a != names_b:
            out.append(f"multipart part names: {names_a} != {names_b}")
        pb = {p.name: p for p in b.form}
        for p in a.form:
            q = pb.get(p.name)
            if q is None:
                continue
            if p.filename != q.filename:
                out.append(f"multipart {p.name!r} filename: {p.filename!r} != {q.filename!r}")
            if _as_bytes(p.value) != _as_bytes(q.value):
                out.append(f"multipart {p.name!r} content: {p.value[:80]!r} != {q.value[:80]!r}")
        return out
    if a.body != b.body:
        return [f"body: {a.body[:200]!r} != {b.body[:200]!r}"]
    return []


def compare_request(
    a: RecordedRequest, b: RecordedRequest, headers: Iterable[str] = ("authorization",)
) -> list[str]:
    out: list[str] = []
    if a.method != b.method:
        out.append(f"method: {a.method} != {b.method}")
    if normalise_path(a.raw_path) != normalise_path(b.raw_path):
        out.append(f"path: {a.raw_path} != {b.raw_path}")
    qa, qb = _query_groups(a), _query_groups(b)
    if qa != qb:
        for k in sorted(set(qa) | set(qb)):
            if qa.get(k) != qb.get(k):
                out.append(f"query {k}: {qa.get(k, '<absent>')} != {qb.get(k, '<absent>')}")
    out += _body_diff(a, b)
    for name in headers:
        ha, hb = a.header(name), b.header(name)
        if ha != hb:
            out.append(f"header {name}: {ha!r} != {hb!r}")
    return out


def compare(
    a: RecordedRequest | Sequence[RecordedRequest],
    b: RecordedRequest | Sequence[RecordedRequest],
    *,
    collapse_retries: bool = False,
    headers: Iterable[str] = ("authorization",),
    labels: tuple[str, str] = ("first", "second"),
) -> str:
    """Readable diff of two recorded requests or request sequences; "" when they match.

    Checks method, raw path (hex-digit case normalised), query (ordered multiset of decoded
    pairs), body (strict JSON equality; multipart: part names, filenames, contents) and the
    given headers (Authorization by default).
    """
    la = [a] if isinstance(a, RecordedRequest) else list(a)
    lb = [b] if isinstance(b, RecordedRequest) else list(b)
    if collapse_retries:
        la, lb = collapse_attempts(la), collapse_attempts(lb)
    headers = tuple(headers)
    lines: list[str] = []
    if len(la) != len(lb):
        lines.append(f"request count: {len(la)} ({labels[0]}) != {len(lb)} ({labels[1]})")
    for i, (ra, rb) in enumerate(itertools.zip_longest(la, lb)):
        if ra is None or rb is None:
            only, rec = (labels[1], rb) if ra is None else (labels[0], ra)
            lines.append(f"#{i}: only in {only}: {rec.summary()}")
            continue
        diffs = compare_request(ra, rb, headers)
        if diffs:
            lines.append(f"#{i} {ra.summary()}  vs  {rb.summary()}")
            lines.extend(f"    {d}" for d in diffs)
    return "\n".join(lines)


# --------------------------------------------------------------------------- helpers for cases
#
# Cases pass every argument but path parameters by keyword: our client's non-path
# parameters are keyword-only (README, "Where we differ": typed keyword-only parameters),
# and scaleapi accepts the same names as keywords, so the calls are identical on both.


def _get(obj: Any, key: str, default: Any = None) -> Any:
    """Read a field from a scaleapi wrapper, a dict, or a pydantic model alike."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    value = getattr(obj, key, None)
    if value is None and hasattr(obj, "as_dict"):
        value = obj.as_dict().get(key)
    return default if value is None else value


def _val(x: Any) -> Any:
    return getattr(x, "value", x)


def _docs(page: Any) -> list[Any]:
    """Items of one list page: scaleapi's Tasklist/Batchlist is a list subclass, ours is the
    page model with ``docs`` that iterates like one; both have ``.docs``."""
    return list(page.docs)


def _batch_total(page: Any) -> int:
    """Batchlist total: scaleapi's ``.total``; ours keeps the wire name ``totalDocs``
    (documented difference), exposed as the model attribute ``total_docs`` or ``total``."""
    for attr in ("total", "total_docs"):
        value = getattr(page, attr, None)
        if isinstance(value, int):
            return value
    raise AssertionError(f"no batch total on {page!r}")


IMG = "http://i.imgur.com/v4cBreD.jpg"
SEED_PAYLOAD = dict(  # the README / seed docs payload
    project="test_project",
    callback_url="http://www.example.com/callback",
    instruction="Draw a box around each baby cow and big cow.",
    attachment_type="image",
    attachment=IMG,
    unique_id="c235d023af73",
    geometries={
        "box": {"objects_to_annotate": ["Baby Cow", "Big Cow"], "min_height": 10, "min_width": 10}
    },
)
SLASH_PROJECT = "My Project/2024 v1"
SLASH_BATCH = "batch one/two"
GEOMETRIES = {"box": {"objects_to_annotate": ["car"], "min_height": 5, "min_width": 5}}


def _image_task(client: Any, env: CaseEnv, project: str = "test_project", **kw: Any) -> Any:
    return client.create_task(
        env.TaskType.ImageAnnotation,
        project=project,
        attachment=IMG,
        attachment_type="image",
        geometries=GEOMETRIES,
        **kw,
    )


def _studio_project(client: Any, env: CaseEnv, name: str = "Studio Project/A") -> str:
    client.create_project(
        project_name=name,
        task_type=env.TaskType.ImageAnnotation,
        params={"instruction": "Label cars"},
        studio=True,
    )
    return name


def _studio_two_batches(client: Any, env: CaseEnv) -> str:
    project = _studio_project(client, env)
    client.create_project_group(project, emails=["labeler1@example.com"], project_group="group a/b")
    client.create_batch(project=project, batch_name=SLASH_BATCH)
    client.create_batch(project=project, batch_name="second batch")
    return project


# --------------------------------------------------------------------------- the cases


@case()
def create_task_image_annotation(client: Any, env: CaseEnv) -> None:
    """The documented ImageAnnotation payload, including unique_id."""
    task = client.create_task(env.TaskType.ImageAnnotation, **SEED_PAYLOAD)
    assert _val(_get(task, "status")) == "pending"
    assert _get(task, "unique_id") == "c235d023af73"


@case()
def create_task_text_collection(client: Any, env: CaseEnv) -> None:
    client.create_project(
        project_name="text project",
        task_type=env.TaskType.TextCollection,
        params={"instruction": "Summarise the text"},
    )
    task = client.create_task(
        env.TaskType.TextCollection,
        project="text project",
        instruction="Write a summary",
        attachments=[{"type": "text", "content": "Cows are large ruminants."}],
        fields=[{"type": "text", "field_id": "summary", "title": "Summary", "max_characters": 140}],
        metadata={"source": "parity", "n": 1},
        priority=30,
    )
    assert _val(_get(task, "type")) == "textcollection"


@case()
def create_task_categorization(client: Any, env: CaseEnv) -> None:
    client.create_project(project_name="cat project", task_type=env.TaskType.Categorization)
    client.create_batch(project="cat project", batch_name="cat batch")
    task = client.create_task(
        env.TaskType.Categorization,
        project="cat project",
        batch="cat batch",
        attachment=IMG,
        attachment_type="image",
        categories=["cow", "calf"],
        allow_multiple=False,
        tags=["farm"],
        callback_url="mailto:ops@example.com",
    )
    assert _get(task, "batch") == "cat batch"


@case()
def get_task_by_id(client: Any, env: CaseEnv) -> None:
    created = _image_task(client, env, metadata={"k": "v"})
    fetched = client.get_task(created.task_id)
    assert fetched.task_id == created.task_id
    assert _get(fetched, "metadata") == {"k": "v"}


@case()
def get_tasks_filters_three_pages(client: Any, env: CaseEnv) -> None:
    """Cursor paging over 3 pages (limit=2) with project/status/created_after/review/tags filters."""
    client.create_project(project_name=SLASH_PROJECT, task_type=env.TaskType.ImageAnnotation)
    ids = [
        _image_task(
            client, env, SLASH_PROJECT, tags=["alpha" if i % 2 else "beta", "shared"]
        ).task_id
        for i in range(7)
    ]
    for tid in ids[:6]:
        env.complete(tid)
    for tid in ids[:5]:
        client.audit_task(tid, accepted=True)
    client.audit_task(ids[5], accepted=False, comments="Missed a car")
    tasks = list(
        client.get_tasks(
            project_name=SLASH_PROJECT,
            status=env.TaskStatus.Completed,
            created_after="2020-01-01",
            review_status=[env.TaskReviewStatus.Accepted, env.TaskReviewStatus.Fixed],
            tags=["alpha", "beta"],
            include_attachment_url=True,
            limit=2,
        )
    )
    assert sorted(t.task_id for t in tasks) == sorted(ids[:5])


@case()
def get_tasks_batch_default_page_size(client: Any, env: CaseEnv) -> None:
    """Server-default page size (2), batch/type/unique_id-list filters, limited_response."""
    client.create_project(project_name="cat project", task_type=env.TaskType.Categorization)
    client.create_batch(project="cat project", batch_name="paged batch")
    for i in range(3):
        client.create_task(
            env.TaskType.Categorization,
            project="cat project",
            batch="paged batch",
            attachment=IMG,
            categories=["a", "b"],
            unique_id=f"cat-{i}",
        )
    tasks = list(
        client.get_tasks(
            batch_name="paged batch",
            task_type=env.TaskType.Categorization,
            unique_id=["cat-0", "cat-1", "cat-2"],
            include_attachment_url=False,
            limited_response=True,
            created_before="2030-01-01 00:00:00.000000",
        )
    )
    assert len(tasks) == 3


@case()
def tasks_single_page_and_count(client: Any, env: CaseEnv) -> None:
    for i in range(3):
        _image_task(client, env, unique_id=f"u{i}")
    page = client.tasks(project="test_project", limit=1, status="pending", unique_id=["u0", "u1"])
    assert len(_docs(page)) == 1
    assert page.has_more is True and page.total == 2
    count = client.get_tasks_count(project_name="test_project", status=env.TaskStatus.Pending)
    assert count == 3


@case()
def get_batches_offset_paging(client: Any, env: CaseEnv) -> None:
    """Offset paging: 5 staging batches over 3 pages of the server default size."""
    client.create_project(project_name="batch paging", task_type=env.TaskType.ImageAnnotation)
    for i in range(6):
        client.create_batch(project="batch paging", batch_name=f"b{i}")
    client.finalize_batch("b0")
    batches = list(
        client.get_batches(
            project_name="batch paging",
            batch_status=env.BatchStatus.Staging,
            created_after="2020-01-01",
        )
    )
    assert [b.name for b in batches] == ["b1", "b2", "b3", "b4", "b5"]
    page = client.batches(project="batch paging", limit=2, offset=2, exclude_archived=True)
    assert len(_docs(page)) == 2 and _batch_total(page) == 6


@case()
def batch_lifecycle(client: Any, env: CaseEnv) -> None:
    client.create_project(project_name="life project", task_type=env.TaskType.ImageAnnotation)
    batch = client.create_batch(
        project="life project",
        batch_name="lifecycle batch",
        callback="http://example.com/cb",
        calibration_batch=False,
        self_label_batch=True,
        metadata={"team": "a"},
    )
    assert _val(batch.status) == "staging"
    for _ in range(2):
        _image_task(client, env, "life project", batch="lifecycle batch")
    assert client.get_batch("lifecycle batch").name == "lifecycle batch"
    status = client.batch_status("lifecycle batch")
    assert _get(status, "pending") == 2
    assert _val(client.finalize_batch("lifecycle batch").status) == "in_progress"
    updated = client.set_batch_metadata("lifecycle batch", metadata={"team": "b", "round": 2})
    assert _get(updated, "metadata") == {"team": "b", "round": 2}


@case()
def batch_link_methods(client: Any, env: CaseEnv) -> None:
    """The README's alternatives: ``batch.finalize()`` and ``batch.get_status()``."""
    client.create_batch(project="test_project", batch_name="link batch")
    for _ in range(2):
        _image_task(client, env, batch="link batch")
    batch = client.get_batch("link batch")
    batch.finalize()
    assert _val(batch.status) == "in_progress"
    batch.get_status()
    assert batch.tasks_pending == 2


@case()
def names_with_spaces_and_slashes(client: Any, env: CaseEnv) -> None:
    client.create_project(
        project_name=SLASH_PROJECT,
        task_type=env.TaskType.ImageAnnotation,
        params={"instruction": "v0"},
    )
    assert client.get_project(SLASH_PROJECT).name == SLASH_PROJECT
    client.update_project(SLASH_PROJECT, patch=True, instruction="v1")
    client.create_batch(project=SLASH_PROJECT, batch_name=SLASH_BATCH)
    assert client.get_batch(SLASH_BATCH).name == SLASH_BATCH
    client.batch_status(SLASH_BATCH)
    client.set_batch_metadata(SLASH_BATCH, metadata={"slash": "a/b"})
    client.finalize_batch(SLASH_BATCH)
    client.list_project_groups(SLASH_PROJECT)


@case()
def projects_crud_and_versions(client: Any, env: CaseEnv) -> None:
    project = client.create_project(
        project_name="crud project",
        task_type=env.TaskType.TextCollection,
        params={"instruction": "Summarise"},
        rapid=False,
        studio=False,
        dataset_id=None,
    )
    assert project.name == "crud project"
    client.get_project("crud project")
    assert "crud project" in [p.name for p in client.projects()]
    assert len(client.get_projects()) == 3  # two seeded + this one
    client.update_project("crud project", patch=False, instruction="Second version")
    latest = client.update_project("crud project", patch=True, fields=[{"field_id": "s"}])
    history = _get(latest, "param_history")
    assert [_get(h, "version") for h in history] == [0, 1, 2]
    assert _get(history[-1], "instruction") == "Second version"
    template = client.get_project_template("crud project")
    assert _get(template, "version") == 1


@case()
def upload_file_multipart(client: Any, env: CaseEnv) -> None:
    client.create_project(project_name=SLASH_PROJECT, task_type=env.TaskType.ImageAnnotation)
    stream = io.BytesIO(b"\x89PNG\r\n\x1a\nfake image bytes")
    stream.name = "cow.png"
    uploaded = client.upload_file(file=stream, project_name=SLASH_PROJECT, reference_id="ref-001")
    assert str(uploaded.attachment_url).startswith("scaledata://")


@case()
def import_file_by_url(client: Any, env: CaseEnv) -> None:
    client.create_project(project_name=SLASH_PROJECT, task_type=env.TaskType.ImageAnnotation)
    imported = client.import_file(
        file_url="https://example.com/images/cow%20one.jpg?x=1",
        project_name=SLASH_PROJECT,
        reference_id="ref-002",
    )
    assert _get(imported, "id")


@case()
def set_task_metadata(client: Any, env: CaseEnv) -> None:
    task = _image_task(client, env)
    meta = {"nested": {"a": [1, 2, None]}, "flag": True, "ratio": 1.5, "name": "x/y z"}
    updated = client.set_task_metadata(task.task_id, metadata=meta)
    assert _get(updated, "metadata") == meta


@case()
def task_tags_set_add_delete(client: Any, env: CaseEnv) -> None:
    task = _image_task(client, env, tags=["initial"])
    assert _get(client.set_task_tags(task.task_id, tags=["x", "y"]), "tags") == ["x", "y"]
    assert _get(client.add_task_tags(task.task_id, tags=["y", "z"]), "tags") == ["x", "y", "z"]
    assert _get(client.delete_task_tags(task.task_id, tags=["x"]), "tags") == ["y", "z"]


@case()
def cancel_task_clear_unique_id(client: Any, env: CaseEnv) -> None:
    first = _image_task(client, env, unique_id="uid-cancel")
    canceled = client.cancel_task(first.task_id, clear_unique_id=True)
    assert _val(_get(canceled, "status")) == "canceled"
    second = _image_task(client, env, unique_id="uid-cancel")  # free again
    assert _val(_get(client.cancel_task(second.task_id), "status")) == "canceled"


@case()
def audit_task(client: Any, env: CaseEnv) -> None:
    one, two = _image_task(client, env), _image_task(client, env)
    env.complete(one.task_id)
    env.complete(two.task_id)
    client.audit_task(one.task_id, accepted=True)
    client.audit_task(two.task_id, accepted=False, comments="Boxes are too loose")
    assert _val(_get(client.get_task(two.task_id), "customer_review_status")) == "rejected"


@case()
def update_and_clear_unique_id(client: Any, env: CaseEnv) -> None:
    task = _image_task(client, env)
    updated = client.update_task_unique_id(task.task_id, unique_id="fresh-uid")
    assert _get(updated, "unique_id") == "fresh-uid"
    cleared = client.clear_task_unique_id(task.task_id)
    assert _get(cleared, "unique_id") is None


@case()
def evaluation_and_training_tasks(client: Any, env: CaseEnv) -> None:
    client.create_project(
        project_name="rapid project", task_type=env.TaskType.ImageAnnotation, rapid=True
    )
    ev = client.create_evaluation_task(
        env.TaskType.ImageAnnotation,
        project="rapid project",
        attachment=IMG,
        geometries=GEOMETRIES,
        expected_response={"annotations": {"car": []}},
        initial_response={"annotations": {"car": [1]}},
    )
    assert _get(ev, "expected_response") == {"annotations": {"car": []}}
    tr = client.create_training_task(
        env.TaskType.ImageAnnotation,
        project="rapid project",
        attachment=IMG,
        geometries=GEOMETRIES,
        expected_response={"annotations": {}},
    )
    assert _get(tr, "id")


@case()
def teams_invite_and_set_role(client: Any, env: CaseEnv) -> None:
    assert len(client.list_teammates()) == 2
    team = client.invite_teammates(
        emails=["new1@example.com", "new2@example.com"], role=env.TeammateRole.Labeler
    )
    assert len(team) == 4
    team = client.update_teammates_role(emails=["new1@example.com"], role=env.TeammateRole.Manager)
    assert {t.email: _val(t.role) for t in team}["new1@example.com"] == "manager"


@case()
def studio_assignments(client: Any, env: CaseEnv) -> None:
    project = _studio_project(client, env)
    assert len(client.list_studio_assignments()) == 0
    added = client.add_studio_assignments(
        emails=["labeler1@example.com", "l2@example.com"], projects=[project, "test_project"]
    )
    assert sorted(added) == ["l2@example.com", "labeler1@example.com"]
    removed = client.remove_studio_assignments(emails=["l2@example.com"], projects=["test_project"])
    assert len(removed) == 2


@case()
def studio_project_groups(client: Any, env: CaseEnv) -> None:
    project = _studio_project(client, env)
    group = client.create_project_group(
        project, emails=["labeler1@example.com"], project_group="group a/b"
    )
    assert group.name == "group a/b"
    assert [g.name for g in client.list_project_groups(project)] == ["group a/b"]
    updated = client.update_project_group(
        project, "group a/b", add_emails=["x@example.com"], remove_emails=["labeler1@example.com"]
    )
    assert _get(updated, "numWorkers", _get(updated, "num_workers")) == 1


@case()
def studio_batches_assign_and_reset(client: Any, env: CaseEnv) -> None:
    _studio_two_batches(client, env)
    assert len(client.list_studio_batches()) == 2
    assigned = client.assign_studio_batches(SLASH_BATCH, project_groups=["group a/b"])
    assert list(assigned.groups) == ["group a/b"]
    reset = client.reset_studio_batches_priorities()
    assert [b.name for b in reset] == [SLASH_BATCH, "second batch"]


@case()
def studio_set_priorities_each_in_its_own_shape(client: Any, env: CaseEnv) -> None:
    """Same wire request, each client called its own way: scaleapi takes
    ``batch_names=[...]``, ours the wire shape ``batches=[{"name": ...}]`` (spec header)."""
    _studio_two_batches(client, env)
    names = ["second batch", SLASH_BATCH]
    if env.flavour == "scaleapi":
        ordered = client.set_studio_batches_priorities(batch_names=names)
    else:
        ordered = client.set_studio_batches_priorities(batches=[{"name": n} for n in names])
    assert [b.name for b in ordered] == names


@case(
    excluded="deliberate difference (spec header): set_studio_batches_priorities takes "
    "batches=[{'name': ...}], not scaleapi's batch_names=[...]"
)
def studio_set_priorities_scaleapi_signature(client: Any, env: CaseEnv) -> None:
    """scaleapi's own call, verbatim (our client raises TypeError: no ``batch_names``)."""
    _studio_two_batches(client, env)
    ordered = client.set_studio_batches_priorities(batch_names=["second batch", SLASH_BATCH])
    assert [b.name for b in ordered] == ["second batch", SLASH_BATCH]


# ---- errors


@case(expect_status=400)
def error_400_missing_required_field(client: Any, env: CaseEnv) -> None:
    client.create_task(
        env.TaskType.TextCollection,
        project="test_project",
        instruction="Some parameters are missing.",
    )


@case(expect_status=401)
def error_401_bad_api_key(client: Any, env: CaseEnv) -> None:
    env.make_client("live_not_a_valid_key").projects()


@case(expect_status=402)
def error_402_task_type_not_enabled(client: Any, env: CaseEnv) -> None:
    client.create_task(
        env.TaskType.Federal2dVideoAnnotation, project="test_project", attachment=IMG
    )


@case(expect_status=404)
def error_404_unknown_task(client: Any, env: CaseEnv) -> None:
    client.get_task("5f00000000000000000000ff")


@case(expect_status=404)
def error_404_unknown_batch_with_slash(client: Any, env: CaseEnv) -> None:
    client.get_batch("no such/batch")


@case(expect_status=409)
def error_409_duplicate_batch_name(client: Any, env: CaseEnv) -> None:
    client.create_batch(project="test_project", batch_name="dup batch")
    client.create_batch(project="test_project", batch_name="dup batch")


@case(expect_status=409)
def error_409_duplicate_unique_id(client: Any, env: CaseEnv) -> None:
    _image_task(client, env, unique_id="dup-uid")
    _image_task(client, env, unique_id="dup-uid")


@case(expect_status=429, collapse_retries=True)
def error_429_rate_limited(client: Any, env: CaseEnv) -> None:
    client.get_project("test_project")
    env.faults.fail_always("GET", "/v1/projects", 429, retry_after=0)
    client.projects()


@case(expect_status=500, collapse_retries=True)
def error_500_internal(client: Any, env: CaseEnv) -> None:
    task = _image_task(client, env)
    env.faults.fail_always("GET", f"/v1/task/{task.task_id}", 500, retry_after=0)
    client.get_task(task.task_id)


@case(expect_status=503, collapse_retries=True)
def error_503_on_post(client: Any, env: CaseEnv) -> None:
    env.faults.fail_always("POST", "/v1/batches", 503, retry_after=0)
    client.create_batch(project="test_project", batch_name="unavailable batch")


__all__ = [
    "API_KEY",
    "CaseEnv",
    "CaseRun",
    "Flavour",
    "PARITY_CASES",
    "PARITY_PAGE_SIZE",
    "ParityCase",
    "SCALEAPI",
    "case_id",
    "collapse_attempts",
    "compare",
    "compare_request",
    "json_diff",
    "normalise_path",
    "ours_flavour",
    "record_case",
    "retries_in",
    "run_case",
    "status_of",
]
