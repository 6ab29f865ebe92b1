"""The user's own docs (seed 004: scaleapi's README) run, as written, on ``scale_client``.

Every call the document shows is made here with the import changed to ``scale_client``
(the one edit: the document's ``create_batch(..., name=...)`` typo is spelt
``batch_name=``; the typo itself is a TypeError, see the last batch test), against the Scale
fake on 127.0.0.1, synchronously and then the same flow asynchronously, and each result is
checked for its type and against the fake's state.  ``typed_seed.py`` holds the same
calls with annotated variables; it is run here too and type-checked with ``mypy --strict``.

Two places where ours differs from scaleapi, on purpose, show up in the README's flow:
``get_tasks()`` / ``get_batches()`` return restartable lazy pagers, so the README's
``list(tasks)`` after a ``for`` loop gets every item again (scaleapi's generator is
exhausted by then and gives ``[]``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import scale_client
from scale_client import (
    AsyncScaleClient,
    Batch,
    BatchStatus,
    BatchStatusResponse,
    Project,
    ScaleClient,
    ScaleDuplicateTask,
    ScaleException,
    Task,
    TaskReviewStatus,
    TaskStatus,
    TaskType,
)

from tests.scale import typed_seed
from tests.scale.conftest import FakeServer, make_our_client
from tests.scale.parity_cases import API_KEY

ROOT = Path(__file__).resolve().parents[2]
TASK_ID = "30553edd0b6a93f8f05f0fee"
BATCH = "batch_name_01_07_2021"
README_PAYLOAD: dict[str, Any] = dict(
    project="test_project",
    callback_url="http://www.example.com/callback",
    instruction="Draw a box around each baby cow and big cow.",
    attachment_type="image",
    attachment="http://i.imgur.com/v4cBreD.jpg",
    unique_id="c235d023af73",
    geometries={
        "box": {
            "objects_to_annotate": ["Baby Cow", "Big Cow"],
            "min_height": 10,
            "min_width": 10,
        }
    },
)
SEED_EXCEPTIONS = {  # the README's list: name -> status
    "ScaleInvalidRequest": 400,
    "ScaleUnauthorized": 401,
    "ScaleNotEnabled": 402,
    "ScaleResourceNotFound": 404,
    "ScaleDuplicateTask": 409,
    "ScaleTooManyRequests": 429,
    "ScaleInternalError": 500,
    "ScaleTimeoutError": 504,
}


# --------------------------------------------------------------------------- fake state


class SeedState:
    """What the README's examples presuppose, put in the fake out of band."""

    def __init__(self, fake: FakeServer) -> None:
        store = fake.store
        with store.lock:
            # the README's task id, pending (so it can be retrieved, then canceled)
            t = store.add_task("imageannotation", {"project": "test_project", "attachment": "a"})
            store.tasks[TASK_ID] = store.tasks.pop(t["task_id"])
            t["task_id"] = TASK_ID
            # "My Project": tasks for the README's filters (completed between the dates,
            # accepted), and decoys each failing one filter
            store.add_project("My Project", "imageannotation")
            self.matching: list[str] = []
            for i, (completed_at, review) in enumerate(
                [
                    ("2021-01-10T00:00:00.000Z", "accepted"),
                    ("2021-02-10T00:00:00.000Z", "accepted"),
                    ("2021-05-10T00:00:00.000Z", "accepted"),  # completed too late
                    ("2021-03-10T00:00:00.000Z", "rejected"),  # not accepted
                    ("2021-03-31T00:00:00.000Z", "accepted"),
                    (None, None),  # still pending
                ]
            ):
                task = store.add_task(
                    "imageannotation", {"project": "My Project", "tags": [str(i)]}
                )
                task["created_at"] = "2020-10-01T00:00:00.000Z"
                if completed_at is not None:
                    store.complete_task(task["task_id"])
                    task["completed_at"] = completed_at
                    task["customer_review_status"] = review
                    if review == "accepted" and completed_at < "2021-04":
                        self.matching.append(task["task_id"])
            # two tasks already pointing at the README's batch (one completed)
            a = store.add_task("imageannotation", {"project": "test_project", "batch": BATCH})
            b = store.add_task("imageannotation", {"project": "test_project", "batch": BATCH})
            store.complete_task(b["task_id"])
            self.batch_tasks = [a["task_id"], b["task_id"]]
            # completed batches for get_batches(batch_status=BatchStatus.Completed)
            for name in ("done_1", "done_2"):
                store.add_batch("test_project", name)["status"] = "completed"
            store.add_batch("test_project", "still_staging")


