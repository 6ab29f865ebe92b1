# Copied by codegen from specs/decthings/python/wsclient.py (sha256 2da5ead7fc76fc6a). Edit that file, not this one.
"""The Decthings WebSocket transports, sync and async: one socket per client (made by
:data:`.transport.WEBSOCKET`, loaded when a client first sends a call).

Design notes
------------
* Every Decthings operation names this transport; :class:`.wscore.Core` decides per
  call (from the spec's ``x-transport-options``) whether it goes over the socket, is
  answered locally, or is declined (``send`` returns ``None``) and goes over HTTP by
  the client's httpx client.  Retries, auth, codecs, the result rule and typed errors
  run above the send, unchanged: the socket's answer is returned as an HTTP response
  whose body is the frame after its id (the same framing as HTTP).
* ``websockets`` is imported when a socket is first opened, so importing the package
  (or making HTTP calls) never loads it.  The sync transport uses
  ``websockets.sync.client`` plus a reader thread; the async one
  ``websockets.asyncio.client`` plus a reader task.  Listeners are called in arrival
  order on one dispatcher thread (sync) or task (async), so a listener may itself call
  the client.
* Request ids are a per-connection u32 counter from 0.  Connecting honours the call's
  connect timeout, waiting for the answer its read timeout (``httpx.ConnectTimeout``,
  ``httpx.ReadTimeout``); a socket that cannot be opened is ``httpx.ConnectError``
  (nothing sent: retried), one that drops fails its waiting calls with
  ``httpx.ReadError`` (retried only when the call is safe to repeat).  All become the
  API's typed connection errors.
* Reconnect: when the socket drops while ids are subscribed, the reader that saw the
  drop opens a new one (``RECONNECT_ATTEMPTS`` tries, doubling delays from
  ``RECONNECT_DELAY``), re-subscribes each id with its ``restore`` method over it, and
  emits one ``SubscriptionsRemovedEvent`` naming the ids it could not restore (an
  error answer, no restore method, or no socket at all).
* The socket closes when idle (no waiting call, listener or subscription) and with the
  client.  Frames are unlimited in size (tensors), uncompressed.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

import clientcore

from .envelope import EnvelopeError
from .wscore import Call, Core, Listener, ws_url
from .wsframes import EventFrame, parse_server_frame

if TYPE_CHECKING:
    from .events import DecthingsEvent

__all__ = [
    "RECONNECT_ATTEMPTS",
    "RECONNECT_DELAY",
    "AsyncWebSocketTransport",
    "SyncWebSocketTransport",
]

log = logging.getLogger("decthings_client")
MEDIA = "application/octet-stream"
RECONNECT_ATTEMPTS = 3
RECONNECT_DELAY = 0.1
_STOP = object()


def _answer(request: httpx.Request, body: bytes) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": MEDIA}, content=body, request=request)


def _limits(
    request: httpx.Request | None, settings: clientcore.TransportSettings
) -> tuple[float | None, float | None]:
    timeout = request.extensions.get("timeout") if request is not None else None
    if isinstance(timeout, dict):
        return timeout.get("connect"), timeout.get("read")
    return settings.timeout.connect, settings.timeout.read


def _handshake_headers(settings: clientcore.TransportSettings) -> list[tuple[str, str]]:
    skip = {"accept", "content-type", "accept-encoding", "connection"}
    return [(k, v) for k, v in settings.headers.items() if k.lower() not in skip]


def _call_listener(callback: Listener, event: DecthingsEvent) -> object:
    try:
        return callback(event)
    except Exception:  # a listener's bug must not stop the others or the reader
        log.exception("Decthings event listener %r failed", callback)
        return None


# -- sync ---------------------------------------------------------------------------------


class _Waiter:
    __slots__ = ("call", "done", "body", "error")

    def __init__(self, call: Call) -> None:
        self.call = call
        self.done = threading.Event()
        self.body: bytes | None = None
        self.error: Exception | None = None


class _SyncConn:
    """One open socket: its ids and waiting calls."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0
        self.pending: dict[int, _Waiter] = {}
        self.closing = False  # we closed it: not a drop


