"""The DIAL Core fake's file routes: multipart upload, ETags, streamed download, delete."""

from __future__ import annotations

import hashlib
import threading

import httpx
import pytest

from tests.dial.conftest import BUCKET, OTHER_BUCKET, OTHER_KEY, CoreFakeServer

F = f"/v1/files/{BUCKET}"


def _put(http: httpx.Client, path: str, content: bytes = b"hello", **kw: object) -> httpx.Response:
    files = kw.pop("files", None) or {"file": ("name.txt", content, "text/plain")}
    return http.put(f"{F}/{path}", files=files, **kw)  # type: ignore[arg-type]


def test_upload_answers_file_metadata_and_etag(core_fake: CoreFakeServer) -> None:
    with core_fake.http() as http:
        r = _put(http, "docs/a%20b/n%C3%A4me%23%3F.txt", b"hello")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    meta = r.json()
    etag = hashlib.md5(b"hello").hexdigest()  # noqa: S324
    assert r.headers["etag"] == meta["etag"] == etag
    assert meta == {
        "name": "näme#?.txt",
        "parentPath": "docs/a b",
        "bucket": BUCKET,
        "url": f"files/{BUCKET}/docs/a%20b/n%C3%A4me%23%3F.txt",
        "nodeType": "ITEM",
        "resourceType": "FILE",
        "createdAt": meta["createdAt"],
        "updatedAt": meta["updatedAt"],
        "etag": etag,
        "author": "test-project",
        "contentLength": 5,
        "contentType": "text/plain",
    }
    assert core_fake.store.paths() == [f"{BUCKET}/docs/a b/näme#?.txt"]


def test_upload_stores_the_parts_content_type_and_takes_any_file_part(
    core_fake: CoreFakeServer,
) -> None:
    with core_fake.http() as http:
        # no Content-Type in the part: Netty's default; the field name is not checked
        r = _put(http, "x.bin", files={"other": ("x.bin", b"\x00\x01")})
        typed = _put(http, "y.csv", files={"file": ("y.csv", b"a,b", "text/csv")})
        only_field = http.put(f"{F}/z.txt", data={"file": "not a file part"}, files={})
    assert r.json()["contentType"] == "application/octet-stream"
    assert typed.json()["contentType"] == "text/csv"
    assert only_field.status_code == 400


@pytest.mark.parametrize(
    "path, status, message",
    [
        ("docs/", 400, "File name is missing"),
        ("docs/name.", 400, "Resource name and/or parent folders must not end with .(dot)"),
        ("dir./name.txt", 400, "Resource name and/or parent folders must not end with .(dot)"),
        ("a%2Fb.txt", 400, "Invalid path provided a%2Fb.txt"),
        ("a//b.txt", 400, "Invalid path provided a//b.txt"),
        ("a%7Bb%7D.txt", 400, "Invalid path provided a%7Bb%7D.txt"),
    ],
)
def test_upload_rejections_are_plain_text(
    core_fake: CoreFakeServer, path: str, status: int, message: str
) -> None:
    with core_fake.http() as http:
        r = _put(http, path)
    assert (r.status_code, r.text) == (status, message)
    assert "content-type" not in r.headers
    assert core_fake.store.paths() == []


def test_upload_needs_a_multipart_body(core_fake: CoreFakeServer) -> None:
    with core_fake.http() as http:
        no_type = http.put(f"{F}/a.txt", content=b"raw")
        json_body = http.put(f"{F}/a.txt", json={"a": 1})
    assert no_type.text == "Request must have a content-type header to decode a multipart request"
    assert json_body.status_code == 400 and "valid content-type" in json_body.text


