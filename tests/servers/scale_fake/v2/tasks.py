"""v2 tasks: get one, the filtered token-paged list, create a chat task, set (or merge) metadata."""

from __future__ import annotations

from typing import Any

from ..core import Ctx, bad_request
from ..store import Store, deep_merge
from .routing import R, _expand, _page, _store, _window
from .views import _batch_ref, _project_ref, task_v2


def _task_filter(ctx: Ctx, s: Store) -> list[dict[str, Any]]:
    p = _project_ref(ctx, s, ctx.q("project_id"), ctx.q("project_name"), required=False)
    b = _batch_ref(s, ctx.q("batch_id"), ctx.q("batch_name"), required=False)
    status = ctx.q("status")
    if status is not None and status not in (
        "pending",
        "completed",
        "canceled",
        "error",
        "deleted",
    ):
        raise bad_request(f'Invalid status "{status}"')
    after, before = ctx.qtime("completed_after"), ctx.qtime("completed_before")
    return [
        t
        for t in s.tasks.values()
        if t.get("project")
        and (p is None or t["project"] == p["name"])
        and (b is None or t.get("batch") == b["name"])
        and (status is None or t["status"] == status)
        and _window(t.get("completed_at"), after, before)
    ]


@R("GET", "/v2/task")
def get_task(ctx: Ctx) -> Any:
    s = _store(ctx)
    tid = ctx.q("task_id")
    if not tid:
        raise bad_request("task_id is required")
    expand = _expand(ctx, ("project", "batch"))
    return task_v2(s, s.task(tid), expand)


@R("GET", "/v2/tasks")
def get_tasks(ctx: Ctx) -> Any:
    s = _store(ctx)
    expand = _expand(ctx, ("project", "batch"))
    return _page(ctx, [task_v2(s, t, expand) for t in _task_filter(ctx, s)], "tasks")


@R("POST", "/v2/task/chat")
def create_chat_task(ctx: Ctx) -> Any:
    s = _store(ctx)
    body = ctx.obj()
    p = _project_ref(ctx, s, body.get("project_id"), body.get("project_name"))
    b = _batch_ref(s, body.get("batch_id"), body.get("batch_name"), required=False)
    assert p is not None
    if b is not None and b["project"] != p["name"]:
        raise bad_request("Batch does not belong to the project")
    payload: dict[str, Any] = {
        "project": p["name"],
        "metadata": body.get("metadata") or {},
        "template_variables": body.get("template_variables") or {},
    }
    if b is not None:
        payload["batch"] = b["name"]
    if body.get("callback_url"):
        payload["callback_url"] = body["callback_url"]
    return task_v2(s, s.add_task("chat", payload))


@R("POST", "/v2/task/metadata")
def set_task_metadata(ctx: Ctx) -> Any:
    s = _store(ctx)
    body = ctx.obj()
    if not body.get("task_id"):
        raise bad_request("task_id is required")
    if not isinstance(body.get("metadata"), dict):
        raise bad_request("metadata is required and must be an object")
    t = s.task(body["task_id"])
    t["metadata"] = (
        deep_merge(t["metadata"], body["metadata"]) if body.get("merge") else body["metadata"]
    )
    return task_v2(s, t)
