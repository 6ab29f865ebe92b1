"""Progress callbacks and the file-like download API, against the runtime's fake server.

An upload reports ``(bytes_sent, Content-Length)`` as its multipart body goes out; a
download ``(bytes_read, total or None)`` as the body is read; both rise monotonically
to the whole body.  A download iterates by chunks, gives its content
(``get_content`` / ``aget_content``) or streams into a file (``write_to`` /
``awrite_to``)."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import clientcore
from tests.runtime.conftest import Server, call, collect
from tests.runtime.contract_client import BLOB
from tests.runtime.fake_api import blob_bytes

UPLOAD = clientcore.Operation("POST", "/upload")


def _rising(seen: list[tuple[int, int | None]]) -> None:
    done = [d for d, _ in seen]
    assert done == sorted(done) and len(seen) >= 2, seen


async def test_upload_reports_bytes_sent_against_the_content_length(make_client: Any) -> None:
    client = make_client()
    seen: list[tuple[int, int | None]] = []
    content = b"x" * 300_000
    result = await call(
        client._request(
            UPLOAD,
            dict,
            files=[("file", ("a.bin", io.BytesIO(content), "application/octet-stream"))],
            upload_progress=lambda done, total: seen.append((done, total)),
        )
    )
    assert len(result["parts"][0]["content"]) == len(content)
    _rising(seen)
    total = seen[-1][1]
    assert total is not None and total > len(content)  # the multipart framing counts too
    assert seen[-1][0] == total and seen[0] == (0, total)


async def test_download_reports_bytes_read_and_gives_the_content(make_client: Any) -> None:
    client = make_client()
    seen: list[tuple[int, int | None]] = []
    response = await call(
        client._download(
            BLOB,
            path={"key": uuid.uuid4().hex},
            query={"size": 50_000, "chunk": 4096},
            progress=lambda done, total: seen.append((done, total)),
        )
    )
    content = await call(
        response.get_content() if hasattr(response, "get_content") else response.aget_content()
    )
    assert content == blob_bytes(50_000)
    _rising(seen)
    assert seen[-1] == (50_000, None)  # streamed without a Content-Length
    assert response.is_closed


async def test_a_download_iterates_by_chunks(make_client: Any) -> None:
    client = make_client()
    response = await call(
        client._download(BLOB, path={"key": uuid.uuid4().hex}, query={"size": 20_000})
    )
    chunks = await collect(response)
    assert b"".join(chunks) == blob_bytes(20_000) and len(chunks) > 1
    assert response.is_closed


async def test_a_download_streams_into_a_file(make_client: Any, tmp_path: Path) -> None:
    client = make_client()
    target = tmp_path / "out.bin"
    target.write_bytes(b"old content that must go")
    response = await call(
        client._download(BLOB, path={"key": uuid.uuid4().hex}, query={"size": 70_000})
    )
    writer = response.write_to if hasattr(response, "write_to") else response.awrite_to
    await call(writer(target))
    assert target.read_bytes() == blob_bytes(70_000)
    assert response.is_closed


async def test_a_failing_progress_callback_ends_the_download(
    server: Server, make_client: Any
) -> None:
    client = make_client()

    def stop(done: int, total: int | None) -> None:
        if done > 10_000:
            raise KeyboardInterrupt  # what a cancel button does; not swallowed

    response = await call(
        client._download(
            BLOB, path={"key": uuid.uuid4().hex}, query={"size": 100_000}, progress=stop
        )
    )
    try:
        await call(
            response.get_content() if hasattr(response, "get_content") else response.aget_content()
        )
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the callback's exception was swallowed")
    assert response.is_closed
