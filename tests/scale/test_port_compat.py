"""Porting from scaleapi 2.18.4: ``client.v2_get_tasks(...)``, the ``Task`` methods and
one-page lists (``tasks()`` / ``batches()``) that iterate like scaleapi's list subclasses.

scaleapi's root-level generator ``ScaleClient.v2_get_tasks`` is an ``x-methods`` entry
placed on the client (``resource: ""``) over ``GET /v2/tasks``; its ``Task`` methods
(``task.audit(accepted, comments)``, ``task.set_tags(tags)``, ...) are ``x-links`` that
forward their arguments to the client method. Every test runs against the served Scale
fake, sync and async (the ``api`` fixture, see ``tests/scale/conftest.py``), and checks
both what reached the fake (``api.fake.requests``) and what came back.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest
import scaleapi
import scaleapi.projects
import scaleapi.tasks
from scale_client import (
    AsyncScaleClient,
    Batch,
    Batchlist,
    ExpandableEnumTask,
    Project,
    ScaleClient,
    Task,
    Tasklist,
    TaskReviewStatus,
    TaskStatus,
    TaskTemplate,
    TaskType,
    V2Project,
    V2Task,
    V2TaskStatus,
)

import clientcore
from tests.scale.conftest import Api
from tests.scale.parity_cases import API_KEY
from tests.servers.wire import RecordedRequest

BEARER = f"Bearer {API_KEY}"
GENAI = "GenAI Demo"
IMG = "http://i.imgur.com/v4cBreD.jpg"


def q(rec: RecordedRequest) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in rec.query:
        out.setdefault(k, []).append(v)
    return out


def genai_task_ids(api: Api) -> list[str]:
    """The fake's tasks of the GenAI project, in its listing order."""
    return [t["task_id"] for t in api.fake.store.tasks.values() if t.get("project") == GENAI]


def add_genai_tasks(api: Api, count: int) -> None:
    for i in range(count):
        api.fake.store.add_task(
            "chat", {"project": GENAI, "batch": "genai_batch_1", "metadata": {"extra": i}}
        )


async def image_task(api: Api, **kw: Any) -> Task:
    task = await api.create_task(
        TaskType.ImageAnnotation,
        project="test_project",
        attachment=IMG,
        attachment_type="image",
        geometries={"box": {"objects_to_annotate": ["car"]}},
        **kw,
    )
    assert type(task) is Task
    api.fake.requests.clear()
    return task


def only(api: Api) -> RecordedRequest:
    """The one request the fake received since the last ``requests.clear()``."""
    assert len(api.fake.requests) == 1, api.fake.requests
    return api.fake.requests[0]


# =========================================================================== v2_get_tasks


def test_v2_get_tasks_is_on_the_client_with_scaleapis_arguments() -> None:
    theirs = [n for n in inspect.signature(scaleapi.ScaleClient.v2_get_tasks).parameters]
    assert theirs[0] == "self"
    for cls in (ScaleClient, AsyncScaleClient):
        ours = inspect.signature(cls.v2_get_tasks).parameters
        assert list(ours)[: len(theirs)] == theirs  # same names, same order
        assert "next_token" not in ours  # the pager owns the cursor
        assert all(ours[n].default is None for n in theirs[1:])  # all optional, as in scaleapi
    # a pager, not a coroutine: `async for task in aclient.v2_get_tasks(...)`
    assert not inspect.iscoroutinefunction(AsyncScaleClient.v2_get_tasks)
    assert "v2_get_tasks" not in dir(ScaleClient(API_KEY).v2)


async def test_v2_get_tasks_iterates_every_page(api: Api) -> None:
    add_genai_tasks(api, 4)  # 7 GenAI tasks; the fake's page size is 2 -> 4 pages
    expected = genai_task_ids(api)
    assert len(expected) == 7 and api.fake.store.page_size == 2
    pager = api.client.v2_get_tasks(project_name=GENAI)
    assert isinstance(pager, clientcore.AsyncPager if api.is_async else clientcore.SyncPager)
    assert api.fake.requests == []  # lazy: nothing sent before iterating
    tasks = await api.collect(pager)
    assert [t.task_id for t in tasks] == expected  # every task once, in order
    assert all(type(t) is V2Task for t in tasks)
    sent = api.fake.requests
    assert [(r.method, r.raw_path) for r in sent] == [("GET", "/v2/tasks")] * 4
    assert all(r.authorization == BEARER for r in sent)
    assert q(sent[0]) == {"project_name": [GENAI]}  # no next_token on the first page
    for before, after in zip(sent[:-1], sent[1:], strict=True):
        token = json.loads(before.response_body)["next_token"]
        assert q(after) == {"project_name": [GENAI], "next_token": [token]}
    assert "next_token" not in json.loads(sent[-1].response_body)


