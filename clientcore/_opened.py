"""Responses left open for their caller: streams and downloads.

Design notes
------------
* ``Opening`` is a streamed call ready to send: its ``flow()`` sends it like any call
  (``_flow.checked``: retries, errors with the error body read) and returns the
  response with its body unread.  Sync objects drive that flow when they are made,
  async ones when they are first used.
* ``reading`` guards the caller's reads of the body: a failure while reading raises
  as the API's connection error, as the same failure before the response would.
* ``SyncClosing`` gives a sync object holding an open response ``with`` support and
  a finaliser: leaving the block, or dropping the object unclosed, releases the
  connection.  (Async objects close in ``async with`` / ``aclose()``: a finaliser
  cannot await.)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TypeVar

import httpx

from ._actions import Flow
from ._base import Client
from ._flow import checked
from ._prepared import Prepared
from ._progress import Progress

__all__ = ["Opening", "SyncClosing"]

S = TypeVar("S", bound="SyncClosing")


class Opening:
    """A prepared streamed request: ``flow()`` sends it, ``reading`` guards its body."""

    __slots__ = ("client", "prepared", "progress")

    def __init__(self, client: Client, prepared: Prepared) -> None:
        self.client = client
        self.prepared = prepared
        self.progress: Progress | None = None  # a download's callback (``_progress``)

    def flow(self) -> Flow[httpx.Response]:
        """Send with retries; the open success response (an error status raises)."""
        return checked(self.client, self.prepared, True)

    @contextlib.contextmanager
    def reading(self, response: httpx.Response) -> Iterator[None]:
        """A failure while reading ``response``'s body raises as the API's connection
        error (``APIConnectionError``), as a failure before the response would."""
        try:
            yield
        except httpx.HTTPError as exc:
            raise self.client._connection_error(exc, response.request) from exc


class SyncClosing:
    """``with`` closes it; so does the garbage collector when it is dropped unclosed."""

    __slots__ = ()

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # pragma: no cover - never raise from a finaliser
            pass
