"""Storage through ``dial_client`` against the stateful DIAL Core fake: upload (every file
form, the same open file twice, a retried upload), streamed download, metadata and folder
listings with paging, move, copy, delete, ETags and 404/412, prompts, grants, appdata,
progress callbacks; names with spaces, unicode, ``#`` and ``?`` reach Core whole."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from dial_client import (
    AsyncDial,
    Dial,
    DialParameterError,
    DialPath,
    EtagMismatchError,
    InvalidDialURLError,
    InvalidRequestError,
    ResourceNotFoundError,
)

from tests.dial.conftest import (
    API_KEY,
    BUCKET,
    PER_REQUEST_KEY,
    USER_BUCKET,
    CoreFakeServer,
)


@pytest.fixture
def client(core_fake: CoreFakeServer) -> Any:
    with Dial(api_key=API_KEY, base_url=core_fake.base_url) as c:
        yield c


def stored(core: CoreFakeServer, path: str, bucket: str = BUCKET) -> bytes | None:
    encoded = "/".join(quote(s, safe="") for s in path.split("/"))
    with core.http() as http:
        response = http.get(f"/v1/files/{bucket}/{encoded}")
    return response.content if response.status_code == 200 else None


def test_names_with_spaces_unicode_hash_and_question_marks(
    client: Dial, core_fake: CoreFakeServer
) -> None:
    home = client.my_files_home()
    item = client.files.upload(url=home / "my folder/naïve #1?.txt", file=b"odd")
    assert (item.name, item.parent_path) == ("naïve #1?.txt", "my folder")
    assert core_fake.requests[-1].raw_path == (
        f"/v1/files/{BUCKET}/my%20folder/na%C3%AFve%20%231%3F.txt"
    )
    assert stored(core_fake, "my folder/naïve #1?.txt") == b"odd"
    assert client.files.download(url=item.url).get_content() == b"odd"  # Core's own URL form
    assert client.files.metadata(url=f"files/{BUCKET}/my folder/naïve #1?.txt").etag == item.etag


def test_every_file_form(client: Dial, core_fake: CoreFakeServer, tmp_path: Path) -> None:
    home = client.my_files_home()
    local = tmp_path / "table.csv"
    local.write_bytes(b"a,b\n")
    forms: dict[str, Any] = {
        "bytes.bin": b"\x00\xff",
        "text.txt": "plain ü",
        "memory.bin": io.BytesIO(b"in memory"),
        "seed.txt": ("seed name.txt", "text/markdown", b"# seed"),
        "aidial.txt": ("aidial name.txt", b"aidial", "text/x-aidial"),
    }
    for name, form in forms.items():
        client.files.upload(url=home / name, file=form)
    with open(local, "rb") as file:
        client.files.upload(url=home / "opened.csv", file=file)
    listing = client.files.metadata(url=f"{home}/")
    types = {i.name: i.content_type for i in listing.items or []}
    assert types == {
        "aidial.txt": "text/x-aidial",
        "bytes.bin": "application/octet-stream",
        "memory.bin": "application/octet-stream",
        "opened.csv": "text/csv",
        "seed.txt": "text/markdown",
        "text.txt": "application/octet-stream",
    }
    assert stored(core_fake, "text.txt") == "plain ü".encode()
    assert stored(core_fake, "memory.bin") == b"in memory"


def test_the_same_open_file_uploaded_twice_sends_all_of_it(
    client: Dial, core_fake: CoreFakeServer, tmp_path: Path
) -> None:
    local = tmp_path / "twice.txt"
    local.write_bytes(b"0123456789" * 1000)
    home = client.my_files_home()
    with open(local, "rb") as file:
        client.files.upload(url=home / "one.txt", file=file)
        client.files.upload(url=home / "two.txt", file=("two.txt", "text/plain", file))
    assert stored(core_fake, "one.txt") == stored(core_fake, "two.txt") == local.read_bytes()


def test_a_retried_upload_resends_the_whole_file(
    client: Dial, core_fake: CoreFakeServer, tmp_path: Path
) -> None:
    local = tmp_path / "retried.bin"
    local.write_bytes(bytes(range(256)) * 64)
    core_fake.faults.fail_next("PUT", "/v1/files/", 503, headers={"Retry-After": "0"})
    with open(local, "rb") as file:
        client.files.upload(url=f"files/{BUCKET}/retried.bin", file=file)
    puts = [r for r in core_fake.requests if r.method == "PUT"]
    assert [r.status for r in puts] == [503, 200]
    assert stored(core_fake, "retried.bin") == local.read_bytes()


def test_folder_listing_pages_and_recursion(client: Dial, core_fake: CoreFakeServer) -> None:
    for name in ("a.txt", "b c.txt", "d#.txt", "sub/e.txt", "sub/deeper/f.txt"):
        core_fake.put_file(f"docs/{name}", name.encode())
    home = client.my_files_home()
    names: list[str | None] = []
    token = None
    while True:
        page = client.files.metadata(url=home / "docs/", limit=2, token=token)
        assert page.node_type == "FOLDER" and len(page.items or []) <= 2
        names += [i.name for i in page.items or []]
        token = page.next_token
        if token is None:
            break
    assert names == ["a.txt", "b c.txt", "d#.txt", "sub"]
    deep = client.files.metadata(url=f"files/{BUCKET}/docs/", recursive=True)
    assert [i.name for i in deep.items or []] == ["a.txt", "b c.txt", "d#.txt", "f.txt", "e.txt"]
    root = client.files.get_metadata(url=f"files/{BUCKET}/")
    assert root.url == f"files/{BUCKET}/" and [i.name for i in root.items or []] == ["docs"]
    via_metadata = client.metadata.get("files", home / "docs/sub/", limit=10)
    assert [i.name for i in via_metadata.items or []] == ["deeper", "e.txt"]
    assert core_fake.requests[-1].raw_path == f"/v1/metadata/files/{BUCKET}/docs/sub/"


def test_storage_errors_are_typed_with_the_servers_message(
    client: Dial, core_fake: CoreFakeServer
) -> None:
    url = f"files/{BUCKET}/guarded.txt"
    with pytest.raises(ResourceNotFoundError) as missing:
        client.files.download(url=url)
    assert missing.value.status_code == 404
    with pytest.raises(ResourceNotFoundError):
        client.files.metadata(url=url)
    with pytest.raises(ResourceNotFoundError):
        client.files.delete(url=url)
    first = client.files.upload(url=url, file=b"v1", etag_if_none_match="*")
    assert first.etag and core_fake.requests[-1].header("if-none-match") == "*"
    with pytest.raises(EtagMismatchError) as exists:
        client.files.upload(url=url, file=b"v2", etag_if_none_match="*")
    assert exists.value.message == "Resource already exists"  # the plain-text body
    second = client.files.upload(url=url, file=b"v2", etag_if_match=first.etag)
    with pytest.raises(EtagMismatchError):
        client.files.upload(url=url, file=b"v3", etag_if_match=first.etag)
    with pytest.raises(EtagMismatchError):
        client.files.download(url=url, etag_if_match=first.etag)
    with pytest.raises(EtagMismatchError):
        client.files.delete(url=url, etag_if_match=first.etag)
    client.files.delete(url=url, etag_if_match=second.etag)
    with pytest.raises(InvalidRequestError) as limit:
        client.files.metadata(url=f"files/{BUCKET}/", limit=5000)
    assert limit.value.message == "Limit is out of allowed range: [0, 1000]"


def test_move_copy_and_what_core_refuses(client: Dial, core_fake: CoreFakeServer) -> None:
    core_fake.put_file("docs/a b.txt", b"a")
    home = client.my_files_home()
    client.files.copy_to(home / "docs/a b.txt", f"files/{BUCKET}/docs/copy #1.txt")
    assert core_fake.requests[-1].json == {
        "sourceUrl": f"files/{BUCKET}/docs/a%20b.txt",
        "destinationUrl": f"files/{BUCKET}/docs/copy%20%231.txt",
        "overwrite": False,
    }
    client.files.move_to(home / "docs/a b.txt", home / "archive/a.txt")
    with pytest.raises(InvalidRequestError, match="already exists"):
        client.files.move_to(home / "docs/copy #1.txt", home / "archive/a.txt")
    client.files.move_to(home / "docs/copy #1.txt", home / "archive/a.txt", overwrite=True)
    assert core_fake.store.paths(bucket=BUCKET) == [f"{BUCKET}/archive/a.txt"]
    with pytest.raises(InvalidDialURLError) as err:
        client.files.copy_to(home / "archive/a.txt", "files/B/../x")
    assert err.value.parameter == "destination"


def test_downloads_stream_without_buffering(client: Dial, core_fake: CoreFakeServer) -> None:
    core_fake.put_file("big.bin", b"x" * 50_000, "application/octet-stream")
    core_fake.core.download_chunk_size = 1000
    gate = core_fake.core.hold_downloads(after_chunks=1)
    seen: list[tuple[int, int | None]] = []
    result = client.files.download(
        url=f"files/{BUCKET}/big.bin", on_progress=lambda done, total: seen.append((done, total))
    )
    chunks = iter(result)
    first = next(chunks)  # arrives while the server still holds the rest back
    assert gate.waiting.wait(5) and not gate.released.is_set()
    gate.release()
    assert len(first) + sum(len(c) for c in chunks) == 50_000
    assert seen[-1] == (50_000, 50_000) and seen[0][0] < 50_000
    assert result.is_closed and result.content_type == "application/octet-stream"


async def test_async_download_streams_and_writes(core_fake: CoreFakeServer, tmp_path: Path) -> None:
    core_fake.put_file("big.bin", b"y" * 20_000, "application/octet-stream")
    core_fake.core.download_chunk_size = 1000
    gate = core_fake.core.hold_downloads(after_chunks=1)
    async with AsyncDial(api_key=API_KEY, base_url=core_fake.base_url) as client:
        result = await client.files.download(url=await client.my_files_home() / "big.bin")
        chunks = result.__aiter__()
        first = await chunks.__anext__()
        assert await asyncio.to_thread(gate.waiting.wait, 5)
        gate.release()
        rest = [c async for c in chunks]
        assert len(first) + sum(map(len, rest)) == 20_000
        again = await client.files.download(url=f"files/{BUCKET}/big.bin")
        await again.awrite_to(tmp_path / "big.bin")
    assert (tmp_path / "big.bin").read_bytes() == b"y" * 20_000


def test_upload_progress(client: Dial, core_fake: CoreFakeServer) -> None:
    seen: list[tuple[int, int | None]] = []
    client.files.upload(
        url=f"files/{BUCKET}/p.bin",
        file=b"z" * 100_000,
        on_progress=lambda done, total: seen.append((done, total)),
    )
    total = seen[-1][1]
    assert total is not None and total > 100_000 and seen[-1][0] == total
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_prompts(client: Dial, core_fake: CoreFakeServer) -> None:
    url = client.my_prompts_home() / "team prompts/greeting #1"
    prompt = {"id": "p1", "name": "greeting", "folder_id": "team prompts", "content": "Hi!"}
    saved = client.prompts.save(url, prompt, etag_if_none_match="*")
    assert core_fake.requests[-1].json == {
        "id": "p1",
        "name": "greeting",
        "folderId": "team prompts",
        "content": "Hi!",
    }
    assert core_fake.requests[-1].raw_path.endswith("/team%20prompts/greeting%20%231")
    got = client.prompts.get(url)
    assert (got.folder_id, got.content) == ("team prompts", "Hi!")
    folder = client.prompts.get_metadata(client.my_prompts_home() / "team prompts/")
    assert [i.name for i in folder.items or []] == ["greeting #1"]
    with pytest.raises(EtagMismatchError):
        client.prompts.save(url, prompt, etag_if_none_match="*")
    with pytest.raises(DialParameterError, match="not a prompt"):
        client.prompts.save(url, {"id": "no name"})
    client.prompts.delete(url, etag_if_match=saved.etag)
    with pytest.raises(ResourceNotFoundError, match="Not found"):
        client.prompts.get(url)


def test_grants_need_a_per_request_key(core_fake: CoreFakeServer) -> None:
    core_fake.put_file("docs/a b.txt", b"a", bucket=BUCKET)
    with Dial(api_key=PER_REQUEST_KEY, base_url=core_fake.base_url) as app:
        assert app.my_appdata() is not None
        assert str(app.my_appdata_home()) == f"files/{USER_BUCKET}/appdata/echo-app"
        assert app.bucket.get_appdata() == app.my_appdata()
        app.resource_permissions.grant(
            [DialPath("files", app.my_bucket(), "in #1.txt")], "gpt-4", ["READ", "WRITE"]
        )
    assert core_fake.core.grants[-1] == {
        "resourcePermissions": [
            {"url": f"files/{app.my_bucket()}/in%20%231.txt", "permissions": ["READ", "WRITE"]}
        ],
        "receiver": "gpt-4",
    }
    with Dial(api_key=API_KEY, base_url=core_fake.base_url) as plain:
        assert plain.my_appdata() is None and plain.my_appdata_home() is None
        with pytest.raises(Exception) as err:
            plain.resource_permissions.grant([f"files/{BUCKET}/docs/a b.txt"], "gpt-4")
        assert getattr(err.value, "status_code", None) == 403
