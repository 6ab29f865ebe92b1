"""Parity cases for batches, projects and files: offset-paged batch lists, the batch lifecycle
and the README's batch link methods, names with spaces and slashes, project CRUD with
versioned params and templates, multipart upload and import by URL.
"""

from __future__ import annotations

import io
from typing import Any

from .case_helpers import SLASH_BATCH, SLASH_PROJECT, _batch_total, _docs, _get, _image_task, _val
from .harness import CaseEnv, case


@case()
def get_batches_offset_paging(client: Any, env: CaseEnv) -> None:
    """Offset paging: 5 staging batches over 3 pages of the server default size."""
    client.create_project(project_name="batch paging", task_type=env.TaskType.ImageAnnotation)
    for i in range(6):
        client.create_batch(project="batch paging", batch_name=f"b{i}")
    client.finalize_batch("b0")
    batches = list(
        client.get_batches(
            project_name="batch paging",
            batch_status=env.BatchStatus.Staging,
            created_after="2020-01-01",
        )
    )
    assert [b.name for b in batches] == ["b1", "b2", "b3", "b4", "b5"]
    page = client.batches(project="batch paging", limit=2, offset=2, exclude_archived=True)
    assert len(_docs(page)) == 2 and _batch_total(page) == 6


@case()
def batch_lifecycle(client: Any, env: CaseEnv) -> None:
    client.create_project(project_name="life project", task_type=env.TaskType.ImageAnnotation)
    batch = client.create_batch(
        project="life project",
        batch_name="lifecycle batch",
        callback="http://example.com/cb",
        calibration_batch=False,
        self_label_batch=True,
        metadata={"team": "a"},
    )
    assert _val(batch.status) == "staging"
    for _ in range(2):
        _image_task(client, env, "life project", batch="lifecycle batch")
    assert client.get_batch("lifecycle batch").name == "lifecycle batch"
    status = client.batch_status("lifecycle batch")
    assert _get(status, "pending") == 2
    assert _val(client.finalize_batch("lifecycle batch").status) == "in_progress"
    updated = client.set_batch_metadata("lifecycle batch", metadata={"team": "b", "round": 2})
    assert _get(updated, "metadata") == {"team": "b", "round": 2}


@case()
def batch_link_methods(client: Any, env: CaseEnv) -> None:
    """The README's alternatives: ``batch.finalize()`` and ``batch.get_status()``."""
    client.create_batch(project="test_project", batch_name="link batch")
    for _ in range(2):
        _image_task(client, env, batch="link batch")
    batch = client.get_batch("link batch")
    batch.finalize()
    assert _val(batch.status) == "in_progress"
    batch.get_status()
    assert batch.tasks_pending == 2


@case()
def names_with_spaces_and_slashes(client: Any, env: CaseEnv) -> None:
    client.create_project(
        project_name=SLASH_PROJECT,
        task_type=env.TaskType.ImageAnnotation,
        params={"instruction": "v0"},
    )
    assert client.get_project(SLASH_PROJECT).name == SLASH_PROJECT
    client.update_project(SLASH_PROJECT, patch=True, instruction="v1")
    client.create_batch(project=SLASH_PROJECT, batch_name=SLASH_BATCH)
    assert client.get_batch(SLASH_BATCH).name == SLASH_BATCH
    client.batch_status(SLASH_BATCH)
    client.set_batch_metadata(SLASH_BATCH, metadata={"slash": "a/b"})
    client.finalize_batch(SLASH_BATCH)
    client.list_project_groups(SLASH_PROJECT)


@case()
def projects_crud_and_versions(client: Any, env: CaseEnv) -> None:
    project = client.create_project(
        project_name="crud project",
        task_type=env.TaskType.TextCollection,
        params={"instruction": "Summarise"},
        rapid=False,
        studio=False,
        dataset_id=None,
    )
    assert project.name == "crud project"
    client.get_project("crud project")
    assert "crud project" in [p.name for p in client.projects()]
    assert len(client.get_projects()) == 3  # two seeded + this one
    client.update_project("crud project", patch=False, instruction="Second version")
    latest = client.update_project("crud project", patch=True, fields=[{"field_id": "s"}])
    history = _get(latest, "param_history")
    assert [_get(h, "version") for h in history] == [0, 1, 2]
    assert _get(history[-1], "instruction") == "Second version"
    template = client.get_project_template("crud project")
    assert _get(template, "version") == 1


@case()
def upload_file_multipart(client: Any, env: CaseEnv) -> None:
    client.create_project(project_name=SLASH_PROJECT, task_type=env.TaskType.ImageAnnotation)
    stream = io.BytesIO(b"\x89PNG\r\n\x1a\nfake image bytes")
    stream.name = "cow.png"
    uploaded = client.upload_file(file=stream, project_name=SLASH_PROJECT, reference_id="ref-001")
    assert str(uploaded.attachment_url).startswith("scaledata://")


@case()
def import_file_by_url(client: Any, env: CaseEnv) -> None:
    client.create_project(project_name=SLASH_PROJECT, task_type=env.TaskType.ImageAnnotation)
    imported = client.import_file(
        file_url="https://example.com/images/cow%20one.jpg?x=1",
        project_name=SLASH_PROJECT,
        reference_id="ref-002",
    )
    assert _get(imported, "id")