class SyncWebSocketTransport:
    """The sync client's transport (``clientcore.SyncTransport``)."""

    def __init__(self, settings: clientcore.TransportSettings) -> None:
        self.settings = settings
        self.url = ws_url(settings.base_url)
        self.core = Core()
        self._lock = self.core.lock
        self._conn: _SyncConn | None = None
        self._closed = False
        self._events: queue.Queue[object] | None = None
        self.connections = 0  # sockets opened so far (tests, logs)

    # -- listeners

    def add_listener(self, callback: Listener) -> Callable[[], None]:
        with self._lock:
            self.core.listeners.append(callback)

        def remove() -> None:
            with self._lock:
                if callback in self.core.listeners:
                    self.core.listeners.remove(callback)
            self._close_if_idle()

        return remove

    def _emit(self, event: DecthingsEvent) -> None:
        with self._lock:
            if self._events is None:
                self._events = queue.Queue()
                threading.Thread(
                    target=self._dispatch,
                    args=(self._events,),
                    name="decthings-events",
                    daemon=True,
                ).start()
            self._events.put(event)

    def _dispatch(self, events: queue.Queue[object]) -> None:
        while True:
            event = events.get()
            if event is _STOP:
                return
            with self._lock:
                listeners = list(self.core.listeners)
            for callback in listeners:
                _call_listener(callback, event)  # type: ignore[arg-type]

    # -- sending

    def send(self, request: httpx.Request, *, stream: bool) -> httpx.Response | None:
        with self._lock:
            choice = self.core.choose(request, self._conn is not None)
        if not isinstance(choice, Call):
            return choice
        connect, read = _limits(request, self.settings)
        body = self._call(choice, connect, read, request)
        return _answer(request, body)

    def _call(
        self, call: Call, connect: float | None, read: float | None, request: httpx.Request | None
    ) -> bytes:
        waiter = _Waiter(call)
        with self._lock:
            conn = self._open(connect, request)
            request_id = conn.next_id
            conn.next_id = (conn.next_id + 1) % 2**32
            conn.pending[request_id] = waiter
            frame = call.frame(request_id, self.core.api_key)
        try:
            conn.ws.send(frame)
        except Exception as exc:
            with self._lock:
                conn.pending.pop(request_id, None)
            raise httpx.WriteError(f"WebSocket send failed: {exc}", request=request) from exc
        if not waiter.done.wait(read):
            with self._lock:
                conn.pending.pop(request_id, None)
            self._close_if_idle()
            raise httpx.ReadTimeout("no answer on the WebSocket in time", request=request)
        if waiter.error is not None:
            raise waiter.error
        assert waiter.body is not None
        return waiter.body

    def _open(self, connect: float | None, request: httpx.Request | None) -> _SyncConn:
        """The open socket, opened if need be (under the lock)."""
        if self._closed:
            raise httpx.ConnectError("the client is closed", request=request)
        if self._conn is not None:
            return self._conn
        from websockets.sync.client import connect as ws_connect

        try:
            # entered as a context (closed by ``ws.close()``): websockets 17 returns a
            # context manager here, earlier versions the connection itself
            ws = ws_connect(
                self.url,
                additional_headers=_handshake_headers(self.settings),
                user_agent_header=None,
                open_timeout=connect,
                max_size=None,
                compression=None,
            ).__enter__()
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"WebSocket {self.url}: {exc}", request=request) from exc
        except Exception as exc:
            raise httpx.ConnectError(f"WebSocket {self.url}: {exc}", request=request) from exc
        conn = self._conn = _SyncConn(ws)
        self.connections += 1
        threading.Thread(target=self._read, args=(conn,), name="decthings-ws", daemon=True).start()
        return conn

    # -- reading

    def _read(self, conn: _SyncConn) -> None:
        try:
            for data in conn.ws:
                self._frame(conn, data if isinstance(data, bytes) else data.encode())
        except Exception as exc:  # the connection's end, clean or not
            log.debug("Decthings WebSocket reader stopped: %r", exc)
        self._dropped(conn)

    def _frame(self, conn: _SyncConn, data: bytes) -> None:
        try:
            frame = parse_server_frame(data)
        except EnvelopeError as exc:
            log.warning("Decthings WebSocket: ignored a malformed frame (%s)", exc)
            return
        if isinstance(frame, EventFrame):
            with self._lock:
                event = self.core.event(frame)
            self._emit(event)
        else:
            with self._lock:
                waiter = conn.pending.pop(frame.id, None)
                if waiter is not None:
                    self.core.settle(waiter.call, frame.body)
            if waiter is not None:
                waiter.body = frame.body
                waiter.done.set()
        self._close_if_idle()

    def _close_if_idle(self) -> None:
        with self._lock:
            conn = self._conn
            if conn is None or not self.core.idle(len(conn.pending)):
                return
            conn.closing = True
            self._conn = None
        conn.ws.close()

    def _dropped(self, conn: _SyncConn) -> None:
        with self._lock:
            if self._conn is conn:
                self._conn = None
            pending, conn.pending = list(conn.pending.values()), {}
            dropped = not conn.closing and not self._closed
            restore = dropped and bool(self.core.subscriptions)
        for waiter in pending:
            waiter.error = httpx.ReadError("the WebSocket connection was lost")
            waiter.done.set()
        if restore:
            self._restore()

    def _restore(self) -> None:
        connect, read = _limits(None, self.settings)
        delay = RECONNECT_DELAY
        opened = False
        for _ in range(RECONNECT_ATTEMPTS):
            time.sleep(delay)
            delay *= 2
            try:
                with self._lock:
                    self._open(connect, None)
                opened = True
                break
            except httpx.TransportError as exc:
                log.info("Decthings WebSocket reconnect failed: %s", exc)
        with self._lock:
            calls, lost = self.core.restoring()
            if not opened:
                calls, lost = [], list(self.core.subscriptions)
        for call in calls:
            try:
                body: bytes | None = self._call(call, connect, read, None)
            except httpx.TransportError:
                body = None
            if not self.core.restored(call, body):
                lost.append((call.api, str(call.param(call.route.key or ""))))
        with self._lock:
            removed = self.core.removed(lost)
        if removed is not None:
            self._emit(removed)
        self._close_if_idle()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            conn, self._conn = self._conn, None
            events, self._events = self._events, None
            if conn is not None:
                conn.closing = True
        if conn is not None:
            conn.ws.close()
        if events is not None:
            events.put(_STOP)


