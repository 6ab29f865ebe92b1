"""The v1 task operations through our client, sync and async, against the served fake:
create (three task types), get, cancel, audit, unique_id set/clear, metadata, tags, the
one-page ``tasks`` list, the lazy ``get_tasks`` pager and ``get_tasks_count``; each result
is checked against the fake's store and the request it received.
"""

from __future__ import annotations

import pytest
from scale_client import (
    ScaleInvalidRequest,
    ScaleResourceNotFound,
    Task,
    Tasklist,
    TaskReviewStatus,
    TaskStatus,
    TaskType,
)

import clientcore
from tests.scale.conftest import Api
from tests.scale.operations_support import IMG, SLASH_PROJECT, image_task, last, q


async def test_create_task_of_three_types(api: Api) -> None:
    store = api.fake.store
    image = await api.create_task(
        TaskType.ImageAnnotation,
        project="test_project",
        callback_url="http://www.example.com/callback",
        instruction="Draw a box around each baby cow and big cow.",
        attachment_type="image",
        attachment=IMG,
        unique_id="c235d023af73",
        geometries={"box": {"objects_to_annotate": ["Baby Cow", "Big Cow"]}},
    )
    assert isinstance(image, Task)
    assert image.type == TaskType.ImageAnnotation and isinstance(image.type, TaskType)
    assert image.status == TaskStatus.Pending and isinstance(image.status, TaskStatus)
    assert image.unique_id == "c235d023af73"
    stored = store.tasks[image.task_id]
    assert image.params == stored["params"]
    assert image.params is not None
    assert image.params["geometries"]["box"]["objects_to_annotate"] == ["Baby Cow", "Big Cow"]
    assert store.unique_ids["c235d023af73"] == image.task_id
    assert last(api).raw_path == "/v1/task/imageannotation"

    await api.create_project(project_name="text project", task_type=TaskType.TextCollection)
    text = await api.create_task(
        TaskType.TextCollection,
        project="text project",
        attachments=[{"type": "text", "content": "Cows are large."}],
        fields=[{"type": "text", "field_id": "summary"}],  # not a declared param: **extra
        priority=30,
    )
    assert text.type == TaskType.TextCollection
    assert last(api).json["fields"] == [{"type": "text", "field_id": "summary"}]
    assert store.tasks[text.task_id]["params"]["fields"][0]["field_id"] == "summary"

    await api.create_project(project_name="cat project", task_type=TaskType.Categorization)
    await api.create_batch(project="cat project", batch_name="cat batch")
    cat = await api.create_task(
        "categorization",  # a plain string is accepted where the enum is expected
        project="cat project",
        batch="cat batch",
        attachment=IMG,
        categories=["cow", "calf"],
        tags=["farm"],
    )
    assert cat.type == TaskType.Categorization and cat.batch == "cat batch"
    assert cat.tags == ["farm"] == store.tasks[cat.task_id]["tags"]
    assert last(api).json == {
        "project": "cat project",
        "batch": "cat batch",
        "attachment": IMG,
        "categories": ["cow", "calf"],
        "tags": ["farm"],
    }  # unset optional params are not sent


async def test_get_task_reads_the_stored_task(api: Api) -> None:
    store = api.fake.store
    with store.lock:
        raw = store.add_task(
            "transcription",
            {
                "project": "test_project",
                "attachment": IMG,
                "metadata": {"k": [1, 2]},
                "tags": ["t"],
            },
        )
        store.complete_task(raw["task_id"], {"text": "moo"})
    task = await api.get_task(raw["task_id"])
    assert isinstance(task, Task)
    assert task.task_id == raw["task_id"]
    assert task.type == TaskType.Transcription
    assert task.status == TaskStatus.Completed
    assert task.response == {"text": "moo"}
    assert task.metadata == {"k": [1, 2]} and task.tags == ["t"]
    assert task.created_at == raw["created_at"] and task.completed_at == raw["completed_at"]
    with pytest.raises(ScaleResourceNotFound) as err:
        await api.get_task("5f00000000000000000000ff")
    assert err.value.status_code == 404 and "not found" in err.value.message


