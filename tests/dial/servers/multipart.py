"""A strict, byte-exact multipart/form-data parser for the DIAL test servers.

Design notes
------------
* Why not starlette's ``Request.form()``: the parity recordings and the Core fake need the
  part exactly as sent - its raw header lines (order and case kept), the filename as the
  raw bytes between the quotes (httpx writes UTF-8 and escapes ``"`` as ``%22``; no RFC 2231
  ``filename*`` decoding), and whether a Content-Type was sent at all.  A general parser
  normalises all of that away.
* Only what a client sends is supported: ``--boundary`` delimiters, CRLF line ends, headers
  then a blank line, body up to the next ``\\r\\n--boundary``.  A body that does not follow
  that shape raises ``MultipartError`` (the fake answers 400, the recorder keeps the raw
  bytes), never a silently truncated part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MultipartError", "Part", "boundary_of", "parse_multipart"]


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data."""


@dataclass(frozen=True)
class Part:
    headers: tuple[tuple[str, str], ...]  # (lower-cased name, value) in wire order
    name: str | None  # Content-Disposition name=
    filename: str | None  # Content-Disposition filename= (raw, UTF-8 decoded); None if absent
    content_type: str | None  # the part's Content-Type header, None if not sent
    content: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)


_PARAM = re.compile(r';\s*([A-Za-z0-9_*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))')


def boundary_of(content_type: str | None) -> str | None:
    """The ``boundary`` parameter of a multipart Content-Type header, or None."""
    if not content_type or not content_type.lower().startswith("multipart/"):
        return None
    for m in _PARAM.finditer(content_type):
        if m.group(1).lower() == "boundary":
            return m.group(2) if m.group(2) is not None else m.group(3).strip()
    return None


def _disposition(value: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for m in _PARAM.finditer(value):
        params[m.group(1).lower()] = m.group(2) if m.group(2) is not None else m.group(3).strip()
    return params


def parse_multipart(body: bytes, boundary: str) -> list[Part]:
    delim = b"--" + boundary.encode("latin-1")
    if not body.startswith(delim):
        raise MultipartError("body does not start with the boundary")
    parts: list[Part] = []
    pos = len(delim)
    while True:
        if body[pos : pos + 2] == b"--":
            return parts  # closing delimiter (anything after it is epilogue)
        if body[pos : pos + 2] != b"\r\n":
            raise MultipartError(f"expected CRLF after the boundary at byte {pos}")
        pos += 2
        head_end = body.find(b"\r\n\r\n", pos)
        if head_end < 0:
            raise MultipartError("part headers are not terminated by a blank line")
        end = body.find(b"\r\n" + delim, head_end + 4)
        if end < 0:
            raise MultipartError("part is not terminated by the boundary")
        headers: list[tuple[str, str]] = []
        for line in body[pos:head_end].split(b"\r\n"):
            if not line:
                continue
            key, sep, value = line.partition(b":")
            if not sep:
                raise MultipartError(f"malformed part header line {line[:80]!r}")
            headers.append(
                (key.decode("latin-1").strip().lower(), value.decode("utf-8", "replace").strip())
            )
        disp = _disposition(next((v for k, v in headers if k == "content-disposition"), ""))
        parts.append(
            Part(
                headers=tuple(headers),
                name=disp.get("name"),
                filename=disp.get("filename"),
                content_type=next((v for k, v in headers if k == "content-type"), None),
                content=body[head_end + 4 : end],
            )
        )
        pos = end + 2 + len(delim)