async def test_v2_get_tasks_sends_filters_on_every_page(api: Api) -> None:
    completed = genai_task_ids(api)  # the 3 seeded GenAI tasks are completed
    add_genai_tasks(api, 2)  # pending: filtered out by the fake
    tasks = await api.collect(
        api.client.v2_get_tasks(
            batch_name="genai_batch_1",
            status=V2TaskStatus.COMPLETED,
            limit=1,
            expand=[ExpandableEnumTask.PROJECT],
        )
    )
    assert [t.task_id for t in tasks] == completed
    assert all(t.status == V2TaskStatus.COMPLETED for t in tasks)
    assert all(isinstance(t.project, V2Project) and t.project.name == GENAI for t in tasks)
    sent = api.fake.requests
    assert len(sent) == 3  # limit=1: one task per page
    for rec in sent:
        query = q(rec)
        assert query["batch_name"] == ["genai_batch_1"] and query["status"] == ["completed"]
        assert query["limit"] == ["1"] and query["expand"] == ["project"]


async def test_v2_get_tasks_iterates_again_from_the_start(api: Api) -> None:
    pager = api.client.v2_get_tasks(project_name=GENAI)
    first = [t.task_id for t in await api.collect(pager)]
    second = [t.task_id for t in await api.collect(pager)]
    assert first == second == genai_task_ids(api)
    assert len(api.fake.requests) == 4  # 2 pages, twice


# =========================================================================== Task methods


SCALEAPI_TASK_METHODS = (
    "refresh",
    "cancel",
    "audit",
    "update_unique_id",
    "clear_unique_id",
    "set_metadata",
    "set_tags",
    "add_tags",
    "delete_tags",
)


@pytest.mark.parametrize("name", SCALEAPI_TASK_METHODS)
def test_task_methods_take_scaleapis_positional_arguments(name: str) -> None:
    theirs = inspect.signature(getattr(scaleapi.tasks.Task, name)).parameters
    for method in (getattr(Task, name), getattr(Task, "a" + name)):
        ours = inspect.signature(method).parameters
        positional = [
            n for n, p in ours.items() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        ]
        assert positional == list(theirs), name  # self + scaleapi's arguments, in order
        for n in list(theirs)[1:]:
            required = theirs[n].default is inspect.Parameter.empty
            assert (ours[n].default is inspect.Parameter.empty) == required, n
        assert {"extra_headers", "timeout", "max_retries"} <= set(ours)
    assert inspect.iscoroutinefunction(getattr(Task, "a" + name))


async def test_task_audit(api: Api) -> None:
    store = api.fake.store
    task, other = await image_task(api), await image_task(api)
    store.complete_task(task.task_id)
    store.complete_task(other.task_id)
    assert await api.link(task, "audit", True, "looks right") is None  # scaleapi's positions
    rec = only(api)
    assert (rec.method, rec.raw_path) == ("POST", f"/v1/task/{task.task_id}/audit")
    assert rec.json == {"accepted": True, "comments": "looks right"}
    assert store.tasks[task.task_id]["customer_review_status"] == "accepted"
    api.fake.requests.clear()
    assert await api.link(other, "audit", accepted=False) is None
    assert only(api).json == {"accepted": False, "comments": None}  # comments always sent
    assert store.tasks[other.task_id]["customer_review_status"] == "rejected"
    refreshed = await api.link(other, "refresh")
    assert refreshed.customer_review_status == TaskReviewStatus.Rejected
    with pytest.raises(TypeError):
        await api.link(task, "audit")  # accepted stays required


