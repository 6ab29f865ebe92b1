"""What the fault server does with one request: answer it, or fail it in a chosen way.

Design notes
------------
* A behaviour is a small frozen dataclass with ``serve(conn, request)``; it writes
  through the ``protocol.Connection`` and returns whether the connection may carry
  another request (keep-alive).  A behaviour that ends the connection itself (reset,
  truncation, close-delimited bodies) returns ``False``.
* Behaviours describe the *server's* side only.  What a client should make of each
  is the tests' business; the behaviour's ``label`` names it in the server's log.
* Every wait goes through ``Connection.pause``, so a slow behaviour stops as soon as
  the client hangs up, and the server records that it did.
* Resets that come after a response head wait ``delay`` (2 ms) first.  On Linux the
  bytes a client has received before a RST stay readable (2,000 of 2,000 heads arrived
  with no delay at all); the delay is a margin for other kernels.  The client then
  fails while reading the body, which is the fault being modelled.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from tests.faults.protocol import Connection, Request, response_head

__all__ = [
    "SSE",
    "Behaviour",
    "Body",
    "Json",
    "Oversized",
    "Raw",
    "ResetAfterHeaders",
    "ResetBeforeHeaders",
    "SlowHeaders",
    "Status",
    "Trickle",
    "Truncated",
]

JSON = "application/json"


class Behaviour:
    """One scripted response (or failure to respond)."""

    @property
    def label(self) -> str:
        return type(self).__name__

    async def serve(self, conn: Connection, request: Request) -> bool:
        raise NotImplementedError


def _connection_header(request: Request, keep: bool) -> list[tuple[str, str]]:
    return [] if keep and request.keep_alive else [("connection", "close")]


async def _respond(
    conn: Connection,
    request: Request,
    status: int,
    content: bytes,
    content_type: str | None,
    headers: Sequence[tuple[str, str]] = (),
) -> bool:
    head = [("content-length", str(len(content)))]
    if content_type is not None:
        head.append(("content-type", content_type))
    head += list(headers) + _connection_header(request, True)
    if not await conn.send(response_head(status, head) + content):
        return False
    return request.keep_alive


@dataclass(frozen=True)
class Body(Behaviour):
    """A complete response: ``status``, raw ``content``, the given content type."""

    status: int = 200
    content: bytes = b""
    content_type: str | None = JSON
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return f"Body({self.status}, {len(self.content)} bytes, {self.content_type})"

    async def serve(self, conn: Connection, request: Request) -> bool:
        return await _respond(
            conn, request, self.status, self.content, self.content_type, self.headers
        )


@dataclass(frozen=True)
class Raw(Behaviour):
    """``data`` as is instead of a response (a malformed head, not HTTP at all), then a
    close."""

    data: bytes

    @property
    def label(self) -> str:
        return f"Raw({self.data[:20]!r})"

    async def serve(self, conn: Connection, request: Request) -> bool:
        await conn.send(self.data)
        await conn.close()
        return False


@dataclass(frozen=True)
class Json(Behaviour):
    """A complete JSON response."""

    value: object
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return f"Json({self.status})"

    async def serve(self, conn: Connection, request: Request) -> bool:
        content = json.dumps(self.value).encode()
        return await _respond(conn, request, self.status, content, JSON, self.headers)


@dataclass(frozen=True)
class Status(Behaviour):
    """An error status with a JSON error body, optionally with ``Retry-After``."""

    status: int
    retry_after: float | str | None = None
    body: object = None

    @property
    def label(self) -> str:
        return f"Status({self.status})"

    async def serve(self, conn: Connection, request: Request) -> bool:
        message = f"injected {self.status}"
        body = self.body if self.body is not None else {"error": message, "message": message}
        headers = []
        if self.retry_after is not None:
            headers.append(("retry-after", str(self.retry_after)))
        return await _respond(conn, request, self.status, json.dumps(body).encode(), JSON, headers)


@dataclass(frozen=True)
class ResetBeforeHeaders(Behaviour):
    """Read the request, then reset the connection without a byte of response."""

    async def serve(self, conn: Connection, request: Request) -> bool:
        conn.reset()
        return False


@dataclass(frozen=True)
class ResetAfterHeaders(Behaviour):
    """Send a response head (and ``partial`` body bytes), then reset the connection."""

    status: int = 200
    declared_length: int = 1024
    partial: bytes = b""
    delay: float = 0.002

    async def serve(self, conn: Connection, request: Request) -> bool:
        head = response_head(
            self.status,
            [("content-length", str(self.declared_length)), ("content-type", JSON)],
        )
        if await conn.send(head + self.partial) and await conn.pause(self.delay):
            conn.reset()
        return False


@dataclass(frozen=True)
class SlowHeaders(Behaviour):
    """Say nothing for ``seconds``, then behave as ``then``."""

    seconds: float
    then: Behaviour = field(default_factory=lambda: Status(503))

    @property
    def label(self) -> str:
        return f"SlowHeaders({self.seconds}, {self.then.label})"

    async def serve(self, conn: Connection, request: Request) -> bool:
        if not await conn.pause(self.seconds):
            return False
        return await self.then.serve(conn, request)


@dataclass(frozen=True)
class Trickle(Behaviour):
    """A correct response whose body arrives one byte every ``1 / bytes_per_second`` s
    (its first ``burst`` bytes at once, with the head)."""

    content: bytes
    bytes_per_second: float
    burst: int = 0
    status: int = 200
    content_type: str = JSON

    @property
    def label(self) -> str:
        return f"Trickle({len(self.content)} bytes at {self.bytes_per_second}/s)"

    async def serve(self, conn: Connection, request: Request) -> bool:
        head = [("content-length", str(len(self.content))), ("content-type", self.content_type)]
        if not await conn.send(response_head(self.status, head) + self.content[: self.burst]):
            return False
        gap = 1.0 / self.bytes_per_second
        for i in range(self.burst, len(self.content)):
            if not (await conn.pause(gap) and await conn.send(self.content[i : i + 1])):
                return False
        return request.keep_alive


@dataclass(frozen=True)
class Truncated(Behaviour):
    """Declare ``declared_length`` bytes, send ``content`` (fewer), then close (FIN)."""

    content: bytes
    declared_length: int
    status: int = 200
    content_type: str = JSON

    @property
    def label(self) -> str:
        return f"Truncated({len(self.content)} of {self.declared_length})"

    async def serve(self, conn: Connection, request: Request) -> bool:
        head = [("content-length", str(self.declared_length)), ("content-type", self.content_type)]
        await conn.send(response_head(self.status, head) + self.content)
        await conn.close()
        return False


@dataclass(frozen=True)
class Oversized(Behaviour):
    """A 200 of about ``n_bytes``: ``base`` plus a huge ``padding`` string when given
    (valid JSON), else ``n_bytes`` of ``x`` (not JSON)."""

    n_bytes: int
    base: Mapping[str, object] | None = None

    @property
    def label(self) -> str:
        return f"Oversized({self.n_bytes}, valid={self.base is not None})"

    async def serve(self, conn: Connection, request: Request) -> bool:
        if self.base is None:
            content = b"x" * self.n_bytes
        else:
            content = json.dumps({**self.base, "padding": "x" * self.n_bytes}).encode()
        return await _respond(conn, request, 200, content, JSON)


@dataclass(frozen=True)
class SSE(Behaviour):
    """A Server-Sent Events response.

    ``events`` are sent as ``data:`` lines (JSON unless already ``str``), then
    ``malformed`` (a raw data value, e.g. broken JSON) when given, then the
    ``terminator`` unless it is ``None``.  ``truncate_after`` cuts the stream after
    that many bytes of event text and ends the connection (mid-event when it falls
    inside one), with a FIN, or a RST when ``cut`` is ``"reset"``.  ``framing`` is
    ``"chunked"`` (a cut leaves the chunked body incomplete) or ``"close"`` (no
    length: the body ends where the connection does, so a FIN cut looks like a clean
    end).  ``interval`` waits between events.
    """

    events: Sequence[object] = ()
    truncate_after: int | None = None
    malformed: str | None = None
    terminator: str | None = "[DONE]"
    framing: Literal["chunked", "close"] = "chunked"
    interval: float = 0.0
    cut: Literal["close", "reset"] = "close"

    @property
    def label(self) -> str:
        cut = "" if self.truncate_after is None else f", {self.cut} at {self.truncate_after}"
        return f"SSE({len(self.events)} events, {self.framing}{cut})"

    def payloads(self) -> list[bytes]:
        data = [e if isinstance(e, str) else json.dumps(e) for e in self.events]
        if self.malformed is not None:
            data.append(self.malformed)
        if self.terminator is not None:
            data.append(self.terminator)
        return [f"data: {d}\n\n".encode() for d in data]

    async def serve(self, conn: Connection, request: Request) -> bool:
        chunked = self.framing == "chunked"
        head = [("content-type", "text/event-stream"), ("cache-control", "no-cache")]
        head.append(("transfer-encoding", "chunked") if chunked else ("connection", "close"))
        if not await conn.send(response_head(200, head)):
            return False
        budget = self.truncate_after
        for i, payload in enumerate(self.payloads()):
            if i and self.interval and not await conn.pause(self.interval):
                return False
            if budget is not None:
                payload, budget = payload[:budget], budget - len(payload)
            if payload:
                frame = b"%x\r\n%s\r\n" % (len(payload), payload) if chunked else payload
                if not await conn.send(frame):
                    return False
            if budget is not None and budget <= 0:  # cut: mid-event, or before the end
                if self.cut == "reset":
                    await conn.pause(0.02)  # let what was sent arrive before the RST
                    conn.reset()
                else:
                    await conn.close()
                return False
        if not chunked:
            await conn.close()
            return False
        return await conn.send(b"0\r\n\r\n") and request.keep_alive
