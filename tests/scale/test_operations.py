"""Every Scale operation through our generated client, sync and async, against the served fake.

Each test runs twice (the ``api`` fixture is parametrised "sync" / "async"; ``await
api.method(...)`` drives either ``ScaleClient`` or ``AsyncScaleClient``) and checks the
typed result against the fake's state (``api.fake.store``) and, where the wire matters,
against the request the fake received (``api.fake.requests``).  The last test checks that
all 64 operations (39 v1 + 25 v2) were called successfully by both clients.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import functools
import inspect
import io
from typing import Any

import httpx
import pytest
import scale_client
from scale_client import (
    Batch,
    Batchlist,
    BatchStatus,
    BatchStatusResponse,
    EvaluationTask,
    File,
    Project,
    ScaleException,
    ScaleInvalidRequest,
    ScaleResourceNotFound,
    StudioBatch,
    StudioBatchStatus,
    StudioProjectGroup,
    Task,
    Tasklist,
    TaskReviewStatus,
    TaskStatus,
    TaskTemplate,
    TaskType,
    Teammate,
    TeammateRole,
    TrainingTask,
)

import clientcore
from tests.scale.conftest import (
    OPERATIONS_HIT,
    Api,
    all_operations,
    make_our_client,
)
from tests.scale.parity_cases import API_KEY
from tests.servers.wire import RecordedRequest
from tests.support.server import serve

IMG = "http://i.imgur.com/v4cBreD.jpg"
GEOMETRIES = {"box": {"objects_to_annotate": ["car"], "min_height": 5, "min_width": 5}}
SLASH_PROJECT = "My Project/2024 v1"
SLASH_BATCH = "batch one/two"
BASIC = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
BEARER = f"Bearer {API_KEY}"


# --------------------------------------------------------------------------- helpers


def last(api: Api, method: str | None = None, path_prefix: str = "") -> RecordedRequest:
    """The last request the fake received (optionally: with this method and path prefix)."""
    for rec in reversed(api.fake.requests):
        if (method is None or rec.method == method) and rec.path.startswith(path_prefix):
            return rec
    raise AssertionError(f"no {method} {path_prefix} request in {api.fake.requests}")


def q(rec: RecordedRequest) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in rec.query:
        out.setdefault(k, []).append(v)
    return out


async def image_task(api: Api, project: str = "test_project", **kw: Any) -> Task:
    return await api.create_task(  # type: ignore[no-any-return]
        TaskType.ImageAnnotation,
        project=project,
        attachment=IMG,
        attachment_type="image",
        geometries=GEOMETRIES,
        **kw,
    )


async def studio_setup(api: Api) -> str:
    project = "Studio Project/A"
    await api.create_project(project_name=project, task_type=TaskType.ImageAnnotation, studio=True)
    await api.create_project_group(
        project, emails=["labeler1@example.com"], project_group="group a/b"
    )
    await api.create_batch(project=project, batch_name=SLASH_BATCH)
    await api.create_batch(project=project, batch_name="second batch")
    return project


def genai_task_id(api: Api) -> str:
    store = api.fake.store
    return next(t for t in store.tasks.values() if t.get("_threads"))["task_id"]  # type: ignore[no-any-return]


# =========================================================================== the clients


def test_sync_and_async_clients_have_the_same_methods() -> None:
    sync_names = {n for n in dir(scale_client.ScaleClient) if not n.startswith("_")}
    async_names = {n for n in dir(scale_client.AsyncScaleClient) if not n.startswith("_")}
    assert sync_names - {"close", "aclose"} == async_names - {"close", "aclose"}
    assert "get_task" in sync_names and "v2" in sync_names
    # Resources are made (and their module imported) on first access, once per client.
    assert isinstance(vars(scale_client.ScaleClient)["v2"], functools.cached_property)
    client = scale_client.ScaleClient("key")
    assert "v2" not in vars(client)
    assert client.v2 is client.v2 and type(client.v2).__name__ == "V2"
    client.close()
    for name in ("get_task", "create_task", "batches", "upload_file"):
        assert inspect.iscoroutinefunction(getattr(scale_client.AsyncScaleClient, name))
        assert not inspect.iscoroutinefunction(getattr(scale_client.ScaleClient, name))
    assert inspect.iscoroutinefunction(scale_client.AsyncScaleClient.__aenter__)


async def test_auth_user_agent_and_loopback(api: Api) -> None:
    await api.projects()
    await api.v2.get_projects()
    v1, v2 = api.fake.requests
    assert api.fake.base_url.startswith("http://127.0.0.1:")
    assert v1.authorization == BASIC  # key as username, empty password
    assert v2.authorization == BEARER
    assert (v1.header("user-agent") or "").startswith("scale-client/")
    assert API_KEY not in repr(api.client)


def test_default_base_url_is_scale() -> None:
    with scale_client.ScaleClient("live_x") as client:
        assert repr(client) == "<ScaleClient base_url='https://api.scale.com'>"


async def test_credential_may_be_a_callable(api: Api) -> None:
    """A callable credential is asked per request (key rotation); async clients also take
    an async callable."""
    calls: list[str] = []
    if api.is_async:

        async def key() -> str:
            calls.append("k")
            return API_KEY

    else:

        def key() -> str:  # type: ignore[misc]
            calls.append("k")
            return API_KEY

    client = make_our_client(api.fake.base_url, api.is_async, api_key=key)  # type: ignore[arg-type]
    other = Api(client, api.is_async, api.fake)
    try:
        await other.projects()
        await other.v2.get_projects()
    finally:
        if api.is_async:
            await client.aclose()
        else:
            client.close()
    assert calls == ["k", "k"]
    assert [r.authorization for r in api.fake.requests] == [BASIC, BEARER]


# =========================================================================== v1 tasks


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


# =========================================================================== v1 batches


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


# =========================================================================== v1 files


async def test_upload_file_object_bytes_and_tuples(api: Api) -> None:
    store = api.fake.store
    stream = io.BytesIO(b"\x89PNG fake image")
    stream.name = "/tmp/cow.png"
    variants: list[tuple[Any, str, str, bytes]] = [
        (stream, "cow.png", "image/png", b"\x89PNG fake image"),
        (("calf.jpg", b"jpeg bytes"), "calf.jpg", "image/jpeg", b"jpeg bytes"),
        (
            ("data.bin", b"\x00\x01", "application/x-custom"),
            "data.bin",
            "application/x-custom",
            b"\x00\x01",
        ),
    ]
    for content, filename, mime, data in variants:
        uploaded = await api.upload_file(
            file=content, project_name="test_project", reference_id="ref-1"
        )
        assert isinstance(uploaded, File)
        assert uploaded.attachment_url == f"scaledata://{uploaded.id}/{filename}"
        assert uploaded.mime_type == mime and uploaded.size == len(data)
        assert uploaded.project_names == ["test_project"]
        parts = last(api).parts
        assert parts["file"] == (filename, mime, data)
        assert parts["project_name"] == (None, None, "test_project")
        assert parts["reference_id"] == (None, None, "ref-1")
        assert store.files[uploaded.id]["reference_id"] == "ref-1"
    raw = await api.upload_file(file=b"raw bytes")
    assert raw.size == 9 and last(api).parts["file"][2] == b"raw bytes"
    assert last(api).form[0].filename  # bytes still go as a file part with a filename


async def test_import_file(api: Api) -> None:
    imported = await api.import_file(
        file_url="https://example.com/images/cow.jpg", project_name="test_project", note="x"
    )
    assert isinstance(imported, File) and imported.attachment_url.endswith("/cow.jpg")
    assert last(api).json == {
        "file_url": "https://example.com/images/cow.jpg",
        "project_name": "test_project",
        "note": "x",
    }
    assert api.fake.store.files[imported.id]["note"] == "x"


# =========================================================================== v1 quality tasks


async def test_evaluation_and_training_tasks(api: Api) -> None:
    store = api.fake.store
    await api.create_project(project_name="rapid", task_type=TaskType.ImageAnnotation, rapid=True)
    ev = await api.create_evaluation_task(
        TaskType.ImageAnnotation,
        project="rapid",
        attachment=IMG,
        expected_response={"annotations": {"car": []}},
        initial_response={"annotations": {"car": [1]}},
    )
    assert isinstance(ev, EvaluationTask)
    assert ev.expected_response == {"annotations": {"car": []}}
    assert ev.initial_response == {"annotations": {"car": [1]}}
    assert store.quality_tasks[ev.id]["kind"] == "evaluation"
    assert last(api).raw_path == "/v1/evaluation_tasks/imageannotation"
    tr = await api.create_training_task(
        TaskType.ImageAnnotation, project="rapid", attachment=IMG, expected_response={"a": 1}
    )
    assert isinstance(tr, TrainingTask) and tr.expected_response == {"a": 1}
    assert store.quality_tasks[tr.id]["kind"] == "training"
    assert last(api).raw_path == "/v1/training_tasks/imageannotation"


# =========================================================================== v1 teams


async def test_teammates(api: Api) -> None:
    store = api.fake.store
    team = await api.list_teammates()
    assert all(isinstance(t, Teammate) for t in team)
    owner = next(t for t in team if t.email == "owner@example.com")
    assert owner.role == TeammateRole.Admin and owner.first_name == "Olive"
    team = await api.invite_teammates(
        emails=["new1@example.com", "new2@example.com"], role=TeammateRole.Labeler
    )
    assert len(team) == 4 and last(api).json == {
        "emails": ["new1@example.com", "new2@example.com"],
        "team_role": "labeler",
    }
    team = await api.update_teammates_role(emails=["new1@example.com"], role=TeammateRole.Manager)
    assert {t.email: t.role for t in team}["new1@example.com"] == TeammateRole.Manager
    assert store.teammates["new1@example.com"]["role"] == "manager"


# =========================================================================== v1 studio


async def test_studio_assignments(api: Api) -> None:
    store = api.fake.store
    project = "Studio Project/A"
    await api.create_project(project_name=project, task_type=TaskType.ImageAnnotation, studio=True)
    assert await api.list_studio_assignments() == {}
    added = await api.add_studio_assignments(
        emails=["labeler1@example.com", "l2@example.com"], projects=[project, "test_project"]
    )
    assert added == {
        "labeler1@example.com": [project, "test_project"],
        "l2@example.com": [project, "test_project"],
    }
    removed = await api.remove_studio_assignments(
        emails=["l2@example.com"], projects=["test_project"]
    )
    assert removed["l2@example.com"] == [project] == store.assignments["l2@example.com"]
    assert await api.list_studio_assignments() == removed


async def test_studio_project_groups(api: Api) -> None:
    project = "Studio Project/A"
    await api.create_project(project_name=project, task_type=TaskType.ImageAnnotation, studio=True)
    group = await api.create_project_group(
        project, emails=["labeler1@example.com"], project_group="group a/b"
    )
    assert isinstance(group, StudioProjectGroup)
    assert group.name == "group a/b" and group.numWorkers == 1 and group.isSingleton is False
    assert group.workers is not None and group.workers[0].email == "labeler1@example.com"
    assert last(api).json == {"emails": ["labeler1@example.com"], "name": "group a/b"}
    listed = await api.list_project_groups(project)
    assert [g.id for g in listed] == [group.id]
    updated = await api.update_project_group(
        project, "group a/b", add_emails=["x@example.com"], remove_emails=["labeler1@example.com"]
    )
    assert last(api).method == "PUT" and last(api).raw_path.upper().endswith(
        "/GROUPS/GROUP%20A%2FB"
    )
    assert [w.email for w in updated.workers or []] == ["x@example.com"]
    stored = api.fake.store.groups[project][0]
    assert [w["email"] for w in stored["workers"]] == ["x@example.com"]


async def test_studio_project_group_keeps_scaleapi_attribute_names(api: Api) -> None:
    project = "Studio Project/A"
    await api.create_project(project_name=project, task_type=TaskType.ImageAnnotation, studio=True)
    group = await api.create_project_group(
        project, emails=["labeler1@example.com"], project_group="g"
    )
    assert group.numWorkers == 1  # type: ignore[attr-defined]
    assert group.isSingleton is False  # type: ignore[attr-defined]


async def test_studio_batches_and_priorities(api: Api) -> None:
    project = await studio_setup(api)
    listed = await api.list_studio_batches()
    assert all(isinstance(b, StudioBatch) for b in listed)
    assert [b.name for b in listed] == [SLASH_BATCH, "second batch"]
    assert listed[0].project_name == project
    assert listed[0].batch_type == StudioBatchStatus.Production
    assigned = await api.assign_studio_batches(SLASH_BATCH, project_groups=["group a/b"])
    assert isinstance(assigned, StudioBatch) and assigned.groups == ["group a/b"]
    assert last(api).json == {"groups": ["group a/b"]}
    ordered = await api.set_studio_batches_priorities(
        batches=[{"name": "second batch"}, {"name": SLASH_BATCH}]
    )
    assert [(b.name, b.studio_priority) for b in ordered] == [("second batch", 1), (SLASH_BATCH, 2)]
    assert api.fake.store.studio_priorities == ["second batch", SLASH_BATCH]
    reset = await api.reset_studio_batches_priorities()
    assert [b.name for b in reset] == [SLASH_BATCH, "second batch"]
    assert all(b.studio_priority is None for b in reset)


# =========================================================================== v2


async def test_v2_tasks(api: Api) -> None:
    from scale_client import (
        AnnotationInteger,
        ExpandableEnumTask,
        GetTasksResponse,
        Option,
        Thread,
        V2Project,
        V2Task,
        V2TaskStatus,
    )

    store = api.fake.store
    tid = genai_task_id(api)
    task = await api.v2.get_task(
        task_id=tid, expand=[ExpandableEnumTask.PROJECT], opts=[Option.ANNOTATION_DETAILS]
    )
    assert isinstance(task, V2Task) and task.task_id == tid
    assert task.status == V2TaskStatus.COMPLETED and isinstance(task.status, V2TaskStatus)
    assert isinstance(task.project, V2Project) and task.project.name == "GenAI Demo"
    assert isinstance(task.batch, str) and task.batch == store.batches["genai_batch_1"]["id"]
    assert isinstance(task.created_at, dt.datetime) and task.created_at.tzinfo is not None
    assert task.threads and isinstance(task.threads[0], Thread)
    annotation = task.threads[0].turns[0].annotations[0]  # type: ignore[index]
    assert isinstance(annotation, AnnotationInteger)
    assert annotation.value == store.annotations[annotation.id]["value"]
    assert q(last(api)) == {"task_id": [tid], "expand": ["project"], "opts": ["annotation_details"]}
    assert last(api).authorization == BEARER

    page = await api.v2.get_tasks(project_name="GenAI Demo", limit=2)
    assert isinstance(page, GetTasksResponse) and len(page.tasks) == 2 and page.next_token
    rest = await api.v2.get_tasks(project_name="GenAI Demo", limit=2, next_token=page.next_token)
    assert len(rest.tasks) == 1 and rest.next_token is None
    seen = [t.task_id for t in page.tasks + rest.tasks]
    assert sorted(seen) == sorted(t["task_id"] for t in store.tasks.values() if t.get("_threads"))
    completed = await api.v2.get_tasks(
        batch_name="genai_batch_1",
        status=V2TaskStatus.COMPLETED,
        completed_after=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
    )
    assert len(completed.tasks) == 2  # page size 2
    assert q(last(api))["completed_after"][0].startswith("2020-01-01T00:00:00")


async def test_v2_create_chat_task_and_set_metadata(api: Api) -> None:
    from scale_client import CreateChatTaskRequest, SetTaskMetadataRequest, V2Task, V2TaskStatus

    store = api.fake.store
    created = await api.v2.create_chat_task(
        create_chat_task_request=CreateChatTaskRequest(
            project_name="GenAI Demo",
            batch_name="genai_batch_1",
            template_variables={"prompt": "hi"},
            metadata={"a": {"b": 1}},
        )
    )
    assert isinstance(created, V2Task) and created.status == V2TaskStatus.PENDING
    assert created.threads == [] and created.metadata == {"a": {"b": 1}}
    assert store.tasks[created.task_id]["params"]["template_variables"] == {"prompt": "hi"}
    assert last(api).json == {
        "project_name": "GenAI Demo",
        "batch_name": "genai_batch_1",
        "template_variables": {"prompt": "hi"},
        "metadata": {"a": {"b": 1}},
    }  # unset model fields are not sent
    merged = await api.v2.set_task_metadata(
        set_task_metadata_request=SetTaskMetadataRequest(
            task_id=created.task_id, metadata={"a": {"c": 2}}, merge=True
        )
    )
    assert merged.metadata == {"a": {"b": 1, "c": 2}} == store.tasks[created.task_id]["metadata"]
    replaced = await api.v2.set_task_metadata(
        set_task_metadata_request=SetTaskMetadataRequest(task_id=created.task_id, metadata={"z": 0})
    )
    assert replaced.metadata == {"z": 0}


async def test_v2_batch_lifecycle(api: Api) -> None:
    from scale_client import (
        BatchOperationRequest,
        CancelBatch200Response,
        CreateBatchRequest,
        ExpandableEnumBatch,
        GetBatchesResponse,
        PauseBatch200Response,
        ResumeBatch200Response,
        SetBatchMetadataRequest,
        V2Batch,
        V2BatchStatus,
        V2Project,
    )

    store = api.fake.store
    created = await api.v2.create_batch(
        create_batch_request=CreateBatchRequest(
            name="v2 batch/1", project_name="GenAI Demo", staging_batch=True, metadata={"k": 1}
        )
    )
    assert isinstance(created, V2Batch) and created.status == V2BatchStatus.STAGING
    assert created.project == store.projects["GenAI Demo"]["id"]
    got = await api.v2.get_batch(batch_name="v2 batch/1", expand=[ExpandableEnumBatch.PROJECT])
    assert isinstance(got.project, V2Project) and got.id == created.id
    by_id = await api.v2.get_batch(batch_id=created.id)
    assert by_id.name == "v2 batch/1"
    listing = await api.v2.get_batches(project_name="GenAI Demo", status=V2BatchStatus.STAGING)
    assert isinstance(listing, GetBatchesResponse)
    assert [b.name for b in listing.batches] == ["v2 batch/1"]

    op = BatchOperationRequest(batch_name="v2 batch/1")
    finalized = await api.v2.finalize_batch(batch_operation_request=op)
    assert finalized.status == V2BatchStatus.IN_PROGRESS
    assert last(api).json == {"batch_name": "v2 batch/1"}
    paused = await api.v2.pause_batch(batch_operation_request=op)
    assert isinstance(paused, PauseBatch200Response) and paused.batch is not None
    assert paused.batch.status == V2BatchStatus.PAUSED and paused.message == "Batch paused"
    resumed = await api.v2.resume_batch(
        batch_operation_request=BatchOperationRequest(batch_id=created.id)
    )
    assert isinstance(resumed, ResumeBatch200Response) and resumed.batch is not None
    assert resumed.batch.status == V2BatchStatus.IN_PROGRESS
    meta = await api.v2.set_batch_metadata(
        set_batch_metadata_request=SetBatchMetadataRequest(
            batch_name="v2 batch/1", metadata={"j": 2}, merge=True
        )
    )
    assert meta.metadata == {"k": 1, "j": 2} == store.batches["v2 batch/1"]["metadata"]
    canceled = await api.v2.cancel_batch(batch_operation_request=op)
    assert isinstance(canceled, CancelBatch200Response) and canceled.batch is not None
    assert canceled.batch.status == V2BatchStatus.CANCELLED
    assert store.batches["v2 batch/1"]["status"] == "cancelled"


async def test_v2_projects(api: Api) -> None:
    from scale_client import GetProjectsResponse, V2Project

    store = api.fake.store
    project = await api.v2.get_project(project_name="GenAI Demo")
    assert isinstance(project, V2Project) and project.types == ["SFT"]
    assert project.models == ["demo-model-1"]
    assert project.id == store.projects["GenAI Demo"]["id"]
    same = await api.v2.get_project(project_id=project.id)
    assert same.name == "GenAI Demo"
    everything = await api.v2.get_projects()
    assert isinstance(everything, GetProjectsResponse)
    assert {p.name for p in everything.projects} == set(store.projects)
    none = await api.v2.get_projects(created_after="2030-01-01T00:00:00Z")
    assert none.projects == []


async def test_v2_deliveries_schema_and_annotation(api: Api) -> None:
    from scale_client import (
        AnnotationInteger,
        AnnotationText,
        Delivery,
        ExpandableEnumDeliveries,
        GetDeliveredTasksResponse,
        GetDeliveriesResponse,
        GetDeliveryTasksResponse,
        GetSchemaResponse,
        V2Project,
        V2TaskStatus,
    )

    store = api.fake.store
    deliveries = await api.v2.get_deliveries(
        project_name="GenAI Demo", expand=[ExpandableEnumDeliveries.PROJECT]
    )
    assert isinstance(deliveries, GetDeliveriesResponse)
    (delivery,) = deliveries.deliveries
    assert isinstance(delivery, Delivery) and delivery.task_count == 3
    assert isinstance(delivery.project, V2Project)
    stored = store.deliveries[delivery.id]
    tasks = await api.v2.get_delivery(delivery_id=delivery.id, limit=10)
    assert isinstance(tasks, GetDeliveredTasksResponse) and tasks.delivery == delivery.id
    assert [t.task_id for t in tasks.tasks] == stored["_tasks"]
    by_name = await api.v2.get_delivery(delivery_name="delivery-001", project_name="GenAI Demo")
    assert len(by_name.tasks) == 2 and by_name.next_token  # page size 2
    delivered = await api.v2.get_delivery_tasks(
        delivery_id=delivery.id, status=V2TaskStatus.COMPLETED
    )
    assert isinstance(delivered, GetDeliveryTasksResponse)
    assert {d.task_id for d in delivered.docs} <= set(stored["_tasks"])
    assert all(d.delivery_id == delivery.id for d in delivered.docs)
    schema = await api.v2.get_schema(schema_id=stored["_schema"])
    assert isinstance(schema, GetSchemaResponse)
    assert schema.var_schema.var_json == store.schemas[stored["_schema"]]["json"]
    integer_id = next(a for a, v in store.annotations.items() if v["type"] == "integer")
    text_id = next(a for a, v in store.annotations.items() if v["type"] == "text")
    integer = await api.v2.get_annotation(annotation_id=integer_id)
    assert (
        isinstance(integer, AnnotationInteger)
        and integer.value == store.annotations[integer_id]["value"]
    )
    text = await api.v2.get_annotation(annotation_id=text_id)
    assert isinstance(text, AnnotationText) and text.value == "ok"


async def test_v2_datasets(api: Api) -> None:
    from scale_client import (
        Dataset,
        DatasetDelivery,
        DatasetTask,
        ExpandableEnumDatasetsDeliveries,
        ExpandableEnumDatasetTask,
        GetDatasetDeliveriesResponse,
        GetDatasetDeliveryResponse,
        GetDatasetsResponse,
        GetDatasetTasksResponse,
    )

    store = api.fake.store
    datasets = await api.v2.get_datasets()
    assert isinstance(datasets, GetDatasetsResponse)
    (dataset,) = datasets.datasets
    assert isinstance(dataset, Dataset) and dataset.name == "Demo Dataset"
    deliveries = await api.v2.get_dataset_deliveries(
        dataset_id=dataset.id, expand=[ExpandableEnumDatasetsDeliveries.DATASET]
    )
    assert isinstance(deliveries, GetDatasetDeliveriesResponse)
    (dd,) = deliveries.deliveries
    assert isinstance(dd, DatasetDelivery) and isinstance(dd.dataset, Dataset)
    assert dd.metadata.task_count == 2
    delivery = await api.v2.get_dataset_delivery(
        delivery_id=dd.id, expand=[ExpandableEnumDatasetTask.DELIVERY]
    )
    assert isinstance(delivery, GetDatasetDeliveryResponse)
    assert isinstance(delivery.delivery, DatasetDelivery) and delivery.delivery.id == dd.id
    assert all(isinstance(t.delivery, DatasetDelivery) for t in delivery.tasks)
    tasks = await api.v2.get_dataset_tasks(dataset_id=dataset.id, limit=1)
    assert isinstance(tasks, GetDatasetTasksResponse) and len(tasks.tasks) == 1 and tasks.next_token
    one = await api.v2.get_dataset_task(task_id=tasks.tasks[0].task_id)
    assert isinstance(one, DatasetTask) and one.dataset == dataset.id
    assert one.response == store.dataset_tasks[one.task_id]["response"]
    attachment = one.response["attachments"][0]["id"]
    before = len(api.fake.requests)
    assert await api.v2.get_dataset_task_response_url(one.task_id, attachment) is None
    (sent,) = api.fake.requests[before:]
    assert sent.status == 302 and sent.raw_path.endswith(
        f"/{one.task_id}/response_url/{attachment}"
    )
    with pytest.raises(ScaleResourceNotFound):
        await api.v2.get_dataset_task_response_url(one.task_id, "att_missing")


# =========================================================================== cross-cutting


async def test_raw_responses(api: Api) -> None:
    from clientcore import APIResponse

    task = await image_task(api)
    raw = await api.with_raw_response.get_task(task.task_id)
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200 and raw.retries_taken == 0
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.request_id == raw.headers["x-request-id"] and raw.request_id.startswith("req_")
    parsed = raw.parse()
    assert isinstance(parsed, Task) and parsed.task_id == task.task_id
    assert raw.parse() is parsed  # parsed once
    api.fake.faults.fail_next("GET", "/v2/project", 503, retry_after=0)
    raw_v2 = await api.v2.with_raw_response.get_project(project_name="GenAI Demo")
    assert raw_v2.retries_taken == 1 and raw_v2.parse().name == "GenAI Demo"
    page = await api.with_raw_response.tasks(project="test_project")
    assert isinstance(page.parse(), Tasklist)


async def test_unknown_fields_and_enum_values_never_crash(api: Api) -> None:
    store = api.fake.store
    task = await image_task(api)
    with store.lock:
        raw = store.tasks[task.task_id]
        raw["status"] = "on_hold"  # not a TaskStatus member
        raw["type"] = "hologramannotation"  # not a TaskType member
        raw["customer_review_status"] = "escalated"
        raw["brand_new_field"] = {"nested": [1, 2]}
        store.add_batch("test_project", "odd")["status"] = "archived"
        store.teammates["owner@example.com"]["role"] = "superadmin"
        store.teammates["owner@example.com"]["pronouns"] = "they"
    got = await api.get_task(task.task_id)
    assert isinstance(got.status, TaskStatus) and got.status == "on_hold"
    assert got.status.value == "on_hold" and got.status != TaskStatus.Pending
    assert isinstance(got.type, TaskType) and got.type.value == "hologramannotation"
    assert got.customer_review_status is not None
    assert got.customer_review_status.value == "escalated"
    assert got.brand_new_field == {"nested": [1, 2]}  # type: ignore[attr-defined]
    assert got.model_extra is not None
    assert got.model_extra["brand_new_field"] == {"nested": [1, 2]}
    assert got.model_dump()["brand_new_field"] == {"nested": [1, 2]}
    listed = await api.collect(api.client.get_tasks(project_name="test_project"))
    assert listed[0].status.value == "on_hold"  # type: ignore[union-attr]
    batch = await api.get_batch("odd")
    assert batch.status.value == "archived" and isinstance(batch.status, BatchStatus)
    team = await api.list_teammates()
    owner = next(t for t in team if t.email == "owner@example.com")
    assert owner.role.value == "superadmin" and owner.pronouns == "they"  # type: ignore[attr-defined]
    # v2: unknown task and message-role values
    from scale_client import V2TaskStatus

    tid = genai_task_id(api)
    with store.lock:
        store.tasks[tid]["_threads"][0]["turns"][0]["messages"][0]["role"] = "critic"
    v2_task = await api.v2.get_task(task_id=tid)
    assert v2_task.threads is not None
    assert v2_task.threads[0].turns[0].messages[0].role.value == "critic"  # type: ignore[union-attr]
    with store.lock:
        store.tasks[tid]["status"] = "on_hold"
    on_hold = await api.v2.get_task(task_id=tid)
    assert isinstance(on_hold.status, V2TaskStatus) and on_hold.status.value == "on_hold"


async def test_unknown_annotation_type_in_a_v2_task_does_not_crash(api: Api) -> None:
    store = api.fake.store
    tid = genai_task_id(api)
    with store.lock:
        turn = store.tasks[tid]["_threads"][0]["turns"][0]
        turn["annotations"].append({"id": "73ffff", "key": "mood", "type": "slider", "value": 3})
    task = await api.v2.get_task(task_id=tid)
    assert task.threads is not None
    annotations = task.threads[0].turns[0].annotations or []
    assert len(annotations) == 2
    assert getattr(annotations[-1], "key", None) == "mood"


async def test_per_call_extra_headers_and_max_retries_reach_the_wire(api: Api) -> None:
    task = await image_task(api)
    await api.get_task(task.task_id, extra_headers={"X-Trace-Id": "trace-123"})
    assert last(api).header("x-trace-id") == "trace-123"
    await api.v2.get_projects(extra_headers={"X-Trace-Id": "v2"})
    assert last(api).header("x-trace-id") == "v2" and last(api).authorization == BEARER
    await api.get_task(task.task_id)
    assert last(api).header("x-trace-id") is None  # per call only

    path = f"/v1/task/{task.task_id}"
    api.fake.faults.fail_always("GET", path, 500, retry_after=0)
    with pytest.raises(scale_client.ScaleInternalError):
        await api.get_task(task.task_id, max_retries=1)
    assert [r.status for r in api.fake.requests if r.path == path][-2:] == [500, 500]
    attempts = len([r for r in api.fake.requests if r.path == path])
    with pytest.raises(scale_client.ScaleInternalError):
        await api.get_task(task.task_id, max_retries=0)
    assert len([r for r in api.fake.requests if r.path == path]) == attempts + 1
    with pytest.raises(scale_client.ScaleInternalError):
        await api.get_task(task.task_id)  # client default: max_retries 3 (x-retries)
    assert len([r for r in api.fake.requests if r.path == path]) == attempts + 1 + 4
    assert api.sleeps == [0.0] * 4  # Retry-After: 0 honoured, via the sleep hook


async def _slow_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await asyncio.sleep(0.6 if scope["path"].endswith("/slow") else 0)
    body = b'{"task_id": "t1"}'
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_per_call_timeout(is_async: bool) -> None:
    with serve(_slow_app) as base_url:
        client = make_our_client(base_url, is_async, max_retries=0)
        try:
            api = Api(client, is_async, None)  # type: ignore[arg-type]
            with pytest.raises(scale_client.ScaleClientTimeout) as err:
                await api.get_task("slow", timeout=0.1)
            assert isinstance(err.value, scale_client.ScaleConnectionError)
            assert isinstance(err.value, ScaleException) and err.value.status_code is None
            ok = await api.get_task("slow", timeout=5.0)  # the same call, more time
            assert ok.task_id == "t1"
            raw = await api.with_raw_response.get_task("fast", timeout=2.5)
            assert raw.http_response.request.extensions["timeout"]["read"] == 2.5
            raw = await api.with_raw_response.get_task("fast")
            assert raw.http_response.request.extensions["timeout"]["read"] == 60.0  # default
        finally:
            if is_async:
                await client.aclose()
            else:
                client.close()


async def test_injected_http_client_is_used_and_not_closed(scale_fake: Any) -> None:
    seen: list[str] = []

    def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    with httpx.Client(event_hooks={"request": [hook]}) as http:
        with scale_client.ScaleClient(API_KEY, base_url=scale_fake.base_url, http_client=http) as c:
            assert [p.name for p in c.projects()][0] == "test_project"
        assert not http.is_closed and seen == ["/v1/projects"]
    async with httpx.AsyncClient(event_hooks={"request": [lambda r: _arecord(seen, r)]}) as ahttp:
        async with scale_client.AsyncScaleClient(
            API_KEY, base_url=scale_fake.base_url, http_client=ahttp
        ) as ac:
            assert (await ac.get_project("test_project")).name == "test_project"
        assert not ahttp.is_closed and seen[-1] == "/v1/projects/test_project"


async def _arecord(seen: list[str], request: httpx.Request) -> None:
    seen.append(request.url.path)


# =========================================================================== coverage


def test_every_operation_was_called_by_both_clients(request: pytest.FixtureRequest) -> None:
    """All 64 operations (the fake's routes) answered 2xx/3xx to both clients above."""
    defined = {n for n in dir(request.module) if n.startswith("test_")}
    selected = {
        getattr(i, "originalname", i.name)
        for i in request.session.items
        if getattr(i, "module", None) is request.module
    }
    if defined - selected:
        pytest.skip("run the whole module to check operation coverage")
    expected = all_operations()
    assert len(expected) == 64
    for kind in ("sync", "async"):
        missing = sorted(expected - OPERATIONS_HIT[kind])
        assert missing == [], f"{kind}: never called successfully: {missing}"