async def test_cancel_task_with_clear_unique_id(api: Api) -> None:
    store = api.fake.store
    task = await image_task(api, unique_id="uid-cancel")
    canceled = await api.cancel_task(task.task_id, clear_unique_id=True)
    assert isinstance(canceled, Task) and canceled.status == TaskStatus.Canceled
    assert canceled.unique_id is None and "uid-cancel" not in store.unique_ids
    assert q(last(api)) == {"clear_unique_id": ["true"]}
    assert store.tasks[task.task_id]["status"] == "canceled"
    with pytest.raises(ScaleInvalidRequest, match="already been canceled"):
        await api.cancel_task(task.task_id)
    assert last(api).query_string == ""  # clear_unique_id omitted when not given


async def test_audit_task(api: Api) -> None:
    store = api.fake.store
    one, two = await image_task(api), await image_task(api)
    store.complete_task(one.task_id)
    store.complete_task(two.task_id)
    assert await api.audit_task(one.task_id, accepted=True) is None
    assert last(api).json == {"accepted": True, "comments": None}  # comments always sent
    assert await api.audit_task(two.task_id, accepted=False, comments="Too loose") is None
    assert store.tasks[one.task_id]["customer_review_status"] == "accepted"
    assert store.tasks[two.task_id]["audits"][-1]["comments"] == "Too loose"
    fetched = await api.get_task(two.task_id)
    assert fetched.customer_review_status == TaskReviewStatus.Rejected


async def test_update_and_clear_task_unique_id(api: Api) -> None:
    store = api.fake.store
    task = await image_task(api)
    updated = await api.update_task_unique_id(task.task_id, unique_id="fresh-uid")
    assert isinstance(updated, Task) and updated.unique_id == "fresh-uid"
    assert store.unique_ids == {"fresh-uid": task.task_id}
    cleared = await api.clear_task_unique_id(task.task_id)
    assert cleared.unique_id is None and store.unique_ids == {}
    assert last(api).method == "DELETE"


async def test_set_task_metadata_sends_the_whole_body(api: Api) -> None:
    task = await image_task(api, metadata={"old": True})
    meta = {"nested": {"a": [1, None]}, "ratio": 1.5, "name": "x/y z"}
    updated = await api.set_task_metadata(task.task_id, metadata=meta)
    assert isinstance(updated, Task) and updated.metadata == meta
    assert last(api).json == meta
    assert api.fake.store.tasks[task.task_id]["metadata"] == meta


async def test_task_tags_set_add_delete(api: Api) -> None:
    store = api.fake.store
    task = await image_task(api, tags=["initial"])
    assert (await api.set_task_tags(task.task_id, tags=["x", "y"])).tags == ["x", "y"]
    assert last(api).json == ["x", "y"]  # a bare JSON array
    added = await api.add_task_tags(task.task_id, tags=["y", "z"])
    assert added.tags == ["x", "y", "z"] and last(api).method == "PUT"
    deleted = await api.delete_task_tags(task.task_id, tags=["x"])
    assert deleted.tags == ["y", "z"] == store.tasks[task.task_id]["tags"]
    assert last(api).method == "DELETE" and last(api).json == ["x"]


async def test_tasks_returns_one_typed_page(api: Api) -> None:
    ids = [(await image_task(api, unique_id=f"u{i}")).task_id for i in range(3)]
    page = await api.tasks(
        project="test_project",
        type=TaskType.ImageAnnotation,
        status=TaskStatus.Pending,
        unique_id=["u0", "u1", "u2"],
        start_time="2020-01-01",
        include_attachment_url=True,
        limit=2,
    )
    assert isinstance(page, Tasklist)
    assert all(isinstance(t, Task) for t in page.docs)
    assert [t.task_id for t in page.docs] == ids[:2]
    assert page.total == 3 and page.has_more is True and page.next_token
    assert page.docs[0].attachment_url  # include_attachment_url honoured by the fake
    wire = q(last(api))
    assert wire["unique_id"] == ["u0", "u1", "u2"]  # explode: repeated keys
    assert wire["include_attachment_url"] == ["True"]  # Python-style boolean
    assert wire["type"] == ["imageannotation"] and wire["status"] == ["pending"]
    assert wire["start_time"] == ["2020-01-01"] and wire["limit"] == ["2"]
    rest = await api.tasks(project="test_project", limit=2, next_token=page.next_token)
    assert [t.task_id for t in rest.docs] == ids[2:] and rest.has_more is False
    assert rest.next_token is None and q(last(api))["next_token"] == [page.next_token]
    store = api.fake.store
    store.complete_task(ids[0])
    await api.audit_task(ids[0], accepted=True)
    reviewed = await api.tasks(
        project="test_project",
        customer_review_status=[TaskReviewStatus.Accepted, TaskReviewStatus.Fixed],
    )
    assert [t.task_id for t in reviewed.docs] == [ids[0]] and reviewed.total == 1
    assert reviewed.docs[0].customer_review_status == TaskReviewStatus.Accepted
    assert q(last(api))["customer_review_status"] == ["accepted,fixed"]  # comma-joined


