"""Route handlers for DIAL Core's storage: files, prompts/conversations, metadata, ops.

Design notes
------------
* Each handler mirrors one Core controller (``UploadFileController``,
  ``DownloadFileController``, ``DeleteFileController``, ``FileMetadataController``,
  ``ResourceController``, ``ResourceOperationController``, ``PerRequestPermission...``):
  the same order of checks and, where the source was read, the same plain-text messages.
  Messages marked "(fake)" were not in the Core sources read and are the fake's own.
* Handlers raise ``StorageError`` for Core's ``respond(status, String)`` answers (rendered
  by ``app.py`` as plain text with no Content-Type, or an empty body when the message is
  None) and return starlette responses on success.
* Downloads are a ``StreamingResponse`` of ``download_chunk_size`` chunks with Core's
  Content-Type / Content-Length / ETag headers; an optional ``DownloadGate`` parks the
  stream after the first chunk(s) so a test can show a client did not buffer the body.
"""

from __future__ import annotations

import asyncio
import json as _json
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.responses import Response, StreamingResponse

from ..multipart import MultipartError, boundary_of, parse_multipart
from . import replies
from .state import Ctx
from .storage import GROUPS, Resource, StorageError, check_etag, parse_resource

__all__ = ["files", "grant", "metadata", "operation", "resource"]

_PERMISSIONS = ("READ", "WRITE", "SHARE")


def _resource(ctx: Ctx, group: str, bucket: str, raw_path: str) -> Resource:
    """Core's AccessControlBaseController: an unknown bucket is 400, someone else's 403
    (a principal has READ and WRITE on its own bucket and nothing elsewhere)."""
    url = f"{group}/{bucket}/{raw_path}"
    owner = ctx.state.buckets.get(bucket)
    if owner is None:
        raise StorageError(400, f"Url has invalid bucket: {url}")
    res = parse_resource(group, bucket, raw_path)
    if owner.bucket != ctx.principal.bucket:
        raise StorageError(403, f"You don't have an access to: {url}")
    return res


def _dotted(res: Resource) -> bool:
    return any(s.endswith(".") for s in res.path)


# ---------------------------------------------------------------------------- files


def files(ctx: Ctx, bucket: str, path: str) -> Response:
    method = ctx.req.method
    res = _resource(ctx, "files", bucket, path)
    if method == "GET":
        return _download(ctx, res)
    if method == "PUT":
        return _upload(ctx, res)
    if res.is_folder:
        raise StorageError(400, "Can't delete a folder")
    if not ctx.state.store.delete(res, ctx.req.header("if-match")):
        raise StorageError(404)
    return replies.empty(200)


def _upload(ctx: Ctx, res: Resource) -> Response:
    if res.is_folder:
        raise StorageError(400, "File name is missing")
    if _dotted(res):
        raise StorageError(400, "Resource name and/or parent folders must not end with .(dot)")
    store = ctx.state.store
    old = store.get(res)
    check_etag(
        old.etag if old else None,
        ctx.req.header("if-match"),
        ctx.req.header("if-none-match"),
        "PUT",
    )
    ctype = ctx.req.header("content-type")
    if ctype is None:
        raise StorageError(
            400, "Request must have a content-type header to decode a multipart request"
        )
    boundary = boundary_of(ctype)
    if not ctype.lower().startswith("multipart/form-data") or not boundary:
        raise StorageError(
            400, "Request must have a valid content-type header to decode a multipart request"
        )
    try:
        parts = parse_multipart(ctx.req.body, boundary)
    except MultipartError as exc:
        raise StorageError(400, f"Failed to upload file: {res.url} ({exc})") from None
    # Vert.x's uploadHandler fires for file parts only (those with a filename), whatever
    # the field is called; a plain field is never stored.
    upload = next((p for p in parts if p.filename is not None), None)
    if upload is None:
        raise StorageError(400, "Request must contain a file part (fake)")
    limit = store.max_file_size
    if limit is not None and len(upload.content) > limit:
        raise StorageError(413, f"File size {len(upload.content)} exceeds the limit {limit}")
    item = store.put(
        res,
        upload.content,
        upload.content_type or "application/octet-stream",
        if_match=ctx.req.header("if-match"),
        if_none_match=ctx.req.header("if-none-match"),
        author=ctx.principal.name,
    )
    return replies.json(store.item_metadata(res, item), headers={"ETag": item.etag})


