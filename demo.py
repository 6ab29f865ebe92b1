"""The main job, end to end: the regenerated clients against local servers.

`nox -s demo` first runs `python -m codegen generate` (every spec under specs/ into
generated/), then this script: it starts the stateful Scale fake from tests/servers on
127.0.0.1, and runs the calls of the user's own Scale documentation through the generated
`scale_client`, sync and async, printing what comes back; then ``demo_dial.py`` does the
same for ``dial_client`` against the DIAL Core fake and an aidial-sdk chat app, and
``demo_decthings.py`` for ``decthings_client`` against the Decthings fake.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "generated")]

from scale_client import (  # noqa: E402
    AsyncScaleClient,
    BatchStatus,
    ScaleClient,
    ScaleDuplicateTask,
    ScaleException,
    TaskReviewStatus,
    TaskStatus,
    TaskType,
)

from tests.servers.scale_fake import create_app  # noqa: E402
from tests.support.server import serve  # noqa: E402

KEY = "live_demo_key"


def step(title: str) -> None:
    print(f"\n== {title}")


def sync_demo(base_url: str, app: Any) -> None:
    client = ScaleClient(KEY, base_url=base_url)
    print(repr(client))

    step("create_project / get_project / projects()")
    project = client.create_project(
        project_name="test_project",
        task_type=TaskType.ImageAnnotation,
        params={"instruction": "Please label the kittens"},
    )
    print("created", project.name, project.type)
    print("fetched", client.get_project(project_name="test_project").name)
    for counter, project in enumerate(client.projects(), 1):
        print(f"Downloading project {counter} | {project.name} | {project.type}")
    data = client.update_project(
        project_name="test_project", patch=False, instruction="update: Please label all the stuff"
    )
    print("update_project ->", data.name, "versions:", len(data.param_history or []))

    step("create_batch / finalize / status")
    client.create_batch(
        project="test_project",
        callback="http://www.example.com/callback",
        batch_name="batch_name_01_07_2021",
    )

    step("create_task (and a duplicate unique_id)")
    payload = dict(
        project="test_project",
        batch="batch_name_01_07_2021",
        callback_url="http://www.example.com/callback",
        instruction="Draw a box around each baby cow and big cow.",
        attachment_type="image",
        attachment="http://i.imgur.com/v4cBreD.jpg",
        unique_id="c235d023af73",
        geometries={
            "box": {
                "objects_to_annotate": ["Baby Cow", "Big Cow"],
                "min_height": 10,
                "min_width": 10,
            }
        },
    )
    task = client.create_task(TaskType.ImageAnnotation, **payload)
    print("created task", task.task_id, task.status)
    try:
        client.create_task(TaskType.ImageAnnotation, **payload)
    except ScaleDuplicateTask as err:
        print("ScaleDuplicateTask:", err.message)

    app.state.store.complete_task(task.task_id)  # out of band: a labeler finishes it
    task = client.get_task(task.task_id)
    print("status:", task.status, "| response:", task.response)

    tasks = client.get_tasks(
        project_name="test_project",
        created_after="2020-09-08",
        status=TaskStatus.Completed,
    )
    for task in tasks:
        print("listed", task.task_id)
    print(client.get_tasks_count(project_name="test_project"), "task(s) in test_project")
    completed = client.get_tasks(
        project_name="test_project",
        status=TaskStatus.Completed,
        review_status=TaskReviewStatus.Accepted,
    )
    print(len(list(completed)), "completed and accepted")

    client.finalize_batch(batch_name="batch_name_01_07_2021")
    print("batch_status ->", client.batch_status(batch_name="batch_name_01_07_2021"))
    batch = client.get_batch("batch_name_01_07_2021")
    batch.get_status()  # refreshes tasks_{status} attributes of Batch
    print("pending:", batch.tasks_pending, "completed:", batch.tasks_completed)
    for counter, batch in enumerate(client.get_batches(batch_status=BatchStatus.InProgress), 1):
        print(f"Downloading batch {counter} | {batch.name} | {batch.project}")

    step("retries: safe ones only, and the 409 recovery")
    app.state.faults.act_then_fail("POST", "/v1/task/", 500)  # created, but the answer is lost
    cow = {k: v for k, v in payload.items() if k != "unique_id"}
    again = client.create_task(TaskType.ImageAnnotation, **cow, unique_id="u-42")
    print("create_task after a lost 500 -> retried, got 409, recovered", again.task_id)
    app.state.faults.fail_next("POST", "/v1/task/", 500)
    try:
        client.create_task(TaskType.ImageAnnotation, **cow)  # no unique_id
    except ScaleException as err:
        print("no unique_id, so no retry after a 500:", type(err).__name__, err.code)
    raw = client.with_raw_response.get_task(again.task_id)
    print("raw response:", raw.status_code, raw.headers["content-type"], raw.request_id)

    cancelled = client.cancel_task(again.task_id)
    print("cancel_task ->", cancelled.status)

    step("errors carry code and message")
    try:
        client.create_task(TaskType.TextCollection, attachment="Some parameters are missing.")
    except ScaleException as err:
        print(type(err).__name__, err.code, err.message)
    try:
        client.get_task("does-not-exist")
    except ScaleException as err:
        print(type(err).__name__, err.code, err.message, "| request id:", err.request_id)
    client.close()


async def async_demo(base_url: str) -> None:
    step("the same API, async")
    async with AsyncScaleClient(KEY, base_url=base_url) as client:
        batch = await client.get_batch("batch_name_01_07_2021")
        print("batch", batch.name, batch.status)
        async for task in client.get_tasks(project_name="test_project"):
            print("iterated asynchronously:", task.task_id, task.status)
        page = await client.v2.get_tasks(project_name="test_project", limit=10)
        print("v2 page with", len(page.tasks), "task(s)")


def main() -> None:
    app = create_app(api_keys={KEY})
    with serve(app) as base_url:
        print("Scale fake listening on", base_url)
        sync_demo(base_url, app)
        asyncio.run(async_demo(base_url))
    import demo_dial

    demo_dial.main()
    import demo_decthings

    demo_decthings.main()
    print("\nDemo finished.")


if __name__ == "__main__":
    main()