@pytest.fixture
def seeded(scale_fake: FakeServer) -> SeedState:
    return SeedState(scale_fake)


def readme_client(fake: FakeServer) -> ScaleClient:
    # The README: ``client = scaleapi.ScaleClient("YOUR_API_KEY_HERE")`` (+ the fake's URL)
    client: ScaleClient = make_our_client(fake.base_url, False)
    return client


def readme_aclient(fake: FakeServer) -> AsyncScaleClient:
    client: AsyncScaleClient = make_our_client(fake.base_url, True)
    return client


# =========================================================================== sync, as written


def test_readme_tasks_sync(scale_fake: FakeServer, seeded: SeedState) -> None:
    store = scale_fake.store
    client = readme_client(scale_fake)

    # Create Task
    payload = dict(README_PAYLOAD)
    created = client.create_task(TaskType.ImageAnnotation, **payload)
    assert isinstance(created, Task) and created.status == TaskStatus.Pending
    assert store.unique_ids["c235d023af73"] == created.task_id
    assert store.tasks[created.task_id]["params"]["geometries"] == payload["geometries"]
    try:
        client.create_task(TaskType.ImageAnnotation, **payload)
        raise AssertionError("the unique_id is taken: ScaleDuplicateTask expected")
    except ScaleDuplicateTask as err:
        assert err.message == 'The unique_id ("c235d023af73") is already used for a different task.'
        assert err.code == 409

    # Retrieve a task
    task = client.get_task("30553edd0b6a93f8f05f0fee")
    assert isinstance(task, Task) and task.task_id == TASK_ID
    assert task.status == TaskStatus.Pending and str(task.status) == "pending"
    assert task.response is None  # not complete yet

    # List Tasks
    tasks = client.get_tasks(
        project_name="My Project",
        created_after="2020-09-08",
        completed_before="2021-04-01",
        status=TaskStatus.Completed,
        review_status=TaskReviewStatus.Accepted,
    )
    seen = []
    for task in tasks:
        seen.append(task.task_id)
    assert seen == seeded.matching and len(seen) == 3
    task_list = list(tasks)  # a pager restarts (scaleapi's exhausted generator gives [])
    assert [t.task_id for t in task_list] == seeded.matching
    assert all(isinstance(t, Task) and t.status == TaskStatus.Completed for t in task_list)
    assert all(t.customer_review_status == TaskReviewStatus.Accepted for t in task_list)
    wire = dict(scale_fake.requests[-1].query)
    assert wire["project"] == "My Project" and wire["completed_before"] == "2021-04-01"
    assert wire["start_time"] == "2020-09-08" and wire["customer_review_status"] == "accepted"

    # Cancel Task
    task = client.cancel_task("30553edd0b6a93f8f05f0fee")
    assert task.status == TaskStatus.Canceled and store.tasks[TASK_ID]["status"] == "canceled"


def test_readme_batches_sync(scale_fake: FakeServer, seeded: SeedState) -> None:
    store = scale_fake.store
    client = readme_client(scale_fake)

    # Create Batch (the README's ``name=`` is a typo for ``batch_name=``)
    created = client.create_batch(
        project="test_project",
        callback="http://www.example.com/callback",
        batch_name="batch_name_01_07_2021",
    )
    assert isinstance(created, Batch) and created.status == BatchStatus.Staging
    assert store.batches[BATCH]["callback"] == "http://www.example.com/callback"

    # Finalize Batch
    finalized = client.finalize_batch(batch_name="batch_name_01_07_2021")
    assert finalized.status == BatchStatus.InProgress == store.batches[BATCH]["status"]
    # Alternative method
    batch = client.get_batch(batch_name="batch_name_01_07_2021")
    batch.finalize()
    assert batch.status == BatchStatus.InProgress
    assert scale_fake.requests[-1].raw_path == f"/v1/batches/{BATCH}/finalize"

    # Check Batch Status
    status = client.batch_status(batch_name="batch_name_01_07_2021")
    assert isinstance(status, BatchStatusResponse)
    assert (status.status, status.pending, status.completed) == (BatchStatus.InProgress, 1, 1)
    # Alternative via Batch.get_status()
    batch = client.get_batch("batch_name_01_07_2021")
    batch.get_status()  # Refreshes tasks_{status} attributes of Batch
    assert (batch.tasks_pending, batch.tasks_completed) == (1, 1)
    store.complete_task(seeded.batch_tasks[0])
    batch.get_status()
    assert (batch.tasks_pending, batch.tasks_completed) == (
        0,
        2,
    )  # absent on the wire = zero, as scaleapi

    # Retrieve A Batch
    got = client.get_batch(batch_name="batch_name_01_07_2021")
    assert isinstance(got, Batch) and got.name == BATCH and got.project == "test_project"

    # List Batches
    batches = client.get_batches(batch_status=BatchStatus.Completed, created_after="2020-09-08")
    counter = 0
    lines = []
    for batch in batches:
        counter += 1
        lines.append(f"Downloading batch {counter} | {batch.name} | {batch.project}")
    assert lines == [
        "Downloading batch 1 | done_1 | test_project",
        "Downloading batch 2 | done_2 | test_project",
    ]
    batch_list = list(batches)
    assert [b.name for b in batch_list] == ["done_1", "done_2"]
    assert all(isinstance(b, Batch) and b.status == BatchStatus.Completed for b in batch_list)