def _download(ctx: Ctx, res: Resource) -> Response:
    if res.is_folder:
        raise StorageError(400, "Can't download a folder")
    item = ctx.state.store.get(res)
    if item is None:
        raise StorageError(404)
    check_etag(item.etag, ctx.req.header("if-match"), ctx.req.header("if-none-match"), "GET")
    size = max(1, ctx.state.download_chunk_size)
    gate = ctx.state.download_gate
    content = item.content

    async def chunks() -> AsyncIterator[bytes]:
        sent = 0
        for start in range(0, len(content), size):
            yield content[start : start + size]
            sent += 1
            if gate is not None and sent == gate.after_chunks and start + size < len(content):
                gate.waiting.set()
                deadline = time.monotonic() + gate.timeout
                while not gate.released.is_set() and time.monotonic() < deadline:
                    await asyncio.sleep(0.005)

    headers = {"Content-Length": str(len(content)), "ETag": item.etag}
    return StreamingResponse(chunks(), 200, headers, media_type=item.content_type)


# ---------------------------------------------------------------------------- prompts etc.


def resource(ctx: Ctx, group: str, bucket: str, path: str) -> Response:
    """``/v1/{prompts|conversations}/{bucket}/{path}``: JSON resources (ResourceController)."""
    method = ctx.req.method
    res = _resource(ctx, group, bucket, path)
    if res.is_folder:
        raise StorageError(400, f"Folder not allowed: {res.url}")
    store = ctx.state.store
    if method == "GET":
        item = store.get(res)
        if item is None:
            raise StorageError(404, f"Not found: {res.url}")
        return Response(item.content, 200, {"ETag": item.etag})
    if method == "DELETE":
        if not store.delete(res, ctx.req.header("if-match")):
            raise StorageError(404, f"Not found: {res.url}")
        return replies.empty(200)
    if _dotted(res):
        raise StorageError(400, "Resource name and/or parent folders must not end with .(dot)")
    try:
        body = _json.loads(ctx.req.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise StorageError(400, f"Invalid {GROUPS[group].lower()} body: a JSON object (fake)")
    item = store.put(
        res,
        ctx.req.body,
        "application/json",
        if_match=ctx.req.header("if-match"),
        if_none_match=ctx.req.header("if-none-match"),
        author=ctx.principal.name,
    )
    return replies.json(store.item_metadata(res, item), headers={"ETag": item.etag})


# ---------------------------------------------------------------------------- metadata


def metadata(ctx: Ctx, group: str, bucket: str, path: str) -> Response:
    res = _resource(ctx, group, bucket, path)
    try:
        limit = int(ctx.q("limit") or "100")
        if not 0 <= limit <= 1000:
            raise ValueError
    except ValueError:
        if group == "files":
            raise StorageError(400, "Limit is out of allowed range: [0, 1000]") from None
        raise StorageError(
            400,
            "Bad query parameters. Limit must be in [0, 1000] range. Recursive must be true/false",
        ) from None
    recursive = (ctx.q("recursive") or "false").lower() == "true"
    meta = ctx.state.store.metadata(res, token=ctx.q("token"), limit=limit, recursive=recursive)
    if meta is None:
        raise StorageError(404, None if group == "files" else f"Not found: {res.url}")
    if (ctx.q("permissions") or "").lower() == "true":
        meta["permissions"] = ["READ", "WRITE"]
    accept = ctx.req.header("accept") or ""
    mime = replies.METADATA_MIME if replies.METADATA_MIME in accept else "application/json"
    return replies.json(meta, media_type=mime)


# ---------------------------------------------------------------------------- ops


def _body(ctx: Ctx, bad: str) -> dict[str, Any]:
    try:
        body = _json.loads(ctx.req.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise StorageError(400, bad)
    return body


def _op_resource(ctx: Ctx, url: Any) -> Resource:
    """Core's ``ResourceDescriptorFactory.fromUrl`` for a ``{group}/{bucket}/{path}`` url."""
    if not isinstance(url, str):
        raise StorageError(400, f"Invalid resource url provided: {url!r}")
    parts = url.split("/")
    while parts and parts[-1] == "":  # Java's String.split drops trailing empty strings
        parts.pop()
    if len(parts) < 2:
        raise StorageError(400, f"Url has less than two segments: {url}")
    if url.startswith("/"):
        raise StorageError(400, f"Url must not start with /, but: {url}")
    if len(parts) == 2 and not url.endswith("/"):
        raise StorageError(400, f"Url must start with resource/bucket/, but: {url}")
    group, bucket = parts[0], parts[1]
    if group not in GROUPS:
        raise StorageError(400, f"Unsupported resource type: {group} (fake)")
    if bucket not in ctx.state.buckets:
        raise StorageError(400, f"Url has invalid bucket: {url}")
    return parse_resource(group, bucket, url[len(group) + len(bucket) + 2 :])


def operation(ctx: Ctx, op: str) -> Response:
    """``POST /v1/ops/resource/{move|copy}``; 200 with no body."""
    body = _body(
        ctx,
        "Can't initiate move resource request. Incorrect body provided"
        if op == "move"
        else "bad request body",
    )
    for key in ("sourceUrl", "destinationUrl"):
        if body.get(key) is None:
            raise StorageError(400, f"{key} must be provided")
    src, dst = _op_resource(ctx, body["sourceUrl"]), _op_resource(ctx, body["destinationUrl"])
    if src.group != dst.group:
        raise StorageError(
            400,
            "source and destination resources must be the same type"
            if op == "move"
            else "source and destination resources must have same type",
        )
    if src.url == dst.url:
        raise StorageError(
            400,
            "source and destination resources cannot be the same"
            if op == "move"
            else "source and destination resources must have different urls",
        )
    mine = ctx.principal.bucket
    if src.bucket != mine:
        raise StorageError(
            403,
            "No read and write access to source resource"
            if op == "move"
            else "No read access to source resource",
        )
    if dst.bucket != mine:
        raise StorageError(403, "No write access to destination resource")
    if src.is_folder or dst.is_folder:
        raise StorageError(
            400, f"{'Moving' if op == 'move' else 'Copying'} folders is not supported"
        )
    store = ctx.state.store
    with store.lock:
        if not store.copy(src, dst, bool(body.get("overwrite", False))):
            raise StorageError(
                400,
                f"Can't {op} resource {src.url} to {dst.url}, "
                "because destination resource already exists",
            )
        if op == "move":
            store.delete(src)
    return replies.empty(200)


def grant(ctx: Ctx) -> Response:
    """``POST /v1/ops/resource/per-request-permissions/grant`` (per-request keys only)."""
    if ctx.principal.kind != "per-request":
        raise StorageError(403, "Only per-request key is allowed to grant permissions (fake)")
    body = _body(ctx, "Invalid request body (fake)")
    perms, receiver = body.get("resourcePermissions"), body.get("receiver")
    if not isinstance(perms, list) or not perms or not isinstance(receiver, str):
        raise StorageError(400, "resourcePermissions and receiver must be provided (fake)")
    for entry in perms:
        ok = (
            isinstance(entry, dict)
            and isinstance(entry.get("url"), str)
            and isinstance(entry.get("permissions"), list)
            and all(p in _PERMISSIONS for p in entry["permissions"])
        )
        if not ok:
            raise StorageError(400, f"Invalid resource permission: {entry!r} (fake)")
        _op_resource(ctx, entry["url"])
    ctx.state.grants.append(body)
    return replies.empty(200)
