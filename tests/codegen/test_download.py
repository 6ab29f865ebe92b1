"""Download methods (``tests/specs/download``): a binary response body is streamed to
the caller (``iter_bytes``/``aiter_bytes``, ``read()``), status-checked before the
method returns, and its connection released on exit. Against a real server."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.support.compiled import compiled_package
from tests.support.server import serve

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "specs" / "download" / "openapi.yaml"
CHUNK = bytes(range(256)) * 256  # 64 KiB
CHUNKS = 16
BIG = 1024  # paced at 10 ms a chunk: only a released connection ends it early


class Seen:
    def __init__(self) -> None:
        self.finished = threading.Event()
        self.sent = 0


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(SPEC, "download_test_client", tmp_path_factory.mktemp("dl")) as p:
        yield p


@pytest.fixture()
def server() -> Iterator[tuple[str, Seen]]:
    seen = Seen()

    async def files(request: Request) -> Response:
        if request.path_params["path"] == "missing":
            return JSONResponse({"message": "no such file"}, status_code=404)

        count = BIG if request.path_params["path"] == "big.bin" else CHUNKS

        async def body() -> AsyncIterator[bytes]:
            try:
                for _ in range(count):
                    seen.sent += 1
                    yield CHUNK
                    if count == BIG:
                        await asyncio.sleep(0.01)
            finally:
                seen.finished.set()

        return StreamingResponse(body(), media_type="application/octet-stream")

    app = Starlette(routes=[Route("/files/{path:path}", files)])
    with serve(app) as url:
        yield url, seen


def test_streams_the_body(pkg: Any, server: tuple[str, Seen]) -> None:
    url, _ = server
    with pkg.Download(base_url=url) as client:
        with client.files.download("a.bin") as response:
            assert response.status_code == 200
            total = sum(len(part) for part in response.iter_bytes())
        assert total == len(CHUNK) * CHUNKS
        assert client.files.download("b.bin").read() == CHUNK * CHUNKS


def test_error_status_raises_before_returning(pkg: Any, server: tuple[str, Seen]) -> None:
    url, _ = server
    with pkg.Download(base_url=url) as client, pytest.raises(pkg.DownloadError) as info:
        client.files.download("missing")
    assert info.value.status_code == 404 and info.value.message == "no such file"


def test_leaving_early_releases_the_connection(pkg: Any, server: tuple[str, Seen]) -> None:
    url, seen = server
    with pkg.Download(base_url=url) as client:
        with client.files.download("big.bin") as response:
            next(iter(response.iter_bytes()))
        assert seen.finished.wait(5)
        assert seen.sent < BIG
        # The pool is usable again at once (the connection was released, not leaked).
        assert client.files.download("small.bin").read()[:3] == b"\x00\x01\x02"


async def test_async_download(pkg: Any, server: tuple[str, Seen]) -> None:
    url, _ = server
    async with pkg.AsyncDownload(base_url=url) as client:
        async with await client.files.download("a.bin") as response:
            total = 0
            async for part in response.aiter_bytes():
                total += len(part)
        assert total == len(CHUNK) * CHUNKS
        with pytest.raises(pkg.DownloadError):
            await client.files.download("missing")


def test_a_download_method_takes_a_progress_callback(pkg: Any, server: tuple[str, Seen]) -> None:
    url, _ = server
    seen: list[tuple[int, int | None]] = []
    with pkg.Download(base_url=url) as client:
        response = client.files.download("a.bin", on_progress=lambda d, t: seen.append((d, t)))
        assert b"".join(response) == CHUNK * CHUNKS
    assert seen[-1][0] == len(CHUNK) * CHUNKS
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


async def test_async_download_gives_its_content_and_writes_files(
    pkg: Any, server: tuple[str, Seen], tmp_path: Any
) -> None:
    url, _ = server
    async with pkg.AsyncDownload(base_url=url) as client:
        assert await (await client.files.download("a.bin")).aget_content() == CHUNK * CHUNKS
        await (await client.files.download("b.bin")).awrite_to(tmp_path / "b.bin")
    assert (tmp_path / "b.bin").read_bytes() == CHUNK * CHUNKS
