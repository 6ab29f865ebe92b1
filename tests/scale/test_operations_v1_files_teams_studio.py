"""The remaining v1 operations through our client, sync and async, against the served fake:
file upload (file objects, bytes, tuples) and import, evaluation and training tasks,
teammates (list, invite, set role) and Studio (assignments, project groups, batches and
their priorities).
"""

from __future__ import annotations

import io
from typing import Any

from scale_client import (
    EvaluationTask,
    File,
    StudioBatch,
    StudioBatchStatus,
    StudioProjectGroup,
    TaskType,
    Teammate,
    TeammateRole,
    TrainingTask,
)

from tests.scale.conftest import Api
from tests.scale.operations_support import IMG, SLASH_BATCH, last, studio_setup


async def test_upload_file_object_bytes_and_tuples(api: Api) -> None:
    store = api.fake.store
    stream = io.BytesIO(b"\x89PNG fake image")
    stream.name = "/tmp/cow.png"
    variants: list[tuple[Any, str, str, bytes]] = [
        (stream, "cow.png", "image/png", b"\x89PNG fake image"),
        (("calf.jpg", b"jpeg bytes"), "calf.jpg", "image/jpeg", b"jpeg bytes"),
        (
            ("data.bin", b"\x00\x01", "application/x-custom"),
            "data.bin",
            "application/x-custom",
            b"\x00\x01",
        ),
    ]
    for content, filename, mime, data in variants:
        uploaded = await api.upload_file(
            file=content, project_name="test_project", reference_id="ref-1"
        )
        assert isinstance(uploaded, File)
        assert uploaded.attachment_url == f"scaledata://{uploaded.id}/{filename}"
        assert uploaded.mime_type == mime and uploaded.size == len(data)
        assert uploaded.project_names == ["test_project"]
        parts = last(api).parts
        assert parts["file"] == (filename, mime, data)
        assert parts["project_name"] == (None, None, "test_project")
        assert parts["reference_id"] == (None, None, "ref-1")
        assert store.files[uploaded.id]["reference_id"] == "ref-1"
    raw = await api.upload_file(file=b"raw bytes")
    assert raw.size == 9 and last(api).parts["file"][2] == b"raw bytes"
    assert last(api).form[0].filename  # bytes still go as a file part with a filename


async def test_import_file(api: Api) -> None:
    imported = await api.import_file(
        file_url="https://example.com/images/cow.jpg", project_name="test_project", note="x"
    )
    assert isinstance(imported, File) and imported.attachment_url.endswith("/cow.jpg")
    assert last(api).json == {
        "file_url": "https://example.com/images/cow.jpg",
        "project_name": "test_project",
        "note": "x",
    }
    assert api.fake.store.files[imported.id]["note"] == "x"


# =========================================================================== v1 quality tasks


async def test_evaluation_and_training_tasks(api: Api) -> None:
    store = api.fake.store
    await api.create_project(project_name="rapid", task_type=TaskType.ImageAnnotation, rapid=True)
    ev = await api.create_evaluation_task(
        TaskType.ImageAnnotation,
        project="rapid",
        attachment=IMG,
        expected_response={"annotations": {"car": []}},
        initial_response={"annotations": {"car": [1]}},
    )
    assert isinstance(ev, EvaluationTask)
    assert ev.expected_response == {"annotations": {"car": []}}
    assert ev.initial_response == {"annotations": {"car": [1]}}
    assert store.quality_tasks[ev.id]["kind"] == "evaluation"
    assert last(api).raw_path == "/v1/evaluation_tasks/imageannotation"
    tr = await api.create_training_task(
        TaskType.ImageAnnotation, project="rapid", attachment=IMG, expected_response={"a": 1}
    )
    assert isinstance(tr, TrainingTask) and tr.expected_response == {"a": 1}
    assert store.quality_tasks[tr.id]["kind"] == "training"
    assert last(api).raw_path == "/v1/training_tasks/imageannotation"


# =========================================================================== v1 teams


