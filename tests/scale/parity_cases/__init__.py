"""Wire-parity cases: the same calls made through ``scaleapi.ScaleClient`` and through our
generated ``scale_client.ScaleClient`` must put the same requests on the wire.

A case is ``fn(client, env)``.  It uses only scaleapi v1 method and parameter names, and
passes every argument except path parameters by keyword (ours are keyword-only); enums
come from ``env`` (``env.TaskType``, ``env.TaskStatus``, ``env.TaskReviewStatus``,
``env.BatchStatus``, ``env.TeammateRole``: the members of whichever package is under test),
and ``env`` also gives out-of-band control of the fake behind the server (``env.complete``,
``env.faults``) and ``env.make_client(api_key)``.  A case may assert on results, but only
through attributes both clients share (see ``_get``).  Error cases end with the failing
call; ``expect_status`` says which status must be raised.  The fake behind the server is
created with ``projects=("test_project",)`` (the README payloads use that project) and
``page_size=PARITY_PAGE_SIZE``; everything else a case needs it creates itself.

How 429/500/503 are compared honestly: scaleapi mounts its retry adapter on https:// only,
so against our http:// test server it sends each call once, while our client retries.  The
error cases therefore inject a *persistent* fault (``times=None``, ``Retry-After: 0`` so
retries do not sleep) and are marked ``collapse_retries=True``: ``compare`` then collapses
each run of identical consecutive requests answered 408/429/5xx to its first attempt, so
exactly the FIRST request of each client is compared for the failing call (a retry that
differs from the first attempt is not collapsed and shows up as a diff), and both clients
must end with the same exception status.  ``retries_in(log)`` counts the collapsed
attempts, for tests that also want to pin our retry count (1 + max_retries attempts).

A case whose ``excluded`` is set cannot run verbatim on our client because of a documented,
deliberate difference; ``test_wire_parity.py`` reports it as excluded, with the reason in the
test id.  ``env.flavour`` ("scaleapi" / "ours") lets a case call each client its own way where
the spec documents such a difference, so the wire can still be compared.

``tests/scale/test_wire_parity.py`` is essentially::

    @pytest.mark.parametrize("case", PARITY_CASES, ids=case_id)
    def test_wire_parity(case, recorder):
        a = record_case(case, SCALEAPI, recorder)
        b = record_case(case, ours_flavour(), recorder)
        diff = compare(a.log, b.log, collapse_retries=case.collapse_retries)
        assert not diff, diff
        assert a.status == b.status == case.expect_status
"""

from __future__ import annotations

from .comparison import (
    collapse_attempts,
    compare,
    compare_request,
    json_diff,
    normalise_path,
    retries_in,
)
from .harness import (
    API_KEY,
    PARITY_CASES,
    PARITY_PAGE_SIZE,
    SCALEAPI,
    CaseEnv,
    CaseRun,
    Flavour,
    ParityCase,
    case_id,
    ours_flavour,
    record_case,
    run_case,
    status_of,
)

# The case modules register their cases on import, in this order (= PARITY_CASES order).
# isort: off
from . import cases_create_and_list  # noqa: F401, E402
from . import cases_batches_projects_files  # noqa: F401, E402
from . import cases_task_updates  # noqa: F401, E402
from . import cases_teams_studio  # noqa: F401, E402
from . import cases_errors  # noqa: F401, E402
# isort: on


__all__ = [
    "API_KEY",
    "CaseEnv",
    "CaseRun",
    "Flavour",
    "PARITY_CASES",
    "PARITY_PAGE_SIZE",
    "ParityCase",
    "SCALEAPI",
    "case_id",
    "collapse_attempts",
    "compare",
    "compare_request",
    "json_diff",
    "normalise_path",
    "ours_flavour",
    "record_case",
    "retries_in",
    "run_case",
    "status_of",
]
