"""The client channel (``signin_toolsets``) and the skills low-level methods of
``dial_client``, against a small starlette server written from dial.md §5 and §11 (the
Core fake serves neither): the JSON-RPC batch sent, heartbeats before the one data
event, per-toolset outcomes, batch errors, caller mistakes; skills listings and downloads
with encoded paths."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from dial_client import AsyncDial, Dial, DialException, DialParameterError, SigninResult
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.support.server import serve

SEEN: list[dict[str, Any]] = []
ANSWERS: list[Any] = []  # what the next interact call answers (None: no data event)


async def interact(request: Request) -> Response:
    body = json.loads(await request.body())
    SEEN.append(
        {
            "channel": request.headers.get("x-dial-client-channel-id"),
            "key": request.headers.get("api-key"),
            "body": body,
        }
    )
    answer = ANSWERS.pop(0) if ANSWERS else None

    async def events() -> AsyncIterator[bytes]:
        yield b": heartbeat\n\n"
        yield b": heartbeat\n\n"
        if answer is not None:
            yield f"data: {json.dumps(answer)}\n\n".encode()

    return StreamingResponse(events(), media_type="text/event-stream")


async def skill_metadata(request: Request) -> Response:
    return JSONResponse(
        {
            "name": None,
            "bucket": request.path_params["bucket"],
            "url": f"skills/{request.path_params['bucket']}/",
            "nodeType": "FOLDER",
            "resourceType": "SKILL",
            "items": [
                {
                    "name": "tone of voice",
                    "bucket": "B",
                    "url": "skills/B/writing/tone%20of%20voice",
                    "nodeType": "ITEM",
                    "resourceType": "SKILL",
                }
            ],
            "rawPath": request.scope["raw_path"].decode(),
            "query": str(request.query_params),
        }
    )


async def skill_download(request: Request) -> Response:
    return Response(b"PK\x03\x04zip", media_type="application/zip")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    app = Starlette(
        routes=[
            Route("/v1/ops/client-channel/interact", interact, methods=["POST"]),
            Route("/v2/metadata/skills/{bucket}/{path:path}", skill_metadata),
            Route("/v2/skills/{bucket}/{path:path}", skill_download),
        ]
    )
    with serve(app) as url:
        yield url


@pytest.fixture(autouse=True)
def _reset() -> None:
    SEEN.clear()
    ANSWERS.clear()


def test_signin_toolsets_sends_one_batch_and_maps_each_outcome(base_url: str) -> None:
    ANSWERS.append(
        [
            {"jsonrpc": "2.0", "id": "1", "result": "success"},
            {"jsonrpc": "2.0", "id": "2", "result": "denied"},
            {"jsonrpc": "2.0", "id": "3", "error": {"code": -1, "message": "popup closed"}},
        ]
    )
    with Dial(api_key="k", base_url=base_url) as client:
        outcome = client.client_channel.signin_toolsets(
            channel_id="chan-1", toolset_ids=["search", "mail", "drive", "calendar"]
        )
    assert outcome == {
        "search": SigninResult.SUCCESS,
        "mail": SigninResult.DENIED,
        "drive": SigninResult.ERROR,
        "calendar": SigninResult.ERROR,  # no response for id "4"
    }
    assert SEEN == [
        {
            "channel": "chan-1",
            "key": "k",
            "body": [
                {"jsonrpc": "2.0", "method": "toolset/signin", "params": {"toolsetId": t}, "id": i}
                for i, t in [("1", "search"), ("2", "mail"), ("3", "drive"), ("4", "calendar")]
            ],
        }
    ]


async def test_async_signin_toolsets_with_a_single_response_object(base_url: str) -> None:
    ANSWERS.append({"jsonrpc": "2.0", "id": "1", "result": "success"})
    async with AsyncDial(api_key="k", base_url=base_url) as client:
        outcome = await client.client_channel.signin_toolsets(
            channel_id="c", toolset_ids=("search",)
        )
        assert outcome == {"search": SigninResult.SUCCESS}
        assert await client.client_channel.signin_toolsets(channel_id="c", toolset_ids=[]) == {}
    assert len(SEEN) == 1  # no request for an empty list


def test_signin_errors(base_url: str) -> None:
    with Dial(api_key="k", base_url=base_url) as client:
        with pytest.raises(DialParameterError, match="not a single str"):
            client.client_channel.signin_toolsets(channel_id="c", toolset_ids="search")
        with pytest.raises(DialParameterError, match="must not repeat"):
            client.client_channel.signin_toolsets(channel_id="c", toolset_ids=["a", "a"])
        assert SEEN == []
        ANSWERS.append({"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "bad"}})
        with pytest.raises(DialException, match=r"Server-level JSON-RPC error \(-32600\): bad"):
            client.client_channel.signin_toolsets(channel_id="c", toolset_ids=["a"])
        with pytest.raises(DialException, match="no data event"):
            client.client_channel.signin_toolsets(channel_id="c", toolset_ids=["a"])


def test_skills_low_level_methods_encode_their_paths(base_url: str) -> None:
    with Dial(api_key="k", base_url=base_url) as client:
        listing = client.skills.metadata_raw("B", "writing%20tools/", limit=5, recursive=True)
        extra: Any = listing
        assert extra.rawPath == "/v2/metadata/skills/B/writing%20tools/"
        assert extra.query == "limit=5&recursive=true"
        assert listing.items is not None and listing.items[0].name == "tone of voice"
        assert listing.items[0].resource_type == "SKILL"
        root: Any = client.skills.metadata_root_raw("B")
        assert root.rawPath == "/v2/metadata/skills/B/"
        archive = client.skills.download_raw("B", "writing/tone%20of%20voice")
        assert archive.read() == b"PK\x03\x04zip" and archive.content_type == "application/zip"
