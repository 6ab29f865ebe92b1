"""Reference recordings of aidial-client 0.18.0 for wire parity (issue 7).

    from tests.dial.parity import CASES, reference_requests, record_case, diff, apply_deviations
    ref = reference_requests("upload_tuple[sync]")          # list[NormalisedRequest]
    ours = record_case(CASES["upload_tuple[sync]"], OUR_SYNC).requests
    assert not diff(apply_deviations(ref, CASES["upload_tuple[sync]"].deviations), ours)

``reference.json`` holds the same recordings as data (regenerate with
``python -m tests.dial.parity --write``); ``test_parity_reference.py`` checks that the live
recording still matches it.
"""

from .harness import (
    AIDIAL_ASYNC,
    AIDIAL_SYNC,
    CASES,
    CaseEnv,
    CaseRun,
    Flavour,
    ParityCase,
    RecordingSession,
    record_case,
    reference_requests,
    session,
    status_of,
)
from .normalise import (
    COMPARED_HEADERS,
    Deviation,
    NormalisedPart,
    NormalisedRequest,
    apply_deviations,
    diff,
    normalise,
    normalise_all,
)

# isort: off
from . import cases  # noqa: F401, E402  (registers the cases)
# isort: on

__all__ = [
    "AIDIAL_ASYNC",
    "AIDIAL_SYNC",
    "CASES",
    "COMPARED_HEADERS",
    "CaseEnv",
    "CaseRun",
    "Deviation",
    "Flavour",
    "NormalisedPart",
    "NormalisedRequest",
    "ParityCase",
    "RecordingSession",
    "apply_deviations",
    "diff",
    "normalise",
    "normalise_all",
    "record_case",
    "reference_requests",
    "session",
    "status_of",
]
