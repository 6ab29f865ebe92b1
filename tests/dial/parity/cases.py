"""The wire-parity cases: calls from the seed and issue 7, each run by aidial-client 0.18.0
(sync ``Dial`` and ``AsyncDial``) and later by our ``dial_client``.

Every case is registered twice (``name[sync]``, ``name[async]``) by ``@case``.  Where our
client deliberately sends something else, the case lists a ``Deviation`` (request index,
field, what we send, and why - reference ``dial.md`` §14); where that changes the outcome,
``ours_status`` says how our call ends.  Paths in deviations use the fake's fixed bucket
(``BUCKET``), so they are exact.
"""

from __future__ import annotations

import io
from typing import Any

from tests.dial.servers.core_fake import API_KEY, BEARER_TOKEN, BUCKET

from .harness import CaseEnv, case
from .normalise import Deviation, NormalisedPart, NormalisedRequest

SEED_MESSAGES = [{"role": "system", "content": "2+3="}]
FOLDER_Q1 = (
    "Q1: aidial-client drops a folder URL's trailing slash (PurePosixPath.relative_to), "
    "so Core answers item metadata (404) instead of the listing; we keep the slash"
)


def _text(chunks: list[Any]) -> str:
    return "".join((c.choices[0].delta.content or "") for c in chunks if c.choices)


# --------------------------------------------------------------------------- chat


@case()
async def chat_plain(c: Any, env: CaseEnv) -> None:
    """The seed's non-streamed chat call, with its api_version."""
    completion = await c.chat.completions.create(
        deployment_name="echo",
        stream=False,
        messages=SEED_MESSAGES,
        api_version="2024-02-15-preview",
    )
    assert completion.choices[0].message.content == "Echo: 2+3="


@case()
async def chat_stream(c: Any, env: CaseEnv) -> None:
    """The seed's streamed chat call: chunks until [DONE]; usage on the last one."""
    stream = await c.chat.completions.create(
        deployment_name="echo",
        stream=True,
        messages=SEED_MESSAGES,
        api_version="2024-02-15-preview",
    )
    chunks = await env.collect(stream)
    assert _text(chunks) == "Echo: 2+3=" and chunks[-1].usage.total_tokens > 0


@case()
async def chat_unicode_no_api_version(c: Any, env: CaseEnv) -> None:
    """No api_version (no query at all); non-ASCII text in the JSON body."""
    completion = await c.chat.completions.create(
        deployment_name="echo",
        messages=[{"role": "user", "content": "héllo ü — 🙂"}],
    )
    assert completion.choices[0].message.content == "Echo: héllo ü — 🙂"


@case()
async def chat_request_fields(c: Any, env: CaseEnv) -> None:
    """Optional request fields, custom_fields and a previous turn's custom_content state."""
    completion = await c.chat.completions.create(
        deployment_name="echo-app",
        messages=[
            {"role": "user", "content": "/rich"},
            {"role": "assistant", "content": "rich", "custom_content": {"state": {"turn": 1}}},
            {"role": "user", "content": "/rich"},
        ],
        temperature=0.5,
        top_p=0.9,
        max_tokens=64,
        seed=7,
        stop=["\n\n"],
        user="parity",
        custom_fields={"configuration": {"mode": "fast"}},
    )
    custom = completion.choices[0].message.custom_content
    assert custom.state == {"turn": 2} and custom.stages[0].status == "completed"


@case()
async def chat_tools_stream(c: Any, env: CaseEnv) -> None:
    """Tools and a tool-call history; the streamed answer is a tool call."""
    tool = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
    call = {
        "id": "call_0",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'},
    }
    stream = await c.chat.completions.create(
        deployment_name="gpt-4",
        stream=True,
        messages=[
            {"role": "user", "content": "weather in Oslo?"},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "call_0", "content": "sunny"},
            {"role": "user", "content": "/tool"},
        ],
        tools=[tool],
        tool_choice="auto",
    )
    chunks = await env.collect(stream)
    assert any(ch.choices and ch.choices[0].delta.tool_calls for ch in chunks)


# --------------------------------------------------------------------------- deployments


@case()
async def deployments_list(c: Any, env: CaseEnv) -> None:
    """``client.deployments.list()`` as in the seed."""
    assert "gpt-4" in [d.id for d in await c.deployments.list()]


@case()
async def deployments_get(c: Any, env: CaseEnv) -> None:
    assert (await c.deployments.get("gpt-4")).model == "gpt-4"


@case(
    Deviation(
        0,
        "path",
        "/openai/deployments/team%2Fllm",
        "Q4: aidial-client interpolates ids raw, so a '/' splits the id into two segments; "
        "we percent-encode every id (Core decodes both forms to the same id)",
    )
)
async def deployments_get_slash_id(c: Any, env: CaseEnv) -> None:
    assert (await c.deployments.get("team/llm")).id == "team/llm"


