"""v2 projects: get one by id or name, list with a creation window."""

from __future__ import annotations

from typing import Any

from ..core import Ctx
from .routing import R, _store, _window
from .views import _project_ref, project_v2


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
