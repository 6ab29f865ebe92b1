"""Small shared types: the ``NOT_GIVEN`` sentinel, credential and file types.

Design notes
------------
* ``NOT_GIVEN`` (not ``None``) marks "argument not passed", because ``None`` is a
  meaningful value in several places: ``timeout=None`` disables timeouts, ``json=None``
  sends a JSON ``null`` body.  It is falsy and a singleton so ``is`` checks are cheap.
* Credentials are a plain ``str`` (the common, fastest case: the auth header is
  computed once per client), or a callable evaluated before every attempt (token
  refresh).  Async clients also take an async callable.
* ``FileTypes`` mirrors httpx's accepted shapes, restricted to binary content.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import IO, Final, Literal, TypeAlias

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

SyncCredential: TypeAlias = str | Callable[[], str]
AsyncCredential: TypeAlias = str | Callable[[], str] | Callable[[], Awaitable[str]]

FileContent: TypeAlias = IO[bytes] | bytes
FileTypes: TypeAlias = (
    FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]
)
RequestFiles: TypeAlias = Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]]

TimeoutTypes: TypeAlias = float | httpx.Timeout | None
