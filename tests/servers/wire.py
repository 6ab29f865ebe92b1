"""What one HTTP request looked like on the wire, as the test servers record it.

Shared by the Scale fake (``app.state.requests``) and the recorder (``Recorder.log``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

from starlette.datastructures import UploadFile
from starlette.requests import Request

__all__ = ["FormPart", "RecordedRequest", "parse_multipart", "record_request"]


@dataclass(frozen=True)
class FormPart:
    """One multipart part: files have a filename and bytes; plain fields have text."""

    name: str
    filename: str | None
    content_type: str | None
    value: bytes | str


@dataclass
class RecordedRequest:
    method: str
    raw_path: str  # exactly as sent (percent-encoding preserved), without the query
    query_string: str  # raw, as sent
    headers: list[tuple[str, str]]  # names lower-cased, wire order
    body: bytes = b""
    body_kind: str = "empty"  # empty | json | multipart | text
    json: Any = None  # parsed body when body_kind == "json"
    form: list[FormPart] = field(default_factory=list)  # when body_kind == "multipart"
    status: int | None = None  # response status, filled in once answered
    response_body: bytes = b""

    @property
    def path(self) -> str:
        return unquote(self.raw_path)

    @property
    def query(self) -> list[tuple[str, str]]:
        """Decoded (name, value) pairs in wire order (``+`` and ``%20`` both mean space)."""
        return parse_qsl(self.query_string, keep_blank_values=True)

    def header(self, name: str, default: str | None = None) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return default

    @property
    def authorization(self) -> str | None:
        return self.header("authorization")

    @property
    def parts(self) -> dict[str, tuple[str | None, str | None, bytes | str]]:
        """``{name: (filename, content_type, bytes-or-text)}`` (last one wins on repeats)."""
        return {p.name: (p.filename, p.content_type, p.value) for p in self.form}

    @property
    def response_json(self) -> Any:
        try:
            return json.loads(self.response_body)
        except ValueError:
            return None

    def summary(self) -> str:
        q = f"?{self.query_string}" if self.query_string else ""
        return f"{self.method} {self.raw_path}{q} -> {self.status}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "raw_path": self.raw_path,
            "query_string": self.query_string,
            "query": [list(p) for p in self.query],
            "headers": [list(h) for h in self.headers],
            "body_kind": self.body_kind,
            "status": self.status,
        }
        if self.body_kind == "json":
            out["json"] = self.json
        elif self.body_kind == "multipart":
            out["form"] = [
                {
                    "name": p.name,
                    "filename": p.filename,
                    "content_type": p.content_type,
                    "value": p.value.decode("latin-1") if isinstance(p.value, bytes) else p.value,
                }
                for p in self.form
            ]
        elif self.body:
            out["text"] = self.body.decode("utf-8", "replace")
        return out


def _raw_path(scope: dict[str, Any]) -> str:
    raw = scope.get("raw_path")
    if raw:
        text = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
        return text.split("?", 1)[0]
    return quote(scope.get("path", "/"))


async def parse_multipart(headers: list[tuple[bytes, bytes]], body: bytes) -> list[FormPart]:
    """Parse a multipart/form-data body with starlette's parser (python-multipart)."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {"type": "http", "method": "POST", "headers": headers, "path": "/", "query_string": b""}
    form = await Request(scope, receive).form()
    parts: list[FormPart] = []
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                parts.append(FormPart(name, value.filename, value.content_type, content))
            else:
                parts.append(FormPart(name, None, None, value))
    finally:
        await form.close()
    return parts


async def record_request(scope: dict[str, Any], body: bytes) -> RecordedRequest:
    headers = [
        (k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope.get("headers", [])
    ]
    rec = RecordedRequest(
        method=scope["method"].upper(),
        raw_path=_raw_path(scope),
        query_string=scope.get("query_string", b"").decode("latin-1"),
        headers=headers,
        body=body,
    )
    ctype = (rec.header("content-type") or "").lower()
    if not body:
        rec.body_kind = "empty"
    elif ctype.startswith("multipart/form-data"):
        rec.body_kind = "multipart"
        try:
            rec.form = await parse_multipart(scope.get("headers", []), body)
        except Exception:  # noqa: BLE001 - a malformed body is recorded as text
            rec.body_kind = "text"
    else:
        try:
            rec.json = json.loads(body)
            rec.body_kind = "json"
        except ValueError:
            rec.body_kind = "text"
    return rec
