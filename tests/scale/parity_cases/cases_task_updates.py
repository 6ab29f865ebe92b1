"""Parity cases that change existing tasks and make quality tasks: metadata, tags (set, add,
delete), cancel with ``clear_unique_id``, audit, unique_id update and clear, and evaluation
and training tasks in a Rapid project.
"""

from __future__ import annotations

from typing import Any

from .case_helpers import GEOMETRIES, IMG, _get, _image_task, _val
from .harness import CaseEnv, case


@case()
def set_task_metadata(client: Any, env: CaseEnv) -> None:
    task = _image_task(client, env)
    meta = {"nested": {"a": [1, 2, None]}, "flag": True, "ratio": 1.5, "name": "x/y z"}
    updated = client.set_task_metadata(task.task_id, metadata=meta)
    assert _get(updated, "metadata") == meta


@case()
def task_tags_set_add_delete(client: Any, env: CaseEnv) -> None:
    task = _image_task(client, env, tags=["initial"])
    assert _get(client.set_task_tags(task.task_id, tags=["x", "y"]), "tags") == ["x", "y"]
    assert _get(client.add_task_tags(task.task_id, tags=["y", "z"]), "tags") == ["x", "y", "z"]
    assert _get(client.delete_task_tags(task.task_id, tags=["x"]), "tags") == ["y", "z"]


@case()
def cancel_task_clear_unique_id(client: Any, env: CaseEnv) -> None:
    first = _image_task(client, env, unique_id="uid-cancel")
    canceled = client.cancel_task(first.task_id, clear_unique_id=True)
    assert _val(_get(canceled, "status")) == "canceled"
    second = _image_task(client, env, unique_id="uid-cancel")  # free again
    assert _val(_get(client.cancel_task(second.task_id), "status")) == "canceled"


@case()
def audit_task(client: Any, env: CaseEnv) -> None:
    one, two = _image_task(client, env), _image_task(client, env)
    env.complete(one.task_id)
    env.complete(two.task_id)
    client.audit_task(one.task_id, accepted=True)
    client.audit_task(two.task_id, accepted=False, comments="Boxes are too loose")
    assert _val(_get(client.get_task(two.task_id), "customer_review_status")) == "rejected"


@case()
def update_and_clear_unique_id(client: Any, env: CaseEnv) -> None:
    task = _image_task(client, env)
    updated = client.update_task_unique_id(task.task_id, unique_id="fresh-uid")
    assert _get(updated, "unique_id") == "fresh-uid"
    cleared = client.clear_task_unique_id(task.task_id)
    assert _get(cleared, "unique_id") is None


@case()
def evaluation_and_training_tasks(client: Any, env: CaseEnv) -> None:
    client.create_project(
        project_name="rapid project", task_type=env.TaskType.ImageAnnotation, rapid=True
    )
    ev = client.create_evaluation_task(
        env.TaskType.ImageAnnotation,
        project="rapid project",
        attachment=IMG,
        geometries=GEOMETRIES,
        expected_response={"annotations": {"car": []}},
        initial_response={"annotations": {"car": [1]}},
    )
    assert _get(ev, "expected_response") == {"annotations": {"car": []}}
    tr = client.create_training_task(
        env.TaskType.ImageAnnotation,
        project="rapid project",
        attachment=IMG,
        geometries=GEOMETRIES,
        expected_response={"annotations": {}},
    )
    assert _get(tr, "id")
