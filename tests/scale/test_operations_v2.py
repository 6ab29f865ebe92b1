"""The v2 operations through our client (``client.v2``), sync and async, against the served
fake: tasks (get, list, create chat task, metadata), the batch lifecycle, projects,
deliveries with their schema and annotations, and datasets with the response-URL redirect.
"""

from __future__ import annotations

import datetime as dt

import pytest
from scale_client import ScaleResourceNotFound

from tests.scale.conftest import Api
from tests.scale.operations_support import BEARER, genai_task_id, last, q


async def test_v2_tasks(api: Api) -> None:
    from scale_client import (
        AnnotationInteger,
        ExpandableEnumTask,
        GetTasksResponse,
        Option,
        Thread,
        V2Project,
        V2Task,
        V2TaskStatus,
    )

    store = api.fake.store
    tid = genai_task_id(api)
    task = await api.v2.get_task(
        task_id=tid, expand=[ExpandableEnumTask.PROJECT], opts=[Option.ANNOTATION_DETAILS]
    )
    assert isinstance(task, V2Task) and task.task_id == tid
    assert task.status == V2TaskStatus.COMPLETED and isinstance(task.status, V2TaskStatus)
    assert isinstance(task.project, V2Project) and task.project.name == "GenAI Demo"
    assert isinstance(task.batch, str) and task.batch == store.batches["genai_batch_1"]["id"]
    assert isinstance(task.created_at, dt.datetime) and task.created_at.tzinfo is not None
    assert task.threads and isinstance(task.threads[0], Thread)
    annotation = task.threads[0].turns[0].annotations[0]  # type: ignore[index]
    assert isinstance(annotation, AnnotationInteger)
    assert annotation.value == store.annotations[annotation.id]["value"]
    assert q(last(api)) == {"task_id": [tid], "expand": ["project"], "opts": ["annotation_details"]}
    assert last(api).authorization == BEARER

    page = await api.v2.get_tasks(project_name="GenAI Demo", limit=2)
    assert isinstance(page, GetTasksResponse) and len(page.tasks) == 2 and page.next_token
    rest = await api.v2.get_tasks(project_name="GenAI Demo", limit=2, next_token=page.next_token)
    assert len(rest.tasks) == 1 and rest.next_token is None
    seen = [t.task_id for t in page.tasks + rest.tasks]
    assert sorted(seen) == sorted(t["task_id"] for t in store.tasks.values() if t.get("_threads"))
    completed = await api.v2.get_tasks(
        batch_name="genai_batch_1",
        status=V2TaskStatus.COMPLETED,
        completed_after=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
    )
    assert len(completed.tasks) == 2  # page size 2
    assert q(last(api))["completed_after"][0].startswith("2020-01-01T00:00:00")


async def test_v2_create_chat_task_and_set_metadata(api: Api) -> None:
    from scale_client import CreateChatTaskRequest, SetTaskMetadataRequest, V2Task, V2TaskStatus

    store = api.fake.store
    created = await api.v2.create_chat_task(
        create_chat_task_request=CreateChatTaskRequest(
            project_name="GenAI Demo",
            batch_name="genai_batch_1",
            template_variables={"prompt": "hi"},
            metadata={"a": {"b": 1}},
        )
    )
    assert isinstance(created, V2Task) and created.status == V2TaskStatus.PENDING
    assert created.threads == [] and created.metadata == {"a": {"b": 1}}
    assert store.tasks[created.task_id]["params"]["template_variables"] == {"prompt": "hi"}
    assert last(api).json == {
        "project_name": "GenAI Demo",
        "batch_name": "genai_batch_1",
        "template_variables": {"prompt": "hi"},
        "metadata": {"a": {"b": 1}},
    }  # unset model fields are not sent
    merged = await api.v2.set_task_metadata(
        set_task_metadata_request=SetTaskMetadataRequest(
            task_id=created.task_id, metadata={"a": {"c": 2}}, merge=True
        )
    )
    assert merged.metadata == {"a": {"b": 1, "c": 2}} == store.tasks[created.task_id]["metadata"]
    replaced = await api.v2.set_task_metadata(
        set_task_metadata_request=SetTaskMetadataRequest(task_id=created.task_id, metadata={"z": 0})
    )
    assert replaced.metadata == {"z": 0}


