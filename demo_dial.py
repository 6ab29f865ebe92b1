"""The DIAL part of the main job: the regenerated ``dial_client`` against local servers.

Called by ``demo.py`` after the Scale part.  It starts the DIAL Core fake from
``tests/dial/servers`` on 127.0.0.1, with a real aidial-sdk chat application behind it,
and runs the calls of aidial-client's own documentation through the generated client,
sync and async: deployments, chat whole and streamed, files, applications, pools.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

from dial_client import AsyncDial, Dial, DialClientPool, DialException

from tests.dial.servers.chat_app import create_chat_app
from tests.dial.servers.core_fake import API_KEY, BEARER_TOKEN, create_app
from tests.support.server import ServerThread

MESSAGES: list[dict[str, Any]] = [{"role": "user", "content": "what is two plus three"}]


def step(title: str) -> None:
    print(f"\n== DIAL: {title}")


def sync_demo(base_url: str) -> None:
    client = Dial(api_key=API_KEY, base_url=base_url)
    step("deployments.list()")
    for deployment in client.deployments.list():
        print(" ", deployment.id, deployment.model)

    step("chat.completions.create(stream=False) and (stream=True)")
    completion = client.chat.completions.create(
        deployment_name="gpt-4", messages=MESSAGES, api_version="2024-02-15-preview"
    )
    print("  answer:", completion.choices[0].message.content, "| usage:", completion.usage)
    stream = client.chat.completions.create(deployment_name="gpt-4", messages=MESSAGES, stream=True)
    print("  streamed:", "".join(c.choices[0].delta.content or "" for c in stream if c.choices))

    step("files: upload, metadata, download, delete")
    url = client.my_files_home() / "demo folder/notes #1.txt"
    seen: list[int] = []
    client.files.upload(
        url=url,
        file=("notes.txt", "text/plain", io.BytesIO(b"hello DIAL\n")),
        on_progress=lambda done, total: seen.append(done),
    )
    print("  uploaded", url, "| progress:", seen[-1], "bytes")
    print("  metadata:", client.files.metadata(url=url).content_length, "bytes")
    print("  downloaded:", client.files.download(url=url).get_content())
    client.files.delete(url=url)
    try:
        client.files.download(url=url)
    except DialException as err:
        print("  after delete:", type(err).__name__, err.status_code)

    step("application.list() / get()")
    for app in client.application.list():
        print(" ", app.id, "->", client.application.get(app.id).display_name)

    step("DialClientPool: two credentials, one connection pool")
    pool = DialClientPool()
    first = pool.create_client(base_url=base_url, api_key=API_KEY)
    second = pool.create_client(base_url=base_url, bearer_token=BEARER_TOKEN)
    print("  by key:", len(first.deployments.list()), "| by token:", len(second.deployments.list()))
    client.close()


async def async_demo(base_url: str) -> None:
    step("the same API, async (a coroutine as the key)")

    async def key() -> str:
        return API_KEY

    async with AsyncDial(api_key=key, base_url=base_url) as client:
        stream = await client.chat.completions.create(
            deployment_name="gpt-4", messages=MESSAGES, stream=True
        )
        text = ""
        async for chunk in stream:
            text += "".join(c.delta.content or "" for c in chunk.choices)
        print("  streamed:", text)
        print("  my files:", await client.my_files_home())


def main() -> None:
    app = create_app(chat_upstream=create_chat_app())
    with ServerThread(app) as base_url:
        print("\nDIAL Core fake (with an aidial-sdk chat app) listening on", base_url)
        sync_demo(base_url)
        asyncio.run(async_demo(base_url))
