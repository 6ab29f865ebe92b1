"""v1 quality tasks: evaluation and training tasks (Rapid projects only)."""

from __future__ import annotations

from typing import Any

from ..core import Ctx, bad_request, utc
from ..store import TASK_TYPES
from .routing import R, _store


def _quality(ctx: Ctx, task_type: str, kind: str) -> Any:
    s = _store(ctx)
    if task_type not in TASK_TYPES:
        raise bad_request(f'Invalid task type "{task_type}"')
    body = ctx.obj()
    s.require(body, "project", "expected_response")
    p = s.project(body["project"], status=400)
    if not p["rapid"]:
        raise bad_request(f"{kind} tasks can only be created in Rapid projects")
    qid = s.new_id("quality")
    q = {
        "id": qid,
        "type": task_type,
        "kind": kind,
        "project": p["name"],
        "created_at": utc(s.now()),
        "expected_response": body["expected_response"],
        "params": {
            k: v
            for k, v in body.items()
            if k not in ("expected_response", "initial_response", "project")
        },
    }
    if "initial_response" in body:
        q["initial_response"] = body["initial_response"]
    s.quality_tasks[qid] = q
    return dict(q)


@R("POST", "/v1/evaluation_tasks/{task_type}")
def create_evaluation_task(ctx: Ctx, task_type: str) -> Any:
    return _quality(ctx, task_type, "evaluation")


@R("POST", "/v1/training_tasks/{task_type}")
def create_training_task(ctx: Ctx, task_type: str) -> Any:
    return _quality(ctx, task_type, "training")