def test_readme_projects_and_errors_sync(scale_fake: FakeServer, seeded: SeedState) -> None:
    store = scale_fake.store
    client = readme_client(scale_fake)

    # Create Project
    project = client.create_project(
        project_name="Test_Project",
        task_type=TaskType.ImageAnnotation,
        params={"instruction": "Please label the kittens"},
    )
    assert isinstance(project, Project)
    assert project.name == "Test_Project"  # print(project.name) # Test_Project
    assert store.projects["Test_Project"]["param_history"][0]["instruction"] == (
        "Please label the kittens"
    )

    # Retrieve Project
    got = client.get_project(project_name="test_project")
    assert isinstance(got, Project) and got.type == TaskType.ImageAnnotation

    # List Projects
    counter = 0
    projects = client.projects()
    lines = []
    for project in projects:
        counter += 1
        lines.append(f"Downloading project {counter} | {project.name} | {project.type}")
    assert lines == [
        f"Downloading project {i} | {name} | {p['type']}"
        for i, (name, p) in enumerate(store.projects.items(), start=1)
    ]
    assert "Downloading project 1 | test_project | imageannotation" in lines

    # Update Project
    data = client.update_project(
        project_name="test_project",
        patch=False,
        instruction="update: Please label all the stuff",
    )
    assert isinstance(data, Project)
    assert data.param_history[-1]["instruction"] == "update: Please label all the stuff"
    assert scale_fake.requests[-1].json == {
        "patch": False,
        "instruction": "update: Please label all the stuff",
    }

    # Error handling
    try:
        client.create_task(TaskType.TextCollection, attachment="Some parameters are missing.")
        raise AssertionError("ScaleException expected")
    except ScaleException as err:
        assert err.code == 400  # print(err.code) # 400
        assert err.message == 'Parameter is invalid, reason: "attachments" is required'
        assert isinstance(err, scale_client.ScaleInvalidRequest)


# =========================================================================== async, same flow


