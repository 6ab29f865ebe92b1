"""The README's flow (seed 004) once more on ``AsyncScaleClient``, plus the two README details
checked on their own: the ``create_batch(..., name=...)`` typo is a TypeError raised before
anything is sent, and batch status counts absent from the response read as zero, as on
scaleapi.
"""

from __future__ import annotations

from typing import Any

import pytest
from scale_client import (
    BatchStatus,
    ScaleDuplicateTask,
    ScaleException,
    Task,
    TaskReviewStatus,
    TaskStatus,
    TaskType,
)

from tests.scale.conftest import FakeServer
from tests.scale.seed_docs_support import (
    BATCH,
    README_PAYLOAD,
    SeedState,
    readme_aclient,
    readme_client,
)


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
