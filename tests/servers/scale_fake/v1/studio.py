"""v1 Studio: labeler assignments, project groups, Studio batches and their priorities."""

from __future__ import annotations

from typing import Any

from ..core import Ctx, bad_request, conflict, not_found
from .routing import R, _store


def _emails_projects(ctx: Ctx) -> tuple[list[str], list[str]]:
    body = ctx.obj()
    ctx.store.require(body, "emails", "projects")
    for name in body["projects"]:
        ctx.store.project(name)
    return list(body["emails"]), list(body["projects"])


@R("GET", "/v1/studio/assignments")
def list_assignments(ctx: Ctx) -> Any:
    return {e: list(p) for e, p in _store(ctx).assignments.items()}


@R("POST", "/v1/studio/assignments/add")
def add_assignments(ctx: Ctx) -> Any:
    s = _store(ctx)
    emails, projects = _emails_projects(ctx)
    for e in emails:
        current = s.assignments.setdefault(e, [])
        current.extend(p for p in projects if p not in current)
    return list_assignments(ctx)


@R("POST", "/v1/studio/assignments/remove")
def remove_assignments(ctx: Ctx) -> Any:
    s = _store(ctx)
    emails, projects = _emails_projects(ctx)
    for e in emails:
        if e in s.assignments:
            s.assignments[e] = [p for p in s.assignments[e] if p not in projects]
    return list_assignments(ctx)


def _group_view(g: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": g["id"],
        "name": g["name"],
        "numWorkers": len(g["workers"]),
        "isSingleton": False,
        "workers": [dict(w) for w in g["workers"]],
    }


@R("GET", "/v1/studio/projects/{project}/groups")
def list_groups(ctx: Ctx, project: str) -> Any:
    s = _store(ctx)
    s.project(project)
    return [_group_view(g) for g in s.groups.get(project, [])]


@R("POST", "/v1/studio/projects/{project}/groups")
def create_group(ctx: Ctx, project: str) -> Any:
    s = _store(ctx)
    s.project(project)
    body = ctx.obj()
    s.require(body, "name")
    groups = s.groups.setdefault(project, [])
    if any(g["name"] == body["name"] for g in groups):
        raise conflict(f'A group named "{body["name"]}" already exists in project "{project}"')
    g = {
        "id": s.new_id("group"),
        "name": body["name"],
        "workers": [{"id": s.new_id("worker"), "email": e} for e in body.get("emails") or []],
    }
    groups.append(g)
    return _group_view(g)


@R("PUT", "/v1/studio/projects/{project}/groups/{group}")
def update_group(ctx: Ctx, project: str, group: str) -> Any:
    s = _store(ctx)
    s.project(project)
    g = next((g for g in s.groups.get(project, []) if g["name"] == group), None)
    if g is None:
        raise not_found(f'Group "{group}" not found in project "{project}"')
    body = ctx.obj()
    drop = set(body.get("remove_emails") or [])
    g["workers"] = [w for w in g["workers"] if w["email"] not in drop]
    have = {w["email"] for w in g["workers"]}
    for e in body.get("add_emails") or []:
        if e not in have:
            g["workers"].append({"id": s.new_id("worker"), "email": e})
            have.add(e)
    return _group_view(g)


@R("GET", "/v1/studio/batches")
def list_studio_batches(ctx: Ctx) -> Any:
    return _store(ctx).studio_batches()


@R("POST", "/v1/studio/batches/set_priorities")
def set_priorities(ctx: Ctx) -> Any:
    s = _store(ctx)
    body = ctx.obj()
    s.require(body, "batches")
    names = [b.get("name") if isinstance(b, dict) else None for b in body["batches"]]
    pending = {b["name"] for b in s.studio_batches()}
    if None in names or set(names) != pending or len(names) != len(pending):
        raise bad_request("batches must list every pending studio batch exactly once")
    s.studio_priorities = list(names)  # type: ignore[arg-type]
    return s.studio_batches()


@R("POST", "/v1/studio/batches/reset_priorities")
def reset_priorities(ctx: Ctx) -> Any:
    s = _store(ctx)
    s.studio_priorities = []
    return s.studio_batches()


@R("PUT", "/v1/studio/batches/{name}")
def assign_studio_batch(ctx: Ctx, name: str) -> Any:
    s = _store(ctx)
    b = s.batch(name)
    if not s.projects[b["project"]]["studio"]:
        raise bad_request(f'Batch "{name}" is not in a Studio project')
    body = ctx.obj()
    groups = body.get("groups")
    if not isinstance(groups, list):
        raise bad_request('Parameter is invalid, reason: "groups" is required')
    known = {g["name"] for g in s.groups.get(b["project"], [])}
    missing = [g for g in groups if g not in known]
    if missing:
        raise not_found(f"Unknown project group(s): {', '.join(map(str, missing))}")
    b["_groups"] = list(groups)
    return next(x for x in s.studio_batches() if x["name"] == name)
