"""The fake's seed data (``Store(seed=True)``): two teammates, and a GenAI project with a batch,
3 completed chat tasks (threads, annotations), a delivery and response schema, plus a
dataset with a delivery of 2 tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core import utc

if TYPE_CHECKING:
    from .store import Store


def seed_store(store: Store) -> None:
    """Two teammates, and a GenAI project with a batch, 3 completed chat tasks (threads,
    annotations), a delivery and response schema, plus a dataset with a delivery of 2 tasks."""
    for email, role, first, studio in (
        ("owner@example.com", "admin", "Olive", False),
        ("labeler1@example.com", "labeler", "Lena", True),
    ):
        store.teammates[email] = {
            "email": email,
            "role": role,
            "company": "Example Corp",
            "firstName": first,
            "lastName": "Example",
            "isStudioLabeler": studio,
        }
    gp = store.add_project(
        "GenAI Demo",
        "chat",
        {"instruction": "Chat with the model."},
        types=["SFT"],
        models=["demo-model-1"],
    )
    gb = store.add_batch("GenAI Demo", "genai_batch_1", status="in_progress")
    schema_id = store.new_id("schema")
    store.schemas[schema_id] = {
        "id": schema_id,
        "json": '{"type": "object", "properties": {"rating": {"type": "integer"}}}',
    }
    delivered: list[str] = []
    for i in range(3):
        t = store.add_task(
            "chat", {"project": gp["name"], "batch": gb["name"], "metadata": {"seq": i}}
        )
        store.complete_task(t["task_id"], {"responses": [{"rating": i + 3}]})
        t["_threads"] = _thread(store, f"Prompt {i}", f"Answer {i}", i)
        delivered.append(t["task_id"])
    did = store.new_id("delivery")
    store.deliveries[did] = {
        "id": did,
        "name": "delivery-001",
        "task_count": 3,
        "delivered_at": utc(store.now()),
        "project": gp["id"],
        "_tasks": delivered,
        "_schema": schema_id,
    }
    ds = {"id": store.new_id("dataset"), "name": "Demo Dataset"}
    store.datasets[ds["id"]] = ds
    dd = {
        "id": store.new_id("dsdelivery"),
        "name": "dataset-delivery-001",
        "delivered_at": utc(store.now()),
        "dataset": ds["id"],
        "metadata": {"task_count": 2, "turn_count": 4},
    }
    store.dataset_deliveries[dd["id"]] = dd
    for i in range(2):
        tid = store.new_id("task")
        store.dataset_tasks[tid] = {
            "task_id": tid,
            "dataset": ds["id"],
            "delivery": dd["id"],
            "response": {"turns": 2, "attachments": [{"id": f"att_{i}", "name": f"a{i}.txt"}]},
        }


def _thread(store: Store, prompt: str, answer: str, score: int) -> list[dict[str, Any]]:
    ann = {
        "id": store.new_id("annotation"),
        "key": "rating",
        "type": "integer",
        "title": "Overall rating",
        "value": score + 3,
        "possible_values": [1, 2, 3, 4, 5],
    }
    txt = {"id": store.new_id("annotation"), "key": "comment", "type": "text", "value": "ok"}
    for a in (ann, txt):
        store.annotations[a["id"]] = a
    messages = [
        {"role": "user", "content": {"text": prompt}, "source_id": "human", "annotations": []},
        {
            "role": "assistant",
            "content": {"text": answer},
            "source_id": "demo-model-1",
            "model_parameters": {"model": "demo-model-1", "temperature": 0.2},
            "annotations": [txt],
        },
    ]
    turn = {"id": store.new_id("turn"), "messages": messages, "annotations": [ann]}
    return [
        {
            "id": store.new_id("thread"),
            "turns": [turn],
            "annotations": [],
            "submissions": [{"submitted_at": utc(store.now()), "contributor_id": "c_1"}],
        }
    ]