async def test_teammates(api: Api) -> None:
    store = api.fake.store
    team = await api.list_teammates()
    assert all(isinstance(t, Teammate) for t in team)
    owner = next(t for t in team if t.email == "owner@example.com")
    assert owner.role == TeammateRole.Admin and owner.first_name == "Olive"
    team = await api.invite_teammates(
        emails=["new1@example.com", "new2@example.com"], role=TeammateRole.Labeler
    )
    assert len(team) == 4 and last(api).json == {
        "emails": ["new1@example.com", "new2@example.com"],
        "team_role": "labeler",
    }
    team = await api.update_teammates_role(emails=["new1@example.com"], role=TeammateRole.Manager)
    assert {t.email: t.role for t in team}["new1@example.com"] == TeammateRole.Manager
    assert store.teammates["new1@example.com"]["role"] == "manager"


# =========================================================================== v1 studio


async def test_studio_assignments(api: Api) -> None:
    store = api.fake.store
    project = "Studio Project/A"
    await api.create_project(project_name=project, task_type=TaskType.ImageAnnotation, studio=True)
    assert await api.list_studio_assignments() == {}
    added = await api.add_studio_assignments(
        emails=["labeler1@example.com", "l2@example.com"], projects=[project, "test_project"]
    )
    assert added == {
        "labeler1@example.com": [project, "test_project"],
        "l2@example.com": [project, "test_project"],
    }
    removed = await api.remove_studio_assignments(
        emails=["l2@example.com"], projects=["test_project"]
    )
    assert removed["l2@example.com"] == [project] == store.assignments["l2@example.com"]
    assert await api.list_studio_assignments() == removed


async def test_studio_project_groups(api: Api) -> None:
    project = "Studio Project/A"
    await api.create_project(project_name=project, task_type=TaskType.ImageAnnotation, studio=True)
    group = await api.create_project_group(
        project, emails=["labeler1@example.com"], project_group="group a/b"
    )
    assert isinstance(group, StudioProjectGroup)
    assert group.name == "group a/b" and group.numWorkers == 1 and group.isSingleton is False
    assert group.workers is not None and group.workers[0].email == "labeler1@example.com"
    assert last(api).json == {"emails": ["labeler1@example.com"], "name": "group a/b"}
    listed = await api.list_project_groups(project)
    assert [g.id for g in listed] == [group.id]
    updated = await api.update_project_group(
        project, "group a/b", add_emails=["x@example.com"], remove_emails=["labeler1@example.com"]
    )
    assert last(api).method == "PUT" and last(api).raw_path.upper().endswith(
        "/GROUPS/GROUP%20A%2FB"
    )
    assert [w.email for w in updated.workers or []] == ["x@example.com"]
    stored = api.fake.store.groups[project][0]
    assert [w["email"] for w in stored["workers"]] == ["x@example.com"]


async def test_studio_project_group_keeps_scaleapi_attribute_names(api: Api) -> None:
    project = "Studio Project/A"
    await api.create_project(project_name=project, task_type=TaskType.ImageAnnotation, studio=True)
    group = await api.create_project_group(
        project, emails=["labeler1@example.com"], project_group="g"
    )
    assert group.numWorkers == 1  # type: ignore[attr-defined]
    assert group.isSingleton is False  # type: ignore[attr-defined]


async def test_studio_batches_and_priorities(api: Api) -> None:
    project = await studio_setup(api)
    listed = await api.list_studio_batches()
    assert all(isinstance(b, StudioBatch) for b in listed)
    assert [b.name for b in listed] == [SLASH_BATCH, "second batch"]
    assert listed[0].project_name == project
    assert listed[0].batch_type == StudioBatchStatus.Production
    assigned = await api.assign_studio_batches(SLASH_BATCH, project_groups=["group a/b"])
    assert isinstance(assigned, StudioBatch) and assigned.groups == ["group a/b"]
    assert last(api).json == {"groups": ["group a/b"]}
    ordered = await api.set_studio_batches_priorities(
        batches=[{"name": "second batch"}, {"name": SLASH_BATCH}]
    )
    assert [(b.name, b.studio_priority) for b in ordered] == [("second batch", 1), (SLASH_BATCH, 2)]
    assert api.fake.store.studio_priorities == ["second batch", SLASH_BATCH]
    reset = await api.reset_studio_batches_priorities()
    assert [b.name for b in reset] == [SLASH_BATCH, "second batch"]
    assert all(b.studio_priority is None for b in reset)
