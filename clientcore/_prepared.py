"""``Prepared``: a call's request, encoded once; and the action that sends it.

Design notes
------------
* ``BaseClient._prepare`` encodes a call's arguments once (URL with its query string,
  headers, body bytes, multipart parts, the timeout as httpx's extension) and every
  attempt reuses them; with them travel the operation, the unencoded body (its
  idempotency key decides whether a retry is safe) and the retries allowed.
* Sending is the one action every call takes, so it is this object itself rather
  than an action made per attempt: the flow sets ``request`` (the attempt's
  ``httpx.Request``) and ``stream``, and yields it (``_actions``).  It goes to the
  operation's named transport, or the client's httpx client when it names none or
  the transport declines it (its ``send`` returns ``None``: ``_transport``).
* Under a deadline (``_deadline``) a plain call's body is read here, watched, rather
  than by httpx inside ``send``: same bytes, but a trickle cannot outlive the call.
"""

from __future__ import annotations

from collections.abc import Awaitable

import httpx

from ._actions import Action, AsyncIO, SyncIO
from ._config import Operation
from ._deadline import WatchedStream, watch
from ._progress import Progress
from ._types import FileTypes

__all__ = ["Prepared"]


class Prepared(Action):
    """A call's request, encoded once and reused unchanged by every attempt: the wire
    values, plus the operation, the unencoded body (its idempotency key makes a retry
    safe) and the number of retries allowed.

    It is also the action that sends an attempt: a flow sets ``request`` (built from
    these values) and ``stream`` and yields it; the result is the ``httpx.Response``
    from the operation's transport (``None``: the client's httpx client)."""

    __slots__ = (
        "op",
        "url",
        "headers",
        "static",
        "content",
        "files",
        "data",
        "timeout",
        "path",
        "body",
        "retries",
        "request",
        "stream",
        "total",
        "deadline",
        "window",
        "progress",
    )

    def __init__(
        self,
        op: Operation,
        url: str,
        headers: httpx.Headers,
        static: bool,
        content: bytes | None,
        files: list[tuple[str, FileTypes]] | None,
        data: dict[str, str | list[str]] | None,
        timeout: dict[str, float | None],
        path: str,
        body: object,
        retries: int,
        total: float | None = None,
    ) -> None:
        self.op = op
        self.url = url
        self.headers = headers
        self.static = static  # ``headers`` is the client's cached object for its security
        self.content = content
        self.files = files
        self.data = data
        self.timeout = timeout
        self.path = path
        self.body = body
        self.retries = retries
        self.stream = False
        self.total = total  # the whole-call deadline in seconds (``_deadline``), if any
        self.deadline: float | None = None  # its ``time.monotonic()`` end, set by the flow
        self.window = timeout  # this attempt's phase limits (``timeout`` capped on retries)
        self.progress: Progress | None = None  # an upload's callback (``_progress``)

    request: httpx.Request  # the attempt's, set by the flow before it yields this

    def run(self, io: SyncIO) -> httpx.Response:
        name = self.op.transport
        if name is not None:
            sent = io._transport(name).send(self.request, stream=self.stream)
            if sent is not None:
                return sent  # else the transport declined: the httpx client sends it
        if self.deadline is None:
            return io._http.send(self.request, stream=self.stream)
        response = io._http.send(self.request, stream=True)
        if self.stream:
            self._per_read()
            return response
        w = watch(response, self.deadline)
        if w is not None:
            response.stream = WatchedStream(response.stream, w, self.request, self.total)
        try:
            response.read()
        except BaseException:
            response.close()
            raise
        return response

    def arun(self, io: AsyncIO) -> Awaitable[httpx.Response]:
        # Without a deadline, not a coroutine of its own: the driver awaits the
        # transport's send directly.
        name = self.op.transport
        if name is not None:
            return self._atransport(io, name)
        if self.deadline is None:
            return io._http.send(self.request, stream=self.stream)
        return self._aread(io)

    async def _atransport(self, io: AsyncIO, name: str) -> httpx.Response:
        sent = await io._transport(name).send(self.request, stream=self.stream)
        if sent is not None:
            return sent
        if self.deadline is None:  # the transport declined: the httpx client sends it
            return await io._http.send(self.request, stream=self.stream)
        return await self._aread(io)

    async def _aread(self, io: AsyncIO) -> httpx.Response:
        assert self.deadline is not None
        response = await io._http.send(self.request, stream=True)
        if self.stream:
            self._per_read()
            return response
        w = watch(response, self.deadline)
        if w is not None:
            response.stream = WatchedStream(response.stream, w, self.request, self.total)
        try:
            await response.aread()
        except BaseException:
            await response.aclose()
            raise
        return response

    def _per_read(self) -> None:
        """An open stream's reads get the whole per-read limit back (a retry's phases
        were capped at the time left; the dict is the attempt's own)."""
        if self.window is not self.timeout:
            self.window["read"] = self.timeout.get("read")
