"""What the ``test_seed_docs_*`` modules share: the README's task id, batch name and create-task
payload, ``SeedState`` (the state the README's examples presuppose, put in the fake out of
band; the ``seeded`` fixture in ``conftest.py`` builds it) and the README's client set-up
(``readme_client`` / ``readme_aclient``: our clients at the fake's URL)."""

from __future__ import annotations

from typing import Any

from scale_client import AsyncScaleClient, ScaleClient

from tests.scale.conftest import FakeServer, make_our_client

TASK_ID = "30553edd0b6a93f8f05f0fee"
BATCH = "batch_name_01_07_2021"
README_PAYLOAD: dict[str, Any] = dict(
    project="test_project",
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


class SeedState:
    """What the README's examples presuppose, put in the fake out of band."""

    def __init__(self, fake: FakeServer) -> None:
        store = fake.store
        with store.lock:
            # the README's task id, pending (so it can be retrieved, then canceled)
            t = store.add_task("imageannotation", {"project": "test_project", "attachment": "a"})
            store.tasks[TASK_ID] = store.tasks.pop(t["task_id"])
            t["task_id"] = TASK_ID
            # "My Project": tasks for the README's filters (completed between the dates,
            # accepted), and decoys each failing one filter
            store.add_project("My Project", "imageannotation")
            self.matching: list[str] = []
            for i, (completed_at, review) in enumerate(
                [
                    ("2021-01-10T00:00:00.000Z", "accepted"),
                    ("2021-02-10T00:00:00.000Z", "accepted"),
                    ("2021-05-10T00:00:00.000Z", "accepted"),  # completed too late
                    ("2021-03-10T00:00:00.000Z", "rejected"),  # not accepted
                    ("2021-03-31T00:00:00.000Z", "accepted"),
                    (None, None),  # still pending
                ]
            ):
                task = store.add_task(
                    "imageannotation", {"project": "My Project", "tags": [str(i)]}
                )
                task["created_at"] = "2020-10-01T00:00:00.000Z"
                if completed_at is not None:
                    store.complete_task(task["task_id"])
                    task["completed_at"] = completed_at
                    task["customer_review_status"] = review
                    if review == "accepted" and completed_at < "2021-04":
                        self.matching.append(task["task_id"])
            # two tasks already pointing at the README's batch (one completed)
            a = store.add_task("imageannotation", {"project": "test_project", "batch": BATCH})
            b = store.add_task("imageannotation", {"project": "test_project", "batch": BATCH})
            store.complete_task(b["task_id"])
            self.batch_tasks = [a["task_id"], b["task_id"]]
            # completed batches for get_batches(batch_status=BatchStatus.Completed)
            for name in ("done_1", "done_2"):
                store.add_batch("test_project", name)["status"] = "completed"
            store.add_batch("test_project", "still_staging")


def readme_client(fake: FakeServer) -> ScaleClient:
    # The README: ``client = scaleapi.ScaleClient("YOUR_API_KEY_HERE")`` (+ the fake's URL)
    client: ScaleClient = make_our_client(fake.base_url, False)
    return client


def readme_aclient(fake: FakeServer) -> AsyncScaleClient:
    client: AsyncScaleClient = make_our_client(fake.base_url, True)
    return client
