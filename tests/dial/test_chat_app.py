"""The scripted aidial-sdk chat app, driven with plain httpx: what a DIAL application
really puts on the wire (reference §4, §10)."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.dial.conftest import ChatAppServer
from tests.dial.servers.chat_app import script_args

CHAT = "/openai/deployments/echo/chat/completions"


def _body(text: str, stream: bool = False, **extra: object) -> dict[str, object]:
    return {"messages": [{"role": "user", "content": text}], "stream": stream, **extra}


def _events(raw: str) -> list[str]:
    assert raw.endswith("\n\n")
    events = raw[:-2].split("\n\n")
    assert all(e.startswith("data: ") for e in events), events
    return [e[len("data: ") :] for e in events]


def test_script_args() -> None:
    assert script_args("hello /x") == ("echo", {})
    assert script_args("/slow n=3 delay='0.1'") == ("slow", {"n": "3", "delay": "0.1"})


def test_api_key_is_required(chat_app: ChatAppServer) -> None:
    with chat_app.http(api_key=None) as http:
        missing = http.post(CHAT, json=_body("hi"), headers={"Authorization": "Bearer t"})
        lower = http.post(CHAT, json=_body("hi"), headers={"api-key": "k"})
    assert missing.status_code == 400
    assert missing.json() == {
        "error": {
            "message": "Api-Key header is required",
            "type": "invalid_request_error",
            "code": "400",
        }
    }
    assert lower.status_code == 200


def test_echo_streams_one_event_per_word_then_usage_and_done(chat_app: ChatAppServer) -> None:
    with chat_app.http() as http:
        r = http.post(CHAT, json=_body("one two three", stream=True))
    assert r.headers["content-type"].startswith("text/event-stream")
    events = _events(r.text)
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant"}
    words = [c["choices"][0]["delta"].get("content") for c in chunks[1:-1]]
    assert words == ["Echo: ", "one ", "two ", "three"]
    assert all(c["usage"] is None for c in chunks[:-1])
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["usage"] == {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert {c["model"] for c in chunks} == {"echo"}


def test_rich_non_streamed_is_merged(chat_app: ChatAppServer) -> None:
    with chat_app.http() as http:
        r = http.post(CHAT, json=_body("/rich"))
    body = r.json()
    message = body["choices"][0]["message"]
    assert body["object"] == "chat.completion" and message["content"] == "rich"
    assert message["custom_content"] == {
        "stages": [{"name": "Stage A", "content": "working", "status": "completed"}],
        "attachments": [{"type": "text/plain", "title": "T", "url": "files/B/x.txt"}],
        "state": {"turn": 1},
    }
    assert body["usage"]["total_tokens"] == 7


def test_tool_call_stream(chat_app: ChatAppServer) -> None:
    with chat_app.http() as http:
        r = http.post(CHAT, json=_body("/tool", stream=True))
    chunks = [json.loads(e) for e in _events(r.text)[:-1]]
    calls = [c["choices"][0]["delta"].get("tool_calls") for c in chunks if c.get("choices")]
    args = "".join(t[0]["function"].get("arguments", "") for t in calls if t)
    assert json.loads(args) == {"city": "Paris"}
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


@pytest.mark.parametrize("stream", [False, True])
def test_error_before_the_first_chunk_is_an_http_status(
    chat_app: ChatAppServer, stream: bool
) -> None:
    text = "/fail status=429 type=rate_limit code=slow_down display='Try later' retry_after=1"
    with chat_app.http() as http:
        r = http.post(CHAT, json=_body(text, stream=stream))
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
    assert r.json() == {
        "error": {
            "message": "scripted failure 429",
            "type": "rate_limit",
            "code": "slow_down",
            "display_message": "Try later",
        }
    }


def test_error_mid_stream_is_an_error_event_on_a_200(chat_app: ChatAppServer) -> None:
    with chat_app.http() as http:
        streamed = http.post(CHAT, json=_body("/fail-late chunks=2", stream=True))
        block = http.post(CHAT, json=_body("/fail-late chunks=2"))
        crash = http.post(CHAT, json=_body("/crash-late", stream=True))
    events = _events(streamed.text)
    assert streamed.status_code == 200 and events[-1] == "[DONE]"
    assert json.loads(events[-2]) == {
        "error": {"message": "late failure", "type": "runtime_error", "code": "bad"}
    }
    assert block.status_code == 500 and block.json()["error"]["message"] == "late failure"
    assert json.loads(_events(crash.text)[-2])["error"] == {
        "message": "Error during processing the request",
        "type": "runtime_error",
        "code": "500",
    }


def test_crash_before_the_first_chunk_is_500(chat_app: ChatAppServer) -> None:
    with chat_app.http() as http:
        r = http.post(CHAT, json=_body("/crash", stream=True))
    assert r.status_code == 500 and r.json()["error"]["type"] == "runtime_error"


def test_long_stream(chat_app: ChatAppServer) -> None:
    with chat_app.http() as http:
        r = http.post(CHAT, json=_body("/long n=3000 text=ab", stream=True))
    events = _events(r.text)
    assert len(events) == 3000 + 3  # role chunk, 3000 content chunks, final chunk, [DONE]
    assert chat_app.events[-1].chunks == 3000 and chat_app.events[-1].finished


def test_slow_stream_arrives_over_time_and_an_early_close_cancels_it(
    chat_app: ChatAppServer,
) -> None:
    with (
        chat_app.http() as http,
        http.stream("POST", CHAT, json=_body("/slow n=50 delay=0.05", stream=True)) as r,
    ):
        start = time.monotonic()
        lines = r.iter_lines()
        first_content = next(line for line in lines if '"content"' in line)
        assert "slow0" in first_content and time.monotonic() - start < 1.0
    # the client went away after one content chunk: aidial-sdk cancels the producer
    deadline = time.monotonic() + 5
    while not chat_app.events[-1].cancelled and time.monotonic() < deadline:
        time.sleep(0.01)
    event = chat_app.events[-1]
    assert event.cancelled and not event.finished and event.chunks < 50


def test_whoami_and_deployment_ids_with_special_characters(chat_app: ChatAppServer) -> None:
    with chat_app.http(api_key="per-request") as http:
        r = http.post(
            "/openai/deployments/team%2Fmy%20app%231/chat/completions?api-version=2024-02-15",
            json=_body("/whoami", temperature=0.25),
            headers={"Authorization": "Bearer tok"},
        )
    seen = json.loads(r.json()["choices"][0]["message"]["content"])
    assert seen == {
        "api_key": "per-request",
        "api_version": "2024-02-15",
        "bearer_token": "tok",
        "deployment_id": "team/my app#1",
        "fields": {"stream": False, "temperature": 0.25},
        "stream": False,
    }


def test_extra_request_fields_are_rejected(chat_app: ChatAppServer) -> None:
    with chat_app.http() as http:
        r = http.post(CHAT, json=_body("hi", surprise=1))
    assert r.status_code == 400 and "extra fields not permitted" in r.json()["error"]["message"]


def test_unknown_script_is_400(chat_app: ChatAppServer) -> None:
    with httpx.Client(base_url=chat_app.base_url, headers={"Api-Key": "k"}) as http:
        r = http.post(CHAT, json=_body("/nope"))
    assert r.status_code == 400 and r.json()["error"]["message"] == "unknown script /nope"


def test_replay_serves_the_sdks_own_stream() -> None:
    from tests.dial.servers.chat_app import create_chat_app
    from tests.dial.servers.replay import ReplayApp, record_stream
    from tests.support.server import serve

    chunks = record_stream(create_chat_app(), "/long n=500 text=ab")
    assert len(chunks) == 500 + 3 and chunks[-1] == b"data: [DONE]\n\n"
    assert json.loads(chunks[1][len(b"data: ") :])["choices"][0]["delta"] == {"content": "ab"}
    app = ReplayApp(chunks)
    with serve(app) as base_url, httpx.Client(base_url=base_url) as http:
        r = http.post(CHAT, json={})
        assert http.get(CHAT).status_code == 405
    assert r.content == b"".join(chunks) and app.served == 1
    assert r.headers["content-type"] == "text/event-stream; charset=utf-8"
