"""The user's own docs (seed 004: scaleapi's README) run, as written, on ``scale_client``:
every call the document shows, with the import changed to ``scale_client`` and the one
edit that the document's ``create_batch(..., name=...)`` typo is spelt ``batch_name=``, made
synchronously against the Scale fake (tasks, batches, projects and error handling), each
result checked for its type and against the fake's state.  Where ours differs on purpose:
``get_tasks()`` / ``get_batches()`` return restartable lazy pagers, so the README's
``list(tasks)`` after a ``for`` loop gets every item again (scaleapi's generator gives ``[]``).
"""

from __future__ import annotations

import scale_client
from scale_client import (
    Batch,
    BatchStatus,
    BatchStatusResponse,
    Project,
    ScaleDuplicateTask,
    ScaleException,
    Task,
    TaskReviewStatus,
    TaskStatus,
    TaskType,
)

from tests.scale.conftest import FakeServer
from tests.scale.seed_docs_support import BATCH, README_PAYLOAD, TASK_ID, SeedState, readme_client


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
