"""A fault-injecting HTTP/1.1 server on 127.0.0.1, scripted per test.

    with FaultServer() as server:                      # binds 127.0.0.1, port 0
        server.script("GET", "/v1/task/t1", Status(503), Status(503), then=Json({...}))
        client = ScaleClient("key", base_url=server.base_url)
        ...
        assert server.count("GET", "/v1/task/t1") == 3

Design notes
------------
* Real TCP: ``asyncio.start_server`` on 127.0.0.1 (never another interface), run by
  its own event loop in a daemon thread, so sync clients (blocking the test's thread)
  and async ones (on the test's loop) talk to it alike.  Requests are parsed by
  ``protocol``; faults need the raw socket (resets, half-sent bodies), which is why
  this is not an ASGI app.
* Scripts: ``script(method, path, *behaviours, then=..., tag=...)`` queues behaviours
  for the next requests to that method and (decoded) path; each request takes the
  next one, and when the queue is empty ``then`` answers (else the server's
  ``default``).  A script may be limited to requests carrying ``x-fault-tag: <tag>``,
  so concurrent calls on one path each get their own script; an untagged script
  answers the requests no tagged one claims.
* Records: every request is logged (``requests``: method, path, query, headers, body,
  tag, the behaviour that answered, the connection it came on); ``count`` counts
  them.  Connections are counted as they are accepted and end (``open``,
  ``accepted``, ``peak`` = most open at once since ``reset_peak``, and how each ended:
  closed or reset by the server, or by the client), so tests can prove that no
  connection outlives a client and that a pool limit holds.
* A behaviour that raises, or a request the parser rejects, is kept in ``errors``
  (the fixtures assert it stays empty): a broken server must not pass for a broken
  client.
"""

from __future__ import annotations

import asyncio
import collections
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tests.faults.behaviours import Behaviour, Status
from tests.faults.protocol import Connection, ProtocolError, Request, read_request

__all__ = ["TAG_HEADER", "FaultServer", "Seen"]

LOOPBACK = "127.0.0.1"
TAG_HEADER = "x-fault-tag"

Key = tuple[str, str, "str | None"]


@dataclass(frozen=True)
class Seen:
    """One request as the server received it, and what answered it."""

    index: int
    method: str
    path: str
    query: str
    tag: str | None
    headers: tuple[tuple[str, str], ...]
    body: bytes
    behaviour: str
    connection: int

    def header(self, name: str) -> str | None:
        return dict(self.headers).get(name.lower())


@dataclass
class _Script:
    queue: collections.deque[Behaviour]
    then: Behaviour | None


@dataclass
class _Stats:
    accepted: int = 0
    open: int = 0
    peak: int = 0
    ended: collections.Counter[str] = field(default_factory=collections.Counter)