# --------------------------------------------------------------------------- applications


@case()
async def applications_list(c: Any, env: CaseEnv) -> None:
    """``client.application.list()`` as in the seed."""
    assert "echo-app" in [a.id for a in await c.application.list()]


@case()
async def applications_get(c: Any, env: CaseEnv) -> None:
    """``client.application.get("app_id")`` as in the seed."""
    assert (await c.application.get("echo-app")).display_name == "app with attachments"


@case(
    Deviation(
        0,
        "path",
        "/openai/applications/my%20app%231",
        "Q4/Q17: aidial-client builds the path with urljoin and no encoding, so '#1' becomes "
        "a fragment and never leaves the client (Core looks up 'my app' and answers 404); "
        "we encode the id, so 'my app#1' reaches Core whole",
    ),
    reference_status=404,
    ours_status=None,
)
async def applications_get_space_hash_id(c: Any, env: CaseEnv) -> None:
    assert (await c.application.get("my app#1")).id == "my app#1"


@case(
    Deviation(
        0,
        "path",
        "/openai/applications/echo-app%3Alatest",
        "Q17: urljoin('openai/applications/', 'echo-app:latest') reads 'echo-app:' as a URL "
        "scheme and aidial-client requests {base}latest; we encode the id into its segment",
    ),
    reference_status=404,
    ours_status=None,
)
async def applications_get_colon_id(c: Any, env: CaseEnv) -> None:
    assert (await c.application.get("echo-app:latest")).id == "echo-app:latest"


# --------------------------------------------------------------------------- files


@case()
async def upload_bytes(c: Any, env: CaseEnv) -> None:
    """``files.upload(url=my_files_home() / ..., file=bytes)``: part named ``upload``."""
    home = await c.my_files_home()
    item = await c.files.upload(url=home / "docs/bytes.bin", file=b"\x00\x01 binary \xff")
    assert item.content_length == 11


@case()
async def upload_open_file(c: Any, env: CaseEnv) -> None:
    """The seed's ``with open(...) as file: files.upload(url=..., file=file)``."""
    path = env.tmp / "some-local-file.txt"
    path.write_bytes(b"local file content\n")
    home = await c.my_files_home()
    with open(path, "rb") as file:
        await c.files.upload(url=home / "some-relative-path/my-file.txt", file=file)
    assert env.core.store.paths(bucket=BUCKET) == [f"{BUCKET}/some-relative-path/my-file.txt"]


@case()
async def upload_tuple(c: Any, env: CaseEnv) -> None:
    """aidial-client's tuple order ``(filename, file, content_type)``."""
    home = await c.my_files_home()
    item = await c.files.upload(
        url=home / "docs/table.csv", file=("custom name.csv", b"a,b\n1,2\n", "text/csv")
    )
    assert item.content_type == "text/csv"


@case()
async def upload_names_space_unicode_hash(c: Any, env: CaseEnv) -> None:
    """A URL with spaces, non-ASCII, ``#`` and ``?``: each segment percent-encoded."""
    home = await c.my_files_home()
    item = await c.files.upload(url=home / "my folder/naïve #1?.txt", file=b"x")
    assert item.name == "naïve #1?.txt" and item.parent_path == "my folder"


@case(
    Deviation(
        1,
        "insert",
        NormalisedRequest(
            "PUT",
            f"/v1/files/{BUCKET}/docs/memory.bin",
            headers=(
                ("api-key", API_KEY),
                ("content-type", "multipart/form-data; boundary=<boundary>"),
            ),
            body_kind="multipart",
            parts=(NormalisedPart("file", "upload", "application/octet-stream", b"in memory"),),
        ),
        "Q10: aidial-client's pydantic v1 request model refuses io.BytesIO, so nothing is sent; "
        "we upload it like bytes (the part as aidial-client sends for bytes)",
    ),
    reference_raises="ValidationError",
    ours_status=None,
)
async def upload_bytesio(c: Any, env: CaseEnv) -> None:
    home = await c.my_files_home()
    await c.files.upload(url=home / "docs/memory.bin", file=io.BytesIO(b"in memory"))
    assert env.core.store.paths(bucket=BUCKET) == [f"{BUCKET}/docs/memory.bin"]


@case()
async def upload_relative_and_absolute_urls(c: Any, env: CaseEnv) -> None:
    """The seed's relative ``files/...`` string and absolute ``{base}/v1/files/...`` URL."""
    await c.files.upload(url=f"files/{env.bucket}/some-relative-path/rel.txt", file=b"r")
    absolute = f"{env.base_url}/v1/files/{env.bucket}/some-relative-path/abs%20name.txt"
    await c.files.upload(url=absolute, file=b"a")
    assert len(env.core.store.paths(bucket=BUCKET)) == 2


