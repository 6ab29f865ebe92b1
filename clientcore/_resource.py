"""Base classes of generated resources (``client.v2``, ``client.chat.completions``).

Design notes
------------
* A resource only groups methods.  Its constructor binds the client's ``_request``,
  ``_paginate`` and ``_stream`` as attributes once, so a generated method's
  ``self._request(...)`` costs no more than on the client itself, and type checkers
  see the client's overloads.
"""

from __future__ import annotations

from ._async_client import AsyncAPIClient
from ._client import SyncAPIClient

__all__ = ["AsyncResource", "SyncResource"]


class SyncResource:
    """Base of generated sync resources; ``__init__(self, client)``."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client
        self._request = client._request
        self._paginate = client._paginate
        self._stream = client._stream

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class AsyncResource:
    """Base of generated async resources; ``__init__(self, client)``."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
        self._request = client._request
        self._paginate = client._paginate
        self._stream = client._stream

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
