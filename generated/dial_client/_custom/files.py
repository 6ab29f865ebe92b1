# Copied by codegen from specs/dial/python/files.py (sha256 48b906c42fd64aeb). Edit that file, not this one.
"""``client.files``: upload, download, delete, metadata, move and copy by DIAL URL.

Design notes
------------
* Each method parses its URL (``urls.parse_url``: relative ``files/...``, an absolute URL
  on the client's DIAL, or a path object; every segment percent-encoded) and calls the
  generated low-level method (``upload_raw``, ``download_raw``, ``delete_raw``,
  ``client.metadata.files_raw`` / ``files_root_raw``, ``client.ops.*``), so retries,
  timeouts, auth and typed errors are the runtime's.  A bad URL raises
  ``InvalidDialURLError`` before anything is sent.
* Names and argument order are aidial-client's (``upload(url, file, etag_if_match,
  etag_if_none_match)``, ``move_to(source, destination, overwrite)``, ``get_metadata``)
  plus the seed's ``metadata``; per-call ``extra_headers``, ``timeout``, ``max_retries``
  and upload/download ``on_progress(bytes_done, bytes_total)`` come on top.
* ``download`` returns the runtime's streamed ``BinaryResponse`` (iterate its byte
  chunks, ``get_content()``, ``write_to(path)``; async: ``async for``,
  ``aget_content()``, ``awrite_to(path)``): the body is never buffered whole, and an
  error status raises the typed error from the call itself.
* A folder URL (trailing ``/``) keeps its slash for ``metadata``; the bucket root
  (``files/B/``) is listed through its own operation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast

import httpx

import clientcore
from clientcore import NOT_GIVEN, NotGiven

from .uploads import UploadFile, file_part
from .urls import DialURL, ResourceURL, parse_url

if TYPE_CHECKING:
    from .._client import Dial
    from ..models import FileItem, FileMetadata

__all__ = ["FilesMixin", "Progress", "Timeout", "item_url", "ops_urls"]

Progress = Callable[[int, "int | None"], object]
Timeout = float | httpx.Timeout | None | NotGiven


class _Files(Protocol):
    _client: clientcore.SyncAPIClient

    def upload_raw(
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

    def download_raw(
        self,
        bucket: str,
        path: str,
        *,
        if_match: str | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: Timeout = ...,
        max_retries: int | NotGiven = ...,
        on_progress: Progress | None = ...,
    ) -> clientcore.BinaryResponse: ...

    def delete_raw(
        self,
        bucket: str,
        path: str,
        *,
        if_match: str | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: Timeout = ...,
        max_retries: int | NotGiven = ...,
    ) -> None: ...


def item_url(
    client: clientcore.SyncAPIClient | clientcore.AsyncAPIClient, url: object
) -> ResourceURL:
    return parse_url(url, client.base_url, "files").require_item()


def ops_urls(client: Any, source: object, destination: object) -> tuple[str, str]:
    src = parse_url(source, client.base_url, "files", parameter="source")
    dst = parse_url(destination, client.base_url, "files", parameter="destination")
    return src.url, dst.url


class FilesMixin:
    """Methods of ``client.files`` written by hand (DIAL URLs in, typed results out)."""

    def upload(
        self: _Files,
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
        """Store ``file`` (bytes, str, a binary file object, or a tuple
        ``(filename, content_type, file)`` / ``(filename, file, content_type)``) at
        ``url``; ``etag_if_none_match="*"`` only creates, ``etag_if_match`` only replaces
        that version (else ``EtagMismatchError``)."""
        target = item_url(self._client, url)
        return self.upload_raw(
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

    def download(
        self: _Files,
        url: DialURL,
        etag_if_match: str | None = None,
        *,
        on_progress: Progress | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> clientcore.BinaryResponse:
        """The file at ``url``, streamed: iterate its byte chunks, ``get_content()`` or
        ``write_to(path)``; an error status (404, 412, ...) raises from this call."""
        target = item_url(self._client, url)
        return self.download_raw(
            target.bucket,
            target.path,
            if_match=etag_if_match,
            extra_headers=extra_headers,
            timeout=timeout,
            max_retries=max_retries,
            on_progress=on_progress,
        )

    def delete(
        self: _Files,
        url: DialURL,
        etag_if_match: str | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        """Delete the file at ``url`` (only that version with ``etag_if_match``)."""
        target = item_url(self._client, url)
        self.delete_raw(
            target.bucket,
            target.path,
            if_match=etag_if_match,
            extra_headers=extra_headers,
            timeout=timeout,
            max_retries=max_retries,
        )

    def metadata(
        self: _Files,
        url: DialURL,
        *,
        limit: int | None = None,
        token: str | None = None,
        recursive: bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> FileMetadata:
        """Metadata of the file at ``url``, or one page of the folder listing when the URL
        ends with ``/`` (``files/B/`` lists the bucket root; ``limit``, ``token`` =
        the previous page's ``next_token``; ``recursive`` lists every depth)."""
        client = cast("Dial", self._client)
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
            return client.metadata.files_root_raw(target.bucket, **options)
        return client.metadata.files_raw(target.bucket, target.path, **options)

    get_metadata = metadata

    def move_to(
        self: _Files,
        source: DialURL,
        destination: DialURL,
        overwrite: bool = False,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        """Move the file at ``source`` to ``destination`` (replacing it if ``overwrite``)."""
        client = cast("Dial", self._client)
        src, dst = ops_urls(client, source, destination)
        client.ops.move_resource(
            source_url=src,
            destination_url=dst,
            overwrite=overwrite,
            extra_headers=extra_headers,
            timeout=timeout,
            max_retries=max_retries,
        )

    def copy_to(
        self: _Files,
        source: DialURL,
        destination: DialURL,
        overwrite: bool = False,
        *,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        """Copy the file at ``source`` to ``destination`` (replacing it if ``overwrite``)."""
        client = cast("Dial", self._client)
        src, dst = ops_urls(client, source, destination)
        client.ops.copy_resource(
            source_url=src,
            destination_url=dst,
            overwrite=overwrite,
            extra_headers=extra_headers,
            timeout=timeout,
            max_retries=max_retries,
        )
