"""How v2 renders projects, batches and tasks (``expand`` inlines referenced objects), and the
id-or-name references of the requests (``project_id`` / ``project_name``, ``batch_id`` /
``batch_name``)."""

from __future__ import annotations

from typing import Any

from ..core import Ctx, bad_request, not_found
from ..store import Store, public


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