async def test_readme_flow_async(scale_fake: FakeServer, seeded: SeedState) -> None:
    store = scale_fake.store
    async with readme_aclient(scale_fake) as client:
        payload = dict(README_PAYLOAD)
        created = await client.create_task(TaskType.ImageAnnotation, **payload)
        assert isinstance(created, Task) and created.unique_id == "c235d023af73"
        try:
            await client.create_task(TaskType.ImageAnnotation, **payload)
            raise AssertionError("ScaleDuplicateTask expected")
        except ScaleDuplicateTask as err:
            assert "c235d023af73" in err.message and err.code == 409

        task = await client.get_task("30553edd0b6a93f8f05f0fee")
        assert task.status == TaskStatus.Pending and task.response is None

        tasks = client.get_tasks(
            project_name="My Project",
            created_after="2020-09-08",
            completed_before="2021-04-01",
            status=TaskStatus.Completed,
            review_status=TaskReviewStatus.Accepted,
        )
        seen = [task.task_id async for task in tasks]
        assert seen == seeded.matching
        task_list = [t async for t in tasks]
        assert [t.task_id for t in task_list] == seeded.matching

        task = await client.cancel_task("30553edd0b6a93f8f05f0fee")
        assert task.status == TaskStatus.Canceled

        await client.create_batch(
            project="test_project",
            callback="http://www.example.com/callback",
            batch_name="batch_name_01_07_2021",
        )
        await client.finalize_batch(batch_name="batch_name_01_07_2021")
        batch = await client.get_batch(batch_name="batch_name_01_07_2021")
        assert await batch.afinalize() is batch and batch.status == BatchStatus.InProgress
        status = await client.batch_status(batch_name="batch_name_01_07_2021")
        assert (status.pending, status.completed) == (1, 1)
        batch = await client.get_batch("batch_name_01_07_2021")
        await batch.aget_status()
        assert (batch.tasks_pending, batch.tasks_completed) == (1, 1)
        assert (await client.get_batch(batch_name="batch_name_01_07_2021")).name == BATCH
        batches = client.get_batches(batch_status=BatchStatus.Completed, created_after="2020-09-08")
        assert [b.name async for b in batches] == ["done_1", "done_2"]

        project = await client.create_project(
            project_name="Test_Project",
            task_type=TaskType.ImageAnnotation,
            params={"instruction": "Please label the kittens"},
        )
        assert project.name == "Test_Project" and "Test_Project" in store.projects
        assert (await client.get_project(project_name="test_project")).name == "test_project"
        projects = await client.projects()
        assert [(p.name, str(p.type)) for p in projects] == [
            (name, p["type"]) for name, p in store.projects.items()
        ]
        data = await client.update_project(
            project_name="test_project",
            patch=False,
            instruction="update: Please label all the stuff",
        )
        assert data.param_history[-1]["instruction"] == "update: Please label all the stuff"
        try:
            await client.create_task(
                TaskType.TextCollection, attachment="Some parameters are missing."
            )
            raise AssertionError("ScaleException expected")
        except ScaleException as err:
            assert err.code == 400
            assert err.message == 'Parameter is invalid, reason: "attachments" is required'


async def test_readme_create_batch_name_typo_is_rejected_before_sending(
    scale_fake: FakeServer,
) -> None:
    """The README's ``name=`` is a typo for ``batch_name=`` (as on scaleapi 2.x): a
    TypeError naming the argument, raised before anything reaches the server."""
    client = readme_client(scale_fake)
    sent = len(scale_fake.requests)
    create_batch: Any = client.create_batch  # the call is deliberately ill-typed
    with pytest.raises(TypeError, match="name"):
        create_batch(
            project="test_project",
            callback="http://www.example.com/callback",
            name="batch_name_01_07_2021",
        )
    assert len(scale_fake.requests) == sent and BATCH not in scale_fake.store.batches


def test_get_status_counts_absent_from_the_response_are_zero_like_scaleapi(
    scale_fake: FakeServer,
) -> None:
    client = readme_client(scale_fake)
    client.create_batch(project="test_project", batch_name=BATCH)
    batch = client.get_batch(BATCH)
    batch.get_status()
    assert (batch.tasks_pending, batch.tasks_completed) == (0, 0)
    assert (batch.tasks_error, batch.tasks_canceled) == (0, 0)


# =========================================================================== the exceptions


def test_every_readme_exception_name_is_importable() -> None:
    assert issubclass(ScaleException, Exception)
    for name in SEED_EXCEPTIONS:
        cls = getattr(scale_client, name)
        assert issubclass(cls, ScaleException), name
        assert name in scale_client.__all__
    assert scale_client.ScaleDuplicateTask is scale_client.ScaleDuplicateResource
    from scale_client import (  # noqa: F401 - the import itself is the test
        ScaleInternalError,
        ScaleInvalidRequest,
        ScaleNotEnabled,
        ScaleResourceNotFound,
        ScaleTimeoutError,
        ScaleTooManyRequests,
        ScaleUnauthorized,
    )


