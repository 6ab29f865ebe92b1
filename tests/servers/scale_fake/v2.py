"""The 25 v2 operations. Errors are rendered ``{"status_code": n, "error": msg}`` by the app."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .core import (
    Ctx,
    Redirect,
    Router,
    bad_request,
    conflict,
    decode_token,
    encode_token,
    not_found,
    parse_time,
    utc,
)
from .store import Store, deep_merge, public

router = Router()
R = router.route
V2_BATCH_STATUSES = ("staging", "in_progress", "completed", "paused", "cancelled")


def _store(ctx: Ctx) -> Store:
    return ctx.store  # type: ignore[no-any-return]


def _expand(ctx: Ctx, allowed: tuple[str, ...]) -> set[str]:
    values = set(ctx.qall("expand"))
    bad = values - set(allowed)
    if bad:
        raise bad_request(f"Invalid expand value(s): {', '.join(sorted(bad))}")
    return values


def _page(
    ctx: Ctx, items: list[Any], key: str, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    limit = ctx.qint("limit", _store(ctx).page_size, 1, 100)
    offset = decode_token(ctx.q("next_token"))
    page = items[offset : offset + limit]  # type: ignore[operator]
    out: dict[str, Any] = {**(extra or {}), key: page}
    if offset + limit < len(items):  # type: ignore[operator]
        out["next_token"] = encode_token(offset + limit)  # type: ignore[operator]
    return out


def _window(value: str | None, after: Any, before: Any) -> bool:
    if after is None and before is None:
        return True
    if value is None:
        return False
    when = parse_time(value)
    return not ((after and when < after) or (before and when > before))


# ---------------------------------------------------------------- views


def project_v2(p: dict[str, Any]) -> dict[str, Any]:
    out = {"id": p["id"], "name": p["name"], "created_at": p["created_at"]}
    if p.get("_types"):
        out["types"] = list(p["_types"])
    if p.get("_models"):
        out["models"] = list(p["_models"])
    return out


def batch_v2(s: Store, b: dict[str, Any], expand: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    p = s.projects[b["project"]]
    out = {
        "id": b["id"],
        "name": b["name"],
        "project": project_v2(p) if "project" in expand else p["id"],
        "created_at": b["created_at"],
        "status": b["status"],
        "metadata": dict(b["metadata"]),
    }
    if b.get("callback"):
        out["callback"] = b["callback"]
    if b.get("completed_at"):
        out["completed_at"] = b["completed_at"]
    return out


def task_v2(s: Store, t: dict[str, Any], expand: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    p = s.projects.get(t.get("project", ""))
    proj: Any = "" if p is None else (project_v2(p) if "project" in expand else p["id"])
    out: dict[str, Any] = {
        "task_id": t["task_id"],
        "project": proj,
        "status": t["status"],
        "created_at": t["created_at"],
        "metadata": dict(t["metadata"]),
    }
    if t.get("batch"):
        b = s.batches[t["batch"]]
        out["batch"] = batch_v2(s, b) if "batch" in expand else b["id"]
    if t["status"] == "completed":
        out["completed_at"] = t["completed_at"]
        out["threads"] = public({"t": t.get("_threads", [])})["t"]
    elif t["status"] == "error":
        out["errors"] = [
            {"type": "PROMPT_INFEASIBLE", "message": "The prompt cannot be completed."}
        ]
    else:
        out["threads"] = []
    return out


def _project_ref(
    ctx: Ctx, s: Store, pid: str | None, pname: str | None, required: bool = True
) -> dict[str, Any] | None:
    if pid:
        p = s.project_by_id(pid)
        if p is None:
            raise not_found(f"Project {pid} not found")
        return p
    if pname:
        return s.project(pname)
    if required:
        raise bad_request("One of project_id or project_name is required")
    return None


def _batch_ref(
    s: Store, bid: str | None, bname: str | None, required: bool = True
) -> dict[str, Any] | None:
    if bid:
        b = s.batch_by_id(bid)
        if b is None:
            raise not_found(f"Batch {bid} not found")
        return b
    if bname:
        return s.batch(bname)
    if required:
        raise bad_request("One of batch_id or batch_name is required")
    return None


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


# ---------------------------------------------------------------- tasks


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


# ---------------------------------------------------------------- batches


@R("GET", "/v2/batch")
def get_batch(ctx: Ctx) -> Any:
    s = _store(ctx)
    expand = _expand(ctx, ("project",))
    b = _batch_ref(s, ctx.q("batch_id"), ctx.q("batch_name"))
    return batch_v2(s, b, expand)  # type: ignore[arg-type]


@R("POST", "/v2/batch")
def create_batch(ctx: Ctx) -> Any:
    s = _store(ctx)
    body = ctx.obj()
    s.require(body, "name")
    p = _project_ref(ctx, s, body.get("project_id"), body.get("project_name"))
    if body["name"] in s.batches:
        raise conflict(f'A batch with name "{body["name"]}" already exists')
    assert p is not None
    b = s.add_batch(
        p["name"],
        body["name"],
        callback=body.get("callback") or "",
        metadata=body.get("metadata"),
        status="staging" if body.get("staging_batch") else "in_progress",
    )
    return batch_v2(s, b)


@R("GET", "/v2/batches")
def get_batches(ctx: Ctx) -> Any:
    s = _store(ctx)
    expand = _expand(ctx, ("project",))
    p = _project_ref(ctx, s, ctx.q("project_id"), ctx.q("project_name"), required=False)
    status = ctx.q("status")
    if status is not None and status not in V2_BATCH_STATUSES:
        raise bad_request(f'Invalid status "{status}"')
    c_after, c_before = ctx.qtime("created_after"), ctx.qtime("created_before")
    d_after, d_before = ctx.qtime("completed_after"), ctx.qtime("completed_before")
    items = [
        batch_v2(s, b, expand)
        for b in s.batches.values()
        if (p is None or b["project"] == p["name"])
        and (status is None or b["status"] == status)
        and _window(b["created_at"], c_after, c_before)
        and _window(b.get("completed_at"), d_after, d_before)
    ]
    return _page(ctx, items, "batches")


def _batch_op(
    ctx: Ctx, allowed_from: tuple[str, ...], to: str, verb: str
) -> tuple[Store, dict[str, Any]]:
    s = _store(ctx)
    body = ctx.obj()
    b = _batch_ref(s, body.get("batch_id"), body.get("batch_name"))
    assert b is not None
    if b["status"] not in allowed_from:
        raise bad_request(f'Cannot {verb} a batch with status "{b["status"]}"')
    b["status"] = to
    b["updated_at"] = utc(s.now())
    return s, b


@R("POST", "/v2/batch/finalize")
def finalize_batch(ctx: Ctx) -> Any:
    s, b = _batch_op(ctx, ("staging", "in_progress"), "in_progress", "finalize")
    return batch_v2(s, b)


@R("POST", "/v2/batch/pause")
def pause_batch(ctx: Ctx) -> Any:
    s, b = _batch_op(ctx, ("in_progress",), "paused", "pause")
    return {"batch": batch_v2(s, b), "message": "Batch paused"}


@R("POST", "/v2/batch/resume")
def resume_batch(ctx: Ctx) -> Any:
    s, b = _batch_op(ctx, ("paused",), "in_progress", "resume")
    return {"batch": batch_v2(s, b), "message": "Batch resumed"}


@R("POST", "/v2/batch/cancel")
def cancel_batch(ctx: Ctx) -> Any:
    s, b = _batch_op(ctx, ("staging", "in_progress", "paused"), "cancelled", "cancel")
    for t in s.tasks.values():
        if t.get("batch") == b["name"] and t["status"] == "pending":
            t["status"] = "canceled"
    return {"batch": batch_v2(s, b), "message": "Batch cancelled"}


@R("POST", "/v2/batch/metadata")
def set_batch_metadata(ctx: Ctx) -> Any:
    s = _store(ctx)
    body = ctx.obj()
    if not isinstance(body.get("metadata"), dict):
        raise bad_request("metadata is required and must be an object")
    b = _batch_ref(s, body.get("batch_id"), body.get("batch_name"))
    assert b is not None
    b["metadata"] = (
        deep_merge(b["metadata"], body["metadata"]) if body.get("merge") else body["metadata"]
    )
    return batch_v2(s, b)


# ---------------------------------------------------------------- projects, deliveries


@R("GET", "/v2/project")
def get_project(ctx: Ctx) -> Any:
    s = _store(ctx)
    return project_v2(_project_ref(ctx, s, ctx.q("project_id"), ctx.q("project_name")))  # type: ignore[arg-type]


@R("GET", "/v2/projects")
def get_projects(ctx: Ctx) -> Any:
    s = _store(ctx)
    after, before = ctx.qtime("created_after"), ctx.qtime("created_before")
    return {
        "projects": [
            project_v2(p) for p in s.projects.values() if _window(p["created_at"], after, before)
        ]
    }


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


# ---------------------------------------------------------------- datasets


def _dataset_delivery_v2(s: Store, dd: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    out = public(dd)
    if "dataset" in expand:
        out["dataset"] = dict(s.datasets[dd["dataset"]])
    return out


def _dataset_task_v2(s: Store, t: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    out = public(t)
    if "dataset" in expand:
        out["dataset"] = dict(s.datasets[t["dataset"]])
    if "delivery" in expand:
        out["delivery"] = _dataset_delivery_v2(s, s.dataset_deliveries[t["delivery"]], set())
    return out


@R("GET", "/v2/datasets")
def get_datasets(ctx: Ctx) -> Any:
    return {"datasets": [dict(d) for d in _store(ctx).datasets.values()]}


@R("GET", "/v2/datasets/deliveries")
def get_dataset_deliveries(ctx: Ctx) -> Any:
    s = _store(ctx)
    expand = _expand(ctx, ("dataset",))
    dsid = ctx.q("dataset_id")
    if dsid and dsid not in s.datasets:
        raise not_found(f"Dataset {dsid} not found")
    after, before = ctx.qtime("delivered_after"), ctx.qtime("delivered_before")
    return {
        "deliveries": [
            _dataset_delivery_v2(s, dd, expand)
            for dd in s.dataset_deliveries.values()
            if (not dsid or dd["dataset"] == dsid) and _window(dd["delivered_at"], after, before)
        ]
    }


@R("GET", "/v2/datasets/delivery")
def get_dataset_delivery(ctx: Ctx) -> Any:
    s = _store(ctx)
    expand = _expand(ctx, ("dataset", "delivery"))
    did = ctx.q("delivery_id")
    if not did:
        raise bad_request("delivery_id is required")
    dd = s.dataset_deliveries.get(did)
    if dd is None:
        raise not_found(f"Dataset delivery {did} not found")
    tasks = [
        _dataset_task_v2(s, t, expand) for t in s.dataset_tasks.values() if t["delivery"] == did
    ]
    head = {"delivery": _dataset_delivery_v2(s, dd, expand) if "delivery" in expand else did}
    return _page(ctx, tasks, "tasks", head)


@R("GET", "/v2/datasets/tasks")
def get_dataset_tasks(ctx: Ctx) -> Any:
    s = _store(ctx)
    expand = _expand(ctx, ("dataset", "delivery"))
    dsid, did = ctx.q("dataset_id"), ctx.q("delivery_id")
    after, before = ctx.qtime("delivered_after"), ctx.qtime("delivered_before")
    items = [
        _dataset_task_v2(s, t, expand)
        for t in s.dataset_tasks.values()
        if (not dsid or t["dataset"] == dsid)
        and (not did or t["delivery"] == did)
        and _window(s.dataset_deliveries[t["delivery"]]["delivered_at"], after, before)
    ]
    return _page(ctx, items, "tasks")


@R("GET", "/v2/datasets/task")
def get_dataset_task(ctx: Ctx) -> Any:
    s = _store(ctx)
    expand = _expand(ctx, ("dataset", "delivery"))
    tid = ctx.q("task_id")
    if not tid:
        raise bad_request("task_id is required")
    t = s.dataset_tasks.get(tid)
    if t is None:
        raise not_found(f"Dataset task {tid} not found")
    return _dataset_task_v2(s, t, expand)


@R("GET", "/v2/datasets/task/{task_id}/response_url/{attachment_id}")
def get_dataset_task_response_url(ctx: Ctx, task_id: str, attachment_id: str) -> Any:
    s = _store(ctx)
    t = s.dataset_tasks.get(task_id)
    ids = [a.get("id") for a in (t or {}).get("response", {}).get("attachments", [])]
    if t is None or attachment_id not in ids:
        raise not_found(f"Attachment {attachment_id} not found for task {task_id}")
    return Redirect(
        f"{ctx.base_url}/_files/{quote(task_id, safe='')}/{quote(attachment_id, safe='')}"
    )
