"""Resource methods written by hand over the other storage operations: ``client.metadata``,
``client.prompts``, ``client.resource_permissions`` and ``client.bucket``.

Design notes
------------
* Same pattern as ``files.py``: parse the DIAL URL (``urls.parse_url``), call the
  generated ``*_raw`` method with the bucket and the encoded path.  Names and arguments
  are aidial-client's (``metadata.get(resource, relative_url)``, ``prompts.save(url,
  prompt, etag_if_match, etag_if_none_match)``, ``resource_permissions.grant(resources,
  receiver, permissions)``, ``bucket.get_bucket()``/``get_appdata()``).
* ``metadata.get`` keeps a folder's trailing slash and lists bucket roots
  (``files/B/``), for files, prompts and conversations alike.
* ``grant`` sends relative URLs (and absolute ones on this DIAL) as encoded relative
  URLs; an absolute URL on another host is sent as given (it may name a resource of
  another DIAL the receiver can reach), as aidial-client does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

import clientcore

from .._exceptions import DialParameterError
from .home import AppData, appdata_of
from .urls import DialURL, NotDialURLError, ResourceURL, parse_url

if TYPE_CHECKING:
    from .._client import AsyncDial, Dial
    from ..models import BucketResponse, FileMetadata, Prompt, ResourceItem, ResourceMetadata

__all__ = [
    "AsyncBucketMixin",
    "AsyncMetadataMixin",
    "AsyncPermissionsMixin",
    "AsyncPromptsMixin",
    "BucketMixin",
    "MetadataMixin",
    "PermissionsMixin",
    "PromptsMixin",
]

MetadataKind = Literal["files", "prompts", "conversations"]


class _Res(Protocol):
    _client: clientcore.SyncAPIClient


class _AsyncRes(Protocol):
    _client: clientcore.AsyncAPIClient


def _prompt(prompt: Prompt | Mapping[str, Any]) -> Prompt:
    """A prompt model from a model or a dict keyed by Python or wire names."""
    from ..models import Prompt

    if isinstance(prompt, Prompt):
        return prompt
    try:
        return Prompt.model_validate(dict(prompt))
    except (TypeError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        raise DialParameterError("prompt", f"not a prompt: {exc}") from None


def _query(limit: int | None, token: str | None, recursive: bool | None) -> dict[str, Any]:
    return {"limit": limit, "token": token, "recursive": recursive}


def _grant_urls(base_url: str, resources: Sequence[DialURL]) -> list[str]:
    urls: list[str] = []
    for resource in resources:
        try:
            urls.append(parse_url(resource, base_url, ("files", "prompts", "conversations")).url)
        except NotDialURLError:
            urls.append(str(resource))
    return urls


def _metadata_call(metadata: Any, kind: str, target: ResourceURL) -> tuple[Any, tuple[Any, ...]]:
    if target.path == "":
        return getattr(metadata, f"{kind}_root_raw"), (target.bucket,)
    return getattr(metadata, f"{kind}_raw"), (target.bucket, target.path)


# ---------------------------------------------------------------------------- metadata


class MetadataMixin:
    """``client.metadata.get(resource, relative_url)``: metadata or a folder's page."""

    def get(
        self: _Res,
        resource: MetadataKind,
        relative_url: DialURL,
        *,
        limit: int | None = None,
        token: str | None = None,
        recursive: bool | None = None,
    ) -> FileMetadata | ResourceMetadata:
        """Metadata of the ``resource`` ("files", "prompts" or "conversations") at
        ``relative_url``; a URL ending with ``/`` lists that folder (one page)."""
        client = cast("Dial", self._client)
        target = parse_url(relative_url, client.base_url, resource, parameter="relative_url")
        method, args = _metadata_call(client.metadata, resource, target)
        result: FileMetadata | ResourceMetadata = method(*args, **_query(limit, token, recursive))
        return result


class AsyncMetadataMixin:
    async def get(
        self: _AsyncRes,
        resource: MetadataKind,
        relative_url: DialURL,
        *,
        limit: int | None = None,
        token: str | None = None,
        recursive: bool | None = None,
    ) -> FileMetadata | ResourceMetadata:
        """Metadata of the ``resource`` at ``relative_url`` (see ``Dial.metadata.get``)."""
        client = cast("AsyncDial", self._client)
        target = parse_url(relative_url, client.base_url, resource, parameter="relative_url")
        method, args = _metadata_call(client.metadata, resource, target)
        result: FileMetadata | ResourceMetadata = await method(
            *args, **_query(limit, token, recursive)
        )
        return result


# ---------------------------------------------------------------------------- prompts


