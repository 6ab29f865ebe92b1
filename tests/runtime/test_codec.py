"""Body codecs: an operation whose bodies are not JSON (a length-prefixed framing of a
JSON part and binary blobs), against a real server that speaks only that framing."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

import clientcore
from tests.runtime.conftest import Server, call
from tests.runtime.contract_client import DemoError
from tests.runtime.fake_api import FRAMES_TYPE, pack_frames, unpack_frames


class FramesCodec:
    """What an API's hand-written codec looks like: part 0 of a frame is a JSON object,
    the other parts are blobs, which the decoded value carries under ``"blobs"``."""

    content_type = FRAMES_TYPE
    accept = FRAMES_TYPE

    def encode(self, value: object) -> bytes:
        if not isinstance(value, dict):
            raise TypeError(f"a frames body is an object, not {type(value).__name__}")
        doc = {k: v for k, v in value.items() if k != "blobs"}
        return pack_frames([json.dumps(doc).encode(), *value.get("blobs", [])])

    def decode(self, content: bytes) -> object:
        parts = unpack_frames(content)  # ValueError when malformed
        value = json.loads(parts[0])
        if len(parts) > 1:
            value["blobs"] = parts[1:]
        return value


FRAMES = FramesCodec()
FRAMED = clientcore.Operation(
    "POST", "/frames/{key}", path_params={"key": clientcore.PathParam()}, codec=FRAMES
)
ECHO = clientcore.Operation("POST", "/echo/json")


class Envelope(clientcore.APIModel):
    name: str
    seen: bool = False
    blobs: list[bytes] = []


def key() -> str:
    return uuid.uuid4().hex


async def test_request_and_response_go_through_the_codec(make_client: Any, server: Server) -> None:
    client = make_client()
    k = key()
    blobs = [b"\x00\xff\x10raw", b"second"]
    result = await call(
        client._request(FRAMED, Envelope, path={"key": k}, json={"name": "n", "blobs": blobs})
    )
    assert isinstance(result, Envelope)
    assert result.name == "n" and result.seen is True
    assert result.blobs == blobs[::-1]  # the server reversed them
    sent = server.state.bodies[k]
    assert sent == [FRAMES.encode({"name": "n", "blobs": blobs})]
    headers = server.state.seen["frames:" + k][0]["headers"]
    assert headers["content-type"] == FRAMES_TYPE
    assert headers["accept"] == FRAMES_TYPE


async def test_other_operations_keep_json(make_client: Any) -> None:
    client = make_client()
    echo = await call(client._request(ECHO, dict, json={"name": "é", "n": 1}))
    assert echo["body"] == '{"name":"é","n":1}'
    assert echo["headers"]["content-type"] == "application/json"
    assert echo["headers"]["accept"] == "application/json"


async def test_cast_to_any_bytes_and_raw(make_client: Any, kind: str) -> None:
    client = make_client()
    decoded = await call(client._request(FRAMED, Any, path={"key": key()}, json={"name": "a"}))
    assert decoded == {"name": "a", "seen": True}
    content = await call(client._request(FRAMED, bytes, path={"key": key()}, json={"name": "b"}))
    assert unpack_frames(content) == [b'{"name": "b", "seen": true}']
    wrap = clientcore.to_raw_response if kind == "sync" else clientcore.async_to_raw_response

    def send(**kwargs: Any) -> Any:  # a generated method: the value, or an awaitable of it
        return client._request(FRAMED, Envelope, **kwargs)

    raw = await call(wrap(send)(path={"key": key()}, json={"name": "c"}))
    assert raw.headers["content-type"] == FRAMES_TYPE
    assert raw.parse() == Envelope(name="c", seen=True)


async def test_an_error_body_is_decoded_by_the_codec(make_client: Any, server: Server) -> None:
    client = make_client(max_retries=0)
    with pytest.raises(clientcore.UnprocessableEntityError) as info:
        await call(
            client._request(
                FRAMED, Envelope, path={"key": key()}, query={"status": 422}, json={"name": "x"}
            )
        )
    err = info.value
    assert isinstance(err, DemoError)
    assert err.body == {"error": {"message": "framed failure 422"}}
    assert err.message == "framed failure 422"  # ErrorConfig.message_pointer, decoded body


async def test_an_error_body_that_does_not_decode_is_kept_as_text(make_client: Any) -> None:
    client = make_client(max_retries=0)
    with pytest.raises(clientcore.InternalServerError) as info:
        await call(
            client._request(FRAMED, Envelope, path={"key": key()}, query={"garbled": 1}, json={})
        )
    assert info.value.body == "\x00\x01 not frames"
    assert info.value.message == "\x00\x01 not frames"


async def test_an_encoding_failure_is_a_parameter_error_before_sending(
    make_client: Any, server: Server
) -> None:
    client = make_client()
    k = key()
    with pytest.raises(clientcore.ParameterError) as info:
        await call(client._request(FRAMED, Envelope, path={"key": k}, json=["not", "an", "object"]))
    assert info.value.parameter == "body"
    assert "a frames body is an object" in str(info.value)
    assert server.state.counts["frames:" + k] == 0


def test_an_operation_checks_its_codec_when_built() -> None:
    class HalfCodec:
        content_type = accept = "application/x-half"

        def encode(self, value: object) -> bytes:
            return b""

    with pytest.raises(TypeError, match="GET /x: codec lacks decode"):
        clientcore.Operation("GET", "/x", codec=HalfCodec())  # type: ignore[arg-type]
    assert clientcore.Operation("GET", "/x").codec is clientcore.JSON_CODEC
