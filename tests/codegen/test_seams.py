"""The runtime's seams selected by a spec (``tests/specs/{codec,result,transport}``):
a body codec, a result rule and a transport, each compiled and driven against a real
server on 127.0.0.1."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from codegen.diagnostics import SpecError
from codegen.pipeline import compile_spec
from tests.support.compiled import compiled_package
from tests.support.server import serve

SPECS = Path(__file__).resolve().parents[1] / "specs"
FRAMES = "application/x-frames"


def frame(value: object) -> bytes:
    payload = json.dumps(value).encode()
    return struct.pack(">I", len(payload)) + payload


def unframe(content: bytes) -> Any:
    (size,) = struct.unpack(">I", content[:4])
    assert len(content) == 4 + size
    return json.loads(content[4:])


def _package(name: str, tmp: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with compiled_package(
        SPECS / name / "openapi.yaml", f"{name}_seam_client", tmp.mktemp(name)
    ) as p:
        yield p


# -- body codec ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def codec_pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("codec", tmp_path_factory)


@pytest.fixture(scope="module")
def codec_server() -> Iterator[tuple[str, list[Request]]]:
    seen: list[Request] = []

    async def echo(request: Request) -> Response:
        seen.append(request)
        body = unframe(await request.body())
        if body["text"] == "":
            return Response(frame({"message": "empty text"}), 400, media_type=FRAMES)
        if body["text"] == "torn":
            return Response(frame({"text": "x"})[:-2], 200, media_type=FRAMES)
        text = body["text"] * body.get("times", 1)
        return Response(frame({"text": text}), media_type=FRAMES)

    async def plain(request: Request) -> Response:
        seen.append(request)
        return JSONResponse({"text": "json"})

    app = Starlette(routes=[Route("/echo", echo, methods=["POST"]), Route("/plain", plain)])
    with serve(app) as url:
        yield url, seen


def test_codec_frames_requests_and_responses(codec_pkg: Any, codec_server: Any) -> None:
    url, seen = codec_server
    with codec_pkg.Frames(base_url=url) as client:
        assert client.echo(text="ab", times=2).text == "abab"
        request = seen[-1]
        assert request.headers["content-type"] == FRAMES
        assert request.headers["accept"] == FRAMES
        # An operation may opt out of the API's codec (x-body-codec: json).
        assert client.plain().text == "json"
        assert "frames" not in seen[-1].headers.get("accept", "")


def test_codec_decodes_error_bodies(codec_pkg: Any, codec_server: Any) -> None:
    url, _ = codec_server
    with codec_pkg.Frames(base_url=url) as client, pytest.raises(codec_pkg.FramesError) as info:
        client.echo(text="")
    assert info.value.status_code == 400
    assert info.value.body == {"message": "empty text"} and info.value.message == "empty text"


def test_a_malformed_frame_is_the_apis_error(codec_pkg: Any, codec_server: Any) -> None:
    url, _ = codec_server
    with codec_pkg.Frames(base_url=url) as client, pytest.raises(codec_pkg.FramesError):
        client.echo(text="torn")


async def test_codec_async(codec_pkg: Any, codec_server: Any) -> None:
    url, _ = codec_server
    async with codec_pkg.AsyncFrames(base_url=url) as client:
        assert (await client.echo(text="z", times=3)).text == "zzz"


# -- result rule --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rpc_pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("result", tmp_path_factory)


@pytest.fixture(scope="module")
def rpc_url() -> Iterator[str]:
    async def get_thing(request: Request) -> Response:
        thing_id = json.loads(await request.body())["id"]
        if thing_id == "t1":
            return JSONResponse({"result": {"id": "t1", "name": "one", "extra": 1}})
        if thing_id == "bad":
            return JSONResponse({"error": {"code": "bad_input", "message": "bad id"}})
        if thing_id == "new":
            return JSONResponse({"error": {"code": "rate_limited", "retryIn": 5}})
        return JSONResponse({"error": {"code": "not_found", "message": f"no {thing_id}"}})

    async def status(request: Request) -> Response:
        if request.headers.get("x-down"):
            return JSONResponse({"failure": "maintenance"})
        return JSONResponse({"up": True})

    app = Starlette(
        routes=[Route("/rpc/getThing", get_thing, methods=["POST"]), Route("/status", status)]
    )
    with serve(app) as url:
        yield url


def test_result_is_extracted(rpc_pkg: Any, rpc_url: str) -> None:
    with rpc_pkg.Rpc(base_url=rpc_url) as client:
        thing = client.things.get_thing(id="t1")
        assert isinstance(thing, rpc_pkg.Thing) and thing.name == "one"
        assert client.status().up is True


def test_error_codes_are_typed_errors(rpc_pkg: Any, rpc_url: str) -> None:
    with rpc_pkg.Rpc(base_url=rpc_url) as client:
        with pytest.raises(rpc_pkg.ThingNotFound) as info:
            client.things.get_thing(id="t9")
        assert isinstance(info.value, rpc_pkg.RpcError)
        assert info.value.code == "not_found" and info.value.message == "no t9"
        assert info.value.status_code == 200
        with pytest.raises(rpc_pkg.BadInput):
            client.things.get_thing(id="bad")
        with pytest.raises(rpc_pkg.UnknownRpcError) as unknown:
            client.things.get_thing(id="new")
        assert unknown.value.code == "rate_limited"
        assert unknown.value.body == {"error": {"code": "rate_limited", "retryIn": 5}}


def test_an_operation_has_its_own_rule(rpc_pkg: Any, rpc_url: str) -> None:
    with rpc_pkg.Rpc(base_url=rpc_url) as client:
        assert client.status().up is True  # no "result" member: the whole body
        with pytest.raises(rpc_pkg.RpcError) as info:
            client.status(extra_headers={"x-down": "1"})
        assert info.value.body == {"failure": "maintenance"}
        assert not isinstance(info.value, (rpc_pkg.ThingNotFound, rpc_pkg.BadInput))


async def test_result_rule_async(rpc_pkg: Any, rpc_url: str) -> None:
    async with rpc_pkg.AsyncRpc(base_url=rpc_url) as client:
        assert (await client.things.get_thing(id="t1")).id == "t1"
        with pytest.raises(rpc_pkg.ThingNotFound):
            await client.things.get_thing(id="zz")


# -- transport ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wire_pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package("transport", tmp_path_factory)


@pytest.fixture(scope="module")
def wire_server() -> Iterator[tuple[str, list[Request]]]:
    seen: list[Request] = []

    async def hello(request: Request) -> Response:
        seen.append(request)
        name = request.path_params["name"]
        if name == "nobody":
            return JSONResponse({"message": "who?"}, status_code=404)
        return JSONResponse({"text": f"hello {name}"})

    async def world(request: Request) -> Response:
        seen.append(request)
        return JSONResponse({"text": "hello world"})

    app = Starlette(routes=[Route("/hello/{name}", hello), Route("/hello", world)])
    with serve(app) as url:
        yield url, seen


def test_an_operation_goes_through_its_transport(wire_pkg: Any, wire_server: Any) -> None:
    url, seen = wire_server
    factory = wire_pkg._custom.stdlib.FACTORY
    before = len(factory.made)
    with wire_pkg.Wire("key", base_url=url) as client:
        assert client.hello("ann").text == "hello ann"
        assert seen[-1].headers["x-transport"] == "stdlib"
        assert client.hello_world().text == "hello world"
        assert "x-transport" not in seen[-1].headers  # httpx, the default
        assert client.hello("bob").text == "hello bob"
        with pytest.raises(wire_pkg.WireError) as info:
            client.hello("nobody")
        assert info.value.status_code == 404 and info.value.message == "who?"
        made = factory.made[before:]
        assert len(made) == 1 and made[0].sent == 3  # one transport per client
    assert made[0].closed  # closed with the client


def test_transport_failures_are_connection_errors(wire_pkg: Any) -> None:
    with wire_pkg.Wire("key", base_url="http://127.0.0.1:9") as client:
        with pytest.raises(wire_pkg.WireError) as info:
            client.hello("ann")
    assert info.value.status_code is None  # no response: a connection error


async def test_async_transport(wire_pkg: Any, wire_server: Any) -> None:
    url, seen = wire_server
    async with wire_pkg.AsyncWire("key", base_url=url) as client:
        assert (await client.hello("cy")).text == "hello cy"
        assert seen[-1].headers["x-transport"] == "stdlib"


def test_an_unknown_transport_name_is_a_spec_error(tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "transport"
    shutil.copytree(SPECS / "transport", target)
    spec = target / "openapi.yaml"
    spec.write_text(spec.read_text().replace("x-transport: stdlib", "x-transport: websocket"))
    with pytest.raises(SpecError) as info:
        compile_spec(spec, package="wire_client")
    assert "unknown transport 'websocket'" in info.value.message
    assert info.value.pointer.endswith("/get/x-transport") and info.value.line is not None
