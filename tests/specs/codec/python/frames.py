"""A non-JSON body framing: a 4-byte big-endian length, then that many bytes of JSON.

Stands for framings such as Decthings' envelope (JSON plus binary blobs); the runtime
sees only ``clientcore.BodyCodec``: a content type, an accept type, encode, decode.
"""

from __future__ import annotations

import json
import struct

MEDIA_TYPE = "application/x-frames"


class FrameCodec:
    content_type = MEDIA_TYPE
    accept = MEDIA_TYPE

    def encode(self, value: object) -> bytes:
        payload = json.dumps(value, separators=(",", ":")).encode()
        return struct.pack(">I", len(payload)) + payload

    def decode(self, content: bytes) -> object:
        if len(content) < 4:
            raise ValueError("frame shorter than its length prefix")
        (size,) = struct.unpack(">I", content[:4])
        if len(content) != 4 + size:
            raise ValueError(f"frame says {size} bytes, carries {len(content) - 4}")
        return json.loads(content[4:])


FRAMES = FrameCodec()
