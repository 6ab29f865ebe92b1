"""Path-like note addresses and the client's home() (hand-written, per API)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from .util import quote_segment

if TYPE_CHECKING:
    from ..models import ArchiveNoteResponse, GetBucketResponse, ReadNoteResponse


class _Client(Protocol):
    """What the sync mixin needs of the generated client (mypy checks the match)."""

    def get_bucket(self) -> GetBucketResponse: ...

    def read_note(self, path: str) -> ReadNoteResponse: ...


class _AsyncClient(Protocol):
    async def get_bucket(self) -> GetBucketResponse: ...

    async def read_note(self, path: str) -> ReadNoteResponse: ...


class InvalidNoteURLError(ValueError):
    """A note address that is not inside the caller's bucket."""


class NotePath:
    """``home / "a" / "b.txt"``: each segment percent-encoded when joined."""

    def __init__(self, bucket: str, *segments: str) -> None:
        if not bucket:
            raise InvalidNoteURLError("empty bucket")
        self.bucket = bucket
        self.segments = segments

    def __truediv__(self, segment: str) -> NotePath:
        try:
            quote_segment(segment)
        except ValueError as exc:
            raise InvalidNoteURLError(str(exc)) from None
        return NotePath(self.bucket, *self.segments, segment)

    def __str__(self) -> str:
        return "/".join([self.bucket, *(quote_segment(s) for s in self.segments)])

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, NotePath) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class NotesMixin:
    """Methods of ``Notes`` written by hand."""

    def home(self: _Client) -> NotePath:
        return NotePath(self.get_bucket().bucket)

    def read(self: _Client, path: NotePath) -> str:
        return self.read_note(str(path)).text or ""


class AsyncNotesMixin:
    """Methods of ``AsyncNotes`` written by hand."""

    async def home(self: _AsyncClient) -> NotePath:
        return NotePath((await self.get_bucket()).bucket)

    async def read(self: _AsyncClient, path: NotePath) -> str:
        return (await self.read_note(str(path))).text or ""


class _Archive(Protocol):
    def archive_raw(self, path: str) -> ArchiveNoteResponse: ...


class _AsyncArchive(Protocol):
    async def archive_raw(self, path: str) -> ArchiveNoteResponse: ...


class ArchiveMixin:
    """Methods of ``client.archive`` written by hand (a resource mixin)."""

    def put_away(self: _Archive, path: NotePath) -> str:
        return self.archive_raw(str(path)).text or ""


class AsyncArchiveMixin:
    """Methods of the async ``client.archive`` written by hand."""

    async def put_away(self: _AsyncArchive, path: NotePath) -> str:
        return (await self.archive_raw(str(path))).text or ""
