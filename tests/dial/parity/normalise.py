"""Recorded requests reduced to what wire parity compares, and a readable diff.

Design notes
------------
* ``NormalisedRequest`` keeps exactly what issue 7's parity bullet names: method, raw path
  (only the hex case of ``%xx`` escapes normalised), query (decoded pairs; stable-sorted by
  name so two clients that order different names differently still match, while repeated
  names keep their wire order), the body as parsed JSON (dict equality ignores key order),
  multipart parts (name, filename, part Content-Type, bytes - the boundary never appears),
  or raw bytes, and an allow-list of headers compared case-insensitively by name
  (``api-key``, ``authorization``, ``content-type`` with the boundary replaced by
  ``<boundary>``, ``if-match``, ``if-none-match``, ``x-dial-client-channel-id``).
  User-Agent, Accept and openai's ``X-Stainless-*`` differ by design and are left out.
* ``to_dict``/``from_dict`` give a JSON form (bytes as ``{"utf8": ...}`` or ``{"base64":
  ...}``) for the stored reference recordings; ``diff`` explains a mismatch line by line.
* ``Deviation`` is how a case says "our client deliberately sends something else here":
  ``apply_deviations`` rewrites the reference into what we expect from our client, so the
  comparison stays exact everywhere else.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.dial.servers.multipart import MultipartError, boundary_of, parse_multipart
from tests.servers.wire import RecordedRequest

__all__ = [
    "COMPARED_HEADERS",
    "Deviation",
    "NormalisedPart",
    "NormalisedRequest",
    "apply_deviations",
    "diff",
    "normalise",
    "normalise_all",
]

COMPARED_HEADERS = (
    "api-key",
    "authorization",
    "content-type",
    "if-match",
    "if-none-match",
    "x-dial-client-channel-id",
)
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_BOUNDARY = re.compile(r"(boundary=)(\"[^\"]*\"|[^;\s]+)", re.IGNORECASE)


@dataclass(frozen=True)
class NormalisedPart:
    name: str | None
    filename: str | None
    content_type: str | None
    content: bytes


@dataclass(frozen=True)
class NormalisedRequest:
    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body_kind: str = "empty"  # empty | json | multipart | bytes
    json: Any = None
    parts: tuple[NormalisedPart, ...] = ()
    body: bytes = b""  # for body_kind "bytes" only

    def summary(self) -> str:
        q = "&".join(f"{k}={v}" for k, v in self.query)
        return f"{self.method} {self.path}{'?' + q if q else ''}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "path": self.path,
            "query": [list(p) for p in self.query],
            "headers": [list(h) for h in self.headers],
            "body_kind": self.body_kind,
        }
        if self.body_kind == "json":
            out["json"] = self.json
        elif self.body_kind == "multipart":
            out["parts"] = [
                {
                    "name": p.name,
                    "filename": p.filename,
                    "content_type": p.content_type,
                    "content": _bytes_out(p.content),
                }
                for p in self.parts
            ]
        elif self.body_kind == "bytes":
            out["body"] = _bytes_out(self.body)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NormalisedRequest:
        return cls(
            method=d["method"],
            path=d["path"],
            query=tuple((k, v) for k, v in d["query"]),
            headers=tuple((k, v) for k, v in d["headers"]),
            body_kind=d["body_kind"],
            json=d.get("json"),
            parts=tuple(
                NormalisedPart(p["name"], p["filename"], p["content_type"], _bytes_in(p["content"]))
                for p in d.get("parts", ())
            ),
            body=_bytes_in(d["body"]) if "body" in d else b"",
        )


def _bytes_out(b: bytes) -> dict[str, str]:
    try:
        return {"utf8": b.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(b).decode()}


def _bytes_in(d: dict[str, str]) -> bytes:
    return d["utf8"].encode() if "utf8" in d else base64.b64decode(d["base64"])


def _content_type(value: str) -> str:
    return _BOUNDARY.sub(r"\1<boundary>", value)


def normalise(rec: RecordedRequest, headers: Iterable[str] = COMPARED_HEADERS) -> NormalisedRequest:
    wanted = {h.lower() for h in headers}
    kept = sorted(
        (k, _content_type(v) if k == "content-type" else v) for k, v in rec.headers if k in wanted
    )
    query = tuple(sorted(rec.query, key=lambda kv: kv[0]))
    path = _ESCAPE.sub(lambda m: m.group(0).upper(), rec.raw_path)
    base = NormalisedRequest(rec.method, path, query, tuple(kept))
    ctype = rec.header("content-type")
    if not rec.body:
        return base
    boundary = boundary_of(ctype)
    if boundary and (ctype or "").lower().startswith("multipart/form-data"):
        try:
            parts = parse_multipart(rec.body, boundary)
        except MultipartError:
            return dataclasses.replace(base, body_kind="bytes", body=rec.body)
        return dataclasses.replace(
            base,
            body_kind="multipart",
            parts=tuple(
                NormalisedPart(p.name, p.filename, p.content_type, p.content) for p in parts
            ),
        )
    try:
        return dataclasses.replace(base, body_kind="json", json=json.loads(rec.body))
    except ValueError:
        return dataclasses.replace(base, body_kind="bytes", body=rec.body)


def normalise_all(log: Sequence[RecordedRequest]) -> list[NormalisedRequest]:
    return [normalise(r) for r in log]


@dataclass(frozen=True)
class Deviation:
    """Request ``index`` of a case: our client sends ``ours`` for ``field`` instead, because
    ``why`` (a section of ``shared/reference/dial.md`` §14 and what is wrong there)."""

    index: int
    field: str  # a NormalisedRequest field name ("path", "query", "json", ...), or "insert":
    # ``ours`` is a whole NormalisedRequest our client sends at ``index`` and aidial-client
    # never does (its call failed before sending)
    ours: Any
    why: str = field(default="", compare=False)


def apply_deviations(
    reference: Sequence[NormalisedRequest], deviations: Iterable[Deviation]
) -> list[NormalisedRequest]:
    """The reference recording rewritten into what our client is expected to send."""
    out = list(reference)
    for d in deviations:
        if d.field == "insert":
            out.insert(d.index, d.ours)
        else:
            out[d.index] = dataclasses.replace(out[d.index], **{d.field: d.ours})
    return out


def diff(
    expected: Sequence[NormalisedRequest],
    actual: Sequence[NormalisedRequest],
    labels: tuple[str, str] = ("reference", "ours"),
) -> str:
    """Readable differences between two request lists; "" when they are equal."""
    lines: list[str] = []
    if len(expected) != len(actual):
        lines.append(f"request count: {len(expected)} ({labels[0]}) != {len(actual)} ({labels[1]})")
    for i, (a, b) in enumerate(zip(expected, actual, strict=False)):
        if a == b:
            continue
        lines.append(f"#{i} {a.summary()}  vs  {b.summary()}")
        for f in dataclasses.fields(NormalisedRequest):
            va, vb = getattr(a, f.name), getattr(b, f.name)
            if va != vb:
                lines.append(f"    {f.name}: {va!r}\n    {' ' * len(f.name)}  != {vb!r}")
    for i in range(min(len(expected), len(actual)), max(len(expected), len(actual))):
        rec, who = (expected[i], labels[0]) if i < len(expected) else (actual[i], labels[1])
        lines.append(f"#{i} only in {who}: {rec.summary()}")
    return "\n".join(lines)
