"""DIAL Core's storage, in memory: resource descriptors, items, ETags, folder listings.

Design notes
------------
* Addressing follows Core's ``ResourceDescriptorFactory.fromEncoded``: the path after
  ``{group}/{bucket}/`` is split on ``/`` *while still percent-encoded*, every segment is
  decoded on its own, and a segment that decodes to nothing, or to a string with ``/``,
  ``{``, ``}`` or a control character, is a 400 ("Invalid path provided ...").  So
  ``a%2Fb`` is one (invalid) segment, never two, and ``a//b`` is refused.  A trailing
  ``/`` (and nothing else) makes the descriptor a folder; an empty path is the bucket root.
* URLs in answers are re-encoded per segment like Core's Guava path-segment escaper
  (``A-Za-z0-9-._~!$&'()*+,;=:@`` kept, everything else ``%XX`` of UTF-8), while ``name``
  and ``parentPath`` are decoded.
* ETags are the MD5 hex of the content (the seed's example shows such a value, unquoted).
  Conditional headers follow Core's ``EtagHeader``: nothing is checked when the resource
  does not exist; ``If-Match`` (a list, quotes stripped, ``*`` = any) must contain the
  current tag, else 412; ``If-None-Match: *`` on an existing resource is 412 ("Resource
  already exists") - 304 for GET/HEAD.
* Listings follow ``ResourceService.getFolderMetadata``: entries sorted by key, a
  non-recursive listing shows the immediate items plus one FOLDER entry per sub-folder, a
  recursive one shows items at every depth and no folders; ``limit`` caps the page and
  ``nextToken`` is the (encoded) key of the last entry returned.  An empty folder other
  than the bucket root does not exist (None -> 404).
* Everything is guarded by one lock: the fake is served from uvicorn's loop but tests
  seed and inspect it from their own thread.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

__all__ = [
    "GROUPS",
    "Item",
    "Resource",
    "StorageError",
    "Store",
    "encode_segment",
    "parse_resource",
]

GROUPS = {"files": "FILE", "prompts": "PROMPT", "conversations": "CONVERSATION"}
_SEGMENT_SAFE = "-._~!$&'()*+,;=:@"
MAX_PATH_BYTES = 900


class StorageError(Exception):
    """A Core storage answer other than 200: ``message`` None means an empty body."""

    def __init__(
        self, status: int, message: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message or str(status))
        self.status = status
        self.message = message
        self.headers = headers or {}


def encode_segment(segment: str) -> str:
    return quote(segment, safe=_SEGMENT_SAFE)


@dataclass(frozen=True)
class Resource:
    """A resource descriptor: ``files/{bucket}/{parents...}/{name}[/]``."""

    group: str  # files | prompts | conversations
    bucket: str
    path: tuple[str, ...]  # decoded segments; () is the bucket root
    is_folder: bool

    @property
    def name(self) -> str | None:
        return self.path[-1] if self.path else None

    @property
    def parent_path(self) -> str | None:
        return "/".join(self.path[:-1]) or None

    @property
    def key(self) -> str:
        """Decoded key inside the bucket (folders end with ``/``); used for sorting and tokens."""
        return "/".join(self.path) + ("/" if self.is_folder and self.path else "")

    @property
    def url(self) -> str:
        tail = "/".join(encode_segment(s) for s in self.path)
        if self.path and self.is_folder:
            tail += "/"
        return f"{self.group}/{self.bucket}/{tail}"

    def child(self, segment: str, is_folder: bool) -> Resource:
        return Resource(self.group, self.bucket, (*self.path, segment), is_folder)


def _valid_segment(segment: str) -> bool:
    return bool(segment) and not any(c in "/{}" or ord(c) <= 0x1F for c in segment)


def parse_resource(group: str, bucket: str, encoded_path: str) -> Resource:
    """Core's ``fromEncoded``: raises StorageError(400) for an invalid path."""
    is_folder = encoded_path == "" or encoded_path.endswith("/")
    raw = encoded_path[:-1] if encoded_path.endswith("/") else encoded_path
    segments = tuple(unquote(s, errors="strict") for s in raw.split("/")) if raw else ()
    if not all(_valid_segment(s) for s in segments):
        raise StorageError(400, f"Invalid path provided {encoded_path or '/'}")
    res = Resource(group, bucket, segments, is_folder)
    if len(f"{bucket}/{group}/{res.key}".encode()) > MAX_PATH_BYTES:
        raise StorageError(400, f"Resource path exceeds max allowed size: {MAX_PATH_BYTES}")
    return res


@dataclass
class Item:
    content: bytes
    content_type: str
    etag: str
    created_at: int
    updated_at: int
    author: str | None = None


def _tags(value: str) -> set[str]:
    return {t.strip().strip('"') for t in value.split(",") if t.strip()}


def check_etag(
    current: str | None, if_match: str | None, if_none_match: str | None, method: str
) -> None:
    """Core's EtagHeader.validate (a missing resource passes every condition)."""
    if current is None:
        return
    if if_match is not None and if_match.strip() not in ("", "*"):
        if current not in _tags(if_match):
            raise StorageError(412, f"If-match condition is failed for etag: {current}")
    if if_none_match is not None and if_none_match.strip():
        read = method in ("GET", "HEAD")
        if if_none_match.strip() == "*":
            raise (
                StorageError(304, None, {"etag": current})
                if read
                else StorageError(412, "Resource already exists")
            )
        if current in _tags(if_none_match):
            if read:
                raise StorageError(304, None, {"etag": current})
            raise StorageError(412, f"if-none-match condition is failed for etag: {current}")


