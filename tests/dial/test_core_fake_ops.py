"""The DIAL Core fake's prompts, move/copy, grants, faults, request log, controls and its
chat-completions proxy to the aidial-sdk app."""

from __future__ import annotations

import json
import time

import pytest

from tests.dial.conftest import (
    BEARER_TOKEN,
    BUCKET,
    OTHER_BUCKET,
    PER_REQUEST_KEY,
    CoreFakeServer,
)

PROMPT = {"id": "p", "name": "greeting", "folderId": f"prompts/{BUCKET}/", "content": "Hi {{x}}"}


def test_prompts_put_get_delete(core_fake: CoreFakeServer) -> None:
    url = f"/v1/prompts/{BUCKET}/my%20prompts/greeting"
    with core_fake.http() as http:
        put = http.put(url, json=PROMPT)
        got = http.get(url)
        stale = http.put(url, json=PROMPT, headers={"If-Match": "old"})
        exists = http.put(url, json=PROMPT, headers={"If-None-Match": "*"})
        listing = http.get(f"/v1/metadata/prompts/{BUCKET}/my%20prompts/").json()
        bad = http.put(url, content=b"[1]", headers={"content-type": "application/json"})
        deleted = http.delete(url, headers={"If-Match": put.headers["etag"]})
        missing = http.get(url)
    meta = put.json()
    assert meta["resourceType"] == "PROMPT" and "contentLength" not in meta
    assert put.headers["etag"] == meta["etag"] == got.headers["etag"]
    assert json.loads(got.content) == PROMPT and "content-type" not in got.headers
    assert stale.status_code == exists.status_code == 412
    assert [i["name"] for i in listing["items"]] == ["greeting"]
    assert bad.status_code == 400 and deleted.status_code == 200
    assert (missing.status_code, missing.text) == (
        404,
        f"Not found: prompts/{BUCKET}/my%20prompts/greeting",
    )


def _op(
    core_fake: CoreFakeServer, op: str, src: str, dst: str, overwrite: bool = False
) -> tuple[int, str]:
    with core_fake.http() as http:
        body = {"sourceUrl": src, "destinationUrl": dst, "overwrite": overwrite}
        r = http.post(f"/v1/ops/resource/{op}", json=body)
    return r.status_code, r.text


def test_move_and_copy(core_fake: CoreFakeServer) -> None:
    core_fake.put_file("a b.txt", b"a")
    core_fake.put_file("taken.txt", b"t")
    f = f"files/{BUCKET}"
    assert _op(core_fake, "copy", f"{f}/a%20b.txt", f"{f}/copy.txt") == (200, "")
    assert _op(core_fake, "move", f"{f}/a%20b.txt", f"{f}/taken.txt") == (
        400,
        f"Can't move resource {f}/a%20b.txt to {f}/taken.txt, because destination resource already exists",
    )
    assert _op(core_fake, "move", f"{f}/a%20b.txt", f"{f}/taken.txt", True) == (200, "")
    assert core_fake.store.paths() == [f"{BUCKET}/copy.txt", f"{BUCKET}/taken.txt"]
    assert _op(core_fake, "move", f"{f}/gone.txt", f"{f}/x.txt") == (
        400,
        f"Source resource {f}/gone.txt does not exist",
    )


@pytest.mark.parametrize(
    "src, dst, expected",
    [
        ("files/B/x", f"prompts/{BUCKET}/x", (400, "Url has invalid bucket: files/B/x")),
        (
            f"files/{BUCKET}/x",
            f"prompts/{BUCKET}/x",
            (400, "source and destination resources must be the same type"),
        ),
        (
            f"files/{BUCKET}/x",
            f"files/{BUCKET}/x",
            (400, "source and destination resources cannot be the same"),
        ),
        (f"files/{BUCKET}/d/", f"files/{BUCKET}/e/", (400, "Moving folders is not supported")),
        (
            f"files/{OTHER_BUCKET}/x",
            f"files/{BUCKET}/y",
            (403, "No read and write access to source resource"),
        ),
        (
            f"files/{BUCKET}/x",
            f"files/{OTHER_BUCKET}/y",
            (403, "No write access to destination resource"),
        ),
        ("files", f"files/{BUCKET}/y", (400, "Url has less than two segments: files")),
        (
            f"files/{BUCKET}",
            f"files/{BUCKET}/y",
            (400, f"Url must start with resource/bucket/, but: files/{BUCKET}"),
        ),
    ],
)
def test_move_validation(
    core_fake: CoreFakeServer, src: str, dst: str, expected: tuple[int, str]
) -> None:
    assert _op(core_fake, "move", src, dst) == expected


