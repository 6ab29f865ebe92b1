"""The user's seed (shared/seeds/001_*.txt) as written, with ``dial_client`` in place of
``aidial_client``, against the DIAL Core fake (which proxies chat to a real aidial-sdk
app): authentication, listing deployments, chat (plain and streamed), files, applications
and client pools, sync and async.  Only the host, the keys and the bucket are the fake's;
where the seed writes ``await`` on a sync call, the sync call runs without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dial_client import AsyncDial, Dial, DialClientPool, InvalidDialURLException

from tests.dial.conftest import API_KEY, BEARER_TOKEN, BUCKET, USER_BUCKET, CoreFakeServer

SEED_MESSAGES = [{"role": "system", "content": "2+3="}]


@pytest.fixture
def dial(core_fake: CoreFakeServer) -> CoreFakeServer:
    core_fake.catalog.chat.add("gpt-35-turbo")  # the seed's deployment
    return core_fake


def _seen(core: CoreFakeServer) -> tuple[str | None, str | None]:
    last = core.requests[-1]
    return last.header("api-key"), last.header("authorization")


# ---------------------------------------------------------------------------- authentication


async def test_authentication_with_an_api_key_and_a_key_function(dial: CoreFakeServer) -> None:
    dial_client = Dial(api_key=API_KEY, base_url=dial.base_url)
    async_dial_client = AsyncDial(api_key=API_KEY, base_url=dial.base_url)
    dial_client.deployments.list()
    assert _seen(dial) == (API_KEY, None)
    await async_dial_client.deployments.list()
    assert _seen(dial) == (API_KEY, None)

    def my_key_function() -> str:
        # Any custom logic to get an API key
        return API_KEY

    dial_client = Dial(api_key=my_key_function, base_url=dial.base_url)
    async_dial_client = AsyncDial(api_key=my_key_function, base_url=dial.base_url)
    assert dial_client.my_bucket() == BUCKET
    assert await async_dial_client.my_bucket() == BUCKET

    async def my_async_key_function() -> str:  # the seed's coroutine ``my_key_function``
        return API_KEY

    async_dial_client = AsyncDial(api_key=my_async_key_function, base_url=dial.base_url)
    await async_dial_client.deployments.list()
    assert _seen(dial) == (API_KEY, None)
    await async_dial_client.aclose()


async def test_authentication_with_a_bearer_token(dial: CoreFakeServer) -> None:
    sync_client = Dial(bearer_token=BEARER_TOKEN, base_url=dial.base_url)
    async_client = AsyncDial(bearer_token=BEARER_TOKEN, base_url=dial.base_url)
    assert sync_client.my_bucket() == USER_BUCKET
    assert _seen(dial) == (None, f"Bearer {BEARER_TOKEN}")
    assert await async_client.my_bucket() == USER_BUCKET

    def my_token_function() -> str:
        return BEARER_TOKEN

    async def my_async_token_function() -> str:
        return BEARER_TOKEN

    dial_client = Dial(bearer_token=my_token_function, base_url=dial.base_url)
    async_dial_client = AsyncDial(bearer_token=my_async_token_function, base_url=dial.base_url)
    dial_client.deployments.list()
    await async_dial_client.deployments.list()
    assert _seen(dial) == (None, f"Bearer {BEARER_TOKEN}")
    # the chat route too (Core forwards to the app with its own per-request key)
    completion = dial_client.chat.completions.create(
        deployment_name="gpt-35-turbo", stream=False, messages=SEED_MESSAGES
    )
    assert completion.choices[0].message.content == "Echo: 2+3="


# ---------------------------------------------------------------------------- deployments


def test_list_deployments(dial: CoreFakeServer) -> None:
    client = Dial(api_key=API_KEY, base_url=dial.base_url)
    deployments = client.deployments.list()
    assert [d.id for d in deployments] == ["gpt-4", "echo", "team/llm", "odd model #1"]
    first = deployments[0]
    assert (first.model, first.owner, first.object, first.status) == (
        "gpt-4",
        "organization-owner",
        "deployment",
        "succeeded",
    )
    assert first.scale_settings is not None and first.scale_settings.scale_type == "standard"
    assert first.features is not None and first.features.allow_resume is True


# ---------------------------------------------------------------------------- chat


def test_chat_completions_synchronous(dial: CoreFakeServer) -> None:
    client = Dial(api_key=API_KEY, base_url=dial.base_url)
    completion = client.chat.completions.create(
        deployment_name="gpt-35-turbo",
        stream=False,
        messages=[
            {
                "role": "system",
                "content": "2+3=",
            }
        ],
        api_version="2024-02-15-preview",
    )
    assert completion.object == "chat.completion"
    choice = completion.choices[0]
    assert (choice.index, choice.message.role, choice.message.content) == (
        0,
        "assistant",
        "Echo: 2+3=",
    )
    assert choice.finish_reason == "stop" and completion.model == "gpt-35-turbo"
    assert completion.usage is not None and completion.usage.total_tokens > 0
    assert dial.requests[-1].query == [("api-version", "2024-02-15-preview")]

    completion_stream = client.chat.completions.create(
        deployment_name="gpt-35-turbo",
        # Specify a stream parameter
        stream=True,
        messages=[
            {
                "role": "system",
                "content": "2+3=",
            }
        ],
        api_version="2024-02-15-preview",
    )
    chunks = []
    for chunk in completion_stream:
        chunks.append(chunk)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Echo: 2+3="
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop" and last.usage is not None


async def test_chat_completions_asynchronous(dial: CoreFakeServer) -> None:
    async_client = AsyncDial(api_key=API_KEY, base_url=dial.base_url)
    completion = await async_client.chat.completions.create(
        deployment_name="gpt-35-turbo",
        stream=False,
        messages=[
            {
                "role": "system",
                "content": "2+3=",
            }
        ],
        api_version="2024-02-15-preview",
    )
    assert completion.choices[0].message.content == "Echo: 2+3="

    completion_stream = await async_client.chat.completions.create(
        deployment_name="gpt-35-turbo",
        # Specify a stream parameter
        stream=True,
        messages=[
            {
                "role": "system",
                "content": "2+3=",
            }
        ],
        api_version="2024-02-15-preview",
    )
    text = ""
    async for chunk in completion_stream:
        text += (chunk.choices[0].delta.content or "") if chunk.choices else ""
    assert text == "Echo: 2+3="
    assert chunk.usage is not None and chunk.choices[0].finish_reason == "stop"
    await async_client.aclose()


# ---------------------------------------------------------------------------- files


def test_working_with_files_synchronous(dial: CoreFakeServer, tmp_path: Path) -> None:
    sync_client = Dial(api_key=API_KEY, base_url=dial.base_url)
    local = tmp_path / "some-local-file.txt"
    local.write_bytes(b"Hello from disk\n")

    with open(local, "rb") as file:
        sync_client.files.upload(
            url=sync_client.my_files_home() / "some-relative-path/my-file.txt", file=file
        )
        sync_client.files.upload(
            url=sync_client.my_files_home() / "some-relative-path/my-file.txt",
            file=("filename.txt", "text/plain", file),
        )
    relative_url = f"files/{BUCKET}/some-relative-path/my-file.txt"
    sync_client.files.upload(url=relative_url, file=b"relative")
    absolute_url = f"{dial.base_url}/v1/files/{BUCKET}/some-relative-path/my-file.txt"
    sync_client.files.upload(url=absolute_url, file=b"Hello from disk\n")

    with pytest.raises(InvalidDialURLException):
        sync_client.files.upload(url="https://elsewhere.example/v1/files/x/y.txt", file=b"")

    client = sync_client
    result = client.files.download(url=client.my_files_home() / "some-relative-path/my-file.txt")
    chunks = [bytes_chunk for bytes_chunk in result]
    assert b"".join(chunks) == b"Hello from disk\n"
    result = client.files.download(url=client.my_files_home() / "some-relative-path/my-file.txt")
    all_content = result.get_content()
    assert all_content == b"Hello from disk\n"
    result = client.files.download(url=client.my_files_home() / "some-relative-path/my-file.txt")
    result.write_to(tmp_path / "some-local-file.txt")
    assert (tmp_path / "some-local-file.txt").read_bytes() == b"Hello from disk\n"

    metadata = sync_client.files.metadata(
        url=sync_client.my_files_home() / "some-relative-path/my-file.txt"
    )
    assert (metadata.name, metadata.parent_path, metadata.bucket) == (
        "my-file.txt",
        "some-relative-path",
        BUCKET,
    )
    assert (metadata.node_type, metadata.resource_type, metadata.content_length) == (
        "ITEM",
        "FILE",
        16,
    )
    assert metadata.etag and metadata.updated_at and metadata.created_at

    sync_client.files.delete(url=sync_client.my_files_home() / "some-relative-path/my-file.txt")
    assert dial.store.paths(bucket=BUCKET) == []


async def test_working_with_files_asynchronous(dial: CoreFakeServer, tmp_path: Path) -> None:
    async_client = AsyncDial(api_key=API_KEY, base_url=dial.base_url)
    local = tmp_path / "some-local-file.txt"
    local.write_bytes(b"async content")
    with open(local, "rb") as file:
        await async_client.files.upload(
            url=await async_client.my_files_home() / "some-relative-path/my-file.txt",
            file=file,
        )
    result = await async_client.files.download(
        url=await async_client.my_files_home() / "some-relative-path/my-file.txt"
    )
    all_content = await result.aget_content()
    assert all_content == b"async content"
    result = await async_client.files.download(
        url=await async_client.my_files_home() / "some-relative-path/my-file.txt"
    )
    await result.awrite_to(tmp_path / "copy.txt")
    assert (tmp_path / "copy.txt").read_bytes() == b"async content"
    result = await async_client.files.download(
        url=await async_client.my_files_home() / "some-relative-path/my-file.txt"
    )
    assert b"".join([bytes_chunk async for bytes_chunk in result]) == b"async content"

    metadata = await async_client.files.metadata(
        url=await async_client.my_files_home() / "some-relative-path/my-file.txt"
    )
    assert metadata.name == "my-file.txt" and metadata.content_length == 13

    await async_client.files.delete(
        url=await async_client.my_files_home() / "some-relative-path/my-file.txt"
    )
    assert dial.store.paths(bucket=BUCKET) == []
    await async_client.aclose()


# ---------------------------------------------------------------------------- applications


async def test_applications(dial: CoreFakeServer) -> None:
    client = Dial(api_key=API_KEY, base_url=dial.base_url)
    async_client = AsyncDial(api_key=API_KEY, base_url=dial.base_url)
    applications = client.application.list()
    assert [a.id for a in applications] == [a.id for a in await async_client.application.list()]
    app: Any = applications[0]
    assert (app.object, app.id, app.application, app.display_name) == (
        "application",
        "echo-app",
        "echo-app",
        "app with attachments",
    )
    assert app.features.configuration is True and app.input_attachment_types == [
        "image/png",
        "text/txt",
        "image/jpeg",
    ]
    assert app.max_input_attachments == 0  # a field of the seed's example kept as an extra
    application = client.application.get("echo-app")
    assert application == await async_client.application.get("echo-app")
    await async_client.aclose()


# ---------------------------------------------------------------------------- client pools


def test_client_pool(dial: CoreFakeServer) -> None:
    client_pool = DialClientPool()
    first_client = client_pool.create_client(base_url=dial.base_url, api_key=API_KEY)
    second_client = client_pool.create_client(base_url=dial.base_url, bearer_token=BEARER_TOKEN)
    assert (first_client.my_bucket(), second_client.my_bucket()) == (BUCKET, USER_BUCKET)
    assert first_client._http is second_client._http is client_pool.http_client
    client_pool.close()


async def test_async_client_pool(dial: CoreFakeServer) -> None:
    from dial_client import (
        AsyncDialClientPool,
    )

    client_pool = AsyncDialClientPool()
    first_client = client_pool.create_client(base_url=dial.base_url, api_key=API_KEY)
    second_client = client_pool.create_client(base_url=dial.base_url, bearer_token=BEARER_TOKEN)
    assert await first_client.my_bucket() == BUCKET
    assert await second_client.my_bucket() == USER_BUCKET
    assert first_client._http is second_client._http
    await client_pool.aclose()


# ---------------------------------------------------------------------------- credentials


async def test_credential_functions_are_called_per_request(dial: CoreFakeServer) -> None:
    calls: list[str] = []

    def key() -> str:
        calls.append("key")
        return API_KEY

    async def token() -> str:
        calls.append("token")
        return BEARER_TOKEN

    dial.faults.fail_next("GET", "/openai/deployments", 429, headers={"Retry-After": "0"})
    with Dial(api_key=key, base_url=dial.base_url) as client:
        client.deployments.list()  # one 429, one retry: two attempts
        client.chat.completions.create(deployment_name="gpt-35-turbo", messages=SEED_MESSAGES)
    assert calls == ["key"] * 3
    async with AsyncDial(api_key=key, bearer_token=token, base_url=dial.base_url) as both:
        await both.deployments.list()
    assert calls[3:] == ["key", "token"]
    assert _seen(dial) == (API_KEY, f"Bearer {BEARER_TOKEN}")
