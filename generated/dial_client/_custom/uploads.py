# Copied by codegen from specs/dial/python/uploads.py (sha256 2b037e1046ee6af1). Edit that file, not this one.
"""What ``files.upload(file=...)`` accepts, as the multipart part the runtime sends.

Design notes
------------
* Accepted: ``bytes`` (also ``bytearray``/``memoryview``), ``str`` (UTF-8), a binary
  file object (``open(..., "rb")``, ``io.BytesIO``, any object with ``read``), and a
  tuple in either order: the seed's ``(filename, content_type, file)`` or aidial-client's
  ``(filename, file[, content_type])``.  The order is told from the types (the content
  is bytes or has ``read``); when both are strings, the one shaped like a MIME type
  (``type/subtype``) is the content type.
* The part is what aidial-client (httpx) sends for the same argument: bytes and unnamed
  file objects are ``filename="upload"`` with ``application/octet-stream``; a named file
  keeps its base name and the content type httpx guesses from it.  A ``None`` filename
  becomes ``upload`` too (aidial-client sends a part without one, which Core's upload
  handler does not see as a file: dial.md Q11).
* A file object is handed to httpx as is: httpx rewinds it (``seek(0)``) whenever it
  renders the body, so the same open file uploaded twice (or retried) sends its whole
  content each time, streamed rather than read into memory.
"""

from __future__ import annotations

import io
import os
import re
from typing import IO, Any, TypeAlias, cast

from clientcore import FileTypes

from .._exceptions import DialParameterError

__all__ = ["UploadFile", "file_part"]

FileContent: TypeAlias = bytes | bytearray | memoryview | str | IO[bytes]
UploadFile: TypeAlias = (
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
    | tuple[str | None, str | None, FileContent]
)
"""``files.upload(file=...)``: content, or a tuple naming it (either order)."""

_DEFAULT_NAME = "upload"
_OCTET = "application/octet-stream"
_MIME = re.compile(r"[\w.+-]+/[\w.+-]+(\s*;.*)?").fullmatch


def _is_content(value: object) -> bool:
    return isinstance(value, (bytes, bytearray, memoryview)) or hasattr(value, "read")


def _content(value: object) -> bytes | IO[bytes]:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, io.TextIOBase):
        raise DialParameterError("file", "open the file in binary mode ('rb'), not text mode")
    if hasattr(value, "read"):
        return cast(IO[bytes], value)
    raise DialParameterError(
        "file",
        f"file content must be bytes, str or a binary file object, not {type(value).__name__}",
    )


def _file_name(value: object) -> str | None:
    name = getattr(value, "name", None)
    if not isinstance(name, str) or not name:
        return None
    base = os.path.basename(name)
    return None if not base or (base.startswith("<") and base.endswith(">")) else base


def _from_tuple(value: tuple[Any, ...]) -> FileTypes:
    if len(value) == 2:
        name, content, ctype = value[0], value[1], None
    elif len(value) == 3:
        second, third = value[1], value[2]
        if _is_content(third) and not _is_content(second):
            name, ctype, content = value  # the seed's (filename, content_type, file)
        elif _is_content(second):
            name, content, ctype = value  # aidial-client's (filename, file, content_type)
        elif isinstance(second, str) and isinstance(third, str):
            seed = bool(_MIME(second)) and not _MIME(third)
            name, ctype, content = value if seed else (value[0], value[2], value[1])
        else:
            name, content, ctype = value
    else:
        raise DialParameterError(
            "file",
            "a file tuple is (filename, file), (filename, file, content_type) "
            f"or (filename, content_type, file), not {len(value)} items",
        )
    if name is not None and not isinstance(name, str):
        raise DialParameterError("file", f"a filename is a str, not {type(name).__name__}")
    if ctype is not None and not isinstance(ctype, str):
        raise DialParameterError("file", f"a content type is a str, not {type(ctype).__name__}")
    data = _content(content)
    filename = name or _DEFAULT_NAME
    if ctype is None:  # httpx guesses it from the filename, as for aidial-client
        return (filename, data)
    return (filename, data, ctype)


def file_part(file: UploadFile) -> FileTypes:
    """The multipart ``file`` part for ``file`` (a ``DialParameterError`` when unusable)."""
    if isinstance(file, tuple):
        return _from_tuple(file)
    data = _content(file)
    if isinstance(data, bytes):
        return (_DEFAULT_NAME, data, _OCTET)
    name = _file_name(data)
    if name is None:
        return (_DEFAULT_NAME, data, _OCTET)
    return (name, data)
