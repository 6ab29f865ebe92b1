"""Helpers shared by the ``test_operations_*`` modules, which drive every Scale operation
through our generated client (sync and async, the ``api`` fixture) against the served fake:
``last`` (the last request the fake received, optionally filtered by method and path
prefix), ``q`` (a request's query as name -> values), ``image_task`` (a standard image
annotation task), ``studio_setup`` (a Studio project with a group and two batches),
``genai_task_id`` (a seeded GenAI task with threads), the payload constants shared with the
parity cases, and the v2 Bearer header."""

from __future__ import annotations

from typing import Any

from scale_client import Task, TaskType

from tests.scale.conftest import Api
from tests.scale.parity_cases import API_KEY
from tests.scale.parity_cases.case_helpers import GEOMETRIES, IMG, SLASH_BATCH, SLASH_PROJECT
from tests.servers.wire import RecordedRequest

__all__ = [
    "BEARER",
    "GEOMETRIES",
    "IMG",
    "SLASH_BATCH",
    "SLASH_PROJECT",
    "genai_task_id",
    "image_task",
    "last",
    "q",
    "studio_setup",
]

BEARER = f"Bearer {API_KEY}"


def last(api: Api, method: str | None = None, path_prefix: str = "") -> RecordedRequest:
    """The last request the fake received (optionally: with this method and path prefix)."""
    for rec in reversed(api.fake.requests):
        if (method is None or rec.method == method) and rec.path.startswith(path_prefix):
            return rec
    raise AssertionError(f"no {method} {path_prefix} request in {api.fake.requests}")


def q(rec: RecordedRequest) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in rec.query:
        out.setdefault(k, []).append(v)
    return out


async def image_task(api: Api, project: str = "test_project", **kw: Any) -> Task:
    return await api.create_task(  # type: ignore[no-any-return]
        TaskType.ImageAnnotation,
        project=project,
        attachment=IMG,
        attachment_type="image",
        geometries=GEOMETRIES,
        **kw,
    )


async def studio_setup(api: Api) -> str:
    project = "Studio Project/A"
    await api.create_project(project_name=project, task_type=TaskType.ImageAnnotation, studio=True)
    await api.create_project_group(
        project, emails=["labeler1@example.com"], project_group="group a/b"
    )
    await api.create_batch(project=project, batch_name=SLASH_BATCH)
    await api.create_batch(project=project, batch_name="second batch")
    return project


def genai_task_id(api: Api) -> str:
    store = api.fake.store
    return next(t for t in store.tasks.values() if t.get("_threads"))["task_id"]  # type: ignore[no-any-return]