async def test_v2_batch_lifecycle(api: Api) -> None:
    from scale_client import (
        BatchOperationRequest,
        CancelBatch200Response,
        CreateBatchRequest,
        ExpandableEnumBatch,
        GetBatchesResponse,
        PauseBatch200Response,
        ResumeBatch200Response,
        SetBatchMetadataRequest,
        V2Batch,
        V2BatchStatus,
        V2Project,
    )

    store = api.fake.store
    created = await api.v2.create_batch(
        create_batch_request=CreateBatchRequest(
            name="v2 batch/1", project_name="GenAI Demo", staging_batch=True, metadata={"k": 1}
        )
    )
    assert isinstance(created, V2Batch) and created.status == V2BatchStatus.STAGING
    assert created.project == store.projects["GenAI Demo"]["id"]
    got = await api.v2.get_batch(batch_name="v2 batch/1", expand=[ExpandableEnumBatch.PROJECT])
    assert isinstance(got.project, V2Project) and got.id == created.id
    by_id = await api.v2.get_batch(batch_id=created.id)
    assert by_id.name == "v2 batch/1"
    listing = await api.v2.get_batches(project_name="GenAI Demo", status=V2BatchStatus.STAGING)
    assert isinstance(listing, GetBatchesResponse)
    assert [b.name for b in listing.batches] == ["v2 batch/1"]

    op = BatchOperationRequest(batch_name="v2 batch/1")
    finalized = await api.v2.finalize_batch(batch_operation_request=op)
    assert finalized.status == V2BatchStatus.IN_PROGRESS
    assert last(api).json == {"batch_name": "v2 batch/1"}
    paused = await api.v2.pause_batch(batch_operation_request=op)
    assert isinstance(paused, PauseBatch200Response) and paused.batch is not None
    assert paused.batch.status == V2BatchStatus.PAUSED and paused.message == "Batch paused"
    resumed = await api.v2.resume_batch(
        batch_operation_request=BatchOperationRequest(batch_id=created.id)
    )
    assert isinstance(resumed, ResumeBatch200Response) and resumed.batch is not None
    assert resumed.batch.status == V2BatchStatus.IN_PROGRESS
    meta = await api.v2.set_batch_metadata(
        set_batch_metadata_request=SetBatchMetadataRequest(
            batch_name="v2 batch/1", metadata={"j": 2}, merge=True
        )
    )
    assert meta.metadata == {"k": 1, "j": 2} == store.batches["v2 batch/1"]["metadata"]
    canceled = await api.v2.cancel_batch(batch_operation_request=op)
    assert isinstance(canceled, CancelBatch200Response) and canceled.batch is not None
    assert canceled.batch.status == V2BatchStatus.CANCELLED
    assert store.batches["v2 batch/1"]["status"] == "cancelled"


async def test_v2_projects(api: Api) -> None:
    from scale_client import GetProjectsResponse, V2Project

    store = api.fake.store
    project = await api.v2.get_project(project_name="GenAI Demo")
    assert isinstance(project, V2Project) and project.types == ["SFT"]
    assert project.models == ["demo-model-1"]
    assert project.id == store.projects["GenAI Demo"]["id"]
    same = await api.v2.get_project(project_id=project.id)
    assert same.name == "GenAI Demo"
    everything = await api.v2.get_projects()
    assert isinstance(everything, GetProjectsResponse)
    assert {p.name for p in everything.projects} == set(store.projects)
    none = await api.v2.get_projects(created_after="2030-01-01T00:00:00Z")
    assert none.projects == []


