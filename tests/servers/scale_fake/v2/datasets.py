"""v2 datasets: datasets, their deliveries and tasks, and the redirect to a task's response
attachment."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..core import Ctx, Redirect, bad_request, not_found
from ..store import Store, public
from .routing import R, _expand, _page, _store, _window


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
