"""Arguments on the wire: query, path, JSON bodies and multipart, checked by the server."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

import clientcore
from clientcore._codec import encode_json
from clientcore._encode import query_value, render_path
from tests.runtime.conftest import Server, call
from tests.runtime.contract_client import Color, DemoClient, DemoError, Metadata, Status

ECHO_Q = clientcore.Operation(
    "GET",
    "/echo/q",
    query_params={
        "tags": clientcore.QueryParam(),  # explode: repeated keys
        "ids": clientcore.QueryParam(explode=False),  # comma-joined
        "flag_title": clientcore.QueryParam(bool_style="title"),
        "flag_lower": clientcore.QueryParam(),
    },
)
ECHO_PATH = clientcore.Operation(
    "GET", "/echo/p/{name}/x", path_params={"name": clientcore.PathParam()}
)
ECHO_RESERVED = clientcore.Operation(
    "GET", "/echo/files/{path}", path_params={"path": clientcore.PathParam(reserved=True)}
)
ECHO_POST = clientcore.Operation("POST", "/echo/body")
ECHO_DELETE = clientcore.Operation("DELETE", "/echo/body")
UPLOAD = clientcore.Operation("POST", "/upload")


async def test_query_encoding(make_client: Any) -> None:
    client = make_client()
    when = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    echo = await call(
        client._request(
            ECHO_Q,
            dict,
            query={
                "tags": ["a b", "c,d", None],
                "ids": ["x", "y", 3],
                "flag_title": True,
                "flag_lower": False,
                "status": Status.completed,
                "color": Color.green,
                "unknown_status": Status("brand_new"),
                "limit": 10,
                "ratio": 0.5,
                "since": when,
                "day": dt.date(2025, 1, 2),
                "dropped": None,
                "empty_list": [],
            },
        )
    )
    assert echo["query_items"] == [
        ["tags", "a b"],
        ["tags", "c,d"],
        ["ids", "x,y,3"],
        ["flag_title", "True"],
        ["flag_lower", "false"],
        ["status", "completed"],
        ["color", "g"],
        ["unknown_status", "brand_new"],
        ["limit", "10"],
        ["ratio", "0.5"],
        ["since", "2025-01-02T03:04:05+00:00"],
        ["day", "2025-01-02"],
    ]
    # httpx's encoding: space as +, comma (inside a value) as %2C
    assert echo["query"].startswith("tags=a+b&tags=c%2Cd&ids=x%2Cy%2C3&flag_title=True&")


async def test_unsupported_query_value_raises_before_sending(
    make_client: Any, server: Server
) -> None:
    client = make_client()
    before = server.state.counts["echo:/echo/q"]
    with pytest.raises(clientcore.ParameterError) as info:
        await call(client._request(ECHO_Q, dict, query={"filter": object()}))
    assert info.value.parameter == "filter"
    with pytest.raises(clientcore.ParameterError) as info:
        await call(client._request(ECHO_Q, dict, query={"tags": ["ok", object()]}))
    assert info.value.parameter == "tags"
    assert server.state.counts["echo:/echo/q"] == before


async def test_path_encoding(make_client: Any) -> None:
    client = make_client()
    echo = await call(client._request(ECHO_PATH, dict, path={"name": "my project/v2 ü?#"}))
    assert echo["raw_path"] == "/echo/p/my%20project%2Fv2%20%C3%BC%3F%23/x"
    echo = await call(client._request(ECHO_PATH, dict, path={"name": Status.pending}))
    assert echo["raw_path"] == "/echo/p/pending/x"
    echo = await call(client._request(ECHO_PATH, dict, path={"name": 42}))
    assert echo["raw_path"] == "/echo/p/42/x"


async def test_reserved_path_keeps_slashes(make_client: Any) -> None:
    client = make_client()
    echo = await call(client._request(ECHO_RESERVED, dict, path={"path": "bucket/dir/a b.txt"}))
    assert echo["raw_path"] == "/echo/files/bucket/dir/a%20b.txt"
    echo = await call(client._request(ECHO_RESERVED, dict, path={"path": "b/a%20c:d@e"}))
    assert echo["raw_path"] == "/echo/files/b/a%20c:d@e"  # already-encoded % kept


async def test_path_errors_name_the_parameter(make_client: Any, server: Server) -> None:
    client = make_client()
    for path in (None, {}, {"name": None}, {"name": ""}, {"name": []}, {"name": object()}):
        with pytest.raises(clientcore.ParameterError) as info:
            await call(client._request(ECHO_PATH, dict, path=path))
        assert info.value.parameter == "name"


async def test_path_dot_segments_are_refused_before_sending(
    make_client: Any, server: Server
) -> None:
    """``.``/``..`` would be collapsed by clients and servers into another route."""
    client = make_client()
    before = sum(server.state.counts.values())
    for value in (".", ".."):
        with pytest.raises(clientcore.ParameterError, match="dot segment") as info:
            await call(client._request(ECHO_PATH, dict, path={"name": value}))
        assert info.value.parameter == "name"
    for value in ("a/../b", "./x", "b/."):  # a reserved (slash-keeping) value, too
        with pytest.raises(clientcore.ParameterError, match="dot segment"):
            await call(client._request(ECHO_RESERVED, dict, path={"path": value}))
    assert sum(server.state.counts.values()) == before  # nothing was sent
    # Dots inside a segment are ordinary characters.
    echo = await call(client._request(ECHO_PATH, dict, path={"name": "...a.b.."}))
    assert echo["raw_path"] == "/echo/p/...a.b../x"
    echo = await call(client._request(ECHO_RESERVED, dict, path={"path": "dir/.hidden"}))
    assert echo["raw_path"] == "/echo/files/dir/.hidden"


async def test_json_body(make_client: Any) -> None:
    client = make_client()
    meta = Metadata(createdAt=dt.datetime(2025, 1, 2, 3, 4, 5), color=Color.red)
    echo = await call(
        client._request(
            ECHO_POST,
            dict,
            json={
                "name": "Grüße",
                "meta": meta,  # by alias, only the fields that were set
                "status": Status("new_one"),
                "color": Color.green,
                "when": dt.date(2025, 5, 6),
                "id": uuid.UUID(int=1),
                "nested": [{"x": None}],
            },
        )
    )
    assert echo["headers"]["content-type"] == "application/json"
    assert json.loads(echo["body"]) == {
        "name": "Grüße",
        "meta": {"createdAt": "2025-01-02T03:04:05", "color": "r"},
        "status": "new_one",
        "color": "g",
        "when": "2025-05-06",
        "id": "00000000-0000-0000-0000-000000000001",
        "nested": [{"x": None}],
    }
    # compact, UTF-8, non-ASCII not escaped
    assert bytes.fromhex(echo["body_hex"]).startswith('{"name":"Grüße",'.encode())


async def test_bare_array_body_and_json_on_delete(make_client: Any) -> None:
    client = make_client()
    echo = await call(client._request(ECHO_DELETE, dict, json=["a", "b"]))
    assert echo["method"] == "DELETE" and echo["body"] == '["a","b"]'
    echo = await call(client._request(ECHO_POST, dict, json=None))
    assert echo["body"] == "null"
    echo = await call(client._request(ECHO_POST, dict))  # NOT_GIVEN: no body at all
    assert echo["body"] == "" and "content-type" not in echo["headers"]


def test_unencodable_body_is_a_parameter_error() -> None:
    with pytest.raises(clientcore.ParameterError) as info:
        encode_json({"x": object()})
    assert info.value.parameter == "body"
    with pytest.raises(clientcore.ParameterError):
        encode_json({"x": float("nan")})


async def test_multipart_files_and_fields(make_client: Any, tmp_path: Path) -> None:
    client = make_client()
    disk = tmp_path / "notes.txt"
    disk.write_bytes(b"from disk")
    with disk.open("rb") as handle:
        echo = await call(
            client._request(
                UPLOAD,
                dict,
                files=[
                    ("file", handle),  # named file object
                    ("blob", io.BytesIO(b"from memory")),  # no name: the field's
                    ("raw", b"raw bytes"),
                    ("doc", ("report.csv", b"a,b\n1,2", "text/csv")),
                    ("pair", ("pair.bin", io.BytesIO(b"pair"))),
                ],
                data={
                    "project_name": "proj",
                    "count": 3,
                    "flag": True,
                    "skip": None,
                    "status": Status.pending,
                },
            )
        )
    assert echo["content_type"].startswith("multipart/form-data; boundary=")
    parts = {p["field"]: p for p in echo["parts"]}
    assert parts["file"]["filename"] == "notes.txt"
    assert parts["file"]["content"] == "from disk"
    assert parts["file"]["content_type"] == "text/plain"
    assert parts["blob"]["filename"] == "blob" and parts["blob"]["content"] == "from memory"
    assert parts["raw"]["content"] == "raw bytes"
    assert parts["doc"]["filename"] == "report.csv"
    assert parts["doc"]["content_type"] == "text/csv" and parts["doc"]["content"] == "a,b\n1,2"
    assert parts["pair"]["filename"] == "pair.bin" and parts["pair"]["content"] == "pair"
    assert parts["project_name"]["value"] == "proj"
    assert parts["count"]["value"] == "3"
    assert parts["flag"]["value"] == "true"
    assert parts["status"]["value"] == "pending"
    assert "skip" not in parts


async def test_multipart_file_is_resent_whole_on_retry(make_client: Any, server: Server) -> None:
    op = clientcore.Operation("PUT", "/flaky/{key}", path_params={"key": clientcore.PathParam()})
    client = make_client()
    k = uuid.uuid4().hex
    await call(
        client._request(
            op,
            dict,
            path={"key": k},
            query={"fail": 1, "status": 503},
            files={"file": io.BytesIO(b"payload-123")},
        )
    )
    bodies = [seen["body"] for seen in server.state.seen["flaky:" + k]]
    assert len(bodies) == 2 and all("payload-123" in b for b in bodies)


def test_bad_file_values_name_the_field() -> None:
    from clientcore._encode import encode_files

    for bad in ("text", ("a.txt", "text"), ("only",), 42):
        with pytest.raises(clientcore.ParameterError) as info:
            encode_files({"upload": bad})  # type: ignore[dict-item]
        assert info.value.parameter == "upload"


def test_pure_encoders() -> None:
    op = clientcore.Operation(
        "GET", "/a/{x}/b/{y}", path_params={"y": clientcore.PathParam(reserved=True)}
    )
    assert op.path_parts == ("/a/", "x", "/b/", "y", "")
    assert render_path(op, {"x": "1/2", "y": "3/4"}) == "/a/1%2F2/b/3/4"
    title = clientcore.QueryParam(bool_style="title", explode=False)
    assert query_value("f", [True, False], title) == [("f", "True,False")]
    assert query_value("f", None, title) == []
    assert query_value("f", [None], title) == []


def test_a_bad_argument_is_the_apis_own_parameter_error_raised_before_sending() -> None:
    import pickle

    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = DemoClient(base_url="http://api.test", http_client=http)
    with pytest.raises(DemoError) as info:
        client.flaky("..")
    err = info.value
    assert isinstance(err, clientcore.ParameterError) and isinstance(err, ValueError)
    assert isinstance(err, clientcore.APIParameterError)
    assert err.parameter == "key" and str(err).startswith("key: ")
    assert err.status_code is None and sent == []
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and again.parameter == "key" and str(again) == str(err)


def test_a_bad_credential_is_the_apis_own_parameter_error_at_construction_and_per_call() -> None:
    with pytest.raises(DemoError) as info:
        DemoClient("key\n", base_url="http://api.test")
    assert isinstance(info.value, clientcore.ParameterError)
    assert info.value.parameter == "credential"

    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json={})))
    client = DemoClient(lambda: 42, base_url="http://api.test", http_client=http)  # type: ignore[arg-type, return-value]
    with pytest.raises(DemoError) as info:
        client.flaky("k")
    assert isinstance(info.value, clientcore.ParameterError)
    assert "returned int" in str(info.value)
