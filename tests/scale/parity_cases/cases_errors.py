"""Parity error cases: each ends with the failing call and ``expect_status`` says which status
it must raise (400, 401, 402, 404, 409; 429 / 500 / 503 through persistent injected faults,
compared on the first attempt with ``collapse_retries``).
"""

from __future__ import annotations

from typing import Any

from .case_helpers import IMG, _image_task
from .harness import CaseEnv, case


@case(expect_status=400)
def error_400_missing_required_field(client: Any, env: CaseEnv) -> None:
    client.create_task(
        env.TaskType.TextCollection,
        project="test_project",
        instruction="Some parameters are missing.",
    )


@case(expect_status=401)
def error_401_bad_api_key(client: Any, env: CaseEnv) -> None:
    env.make_client("live_not_a_valid_key").projects()


@case(expect_status=402)
def error_402_task_type_not_enabled(client: Any, env: CaseEnv) -> None:
    client.create_task(
        env.TaskType.Federal2dVideoAnnotation, project="test_project", attachment=IMG
    )


@case(expect_status=404)
def error_404_unknown_task(client: Any, env: CaseEnv) -> None:
    client.get_task("5f00000000000000000000ff")


@case(expect_status=404)
def error_404_unknown_batch_with_slash(client: Any, env: CaseEnv) -> None:
    client.get_batch("no such/batch")


@case(expect_status=409)
def error_409_duplicate_batch_name(client: Any, env: CaseEnv) -> None:
    client.create_batch(project="test_project", batch_name="dup batch")
    client.create_batch(project="test_project", batch_name="dup batch")


@case(expect_status=409)
def error_409_duplicate_unique_id(client: Any, env: CaseEnv) -> None:
    _image_task(client, env, unique_id="dup-uid")
    _image_task(client, env, unique_id="dup-uid")


@case(expect_status=429, collapse_retries=True)
def error_429_rate_limited(client: Any, env: CaseEnv) -> None:
    client.get_project("test_project")
    env.faults.fail_always("GET", "/v1/projects", 429, retry_after=0)
    client.projects()


@case(expect_status=500, collapse_retries=True)
def error_500_internal(client: Any, env: CaseEnv) -> None:
    task = _image_task(client, env)
    env.faults.fail_always("GET", f"/v1/task/{task.task_id}", 500, retry_after=0)
    client.get_task(task.task_id)


@case(expect_status=503, collapse_retries=True)
def error_503_on_post(client: Any, env: CaseEnv) -> None:
    env.faults.fail_always("POST", "/v1/batches", 503, retry_after=0)
    client.create_batch(project="test_project", batch_name="unavailable batch")