@dataclass
class Store:
    """All stored resources, keyed by (group, bucket, decoded path)."""

    items: dict[tuple[str, str, tuple[str, ...]], Item] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    max_file_size: int | None = None  # bytes; None = unlimited (Core answers 413 above it)
    _last_ms: int = 0

    def reset(self) -> None:
        with self.lock:
            self.items.clear()
            self.max_file_size = None

    def now(self) -> int:
        """Milliseconds, strictly increasing (two writes never share a timestamp)."""
        with self.lock:
            self._last_ms = max(int(time.time() * 1000), self._last_ms + 1)
            return self._last_ms

    # ------------------------------------------------------------------ items
    def get(self, res: Resource) -> Item | None:
        with self.lock:
            return None if res.is_folder else self.items.get((res.group, res.bucket, res.path))

    def put(
        self,
        res: Resource,
        content: bytes,
        content_type: str,
        *,
        if_match: str | None = None,
        if_none_match: str | None = None,
        author: str | None = None,
    ) -> Item:
        with self.lock:
            old = self.get(res)
            check_etag(old.etag if old else None, if_match, if_none_match, "PUT")
            now = self.now()
            item = Item(
                content=content,
                content_type=content_type,
                etag=hashlib.md5(content).hexdigest(),  # noqa: S324 - an ETag, not security
                created_at=old.created_at if old else now,
                updated_at=now,
                author=author,
            )
            self.items[(res.group, res.bucket, res.path)] = item
            return item

    def delete(self, res: Resource, if_match: str | None = None) -> bool:
        with self.lock:
            old = self.get(res)
            if old is None:
                return False
            check_etag(old.etag, if_match, None, "DELETE")
            del self.items[(res.group, res.bucket, res.path)]
            return True

    def copy(self, src: Resource, dst: Resource, overwrite: bool) -> bool:
        """False when ``dst`` exists and ``overwrite`` is off (Core's copyResource)."""
        with self.lock:
            item = self.get(src)
            if item is None:
                raise StorageError(400, f"Source resource {src.url} does not exist")
            if self.get(dst) is not None and not overwrite:
                return False
            now = self.now()
            self.items[(dst.group, dst.bucket, dst.path)] = Item(
                item.content, item.content_type, item.etag, now, now, item.author
            )
            return True

    # ------------------------------------------------------------------ metadata
    def item_metadata(self, res: Resource, item: Item) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "name": res.name,
            "parentPath": res.parent_path,
            "bucket": res.bucket,
            "url": res.url,
            "nodeType": "ITEM",
            "resourceType": GROUPS[res.group],
            "createdAt": item.created_at,
            "updatedAt": item.updated_at,
            "etag": item.etag,
            "author": item.author,
        }
        if res.group == "files":
            meta["contentLength"] = len(item.content)
            meta["contentType"] = item.content_type
        return {k: v for k, v in meta.items() if v is not None}

    def _folder_entry(self, res: Resource) -> dict[str, Any]:
        meta = {
            "name": res.name,
            "parentPath": res.parent_path,
            "bucket": res.bucket,
            "url": res.url,
            "nodeType": "FOLDER",
            "resourceType": GROUPS[res.group],
        }
        return {k: v for k, v in meta.items() if v is not None}

    def _entries(self, folder: Resource, recursive: bool) -> list[tuple[str, Resource]]:
        depth = len(folder.path)
        found: dict[str, Resource] = {}
        for (group, bucket, path), _ in self.items.items():
            if group != folder.group or bucket != folder.bucket or path[:depth] != folder.path:
                continue
            if len(path) == depth:
                continue  # an item with the folder's own name is not inside it
            if recursive or len(path) == depth + 1:
                res = Resource(group, bucket, path, False)
            else:
                res = Resource(group, bucket, path[: depth + 1], True)
            found[res.key] = res
        return sorted(found.items())

    def metadata(
        self, res: Resource, *, token: str | None, limit: int, recursive: bool
    ) -> dict[str, Any] | None:
        """Item metadata, or a folder listing page; None when it does not exist."""
        with self.lock:
            if not res.is_folder:
                item = self.get(res)
                return None if item is None else self.item_metadata(res, item)
            entries = self._entries(res, recursive)
            if not entries and res.path:
                return None
            if token:
                marker = unquote(token)
                entries = [(k, r) for k, r in entries if k > marker]
            page = entries[:limit]
            out = self._folder_entry(res)
            out["items"] = [
                self._folder_entry(r) if r.is_folder else self.item_metadata(r, self.get(r))  # type: ignore[arg-type]
                for _, r in page
            ]
            if limit and len(entries) > limit:
                out["nextToken"] = quote(page[-1][0], safe="/")
            return out

    # ------------------------------------------------------------------ test helpers
    def paths(self, group: str = "files", bucket: str | None = None) -> list[str]:
        """Decoded keys of every stored item of ``group`` (optionally one bucket), sorted."""
        with self.lock:
            return sorted(
                f"{b}/{'/'.join(p)}"
                for (g, b, p) in self.items
                if g == group and (bucket is None or b == bucket)
            )
