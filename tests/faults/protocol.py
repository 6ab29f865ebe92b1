"""Just enough HTTP/1.1 for the fault server: parse a request, write a response head,
and the connection operations faults need (reset, half-written bodies, waiting while
watching for the client to hang up).

Design notes
------------
* ``read_request`` parses one request from an ``asyncio.StreamReader``: the request
  line, the headers (names lower-cased, order kept) and a body framed by
  ``Content-Length`` or ``Transfer-Encoding: chunked``.  It returns ``None`` at a clean
  end of the connection (EOF before a request line) and raises ``ProtocolError`` for
  anything malformed, so the server can drop such a connection.
* ``Connection`` owns one accepted socket.  Behaviours write through it and end it
  in one of two ways: ``close()`` (FIN, orderly) or ``reset()`` (RST: ``SO_LINGER``
  set to zero, then the transport aborted).  Either way the server's ``on_end``
  callback runs *before* the socket goes, so the server's count of open connections
  drops before the client can observe the close (no race in which the client opens a
  new connection while the server still counts the old one).  An end the client
  starts (EOF while reading) is reported the same way, when the server notices it.
* ``pause(seconds)`` waits while watching the socket: it returns ``False`` as soon as
  the client hangs up, so a slow or trickling behaviour stops the moment the client
  gives up, and the server records when that was.  The client sends nothing while a
  response is outstanding (httpx does not pipeline), so any byte read here means EOF
  or a misbehaving client; either way the response is abandoned.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import unquote, urlsplit

__all__ = ["Connection", "ProtocolError", "Request", "read_request", "response_head"]

MAX_LINE = 65536
MAX_HEADERS = 200
MAX_BODY = 64 * 1024 * 1024


class ProtocolError(Exception):
    """The client sent something that is not an HTTP/1.1 request we can parse."""


@dataclass
class Request:
    """One parsed request.  ``path`` is percent-decoded, without the query string."""

    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes
    path: str = field(init=False)
    query: str = field(init=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.target)
        self.path = unquote(parts.path)
        self.query = parts.query

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    @property
    def keep_alive(self) -> bool:
        connection = (self.header("connection") or "").lower()
        if self.version == "HTTP/1.0":
            return connection == "keep-alive"
        return connection != "close"


async def _line(reader: asyncio.StreamReader) -> bytes:
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            raise ProtocolError("connection closed inside a line") from exc
        return b""
    except asyncio.LimitOverrunError as exc:
        raise ProtocolError("line too long") from exc
    if len(line) > MAX_LINE:
        raise ProtocolError("line too long")
    return line


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = (await _line(reader)).split(b";", 1)[0].strip()
        try:
            size = int(size_line, 16)
        except ValueError as exc:
            raise ProtocolError(f"bad chunk size {size_line!r}") from exc
        if size == 0:
            while (await _line(reader)).strip():  # trailers, up to the blank line
                pass
            return bytes(body)
        if len(body) + size > MAX_BODY:
            raise ProtocolError("body too large")
        body += await reader.readexactly(size)
        await reader.readexactly(2)  # CRLF after the chunk


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """The next request on the connection; ``None`` when the client closed it cleanly."""
    line = await _line(reader)
    while line in (b"\r\n", b"\n"):  # tolerate blank lines between requests (RFC 9112)
        line = await _line(reader)
    if not line:
        return None
    try:
        method, target, version = line.decode("latin-1").rstrip("\r\n").split(" ")
    except ValueError as exc:
        raise ProtocolError(f"bad request line {line!r}") from exc
    if not version.startswith("HTTP/1."):
        raise ProtocolError(f"unsupported version {version!r}")
    headers: list[tuple[str, str]] = []
    while True:
        raw = await _line(reader)
        if not raw:
            raise ProtocolError("connection closed inside the headers")
        text = raw.decode("latin-1").rstrip("\r\n")
        if not text:
            break
        name, sep, value = text.partition(":")
        if not sep or not name or name != name.strip():
            raise ProtocolError(f"bad header line {text!r}")
        headers.append((name.lower(), value.strip()))
        if len(headers) > MAX_HEADERS:
            raise ProtocolError("too many headers")
    request = Request(method.upper(), target, version, headers, b"")
    try:
        if (request.header("transfer-encoding") or "").lower() == "chunked":
            request.body = await _chunked(reader)
        else:
            length = int(request.header("content-length") or 0)
            if length < 0 or length > MAX_BODY:
                raise ProtocolError(f"bad Content-Length {length}")
            request.body = await reader.readexactly(length) if length else b""
    except asyncio.IncompleteReadError as exc:
        raise ProtocolError("connection closed inside the body") from exc
    except ValueError as exc:
        raise ProtocolError("bad Content-Length") from exc
    return request


def response_head(status: int, headers: list[tuple[str, str]]) -> bytes:
    """Status line and headers, up to and including the blank line."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class Connection:
    """One accepted TCP connection, as the behaviours see it."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        on_end: Callable[[Connection, str], None],
        number: int,
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.number = number
        self.opened_at = time.monotonic()
        self.ended_by: str | None = None  # "server-close", "server-reset" or "client"
        self._on_end = on_end

    @property
    def ended(self) -> bool:
        return self.ended_by is not None

    def _end(self, how: str) -> bool:
        if self.ended_by is not None:
            return False
        self.ended_by = how
        self._on_end(self, how)
        return True

    async def send(self, data: bytes) -> bool:
        """Write and flush ``data``; ``False`` when the client has gone."""
        if self.ended:
            return False
        try:
            self.writer.write(data)
            await self.writer.drain()
        except (ConnectionError, OSError):
            self.client_gone()
            return False
        return True

    async def pause(self, seconds: float) -> bool:
        """Wait ``seconds``; ``False`` at once if the client hangs up meanwhile."""
        if self.ended:
            return False
        try:
            data = await asyncio.wait_for(self.reader.read(1), seconds)
        except asyncio.TimeoutError:
            return True
        except (ConnectionError, OSError):
            data = b""
        if not data:
            self.client_gone()
        else:  # a client sending during a response: not HTTP/1.1 as we serve it
            await self.close()
        return False

    def client_gone(self) -> None:
        """The client closed or reset the connection (noticed by a read or a write)."""
        if self._end("client"):
            self.writer.transport.abort()

    async def close(self) -> None:
        """End the connection with a FIN, after what was written."""
        if not self._end("server-close"):
            return
        try:
            self.writer.close()
            await self.writer.wait_closed()
        except (ConnectionError, OSError):
            pass

    def reset(self) -> None:
        """End the connection with a RST (``SO_LINGER`` zero, then abort)."""
        if not self._end("server-reset"):
            return
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        self.writer.transport.abort()
