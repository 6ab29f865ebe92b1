"""Where ``dial_client`` does better than aidial-client 0.18.0 (issue 7's list, reference
dial.md §14): each test shows our behaviour, and where it is cheap, aidial-client's wrong
one against the same server."""

from __future__ import annotations

import io
import time
from typing import Any

import aidial_client
import httpx
import pytest
from dial_client import (
    AsyncDial,
    Dial,
    DialClientPool,
    DialException,
    DialParameterError,
    DialRateLimitError,
    DialTimeoutError,
    InvalidRequestError,
    ResourceNotFoundError,
)

from tests.dial.conftest import API_KEY, BEARER_TOKEN, BUCKET, CoreFakeServer

SEED = [{"role": "system", "content": "2+3="}]


def _user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def test_folder_listing_keeps_its_trailing_slash_q1(core_fake: CoreFakeServer) -> None:
    core_fake.put_file("docs/a.txt", b"a")
    with Dial(api_key=API_KEY, base_url=core_fake.base_url) as ours:
        listing = ours.files.metadata(url=f"files/{BUCKET}/docs/")
        assert listing.node_type == "FOLDER" and [i.name for i in listing.items or []] == ["a.txt"]
        assert core_fake.requests[-1].raw_path == f"/v1/metadata/files/{BUCKET}/docs/"
        assert ours.files.metadata(url=ours.my_files_home() / "docs/").node_type == "FOLDER"
        root = ours.files.get_metadata(url=f"files/{BUCKET}/")  # aidial: "Missing bucket path"
        assert root.node_type == "FOLDER"
    with aidial_client.Dial(api_key=API_KEY, base_url=core_fake.base_url) as theirs:
        with pytest.raises(aidial_client.DialException):
            theirs.files.get_metadata(url=f"files/{BUCKET}/docs/")
        assert core_fake.requests[-1].raw_path == f"/v1/metadata/files/{BUCKET}/docs"


def test_ids_are_encoded_in_every_path_q4_q17(core_fake: CoreFakeServer) -> None:
    with Dial(api_key=API_KEY, base_url=core_fake.base_url) as ours:
        assert ours.application.get("my app#1").id == "my app#1"
        assert core_fake.requests[-1].raw_path == "/openai/applications/my%20app%231"
        assert ours.application.get("echo-app:latest").id == "echo-app:latest"
        assert ours.application.get("team/app").id == "team/app"
        assert ours.deployments.get("team/llm").id == "team/llm"
        assert ours.model.get("odd model #1").id == "odd model #1"
        assert ours.deployments.get_configuration_schema("echo-app")["required"] == ["mode"]
        answer = ours.chat.completions.create(deployment_name="my app#1", messages=SEED)
        assert answer.choices[0].message.content == "Echo: 2+3="
        assert core_fake.requests[-1].raw_path == (
            "/openai/deployments/my%20app%231/chat/completions"
        )
        assert core_fake.chat_events[-1].deployment_id == "my app#1"
        with pytest.raises(DialParameterError, match="dot segment"):
            ours.deployments.get("..")
    with aidial_client.Dial(api_key=API_KEY, base_url=core_fake.base_url) as theirs:
        with pytest.raises(aidial_client.DialException):
            theirs.application.get("my app#1")  # '#1' became a fragment
        assert core_fake.requests[-1].raw_path == "/openai/applications/my%20app"


def test_error_messages_carry_the_servers_message_q5_q16(core_fake: CoreFakeServer) -> None:
    fail = _user("/fail status=400 message='temperature too high'")
    with Dial(api_key=API_KEY, base_url=core_fake.base_url) as ours:
        with pytest.raises(InvalidRequestError) as chat:
            ours.chat.completions.create(deployment_name="echo", messages=fail)
        assert chat.value.message == "temperature too high"
        assert str(chat.value) == "400 temperature too high"
        core_fake.faults.fail_next(
            "GET", "/v1/files/", 404, body={"error": {"message": "No such file", "code": "404"}}
        )
        with pytest.raises(ResourceNotFoundError) as storage:
            ours.files.download(url=f"files/{BUCKET}/x.txt")
        assert storage.value.message == "No such file"
    with aidial_client.Dial(api_key=API_KEY, base_url=core_fake.base_url) as theirs:
        with pytest.raises(aidial_client.DialException) as their_chat:
            theirs.chat.completions.create(deployment_name="echo", messages=fail)
        assert their_chat.value.message.startswith("Error code: 400 - {")
        core_fake.faults.fail_next(
            "GET", "/v1/files/", 404, body={"error": {"message": "No such file", "code": "404"}}
        )
        with pytest.raises(aidial_client.ResourceNotFoundError) as their_storage:
            theirs.files.download(url=f"files/{BUCKET}/x.txt")
        assert their_storage.value.message.startswith('{"error"')