async def test_task_update_and_clear_unique_id(api: Api) -> None:
    store = api.fake.store
    task = await image_task(api)
    updated = await api.link(task, "update_unique_id", "port-uid")
    rec = only(api)
    assert (rec.method, rec.raw_path) == ("POST", f"/v1/task/{task.task_id}/unique_id")
    assert rec.json == {"unique_id": "port-uid"}
    assert type(updated) is Task and updated.unique_id == "port-uid"
    assert store.unique_ids == {"port-uid": task.task_id}
    api.fake.requests.clear()
    cleared = await api.link(task, "clear_unique_id")
    rec = only(api)
    assert (rec.method, rec.raw_path, rec.body) == (
        "DELETE",
        f"/v1/task/{task.task_id}/unique_id",
        b"",
    )
    assert type(cleared) is Task and cleared.unique_id is None and store.unique_ids == {}


async def test_task_set_metadata(api: Api) -> None:
    task = await image_task(api, metadata={"old": True})
    meta = {"nested": {"a": [1, None]}, "name": "x/y z"}
    updated = await api.link(task, "set_metadata", meta)
    rec = only(api)
    assert (rec.method, rec.raw_path) == ("POST", f"/v1/task/{task.task_id}/setMetadata")
    assert rec.json == meta  # the whole body
    assert type(updated) is Task and updated.metadata == meta
    assert api.fake.store.tasks[task.task_id]["metadata"] == meta


@pytest.mark.parametrize(
    ("name", "method", "start", "tags", "after"),
    [
        ("set_tags", "POST", ["a", "b"], ["c", "d"], ["c", "d"]),
        ("add_tags", "PUT", ["a", "b"], ["b", "c"], ["a", "b", "c"]),
        ("delete_tags", "DELETE", ["a", "b", "c"], ["a", "c"], ["b"]),
    ],
)
async def test_task_tags(
    api: Api, name: str, method: str, start: list[str], tags: list[str], after: list[str]
) -> None:
    task = await image_task(api, tags=start)
    result = await api.link(task, name, tags)
    rec = only(api)
    assert (rec.method, rec.raw_path) == (method, f"/v1/task/{task.task_id}/tags")
    assert rec.json == tags  # a bare JSON array, as scaleapi sends
    assert type(result) is Task and result.tags == after
    assert api.fake.store.tasks[task.task_id]["tags"] == after
    assert task.tags == start  # no update: the link returns the new task, self is untouched


async def test_task_cancel(api: Api) -> None:
    store = api.fake.store
    task = await image_task(api, unique_id="cancel-me")
    canceled = await api.link(task, "cancel", True)  # scaleapi: task.cancel(clear_unique_id)
    rec = only(api)
    assert (rec.method, rec.raw_path) == ("POST", f"/v1/task/{task.task_id}/cancel")
    assert q(rec) == {"clear_unique_id": ["true"]}
    assert type(canceled) is Task and canceled.status == TaskStatus.Canceled
    assert canceled.unique_id is None and "cancel-me" not in store.unique_ids
    other = await image_task(api, unique_id="keep-me")
    canceled = await api.link(other, "cancel")
    assert only(api).query_string == ""  # clear_unique_id omitted when not given
    assert canceled.status == TaskStatus.Canceled and store.unique_ids == {"keep-me": other.task_id}


async def test_task_refresh_updates_in_place(api: Api) -> None:
    task = await image_task(api)
    api.fake.store.complete_task(task.task_id, {"annotations": [1]})
    same = await api.link(task, "refresh", extra_headers={"x-port": "yes"})
    rec = only(api)
    assert (rec.method, rec.raw_path) == ("GET", f"/v1/task/{task.task_id}")
    assert rec.header("x-port") == "yes"  # per-call options pass through
    assert same is task and task.status == TaskStatus.Completed
    assert task.response == {"annotations": [1]}


async def test_task_link_options_pass_through(api: Api) -> None:
    task = await image_task(api)
    result = await api.link(task, "set_tags", ["t"], extra_headers={"x-trace": "7"}, max_retries=0)
    assert only(api).header("x-trace") == "7" and result.tags == ["t"]


async def test_task_links_need_the_right_client(api: Api) -> None:
    task = await image_task(api)
    wrong = getattr(task, "set_tags" if api.is_async else "aset_tags")
    with pytest.raises(TypeError, match="needs a model returned by"):
        result = wrong(["x"])
        if inspect.isawaitable(result):
            await result
    assert api.fake.requests == []  # refused before anything was sent


