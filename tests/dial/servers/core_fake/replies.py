"""The three body shapes DIAL Core answers with, as starlette responses.

Design notes
------------
* ``text``: Core's own storage/metadata/ops handlers call ``respond(status, String)``,
  which writes the string with *no* Content-Type - so does this (a client must not assume
  JSON on an error).  ``empty``: ``respond(status)`` - no body at all (404 on metadata and
  downloads).  ``json``: Jackson's compact output, UTF-8 left raw, ``application/json``
  unless the caller asked for the metadata MIME type.
* ``error_json`` is DIAL's ErrorData (``{"error": {message, type, code, ...}}``), used on
  the OpenAI-compatible routes where Core passes JSON errors through.
"""

from __future__ import annotations

import json as _json
from typing import Any

from starlette.responses import Response

__all__ = ["METADATA_MIME", "empty", "error_json", "json", "text"]

METADATA_MIME = "application/vnd.dial.metadata+json"


def json(
    body: Any, status: int = 200, headers: dict[str, str] | None = None, media_type: str = ""
) -> Response:
    content = _json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(content, status, headers, media_type=media_type or "application/json")


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message.encode(), status, headers)


def empty(status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(b"", status, headers)


def error_json(
    status: int,
    message: str,
    type: str | None = "invalid_request_error",
    code: str | None = None,
    **extra: Any,
) -> Response:
    error = {"message": message, "type": type, "code": code or str(status), **extra}
    return json({"error": {k: v for k, v in error.items() if v is not None}}, status)
