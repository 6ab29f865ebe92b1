"""Comparing two recorded request logs for wire parity: ``compare`` (a readable diff, "" when
they match: method, raw path with the hex-digit case normalised, query as an ordered
multiset, strict JSON / multipart bodies, chosen headers), ``collapse_attempts`` /
``retries_in`` (runs of identical retried requests), and ``json_diff`` (strict JSON equality)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from tests.servers.wire import RecordedRequest

RETRYABLE = frozenset({408, 429} | set(range(500, 600)))


def normalise_path(raw_path: str) -> str:
    """Only the case of percent-escape hex digits is normalised (``%2f`` == ``%2F``)."""
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), raw_path)


def _query_groups(rec: RecordedRequest) -> dict[str, list[str]]:
    """Decoded pairs as an ordered multiset: per name, the values in wire order."""
    groups: dict[str, list[str]] = {}
    for k, v in rec.query:
        groups.setdefault(k, []).append(v)
    return groups


def _same_request(a: RecordedRequest, b: RecordedRequest) -> bool:
    return (
        a.method == b.method
        and normalise_path(a.raw_path) == normalise_path(b.raw_path)
        and _query_groups(a) == _query_groups(b)
        and a.body == b.body
    )


def collapse_attempts(log: Sequence[RecordedRequest]) -> list[RecordedRequest]:
    """Keep the first attempt of each run of identical requests answered 408/429/5xx."""
    out: list[RecordedRequest] = []
    for rec in log:
        if out and out[-1].status in RETRYABLE and _same_request(out[-1], rec):
            continue
        out.append(rec)
    return out


def retries_in(log: Sequence[RecordedRequest]) -> int:
    return len(log) - len(collapse_attempts(log))


def _kind(x: Any) -> str:
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "boolean"
    if isinstance(x, (int, float)):
        return "number"
    if isinstance(x, str):
        return "string"
    if isinstance(x, list):
        return "array"
    if isinstance(x, dict):
        return "object"
    return type(x).__name__


def json_diff(a: Any, b: Any, where: str = "$") -> list[str]:
    """Strict JSON equality: true != 1, null != absent, key order ignored, array order not."""
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        return [f"{where}: {ka} {a!r} != {kb} {b!r}"]
    if ka == "object":
        out = [f"{where}.{k}: only in first ({a[k]!r})" for k in a if k not in b]
        out += [f"{where}.{k}: only in second ({b[k]!r})" for k in b if k not in a]
        for k in a:
            if k in b:
                out += json_diff(a[k], b[k], f"{where}.{k}")
        return out
    if ka == "array":
        if len(a) != len(b):
            return [f"{where}: array length {len(a)} != {len(b)}: {a!r} != {b!r}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in json_diff(x, y, f"{where}[{i}]")
        ]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def _as_bytes(v: bytes | str) -> bytes:
    return v if isinstance(v, bytes) else v.encode()


def _body_diff(a: RecordedRequest, b: RecordedRequest) -> list[str]:
    if a.body_kind != b.body_kind:
        return [f"body kind: {a.body_kind} {a.body[:200]!r} != {b.body_kind} {b.body[:200]!r}"]
    if a.body_kind == "json":
        return [f"body {d}" for d in json_diff(a.json, b.json)]
    if a.body_kind == "multipart":
        out: list[str] = []
        names_a = sorted(p.name for p in a.form)
        names_b = sorted(p.name for p in b.form)
        if names_a != names_b:
            out.append(f"multipart part names: {names_a} != {names_b}")
        pb = {p.name: p for p in b.form}
        for p in a.form:
            q = pb.get(p.name)
            if q is None:
                continue
            if p.filename != q.filename:
                out.append(f"multipart {p.name!r} filename: {p.filename!r} != {q.filename!r}")
            if _as_bytes(p.value) != _as_bytes(q.value):
                out.append(f"multipart {p.name!r} content: {p.value[:80]!r} != {q.value[:80]!r}")
        return out
    if a.body != b.body:
        return [f"body: {a.body[:200]!r} != {b.body[:200]!r}"]
    return []


def compare_request(
    a: RecordedRequest, b: RecordedRequest, headers: Iterable[str] = ("authorization",)
) -> list[str]:
    out: list[str] = []
    if a.method != b.method:
        out.append(f"method: {a.method} != {b.method}")
    if normalise_path(a.raw_path) != normalise_path(b.raw_path):
        out.append(f"path: {a.raw_path} != {b.raw_path}")
    qa, qb = _query_groups(a), _query_groups(b)
    if qa != qb:
        for k in sorted(set(qa) | set(qb)):
            if qa.get(k) != qb.get(k):
                out.append(f"query {k}: {qa.get(k, '<absent>')} != {qb.get(k, '<absent>')}")
    out += _body_diff(a, b)
    for name in headers:
        ha, hb = a.header(name), b.header(name)
        if ha != hb:
            out.append(f"header {name}: {ha!r} != {hb!r}")
    return out


def compare(
    a: RecordedRequest | Sequence[RecordedRequest],
    b: RecordedRequest | Sequence[RecordedRequest],
    *,
    collapse_retries: bool = False,
    headers: Iterable[str] = ("authorization",),
    labels: tuple[str, str] = ("first", "second"),
) -> str:
    """Readable diff of two recorded requests or request sequences; "" when they match.

    Checks method, raw path (hex-digit case normalised), query (ordered multiset of decoded
    pairs), body (strict JSON equality; multipart: part names, filenames, contents) and the
    given headers (Authorization by default).
    """
    la = [a] if isinstance(a, RecordedRequest) else list(a)
    lb = [b] if isinstance(b, RecordedRequest) else list(b)
    if collapse_retries:
        la, lb = collapse_attempts(la), collapse_attempts(lb)
    headers = tuple(headers)
    lines: list[str] = []
    if len(la) != len(lb):
        lines.append(f"request count: {len(la)} ({labels[0]}) != {len(lb)} ({labels[1]})")
    for i, (ra, rb) in enumerate(itertools.zip_longest(la, lb)):
        if ra is None or rb is None:
            only, rec = (labels[1], rb) if ra is None else (labels[0], ra)
            lines.append(f"#{i}: only in {only}: {rec.summary()}")
            continue
        diffs = compare_request(ra, rb, headers)
        if diffs:
            lines.append(f"#{i} {ra.summary()}  vs  {rb.summary()}")
            lines.extend(f"    {d}" for d in diffs)
    return "\n".join(lines)
