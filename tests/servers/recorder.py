"""A recording server: logs every request exactly as it arrived, then lets a responder answer.

    rec = Recorder()                        # responder = a fresh Scale fake (page_size=2)
    rec = Recorder(Canned().add("GET", "/v1/projects", json=[]))
    with serve(rec) as base_url:
        ...                                 # drive a client at base_url
    rec.log                                 # [RecordedRequest, ...] (see tests/servers/wire.py)

Each record has: method, raw_path (percent-encoding preserved), query_string (raw),
query (decoded pairs, wire order), headers (lower-cased names, wire order), body (raw
bytes), body_kind + json (parsed JSON) or form (multipart parts; ``.parts`` gives
``{name: (filename, content_type, bytes-or-text)}``), and the status it was answered with.
``/_control/...`` requests (the fake's out-of-band controls) are passed through unlogged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .scale_fake import create_app
from .wire import RecordedRequest, record_request

__all__ = ["Canned", "CannedResponse", "Recorder"]

ASGIApp = Any


@dataclass
class CannedResponse:
    method: str
    path: str  # prefix of the raw or decoded path
    status: int = 200
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # None = sticky
    used: int = 0


class Canned:
    """A responder that answers from a list of canned responses (first live match wins)."""

    def __init__(self, default: tuple[int, Any] = (404, {"error": "no canned response"})) -> None:
        self.responses: list[CannedResponse] = []
        self.default = default

    def add(
        self,
        method: str,
        path: str,
        status: int = 200,
        json: Any = None,
        headers: dict[str, str] | None = None,
        times: int | None = None,
    ) -> Canned:
        self.responses.append(
            CannedResponse(method.upper(), path, status, json, dict(headers or {}), times)
        )
        return self

    def pick(self, rec: RecordedRequest) -> tuple[int, Any, dict[str, str]]:
        for r in self.responses:
            if r.times is not None and r.used >= r.times:
                continue
            if r.method in ("*", rec.method) and (
                rec.raw_path.startswith(r.path) or rec.path.startswith(r.path)
            ):
                r.used += 1
                return r.status, r.json, r.headers
        return self.default[0], self.default[1], {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            msg = await receive()
            body += msg.get("body", b"")
            if not msg.get("more_body"):
                break
        status, payload, headers = self.pick(await record_request(scope, body))
        content = b"" if payload is None else json.dumps(payload).encode()
        raw_headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(content)).encode()),
        ]
        raw_headers += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": content})


class Recorder:
    """ASGI app that records requests and forwards them to ``responder`` (any ASGI app)."""

    def __init__(self, responder: ASGIApp | None = None, **fake_kwargs: Any) -> None:
        if responder is None:
            fake_kwargs.setdefault("page_size", 2)
            fake_kwargs.setdefault("projects", ("test_project",))
            responder = create_app(**fake_kwargs)
        self.responder = responder
        self.log: list[RecordedRequest] = []

    # convenience access to the Scale fake behind the recorder (None for other responders)
    @property
    def fake(self) -> Any:
        state = getattr(self.responder, "state", None)
        return self.responder if state is not None and hasattr(state, "faults") else None

    @property
    def faults(self) -> Any:
        return self.fake.state.faults if self.fake is not None else None

    @property
    def store(self) -> Any:
        return self.fake.state.store if self.fake is not None else None

    def reset(self) -> None:
        """Empty the log and, for a fake responder, reset its state and faults."""
        self.log.clear()
        if self.fake is not None:
            self.fake.state.reset()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.responder(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                break
            chunks.append(msg.get("body", b""))
            if not msg.get("more_body"):
                break
        body = b"".join(chunks)
        rec = await record_request(scope, body)
        if not rec.raw_path.startswith("/_control/"):
            self.log.append(rec)

        replayed = False

        async def replay() -> dict[str, Any]:
            # The body once, then the client's own receive: it waits for the real
            # disconnect, so a streaming responder that listens for it (starlette's
            # StreamingResponse, aidial-sdk's DisconnectMiddleware) is not cancelled early.
            nonlocal replayed
            if replayed:
                return await receive()  # type: ignore[no-any-return]
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        out: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                rec.status = message["status"]
            elif message["type"] == "http.response.body":
                out.append(message.get("body", b""))
                if not message.get("more_body"):
                    rec.response_body = b"".join(out)
            await send(message)

        await self.responder(scope, replay, capture)
