"""Helpers for writing parity cases: read a field the same way from either client's results
(``_get``, ``_val``, ``_docs``, ``_batch_total``), the README's task payload and other fixed
values, and set-ups shared by several cases (an image task, a Studio project, a Studio
project with a group and two batches).  Cases pass every argument but path parameters by
keyword: our client's non-path parameters are keyword-only (README, "Where we differ": typed
keyword-only parameters), and scaleapi accepts the same names as keywords."""

from __future__ import annotations

from typing import Any

from .harness import CaseEnv


def _get(obj: Any, key: str, default: Any = None) -> Any:
    """Read a field from a scaleapi wrapper, a dict, or a pydantic model alike."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    value = getattr(obj, key, None)
    if value is None and hasattr(obj, "as_dict"):
        value = obj.as_dict().get(key)
    return default if value is None else value


def _val(x: Any) -> Any:
    return getattr(x, "value", x)


def _docs(page: Any) -> list[Any]:
    """Items of one list page: scaleapi's Tasklist/Batchlist is a list subclass, ours is the
    page model with ``docs`` that iterates like one; both have ``.docs``."""
    return list(page.docs)


def _batch_total(page: Any) -> int:
    """Batchlist total: scaleapi's ``.total``; ours keeps the wire name ``totalDocs``
    (documented difference), exposed as the model attribute ``total_docs`` or ``total``."""
    for attr in ("total", "total_docs"):
        value = getattr(page, attr, None)
        if isinstance(value, int):
            return value
    raise AssertionError(f"no batch total on {page!r}")


IMG = "http://i.imgur.com/v4cBreD.jpg"
SEED_PAYLOAD = dict(  # the README / seed docs payload
    project="test_project",
    callback_url="http://www.example.com/callback",
    instruction="Draw a box around each baby cow and big cow.",
    attachment_type="image",
    attachment=IMG,
    unique_id="c235d023af73",
    geometries={
        "box": {"objects_to_annotate": ["Baby Cow", "Big Cow"], "min_height": 10, "min_width": 10}
    },
)
SLASH_PROJECT = "My Project/2024 v1"
SLASH_BATCH = "batch one/two"
GEOMETRIES = {"box": {"objects_to_annotate": ["car"], "min_height": 5, "min_width": 5}}


def _image_task(client: Any, env: CaseEnv, project: str = "test_project", **kw: Any) -> Any:
    return client.create_task(
        env.TaskType.ImageAnnotation,
        project=project,
        attachment=IMG,
        attachment_type="image",
        geometries=GEOMETRIES,
        **kw,
    )


def _studio_project(client: Any, env: CaseEnv, name: str = "Studio Project/A") -> str:
    client.create_project(
        project_name=name,
        task_type=env.TaskType.ImageAnnotation,
        params={"instruction": "Label cars"},
        studio=True,
    )
    return name


def _studio_two_batches(client: Any, env: CaseEnv) -> str:
    project = _studio_project(client, env)
    client.create_project_group(project, emails=["labeler1@example.com"], project_group="group a/b")
    client.create_batch(project=project, batch_name=SLASH_BATCH)
    client.create_batch(project=project, batch_name="second batch")
    return project
