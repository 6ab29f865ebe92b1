"""A transport over the standard library's ``http.client`` (no httpx on the wire).

Stands for transports such as a WebSocket: the runtime hands over the
``httpx.Request`` it built (auth, headers, body, timeout) and takes an
``httpx.Response`` back; retries, errors and parsing stay the runtime's.
"""

from __future__ import annotations

import asyncio
import http.client

import httpx

import clientcore


class StdlibTransport:
    """Sync: one ``http.client`` connection per request (marked ``x-transport``)."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self.sent = 0
        self.closed = False

    def send(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        url = request.url
        conn = http.client.HTTPConnection(url.host, url.port, timeout=self.timeout)
        headers = dict(request.headers)
        headers["x-transport"] = "stdlib"
        try:
            conn.request(request.method, url.raw_path.decode(), request.read(), headers)
            reply = conn.getresponse()
            content = reply.read()
        except ConnectionRefusedError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except OSError as exc:
            raise httpx.ReadError(str(exc), request=request) from exc
        finally:
            conn.close()
        self.sent += 1
        return httpx.Response(
            reply.status, headers=reply.getheaders(), content=content, request=request
        )

    def close(self) -> None:
        self.closed = True


class AsyncStdlibTransport:
    """Async: the sync transport in a worker thread."""

    def __init__(self, timeout: float | None) -> None:
        self.inner = StdlibTransport(timeout)

    async def send(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        await request.aread()
        return await asyncio.to_thread(self.inner.send, request, stream=stream)

    async def aclose(self) -> None:
        self.inner.close()


class Factory:
    """``x-transports`` value: makes one transport per client, remembers them (tests)."""

    def __init__(self) -> None:
        self.made: list[StdlibTransport | AsyncStdlibTransport] = []

    def sync_transport(self, settings: clientcore.TransportSettings) -> StdlibTransport:
        made = StdlibTransport(settings.timeout.read)
        self.made.append(made)
        return made

    def async_transport(self, settings: clientcore.TransportSettings) -> AsyncStdlibTransport:
        made = AsyncStdlibTransport(settings.timeout.read)
        self.made.append(made)
        return made


FACTORY = Factory()