def _trigger(fake: FakeServer, name: str) -> Any:
    """A call (sync client, async client) -> ends in the README's status for ``name``."""
    store = fake.store
    if name == "ScaleInvalidRequest":
        return lambda c: c.create_task(TaskType.TextCollection, attachment="x")
    if name == "ScaleUnauthorized":
        return None  # needs another key: handled by the caller
    if name == "ScaleNotEnabled":
        return lambda c: c.create_task(TaskType.Federal2dVideoAnnotation, project="test_project")
    if name == "ScaleResourceNotFound":
        return lambda c: c.get_task("5f00000000000000000000ff")
    if name == "ScaleDuplicateTask":
        with store.lock:
            t = store.add_task("imageannotation", {"project": "test_project", "unique_id": "taken"})
        assert t
        return lambda c: c.create_task(
            TaskType.ImageAnnotation,
            project="test_project",
            attachment="a",
            geometries={"box": {}},
            unique_id="taken",
        )
    status = SEED_EXCEPTIONS[name]
    fake.faults.fail_always("GET", "/v1/projects", status, retry_after=0)
    return lambda c: c.projects()


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("name", list(SEED_EXCEPTIONS))
async def test_each_readme_exception_catches_its_status(
    scale_fake: FakeServer, name: str, is_async: bool
) -> None:
    status = SEED_EXCEPTIONS[name]
    cls = getattr(scale_client, name)
    key = "live_wrong_key" if name == "ScaleUnauthorized" else API_KEY
    client = make_our_client(scale_fake.base_url, is_async, api_key=key, max_retries=0)
    call = _trigger(scale_fake, name) or (lambda c: c.projects())
    try:
        try:
            result = call(client)
            if is_async:
                await result
            raise AssertionError(f"{name}: no exception")
        except cls as err:
            assert type(err) is cls
            assert err.code == err.status_code == status
            assert isinstance(err, ScaleException) and err.message
            assert err.request_id and err.request_id.startswith("req_")
            assert err.body == scale_fake.requests[-1].response_json
        # siblings do not catch it
        for other, other_status in SEED_EXCEPTIONS.items():
            if other_status != status:
                assert not issubclass(cls, getattr(scale_client, other)), (name, other)
        assert scale_fake.requests[-1].status == status
    finally:
        if is_async:
            await client.aclose()
        else:
            client.close()


# =========================================================================== typed_seed.py


def test_typed_seed_runs_sync(scale_fake: FakeServer, seeded: SeedState) -> None:
    with readme_client(scale_fake) as client:
        out = typed_seed.seed_flow(client)
    _check_typed_seed_output(out, scale_fake, seeded)


async def test_typed_seed_runs_async(scale_fake: FakeServer, seeded: SeedState) -> None:
    async with readme_aclient(scale_fake) as client:
        out = await typed_seed.aseed_flow(client)
    _check_typed_seed_output(out, scale_fake, seeded)


def _check_typed_seed_output(out: list[str], fake: FakeServer, seeded: SeedState) -> None:
    store = fake.store
    created_id = store.unique_ids["c235d023af73"]
    projects = [
        f"Downloading project {i} | {name} | {p['type']}"
        for i, (name, p) in enumerate(store.projects.items(), start=1)
    ]
    assert out == [
        f"created {created_id}",
        'The unique_id ("c235d023af73") is already used for a different task.',
        "pending",
        "None",
        *seeded.matching,
        "3 tasks retrieved",
        "canceled",
        "in_progress",
        "1 1",
        "Downloading batch 1 | done_1 | test_project",
        "Downloading batch 2 | done_2 | test_project",
        "2 batches retrieved",
        "Test_Project",
        *projects,
        "400",
        'Parameter is invalid, reason: "attachments" is required',
    ]
    assert len(projects) == 4


def _mypy(target: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPYPATH": f"{ROOT}{os.pathsep}{ROOT / 'generated'}"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--python-version",
            "3.11",
            str(target),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_typed_seed_passes_mypy_strict(tmp_path: Path) -> None:
    done = _mypy(ROOT / "tests" / "scale" / "typed_seed.py", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout


def test_mypy_check_is_not_vacuous(tmp_path: Path) -> None:
    """The same set-up rejects wrong calls: a misspelt keyword, a wrong argument type and
    a result used as the wrong model, so passing above means the calls are really typed."""
    bad = tmp_path / "bad_seed.py"
    bad.write_text(
        textwrap.dedent(
            """
            from scale_client import Batch, ScaleClient, TaskStatus

            def flow(client: ScaleClient) -> None:
                client.get_project(project_nme="test_project")
                client.get_tasks(project_name="p", status=42)
                wrong: Batch = client.get_task("30553edd0b6a93f8f05f0fee")
                status: TaskStatus = client.get_batch("b").status
            """
        )
    )
    done = _mypy(bad, tmp_path)
    assert done.returncode == 1, done.stdout
    out = done.stdout
    assert 'Unexpected keyword argument "project_nme"' in out
    assert 'Argument "status" to "get_tasks" of "ScaleClient" has incompatible type "int"' in out
    assert (
        'Incompatible types in assignment (expression has type "Task", variable has type "Batch")'
        in out
    )
    assert '(expression has type "BatchStatus", variable has type "TaskStatus")' in out
