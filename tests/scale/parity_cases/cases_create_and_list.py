"""Parity cases that create, fetch and list tasks: the README's image annotation payload,
text collection and categorization tasks, ``get_task``, the ``get_tasks`` pager (filters over
three pages, the server's default page size) and the one-page ``tasks`` list with
``get_tasks_count``.
"""

from __future__ import annotations

from typing import Any

from .case_helpers import IMG, SEED_PAYLOAD, SLASH_PROJECT, _docs, _get, _image_task, _val
from .harness import CaseEnv, case


@case()
def create_task_image_annotation(client: Any, env: CaseEnv) -> None:
    """The documented ImageAnnotation payload, including unique_id."""
    task = client.create_task(env.TaskType.ImageAnnotation, **SEED_PAYLOAD)
    assert _val(_get(task, "status")) == "pending"
    assert _get(task, "unique_id") == "c235d023af73"


@case()
def create_task_text_collection(client: Any, env: CaseEnv) -> None:
    client.create_project(
        project_name="text project",
        task_type=env.TaskType.TextCollection,
        params={"instruction": "Summarise the text"},
    )
    task = client.create_task(
        env.TaskType.TextCollection,
        project="text project",
        instruction="Write a summary",
        attachments=[{"type": "text", "content": "Cows are large ruminants."}],
        fields=[{"type": "text", "field_id": "summary", "title": "Summary", "max_characters": 140}],
        metadata={"source": "parity", "n": 1},
        priority=30,
    )
    assert _val(_get(task, "type")) == "textcollection"


@case()
def create_task_categorization(client: Any, env: CaseEnv) -> None:
    client.create_project(project_name="cat project", task_type=env.TaskType.Categorization)
    client.create_batch(project="cat project", batch_name="cat batch")
    task = client.create_task(
        env.TaskType.Categorization,
        project="cat project",
        batch="cat batch",
        attachment=IMG,
        attachment_type="image",
        categories=["cow", "calf"],
        allow_multiple=False,
        tags=["farm"],
        callback_url="mailto:ops@example.com",
    )
    assert _get(task, "batch") == "cat batch"


@case()
def get_task_by_id(client: Any, env: CaseEnv) -> None:
    created = _image_task(client, env, metadata={"k": "v"})
    fetched = client.get_task(created.task_id)
    assert fetched.task_id == created.task_id
    assert _get(fetched, "metadata") == {"k": "v"}


@case()
def get_tasks_filters_three_pages(client: Any, env: CaseEnv) -> None:
    """Cursor paging over 3 pages (limit=2) with project/status/created_after/review/tags filters."""
    client.create_project(project_name=SLASH_PROJECT, task_type=env.TaskType.ImageAnnotation)
    ids = [
        _image_task(
            client, env, SLASH_PROJECT, tags=["alpha" if i % 2 else "beta", "shared"]
        ).task_id
        for i in range(7)
    ]
    for tid in ids[:6]:
        env.complete(tid)
    for tid in ids[:5]:
        client.audit_task(tid, accepted=True)
    client.audit_task(ids[5], accepted=False, comments="Missed a car")
    tasks = list(
        client.get_tasks(
            project_name=SLASH_PROJECT,
            status=env.TaskStatus.Completed,
            created_after="2020-01-01",
            review_status=[env.TaskReviewStatus.Accepted, env.TaskReviewStatus.Fixed],
            tags=["alpha", "beta"],
            include_attachment_url=True,
            limit=2,
        )
    )
    assert sorted(t.task_id for t in tasks) == sorted(ids[:5])


@case()
def get_tasks_batch_default_page_size(client: Any, env: CaseEnv) -> None:
    """Server-default page size (2), batch/type/unique_id-list filters, limited_response."""
    client.create_project(project_name="cat project", task_type=env.TaskType.Categorization)
    client.create_batch(project="cat project", batch_name="paged batch")
    for i in range(3):
        client.create_task(
            env.TaskType.Categorization,
            project="cat project",
            batch="paged batch",
            attachment=IMG,
            categories=["a", "b"],
            unique_id=f"cat-{i}",
        )
    tasks = list(
        client.get_tasks(
            batch_name="paged batch",
            task_type=env.TaskType.Categorization,
            unique_id=["cat-0", "cat-1", "cat-2"],
            include_attachment_url=False,
            limited_response=True,
            created_before="2030-01-01 00:00:00.000000",
        )
    )
    assert len(tasks) == 3


@case()
def tasks_single_page_and_count(client: Any, env: CaseEnv) -> None:
    for i in range(3):
        _image_task(client, env, unique_id=f"u{i}")
    page = client.tasks(project="test_project", limit=1, status="pending", unique_id=["u0", "u1"])
    assert len(_docs(page)) == 1
    assert page.has_more is True and page.total == 2
    count = client.get_tasks_count(project_name="test_project", status=env.TaskStatus.Pending)
    assert count == 3
