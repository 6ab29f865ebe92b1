"""Wire parity: every recorded aidial-client 0.18.0 case (tests/dial/parity/cases.py), run
by our ``Dial`` and ``AsyncDial`` against the same recording Core fake, sends the same
requests (method, raw path, query, parsed JSON, multipart parts, auth and conditional
headers), except where the case declares a deliberate deviation (and the one below)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.dial.parity import (
    CASES,
    Flavour,
    NormalisedRequest,
    ParityCase,
    apply_deviations,
    diff,
    record_case,
    reference_requests,
    status_of,
)
from tests.dial.parity.harness import scenarios
from tests.dial.servers.core_fake import API_KEY


def _flavour(is_async: bool) -> Flavour:
    def build(base_url: str, **credentials: Any) -> Any:
        import dial_client

        cls = dial_client.AsyncDial if is_async else dial_client.Dial
        return cls(base_url=base_url, **(credentials or {"api_key": API_KEY}))

    def close(client: Any) -> Any:
        return client.aclose() if is_async else client.close()

    return Flavour("dial_client-async" if is_async else "dial_client-sync", is_async, build, close)


OURS_SYNC, OURS_ASYNC = _flavour(False), _flavour(True)

# Our own deviation, on top of the cases': aidial-client always puts ``"model": model or
# deployment_name`` in the chat body; our generated ``create`` sends ``model`` only when
# given (DIAL routes by the path; the compiler has no "default from another argument").
MODEL_IN_CHAT_BODY = "chat body: 'model' only when the caller gives it"


def _expected(case: ParityCase) -> list[NormalisedRequest]:
    out = apply_deviations(reference_requests(case), case.deviations)
    for i, request in enumerate(out):
        if request.path.endswith("/chat/completions") and isinstance(request.json, dict):
            body = {k: v for k, v in request.json.items() if k != "model"}
            out[i] = dataclasses.replace(request, json=body)
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_our_client_sends_what_aidial_client_sends(name: str) -> None:
    case = CASES[name]
    flavour = OURS_ASYNC if case.flavour == "async" else OURS_SYNC
    run = record_case(case, flavour)
    assert run.log and all(
        (r.header("user-agent") or "").startswith("dial-client/") for r in run.log
    ), "not our client on the wire"
    assert status_of(run.error) == case.ours_status, f"{name}: ended with {run.error!r}"
    if case.ours_status is None:
        assert run.error is None, f"{name}: {run.error!r}"
    problems = diff(_expected(case), run.requests, ("aidial-client (+deviations)", "ours"))
    assert not problems, f"{name}:\n{problems}"


def test_parity_covers_at_least_fifteen_calls_of_the_issue_list() -> None:
    assert len(scenarios()) >= 15
    every = [r for name in CASES for r in _expected(CASES[name])]
    chat = [r for r in every if r.path.endswith("/chat/completions")]
    assert {r.json["stream"] for r in chat} == {True, False}
    kinds = {(r.method, r.path.split("/")[1], r.path.split("/")[2]) for r in every}
    assert {("GET", "openai", "deployments"), ("GET", "openai", "applications")} <= kinds
    assert {("PUT", "v1", "files"), ("GET", "v1", "files"), ("DELETE", "v1", "files")} <= kinds
    assert ("GET", "v1", "metadata") in kinds
    assert {p.filename for r in every for p in r.parts} >= {"upload", "some-local-file.txt"}


def test_the_chat_model_deviation_is_the_only_extra_one() -> None:
    """Everything our client sends differently is declared: the cases' deviations, and
    the chat body's ``model`` key (aidial-client sends the deployment name there)."""
    for name, case in CASES.items():
        reference = apply_deviations(reference_requests(case), case.deviations)
        for ref, ours in zip(reference, _expected(case), strict=True):
            if ref != ours:
                assert ref.path.endswith("/chat/completions"), name
                assert ref.json.get("model") == ref.path.split("/")[3], MODEL_IN_CHAT_BODY
