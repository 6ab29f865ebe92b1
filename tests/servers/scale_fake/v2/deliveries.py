"""v2 deliveries: list, one delivery's tasks (by id, or by name within a project), delivered
tasks with their responses, and the annotations and response schemas they refer to."""

from __future__ import annotations

from typing import Any

from ..core import Ctx, bad_request, not_found
from ..store import Store, public
from .routing import R, _expand, _page, _store, _window
from .views import _project_ref, project_v2, task_v2


def delivery_v2(s: Store, d: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    p = s.project_by_id(d["project"])
    out = public(d)
    if "project" in expand and p is not None:
        out["project"] = project_v2(p)
    return out


@R("GET", "/v2/deliveries")
def get_deliveries(ctx: Ctx) -> Any:
    s = _store(ctx)
    expand = _expand(ctx, ("project",))
    p = _project_ref(ctx, s, ctx.q("project_id"), ctx.q("project_name"), required=False)
    after, before = ctx.qtime("delivered_after"), ctx.qtime("delivered_before")
    return {
        "deliveries": [
            delivery_v2(s, d, expand)
            for d in s.deliveries.values()
            if (p is None or d["project"] == p["id"]) and _window(d["delivered_at"], after, before)
        ]
    }


def _delivery_ref(ctx: Ctx, s: Store) -> dict[str, Any]:
    did, name = ctx.q("delivery_id"), ctx.q("delivery_name")
    if did:
        d = s.deliveries.get(did)
    elif name:
        p = _project_ref(ctx, s, ctx.q("project_id"), ctx.q("project_name"))
        d = next(
            (x for x in s.deliveries.values() if x["name"] == name and x["project"] == p["id"]),
            None,
        )  # type: ignore[index]
    else:
        raise bad_request("delivery_id, or delivery_name with a project, is required")
    if d is None:
        raise not_found("Delivery not found")
    return d


@R("GET", "/v2/delivery")
def get_delivery(ctx: Ctx) -> Any:
    s = _store(ctx)
    expand = _expand(ctx, ("project", "batch", "delivery"))
    d = _delivery_ref(ctx, s)
    tasks = [task_v2(s, s.tasks[tid], expand) for tid in d["_tasks"]]
    head = {"delivery": delivery_v2(s, d, expand) if "delivery" in expand else d["id"]}
    return _page(ctx, tasks, "tasks", head)


@R("GET", "/v2/delivery/tasks")
def get_delivery_tasks(ctx: Ctx) -> Any:
    s = _store(ctx)
    did = ctx.q("delivery_id")
    if did:
        d = s.deliveries.get(did)
        if d is None:
            raise not_found(f"Delivery {did} not found")
        tasks = [s.tasks[t] for t in d["_tasks"]]
    else:
        p = _project_ref(ctx, s, ctx.q("project_id"), ctx.q("project_name"))
        tasks = [t for t in s.tasks.values() if t.get("project") == p["name"]]  # type: ignore[index]
    status = ctx.q("status")
    after, before = ctx.qtime("completed_after"), ctx.qtime("completed_before")
    tasks = [
        t
        for t in tasks
        if (status is None or t["status"] == status)
        and _window(t.get("completed_at"), after, before)
    ]
    by_task = {tid: d for d in s.deliveries.values() for tid in d["_tasks"]}
    docs = []
    for t in tasks:
        d = by_task.get(t["task_id"])
        docs.append(
            {
                "task_id": t["task_id"],
                "created_at": t["created_at"],
                "delivery_id": d["id"] if d else None,
                "delivered_at": d["delivered_at"] if d else None,
                "response_schema_id": d["_schema"] if d else None,
                "response": t.get("response") if d else None,
            }
        )
    out = _page(ctx, docs, "docs")
    out["total"] = len(out["docs"])
    return out


@R("GET", "/v2/annotation")
def get_annotation(ctx: Ctx) -> Any:
    aid = ctx.q("annotation_id")
    if not aid:
        raise bad_request("annotation_id is required")
    a = _store(ctx).annotations.get(aid)
    if a is None:
        raise not_found(f"Annotation {aid} not found")
    return dict(a)


@R("GET", "/v2/schema")
def get_schema(ctx: Ctx) -> Any:
    sid = ctx.q("schema_id")
    if not sid:
        raise bad_request("schema_id is required")
    schema = _store(ctx).schemas.get(sid)
    if schema is None:
        raise not_found(f"Schema {sid} not found")
    return {"schema": dict(schema)}