async def test_get_tasks_is_a_lazy_pager_over_three_pages(api: Api) -> None:
    store = api.fake.store
    await api.create_project(project_name=SLASH_PROJECT, task_type=TaskType.ImageAnnotation)
    ids = [(await image_task(api, SLASH_PROJECT)).task_id for _ in range(6)]
    await image_task(api)  # another project: filtered out
    for tid in ids[:5]:
        store.complete_task(tid)
    before = len(api.fake.requests)
    pager = api.client.get_tasks(
        project_name=SLASH_PROJECT, status=TaskStatus.Completed, created_after="2020-01-01"
    )
    assert len(api.fake.requests) == before  # nothing sent until iterated
    tasks = await api.collect(pager)
    assert [t.task_id for t in tasks] == ids[:5]
    assert all(isinstance(t, Task) and t.status == TaskStatus.Completed for t in tasks)
    pages = [r for r in api.fake.requests[before:] if r.raw_path == "/v1/tasks"]
    assert len(pages) == 3  # page size 2: 2 + 2 + 1
    first = q(pages[0])
    assert first["project"] == [SLASH_PROJECT] and "next_token" not in first
    assert first["include_attachment_url"] == ["True"]  # the method's default, always sent
    assert first["start_time"] == ["2020-01-01"] and first["status"] == ["completed"]
    assert all("next_token" in q(p) for p in pages[1:])
    again = await api.collect(pager)  # a pager is a recipe: iterating again restarts
    assert [t.task_id for t in again] == ids[:5]
    limited = await api.collect(api.client.get_tasks(project_name=SLASH_PROJECT, limit=4))
    assert len(limited) == 6 and q(last(api))["limit"] == ["4"]


async def test_get_tasks_needs_project_or_batch_before_sending(api: Api) -> None:
    before = len(api.fake.requests)
    with pytest.raises(clientcore.ParameterError, match="project_name"):
        await api.collect(api.client.get_tasks(status=TaskStatus.Pending))
    with pytest.raises(ValueError, match="project_name"):  # ParameterError is a ValueError
        await api.get_tasks_count()
    assert len(api.fake.requests) == before


async def test_path_dot_segments_are_refused_before_sending(api: Api) -> None:
    """``cancel_task("..")`` would reach ``POST /v1/cancel``: refused, nothing sent."""
    before = len(api.fake.requests)
    for task_id in (".", ".."):
        with pytest.raises(clientcore.ParameterError, match="dot segment") as info:
            await api.cancel_task(task_id)
        assert info.value.parameter == "task_id"
    assert len(api.fake.requests) == before


async def test_get_tasks_count(api: Api) -> None:
    store = api.fake.store
    await api.create_batch(project="test_project", batch_name="count batch")
    for i in range(3):
        task = await image_task(api, batch="count batch")
        if i == 0:
            store.complete_task(task.task_id)
    await image_task(api)
    count = await api.get_tasks_count(batch_name="count batch", status=TaskStatus.Pending)
    assert isinstance(count, int) and count == 2
    wire = q(last(api))
    assert wire["limit"] == ["1"] and wire["batch"] == ["count batch"]
    assert await api.get_tasks_count(project_name="test_project") == 4
