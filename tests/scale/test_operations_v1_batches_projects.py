"""The v1 batch and project operations through our client, sync and async, against the served
fake: batch create/get/finalize/status/metadata, the Batch and Task link methods, the
offset-paged batch list and pager, names with spaces and slashes as one path segment,
and project create/get/list, versioned params and task templates.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from scale_client import (
    Batch,
    Batchlist,
    BatchStatus,
    BatchStatusResponse,
    Project,
    ScaleInvalidRequest,
    Task,
    TaskStatus,
    TaskTemplate,
    TaskType,
)

from tests.scale.conftest import Api
from tests.scale.operations_support import SLASH_BATCH, SLASH_PROJECT, image_task, last, q


async def test_create_batch_sends_every_field(api: Api) -> None:
    store = api.fake.store
    batch = await api.create_batch(project="test_project", batch_name="b1")
    assert isinstance(batch, Batch)
    assert batch.status == BatchStatus.Staging and isinstance(batch.status, BatchStatus)
    assert batch.name == "b1" and batch.project == "test_project" and batch.metadata == {}
    assert last(api).json == {
        "project": "test_project",
        "name": "b1",
        "callback": "",
        "calibration_batch": False,
        "self_label_batch": False,
        "metadata": {},
    }
    full = await api.create_batch(
        project="test_project",
        batch_name="b2",
        callback="http://example.com/cb",
        self_label_batch=True,
        metadata={"team": "a"},
    )
    assert full.callback == "http://example.com/cb" and full.self_label_batch is True
    assert store.batches["b2"]["metadata"] == {"team": "a"}
    # The README's older spelling ``name=`` is a TypeError, before anything is sent.
    create_batch: Any = api.create_batch
    sent = len(api.fake.requests)
    with pytest.raises(TypeError, match="name"):
        await create_batch(project="test_project", name="readme batch")
    assert len(api.fake.requests) == sent and "readme batch" not in store.batches


async def test_batch_get_finalize_status_and_metadata(api: Api) -> None:
    store = api.fake.store
    await api.create_batch(project="test_project", batch_name="life")
    t1 = await image_task(api, batch="life")
    await image_task(api, batch="life")
    store.complete_task(t1.task_id)
    got = await api.get_batch("life")
    assert isinstance(got, Batch) and got.id == store.batches["life"]["id"]
    status = await api.batch_status("life")
    assert isinstance(status, BatchStatusResponse)
    assert status.status == BatchStatus.Staging
    assert (status.pending, status.completed, status.error) == (
        1,
        1,
        0,
    )  # absent on the wire = zero, as scaleapi
    finalized = await api.finalize_batch("life")
    assert finalized.status == BatchStatus.InProgress == store.batches["life"]["status"]
    updated = await api.set_batch_metadata("life", metadata={"round": 2})
    assert updated.metadata == {"round": 2} == store.batches["life"]["metadata"]
    assert last(api).json == {"round": 2}


async def test_batch_link_methods(api: Api) -> None:
    await api.create_batch(project="test_project", batch_name="linked")
    for _ in range(2):
        await image_task(api, batch="linked")
    batch = await api.get_batch("linked")
    same = await api.link(batch, "finalize")
    assert same is batch and batch.status == BatchStatus.InProgress
    assert last(api).raw_path == "/v1/batches/linked/finalize"
    assert batch.tasks_pending is None  # not yet fetched
    await api.link(batch, "get_status")
    assert last(api).raw_path == "/v1/batches/linked/status"
    assert batch.tasks_pending == 2 and batch.status == BatchStatus.InProgress
    # the other flavour's link method refuses with a clear message
    other = "finalize" if api.is_async else "afinalize"
    with pytest.raises(TypeError, match="needs a model returned by"):
        result = getattr(batch, other)()
        if inspect.isawaitable(result):
            await result


async def test_task_link_methods(api: Api) -> None:
    store = api.fake.store
    task = await image_task(api, unique_id="linked-uid")
    store.complete_task(task.task_id, {"annotations": []})
    assert task.status == TaskStatus.Pending
    same = await api.link(task, "refresh")
    assert same is task and task.status == TaskStatus.Completed
    assert task.response == {"annotations": []}
    assert last(api).raw_path == f"/v1/task/{task.task_id}"
    cleared = await api.link(task, "clear_unique_id")
    assert isinstance(cleared, Task) and cleared.unique_id is None
    assert last(api).method == "DELETE" and "linked-uid" not in store.unique_ids
    other = await image_task(api)
    canceled = await api.link(other, "cancel")
    assert isinstance(canceled, Task) and canceled.status == TaskStatus.Canceled
    assert store.tasks[other.task_id]["status"] == "canceled"


async def test_batches_page_and_get_batches_offset_pager(api: Api) -> None:
    await api.create_project(project_name="paging", task_type=TaskType.ImageAnnotation)
    for i in range(6):
        await api.create_batch(project="paging", batch_name=f"b{i}")
    await api.finalize_batch("b0")
    page = await api.batches(project="paging", limit=2, offset=2, exclude_archived=True)
    assert isinstance(page, Batchlist)
    assert [b.name for b in page.docs] == ["b2", "b3"]
    assert all(isinstance(b, Batch) for b in page.docs)
    assert page.offset == 2 and page.limit == 2 and page.has_more is True
    assert page.model_dump(by_alias=True)["totalDocs"] == 6
    assert q(last(api))["exclude_archived"] == ["True"]
    before = len(api.fake.requests)
    batches = await api.collect(
        api.client.get_batches(
            project_name="paging", batch_status=BatchStatus.Staging, created_after="2020-01-01"
        )
    )
    assert [b.name for b in batches] == ["b1", "b2", "b3", "b4", "b5"]
    sent = api.fake.requests[before:]
    assert [q(r)["offset"] for r in sent] == [["0"], ["2"], ["4"]]
    assert q(sent[0])["status"] == ["staging"] and q(sent[0])["exclude_archived"] == ["False"]


async def test_names_with_spaces_and_slashes_are_one_path_segment(api: Api) -> None:
    store = api.fake.store
    project = await api.create_project(
        project_name=SLASH_PROJECT,
        task_type=TaskType.ImageAnnotation,
        params={"instruction": "v0"},
    )
    assert project.name == SLASH_PROJECT
    assert (await api.get_project(SLASH_PROJECT)).name == SLASH_PROJECT
    assert last(api).raw_path.upper() == "/V1/PROJECTS/MY%20PROJECT%2F2024%20V1"
    await api.update_project(SLASH_PROJECT, patch=True, instruction="v1")
    assert last(api).raw_path.upper().endswith("%2F2024%20V1/SETPARAMS")
    await api.create_batch(project=SLASH_PROJECT, batch_name=SLASH_BATCH)
    assert (await api.get_batch(SLASH_BATCH)).name == SLASH_BATCH
    assert last(api).raw_path.upper() == "/V1/BATCHES/BATCH%20ONE%2FTWO"
    await api.set_batch_metadata(SLASH_BATCH, metadata={"slash": "a/b"})
    assert store.batches[SLASH_BATCH]["metadata"] == {"slash": "a/b"}
    await api.finalize_batch(SLASH_BATCH)
    assert store.batches[SLASH_BATCH]["status"] == "in_progress"
    assert (await api.batch_status(SLASH_BATCH)).status == BatchStatus.InProgress
    assert await api.list_project_groups(SLASH_PROJECT) == []
    assert last(api).raw_path.upper() == "/V1/STUDIO/PROJECTS/MY%20PROJECT%2F2024%20V1/GROUPS"


# =========================================================================== v1 projects


async def test_create_get_and_list_projects(api: Api) -> None:
    store = api.fake.store
    project = await api.create_project(
        project_name="crud project",
        task_type=TaskType.TextCollection,
        params={"instruction": "Summarise"},
    )
    assert isinstance(project, Project) and project.type == TaskType.TextCollection
    assert project.param_history[0]["instruction"] == "Summarise"
    assert last(api).json == {
        "name": "crud project",
        "type": "textcollection",
        "params": {"instruction": "Summarise"},
        "rapid": False,
        "studio": False,
        "datasetId": None,
    }
    got = await api.get_project("crud project")
    assert got.created_at == store.projects["crud project"]["created_at"]
    listed = await api.projects()
    assert isinstance(listed, list) and all(isinstance(p, Project) for p in listed)
    assert [p.name for p in listed] == list(store.projects)
    again = await api.get_projects()
    assert [p.name for p in again] == [p.name for p in listed]
    genai = next(p for p in listed if p.name == "GenAI Demo")
    assert genai.type == TaskType.Chat


async def test_update_project_versions_params(api: Api) -> None:
    await api.create_project(
        project_name="versions", task_type=TaskType.TextCollection, params={"instruction": "v0"}
    )
    replaced = await api.update_project("versions", patch=False, instruction="v1")
    assert isinstance(replaced, Project)
    assert [h["version"] for h in replaced.param_history] == [0, 1]
    assert last(api).json == {"patch": False, "instruction": "v1"}
    patched = await api.update_project("versions", patch=True, fields=[{"field_id": "s"}])
    latest = patched.param_history[-1]
    assert latest["instruction"] == "v1" and latest["fields"] == [{"field_id": "s"}]
    assert api.fake.store.projects["versions"]["param_history"][-1]["version"] == 2


async def test_project_template_and_link(api: Api) -> None:
    project = await api.create_project(project_name="tpl", task_type=TaskType.TextCollection)
    template = await api.get_project_template("tpl")
    assert isinstance(template, TaskTemplate) and template.version == 1
    assert template.template_variables == {"prompt": {"type": "string", "required": True}}
    via_link = await api.link(project, "get_template")
    assert isinstance(via_link, TaskTemplate) and via_link.id == template.id
    with pytest.raises(ScaleInvalidRequest):
        await api.get_project_template("test_project")  # imageannotation: no templates
