"""The aidial-client reference recordings: stored data matches a live run, sync and async
agree, the cases cover issue 7's parity list, deviations are real, normalisation is exact."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import httpx
import pytest

from tests.dial.parity import (
    CASES,
    Deviation,
    NormalisedRequest,
    RecordingSession,
    apply_deviations,
    diff,
    normalise,
    reference_requests,
)
from tests.dial.parity.harness import scenarios
from tests.dial.servers.multipart import MultipartError, parse_multipart
from tests.servers.wire import RecordedRequest

STORED = json.loads((Path(__file__).parent / "parity" / "reference.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_live_recording_matches_reference_json(name: str) -> None:
    live = [r.to_dict() for r in reference_requests(name)]
    assert live == STORED[name], (
        "aidial-client's wire changed; inspect, then `python -m tests.dial.parity --write`"
    )
    assert [NormalisedRequest.from_dict(d) for d in STORED[name]] == reference_requests(name)


@pytest.mark.parametrize("scenario", scenarios())
def test_sync_and_async_clients_send_the_same_requests(scenario: str) -> None:
    sync, asyn = reference_requests(f"{scenario}[sync]"), reference_requests(f"{scenario}[async]")
    assert sync and not diff(sync, asyn, ("sync", "async"))


def test_cases_cover_the_issue_parity_list() -> None:
    assert set(STORED) == set(CASES) and len(scenarios()) >= 15
    every = [r for name in CASES for r in reference_requests(name)]
    chat = [r for r in every if r.path.endswith("/chat/completions")]
    assert {r.json["stream"] for r in chat} == {True, False}
    assert any(r.path == "/openai/deployments" for r in every)
    assert any(r.path.startswith("/openai/deployments/") and r.method == "GET" for r in every)
    assert any(r.path == "/openai/applications" for r in every)
    filenames = {p.filename for r in every for p in r.parts}
    assert {"upload", "some-local-file.txt", "custom name.csv"} <= filenames  # bytes, open, tuple
    files = [r for r in every if r.path.startswith("/v1/files/")]
    assert {r.method for r in files} == {"GET", "PUT", "DELETE"}
    assert any(r.path.startswith("/v1/metadata/") for r in every)
    assert any("%20" in r.path and "%C3%AF" in r.path and "%23" in r.path for r in files)
    assert {h for r in every for h, _ in r.headers} >= {
        "api-key",
        "authorization",
        "content-type",
        "if-match",
        "if-none-match",
    }


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.deviations))
def test_deviations_change_what_they_name(name: str) -> None:
    case = CASES[name]
    reference = reference_requests(case)
    inserted = 0
    for d in case.deviations:
        assert d.why
        if d.field == "insert":
            assert isinstance(d.ours, NormalisedRequest) and 0 <= d.index <= len(reference)
            inserted += 1
        else:
            assert 0 <= d.index < len(reference)
            assert getattr(reference[d.index], d.field) != d.ours
    ours = apply_deviations(reference, case.deviations)
    assert diff(reference, ours) and len(ours) == len(reference) + inserted


def _rec(**kw: object) -> RecordedRequest:
    base: dict[str, object] = {"method": "GET", "raw_path": "/x", "query_string": "", "headers": []}
    base.update(kw)
    return RecordedRequest(**base)  # type: ignore[arg-type]


def test_normalise_paths_queries_and_headers() -> None:
    rec = _rec(
        raw_path="/v1/files/B/a%2fb%c3%bc",
        query_string="token=a+b&limit=2&token=c%20d",
        headers=[("api-key", "K"), ("user-agent", "x"), ("x-stainless-os", "Linux")],
    )
    n = normalise(rec)
    assert n.path == "/v1/files/B/a%2Fb%C3%BC"
    assert n.query == (("limit", "2"), ("token", "a b"), ("token", "c d"))
    assert n.headers == (("api-key", "K"),)


def test_normalise_multipart_removes_the_boundary() -> None:
    def body(boundary: str) -> bytes:
        return (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="a %22b%22 ü.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
            f"line1\r\nline2\r\n--{boundary}--\r\n"
        ).encode()

    one, two = (
        normalise(
            _rec(
                method="PUT",
                headers=[("content-type", f"multipart/form-data; boundary={b}")],
                body=body(b),
            )
        )
        for b in ("aaa111", "bbb222")
    )
    assert one == two and one.headers == (
        ("content-type", "multipart/form-data; boundary=<boundary>"),
    )
    (part,) = one.parts
    assert (part.name, part.filename, part.content_type) == (
        "file",
        "a %22b%22 ü.txt",
        "text/plain",
    )
    assert part.content == b"line1\r\nline2"
    changed = dataclasses.replace(part, content=b"other")
    assert diff([one], [dataclasses.replace(one, parts=(changed,))])


def test_multipart_parser_refuses_malformed_bodies() -> None:
    with pytest.raises(MultipartError):
        parse_multipart(b"no boundary here", "b")
    with pytest.raises(MultipartError):
        parse_multipart(b"--b\r\nContent-Disposition: form-data\r\n\r\nunterminated", "b")
    (field,) = parse_multipart(
        b'--b\r\ncontent-disposition: form-data; name="f"\r\n\r\nv\r\n--b--', "b"
    )
    assert (field.name, field.filename, field.content_type, field.content) == (
        "f",
        None,
        None,
        b"v",
    )


def test_diff_reports_counts_and_fields() -> None:
    a = NormalisedRequest("GET", "/a")
    b = dataclasses.replace(a, path="/b")
    assert diff([a], [a]) == ""
    assert "path" in diff([a], [b]) and "request count" in diff([a], [a, b])
    dev = Deviation(0, "path", "/b", "why")
    assert apply_deviations([a], [dev]) == [b]


def test_dial_recorder_fixture_records_the_wire(dial_recorder: RecordingSession) -> None:
    with httpx.Client(base_url=dial_recorder.base_url) as http:
        r = http.get("/openai/deployments/team%2fllm", headers={"api-key": "dial-test-key"})
    assert r.json()["id"] == "team/llm"
    (rec,) = dial_recorder.log
    assert rec.raw_path == "/openai/deployments/team%2fllm" and rec.status == 200
