"""The DIAL Core fake's metadata: item vs folder by the trailing slash, listings, paging."""

from __future__ import annotations

import pytest

from tests.dial.conftest import BUCKET, CoreFakeServer

M = f"/v1/metadata/files/{BUCKET}"


@pytest.fixture
def tree(core_fake: CoreFakeServer) -> CoreFakeServer:
    for path in ("top.txt", "docs/a.txt", "docs/b c.txt", "docs/sub/d.txt", "docs/sub/deep/e.txt"):
        core_fake.put_file(path, path.encode())
    core_fake.put_file("docs", b"an item named like the folder")
    return core_fake


def test_trailing_slash_decides_folder_or_item(tree: CoreFakeServer) -> None:
    with tree.http() as http:
        item = http.get(f"{M}/docs").json()  # the ITEM called "docs", not the folder
        folder = http.get(f"{M}/docs/").json()
    assert item["nodeType"] == "ITEM" and item["contentLength"] == 29
    assert folder["nodeType"] == "FOLDER" and folder["url"] == f"files/{BUCKET}/docs/"
    assert [(i["name"], i["nodeType"]) for i in folder["items"]] == [
        ("a.txt", "ITEM"),
        ("b c.txt", "ITEM"),
        ("sub", "FOLDER"),
    ]
    sub = folder["items"][2]
    assert sub == {
        "name": "sub",
        "parentPath": "docs",
        "bucket": BUCKET,
        "url": f"files/{BUCKET}/docs/sub/",
        "nodeType": "FOLDER",
        "resourceType": "FILE",
    }
    assert folder["items"][1]["url"] == f"files/{BUCKET}/docs/b%20c.txt"


def test_bucket_root_listing(tree: CoreFakeServer, core_fake: CoreFakeServer) -> None:
    with tree.http() as http:
        root = http.get(f"{M}/").json()
    assert "name" not in root and root["url"] == f"files/{BUCKET}/"
    assert [(i["name"], i["nodeType"]) for i in root["items"]] == [
        ("docs", "ITEM"),
        ("docs", "FOLDER"),
        ("top.txt", "ITEM"),
    ]


def test_empty_root_exists_but_an_empty_folder_does_not(core_fake: CoreFakeServer) -> None:
    with core_fake.http() as http:
        root = http.get(f"{M}/")
        folder = http.get(f"{M}/nothing/")
        item = http.get(f"{M}/nothing.txt")
    assert root.status_code == 200 and root.json()["items"] == []
    assert (folder.status_code, folder.content) == (404, b"")
    assert (item.status_code, item.content) == (404, b"")


def test_recursive_lists_items_at_every_depth_and_no_folders(tree: CoreFakeServer) -> None:
    with tree.http() as http:
        listing = http.get(f"{M}/docs/", params={"recursive": "true"}).json()
        not_true = http.get(f"{M}/docs/", params={"recursive": "yes"}).json()
    assert [i["url"].split(f"{BUCKET}/")[1] for i in listing["items"]] == [
        "docs/a.txt",
        "docs/b%20c.txt",
        "docs/sub/d.txt",
        "docs/sub/deep/e.txt",
    ]
    assert {i["nodeType"] for i in listing["items"]} == {"ITEM"}
    assert any(i["nodeType"] == "FOLDER" for i in not_true["items"])  # Boolean.parseBoolean


def test_paging_with_limit_and_next_token(tree: CoreFakeServer) -> None:
    seen: list[str] = []
    tokens: list[str] = []
    params: dict[str, str] = {"limit": "2", "recursive": "true"}
    with tree.http() as http:
        while True:
            page = http.get(f"{M}/", params=params).json()
            seen += [i["url"] for i in page["items"]]
            if "nextToken" not in page:
                break
            tokens.append(page["nextToken"])
            params["token"] = page["nextToken"]
        zero = http.get(f"{M}/", params={"limit": "0"}).json()
    assert len(seen) == 6 == len(set(seen)) and len(tokens) == 2
    assert zero["items"] == [] and "nextToken" not in zero


@pytest.mark.parametrize("limit", ["-1", "1001", "ten"])
def test_limit_out_of_range_is_400_plain_text(core_fake: CoreFakeServer, limit: str) -> None:
    with core_fake.http() as http:
        r = http.get(f"{M}/", params={"limit": limit})
        prompts = http.get(f"/v1/metadata/prompts/{BUCKET}/", params={"limit": limit})
    assert (r.status_code, r.text) == (400, "Limit is out of allowed range: [0, 1000]")
    assert "content-type" not in r.headers
    assert prompts.status_code == 400 and prompts.text.startswith("Bad query parameters.")


def test_accept_header_switches_the_content_type(tree: CoreFakeServer) -> None:
    mime = "application/vnd.dial.metadata+json"
    with tree.http() as http:
        plain = http.get(f"{M}/top.txt")
        vendor = http.get(f"{M}/top.txt", headers={"Accept": f"{mime}, */*"})
        perms = http.get(f"{M}/top.txt", params={"permissions": "true"}).json()
    assert plain.headers["content-type"] == "application/json"
    assert vendor.headers["content-type"] == mime and vendor.json() == plain.json()
    assert perms["permissions"] == ["READ", "WRITE"]


def test_prompt_metadata_404_is_text(core_fake: CoreFakeServer) -> None:
    with core_fake.http() as http:
        r = http.get(f"/v1/metadata/prompts/{BUCKET}/none")
    assert (r.status_code, r.text) == (404, f"Not found: prompts/{BUCKET}/none")
