"""The async ``client.files`` written by hand: ``AsyncFilesMixin`` (see ``files.py`` for
the design; the same methods as coroutines)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast

import clientcore
from clientcore import NOT_GIVEN, NotGiven

from .files import Progress, Timeout, item_url, ops_urls
from .uploads import UploadFile, file_part
from .urls import DialURL, parse_url

if TYPE_CHECKING:
    from .._client import AsyncDial
    from ..models import FileItem, FileMetadata

__all__ = ["AsyncFilesMixin"]


class _AsyncFiles(Protocol):
    _client: clientcore.AsyncAPIClient

    async def upload_raw(
        self,
        bucket: str,
        path: str,
        *,
        file: clientcore.FileTypes,
        if_match: str | None = ...,
        if_none_match: str | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: Timeout = ...,
        max_retries: int | NotGiven = ...,
        on_progress: Progress | None = ...,
    ) -> FileItem: ...

    async def download_raw(
        self,
        bucket: str,
        path: str,
        *,
        if_match: str | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: Timeout = ...,
        max_retries: int | NotGiven = ...,
        on_progress: Progress | None = ...,
    ) -> clientcore.AsyncBinaryResponse: ...

    async def delete_raw(
        self,
        bucket: str,
        path: str,
        *,
        if_match: str | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: Timeout = ...,
        max_retries: int | NotGiven = ...,
    ) -> None: ...


class AsyncFilesMixin:
    """Methods of the async ``client.files`` written by hand (see ``FilesMixin``)."""

    async def upload(
        self: _AsyncFiles,
        url: DialURL,
        file: UploadFile,
        etag_if_match: str | None = None,
        etag_if_none_match: str | None = None,
        *,
        on_progress: Progress | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> FileItem:
        """Store ``file`` at ``url`` (see ``Dial.files.upload``)."""
        target = item_url(self._client, url)
        return await self.upload_raw(
            target.bucket,
            target.path,
            file=file_part(file),
            if_match=etag_if_match,
            if_none_match=etag_if_none_match,
            extra_headers=extra_headers,
            timeout=timeout,
            max_retries=max_retries,
            on_progress=on_progress,
        )

    async def download(
        self: _AsyncFiles,
        url: DialURL,
        etag_if_match: str | None = None,
        *,
        on_progress: Progress | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> clientcore.AsyncBinaryResponse:
        """The file at ``url``, streamed: ``async for`` its chunks, ``await
        aget_content()`` or ``await awrite_to(path)``; an error status raises here."""
        target = item_url(self._client, url)
        return await self.download_raw(
            target.bucket,
            target.path,
            if_match=etag_if_match,
            extra_headers=extra_headers,
            timeout=timeout,
            max_retries=max_retries,
            on_progress=on_progress,
        )

    async def delete(
        self: _AsyncFiles,
        url: DialURL,
        etag_if_match: str | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        """Delete the file at ``url``."""
        target = item_url(self._client, url)
        await self.delete_raw(
            target.bucket,
            target.path,
            if_match=etag_if_match,
            extra_headers=extra_headers,
            timeout=timeout,
            max_retries=max_retries,
        )

    async def metadata(
        self: _AsyncFiles,
        url: DialURL,
        *,
        limit: int | None = None,
        token: str | None = None,
        recursive: bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> FileMetadata:
        """Metadata of a file, or a page of a folder listing (URL ending with ``/``)."""
        client = cast("AsyncDial", self._client)
        target = parse_url(url, client.base_url, "files")
        options: dict[str, Any] = {
            "limit": limit,
            "token": token,
            "recursive": recursive,
            "extra_headers": extra_headers,
            "timeout": timeout,
            "max_retries": max_retries,
        }
        if target.path == "":
            return await client.metadata.files_root_raw(target.bucket, **options)
        return await client.metadata.files_raw(target.bucket, target.path, **options)

    get_metadata = metadata

    async def move_to(
        self: _AsyncFiles,
        source: DialURL,
        destination: DialURL,
        overwrite: bool = False,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        """Move the file at ``source`` to ``destination``."""
        client = cast("AsyncDial", self._client)
        src, dst = ops_urls(client, source, destination)
        await client.ops.move_resource(
            source_url=src,
            destination_url=dst,
            overwrite=overwrite,
            extra_headers=extra_headers,
            timeout=timeout,
            max_retries=max_retries,
        )

    async def copy_to(
        self: _AsyncFiles,
        source: DialURL,
        destination: DialURL,
        overwrite: bool = False,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        """Copy the file at ``source`` to ``destination``."""
        client = cast("AsyncDial", self._client)
        src, dst = ops_urls(client, source, destination)
        await client.ops.copy_resource(
            source_url=src,
            destination_url=dst,
            overwrite=overwrite,
            extra_headers=extra_headers,
            timeout=timeout,
            max_retries=max_retries,
        )
