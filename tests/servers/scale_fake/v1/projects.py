"""v1 projects: create, list, get, versioned params (``setParams``) and task templates."""

from __future__ import annotations

from typing import Any

from ..core import Ctx, bad_request, conflict, utc
from ..store import TASK_TYPES, public
from .routing import R, _store


def project_view(p: dict[str, Any]) -> dict[str, Any]:
    return public(p)


@R("POST", "/v1/projects")
def create_project(ctx: Ctx) -> Any:
    s = _store(ctx)
    body = ctx.obj()
    s.require(body, "name", "type")
    if body["type"] not in TASK_TYPES:
        raise bad_request(f'Invalid project type "{body["type"]}"')
    if body["name"] in s.projects:
        raise conflict(f'A project with name "{body["name"]}" already exists')
    if body.get("params") is not None and not isinstance(body["params"], dict):
        raise bad_request('"params" must be an object')
    p = s.add_project(
        body["name"],
        body["type"],
        body.get("params"),
        rapid=bool(body.get("rapid")),
        studio=bool(body.get("studio")),
        dataset_id=body.get("datasetId"),
    )
    return project_view(p)


@R("GET", "/v1/projects")
def list_projects(ctx: Ctx) -> Any:
    return [project_view(p) for p in _store(ctx).projects.values()]


@R("GET", "/v1/projects/{name}")
def get_project(ctx: Ctx, name: str) -> Any:
    return project_view(_store(ctx).project(name))


@R("POST", "/v1/projects/{name}/setParams")
def set_project_params(ctx: Ctx, name: str) -> Any:
    s = _store(ctx)
    p = s.project(name)
    body = dict(ctx.obj())
    patch = body.pop("patch", False)
    if not body:
        raise bad_request("No project parameters given")
    history = p["param_history"]
    base = (
        {k: v for k, v in history[-1].items() if k not in ("version", "created_at")}
        if (history and patch)
        else {}
    )
    history.append({**base, **body, "version": len(history), "created_at": utc(s.now())})
    return project_view(p)


@R("GET", "/v1/projects/{name}/taskTemplates")
def task_templates(ctx: Ctx, name: str) -> Any:
    s = _store(ctx)
    p = s.project(name)
    if p["type"] not in ("chat", "textcollection"):
        raise bad_request("Task templates are only available for Chat and TextCollection projects")
    if "_template" not in p:
        created = utc(s.now())
        p["_template"] = {
            "id": s.new_id("template"),
            "version": 1,
            "created_at": created,
            "updated_at": created,
            "template_variables": {"prompt": {"type": "string", "required": True}},
            "response_schema": None,
            "auto_onboard_enabled": False,
        }
    return dict(p["_template"])
