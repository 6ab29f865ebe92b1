"""Small shared types: the ``NOT_GIVEN`` sentinel, credential and file types.

Design notes
------------
* ``NOT_GIVEN`` (not ``None``) marks "argument not passed", because ``None`` is a
  meaningful value in several places: ``timeout=None`` disables timeouts, ``json=None``
  sends a JSON ``null`` body.  It is falsy and a singleton so ``is`` checks are cheap.
* Credentials are a plain ``str`` (the common, fastest case: the auth header is
  computed once per client), or a callable evaluated before every attempt (token
  refresh).  Async clients also take an async callable.  A ``TokenSource`` fetches its
  own tokens through the client (OAuth2 client credentials, ``_oauth``).
* ``FileTypes`` mirrors httpx's accepted shapes, restricted to binary content.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import IO, Any, Final, Literal, Protocol, TypeAlias

import httpx

__all__ = [
    "NOT_GIVEN",
    "AsyncCredential",
    "FileContent",
    "FileTypes",
    "NotGiven",
    "RequestFiles",
    "SyncCredential",
    "TimeoutTypes",
    "TokenSource",
]


class NotGiven:
    """Sentinel type of ``NOT_GIVEN``: an argument the caller did not pass."""

    __slots__ = ()
    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class TokenSource(Protocol):
    """A credential that gets its own tokens with the client's HTTP client (OAuth2
    client credentials: ``clientcore.OAuth2ClientCredentials``)."""

    def token(self, client: Any) -> str: ...

    async def atoken(self, client: Any) -> str: ...

    def invalidate(self, token: str | None) -> None: ...


SyncCredential: TypeAlias = str | Callable[[], str] | TokenSource
AsyncCredential: TypeAlias = str | Callable[[], str] | Callable[[], Awaitable[str]] | TokenSource

FileContent: TypeAlias = IO[bytes] | bytes
FileTypes: TypeAlias = (
    FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
)
RequestFiles: TypeAlias = Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]]

TimeoutTypes: TypeAlias = float | httpx.Timeout | None