# -- async --------------------------------------------------------------------------------


class _AsyncConn:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0
        self.pending: dict[int, tuple[Call, asyncio.Future[bytes]]] = {}
        self.closing = False
        self.reader: asyncio.Task[None] | None = None


class AsyncWebSocketTransport:
    """The async client's transport (``clientcore.AsyncTransport``); one event loop."""

    def __init__(self, settings: clientcore.TransportSettings) -> None:
        self.settings = settings
        self.url = ws_url(settings.base_url)
        self.core = Core()
        self._conn: _AsyncConn | None = None
        self._opening: asyncio.Lock | None = None
        self._closed = False
        self._events: asyncio.Queue[object] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.connections = 0

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- listeners

    def add_listener(self, callback: Listener) -> Callable[[], None]:
        self.core.listeners.append(callback)

        def remove() -> None:
            if callback in self.core.listeners:
                self.core.listeners.remove(callback)
            try:
                self._spawn(self._close_if_idle())
            except RuntimeError:  # no running loop: it closes with the client
                pass

        return remove

    def _emit(self, event: DecthingsEvent) -> None:
        if self._events is None:
            self._events = asyncio.Queue()
            self._spawn(self._dispatch(self._events))
        self._events.put_nowait(event)

    async def _dispatch(self, events: asyncio.Queue[object]) -> None:
        while True:
            event = await events.get()
            if event is _STOP:
                return
            for callback in list(self.core.listeners):
                outcome = _call_listener(callback, event)  # type: ignore[arg-type]
                if inspect.isawaitable(outcome):
                    try:
                        await outcome
                    except Exception:
                        log.exception("Decthings event listener %r failed", callback)

    # -- sending

    async def send(self, request: httpx.Request, *, stream: bool) -> httpx.Response | None:
        choice = self.core.choose(request, self._conn is not None)
        if not isinstance(choice, Call):
            return choice
        connect, read = _limits(request, self.settings)
        return _answer(request, await self._call(choice, connect, read, request))

    async def _call(
        self, call: Call, connect: float | None, read: float | None, request: httpx.Request | None
    ) -> bytes:
        conn = await self._open(connect, request)
        request_id = conn.next_id
        conn.next_id = (conn.next_id + 1) % 2**32
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        conn.pending[request_id] = (call, future)
        try:
            await conn.ws.send(call.frame(request_id, self.core.api_key))
        except Exception as exc:
            conn.pending.pop(request_id, None)
            raise httpx.WriteError(f"WebSocket send failed: {exc}", request=request) from exc
        try:
            return await asyncio.wait_for(asyncio.shield(future), read)
        except TimeoutError:
            conn.pending.pop(request_id, None)
            await self._close_if_idle()
            raise httpx.ReadTimeout("no answer on the WebSocket in time", request=request) from None

    async def _open(self, connect: float | None, request: httpx.Request | None) -> _AsyncConn:
        if self._closed:
            raise httpx.ConnectError("the client is closed", request=request)
        if self._conn is not None:
            return self._conn
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._conn is not None:
                return self._conn
            from websockets.asyncio.client import connect as ws_connect

            try:
                ws = await ws_connect(
                    self.url,
                    additional_headers=_handshake_headers(self.settings),
                    user_agent_header=None,
                    open_timeout=connect,
                    max_size=None,
                    compression=None,
                )
            except TimeoutError as exc:
                raise httpx.ConnectTimeout(f"WebSocket {self.url}: {exc}", request=request) from exc
            except Exception as exc:
                raise httpx.ConnectError(f"WebSocket {self.url}: {exc}", request=request) from exc
            conn = self._conn = _AsyncConn(ws)
            self.connections += 1
            conn.reader = asyncio.get_running_loop().create_task(self._read(conn))
            return conn

    # -- reading

    async def _read(self, conn: _AsyncConn) -> None:
        try:
            async for data in conn.ws:
                await self._frame(conn, data if isinstance(data, bytes) else data.encode())
        except Exception as exc:
            log.debug("Decthings WebSocket reader stopped: %r", exc)
        await self._dropped(conn)

    async def _frame(self, conn: _AsyncConn, data: bytes) -> None:
        try:
            frame = parse_server_frame(data)
        except EnvelopeError as exc:
            log.warning("Decthings WebSocket: ignored a malformed frame (%s)", exc)
            return
        if isinstance(frame, EventFrame):
            self._emit(self.core.event(frame))
        else:
            waiting = conn.pending.pop(frame.id, None)
            if waiting is not None:
                call, future = waiting
                self.core.settle(call, frame.body)
                if not future.done():
                    future.set_result(frame.body)
        await self._close_if_idle()

    async def _close_if_idle(self) -> None:
        conn = self._conn
        if conn is None or not self.core.idle(len(conn.pending)):
            return
        conn.closing = True
        self._conn = None
        await conn.ws.close()

    async def _dropped(self, conn: _AsyncConn) -> None:
        if self._conn is conn:
            self._conn = None
        pending, conn.pending = list(conn.pending.values()), {}
        for _, future in pending:
            if not future.done():
                future.set_exception(httpx.ReadError("the WebSocket connection was lost"))
        if not conn.closing and not self._closed and self.core.subscriptions:
            await self._restore()

    async def _restore(self) -> None:
        connect, read = _limits(None, self.settings)
        delay = RECONNECT_DELAY
        opened = False
        for _ in range(RECONNECT_ATTEMPTS):
            await asyncio.sleep(delay)
            delay *= 2
            try:
                await self._open(connect, None)
                opened = True
                break
            except httpx.TransportError as exc:
                log.info("Decthings WebSocket reconnect failed: %s", exc)
        calls, lost = self.core.restoring()
        if not opened:
            calls, lost = [], list(self.core.subscriptions)
        for call in calls:
            try:
                body: bytes | None = await self._call(call, connect, read, None)
            except httpx.TransportError:
                body = None
            if not self.core.restored(call, body):
                lost.append((call.api, str(call.param(call.route.key or ""))))
        removed = self.core.removed(lost)
        if removed is not None:
            self._emit(removed)
        await self._close_if_idle()

    async def aclose(self) -> None:
        self._closed = True
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.closing = True
            await conn.ws.close()
            if conn.reader is not None:
                await asyncio.gather(conn.reader, return_exceptions=True)
        if self._events is not None:
            self._events.put_nowait(_STOP)
            self._events = None
        tasks = [t for t in self._tasks if t is not asyncio.current_task()]
        if tasks:
            await asyncio.wait(tasks, timeout=1)
