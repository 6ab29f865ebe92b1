"""v2 batches: get, create, the filtered list, the lifecycle operations (finalize, pause,
resume, cancel) and metadata."""

from __future__ import annotations

from typing import Any

from ..core import Ctx, bad_request, conflict, utc
from ..store import Store, deep_merge
from .routing import R, _expand, _page, _store, _window
from .views import _batch_ref, _project_ref, batch_v2

V2_BATCH_STATUSES = ("staging", "in_progress", "completed", "paused", "cancelled")


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