async def test_project_get_template(api: Api) -> None:
    project = await api.create_project(project_name="tpl", task_type=TaskType.TextCollection)
    assert type(project) is Project
    api.fake.requests.clear()
    template = await api.link(project, "get_template")
    rec = only(api)
    assert (rec.method, rec.raw_path) == ("GET", "/v1/projects/tpl/taskTemplates")
    assert type(template) is TaskTemplate and template.version == 1
    theirs = inspect.signature(scaleapi.projects.Project.get_template).parameters
    assert [
        n
        for n, p in inspect.signature(Project.get_template).parameters.items()
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ] == list(theirs)


# =========================================================================== one-page lists
# scaleapi's ``tasks()`` / ``batches()`` return list subclasses (``Tasklist``/``Batchlist``):
# ported code loops over the page and takes its ``len``. Ours are page models that do the
# same over their ``docs`` (iterating a plain pydantic model would yield field pairs).


async def test_tasks_page_iterates_like_scaleapis_tasklist(api: Api, scaleapi_client: Any) -> None:
    add_genai_tasks(api, 2)  # 5 GenAI tasks
    page = await api.tasks(project=GENAI, limit=4)
    assert type(page) is Tasklist and isinstance(page, clientcore.PageModel)
    wire = json.loads(only(api).response_body)
    assert len(wire["docs"]) == 4 and wire["has_more"] is True  # a page, not everything
    tasks = [task for task in page]
    assert all(type(t) is Task for t in tasks)
    assert [t.task_id for t in tasks] == [d["task_id"] for d in wire["docs"]]
    assert tasks == page.docs and list(page) == page.docs  # the items themselves
    assert len(page) == len(wire["docs"]) == 4
    assert type(page[0]) is Task and page[0].task_id == wire["docs"][0]["task_id"]
    assert page[-1] is page.docs[-1] and page[1:3] == page.docs[1:3]
    with pytest.raises(IndexError):
        page[4]
    # the page's fields are unchanged
    assert page.total == wire["total"] == 5 and page.has_more is True
    assert page.next_token == wire["next_token"]
    assert page.model_dump(by_alias=True)["docs"][0]["task_id"] == wire["docs"][0]["task_id"]
    # what scaleapi's list subclass gives for the same call
    theirs = scaleapi_client.tasks(project=GENAI, limit=4)
    assert isinstance(theirs, list) and len(theirs) == len(page)
    assert [t.id for t in theirs] == [t.task_id for t in page]


async def test_batches_page_iterates_like_scaleapis_batchlist(
    api: Api, scaleapi_client: Any
) -> None:
    for i in range(3):
        api.fake.store.add_batch(GENAI, f"extra_batch_{i}")  # 4 GenAI batches
    page = await api.batches(project=GENAI, limit=3)
    assert type(page) is Batchlist and isinstance(page, clientcore.PageModel)
    wire = json.loads(only(api).response_body)
    assert len(wire["docs"]) == 3 and wire["has_more"] is True
    batches = [batch for batch in page]
    assert all(type(b) is Batch for b in batches)
    assert [b.name for b in batches] == [d["name"] for d in wire["docs"]]
    assert batches == page.docs
    assert len(page) == len(wire["docs"]) == 3
    assert type(page[0]) is Batch and page[0].name == wire["docs"][0]["name"]
    assert page.total == wire["totalDocs"] == 4 and page.offset == 0 and page.limit == 3
    theirs = scaleapi_client.batches(project=GENAI, limit=3)
    assert isinstance(theirs, list) and len(theirs) == len(page)
    assert [b.name for b in theirs] == [b.name for b in page]


async def test_empty_page_is_empty_and_falsy_like_a_list(api: Api) -> None:
    page = await api.tasks(project=GENAI, status="canceled")
    assert json.loads(only(api).response_body)["docs"] == []
    assert list(page) == [] and len(page) == 0 and not page
    with pytest.raises(IndexError):
        page[0]
    assert page.total == 0 and page.docs == []


async def test_pages_items_stay_linked_to_the_client(api: Api) -> None:
    page = await api.tasks(project=GENAI)
    task = page[0]
    api.fake.requests.clear()
    result = await api.link(task, "set_tags", ["from-page"])
    assert only(api).raw_path == f"/v1/task/{task.task_id}/tags"
    assert result.tags == ["from-page"]
