"""The seed document's calls (scaleapi README, seed 004), written against ``scale_client``.

Not a test module (pytest does not collect it): ``test_seed_docs_typed.py`` type-checks it with
``mypy --strict`` and also runs both flows against the Scale fake.  Every call is the
document's, as written, with the import changed to ``scale_client``; the only edit is the
document's typo ``create_batch(..., name=...)``, spelt ``batch_name=`` here.  Variables are
annotated and ``assert_type`` pins the inferred types, so a method returning ``Any`` (or a
parameter the client does not declare) is a type error, not a silent pass.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

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
from typing_extensions import assert_type

from clientcore import AsyncPager, SyncPager

TASK_ID = "30553edd0b6a93f8f05f0fee"
BATCH_NAME = "batch_name_01_07_2021"


def payload() -> dict[str, Any]:
    # The README's ``payload = dict(...)``; annotated, since mypy infers ``dict[str, object]``
    # for a mixed-value ``dict(...)``, which ``**payload`` cannot pass to typed parameters.
    return dict(
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


def seed_flow(client: ScaleClient) -> list[str]:
    """The README, top to bottom (sync). Returns what the README prints, as text."""
    out: list[str] = []

    # Create Task (twice: the second time the unique_id is taken)
    for _ in range(2):
        try:
            created: Task = client.create_task(TaskType.ImageAnnotation, **payload())
            out.append(f"created {created.task_id}")
        except ScaleDuplicateTask as err:
            message: str = err.message
            out.append(message)

    # Retrieve a task
    task = client.get_task(TASK_ID)
    assert_type(task, Task)
    status: TaskStatus | None = task.status
    out.append(str(task.status))
    out.append(str(task.response))
    assert status is not None

    # List Tasks
    tasks = client.get_tasks(
        project_name="My Project",
        created_after="2020-09-08",
        completed_before="2021-04-01",
        status=TaskStatus.Completed,
        review_status=TaskReviewStatus.Accepted,
    )
    assert_type(tasks, SyncPager[Task])
    for task in tasks:
        out.append(task.task_id)
    task_list: list[Task] = list(tasks)
    out.append(f"{len(task_list)} tasks retrieved")

    # Cancel Task
    task = client.cancel_task(TASK_ID)
    out.append(str(task.status))

    # Create Batch
    created_batch: Batch = client.create_batch(
        project="test_project",
        callback="http://www.example.com/callback",
        batch_name=BATCH_NAME,
    )
    assert created_batch.status is BatchStatus.Staging

    # Finalize Batch
    client.finalize_batch(batch_name=BATCH_NAME)
    batch = client.get_batch(batch_name=BATCH_NAME)
    assert_type(batch, Batch)
    batch.finalize()

    # Check Batch Status
    batch_status: BatchStatusResponse = client.batch_status(batch_name=BATCH_NAME)
    out.append(str(batch_status.status))
    batch = client.get_batch(BATCH_NAME)
    batch.get_status()
    pending: int | None = batch.tasks_pending
    completed: int | None = batch.tasks_completed
    out.append(f"{pending} {completed}")

    # Retrieve A Batch
    client.get_batch(batch_name=BATCH_NAME)

    # List Batches
    batches = client.get_batches(batch_status=BatchStatus.Completed, created_after="2020-09-08")
    assert_type(batches, SyncPager[Batch])
    counter = 0
    for batch in batches:
        counter += 1
        out.append(f"Downloading batch {counter} | {batch.name} | {batch.project}")
    batch_list: list[Batch] = list(batches)
    out.append(f"{len(batch_list)} batches retrieved")

    # Create Project
    project = client.create_project(
        project_name="Test_Project",
        task_type=TaskType.ImageAnnotation,
        params={"instruction": "Please label the kittens"},
    )
    assert_type(project, Project)
    out.append(project.name)

    # Retrieve Project
    client.get_project(project_name="test_project")

    # List Projects
    counter = 0
    projects = client.projects()
    assert_type(projects, list[Project])
    for project in projects:
        counter += 1
        out.append(f"Downloading project {counter} | {project.name} | {project.type}")

    # Update Project
    data = client.update_project(
        project_name="test_project",
        patch=False,
        instruction="update: Please label all the stuff",
    )
    assert_type(data, Project)

    # Error handling
    try:
        client.create_task(TaskType.TextCollection, attachment="Some parameters are missing.")
    except ScaleException as err:
        code: int | None = err.code
        out.append(str(code))
        out.append(err.message)
    return out


async def aseed_flow(client: AsyncScaleClient) -> list[str]:
    """The same README flow on the async client."""
    out: list[str] = []

    for _ in range(2):
        try:
            created: Task = await client.create_task(TaskType.ImageAnnotation, **payload())
            out.append(f"created {created.task_id}")
        except ScaleDuplicateTask as err:
            out.append(err.message)

    task = await client.get_task(TASK_ID)
    assert_type(task, Task)
    out.append(str(task.status))
    out.append(str(task.response))

    tasks = client.get_tasks(
        project_name="My Project",
        created_after="2020-09-08",
        completed_before="2021-04-01",
        status=TaskStatus.Completed,
        review_status=TaskReviewStatus.Accepted,
    )
    assert_type(tasks, AsyncPager[Task])
    async for task in tasks:
        out.append(task.task_id)
    task_list: list[Task] = [t async for t in tasks]
    out.append(f"{len(task_list)} tasks retrieved")

    task = await client.cancel_task(TASK_ID)
    out.append(str(task.status))

    created_batch: Batch = await client.create_batch(
        project="test_project",
        callback="http://www.example.com/callback",
        batch_name=BATCH_NAME,
    )
    assert created_batch.status is BatchStatus.Staging

    await client.finalize_batch(batch_name=BATCH_NAME)
    batch = await client.get_batch(batch_name=BATCH_NAME)
    assert_type(batch, Batch)
    await batch.afinalize()

    batch_status: BatchStatusResponse = await client.batch_status(batch_name=BATCH_NAME)
    out.append(str(batch_status.status))
    batch = await client.get_batch(BATCH_NAME)
    await batch.aget_status()
    pending: int | None = batch.tasks_pending
    completed: int | None = batch.tasks_completed
    out.append(f"{pending} {completed}")

    await client.get_batch(batch_name=BATCH_NAME)

    batches = client.get_batches(batch_status=BatchStatus.Completed, created_after="2020-09-08")
    assert_type(batches, AsyncPager[Batch])
    counter = 0
    async for batch in batches:
        counter += 1
        out.append(f"Downloading batch {counter} | {batch.name} | {batch.project}")
    batch_list: list[Batch] = [b async for b in batches]
    out.append(f"{len(batch_list)} batches retrieved")

    project = await client.create_project(
        project_name="Test_Project",
        task_type=TaskType.ImageAnnotation,
        params={"instruction": "Please label the kittens"},
    )
    assert_type(project, Project)
    out.append(project.name)

    await client.get_project(project_name="test_project")

    counter = 0
    projects = await client.projects()
    assert_type(projects, list[Project])
    for project in projects:
        counter += 1
        out.append(f"Downloading project {counter} | {project.name} | {project.type}")

    data = await client.update_project(
        project_name="test_project",
        patch=False,
        instruction="update: Please label all the stuff",
    )
    assert_type(data, Project)

    try:
        await client.create_task(TaskType.TextCollection, attachment="Some parameters are missing.")
    except ScaleException as err:
        out.append(str(err.code))
        out.append(err.message)
    return out


def _unused_iterators(client: ScaleClient, aclient: AsyncScaleClient) -> None:
    """The pagers are real iterators to a type checker too."""
    it: Iterator[Task] = iter(client.get_tasks(project_name="p"))
    ait: AsyncIterator[Batch] = aiter(aclient.get_batches())
    del it, ait
