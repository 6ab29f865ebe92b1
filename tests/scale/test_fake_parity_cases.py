"""The parity cases (``tests/scale/parity_cases``) run on the official ``scaleapi`` client
against the Scale fake: each case ends with the expected status and exception class, the
cases call every public scaleapi v1 method, recording a case twice gives identical traffic,
different cases do not compare equal, and ``record_case`` / ``run_case`` check outcomes.
"""

from __future__ import annotations

from typing import Any

import pytest
from scaleapi import exceptions as sx

from tests.scale.conftest import FakeServer, RecorderSession
from tests.scale.parity_cases import (
    PARITY_CASES,
    SCALEAPI,
    ParityCase,
    case_id,
    compare,
    record_case,
    retries_in,
    run_case,
)

SCALEAPI_ERRORS = {
    400: sx.ScaleInvalidRequest,
    401: sx.ScaleUnauthorized,
    402: sx.ScaleNotEnabled,
    404: sx.ScaleResourceNotFound,
    409: sx.ScaleDuplicateResource,
    429: sx.ScaleTooManyRequests,
    500: sx.ScaleInternalError,
    503: sx.ScaleServiceUnavailable,
    504: sx.ScaleTimeoutError,
}


V1_METHODS = {  # every public scaleapi v1 method (43; v2_get_tasks is the 44th)
    "get_task",
    "cancel_task",
    "audit_task",
    "update_task_unique_id",
    "clear_task_unique_id",
    "set_task_metadata",
    "set_task_tags",
    "add_task_tags",
    "delete_task_tags",
    "tasks",
    "get_tasks",
    "get_tasks_count",
    "create_task",
    "create_batch",
    "finalize_batch",
    "batch_status",
    "get_batch",
    "batches",
    "get_batches",
    "set_batch_metadata",
    "create_project",
    "get_project",
    "get_projects",
    "projects",
    "update_project",
    "get_project_template",
    "upload_file",
    "import_file",
    "create_evaluation_task",
    "create_training_task",
    "list_teammates",
    "invite_teammates",
    "update_teammates_role",
    "list_studio_assignments",
    "add_studio_assignments",
    "remove_studio_assignments",
    "list_project_groups",
    "create_project_group",
    "update_project_group",
    "list_studio_batches",
    "assign_studio_batches",
    "set_studio_batches_priorities",
    "reset_studio_batches_priorities",
}


@pytest.mark.parametrize("case", PARITY_CASES, ids=case_id)
def test_parity_case_runs_on_scaleapi(case: ParityCase, scale_fake: FakeServer) -> None:
    env = SCALEAPI.env(scale_fake.base_url, scale_fake.app)
    error = run_case(env.make_client(), case, env)
    log = scale_fake.requests
    assert log, "the case made no request"
    if case.expect_status is None:
        assert [r.summary() for r in log if r.status != 200] == []
    else:
        assert type(error) is SCALEAPI_ERRORS[case.expect_status]
        assert log[-1].status == case.expect_status
        assert error.message and "<Response" not in error.message  # message = body["error"]
        assert retries_in(log) == 0  # scaleapi does not retry over http://


def test_parity_cases_cover_every_v1_method(scale_fake: FakeServer) -> None:
    called: set[str] = set()

    class Spy:
        def __init__(self, client: Any) -> None:
            self._client = client

        def __getattr__(self, name: str) -> Any:
            called.add(name)
            return getattr(self._client, name)

    assert len(PARITY_CASES) >= 24
    assert len({c.name for c in PARITY_CASES}) == len(PARITY_CASES)
    for case in PARITY_CASES:
        scale_fake.reset()
        env = SCALEAPI.env(scale_fake.base_url, scale_fake.app)
        run_case(Spy(env.make_client()), case, env)
    assert V1_METHODS - called == set()
    assert {c.expect_status for c in PARITY_CASES} >= {None, 400, 401, 404, 409, 429, 500}


@pytest.mark.parametrize("case", PARITY_CASES, ids=case_id)
def test_parity_pipeline_is_deterministic(case: ParityCase, recorder: RecorderSession) -> None:
    """Two runs of the same case with the same client record identical traffic."""
    first = record_case(case, SCALEAPI, recorder)
    second = record_case(case, SCALEAPI, recorder)
    assert first.log and first.status == second.status == case.expect_status
    assert compare(first.log, second.log, collapse_retries=case.collapse_retries) == ""
    assert [r.status for r in first.log] == [r.status for r in second.log]
    assert [r.response_body for r in first.log] == [r.response_body for r in second.log]


def test_different_cases_do_not_compare_equal(recorder: RecorderSession) -> None:
    by_name = {c.name: c for c in PARITY_CASES}
    a = record_case(by_name["create_task_image_annotation"], SCALEAPI, recorder)
    b = record_case(by_name["create_task_categorization"], SCALEAPI, recorder)
    diff = compare(a.log, b.log)
    assert "request count: 1 (first) != 3 (second)" in diff
    assert "path: /v1/task/imageannotation != /v1/projects" in diff


def test_record_case_without_session_starts_its_own_server() -> None:
    run = record_case(
        next(c for c in PARITY_CASES if c.name == "error_409_duplicate_batch_name"), SCALEAPI
    )
    assert run.status == 409 and isinstance(run.error, sx.ScaleDuplicateResource)
    assert [r.status for r in run.log] == [200, 409]


def test_run_case_checks_the_expected_outcome(scale_fake: FakeServer) -> None:
    env = SCALEAPI.env(scale_fake.base_url, scale_fake.app)
    quiet = ParityCase("quiet", lambda client, env: client.projects(), expect_status=409)
    with pytest.raises(AssertionError, match="expected an API error with status 409"):
        run_case(env.make_client(), quiet, env)
    loud = ParityCase("loud", lambda client, env: client.get_task("nope"))
    with pytest.raises(AssertionError, match="unexpected ScaleResourceNotFound"):
        run_case(env.make_client(), loud, env)
    wrong = ParityCase("wrong", lambda client, env: client.get_task("nope"), expect_status=400)
    with pytest.raises(AssertionError, match="status 400"):
        run_case(env.make_client(), wrong, env)