def test_the_sync_client_honours_its_timeout_on_chat_q7(core_fake: CoreFakeServer) -> None:
    slow = _user("/slow n=5 delay=0.4")
    with Dial(api_key=API_KEY, base_url=core_fake.base_url, timeout=0.6) as ours:
        started = time.monotonic()
        with pytest.raises(DialTimeoutError):
            ours.chat.completions.create(deployment_name="echo", messages=slow)
        assert time.monotonic() - started < 1.8  # the whole call: 5 x 0.4 s never arrives
        answer = ours.chat.completions.create(
            deployment_name="echo", messages=slow, timeout=10
        )  # and a per-call timeout wins
        assert answer.choices[0].message.content == "slow0 slow1 slow2 slow3 slow4 "


def test_the_sync_client_honours_its_retries_on_chat_q7(core_fake: CoreFakeServer) -> None:
    def rate_limited(n: int) -> None:
        core_fake.faults.fail_next(
            "POST", "/openai/deployments/echo", 429, n=n, headers={"Retry-After": "0"}
        )

    with Dial(api_key=API_KEY, base_url=core_fake.base_url, max_retries=0) as none:
        rate_limited(1)
        with pytest.raises(DialRateLimitError):
            none.chat.completions.create(deployment_name="echo", messages=SEED)
    assert [r.status for r in core_fake.requests] == [429]
    with Dial(api_key=API_KEY, base_url=core_fake.base_url, max_retries=3) as three:
        rate_limited(3)
        three.chat.completions.create(deployment_name="echo", messages=SEED)
    assert [r.status for r in core_fake.requests] == [429, 429, 429, 429, 200]


def test_closing_a_pooled_client_leaves_the_pool_open_q8(core_fake: CoreFakeServer) -> None:
    with DialClientPool() as pool:
        first = pool.create_client(base_url=core_fake.base_url, api_key=API_KEY)
        second = pool.create_client(base_url=core_fake.base_url, bearer_token=BEARER_TOKEN)
        first.close()
        assert not pool.is_closed
        assert second.deployments.list()[0].id == "gpt-4"
        third = pool.create_client(base_url=core_fake.base_url, api_key=API_KEY, api_version="v")
        assert third.my_bucket() == BUCKET
    assert pool.is_closed
    their_pool = aidial_client.DialClientPool()
    a = their_pool.create_client(base_url=core_fake.base_url, api_key=API_KEY)
    b = their_pool.create_client(base_url=core_fake.base_url, api_key=API_KEY)
    a.close()
    with pytest.raises(aidial_client.DialException):
        b.deployments.list()  # aidial-client: closing one closed them all


def test_an_io_bytesio_upload_works_q10(core_fake: CoreFakeServer) -> None:
    with Dial(api_key=API_KEY, base_url=core_fake.base_url) as ours:
        item = ours.files.upload(url=f"files/{BUCKET}/mem.bin", file=io.BytesIO(b"in memory"))
        assert item.content_length == 9
        assert ours.files.download(url=item.url).get_content() == b"in memory"
    with aidial_client.Dial(api_key=API_KEY, base_url=core_fake.base_url) as theirs:
        with pytest.raises(Exception, match="validation error"):
            theirs.files.upload(url=f"files/{BUCKET}/mem2.bin", file=io.BytesIO(b"x"))


async def test_a_failed_streamed_download_raises_the_typed_error_q12(
    core_fake: CoreFakeServer,
) -> None:
    url = f"files/{BUCKET}/missing.txt"
    async with AsyncDial(api_key=API_KEY, base_url=core_fake.base_url) as ours:
        with pytest.raises(ResourceNotFoundError):
            await ours.files.download(url=url)
        core_fake.faults.fail_next("GET", "/v1/files/", 500, body="storage is down")
        with pytest.raises(DialException) as err:
            await ours.files.download(url=url, max_retries=0)
        assert (err.value.status_code, err.value.message) == (500, "storage is down")
    theirs = aidial_client.AsyncDial(api_key=API_KEY, base_url=core_fake.base_url)
    with pytest.raises(httpx.ResponseNotRead):
        async with theirs.files.stream_download(url=url):
            pass
    await theirs.aclose()


@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
def test_a_coroutine_credential_on_the_sync_client_is_a_clear_error_q14() -> None:
    async def key() -> str:
        return API_KEY

    with pytest.raises(DialParameterError, match="async client") as err:
        Dial(api_key=key, base_url="http://127.0.0.1:9")  # type: ignore[arg-type]
    assert isinstance(err.value, DialException) and isinstance(err.value, ValueError)
    with pytest.raises(DialParameterError, match="api_key or bearer_token"):
        Dial(base_url="http://127.0.0.1:9")
    theirs = aidial_client.Dial(api_key=key, base_url="http://127.0.0.1:9")  # accepted...
    with pytest.raises(TypeError):
        theirs.deployments.list()  # ...and fails later with a raw TypeError
    theirs.close()


def test_an_unnamed_file_tuple_still_uploads_q11(core_fake: CoreFakeServer) -> None:
    with Dial(api_key=API_KEY, base_url=core_fake.base_url) as ours:
        ours.files.upload(url=f"files/{BUCKET}/anon.bin", file=(None, b"anonymous"))
    assert core_fake.store.paths(bucket=BUCKET) == [f"{BUCKET}/anon.bin"]