async def test_v2_deliveries_schema_and_annotation(api: Api) -> None:
    from scale_client import (
        AnnotationInteger,
        AnnotationText,
        Delivery,
        ExpandableEnumDeliveries,
        GetDeliveredTasksResponse,
        GetDeliveriesResponse,
        GetDeliveryTasksResponse,
        GetSchemaResponse,
        V2Project,
        V2TaskStatus,
    )

    store = api.fake.store
    deliveries = await api.v2.get_deliveries(
        project_name="GenAI Demo", expand=[ExpandableEnumDeliveries.PROJECT]
    )
    assert isinstance(deliveries, GetDeliveriesResponse)
    (delivery,) = deliveries.deliveries
    assert isinstance(delivery, Delivery) and delivery.task_count == 3
    assert isinstance(delivery.project, V2Project)
    stored = store.deliveries[delivery.id]
    tasks = await api.v2.get_delivery(delivery_id=delivery.id, limit=10)
    assert isinstance(tasks, GetDeliveredTasksResponse) and tasks.delivery == delivery.id
    assert [t.task_id for t in tasks.tasks] == stored["_tasks"]
    by_name = await api.v2.get_delivery(delivery_name="delivery-001", project_name="GenAI Demo")
    assert len(by_name.tasks) == 2 and by_name.next_token  # page size 2
    delivered = await api.v2.get_delivery_tasks(
        delivery_id=delivery.id, status=V2TaskStatus.COMPLETED
    )
    assert isinstance(delivered, GetDeliveryTasksResponse)
    assert {d.task_id for d in delivered.docs} <= set(stored["_tasks"])
    assert all(d.delivery_id == delivery.id for d in delivered.docs)
    schema = await api.v2.get_schema(schema_id=stored["_schema"])
    assert isinstance(schema, GetSchemaResponse)
    assert schema.var_schema.var_json == store.schemas[stored["_schema"]]["json"]
    integer_id = next(a for a, v in store.annotations.items() if v["type"] == "integer")
    text_id = next(a for a, v in store.annotations.items() if v["type"] == "text")
    integer = await api.v2.get_annotation(annotation_id=integer_id)
    assert (
        isinstance(integer, AnnotationInteger)
        and integer.value == store.annotations[integer_id]["value"]
    )
    text = await api.v2.get_annotation(annotation_id=text_id)
    assert isinstance(text, AnnotationText) and text.value == "ok"


async def test_v2_datasets(api: Api) -> None:
    from scale_client import (
        Dataset,
        DatasetDelivery,
        DatasetTask,
        ExpandableEnumDatasetsDeliveries,
        ExpandableEnumDatasetTask,
        GetDatasetDeliveriesResponse,
        GetDatasetDeliveryResponse,
        GetDatasetsResponse,
        GetDatasetTasksResponse,
    )

    store = api.fake.store
    datasets = await api.v2.get_datasets()
    assert isinstance(datasets, GetDatasetsResponse)
    (dataset,) = datasets.datasets
    assert isinstance(dataset, Dataset) and dataset.name == "Demo Dataset"
    deliveries = await api.v2.get_dataset_deliveries(
        dataset_id=dataset.id, expand=[ExpandableEnumDatasetsDeliveries.DATASET]
    )
    assert isinstance(deliveries, GetDatasetDeliveriesResponse)
    (dd,) = deliveries.deliveries
    assert isinstance(dd, DatasetDelivery) and isinstance(dd.dataset, Dataset)
    assert dd.metadata.task_count == 2
    delivery = await api.v2.get_dataset_delivery(
        delivery_id=dd.id, expand=[ExpandableEnumDatasetTask.DELIVERY]
    )
    assert isinstance(delivery, GetDatasetDeliveryResponse)
    assert isinstance(delivery.delivery, DatasetDelivery) and delivery.delivery.id == dd.id
    assert all(isinstance(t.delivery, DatasetDelivery) for t in delivery.tasks)
    tasks = await api.v2.get_dataset_tasks(dataset_id=dataset.id, limit=1)
    assert isinstance(tasks, GetDatasetTasksResponse) and len(tasks.tasks) == 1 and tasks.next_token
    one = await api.v2.get_dataset_task(task_id=tasks.tasks[0].task_id)
    assert isinstance(one, DatasetTask) and one.dataset == dataset.id
    assert one.response == store.dataset_tasks[one.task_id]["response"]
    attachment = one.response["attachments"][0]["id"]
    before = len(api.fake.requests)
    assert await api.v2.get_dataset_task_response_url(one.task_id, attachment) is None
    (sent,) = api.fake.requests[before:]
    assert sent.status == 302 and sent.raw_path.endswith(
        f"/{one.task_id}/response_url/{attachment}"
    )
    with pytest.raises(ScaleResourceNotFound):
        await api.v2.get_dataset_task_response_url(one.task_id, "att_missing")
