"""Base classes of generated resources (``client.v2``, ``client.chat.completions``).

Design notes
------------
* A resource only groups methods.  It has the same calls as its client
  (``SyncCalls`` / ``AsyncCalls``: ``self._request(...)`` and the others), which go to
  the client it was made with, ``self._client``; so a generated method costs the same
  on a resource as on the client itself, and type checkers see the same overloads.
"""

from __future__ import annotations

from ._async_client import AsyncAPIClient
from ._calls import AsyncCalls, SyncCalls
from ._client import SyncAPIClient

__all__ = ["AsyncResource", "SyncResource"]


def _describe(resource: object, client: object) -> str:
    return f"<{type(resource).__name__} of {client!r}>"


class SyncResource(SyncCalls):
    """Base of generated sync resources; ``__init__(self, client)``."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return _describe(self, self._client)


class AsyncResource(AsyncCalls):
    """Base of generated async resources; ``__init__(self, client)``."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return _describe(self, self._client)
