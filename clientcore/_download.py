"""Downloads: a streamed binary response body, ``BinaryResponse`` / ``AsyncBinaryResponse``.

Design notes
------------
* ``_download`` sends like any call (retries, auth, errors) with ``stream=True`` and
  checks the status before returning: an error status raises the API's error with
  the body read (through the operation's codec) and the connection released.  On
  success the body is left unread for the caller to stream or read.
* The body is never parsed: codecs and result rules do not apply to it.
* The connection is released as soon as the body is no longer wanted: when
  ``iter_bytes`` ends or is abandoned (its ``finally``), when ``read()`` returns,
  on ``close()`` and when the context manager exits.  A sync response dropped
  unclosed is closed when collected.  A failure while reading the body raises as the
  API's connection error.
* ``iter_bytes(chunk_size)`` / ``aiter_bytes`` (and plain iteration) yield decoded
  bytes (a ``Content-Encoding`` such as gzip is undone by httpx); ``read()`` (alias
  ``get_content`` / ``aget_content``) returns them all; ``write_to`` / ``awrite_to``
  stream them into a file.  A ``progress`` callback given to the call is told
  ``(bytes_done, bytes_total)`` as chunks are read (``_progress``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import httpx

from ._actions import AsyncIO, SyncIO
from ._drive import arun, run
from ._opened import Opening, SyncClosing
from ._progress import body_total
from ._response import ResponseView

__all__ = ["AsyncBinaryResponse", "BinaryResponse"]


class _Binary(ResponseView):
    """What both binary responses show: the status line and headers."""

    __slots__ = ("http_response", "_opening")

    def __init__(self, response: httpx.Response, opening: Opening) -> None:
        self.http_response = response
        self._opening = opening

    @property
    def content_type(self) -> str | None:
        value: str | None = self.http_response.headers.get("content-type")
        return value

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] closed={self.is_closed}>"


class BinaryResponse(_Binary, SyncClosing):
    """An open binary response: iterate its bytes (``for chunk in response``), read
    them (``read()`` / ``get_content()``) or write them to a file (``write_to``); then
    it is closed."""

    __slots__ = ()

    @classmethod
    def open(cls, io: SyncIO, opening: Opening) -> BinaryResponse:
        """Send the request; the response once its status is a success."""
        return cls(run(io, opening.flow()), opening)

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks; the connection is released when this ends or is dropped."""
        response = self.http_response
        progress = self._opening.progress
        done, total = 0, body_total(response)
        try:
            with self._opening.reading(response):
                for chunk in response.iter_bytes(chunk_size):
                    if progress is not None:
                        done += len(chunk)
                        progress(done, total)
                    yield chunk
        finally:
            response.close()

    def __iter__(self) -> Iterator[bytes]:
        return self.iter_bytes()

    def read(self) -> bytes:
        """The whole body (the connection is released)."""
        if self._opening.progress is not None:
            return b"".join(self.iter_bytes())
        response = self.http_response
        try:
            with self._opening.reading(response):
                return response.read()
        finally:
            response.close()

    get_content = read

    def write_to(self, path: str | os.PathLike[str]) -> None:
        """Stream the body into the file at ``path`` (created or truncated), chunk by
        chunk: never held in memory whole."""
        with open(path, "wb") as file:
            for chunk in self.iter_bytes():
                file.write(chunk)

    def close(self) -> None:
        """Release the connection without reading the rest (idempotent)."""
        self.http_response.close()


class AsyncBinaryResponse(_Binary):
    """Async counterpart of ``BinaryResponse`` (``async for``, ``aiter_bytes``,
    ``await read()`` / ``aget_content()``, ``await awrite_to(path)``)."""

    __slots__ = ()

    @classmethod
    async def open(cls, io: AsyncIO, opening: Opening) -> AsyncBinaryResponse:
        """Send the request; the response once its status is a success."""
        return cls(await arun(io, opening.flow()), opening)

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks; the connection is released when this ends or is dropped."""
        response = self.http_response
        progress = self._opening.progress
        done, total = 0, body_total(response)
        try:
            with self._opening.reading(response):
                async for chunk in response.aiter_bytes(chunk_size):
                    if progress is not None:
                        done += len(chunk)
                        progress(done, total)
                    yield chunk
        finally:
            await response.aclose()

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.aiter_bytes()

    async def read(self) -> bytes:
        """The whole body (the connection is released)."""
        if self._opening.progress is not None:
            return b"".join([chunk async for chunk in self.aiter_bytes()])
        response = self.http_response
        try:
            with self._opening.reading(response):
                return await response.aread()
        finally:
            await response.aclose()

    aget_content = read

    async def awrite_to(self, path: str | os.PathLike[str]) -> None:
        """Stream the body into the file at ``path`` chunk by chunk (each chunk is
        written with a plain, short blocking write: a local file, not the network)."""
        with open(path, "wb") as file:
            async for chunk in self.aiter_bytes():
                file.write(chunk)

    async def close(self) -> None:
        """Release the connection without reading the rest (idempotent)."""
        await self.http_response.aclose()

    aclose = close

    async def __aenter__(self) -> AsyncBinaryResponse:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