class PromptsMixin:
    """``client.prompts``: save, get, delete and metadata of prompts by DIAL URL."""

    def save(
        self: _Res,
        url: DialURL,
        prompt: Prompt | Mapping[str, Any],
        etag_if_match: str | None = None,
        etag_if_none_match: str | None = None,
    ) -> ResourceItem:
        """Store ``prompt`` (``{"id", "name", "folder_id", "content"}``) at ``url``."""
        client = cast("Dial", self._client)
        target = parse_url(url, client.base_url, "prompts").require_item()
        return client.prompts.save_raw(
            target.bucket,
            target.path,
            prompt=_prompt(prompt),
            if_match=etag_if_match,
            if_none_match=etag_if_none_match,
        )

    def get(self: _Res, url: DialURL) -> Prompt:
        client = cast("Dial", self._client)
        target = parse_url(url, client.base_url, "prompts").require_item()
        return client.prompts.get_raw(target.bucket, target.path)

    def delete(self: _Res, url: DialURL, etag_if_match: str | None = None) -> None:
        client = cast("Dial", self._client)
        target = parse_url(url, client.base_url, "prompts").require_item()
        client.prompts.delete_raw(target.bucket, target.path, if_match=etag_if_match)

    def get_metadata(
        self: _Res, url: DialURL, *, limit: int | None = None, token: str | None = None
    ) -> ResourceMetadata:
        """Metadata of a prompt, or a page of a folder of prompts (URL ending with ``/``)."""
        client = cast("Dial", self._client)
        target = parse_url(url, client.base_url, "prompts")
        method, args = _metadata_call(client.metadata, "prompts", target)
        result: ResourceMetadata = method(*args, **_query(limit, token, None))
        return result


class AsyncPromptsMixin:
    async def save(
        self: _AsyncRes,
        url: DialURL,
        prompt: Prompt | Mapping[str, Any],
        etag_if_match: str | None = None,
        etag_if_none_match: str | None = None,
    ) -> ResourceItem:
        client = cast("AsyncDial", self._client)
        target = parse_url(url, client.base_url, "prompts").require_item()
        return await client.prompts.save_raw(
            target.bucket,
            target.path,
            prompt=_prompt(prompt),
            if_match=etag_if_match,
            if_none_match=etag_if_none_match,
        )

    async def get(self: _AsyncRes, url: DialURL) -> Prompt:
        client = cast("AsyncDial", self._client)
        target = parse_url(url, client.base_url, "prompts").require_item()
        return await client.prompts.get_raw(target.bucket, target.path)

    async def delete(self: _AsyncRes, url: DialURL, etag_if_match: str | None = None) -> None:
        client = cast("AsyncDial", self._client)
        target = parse_url(url, client.base_url, "prompts").require_item()
        await client.prompts.delete_raw(target.bucket, target.path, if_match=etag_if_match)

    async def get_metadata(
        self: _AsyncRes, url: DialURL, *, limit: int | None = None, token: str | None = None
    ) -> ResourceMetadata:
        client = cast("AsyncDial", self._client)
        target = parse_url(url, client.base_url, "prompts")
        method, args = _metadata_call(client.metadata, "prompts", target)
        result: ResourceMetadata = await method(*args, **_query(limit, token, None))
        return result


# ---------------------------------------------------------------------------- permissions


class PermissionsMixin:
    def grant(
        self: _Res,
        resources: Sequence[DialURL],
        receiver: str,
        permissions: Sequence[str] = ("READ",),
    ) -> None:
        """Let ``receiver`` (a deployment) use ``resources`` for this request (needs a
        per-request key); ``permissions`` from READ, WRITE, SHARE."""
        client = cast("Dial", self._client)
        urls = _grant_urls(client.base_url, resources)
        client.resource_permissions.grant_raw(
            resource_permissions=[{"url": u, "permissions": list(permissions)} for u in urls],
            receiver=receiver,
        )


class AsyncPermissionsMixin:
    async def grant(
        self: _AsyncRes,
        resources: Sequence[DialURL],
        receiver: str,
        permissions: Sequence[str] = ("READ",),
    ) -> None:
        client = cast("AsyncDial", self._client)
        urls = _grant_urls(client.base_url, resources)
        await client.resource_permissions.grant_raw(
            resource_permissions=[{"url": u, "permissions": list(permissions)} for u in urls],
            receiver=receiver,
        )


# ---------------------------------------------------------------------------- bucket


class _Bucket(Protocol):
    def get_raw(self) -> BucketResponse: ...


class _AsyncBucket(Protocol):
    async def get_raw(self) -> BucketResponse: ...


class BucketMixin:
    """``client.bucket``: ``get_raw()`` (generated), ``get_bucket()``, ``get_appdata()``
    (each asks ``GET /v1/bucket``; ``client.my_bucket()`` caches)."""

    def get_bucket(self: _Bucket) -> str:
        return self.get_raw().bucket

    def get_appdata(self: _Bucket) -> AppData | None:
        return appdata_of(self.get_raw())


class AsyncBucketMixin:
    async def get_bucket(self: _AsyncBucket) -> str:
        return (await self.get_raw()).bucket

    async def get_appdata(self: _AsyncBucket) -> AppData | None:
        return appdata_of(await self.get_raw())
