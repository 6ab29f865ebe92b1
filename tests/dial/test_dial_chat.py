"""Chat completions of ``dial_client`` against a real aidial-sdk application served by
uvicorn on 127.0.0.1 (``chat_app``): content, stages, attachments, state, tool calls and
usage arrive typed, streamed and not, sync and async; an error before the first chunk is
the typed HTTP error; an error event mid-stream raises and releases the connection;
leaving the loop early closes the stream (the app sees the disconnect); ``api_version``
per call and per client; mypy infers the result type from the ``stream`` literal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import dial_client
import httpx
import pytest
from dial_client import (
    AsyncDial,
    ChatCompletionChunk,
    ChatCompletionResponse,
    CustomContent,
    Dial,
    DialException,
    DialRateLimitError,
    InvalidRequestError,
    StageStatus,
)

from tests.dial.conftest import ChatAppServer

KEY = "chat-key"  # the app needs an Api-Key header, any value
ROOT = Path(__file__).resolve().parents[2]


def _user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def _merge(chunks: list[ChatCompletionChunk]) -> tuple[str, list[Any], list[Any], Any]:
    text, stages, attachments, state = "", [], [], None
    for chunk in chunks:
        for choice in chunk.choices:
            delta = choice.delta
            text += delta.content or ""
            custom = delta.custom_content
            if custom is not None:
                stages += custom.stages or []
                attachments += custom.attachments or []
                state = custom.state if custom.state is not None else state
    return text, stages, attachments, state


def _wait_for(condition: Any, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_rich_answer_whole_is_typed(chat_app: ChatAppServer) -> None:
    with Dial(api_key=KEY, base_url=chat_app.base_url) as client:
        answer = client.chat.completions.create(deployment_name="echo-app", messages=_user("/rich"))
    assert isinstance(answer, ChatCompletionResponse)
    message = answer.choices[0].message
    assert message.content == "rich" and answer.choices[0].finish_reason == "stop"
    custom = message.custom_content
    assert isinstance(custom, CustomContent) and custom.state == {"turn": 1}
    assert custom.stages is not None and custom.attachments is not None
    stage = custom.stages[0]
    assert (stage.name, stage.content, stage.status) == (
        "Stage A",
        "working",
        StageStatus.COMPLETED,
    )
    assert (custom.attachments[0].title, custom.attachments[0].url) == ("T", "files/B/x.txt")
    assert answer.usage is not None and answer.usage.total_tokens == 7


async def test_rich_answer_streamed_async_is_typed(chat_app: ChatAppServer) -> None:
    async with AsyncDial(api_key=KEY, base_url=chat_app.base_url) as client:
        stream = await client.chat.completions.create(
            deployment_name="echo-app",
            stream=True,
            messages=[
                {"role": "user", "content": "/rich"},
                {"role": "assistant", "content": "rich", "custom_content": {"state": {"turn": 4}}},
                {"role": "user", "content": "/rich"},
            ],
        )
        chunks = [chunk async for chunk in stream]
    assert all(isinstance(c, ChatCompletionChunk) for c in chunks)
    text, stages, attachments, state = _merge(chunks)
    assert text == "rich" and state == {"turn": 5}
    assert [s.name for s in stages if s.name] == ["Stage A"]
    assert "working" in [s.content for s in stages]
    assert stages[-1].status == "completed" and attachments[0].index == 0
    assert chunks[-1].usage is not None and chunks[-1].usage.prompt_tokens == 3
    assert all(c.usage is None for c in chunks[:-1])


def test_tool_calls_streamed_and_whole(chat_app: ChatAppServer) -> None:
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]
    with Dial(api_key=KEY, base_url=chat_app.base_url) as client:
        stream = client.chat.completions.create(
            deployment_name="gpt-4", messages=_user("/tool"), tools=tools, stream=True
        )
        deltas = [tc for c in stream for ch in c.choices for tc in ch.delta.tool_calls or []]
        whole = client.chat.completions.create(
            deployment_name="gpt-4", messages=_user("/tool"), tools=tools, tool_choice="auto"
        )
    assert deltas[0].id == "call_1" and deltas[0].function is not None
    assert "".join(d.function.arguments or "" for d in deltas if d.function) == '{"city": "Paris"}'
    calls = whole.choices[0].message.tool_calls
    assert calls is not None and calls[0].function.name == "get_weather"
    assert json.loads(calls[0].function.arguments) == {"city": "Paris"}


@pytest.mark.parametrize("stream", [False, True])
def test_error_before_the_first_chunk_is_the_typed_http_error(
    chat_app: ChatAppServer, stream: bool
) -> None:
    with Dial(api_key=KEY, base_url=chat_app.base_url) as client:
        with pytest.raises(InvalidRequestError) as err:
            client.chat.completions.create(
                deployment_name="echo",
                stream=stream,
                messages=_user("/fail status=400 code=nope message='Bad temperature'"),
            )
        with pytest.raises(DialRateLimitError):
            client.chat.completions.create(
                deployment_name="echo",
                stream=stream,
                messages=_user("/fail status=429"),
                max_retries=0,
            )
    assert err.value.status_code == 400 and err.value.message == "Bad temperature"
    assert isinstance(err.value.body, dict) and err.value.body["error"]["code"] == "nope"


async def test_error_before_the_first_chunk_async(chat_app: ChatAppServer) -> None:
    async with AsyncDial(api_key=KEY, base_url=chat_app.base_url) as client:
        with pytest.raises(InvalidRequestError) as err:
            await client.chat.completions.create(
                deployment_name="echo", stream=True, messages=_user("/fail status=400")
            )
    assert err.value.message == "scripted failure 400"


def _one_connection_client(base_url: str) -> Dial:
    """A client that has one connection: a call that kept it busy blocks the next one."""
    http = httpx.Client(limits=httpx.Limits(max_connections=1))
    return Dial(
        api_key=KEY,
        base_url=base_url,
        http_client=http,
        timeout=httpx.Timeout(5, pool=1),
        max_retries=0,
    )


def test_error_mid_stream_raises_and_releases_the_connection(chat_app: ChatAppServer) -> None:
    client = _one_connection_client(chat_app.base_url)
    stream = client.chat.completions.create(
        deployment_name="echo", stream=True, messages=_user("/fail-late chunks=2")
    )
    got: list[ChatCompletionChunk] = []
    with pytest.raises(DialException) as err:
        for chunk in stream:
            got.append(chunk)
    assert err.value.message == "late failure" and err.value.status_code is None
    assert isinstance(err.value.body, dict) and err.value.body["error"]["code"] == "bad"
    assert _merge(got)[0] == "part0 part1 "
    assert stream.response.is_closed
    again = client.chat.completions.create(deployment_name="echo", messages=_user("hi"))
    assert again.choices[0].message.content == "Echo: hi"
    client._http.close()


async def test_error_mid_stream_async(chat_app: ChatAppServer) -> None:
    async with AsyncDial(api_key=KEY, base_url=chat_app.base_url) as client:
        stream = await client.chat.completions.create(
            deployment_name="echo", stream=True, messages=_user("/crash-late chunks=1")
        )
        with pytest.raises(DialException) as err:
            async for _ in stream:
                pass
        assert stream.response is not None and stream.response.is_closed
    assert err.value.message == "Error during processing the request"


def test_breaking_out_of_the_loop_closes_the_stream(chat_app: ChatAppServer) -> None:
    client = _one_connection_client(chat_app.base_url)
    stream = client.chat.completions.create(
        deployment_name="echo", stream=True, messages=_user("/slow n=50 delay=0.05")
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            break
    assert stream.response.is_closed
    assert _wait_for(lambda: chat_app.events[-1].cancelled), chat_app.events[-1]
    assert chat_app.events[-1].chunks < 50
    answer = client.chat.completions.create(deployment_name="echo", messages=_user("next"))
    assert answer.choices[0].message.content == "Echo: next"
    client._http.close()


async def test_breaking_out_of_an_async_loop_closes_the_stream(chat_app: ChatAppServer) -> None:
    async with AsyncDial(api_key=KEY, base_url=chat_app.base_url) as client:
        stream = await client.chat.completions.create(
            deployment_name="echo", stream=True, messages=_user("/slow n=50 delay=0.05")
        )
        async with stream:
            async for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    break
        assert stream.response is not None and stream.response.is_closed
    assert _wait_for(lambda: chat_app.events[-1].cancelled)


def test_api_version_per_call_then_per_client(chat_app: ChatAppServer) -> None:
    def seen(client: Dial, **kw: Any) -> Any:
        answer = client.chat.completions.create(
            deployment_name="my app#1", messages=_user("/whoami"), **kw
        )
        return json.loads(answer.choices[0].message.content or "")

    with Dial(api_key=KEY, base_url=chat_app.base_url) as plain:
        assert seen(plain)["api_version"] is None
        assert seen(plain, api_version="2024-02-15-preview")["api_version"] == "2024-02-15-preview"
    with Dial(api_key=KEY, base_url=chat_app.base_url, api_version="2023-12-01") as versioned:
        assert seen(versioned)["api_version"] == "2023-12-01"
        who = seen(versioned, api_version="2024-06-01", temperature=0.5, seed=3)
    assert who["api_version"] == "2024-06-01" and who["deployment_id"] == "my app#1"
    assert who["fields"]["temperature"] == 0.5 and who["fields"]["seed"] == 3


TYPING_SNIPPET = """
from typing import assert_type
from clientcore import AsyncStream, Stream
from dial_client import AsyncDial, ChatCompletionChunk, ChatCompletionResponse, Dial

