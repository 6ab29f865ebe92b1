"""Progress callbacks for uploads and downloads: ``callback(bytes_done, bytes_total)``.

Design notes
------------
* An upload's progress is its request body's: ``ProgressStream`` wraps the built
  request's stream (multipart or raw content, sync or async) and reports after each
  chunk handed to the connection; the total is the request's ``Content-Length``.  A
  retry builds a new request, so its count starts again at 0.
* A download's progress is reported by ``BinaryResponse`` as chunks are read; the
  total is the response's ``Content-Length`` when the body is not content-encoded
  (then the length is of the encoded bytes, not of what the caller gets), else
  ``None``.
* A callback runs in the caller's thread (or task); an exception it raises ends the
  transfer and propagates.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx

__all__ = ["Progress", "ProgressStream", "body_total", "watch_upload"]

Progress = Callable[[int, "int | None"], object]
"""``callback(bytes_done, bytes_total)``; the total is ``None`` when unknown."""


def _length(headers: httpx.Headers) -> int | None:
    value = headers.get("content-length")
    return int(value) if value is not None and value.isdigit() else None


def body_total(response: httpx.Response) -> int | None:
    """The byte count a download's reader will see, when the response says."""
    if response.headers.get("content-encoding", "identity") != "identity":
        return None
    return _length(response.headers)


class ProgressStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A request body that reports each chunk sent to ``progress``."""

    def __init__(self, inner: Any, progress: Progress, total: int | None) -> None:
        self._inner = inner
        self._progress = progress
        self._total = total

    def __iter__(self) -> Iterator[bytes]:
        done = 0
        self._progress(0, self._total)
        for chunk in self._inner:
            yield chunk
            done += len(chunk)
            self._progress(done, self._total)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        done = 0
        self._progress(0, self._total)
        async for chunk in self._inner:
            yield chunk
            done += len(chunk)
            self._progress(done, self._total)

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()

    async def aclose(self) -> None:
        aclose = getattr(self._inner, "aclose", None)
        if aclose is not None:
            await aclose()


def watch_upload(request: httpx.Request, progress: Progress) -> None:
    """Make ``request``'s body report its progress as it is sent."""
    request.stream = ProgressStream(request.stream, progress, _length(request.headers))
