"""A generated client streaming Server-Sent Events from a real server on 127.0.0.1.

``tests/specs/streaming/openapi.yaml`` is compiled into ``tmp_path`` once per module;
the package is imported from there and driven against a starlette app under uvicorn
(``tests.support.server``). The app records when a stream's generator is finalised,
which is how the tests see that breaking out of a loop closed the connection.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from tests.support.compiled import compiled_package
from tests.support.server import serve

SPEC = Path(__file__).resolve().parents[1] / "specs" / "streaming" / "openapi.yaml"
PACKAGE = "streaming_test_client"


class Events:
    """What the server saw: finished streams, by prompt."""

    def __init__(self) -> None:
        self.closed: dict[str, threading.Event] = {}

    def closed_event(self, prompt: str) -> threading.Event:
        return self.closed.setdefault(prompt, threading.Event())


def make_app(events: Events) -> Starlette:
    async def echo(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse({"text": body["text"], "extra_field": 1})

    async def completions(request: Request) -> StreamingResponse:
        body = await request.json()
        prompt, n, fail_after = body["prompt"], body.get("n", 3), body.get("fail_after")
        closed = events.closed_event(prompt)

        async def stream() -> AsyncIterator[bytes]:
            try:
                i = 0
                while n < 0 or i < n:
                    if fail_after is not None and i == fail_after:
                        yield b'data: {"error": {"message": "model overloaded"}}\n\n'
                        return
                    chunk = {"index": i, "delta": f"{prompt}-{i}"}
                    if n >= 0 and i == n - 1:
                        chunk["finish_reason"] = "stop"
                    yield f"data: {json.dumps(chunk)}\n\n".encode()
                    i += 1
                    if n < 0:
                        await asyncio.sleep(0.01)
                yield b"data: [DONE]\n\n"
            finally:
                closed.set()

        return StreamingResponse(stream(), media_type="text/event-stream")

    return Starlette(
        routes=[
            Route("/echo", echo, methods=["POST"]),
            Route("/completions", completions, methods=["POST"]),
        ]
    )


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(SPEC, PACKAGE, tmp_path_factory.mktemp("streaming")) as compiled:
        yield compiled


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Events]]:
    events = Events()
    with serve(make_app(events)) as base_url:
        yield base_url, events


def test_json_operation(pkg: Any, server: tuple[str, Events]) -> None:
    base_url, _ = server
    with pkg.StreamingClient(base_url=base_url) as client:
        echo = client.echo(text="hello")
    assert isinstance(echo, pkg.Echo)
    assert echo.text == "hello"
    assert echo.extra_field == 1  # unknown fields are kept


def test_sync_stream_to_the_end(pkg: Any, server: tuple[str, Events]) -> None:
    base_url, events = server
    with pkg.StreamingClient(base_url=base_url) as client:
        chunks = list(client.complete(prompt="sync-all", n=3))
    assert [c.index for c in chunks] == [0, 1, 2]
    assert all(isinstance(c, pkg.Chunk) for c in chunks)
    assert chunks[-1].finish_reason is pkg.FinishReason.Stop
    assert events.closed_event("sync-all").wait(5)


def test_sync_early_break_closes_the_connection(pkg: Any, server: tuple[str, Events]) -> None:
    base_url, events = server
    with pkg.StreamingClient(base_url=base_url) as client:
        seen = []
        for chunk in client.complete(prompt="sync-break", n=-1):
            seen.append(chunk.delta)
            if len(seen) == 2:
                break
        assert seen == ["sync-break-0", "sync-break-1"]
        assert events.closed_event("sync-break").wait(5), "server stream still running"
        assert client.echo(text="still usable").text == "still usable"


def test_sync_error_event_raises_the_api_base_error(pkg: Any, server: tuple[str, Events]) -> None:
    base_url, _ = server
    with pkg.StreamingClient(base_url=base_url) as client:
        seen = []
        with pytest.raises(pkg.StreamingError) as info:
            for chunk in client.complete(prompt="sync-fail", n=5, fail_after=2):
                seen.append(chunk.index)
    assert seen == [0, 1]
    assert "model overloaded" in str(info.value)


async def test_async_stream_to_the_end(pkg: Any, server: tuple[str, Events]) -> None:
    base_url, events = server
    async with pkg.AsyncStreamingClient(base_url=base_url) as client:
        chunks = [c async for c in client.complete(prompt="async-all", n=4)]
        echo = await client.echo(text="async")
    assert [c.index for c in chunks] == [0, 1, 2, 3]
    assert echo.text == "async"
    assert events.closed_event("async-all").wait(5)


async def test_async_early_break_closes_the_connection(
    pkg: Any, server: tuple[str, Events]
) -> None:
    base_url, events = server
    async with pkg.AsyncStreamingClient(base_url=base_url) as client:
        seen = []
        async for chunk in client.complete(prompt="async-break", n=-1):
            seen.append(chunk.index)
            if len(seen) == 3:
                break
        deadline = time.monotonic() + 5
        while not events.closed_event("async-break").is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        assert seen == [0, 1, 2]
        assert events.closed_event("async-break").is_set(), "server stream still running"


async def test_async_stream_context_manager(pkg: Any, server: tuple[str, Events]) -> None:
    base_url, events = server
    async with pkg.AsyncStreamingClient(base_url=base_url) as client:
        async with client.complete(prompt="async-ctx", n=-1) as stream:
            first = await stream.__anext__()
        assert first.index == 0
        deadline = time.monotonic() + 5
        while not events.closed_event("async-ctx").is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        assert events.closed_event("async-ctx").is_set()


async def test_async_error_event(pkg: Any, server: tuple[str, Events]) -> None:
    base_url, _ = server
    async with pkg.AsyncStreamingClient(base_url=base_url) as client:
        with pytest.raises(pkg.StreamingError, match="model overloaded"):
            async for _ in client.complete(prompt="async-fail", n=5, fail_after=1):
                pass
