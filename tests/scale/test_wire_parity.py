"""Wire parity: every parity case, run through ``scaleapi`` and through our generated client
against the same recording fake, puts the same requests on the wire.

Compared per request (``parity_cases.compare``): method, raw path (percent-escape case
normalised), query (ordered multiset of decoded pairs), body (strict JSON / multipart parts)
and the Authorization header.  Error cases inject persistent faults and compare the first
attempt of each retried request (``collapse_retries``), then also pin our retry count.

Cases that cannot run verbatim on our client because of a documented, deliberate difference
(spec header of ``specs/scale/openapi.yaml``) are not silently dropped: they appear as
skipped tests whose id starts with ``EXCLUDED-`` and carries the reason.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.scale.conftest import RecorderSession
from tests.scale.parity_cases import (
    PARITY_CASES,
    SCALEAPI,
    ParityCase,
    compare,
    ours_flavour,
    record_case,
    retries_in,
)

OUR_MAX_RETRIES = 2


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.=-]+", "-", text).strip("-")[:140]


def _params() -> list[Any]:
    out = []
    for c in PARITY_CASES:
        if c.excluded:
            out.append(
                pytest.param(
                    c,
                    id=f"EXCLUDED-{c.name}-{_slug(c.excluded)}",
                    marks=pytest.mark.skip(reason=f"excluded: {c.excluded}"),
                )
            )
        else:
            out.append(pytest.param(c, id=c.name))
    return out


@pytest.mark.parametrize("case", _params())
def test_wire_parity(case: ParityCase, recorder: RecorderSession) -> None:
    theirs = record_case(case, SCALEAPI, recorder)
    ours = record_case(case, ours_flavour(OUR_MAX_RETRIES), recorder)
    assert theirs.log, "the case made no request"
    diff = compare(
        theirs.log,
        ours.log,
        collapse_retries=case.collapse_retries,
        labels=("scaleapi", "scale_client"),
    )
    assert not diff, f"wire differs for {case.name}:\n{diff}"
    assert theirs.status == ours.status == case.expect_status
    if case.expect_status is not None:
        # Same failing status on the wire for both, and the exception is ours.
        import scale_client

        assert isinstance(ours.error, scale_client.ScaleException), repr(ours.error)
        assert ours.log[-1].status == case.expect_status
    if case.collapse_retries:
        # scaleapi does not retry over http://; we retry 408/429/5xx-on-idempotent.
        assert retries_in(theirs.log) == 0
        expected = OUR_MAX_RETRIES if _retryable(case, ours.log[-1]) else 0
        assert retries_in(ours.log) == expected, [r.summary() for r in ours.log]


def _retryable(case: ParityCase, last: Any) -> bool:
    """Our retry rule (runtime contract): 429 always; 5xx only on idempotent methods or with
    the operation's idempotency key in the body (none of the POST cases sends one)."""
    if last.status == 429:
        return True
    return last.method in ("GET", "PUT", "DELETE")


def test_enough_cases_really_compare() -> None:
    """At least 20 cases run on both clients, covering the required ground."""
    live = [c for c in PARITY_CASES if not c.excluded]
    assert len(live) >= 20
    names = {c.name for c in live}
    for required in (
        "create_task_image_annotation",
        "create_task_text_collection",
        "create_task_categorization",
        "get_tasks_filters_three_pages",
        "get_batches_offset_paging",
        "projects_crud_and_versions",
        "upload_file_multipart",
        "names_with_spaces_and_slashes",
    ):
        assert required in names
    statuses = {c.expect_status for c in live}
    assert statuses >= {400, 401, 404, 409, 429, 500}
    for c in PARITY_CASES:
        if c.excluded:
            assert "deliberate difference" in c.excluded


def test_excluded_case_really_fails_on_ours(recorder: RecorderSession) -> None:
    """The exclusion is honest: the verbatim scaleapi call is refused by our client (a
    TypeError before anything is sent), while the flavour-aware twin case matches."""
    excluded = [c for c in PARITY_CASES if c.excluded]
    assert excluded
    for c in excluded:
        with pytest.raises(AssertionError, match="TypeError"):
            record_case(c, ours_flavour(OUR_MAX_RETRIES), recorder)
        priorities = [r for r in recorder.log if r.path.endswith("/set_priorities")]
        assert priorities == []


def test_three_pages_are_really_three_requests(recorder: RecorderSession) -> None:
    """Guard against a vacuous comparison: the paging case does page (3 GET /v1/tasks)."""
    case = next(c for c in PARITY_CASES if c.name == "get_tasks_filters_three_pages")
    run = record_case(case, ours_flavour(OUR_MAX_RETRIES), recorder)
    pages = [r for r in run.log if r.method == "GET" and r.raw_path == "/v1/tasks"]
    assert len(pages) == 3
    assert [dict(r.query).get("next_token") is None for r in pages] == [True, False, False]
    assert all(dict(r.query)["project"] == "My Project/2024 v1" for r in pages)
