"""v1 files: multipart upload and import by URL."""

from __future__ import annotations

from typing import Any

from ..core import Ctx, bad_request, utc
from ..store import Store
from .routing import R


def _file(s: Store, name: str, size: int, mime: str, fields: dict[str, Any]) -> dict[str, Any]:
    fid = s.new_id("file")
    created = utc(s.now())
    projects = [fields["project_name"]] if fields.get("project_name") else []
    for pn in projects:
        s.project(pn, status=400)
    f = {
        "id": fid,
        "attachment_url": f"scaledata://{fid}/{name}",
        "created_at": created,
        "updated_at": created,
        "mime_type": mime,
        "size": size,
        "filename": name,
        "project_names": projects,
    }
    for k, v in fields.items():
        if k not in ("project_name", "file"):
            f[k] = v
    s.files[fid] = f
    return f


@R("POST", "/v1/files/upload")
def upload_file(ctx: Ctx) -> Any:
    if ctx.req.body_kind != "multipart":
        raise bad_request("Expected a multipart/form-data body")
    parts = [p for p in ctx.req.form if p.name == "file" and p.filename is not None]
    if not parts:
        raise bad_request('Parameter is invalid, reason: "file" is required')
    fields = {p.name: p.value for p in ctx.req.form if p.filename is None}
    part = parts[0]
    content = part.value if isinstance(part.value, bytes) else part.value.encode()
    return _file(
        ctx.store,
        part.filename or "file",
        len(content),
        part.content_type or "application/octet-stream",
        fields,
    )


@R("POST", "/v1/files/import")
def import_file(ctx: Ctx) -> Any:
    body = ctx.obj()
    ctx.store.require(body, "file_url")
    url = body["file_url"]
    name = url.rstrip("/").rsplit("/", 1)[-1] or "file"
    rest = {k: v for k, v in body.items() if k != "file_url"}
    return _file(ctx.store, name, 0, "application/octet-stream", {**rest, "file_url": url})
