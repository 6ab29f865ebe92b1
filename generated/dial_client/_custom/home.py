# Copied by codegen from specs/dial/python/home.py (sha256 316420de30bd94aa). Edit that file, not this one.
"""Client methods written by hand: the caller's bucket and home folders, DIAL URL helpers.

Design notes
------------
* ``GET /v1/bucket`` is asked once per client and cached (one cache for the bucket and
  the appdata, where aidial-client keeps two): ``my_bucket()``, ``my_files_home()``,
  ``my_prompts_home()``, ``my_conversations_home()``, ``my_appdata()`` and
  ``my_appdata_home()`` all read it.  The async client caches the same way (``await
  client.my_files_home()``); two first calls racing may both ask, and the answer is the
  same.
* Homes are ``DialPath`` objects (``files/{bucket}``): ``/`` joins segments, ``str()``
  gives the URL every ``files.*`` method accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .urls import DialPath, InvalidDialURLError, parse_url

if TYPE_CHECKING:
    from ..models import BucketResponse
    from ..resources.bucket import AsyncBucket, Bucket

__all__ = ["AppData", "AsyncDialMixin", "DialMixin"]

_APPDATA = re.compile(r"^(.+)/appdata/(.+)$")


@dataclass(frozen=True)
class AppData:
    """``appdata`` of ``GET /v1/bucket``: ``{user_bucket}/appdata/{app_name}``."""

    raw: str
    user_bucket: str
    app_name: str

    @classmethod
    def parse(cls, appdata: str) -> AppData:
        match = _APPDATA.match(appdata)
        if match is None:
            raise ValueError(f"invalid appdata {appdata!r} (expected <bucket>/appdata/<app>)")
        return cls(appdata, match.group(1), match.group(2))


def appdata_of(info: BucketResponse) -> AppData | None:
    return AppData.parse(info.appdata) if info.appdata else None


class _Sync(Protocol):
    base_url: str
    _dial_bucket_info: BucketResponse | None

    @property
    def bucket(self) -> Bucket: ...

    def _bucket_info(self) -> BucketResponse: ...

    def my_bucket(self) -> str: ...

    def my_appdata(self) -> AppData | None: ...


class _Async(Protocol):
    base_url: str
    _dial_bucket_info: BucketResponse | None

    @property
    def bucket(self) -> AsyncBucket: ...

    async def _bucket_info(self) -> BucketResponse: ...

    async def my_bucket(self) -> str: ...

    async def my_appdata(self) -> AppData | None: ...


class _URLs:
    """What both clients answer without a request."""

    base_url: str

    @property
    def api_url(self) -> str:
        """``{base_url}/v1/``: where absolute storage URLs of this DIAL start."""
        return f"{self.base_url}/v1/"

    def is_dial_url(self, url: object) -> bool:
        """Whether ``url`` names a resource of this DIAL (relative, absolute on this
        host, or a path object), checked without a request."""
        try:
            parse_url(url, self.base_url, ("files", "prompts", "conversations"))
        except InvalidDialURLError:
            return False
        return True


class DialMixin(_URLs):
    """Methods of ``Dial`` written by hand."""

    _dial_bucket_info: BucketResponse | None = None

    def _bucket_info(self: _Sync) -> BucketResponse:
        info = self._dial_bucket_info
        if info is None:
            info = self._dial_bucket_info = self.bucket.get_raw()
        return info

    def my_bucket(self: _Sync) -> str:
        """The caller's bucket (asked once per client)."""
        return self._bucket_info().bucket

    def my_files_home(self: _Sync) -> DialPath:
        """``files/{bucket}``: join paths with ``/`` (``home / "docs/a.txt"``)."""
        return DialPath("files", self.my_bucket())

    def my_prompts_home(self: _Sync) -> DialPath:
        return DialPath("prompts", self.my_bucket())

    def my_conversations_home(self: _Sync) -> DialPath:
        return DialPath("conversations", self.my_bucket())

    def my_appdata(self: _Sync) -> AppData | None:
        """The application data folder, when the caller is an application for a user."""
        return appdata_of(self._bucket_info())

    def my_appdata_home(self: _Sync) -> DialPath | None:
        """``files/{user_bucket}/appdata/{app_name}``, or ``None``."""
        data = self.my_appdata()
        return None if data is None else DialPath("files", data.raw)


class AsyncDialMixin(_URLs):
    """Methods of ``AsyncDial`` written by hand (coroutines where a request may be made)."""

    _dial_bucket_info: BucketResponse | None = None

    async def _bucket_info(self: _Async) -> BucketResponse:
        info = self._dial_bucket_info
        if info is None:
            info = self._dial_bucket_info = await self.bucket.get_raw()
        return info

    async def my_bucket(self: _Async) -> str:
        """The caller's bucket (asked once per client)."""
        return (await self._bucket_info()).bucket

    async def my_files_home(self: _Async) -> DialPath:
        """``files/{bucket}`` (``await client.my_files_home() / "docs/a.txt"``)."""
        return DialPath("files", await self.my_bucket())

    async def my_prompts_home(self: _Async) -> DialPath:
        return DialPath("prompts", await self.my_bucket())

    async def my_conversations_home(self: _Async) -> DialPath:
        return DialPath("conversations", await self.my_bucket())

    async def my_appdata(self: _Async) -> AppData | None:
        return appdata_of(await self._bucket_info())

    async def my_appdata_home(self: _Async) -> DialPath | None:
        data = await self.my_appdata()
        return None if data is None else DialPath("files", data.raw)
