"""The Decthings envelope as a ``clientcore.BodyCodec``: JSON plus positional blobs.

Design notes
------------
* Request body: u8 blob count, varint JSON length, one varint per blob length, the JSON
  (the method's params object), then the blobs.  Response body: varint JSON length, the
  JSON (``{"result": ...}`` or ``{"error": ...}``), then ``[varint length][blob]`` pairs
  to the end.  The two framings differ on purpose (decthings.md §1.4).
* The blob count is one byte: a request with more than 255 blobs is refused before
  anything is sent (``EnvelopeError``, a ``ValueError``, which the runtime reports as the
  API's parameter error on ``body``).
* Which params travel as blobs, and where a response's blobs go, is declared per method
  in the spec (``x-body-codec-options``, handed to :meth:`Envelope.configure`): a list
  of rules for the request and one for the response, each ``{kind, at: [path], names?}``.
  The kinds:

  - ``parameters``: a ParameterProvider list; each inline parameter (``data`` a tensor
    list, or ``{"type": "data", "data": [...]}``) loses its ``data`` key and gives one
    blob of its concatenated tensors; ``{"type": "dataset", ...}`` stays JSON.
  - ``entries``: dataset writes (``[{key, data: [tensors]}]``): the JSON gets the key
    names sorted, the blobs one tensor each, entry-major in sorted-key order.  In a
    result (``{keys, indexes}`` + one tensor per index and key) it is regrouped into
    ``keys: [{name, data: [{index, data}]}]``.
  - ``keyed``: ``[{key, data: bytes}]`` in a request becomes the key list ``names``
    beside it plus one blob per key; in a result ``names`` + blobs become that list.
  - ``bytes``: one value (``bytes``, ``str`` as UTF-8, a binary file or a file tuple)
    as a blob; in a result, the next blob.
  - ``outputs`` (result): each ``{name}`` of the list gets ``data``, the tensors of its
    blob.  ``metrics`` (result): each entry of each metric gets ``data``, one tensor.
  - ``base64``: not a blob: ``str`` (UTF-8) or ``bytes`` as base64 text inside the JSON
    (FS names); in a result, base64 text back to ``bytes``.  ``*`` in its path stands
    for every item of a list.

  A rule whose path is absent from the value is skipped (optional parameters, variants).
* The JSON text is what decthings-api 0.0.4 sends (``json.dumps`` with its default
  separators and ASCII escapes), so the same call gives the same bytes; params are
  copied along the rules' paths, never changed in place.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from pydantic import BaseModel

from .tensor import DecthingsTensor, TensorFormatError, read_varint, write_varint

__all__ = [
    "ENVELOPE",
    "MAX_REQUEST_BLOBS",
    "Envelope",
    "EnvelopeError",
    "decode_frame",
    "encode_frame",
]

MEDIA_TYPE = "application/octet-stream"
MAX_REQUEST_BLOBS = 255
_KINDS = {"parameters", "entries", "keyed", "bytes", "outputs", "metrics", "base64"}


class EnvelopeError(ValueError):
    """Params or a response body that the envelope cannot carry (the message says why)."""


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, DecthingsTensor):
        raise TypeError("a DecthingsTensor outside the places this method sends as blobs")
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def encode_frame(params: object, blobs: Sequence[bytes]) -> bytes:
    """A request body: ``params`` as JSON and ``blobs`` in order."""
    if len(blobs) > MAX_REQUEST_BLOBS:
        raise EnvelopeError(
            f"{len(blobs)} blobs in one request; the envelope carries at most "
            f"{MAX_REQUEST_BLOBS} (send fewer entries or parameters per call)"
        )
    text = json.dumps(params, default=_default).encode()
    head = [bytes((len(blobs),)), write_varint(len(text))]
    head += [write_varint(len(blob)) for blob in blobs]
    return b"".join((*head, text, *blobs))


def decode_frame(content: bytes) -> tuple[Any, list[bytes]]:
    """A response body: its JSON and its blobs."""
    try:
        size, pos = read_varint(content, 0)
    except TensorFormatError:
        raise EnvelopeError("empty or truncated envelope") from None
    end = pos + size
    if end > len(content):
        raise EnvelopeError(f"envelope JSON of {size} bytes, {len(content) - pos} present")
    body = json.loads(content[pos:end])
    blobs = []
    while end < len(content):
        try:
            size, pos = read_varint(content, end)
        except TensorFormatError:
            raise EnvelopeError("truncated blob length in the envelope") from None
        end = pos + size
        if end > len(content):
            raise EnvelopeError(f"envelope blob of {size} bytes, {len(content) - pos} present")
        blobs.append(content[pos:end])
    return body, blobs


class _Rule:
    __slots__ = ("at", "kind", "names")

    def __init__(self, raw: Mapping[str, Any]) -> None:
        kind, at = raw.get("kind"), raw.get("at")
        if kind not in _KINDS or not isinstance(at, list) or not at:
            raise EnvelopeError(f"bad blob rule {dict(raw)!r}")
        self.kind: str = kind
        self.at: tuple[str, ...] = tuple(str(p) for p in at)
        self.names: str = str(raw.get("names", ""))


def _rules(raw: object) -> tuple[_Rule, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise EnvelopeError(f"blob rules are a list, not {raw!r}")
    return tuple(_Rule(r) for r in raw)


def _tensors(value: object, where: str) -> list[DecthingsTensor]:
    if not isinstance(value, (list, tuple)) or not all(
        isinstance(t, DecthingsTensor) for t in value
    ):
        raise EnvelopeError(f"{where}: expected a list of DecthingsTensor")
    return list(value)


def _as_dict(value: object) -> dict[str, Any] | None:
    if isinstance(value, BaseModel):
        dumped: dict[str, Any] = value.model_dump(by_alias=True, exclude_unset=True)
        return dumped
    if isinstance(value, Mapping):
        return dict(value)
    return None


def _copied_slots(value: Any, path: tuple[str, ...]) -> list[tuple[dict[str, Any], str]]:
    """The (parent, key) pairs ``path`` reaches, copying every dict and list on the way."""
    if not path[:-1]:
        return [(value, path[0])] if path[0] in value else []
    step, rest = path[0], path[1:]
    if step == "*":
        return []
    child = value.get(step)
    if isinstance(child, (list, tuple)) and rest[0] == "*":
        items = [_as_dict(item) for item in child]
        value[step] = [
            item if item is not None else raw for item, raw in zip(items, child, strict=True)
        ]
        out = []
        for item in items:
            if item is not None:
                out += _copied_slots(item, rest[1:]) if rest[1:] else []
        return out
    child = _as_dict(child)
    if child is None:
        return []
    value[step] = child
    return _copied_slots(child, rest)


def _content(value: object, where: str) -> bytes:
    """Bytes given as ``bytes``, ``str`` (UTF-8), a binary file, or a file tuple
    ``(name, content[, content_type])`` (``clientcore.FileTypes``)."""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, tuple) and len(value) in (2, 3):
        return _content(value[1], where)
    read = getattr(value, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, (bytes, bytearray)):
            return bytes(data)
    raise EnvelopeError(
        f"{where}: expected bytes, str or a binary file, not {type(value).__name__}"
    )


def _to_base64(value: object, where: str) -> str:
    return base64.b64encode(_content(value, where)).decode()


def _take(params: dict[str, Any], rule: _Rule, blobs: list[bytes]) -> None:
    """Apply one request rule in place on ``params`` (copied along the path)."""
    if rule.kind == "base64":
        for parent, key in _copied_slots(params, rule.at):
            parent[key] = _to_base64(parent[key], ".".join(rule.at))
        return
    parent = params
    for step in rule.at[:-1]:
        child = _as_dict(parent.get(step))
        if child is None:
            return
        parent[step] = child
        parent = child
    last = rule.at[-1]
    if last not in parent:
        return
    value = parent[last]
    where = ".".join(rule.at)
    if rule.kind == "bytes":
        content = _content(value, where)
        del parent[last]
        blobs.append(content)
    elif rule.kind == "parameters":
        parent[last] = [_parameter(p, f"{where}[{i}]", blobs) for i, p in enumerate(value)]
    elif rule.kind == "entries":
        parent[last] = _entries(value, where, blobs)
    elif rule.kind == "keyed":
        names = []
        for i, item in enumerate(value):
            item = _as_dict(item)
            if item is None or not isinstance(item.get("key"), str):
                raise EnvelopeError(f"{where}[{i}]: expected {{'key': str, 'data': bytes}}")
            names.append(item["key"])
            blobs.append(_content(item.get("data"), f"{where}[{i}].data"))
        del parent[last]
        parent[rule.names] = names
    else:
        raise EnvelopeError(f"{rule.kind} is a response rule, not a request one")


def _parameter(param: object, where: str, blobs: list[bytes]) -> object:
    item = _as_dict(param)
    if item is None or "data" not in item:
        raise EnvelopeError(f"{where}: expected {{'name': ..., 'data': ...}}")
    data = item["data"]
    inline = _as_dict(data)
    if inline is not None and inline.get("type") == "dataset":
        item["data"] = inline
        return item
    if inline is not None and inline.get("type") == "data":
        data = inline.get("data")
    tensors = _tensors(data, f"{where}.data")
    del item["data"]
    blobs.append(b"".join(t.serialize() for t in tensors))
    return item


def _entries(keys: object, where: str, blobs: list[bytes]) -> list[str]:
    if not isinstance(keys, (list, tuple)) or not keys:
        raise EnvelopeError(f"{where}: expected a non-empty list of {{'key', 'data'}}")
    by_key: dict[str, list[DecthingsTensor]] = {}
    for i, raw in enumerate(keys):
        item = _as_dict(raw)
        if item is None or not isinstance(item.get("key"), str):
            raise EnvelopeError(f"{where}[{i}]: expected {{'key': str, 'data': [DecthingsTensor]}}")
        if item["key"] in by_key:
            raise EnvelopeError(f"{where}: key {item['key']!r} given twice")
        by_key[item["key"]] = _tensors(item.get("data"), f"{where}[{i}].data")
    counts = {len(v) for v in by_key.values()}
    if len(counts) != 1:
        sizes = ", ".join(f"{k}: {len(v)}" for k, v in by_key.items())
        raise EnvelopeError(f"{where}: every key needs the same number of entries ({sizes})")
    names = sorted(by_key)
    for i in range(counts.pop()):
        for name in names:
            blobs.append(by_key[name][i].serialize())
    return names


class _Blobs:
    def __init__(self, blobs: list[bytes]) -> None:
        self.blobs = blobs
        self.next = 0

    def take(self, what: str) -> bytes:
        if self.next >= len(self.blobs):
            raise EnvelopeError(f"response has {len(self.blobs)} blobs, {what} needs more")
        blob = self.blobs[self.next]
        self.next += 1
        return blob


def _slots(value: Any, path: tuple[str, ...]) -> list[tuple[dict[str, Any], str]]:
    """The (parent, key) pairs ``path`` reaches in a decoded result (``*``: each item)."""
    if not isinstance(value, dict):
        return []
    if len(path) == 1:
        return [(value, path[0])] if path[0] in value else []
    child = value.get(path[0])
    if path[1] == "*" and isinstance(child, list):
        return [slot for item in child for slot in _slots(item, path[2:])] if path[2:] else []
    return _slots(child, path[1:])


def _place(result: dict[str, Any], rule: _Rule, blobs: _Blobs) -> None:
    """Apply one response rule in place on a decoded result."""
    if rule.kind == "base64":
        for holder, key in _slots(result, rule.at):
            try:
                holder[key] = base64.b64decode(holder[key], validate=True)
            except (binascii.Error, TypeError, ValueError):
                raise EnvelopeError(f"{'.'.join(rule.at)}: not base64 text") from None
        return
    parent: Any = result
    for step in rule.at[:-1]:
        parent = parent.get(step) if isinstance(parent, dict) else None
    last = rule.at[-1]
    if not isinstance(parent, dict):
        return
    where = ".".join(rule.at)
    try:
        if rule.kind == "bytes":
            parent[last] = blobs.take(where)
        elif rule.kind == "keyed":
            if rule.names not in parent:
                return
            names = parent.pop(rule.names)
            parent[last] = [{"key": n, "data": blobs.take(where)} for n in names]
        elif rule.kind == "outputs":
            for item in parent.get(last) or ():
                item["data"] = DecthingsTensor.deserialize_many(blobs.take(where))
        elif rule.kind == "metrics":
            for metric in parent.get(last) or ():
                for entry in metric.get("entries") or ():
                    entry["data"] = _one_tensor(blobs.take(where))
        elif rule.kind == "entries":
            if "indexes" not in parent:
                return
            names = parent.get(last) or []
            grouped: list[dict[str, Any]] = [{"name": n, "data": []} for n in names]
            for index in parent.pop("indexes"):
                for group in grouped:
                    group["data"].append({"index": index, "data": _one_tensor(blobs.take(where))})
            parent[last] = grouped
        else:
            raise EnvelopeError(f"{rule.kind} is a request rule, not a response one")
    except TensorFormatError as exc:
        raise EnvelopeError(f"{where}: {exc}") from None


def _one_tensor(blob: bytes) -> DecthingsTensor:
    tensor, end = DecthingsTensor.deserialize(blob)
    if end != len(blob):
        raise EnvelopeError(f"blob holds {len(blob) - end} bytes after its tensor")
    return tensor


class Envelope:
    """``clientcore.BodyCodec`` for the envelope; ``configure(options)`` per method."""

    content_type = MEDIA_TYPE
    accept = MEDIA_TYPE

    def __init__(self, request: tuple[_Rule, ...] = (), response: tuple[_Rule, ...] = ()) -> None:
        self._request = request
        self._response = response

    def configure(self, options: Mapping[str, Any]) -> Envelope:
        """The envelope of one method: its ``request`` and ``response`` blob rules."""
        unknown = set(options) - {"request", "response"}
        if unknown:
            raise EnvelopeError(f"unknown envelope options {sorted(unknown)}")
        return Envelope(_rules(options.get("request")), _rules(options.get("response")))

    def encode(self, value: object) -> bytes:
        params = _as_dict(value)
        if params is None:
            raise EnvelopeError(f"params are an object, not {type(value).__name__}")
        blobs: list[bytes] = []
        for rule in self._request:
            _take(params, rule, blobs)
        return encode_frame(params, blobs)

    def decode(self, content: bytes) -> object:
        body, blobs = decode_frame(content)
        result = body.get("result") if isinstance(body, dict) else None
        if isinstance(result, dict) and self._response:
            taken = _Blobs(blobs)
            for rule in self._response:
                _place(result, rule, taken)
        return body

    def __repr__(self) -> str:
        return f"Envelope(request={len(self._request)} rules, response={len(self._response)} rules)"


ENVELOPE = Envelope()
