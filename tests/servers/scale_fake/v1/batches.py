"""v1 batches: create, get, finalize, status counts, metadata and the offset-paged batch list."""

from __future__ import annotations

from typing import Any

from ..core import Ctx, bad_request, conflict, parse_time, utc
from ..store import public
from .routing import R, _store


@R("POST", "/v1/batches")
def create_batch(ctx: Ctx) -> Any:
    s = _store(ctx)
    body = ctx.obj()
    s.require(body, "project", "name")
    s.project(body["project"], status=400)
    if body["name"] in s.batches:
        raise conflict(f'A batch with name "{body["name"]}" already exists')
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        raise bad_request('"metadata" must be an object')
    b = s.add_batch(
        body["project"],
        body["name"],
        callback=body.get("callback") or "",
        calibration=bool(body.get("calibration_batch")),
        self_label=bool(body.get("self_label_batch")),
        metadata=body.get("metadata"),
    )
    return public(b)


@R("GET", "/v1/batches/{name}")
def get_batch(ctx: Ctx, name: str) -> Any:
    return public(_store(ctx).batch(name))


@R("POST", "/v1/batches/{name}/finalize")
def finalize_batch(ctx: Ctx, name: str) -> Any:
    s = _store(ctx)
    b = s.batch(name)
    if b["status"] == "staging":
        b["status"] = "in_progress"
        b["updated_at"] = utc(s.now())
    return public(b)


@R("GET", "/v1/batches/{name}/status")
def batch_status(ctx: Ctx, name: str) -> Any:
    s = _store(ctx)
    b = s.batch(name)
    out: dict[str, Any] = {"status": b["status"]}
    for t in s.tasks.values():
        if t.get("batch") == name:
            out[t["status"]] = out.get(t["status"], 0) + 1
    return out


@R("POST", "/v1/batches/{name}/setMetadata")
def set_batch_metadata(ctx: Ctx, name: str) -> Any:
    b = _store(ctx).batch(name)
    if not isinstance(ctx.body, dict):
        raise bad_request("Metadata must be a JSON object")
    b["metadata"] = ctx.body
    return public(b)


@R("GET", "/v1/batches")
def list_batches(ctx: Ctx) -> Any:
    s = _store(ctx)
    limit = ctx.qint("limit", s.page_size, 1, 100)
    offset = ctx.qint("offset", 0, 0)
    project, status = ctx.q("project"), ctx.q("status")
    after, before = ctx.qtime("start_time"), ctx.qtime("end_time")
    exclude_archived = ctx.qbool("exclude_archived", False)
    if project is not None:
        s.project(project, status=400)
    matched = [
        b
        for b in s.batches.values()
        if (project is None or b["project"] == project)
        and (status is None or b["status"] == status)
        and (after is None or parse_time(b["created_at"]) >= after)
        and (before is None or parse_time(b["created_at"]) <= before)
        and not (exclude_archived and b.get("archived"))
    ]
    page = matched[offset : offset + limit]  # type: ignore[operator]
    return {
        "docs": [public(b) for b in page],
        "totalDocs": len(matched),
        "limit": limit,
        "offset": offset,
        "has_more": offset + limit < len(matched),
    }  # type: ignore[operator]