def sync_calls(client: Dial, flag: bool) -> None:
    m = [{"role": "system", "content": "2+3="}]
    plain = client.chat.completions.create(deployment_name="d", stream=False, messages=m)
    assert_type(plain, ChatCompletionResponse)
    default = client.chat.completions.create(deployment_name="d", messages=m, api_version="v")
    assert_type(default, ChatCompletionResponse)
    chunks = client.chat.completions.create(deployment_name="d", stream=True, messages=m)
    assert_type(chunks, Stream[ChatCompletionChunk])
    either = client.chat.completions.create(deployment_name="d", stream=flag, messages=m)
    assert_type(either, ChatCompletionResponse | Stream[ChatCompletionChunk])

async def async_calls(client: AsyncDial) -> None:
    m = [{"role": "user", "content": "hi"}]
    plain = await client.chat.completions.create(deployment_name="d", stream=False, messages=m)
    assert_type(plain, ChatCompletionResponse)
    chunks = await client.chat.completions.create(deployment_name="d", stream=True, messages=m)
    assert_type(chunks, AsyncStream[ChatCompletionChunk])
    home = await client.my_files_home()
    await client.files.upload(url=home / "a.txt", file=("a.txt", "text/plain", b"x"))
"""


def test_mypy_infers_the_result_from_the_stream_literal(tmp_path: Path) -> None:
    snippet = tmp_path / "seed_types.py"
    snippet.write_text(TYPING_SNIPPET)
    env = {**os.environ, "MYPYPATH": str(ROOT / "generated")}
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(snippet)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_exports_the_chat_models() -> None:
    assert dial_client.ChatCompletionChunk is ChatCompletionChunk
    assert dial_client.DialException is DialException


@pytest.mark.parametrize("stream", [False, True])
def test_error_fields_of_the_dial_body_are_attributes(
    chat_app: ChatAppServer, stream: bool
) -> None:
    """aidial-client's DialException attributes (``type``, ``param``,
    ``display_message``) are on every DIAL error, from the error body (x-errors.fields)."""
    with Dial(api_key=KEY, base_url=chat_app.base_url) as client:
        with pytest.raises(InvalidRequestError) as err:
            client.chat.completions.create(
                deployment_name="echo",
                stream=stream,
                messages=_user("/fail status=400 type=bad_input display='Try a shorter prompt'"),
            )
    assert err.value.type == "bad_input"
    assert err.value.display_message == "Try a shorter prompt"
    assert err.value.param is None
    with Dial(api_key=KEY, base_url="http://127.0.0.1:9", max_retries=0) as client:
        with pytest.raises(DialException) as refused:
            client.chat.completions.create(deployment_name="echo", messages=_user("hi"))
    assert refused.value.type is None and refused.value.display_message is None