def test_etag_conditions_on_upload(core_fake: CoreFakeServer) -> None:
    with core_fake.http() as http:
        # Core's EtagHeader: no condition is checked while the resource does not exist
        assert _put(http, "g.txt", b"v1", headers={"If-Match": "nope"}).status_code == 200
        etag = _put(http, "g.txt", b"v1", headers={"If-None-Match": "x"}).headers["etag"]
        exists = _put(http, "g.txt", b"v2", headers={"If-None-Match": "*"})
        wrong = _put(http, "g.txt", b"v2", headers={"If-Match": '"other"'})
        right = _put(http, "g.txt", b"v2", headers={"If-Match": f'"{etag}", "x"'})
        any_tag = _put(http, "g.txt", b"v3", headers={"If-Match": "*"})
    assert (exists.status_code, exists.text) == (412, "Resource already exists")
    assert (wrong.status_code, wrong.text) == (
        412,
        f"If-match condition is failed for etag: {etag}",
    )
    assert right.status_code == any_tag.status_code == 200
    assert core_fake.core.store.items[("files", BUCKET, ("g.txt",))].content == b"v3"


def test_download_streams_content_with_core_headers(core_fake: CoreFakeServer) -> None:
    meta = core_fake.put_file("d/data.json", b'{"a": 1}', "application/json")
    with core_fake.http() as http:
        r = http.get(f"{F}/d/data.json")
        missing = http.get(f"{F}/d/none.json")
        folder = http.get(f"{F}/d/")
        mismatch = http.get(f"{F}/d/data.json", headers={"If-Match": "nope"})
        not_modified = http.get(f"{F}/d/data.json", headers={"If-None-Match": meta["etag"]})
    assert r.content == b'{"a": 1}' and r.headers["content-type"] == "application/json"
    assert r.headers["content-length"] == "8" and r.headers["etag"] == meta["etag"]
    assert (missing.status_code, missing.content) == (404, b"")
    assert (folder.status_code, folder.text) == (400, "Can't download a folder")
    assert mismatch.status_code == 412 and not_modified.status_code == 304


def test_download_is_sent_in_chunks_and_can_be_held(core_fake: CoreFakeServer) -> None:
    """The gate parks the response after the first chunk: a client that yields that chunk
    before the gate opens is streaming, not buffering the body."""
    content = bytes(range(256)) * 64  # 16 KiB
    core_fake.put_file("big.bin", content, "application/octet-stream")
    core_fake.core.download_chunk_size = 4096
    gate = core_fake.core.hold_downloads(after_chunks=1)
    got: list[bytes] = []
    with core_fake.http() as http, http.stream("GET", f"{F}/big.bin") as r:
        chunks = r.iter_raw()
        got.append(next(chunks))
        assert gate.waiting.wait(5) and not gate.released.is_set()
        assert len(got[0]) == 4096  # only the first chunk exists on the client side
        threading.Timer(0.05, gate.release).start()
        got.extend(chunks)
    assert b"".join(got) == content and len(got) >= 2


def test_delete(core_fake: CoreFakeServer) -> None:
    meta = core_fake.put_file("del.txt", b"x")
    with core_fake.http() as http:
        wrong = http.delete(f"{F}/del.txt", headers={"If-Match": "nope"})
        folder = http.delete(f"{F}/dir/")
        ok = http.delete(f"{F}/del.txt", headers={"If-Match": meta["etag"]})
        again = http.delete(f"{F}/del.txt")
    assert wrong.status_code == 412 and (folder.status_code, folder.text) == (
        400,
        "Can't delete a folder",
    )
    assert (ok.status_code, ok.content) == (200, b"")
    assert (again.status_code, again.content) == (404, b"")


def test_buckets_are_private(core_fake: CoreFakeServer) -> None:
    core_fake.put_file("mine.txt", b"x")
    with core_fake.http(api_key=OTHER_KEY) as http:
        foreign = http.get(f"{F}/mine.txt")
        unknown = http.get("/v1/files/NoSuchBucket1/x.txt")
        own = http.put(f"/v1/files/{OTHER_BUCKET}/own.txt", files={"file": ("o", b"o")}).json()
    assert (foreign.status_code, foreign.text) == (
        403,
        f"You don't have an access to: files/{BUCKET}/mine.txt",
    )
    assert unknown.status_code == 400 and unknown.text.startswith("Url has invalid bucket")
    assert own["bucket"] == OTHER_BUCKET


def test_size_limit_is_413(core_fake: CoreFakeServer) -> None:
    core_fake.store.max_file_size = 3
    with core_fake.http() as http:
        assert _put(http, "big.txt", b"1234").status_code == 413
        assert _put(http, "ok.txt", b"123").status_code == 200
