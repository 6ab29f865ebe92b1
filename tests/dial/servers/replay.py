"""Replay a stream that aidial-sdk really produced, from memory, as fast as uvicorn can send.

    chunks = record_stream(create_chat_app(), "/long n=20000")   # the sdk's own SSE writes
    app = ReplayApp(chunks)                                       # POST any path -> that stream
    with serve(app) as base_url: ...

Design notes
------------
* The scripted chat app is a real aidial-sdk application, but the sdk's per-chunk work
  (pydantic models, merging, an asyncio queue) caps it near 20k chunks/s here - about what
  a fast client parses, so a client benchmark against it measures the server.  The replay
  serves the *same bytes*, one ``http.response.body`` message per sdk write (the same
  framing on the wire), without the sdk in the loop.
* ``record_stream`` drives the ASGI app in-process (no socket) and keeps each body message
  as sent; ``ReplayApp`` answers every POST with status 200, ``text/event-stream`` and those
  messages, and counts the requests it served (``served``).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

__all__ = ["ReplayApp", "record_stream"]


async def _capture(app: Any, path: str, body: bytes) -> tuple[int, list[bytes]]:
    status = 0
    chunks: list[bytes] = []
    sent = False
    never = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await never.wait()  # the client never disconnects
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body" and message.get("body"):
            chunks.append(bytes(message["body"]))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"api-key", b"replay")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    return status, chunks


def record_stream(app: Any, text: str, deployment: str = "echo") -> list[bytes]:
    """The body writes of ``app`` answering a streamed chat request whose message is ``text``."""
    body = json.dumps({"messages": [{"role": "user", "content": text}], "stream": True}).encode()
    path = f"/openai/deployments/{deployment}/chat/completions"
    status, chunks = asyncio.run(_capture(app, path, body))
    if status != 200:
        raise RuntimeError(f"the app answered {status}: {b''.join(chunks)[:200]!r}")
    return chunks


class ReplayApp:
    """ASGI app: every POST gets the recorded stream, one body message per recorded write."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.served = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        if scope["method"] != "POST":
            await send({"type": "http.response.start", "status": 405, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        self.served += 1
        headers = [(b"content-type", b"text/event-stream; charset=utf-8")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for chunk in self.chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
