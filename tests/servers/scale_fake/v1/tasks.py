"""v1 tasks: create (per task type), get, cancel, audit, unique_id set/clear, metadata, tags
(set, add, delete) and the cursor-paged task list; ``task_view`` renders a stored task."""

from __future__ import annotations

from typing import Any

from ..core import ApiError, Ctx, bad_request, conflict, decode_token, encode_token, parse_time, utc
from ..store import TASK_REQUIRED, TASK_TYPES, Store, public
from .routing import R, _store


def task_view(
    t: dict[str, Any], *, attachment_url: bool = False, limited: bool = False
) -> dict[str, Any]:
    if limited:
        return {k: t[k] for k in ("task_id", "status", "metadata", "project") if k in t}
    out = public(t)
    if attachment_url:
        att = t["params"].get("attachment")
        atts = t["params"].get("attachments")
        if isinstance(att, str):
            out["attachment_url"] = f"https://scale-fake.invalid/signed/{t['task_id']}/0"
        if isinstance(atts, list):
            out["attachment_urls"] = [
                f"https://scale-fake.invalid/signed/{t['task_id']}/{i}" for i in range(len(atts))
            ]
    return out


@R("POST", "/v1/task/{task_type}")
def create_task(ctx: Ctx, task_type: str) -> Any:
    s = _store(ctx)
    if task_type not in TASK_TYPES:
        raise bad_request(f'Invalid task type "{task_type}"')
    if task_type in s.not_enabled:
        raise ApiError(
            402,
            f"Task type {task_type} is not enabled for your account; "
            "please contact sales@scale.com before creating this type of task.",
        )
    body = ctx.obj()
    s.require(body, *TASK_REQUIRED.get(task_type, ()))
    _check_task_refs(s, body)
    return task_view(s.add_task(task_type, body, test_mode=ctx.api_key.startswith("test_")))


def _check_task_refs(s: Store, body: dict[str, Any]) -> None:
    if body.get("project") is not None:
        s.project(body["project"], status=400)
    if body.get("batch") is not None:
        b = s.batch(body["batch"], status=400)
        if body.get("project") and b["project"] != body["project"]:
            raise bad_request(f'Batch "{b["name"]}" does not belong to project "{body["project"]}"')
        if b["status"] == "completed":
            raise bad_request(f'Batch "{b["name"]}" is already completed')
    uid = body.get("unique_id")
    if uid is not None and uid in s.unique_ids:
        raise conflict(f'The unique_id ("{uid}") is already used for a different task.')
    for key in ("metadata",):
        if key in body and body[key] is not None and not isinstance(body[key], dict):
            raise bad_request(f'"{key}" must be an object')
    if "tags" in body and body["tags"] is not None and not isinstance(body["tags"], list):
        raise bad_request('"tags" must be an array')


@R("GET", "/v1/task/{task_id}")
def get_task(ctx: Ctx, task_id: str) -> Any:
    return task_view(_store(ctx).task(task_id))


@R("POST", "/v1/task/{task_id}/cancel")
def cancel_task(ctx: Ctx, task_id: str) -> Any:
    s = _store(ctx)
    t = s.task(task_id)
    if t["status"] == "canceled":
        raise bad_request(f"Task {task_id} has already been canceled")
    if t["status"] == "completed":
        raise bad_request(f"Task {task_id} is already completed and cannot be canceled")
    t["status"] = "canceled"
    t["updated_at"] = utc(s.now())
    if ctx.qbool("clear_unique_id", False) and "unique_id" in t:
        s.unique_ids.pop(t.pop("unique_id"), None)
    return task_view(t)


@R("POST", "/v1/task/{task_id}/audit")
def audit_task(ctx: Ctx, task_id: str) -> Any:
    s = _store(ctx)
    t = s.task(task_id)
    body = ctx.obj()
    if not isinstance(body.get("accepted"), bool):
        raise bad_request('Parameter is invalid, reason: "accepted" must be a boolean')
    if body.get("comments") is not None and not isinstance(body["comments"], str):
        raise bad_request('"comments" must be a string')
    if t["status"] != "completed":
        raise bad_request(f"Task {task_id} is not completed and cannot be audited")
    t["customer_review_status"] = "accepted" if body["accepted"] else "rejected"
    t["audits"].append(
        {
            "audited_by": "owner@example.com",
            "audited_at": utc(s.now()),
            "accepted": body["accepted"],
            "comments": body.get("comments"),
            "source": "customer",
        }
    )
    return task_view(t)