class FaultServer:
    """The server; see the module docstring.  Use it as a context manager."""

    def __init__(self, default: Behaviour | None = None) -> None:
        self.default: Behaviour = default if default is not None else Status(404)
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._scripts: dict[Key, _Script] = {}
        self._requests: list[Seen] = []
        self._stats = _Stats()
        self._connections: dict[int, Connection] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- life cycle ------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> str:
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._handle, LOOPBACK, 0, limit=1 << 17)
                )
            except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
                failure.append(exc)
                ready.set()
                return
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="fault-server", daemon=True)
        self._thread.start()
        if not ready.wait(10) or failure:
            raise RuntimeError(f"fault server did not start: {failure}")
        return self.base_url

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if loop.is_running():
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
        self._loop = self._thread = None

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        with self._lock:
            remaining = list(self._connections.values())
        for conn in remaining:
            conn.reset()
        await asyncio.sleep(0)  # let the handlers see their sockets go

    def __enter__(self) -> FaultServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- scripting -------------------------------------------------------------------

    def script(
        self,
        method: str,
        path: str,
        *behaviours: Behaviour,
        then: Behaviour | None = None,
        tag: str | None = None,
    ) -> None:
        """The next requests to ``method path`` (with ``tag``) get ``behaviours`` in
        order, then ``then`` (else the default).  Replaces an earlier script."""
        with self._lock:
            self._scripts[(method.upper(), path, tag)] = _Script(
                collections.deque(behaviours), then
            )

    def unused(self) -> dict[Key, int]:
        """Scripted behaviours no request has taken yet, per script."""
        with self._lock:
            return {k: len(s.queue) for k, s in self._scripts.items() if s.queue}

    def _take(self, request: Request, conn: Connection) -> Behaviour:
        tag = request.header(TAG_HEADER)
        with self._lock:
            script = self._scripts.get((request.method, request.path, tag))
            if script is None and tag is not None:
                script = self._scripts.get((request.method, request.path, None))
            if script is not None and script.queue:
                behaviour = script.queue.popleft()
            elif script is not None and script.then is not None:
                behaviour = script.then
            else:
                behaviour = self.default
            self._requests.append(
                Seen(
                    len(self._requests),
                    request.method,
                    request.path,
                    request.query,
                    tag,
                    tuple(request.headers),
                    request.body,
                    behaviour.label,
                    conn.number,
                )
            )
        return behaviour

    # -- records ---------------------------------------------------------------------

    @property
    def requests(self) -> list[Seen]:
        with self._lock:
            return list(self._requests)

    def count(
        self, method: str | None = None, path: str | None = None, tag: str | None = None
    ) -> int:
        """Requests received, optionally only those with this method, path and tag."""
        return sum(
            1
            for r in self.requests
            if (method is None or r.method == method.upper())
            and (path is None or r.path == path)
            and (tag is None or r.tag == tag)
        )

    def by_tag(self) -> dict[str | None, list[Seen]]:
        grouped: dict[str | None, list[Seen]] = collections.defaultdict(list)
        for seen in self.requests:
            grouped[seen.tag].append(seen)
        return dict(grouped)

    @property
    def open(self) -> int:
        with self._lock:
            return self._stats.open

    @property
    def accepted(self) -> int:
        with self._lock:
            return self._stats.accepted

    @property
    def peak(self) -> int:
        """Most connections open at once since the start or ``reset_peak``."""
        with self._lock:
            return self._stats.peak

    def ended(self) -> dict[str, int]:
        """How connections ended: ``server-close``, ``server-reset``, ``client``."""
        with self._lock:
            return dict(self._stats.ended)

    def reset_peak(self) -> None:
        with self._lock:
            self._stats.peak = self._stats.open

    def wait_for(self, condition: Callable[[FaultServer], bool], timeout: float = 5.0) -> bool:
        """Poll ``condition(self)`` until it holds or ``timeout`` passes (a condition
        wait for what the server observes, not a speed assertion)."""
        end = time.monotonic() + timeout
        while not condition(self):
            if time.monotonic() > end:
                return False
            time.sleep(0.005)
        return True

    def wait_for_open(self, at_most: int, timeout: float = 5.0) -> bool:
        """Wait until at most ``at_most`` connections are open."""
        return self.wait_for(lambda s: s.open <= at_most, timeout)

    # -- serving ---------------------------------------------------------------------

    def _ended(self, conn: Connection, how: str) -> None:
        with self._lock:
            self._stats.open -= 1
            self._stats.ended[how] += 1
            self._connections.pop(conn.number, None)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with self._lock:
            self._stats.accepted += 1
            self._stats.open += 1
            self._stats.peak = max(self._stats.peak, self._stats.open)
            conn = Connection(reader, writer, self._ended, self._stats.accepted)
            self._connections[conn.number] = conn
        try:
            while not conn.ended:
                try:
                    request = await read_request(reader)
                except (ConnectionError, OSError):
                    request = None
                if request is None:
                    conn.client_gone()
                    break
                if not await self._take(request, conn).serve(conn, request):
                    break
        except ProtocolError as exc:
            self.errors.append(f"connection {conn.number}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a server bug, reported to the test
            self.errors.append(f"connection {conn.number}: {type(exc).__name__}: {exc}")
        finally:
            if not conn.ended:
                await conn.close()

    def describe(self, seen: Iterable[Seen] | None = None) -> str:
        """The log as text, for assertion messages."""
        rows = self.requests if seen is None else list(seen)
        return "\n".join(
            f"{s.index} conn{s.connection} {s.method} {s.path} tag={s.tag} -> {s.behaviour}"
            for s in rows
        )
