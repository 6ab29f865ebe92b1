"""The Scale fake's v2 API driven through the official ``scaleapi`` client's ``client.v2``:
tasks and pagination, chat tasks and metadata, the batch lifecycle, projects, deliveries
and schemas, datasets with the response-URL redirect, and v2 auth and server errors.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from scaleapi.api_client.v2 import (
    BatchOperationRequest,
    CreateBatchRequest,
    CreateChatTaskRequest,
    ExpandableEnumBatch,
    ExpandableEnumDatasetTask,
    ExpandableEnumDelivery,
    ExpandableEnumTask,
    SetBatchMetadataRequest,
    SetTaskMetadataRequest,
)
from scaleapi.api_client.v2 import exceptions as v2x

from tests.scale.conftest import FakeServer, http
from tests.scale.parity_cases import API_KEY, SCALEAPI


def test_v2_tasks_and_pagination(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    v2 = scaleapi_client.v2
    page = v2.get_tasks(
        project_name="GenAI Demo",
        limit=2,
        expand=[ExpandableEnumTask.PROJECT, ExpandableEnumTask.BATCH],
    )
    assert len(page.tasks) == 2 and page.next_token
    assert page.tasks[0].project.actual_instance.name == "GenAI Demo"
    assert page.tasks[0].batch.actual_instance.name == "genai_batch_1"
    rest = v2.get_tasks(project_name="GenAI Demo", limit=2, next_token=page.next_token)
    assert len(rest.tasks) == 1 and rest.next_token is None
    rec = scale_fake.requests[0]
    assert rec.authorization == f"Bearer {API_KEY}"
    assert [v for k, v in rec.query if k == "expand"] == ["project", "batch"]
    tasks = list(
        scaleapi_client.v2_get_tasks(project_name="GenAI Demo", status="completed", limit=1)
    )
    assert len(tasks) == 3
    thread = tasks[0].threads[0]
    annotation = thread.turns[0].annotations[0].actual_instance
    assert annotation.type == "integer" and annotation.value == 3
    fetched = v2.get_annotation(annotation_id=annotation.id)
    assert fetched.actual_instance.key == "rating"
    one = v2.get_task(task_id=tasks[1].task_id)
    assert one.status.value == "completed" and one.metadata == {"seq": 1}


def test_v2_create_chat_task_and_metadata(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    v2 = scaleapi_client.v2
    task = v2.create_chat_task(
        CreateChatTaskRequest(
            project_name="GenAI Demo",
            batch_name="genai_batch_1",
            template_variables={"prompt": "hi"},
            metadata={"a": {"b": 1}},
        )
    )
    assert task.status.value == "pending" and task.threads == []
    assert scale_fake.requests[-1].raw_path == "/v2/task/chat"
    merged = v2.set_task_metadata(
        SetTaskMetadataRequest(task_id=task.task_id, metadata={"a": {"c": 2}}, merge=True)
    )
    assert merged.metadata == {"a": {"b": 1, "c": 2}}
    assert scale_fake.requests[-1].json == {
        "task_id": task.task_id,
        "metadata": {"a": {"c": 2}},
        "merge": True,
    }
    replaced = v2.set_task_metadata(SetTaskMetadataRequest(task_id=task.task_id, metadata={"z": 0}))
    assert replaced.metadata == {"z": 0}
    with pytest.raises(v2x.NotFoundException):
        v2.get_task(task_id="5f00000000000000000000ff")
    with pytest.raises(v2x.BadRequestException):
        v2.create_chat_task(CreateChatTaskRequest(metadata={}))


def test_v2_batch_lifecycle(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    v2 = scaleapi_client.v2
    batch = v2.create_batch(
        CreateBatchRequest(
            name="v2 batch/1", project_name="GenAI Demo", staging_batch=True, metadata={"k": 1}
        )
    )
    assert batch.status.value == "staging"
    assert scale_fake.requests[-1].json == {
        "name": "v2 batch/1",
        "project_name": "GenAI Demo",
        "staging_batch": True,
        "metadata": {"k": 1},
    }
    got = v2.get_batch(batch_name="v2 batch/1", expand=[ExpandableEnumBatch.PROJECT])
    assert got.project.actual_instance.name == "GenAI Demo"
    assert v2.get_batch(batch_id=batch.id).name == "v2 batch/1"
    op = BatchOperationRequest(batch_name="v2 batch/1")
    assert v2.finalize_batch(op).status.value == "in_progress"
    assert v2.pause_batch(op).batch.status.value == "paused"
    assert (
        v2.resume_batch(BatchOperationRequest(batch_id=batch.id)).batch.status.value
        == "in_progress"
    )
    cancelled = v2.cancel_batch(op)
    assert cancelled.batch.status.value == "cancelled" and cancelled.message
    with pytest.raises(v2x.BadRequestException):
        v2.pause_batch(op)
    meta = v2.set_batch_metadata(
        SetBatchMetadataRequest(batch_name="v2 batch/1", metadata={"j": 2}, merge=True)
    )
    assert meta.metadata == {"k": 1, "j": 2}
    listed = v2.get_batches(project_name="GenAI Demo", limit=1)
    assert len(listed.batches) == 1 and listed.next_token
    assert [
        b.name
        for b in v2.get_batches(project_name="GenAI Demo", next_token=listed.next_token).batches
    ] == ["v2 batch/1"]
    with pytest.raises(v2x.ConflictException):
        v2.create_batch(CreateBatchRequest(name="v2 batch/1", project_name="GenAI Demo"))
    with pytest.raises(v2x.NotFoundException):
        v2.get_batch(batch_name="nope")


def test_v2_projects_deliveries_schema(scale_fake: FakeServer, scaleapi_client: Any) -> None:
    v2 = scaleapi_client.v2
    names = [p.name for p in v2.get_projects().projects]
    assert names == ["test_project", "GenAI Demo"]
    project = v2.get_project(project_name="GenAI Demo")
    assert project.types == ["SFT"] and v2.get_project(project_id=project.id).name == "GenAI Demo"
    deliveries = v2.get_deliveries(
        project_name="GenAI Demo", expand=[ExpandableEnumDelivery.PROJECT]
    ).deliveries
    assert len(deliveries) == 1 and deliveries[0].task_count == 3
    delivered = v2.get_delivery(
        delivery_id=deliveries[0].id, expand=[ExpandableEnumDelivery.DELIVERY], limit=2
    )
    assert delivered.delivery.actual_instance.name == "delivery-001" and len(delivered.tasks) == 2
    by_name = v2.get_delivery(delivery_name="delivery-001", project_name="GenAI Demo")
    assert by_name.delivery.actual_instance == deliveries[0].id and len(by_name.tasks) == 2
    docs = v2.get_delivery_tasks(delivery_id=deliveries[0].id, limit=100)
    assert (
        docs.total == 3 and docs.docs[0].delivery_id == deliveries[0].id and docs.next_token is None
    )
    schema = v2.get_schema(schema_id=docs.docs[0].response_schema_id)
    assert '"rating"' in schema.var_schema.var_json
    with pytest.raises(v2x.NotFoundException) as err:
        v2.get_schema(schema_id="missing")
    assert err.value.data.status_code == 404
    with http(scale_fake, auth=f"Bearer {API_KEY}") as c:
        bad = c.get("/v2/schema")
    assert bad.status_code == 400 and bad.json()["status_code"] == 400


def test_v2_datasets_and_response_url_redirect(
    scale_fake: FakeServer, scaleapi_client: Any
) -> None:
    v2 = scaleapi_client.v2
    dataset = v2.get_datasets().datasets[0]
    deliveries = v2.get_dataset_deliveries(dataset_id=dataset.id, expand=["dataset"]).deliveries
    assert deliveries[0].dataset.actual_instance.name == "Demo Dataset"
    assert deliveries[0].metadata.task_count == 2
    delivery = v2.get_dataset_delivery(
        delivery_id=deliveries[0].id, expand=[ExpandableEnumDatasetTask.DELIVERY]
    )
    assert (
        delivery.delivery.actual_instance.name == "dataset-delivery-001"
        and len(delivery.tasks) == 2
    )
    first = v2.get_dataset_tasks(dataset_id=dataset.id, limit=1)
    second = v2.get_dataset_tasks(dataset_id=dataset.id, limit=1, next_token=first.next_token)
    assert second.next_token is None and first.tasks[0].task_id != second.tasks[0].task_id
    task = v2.get_dataset_task(
        task_id=first.tasks[0].task_id, expand=[ExpandableEnumDatasetTask.DATASET]
    )
    assert task.dataset.actual_instance.id == dataset.id
    assert v2.get_dataset_task_response_url(task_id=task.task_id, attachment_id="att_0") is None
    redirect, download = scale_fake.requests[-1], None
    assert redirect.status == 302
    with http(scale_fake, auth=f"Bearer {API_KEY}") as c:
        r = c.get(f"/v2/datasets/task/{task.task_id}/response_url/att_0")
        assert r.status_code == 302
        download = httpx.get(r.headers["location"])
    assert download.status_code == 200 and "att_0" in download.text
    with pytest.raises(v2x.NotFoundException):
        v2.get_dataset_task_response_url(task_id=task.task_id, attachment_id="att_9")


def test_v2_auth_and_server_errors(scale_fake: FakeServer) -> None:
    bad = SCALEAPI.build(scale_fake.base_url, "live_wrong")
    with pytest.raises(v2x.UnauthorizedException) as err:
        bad.v2.get_projects()
    assert '"status_code": 401' in err.value.body.replace(":", ": ").replace(":  ", ": ")
    with http(scale_fake) as c:  # v2 also accepts Basic
        assert c.get("/v2/projects").status_code == 200
    good = SCALEAPI.build(scale_fake.base_url, API_KEY)
    scale_fake.faults.fail_next("GET", "/v2/batches", 500)
    with pytest.raises(v2x.ServiceException) as err:
        good.v2.get_batches()
    assert err.value.data.error == "Internal server error (injected)"
