"""Whole-call deadlines: ``timeout=`` bounds a call, not each read.

Design notes
------------
* A float ``timeout`` (per client or per call) is the call's *deadline*: from the first
  attempt to the last byte of the body, retries and their sleeps included.  Each phase
  of an attempt (connect, pool wait, write, read) is also bounded by it, as in httpx.
  An ``httpx.Timeout`` keeps httpx's meaning (per phase, no overall deadline).
* The attempts flow (``_flow.attempts``) starts the clock, caps a retry's phases at the
  time left (``capped``) and does not sleep past the deadline.  The phases bound the
  wait for the response's head; they cannot bound a body that trickles in a byte at a
  time, each read well within its limit.  So the body of a plain call is read under a
  ``Watch``: while it is being read, a watchdog thread shuts the connection's socket
  down the moment the deadline passes, the blocked read returns at once (sync or
  async, TLS or not), and the read's failure is reported as the ``httpx.ReadTimeout``
  it is.  The socket is only shut down while its watch is active, and the watch ends
  before the connection goes back to the pool (``WatchedStream``): a pooled connection
  is never touched.
* The watchdog is one daemon thread, started on first use, asleep on an event while no
  body is being read; watching a read is a dict insert and delete under a lock.
  Responses without a socket (``httpx.MockTransport``, custom transports) are not
  watched: their phases are still capped.
* Streams and downloads are bounded until their response opens; after that each read
  has the per-read limit (the ``read`` phase), however long the stream lives.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from ._types import TimeoutTypes

__all__ = ["Watch", "WatchedStream", "capped", "deadline_error", "total_of", "watch"]

Phases = dict[str, float | None]

_POLL = 0.05  # seconds between the watchdog's looks while reads are being watched


def total_of(timeout: TimeoutTypes) -> float | None:
    """The whole-call deadline a ``timeout`` value sets (seconds), if any."""
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return None
    return float(timeout)


def capped(phases: Phases, left: float) -> Phases:
    """``phases`` with every limit at most ``left`` seconds (a new dict)."""
    return {k: left if v is None or v > left else v for k, v in phases.items()}


def deadline_error(total: float | None, request: httpx.Request) -> httpx.ReadTimeout:
    return httpx.ReadTimeout(f"the call's {total} s deadline passed", request=request)


class Watch:
    """One body read that must end by ``deadline`` (``time.monotonic`` seconds)."""

    __slots__ = ("sock", "deadline", "fired")

    def __init__(self, sock: Any, deadline: float) -> None:
        self.sock = sock
        self.deadline = deadline
        self.fired = False


class _Watchdog:
    """Shuts down the socket of every watched read whose deadline has passed.

    Asleep on ``_wake`` while nothing is watched; while something is, it looks every
    ``_POLL`` seconds (or at the soonest deadline), so a busy client wakes it at most
    that often, however many calls it makes."""

    def __init__(self) -> None:
        self._active: dict[int, Watch] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._idle = True
        self._thread: threading.Thread | None = None

    def add(self, w: Watch) -> None:
        with self._lock:
            self._active[id(w)] = w
            if self._idle:
                self._idle = False
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="clientcore-deadlines", daemon=True
                    )
                    self._thread.start()
                self._wake.set()

    def remove(self, w: Watch) -> bool:
        """Stop watching ``w``; whether its deadline fired first.  After this returns
        the watchdog never touches ``w``'s socket."""
        with self._lock:
            self._active.pop(id(w), None)
            return w.fired

    def _run(self) -> None:
        while True:
            self._wake.wait()
            while (pause := self._expire()) is not None:
                time.sleep(pause)

    def _expire(self) -> float | None:
        """Fire every watch past its deadline; the time to the next look, or ``None``
        (idle) when nothing is left to watch."""
        with self._lock:
            now = time.monotonic()
            soonest = None
            for key, w in list(self._active.items()):
                if w.deadline <= now:
                    del self._active[key]
                    w.fired = True
                    _shutdown(w.sock)
                elif soonest is None or w.deadline < soonest:
                    soonest = w.deadline
            if soonest is None:
                self._idle = True
                self._wake.clear()
                return None
            return min(max(soonest - now, 0.001), _POLL)


_WATCHDOG = _Watchdog()


def _shutdown(sock: Any) -> None:
    """End both directions of ``sock`` at the OS level: a read blocked on it (in any
    thread or event loop) returns at once."""
    try:
        if isinstance(sock, socket.socket):  # socket.socket's own, also for an SSLSocket
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        else:  # asyncio's TransportSocket
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass


def watch(response: httpx.Response, deadline: float) -> Watch | None:
    """Start watching ``response``'s body read; ``None`` when it has no socket."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is None or not hasattr(sock, "shutdown"):
        return None
    w = Watch(sock, deadline)
    _WATCHDOG.add(w)
    return w


class WatchedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body read under a ``Watch``: the watch ends before the inner stream
    is closed (which releases the connection), and a read the watchdog cut short
    raises ``httpx.ReadTimeout``, even one that ended as a short "complete" body."""

    def __init__(self, inner: Any, w: Watch, request: httpx.Request, total: float | None) -> None:
        self._inner = inner
        self._watch = w
        self._request = request
        self._total = total

    def _late(self) -> httpx.ReadTimeout:
        return deadline_error(self._total, self._request)

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._inner
        except httpx.TransportError as exc:
            if _WATCHDOG.remove(self._watch):
                raise self._late() from exc
            raise
        finally:
            fired = _WATCHDOG.remove(self._watch)
        if fired:
            raise self._late()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                yield chunk
        except httpx.TransportError as exc:
            if _WATCHDOG.remove(self._watch):
                raise self._late() from exc
            raise
        finally:
            fired = _WATCHDOG.remove(self._watch)
        if fired:
            raise self._late()

    def close(self) -> None:
        _WATCHDOG.remove(self._watch)
        self._inner.close()

    async def aclose(self) -> None:
        _WATCHDOG.remove(self._watch)
        await self._inner.aclose()