def test_grant_needs_a_per_request_key(core_fake: CoreFakeServer) -> None:
    body = {
        "resourcePermissions": [{"url": f"files/{BUCKET}/a.txt", "permissions": ["READ"]}],
        "receiver": "applications/x",
    }
    path = "/v1/ops/resource/per-request-permissions/grant"
    with core_fake.http() as http:
        assert http.post(path, json=body).status_code == 403
    with core_fake.http(api_key=PER_REQUEST_KEY) as http:
        assert http.post(path, json=body).status_code == 200
        bad = {**body, "resourcePermissions": [{"url": "x", "permissions": ["EXECUTE"]}]}
        assert http.post(path, json=bad).status_code == 400
    assert core_fake.core.grants == [body]


def test_faults(core_fake: CoreFakeServer) -> None:
    faults = core_fake.faults
    faults.fail_next("GET", "/v1/bucket", 429, n=2, headers={"Retry-After": "0"})
    faults.fail_next("GET", "/openai/deployments", 503)
    faults.fail_next("PUT", "/v1/files/", 500, body={"custom": True})
    faults.act_then_fail("DELETE", "/v1/files/", 502, body="gateway")
    core_fake.put_file("x.txt", b"x")
    with core_fake.http() as http:
        first, second, third = (http.get("/v1/bucket") for _ in range(3))
        llm = http.get("/openai/deployments")
        put = http.put(f"/v1/files/{BUCKET}/y.txt", files={"file": ("y", b"y")})
        delete = http.delete(f"/v1/files/{BUCKET}/x.txt")
    assert [first.status_code, second.status_code, third.status_code] == [429, 429, 200]
    assert first.text == "Too Many Requests (injected)" and first.headers["retry-after"] == "0"
    assert llm.status_code == 503 and llm.json()["error"]["type"] == "runtime_error"
    assert put.json() == {"custom": True} and core_fake.store.paths() == []  # not acted
    assert (delete.status_code, delete.text) == (502, "gateway")
    assert core_fake.store.paths() == []  # act=True: deleted, then the fault was answered


def test_delay_fault_answers_late(core_fake: CoreFakeServer) -> None:
    core_fake.faults.delay("GET", "/v1/bucket", 0.3)
    with core_fake.http() as http:
        start = time.monotonic()
        assert http.get("/v1/bucket").status_code == 200
        assert time.monotonic() - start >= 0.3
        start = time.monotonic()
        http.get("/v1/bucket")
    assert time.monotonic() - start < 0.3


def test_request_log_keeps_the_wire_form(core_fake: CoreFakeServer) -> None:
    with core_fake.http() as http:
        http.get(f"/v1/metadata/files/{BUCKET}/a%20b/", params={"limit": "5", "token": "x y"})
        http.put(f"/v1/files/{BUCKET}/n.txt", files={"file": ("n.txt", b"n", "text/plain")})
    get, put = core_fake.requests
    assert get.raw_path == f"/v1/metadata/files/{BUCKET}/a%20b/"
    assert get.query_string == "limit=5&token=x+y" and get.query == [
        ("limit", "5"),
        ("token", "x y"),
    ]
    assert get.header("api-key") == "dial-test-key" and get.status == 404
    assert put.body_kind == "multipart" and put.parts["file"] == ("n.txt", "text/plain", b"n")
    assert put.status == 200 and put.response_json["name"] == "n.txt"


def test_http_controls(core_fake: CoreFakeServer) -> None:
    with core_fake.http(api_key=None) as http:
        http.post("/_control/faults", json={"method": "GET", "path": "/v1/bucket", "status": 418})
        assert http.get("/v1/bucket", headers={"api-key": "dial-test-key"}).status_code == 418
        assert [r["raw_path"] for r in http.get("/_control/requests").json()] == ["/v1/bucket"]
        assert http.post("/_control/reset").json() == {"ok": True}
    assert core_fake.requests == [] and core_fake.faults.rules == []


def test_chat_is_proxied_with_a_per_request_key(core_fake: CoreFakeServer) -> None:
    body = {"messages": [{"role": "user", "content": "/whoami"}]}
    with core_fake.http(api_key=None, bearer=BEARER_TOKEN) as http:
        r = http.post(
            "/openai/deployments/odd%20model%20%231/chat/completions?api-version=v9", json=body
        )
        unknown = http.post("/openai/deployments/nope/chat/completions", json=body)
        stream = http.post(
            "/openai/deployments/team/llm/chat/completions", json={**body, "stream": True}
        )
    seen = json.loads(r.json()["choices"][0]["message"]["content"])
    # Core calls the deployment with its own per-request key; the caller's token is not
    # forwarded (Core's forwardAuthToken is off by default)
    assert seen["api_key"] == PER_REQUEST_KEY and seen["bearer_token"] is None
    assert seen["deployment_id"] == "odd model #1" and seen["api_version"] == "v9"
    assert unknown.status_code == 404 and "not found" in unknown.json()["error"]["message"]
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert stream.text.endswith("data: [DONE]\n\n")
    assert [e.deployment_id for e in core_fake.chat_events] == ["odd model #1", "team/llm"]
    assert core_fake.requests[0].status == 200
