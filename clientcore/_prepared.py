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
  operation's named transport, or the client's httpx client when it names none.
"""

from __future__ import annotations

from collections.abc import Awaitable

import httpx

from ._actions import Action, AsyncIO, SyncIO
from ._config import Operation
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

    request: httpx.Request  # the attempt's, set by the flow before it yields this

    def run(self, io: SyncIO) -> httpx.Response:
        name = self.op.transport
        transport = io._http if name is None else io._transport(name)
        return transport.send(self.request, stream=self.stream)

    def arun(self, io: AsyncIO) -> Awaitable[httpx.Response]:
        # Not a coroutine of its own: the driver awaits the transport's send directly.
        name = self.op.transport
        transport = io._http if name is None else io._transport(name)
        return transport.send(self.request, stream=self.stream)