@R("POST", "/v1/task/{task_id}/unique_id")
def set_unique_id(ctx: Ctx, task_id: str) -> Any:
    s = _store(ctx)
    t = s.task(task_id)
    body = ctx.obj()
    s.require(body, "unique_id")
    uid = body["unique_id"]
    if not isinstance(uid, str):
        raise bad_request('"unique_id" must be a string')
    owner = s.unique_ids.get(uid)
    if owner is not None and owner != task_id:
        raise conflict(f'The unique_id ("{uid}") is already used for a different task.')
    if "unique_id" in t:
        s.unique_ids.pop(t["unique_id"], None)
    t["unique_id"] = uid
    s.unique_ids[uid] = task_id
    return task_view(t)


@R("DELETE", "/v1/task/{task_id}/unique_id")
def clear_unique_id(ctx: Ctx, task_id: str) -> Any:
    s = _store(ctx)
    t = s.task(task_id)
    if "unique_id" in t:
        s.unique_ids.pop(t.pop("unique_id"), None)
    return task_view(t)


@R("POST", "/v1/task/{task_id}/setMetadata")
def set_task_metadata(ctx: Ctx, task_id: str) -> Any:
    t = _store(ctx).task(task_id)
    body = ctx.body
    if not isinstance(body, dict):
        raise bad_request("Metadata must be a JSON object")
    t["metadata"] = body
    return task_view(t)


@R("POST", "/v1/task/{task_id}/tags")
def set_tags(ctx: Ctx, task_id: str) -> Any:
    t = _store(ctx).task(task_id)
    t["tags"] = list(dict.fromkeys(ctx.str_list()))
    return task_view(t)


@R("PUT", "/v1/task/{task_id}/tags")
def add_tags(ctx: Ctx, task_id: str) -> Any:
    t = _store(ctx).task(task_id)
    t["tags"] = list(dict.fromkeys(t["tags"] + ctx.str_list()))
    return task_view(t)


@R("DELETE", "/v1/task/{task_id}/tags")
def delete_tags(ctx: Ctx, task_id: str) -> Any:
    t = _store(ctx).task(task_id)
    drop = set(ctx.str_list())
    t["tags"] = [x for x in t["tags"] if x not in drop]
    return task_view(t)


@R("GET", "/v1/tasks")
def list_tasks(ctx: Ctx) -> Any:
    s = _store(ctx)
    limit = ctx.qint("limit", s.page_size, 1, 100)
    offset = decode_token(ctx.q("next_token"))
    project, batch = ctx.q("project"), ctx.q("batch")
    if project is not None:
        s.project(project, status=400)
    if batch is not None:
        s.batch(batch, status=400)
    status, type_ = ctx.q("status"), ctx.q("type")
    uids, tags = ctx.qall("unique_id"), ctx.qall("tags")
    review = ctx.qlist_csv("customer_review_status")
    windows = [
        ("created_at", ctx.qtime("start_time"), ctx.qtime("end_time")),
        ("completed_at", ctx.qtime("completed_after"), ctx.qtime("completed_before")),
        ("updated_at", ctx.qtime("updated_after"), ctx.qtime("updated_before")),
    ]

    def keep(t: dict[str, Any]) -> bool:
        if project is not None and t.get("project") != project:
            return False
        if batch is not None and t.get("batch") != batch:
            return False
        if status is not None and t["status"] != status:
            return False
        if type_ is not None and t["type"] != type_:
            return False
        if uids and t.get("unique_id") not in uids:
            return False
        if tags and not set(tags) & set(t["tags"]):
            return False
        if review and t.get("customer_review_status") not in review:
            return False
        for key, after, before in windows:
            if after is None and before is None:
                continue
            if key not in t:
                return False
            when = parse_time(t[key])
            if (after and when < after) or (before and when > before):
                return False
        return True

    matched = [t for t in s.tasks.values() if keep(t)]
    page = matched[offset : offset + limit]
    has_more = offset + limit < len(matched)
    attach = bool(ctx.qbool("include_attachment_url", False))
    limited = bool(ctx.qbool("limited_response", False))
    out = {
        "docs": [task_view(t, attachment_url=attach, limited=limited) for t in page],
        "total": len(matched),
        "limit": limit,
        "offset": offset,
        "has_more": has_more,
    }
    if has_more:
        out["next_token"] = encode_token(offset + limit)
    return out
