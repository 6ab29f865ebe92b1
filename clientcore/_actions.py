"""The I/O a request flow asks for, and how each is done, blocking or awaited.

Design notes
------------
* Every call is written once, as a *flow*: a generator that does no I/O itself but
  yields an action (send this request, sleep, get the credential, read and close this
  response, close it) and is sent the action's result, or has its exception thrown
  in, exactly where it yielded.  httpx's ``Auth.auth_flow`` works the same way.
  ``_drive`` runs a flow with blocking I/O (sync clients) or awaiting it (async).
* An action carries both of its implementations, side by side: ``run`` for a sync
  client, ``arun`` for an async one.  That pair is the only place where sync and async
  differ, so the retry loop, recovery, status and result checks, parsing and error
  construction exist once, in the flows.
* The I/O side is the client, seen through ``SyncIO`` / ``AsyncIO``: its httpx client
  and named transports, its ``_sleep`` (overridable in tests), its credential (a
  callable is evaluated before every attempt; only async clients may await it).
* Sending is the action every call takes: it is the call's ``_prepared.Prepared`` request
  itself, yielded once per attempt, so the common call makes no action object at all
  (and a static credential needs no ``CREDENTIAL`` step).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, Final, Protocol, TypeAlias, TypeVar

import httpx

from ._auth import Credentials
from ._transport import AsyncTransport, SyncTransport

__all__ = [
    "CREDENTIAL",
    "Action",
    "AsyncIO",
    "Close",
    "Flow",
    "ReadClose",
    "Sleep",
    "SyncIO",
]

T = TypeVar("T")


class SyncIO(Protocol):
    """What a sync client offers the actions."""

    _credential: Credentials
    _sleep: Callable[[float], object]

    @property
    def _http(self) -> httpx.Client: ...

    def _transport(self, name: str) -> SyncTransport: ...


class AsyncIO(Protocol):
    """What an async client offers the actions."""

    _credential: Credentials
    _sleep: Callable[[float], Awaitable[object]]

    @property
    def _http(self) -> httpx.AsyncClient: ...

    def _transport(self, name: str) -> AsyncTransport: ...


class Action:
    """One piece of I/O a flow waits for."""

    __slots__ = ()

    def run(self, io: SyncIO) -> Any:
        """Do it with blocking I/O; the result the flow is sent."""
        raise NotImplementedError

    def arun(self, io: AsyncIO) -> Awaitable[Any]:
        """Do it, awaiting the I/O; the result the flow is sent."""
        raise NotImplementedError


Flow: TypeAlias = Generator[Action, Any, T]
"""A flow yields actions, is sent their results and returns ``T``."""


class Sleep(Action):
    """Wait ``seconds`` (between attempts)."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def run(self, io: SyncIO) -> None:
        io._sleep(self.seconds)

    async def arun(self, io: AsyncIO) -> None:
        await io._sleep(self.seconds)


class _GetCredential(Action):
    """The current secrets (by scheme name), evaluating callable credentials."""

    __slots__ = ()

    def run(self, io: SyncIO) -> dict[str, str | None]:
        return io._credential.get(io)

    async def arun(self, io: AsyncIO) -> dict[str, str | None]:
        return await io._credential.aget(io)


CREDENTIAL: Final = _GetCredential()


class ReadClose(Action):
    """Read a streamed response's body (to report it), then close it in any case."""

    __slots__ = ("response",)

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    def run(self, io: SyncIO) -> None:
        try:
            self.response.read()
        finally:
            self.response.close()

    async def arun(self, io: AsyncIO) -> None:
        try:
            await self.response.aread()
        finally:
            await self.response.aclose()


class Close(Action):
    """Close a streamed response unread (a failed attempt about to be retried)."""

    __slots__ = ("response",)

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    def run(self, io: SyncIO) -> None:
        self.response.close()

    async def arun(self, io: AsyncIO) -> None:
        await self.response.aclose()