@case(reference_status=412)
async def upload_etag_conditions(c: Any, env: CaseEnv) -> None:
    """If-None-Match: * creates, If-Match with the ETag replaces, If-None-Match: * then 412."""
    home = await c.my_files_home()
    url = home / "docs/guarded.txt"
    first = await c.files.upload(url=url, file=b"v1", etag_if_none_match="*")
    await c.files.upload(url=url, file=b"v2", etag_if_match=first.etag)
    await c.files.upload(url=url, file=b"v3", etag_if_none_match="*")


@case()
async def download(c: Any, env: CaseEnv) -> None:
    """The seed's ``files.download(url=my_files_home() / ...)`` and ``get_content()``."""
    env.seed_file("relative_folder/my-file.txt", b"0123456789" * 100)
    home = await c.my_files_home()
    result = await c.files.download(url=home / "relative_folder/my-file.txt")
    assert await env.content(result) == b"0123456789" * 100


@case()
async def download_names_space_unicode_hash(c: Any, env: CaseEnv) -> None:
    env.seed_file("my folder/naïve #1.txt", b"hash")
    result = await c.files.download(url=f"files/{env.bucket}/my folder/naïve #1.txt")
    assert await env.content(result) == b"hash"


@case()
async def metadata_item(c: Any, env: CaseEnv) -> None:
    """Item metadata (the seed's ``files.metadata``; aidial-client's ``get_metadata``)."""
    env.seed_file("relative_folder/my-file.txt", b"hello world!")
    home = await c.my_files_home()
    meta = await c.files.get_metadata(url=home / "relative_folder/my-file.txt")
    assert meta.content_length == 12 and meta.node_type == "ITEM"


@case(
    Deviation(1, "path", f"/v1/metadata/files/{BUCKET}/docs/", FOLDER_Q1),
    reference_status=404,
    ours_status=None,
)
async def metadata_folder_trailing_slash(c: Any, env: CaseEnv) -> None:
    env.seed_file("docs/a.txt", b"a")
    home = await c.my_files_home()
    meta = await c.files.get_metadata(url=f"{home}/docs/", limit=10)
    assert meta.node_type == "FOLDER"


@case()
async def metadata_listing_pages(c: Any, env: CaseEnv) -> None:
    """Folder listing page by page (``limit``, ``token``) through ``client.metadata.get``,
    aidial-client's only call that keeps the trailing slash; our client's folder listing
    must send the same requests."""
    for name in ("a.txt", "b.txt", "c d.txt"):
        env.seed_file(f"docs/{name}", name.encode())
    names: list[str] = []
    token = None
    while True:
        page = await c.metadata.get("files", f"files/{env.bucket}/docs/", limit=2, token=token)
        names += [i.name for i in page.items]
        token = page.next_token
        if token is None:
            break
    assert names == ["a.txt", "b.txt", "c d.txt"]


@case(reference_status=404)
async def delete_then_missing(c: Any, env: CaseEnv) -> None:
    """The seed's ``files.delete(url=...)``; deleting again is Core's 404."""
    env.seed_file("relative_folder/my-file.txt", b"bye")
    home = await c.my_files_home()
    await c.files.delete(url=home / "relative_folder/my-file.txt")
    await c.files.delete(url=home / "relative_folder/my-file.txt")


@case()
async def move_and_copy(c: Any, env: CaseEnv) -> None:
    env.seed_file("docs/a.txt", b"a")
    home = await c.my_files_home()
    await c.files.copy_to(home / "docs/a.txt", home / "docs/copy of a.txt")
    await c.files.move_to(home / "docs/a.txt", home / "archive/a.txt", overwrite=True)
    assert env.core.store.paths(bucket=BUCKET) == [
        f"{BUCKET}/archive/a.txt",
        f"{BUCKET}/docs/copy of a.txt",
    ]


# --------------------------------------------------------------------------- credentials


@case()
async def auth_bearer_token(c: Any, env: CaseEnv) -> None:
    """``Dial(bearer_token=...)``: ``Authorization: Bearer`` only (non-chat and chat)."""
    b = env.client(bearer_token=BEARER_TOKEN)
    await b.deployments.list()
    await b.chat.completions.create(deployment_name="echo", messages=SEED_MESSAGES)


@case()
async def auth_both_and_callable(c: Any, env: CaseEnv) -> None:
    """Both credentials (both headers) and credentials given as functions."""
    both = env.client(api_key=lambda: API_KEY, bearer_token=lambda: BEARER_TOKEN)
    await both.deployments.list()
    await both.chat.completions.create(deployment_name="echo", messages=SEED_MESSAGES)
