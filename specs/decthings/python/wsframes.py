"""Decthings WebSocket frames: a request envelope re-framed for the socket, and what
the server sends back (responses and events).

Design notes
------------
* Client -> server (decthings.md §1.6): ``u32 BE request id``, ``u8 blob count``,
  ``varint JSON length``, one varint per blob length, the JSON, the blobs.  The JSON is
  ``{"api": <Namespace>, "method": <method>, "apiKey": <key>, "params": {...}}``: the
  key order and spacing of decthings-api 0.0.4 (``json.dumps`` defaults), so the same
  call gives the same bytes; ``apiKey`` is omitted when there is no key (as the TS and
  Rust clients do; 0.0.4 sends ``null``).
* The frame is made from the HTTP request body the envelope codec already encoded
  (``u8 count, varint JSON length, blob lengths, JSON, blobs``): the params' JSON text
  is spliced in unchanged and the blobs follow as they are, so every blob rule of the
  spec applies to WebSocket calls exactly as to HTTP ones.
* Server -> client: ``0x00`` a response (``u32 id`` then exactly an HTTP response body:
  ``varint JSON length, JSON, [varint length, blob]...``), ``0x01`` an event (``u8``
  namespace length, the namespace, then the same body layout with
  ``{"event", "params"}``).  A response's body is handed to the envelope codec
  unchanged, as an HTTP response would be.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .envelope import EnvelopeError, decode_frame
from .tensor import TensorFormatError, read_varint, write_varint

__all__ = [
    "EventFrame",
    "ResponseFrame",
    "error_body",
    "parse_request_body",
    "parse_server_frame",
    "request_frame",
]


def parse_request_body(body: bytes) -> tuple[bytes, list[bytes]]:
    """An HTTP request envelope: its JSON text (unparsed) and its blobs."""
    try:
        count = body[0]
        size, pos = read_varint(body, 1)
        lengths = []
        for _ in range(count):
            n, pos = read_varint(body, pos)
            lengths.append(n)
    except (IndexError, TensorFormatError):
        raise EnvelopeError("truncated request envelope") from None
    text = body[pos : pos + size]
    pos += size
    blobs = []
    for n in lengths:
        blobs.append(body[pos : pos + n])
        pos += n
    if pos != len(body):
        raise EnvelopeError("request envelope lengths do not match its size")
    return text, blobs


def request_frame(
    request_id: int, api: str, method: str, api_key: str | None, params: bytes, blobs: list[bytes]
) -> bytes:
    """A client -> server frame; ``params`` is the params' JSON text."""
    head = f'{{"api": {json.dumps(api)}, "method": {json.dumps(method)}, '
    if api_key is not None:
        head += f'"apiKey": {json.dumps(api_key)}, '
    message = b"".join((head.encode(), b'"params": ', params, b"}"))
    parts = [request_id.to_bytes(4, "big"), bytes((len(blobs),)), write_varint(len(message))]
    parts += [write_varint(len(blob)) for blob in blobs]
    return b"".join((*parts, message, *blobs))


@dataclass(frozen=True, slots=True)
class ResponseFrame:
    """``0x00``: the answer to request ``id``; ``body`` is in HTTP response framing."""

    id: int
    body: bytes


@dataclass(frozen=True, slots=True)
class EventFrame:
    """``0x01``: an event of ``namespace``: ``{"event", "params"}`` and its blobs."""

    namespace: str
    payload: Any
    blobs: list[bytes]


def parse_server_frame(data: bytes) -> ResponseFrame | EventFrame:
    """A server -> client frame; ``EnvelopeError`` when it is malformed."""
    if not data:
        raise EnvelopeError("empty WebSocket frame")
    kind = data[0]
    if kind == 0:
        if len(data) < 5:
            raise EnvelopeError("truncated response frame")
        return ResponseFrame(int.from_bytes(data[1:5], "big"), bytes(data[5:]))
    if kind == 1:
        if len(data) < 2 or len(data) < 2 + data[1]:
            raise EnvelopeError("truncated event frame")
        end = 2 + data[1]
        namespace = bytes(data[2:end]).decode("ascii", "replace")
        try:
            payload, blobs = decode_frame(bytes(data[end:]))
        except ValueError as exc:
            raise EnvelopeError(f"event frame: {exc}") from None
        return EventFrame(namespace, payload, blobs)
    raise EnvelopeError(f"unknown WebSocket frame kind {kind}")


def error_body(code: str) -> bytes:
    """An HTTP-framed response body ``{"error": {"code": code}}`` (made locally)."""
    text = json.dumps({"error": {"code": code}}).encode()
    return write_varint(len(text)) + text
