"""aidial-client 0.18.0 (sync ``Dial`` and ``AsyncDial``) against the Core fake and the chat
app: the seed's calls work as written, so the fixtures are what the official client expects;
plus the official client's known failures, reproduced (reference §14)."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from typing import Any

import aidial_client
import pytest
from aidial_client import DialException, EtagMismatchError, ResourceNotFoundError

from tests.dial.conftest import API_KEY, BEARER_TOKEN, BUCKET, ChatAppServer, CoreFakeServer
from tests.dial.parity.harness import _Awaitable

SEED = [{"role": "system", "content": "2+3="}]


def _client(is_async: bool, base_url: str, **kw: Any) -> Any:
    kw = kw or {"api_key": API_KEY}
    return (aidial_client.AsyncDial if is_async else aidial_client.Dial)(base_url=base_url, **kw)


async def _close(client: Any) -> None:
    closed = client.aclose() if isinstance(client, aidial_client.AsyncDial) else client.close()
    if inspect.isawaitable(closed):
        await closed


async def _collect(stream: Any) -> list[Any]:
    return [c async for c in stream] if hasattr(stream, "__aiter__") else list(stream)


def _text(chunks: list[Any]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_seed_examples(core_fake: CoreFakeServer, is_async: bool, tmp_path: Path) -> None:
    raw = _client(is_async, core_fake.base_url)
    c = _Awaitable(raw)
    try:
        assert [d.id for d in await c.deployments.list()][:2] == ["gpt-4", "echo"]
        assert (await c.application.get("echo-app")).features.configuration is True
        assert len(await c.application.list()) == 4
        completion = await c.chat.completions.create(
            deployment_name="echo", stream=False, messages=SEED, api_version="2024-02-15-preview"
        )
        assert completion.choices[0].message.content == "Echo: 2+3="
        stream = await c.chat.completions.create(
            deployment_name="echo", stream=True, messages=SEED, api_version="2024-02-15-preview"
        )
        chunks = await _collect(stream)
        assert _text(chunks) == "Echo: 2+3=" and chunks[-1].choices[0].finish_reason == "stop"

        home = await c.my_files_home()
        local = tmp_path / "some-local-file.txt"
        local.write_bytes(b"from disk")
        with open(local, "rb") as file:
            await c.files.upload(url=home / "some-relative-path/my-file.txt", file=file)
        await c.files.upload(url=f"{home}/b.bin", file=b"bytes")
        await c.files.upload(url=home / "t.txt", file=("filename.txt", b"tuple", "text/plain"))
        absolute = f"{core_fake.base_url}/v1/files/{BUCKET}/some-relative-path/abs.txt"
        await c.files.upload(url=absolute, file=b"abs")

        result = await c.files.download(url=home / "some-relative-path/my-file.txt")
        if is_async:
            assert await result.aget_content() == b"from disk"
            await result.awrite_to(tmp_path / "out.txt")
        else:
            assert b"".join(result) == b"from disk"
            result.write_to(tmp_path / "out.txt")
        assert (tmp_path / "out.txt").read_bytes() == b"from disk"

        meta = await c.files.get_metadata(url=home / "some-relative-path/my-file.txt")
        assert (meta.name, meta.parent_path, meta.content_length) == (
            "my-file.txt",
            "some-relative-path",
            9,
        )
        assert meta.content_type == "text/plain"
        await c.files.delete(url=home / "some-relative-path/my-file.txt")
        assert core_fake.store.paths() == [
            f"{BUCKET}/b.bin",
            f"{BUCKET}/some-relative-path/abs.txt",
            f"{BUCKET}/t.txt",
        ]
    finally:
        await _close(raw)


def test_client_pool_shares_one_connection_pool(core_fake: CoreFakeServer) -> None:
    pool = aidial_client.DialClientPool()
    first = pool.create_client(base_url=core_fake.base_url, api_key=API_KEY)
    second = pool.create_client(base_url=core_fake.base_url, bearer_token=BEARER_TOKEN)
    assert first.my_bucket() != second.my_bucket()
    assert first._http_client.internal_http_client is second._http_client.internal_http_client
    pool.close()


async def test_async_client_pool(core_fake: CoreFakeServer) -> None:
    pool = aidial_client.AsyncDialClientPool()
    first = pool.create_client(base_url=core_fake.base_url, api_key=API_KEY)
    second = pool.create_client(base_url=core_fake.base_url, bearer_token=BEARER_TOKEN)
    assert {await first.my_bucket(), await second.my_bucket()} == {BUCKET, "9BXqkMcP1hP5tUzH7wNDbW"}
    await pool.aclose()


def test_storage_errors_are_typed(core_fake: CoreFakeServer) -> None:
    with _client(False, core_fake.base_url) as c:
        url = f"files/{BUCKET}/x.txt"
        with pytest.raises(ResourceNotFoundError):
            c.files.download(url=url)
        c.files.upload(url=url, file=b"1")
        with pytest.raises(EtagMismatchError) as err:
            c.files.upload(url=url, file=b"2", etag_if_none_match="*")
        assert err.value.message == "Resource already exists"  # Q16: the raw body text


def test_chat_errors_are_typed(core_fake: CoreFakeServer) -> None:
    with _client(False, core_fake.base_url) as c:
        with pytest.raises(DialException) as early:
            c.chat.completions.create(
                deployment_name="echo",
                messages=[{"role": "user", "content": "/fail status=400 code=nope"}],
            )
        assert early.value.status_code == 400 and early.value.code == "nope"
        assert early.value.message.startswith("Error code: 400 - ")  # Q5: openai's text
        stream = c.chat.completions.create(
            deployment_name="echo",
            stream=True,
            messages=[{"role": "user", "content": "/fail-late chunks=2"}],
        )
        got: list[Any] = []
        with pytest.raises(DialException) as late:
            for chunk in stream:
                got.append(chunk)
        assert (late.value.status_code, late.value.message, late.value.code) == (
            500,
            "late failure",
            "bad",
        )
        assert _text(got) == "part0 part1 "


def test_openai_retries_a_429_from_the_app(core_fake: CoreFakeServer) -> None:
    with _client(False, core_fake.base_url) as c, pytest.raises(DialException) as err:
        c.chat.completions.create(
            deployment_name="echo",
            messages=[{"role": "user", "content": "/fail status=429 retry_after=0.01"}],
        )
    assert err.value.status_code == 429
    assert [e.script for e in core_fake.chat_events] == ["fail"] * 3  # 1 + openai's 2 retries


def test_bearer_only_client_needs_core_in_front_of_the_app(
    chat_app: ChatAppServer, core_fake: CoreFakeServer
) -> None:
    """§9: an aidial-sdk app requires Api-Key, so bearer-only reaches it only via Core."""
    with _client(False, chat_app.base_url, bearer_token="t") as direct:
        with pytest.raises(DialException) as err:
            direct.chat.completions.create(deployment_name="echo", messages=SEED)
        assert err.value.status_code == 400
    with _client(False, core_fake.base_url, bearer_token=BEARER_TOKEN) as via_core:
        answer = via_core.chat.completions.create(deployment_name="echo", messages=SEED)
        assert answer.choices[0].message.content == "Echo: 2+3="


async def test_async_stream_download_yields_before_the_body_is_sent(
    core_fake: CoreFakeServer,
) -> None:
    core_fake.put_file("big.bin", b"x" * 20000, "application/octet-stream")
    core_fake.core.download_chunk_size = 1000
    gate = core_fake.core.hold_downloads()
    c = _client(True, core_fake.base_url)
    try:
        async with c.files.stream_download(url=f"files/{BUCKET}/big.bin") as response:
            chunks = response.__aiter__()
            first = await chunks.__anext__()
            assert await asyncio.to_thread(gate.waiting.wait, 5)
            assert len(first) <= 1000
            gate.release()
            rest = [chunk async for chunk in chunks]
        assert len(first) + sum(map(len, rest)) == 20000
    finally:
        await c.aclose()


def test_folder_metadata_loses_its_slash_q1(core_fake: CoreFakeServer) -> None:
    core_fake.put_file("docs/a.txt", b"a")
    with _client(False, core_fake.base_url) as c:
        with pytest.raises(DialException) as err:
            c.files.get_metadata(url=f"files/{BUCKET}/docs/")
        assert err.value.status_code == 404
        assert core_fake.requests[-1].raw_path == f"/v1/metadata/files/{BUCKET}/docs"
        listing = c.metadata.get("files", f"files/{BUCKET}/docs/")
        assert [i.name for i in listing.items] == ["a.txt"]


def test_application_id_with_hash_is_truncated_q17(core_fake: CoreFakeServer) -> None:
    with _client(False, core_fake.base_url) as c, pytest.raises(DialException) as err:
        c.application.get("my app#1")
    assert err.value.status_code == 404
    assert core_fake.requests[-1].raw_path == "/openai/applications/my%20app"
