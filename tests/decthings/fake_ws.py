"""The Decthings fake's WebSocket side: ``/ws`` on the same starlette app, same methods.

Design notes
------------
* A frame is read with the fake's own reader (u32 id, u8 blob count, varint lengths,
  the JSON message ``{api, method, apiKey?, params}``, blobs) and answered with the
  same answer as the HTTP side (``Fake.dispatch``), framed ``0x00 id ...``.  Nothing is
  shared with the client's codec.
* Subscriptions are per connection, as on the real server, and follow the spec's
  ``x-transport-options`` (read by the fake from the spec, like everything else):
  a ``subscribes`` method's success subscribes the id (from params, or from the
  result unless params' ``flag`` is false), an ``unsubscribes`` one removes it (or
  answers ``not_subscribed``).
* Tests drive it: ``emit`` sends an event to the connections subscribed to its id
  (or to every connection), ``drop`` closes every socket abruptly, ``refuse`` makes
  ``subscribeToEvents`` for those ids answer an error; ``frames`` records every
  frame received (raw bytes, connection number, request id, message).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from tests.decthings.fake_server import Fake, Recorded, _read_varint, _varint

__all__ = ["FakeWs", "WsFrame", "event_frame", "install"]


@dataclass
class WsFrame:
    conn: int
    raw: bytes
    id: int
    message: dict[str, Any]
    blobs: list[bytes]


@dataclass
class _Conn:
    number: int
    socket: WebSocket
    subscribed: set[tuple[str, str]] = field(default_factory=set)


def parse_frame(raw: bytes) -> tuple[int, dict[str, Any], list[bytes]]:
    request_id = int.from_bytes(raw[:4], "big")
    count = raw[4]
    size, pos = _read_varint(raw, 5)
    lengths = []
    for _ in range(count):
        n, pos = _read_varint(raw, pos)
        lengths.append(n)
    message = json.loads(raw[pos : pos + size])
    pos += size
    blobs = []
    for n in lengths:
        blobs.append(raw[pos : pos + n])
        pos += n
    assert pos == len(raw), "bytes after the last blob"
    return request_id, message, blobs


def _body(value: Any, blobs: list[bytes]) -> bytes:
    text = json.dumps(value).encode()
    return _varint(len(text)) + text + b"".join(_varint(len(b)) + b for b in blobs)


def event_frame(namespace: str, event: str, params: dict[str, Any], blobs: list[bytes]) -> bytes:
    name = namespace.encode()
    return b"\x01" + bytes([len(name)]) + name + _body({"event": event, "params": params}, blobs)


class FakeWs:
    """The WebSocket state of a ``Fake``."""

    def __init__(self, fake: Fake) -> None:
        self.fake = fake
        self.frames: list[WsFrame] = []
        self.conns: list[_Conn] = []
        self.opened = 0
        self.refused: set[str] = set()
        self.held: set[str] = set()  # paths left unanswered
        self.loop: asyncio.AbstractEventLoop | None = None

    def reset(self) -> None:
        self.frames.clear()
        self.refused.clear()
        self.held.clear()

    def refuse(self, *ids: str) -> None:
        """``subscribeToEvents`` for these ids answers ``<x>_not_found``."""
        self.refused.update(ids)

    def subscribed(self) -> set[tuple[str, str]]:
        return {s for c in self.conns for s in c.subscribed}

    # -- driven from the test thread

    def _run(self, coro: Any) -> Any:
        assert self.loop is not None, "no WebSocket connection yet"
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(5)

    def emit(
        self,
        namespace: str,
        event: str,
        params: dict[str, Any],
        blobs: list[bytes] = (),  # type: ignore[assignment]
        *,
        everyone: bool = False,
    ) -> int:
        """Send an event to the connections subscribed to its id; how many got it."""
        frame = event_frame(namespace, event, params, list(blobs))
        ids = {v for v in params.values() if isinstance(v, str)}

        async def send() -> int:
            sent = 0
            for conn in list(self.conns):
                if everyone or any((namespace, i) in conn.subscribed for i in ids):
                    await conn.socket.send_bytes(frame)
                    sent += 1
            return sent

        result: int = self._run(send())
        return result

    def drop(self) -> None:
        """Close every socket abruptly (their subscriptions end, as on the server)."""

        async def close() -> None:
            for conn in list(self.conns):
                await conn.socket.close(code=1011)

        self._run(close())

    # -- the endpoint

    async def endpoint(self, socket: WebSocket) -> None:
        self.loop = asyncio.get_running_loop()
        await socket.accept()
        self.opened += 1
        conn = _Conn(self.opened, socket)
        self.conns.append(conn)
        try:
            while True:
                raw = await socket.receive_bytes()
                await self._answer(conn, raw)
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            self.conns.remove(conn)

    async def _answer(self, conn: _Conn, raw: bytes) -> None:
        request_id, message, blobs = parse_frame(raw)
        self.frames.append(WsFrame(conn.number, raw, request_id, message, blobs))
        path = f"/{message['api']}/{message['method']}"
        params = message.get("params")
        key = message.get("apiKey")
        self.fake.requests.append(Recorded(path, raw, params, blobs, {}, "ws", key))
        if path in self.held:
            return
        method = self.fake.methods.get(path)
        if method is None:
            body: Any = {"error": {"code": "unknown"}}
            out: list[bytes] = []
        elif path in self.fake.scripted:  # a test's answer (a launched id is subscribed)
            body, out = self.fake.scripted[path]
            self._subscribe_from_result(conn, method, message.get("params") or {}, body)
        else:
            body, out = self._subscriptions(conn, method, message.get("params") or {})
            if body is None:
                body, out = self.fake.dispatch(path)
                self._subscribe_from_result(conn, method, message.get("params") or {}, body)
        await conn.socket.send_bytes(b"\x00" + request_id.to_bytes(4, "big") + _body(body, out))

    def _subscriptions(
        self, conn: _Conn, method: Any, params: dict[str, Any]
    ) -> tuple[Any, list[bytes]]:
        """Answers decided by subscription state (params-side), else ``(None, [])``."""
        options = method.transport
        sub = options.get("subscribes") or {}
        unsub = options.get("unsubscribes") or {}
        if sub.get("from") == "params":
            ident = params.get(sub["key"])
            if ident in self.refused:
                return {"error": {"code": _not_found(method), "refused": ident}}, []
            conn.subscribed.add((method.namespace, ident))
            return {"result": {}}, []
        if unsub:
            key = (method.namespace, params.get(unsub["key"]))
            if key not in conn.subscribed:
                return {"error": {"code": "not_subscribed"}}, []
            conn.subscribed.discard(key)
            return {"result": {}}, []
        return None, []

    def _subscribe_from_result(
        self, conn: _Conn, method: Any, params: dict[str, Any], body: Any
    ) -> None:
        options = method.transport
        sub = options.get("subscribes") or {}
        if sub.get("from") != "result" or "result" not in body:
            return
        flag = options.get("flag")
        if flag and params.get(flag) is False:
            return
        conn.subscribed.add((method.namespace, body["result"][sub["key"]]))


def _not_found(method: Any) -> str:
    """The method's own ``*_not_found`` code, from its error union in the spec."""
    for member in method.errors:
        code = member.get("properties", {}).get("code", {}).get("const", "")
        if code.endswith("_not_found"):
            return str(code)
    raise AssertionError(f"{method.path} has no *_not_found code")


def install(fake: Fake) -> FakeWs:
    """Add the ``/ws`` endpoint to ``fake``'s app; its state."""
    ws = FakeWs(fake)
    fake.app.router.routes.insert(0, WebSocketRoute("/ws", ws.endpoint))
    return ws
