"""A Decthings fake: a starlette app speaking the envelope over HTTP on 127.0.0.1.

Design notes
------------
* Every method of ``specs/decthings`` answers at ``POST /{Namespace}/{method}``; the
  fake reads the spec itself (YAML, ``$ref`` resolved here), so a method the spec adds
  is served without a change here.
* It parses request envelopes with its own reader (u8 blob count, varint lengths, JSON,
  blobs) and writes responses with its own writer: it shares no code with the client's
  codec, so a framing bug on one side is not cancelled by the same bug on the other.
* By default a method answers an example of its result schema (required and optional
  properties, the first member of each union) in its *wire* form: blob-carried values
  moved out of the JSON into blobs, as the spec's ``x-body-codec-options`` say. Tests
  can script any answer (``fake.answer(path, body, blobs)``) and read every request
  (``fake.requests``).
* Tensors in answers are fixed bytes from decthings.md §2.3 (f32 ``[1.0, 2.0]``).
"""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

__all__ = ["BYTES", "TENSOR_WIRE", "Fake", "Method", "TensorMark", "example", "load_methods"]

SPEC = Path(__file__).resolve().parents[2] / "specs" / "decthings" / "openapi.yaml"
TENSOR_WIRE = bytes.fromhex("0101020000803f00000040")  # f32 [1.0, 2.0], shape [2]
BYTES = b"\x00fake\xff"
MEDIA = "application/octet-stream"


class TensorMark:
    """Where a tensor goes in an example (the ``DecthingsTensor`` schema)."""

    def __repr__(self) -> str:
        return "TENSOR"


class BytesMark:
    """Where raw bytes go in an example (a blob-carried ``bytes`` field)."""

    def __repr__(self) -> str:
        return "BYTES"


TENSOR = TensorMark()
BYTES_MARK = BytesMark()


# -- the spec ----------------------------------------------------------------------------


def _load(path: Path, cache: dict[Path, Any]) -> Any:
    if path not in cache:
        cache[path] = yaml.safe_load(path.read_text())
    return cache[path]


def _resolve(node: Any, base: Path, cache: dict[Path, Any], depth: int = 0) -> Any:
    assert depth < 60, "recursive schema"
    if isinstance(node, dict):
        if "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            file = (base.parent / target).resolve() if target else base
            value = _load(file, cache)
            for part in [p for p in pointer.split("/") if p]:
                value = value[part.replace("~1", "/").replace("~0", "~")]
            resolved = _resolve(value, file, cache, depth + 1)
            if file.name == "tensors.yaml" and pointer == "/DecthingsTensor":
                return {"x-fake": "tensor"}
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {**resolved, **rest} if rest and isinstance(resolved, dict) else resolved
        return {k: _resolve(v, base, cache, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, base, cache, depth + 1) for v in node]
    return node


@dataclass
class Method:
    namespace: str
    name: str
    python_name: str
    resource: str
    params: dict[str, Any]
    result: dict[str, Any]
    errors: list[dict[str, Any]]
    options: dict[str, Any] = field(default_factory=dict)
    transport: dict[str, Any] = field(default_factory=dict)  # x-transport-options

    @property
    def path(self) -> str:
        return f"/{self.namespace}/{self.name}"


def load_methods(spec: Path = SPEC) -> list[Method]:
    cache: dict[Path, Any] = {}
    root = _load(spec, cache)
    out = []
    for path, item in root["paths"].items():
        op = _resolve(item, spec, cache)["post"]
        namespace, name = path.strip("/").split("/")
        body = op["requestBody"]["content"][MEDIA]["schema"]
        answer = op["responses"]["200"]["content"][MEDIA]["schema"]["properties"]
        out.append(
            Method(
                namespace,
                name,
                op["x-python-name"],
                op["x-python-resource"],
                body,
                answer["result"],
                answer["error"]["oneOf"],
                op.get("x-body-codec-options", {}),
                op.get("x-transport-options") or root.get("x-transport-options") or {},
            )
        )
    return out


def error_classes(spec: Path = SPEC) -> dict[str, str]:
    """``x-errors.codes``: error code -> exception class name."""
    codes: dict[str, str] = yaml.safe_load(spec.read_text())["x-errors"]["codes"]
    return codes


# -- examples ----------------------------------------------------------------------------


def example(schema: dict[str, Any], *, optional: bool = True) -> Any:
    """A value of ``schema``: every property (or only required ones), first union member."""
    if schema.get("x-fake") == "tensor":
        return TENSOR
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "oneOf" in schema:
        return example(schema["oneOf"][0], optional=optional)
    if schema.get("format") == "binary":
        return BYTES_MARK
    kind = schema.get("type")
    if kind == "object":
        required = set(schema.get("required", ()))
        return {
            name: example(sub, optional=optional)
            for name, sub in schema.get("properties", {}).items()
            if optional or name in required
        }
    if kind == "array":
        return [example(schema["items"], optional=optional)]
    if kind == "string":
        return "s"
    if kind == "integer":
        return 3
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return True
    raise AssertionError(f"no example for {schema}")


def _at(value: Any, path: list[str]) -> tuple[Any, str] | None:
    for step in path[:-1]:
        if not isinstance(value, dict) or step not in value:
            return None
        value = value[step]
    if not isinstance(value, dict) or path[-1] not in value:
        return None
    return value, path[-1]


def wire_result(method: Method, result: Any) -> tuple[Any, list[bytes]]:
    """An example result in its wire form: (JSON, blobs), per the method's rules."""
    wire = copy.deepcopy(result)
    blobs: list[bytes] = []
    for rule in method.options.get("response", ()):
        found = _at(wire, rule["at"][:1] if "*" in rule["at"] else rule["at"])
        if found is None:
            continue
        parent, last = found
        kind = rule["kind"]
        if kind == "base64":
            for item in parent[last]:
                item[rule["at"][2]] = base64.b64encode(BYTES).decode()
        elif kind == "bytes":
            del parent[last]
            blobs.append(BYTES)
        elif kind == "keyed":
            items = parent.pop(last)
            parent[rule["names"]] = [item["key"] for item in items]
            blobs += [BYTES for _ in items]
        elif kind == "outputs":
            for item in parent[last]:
                del item["data"]
                blobs.append(TENSOR_WIRE * 2)  # two tensors in one output blob
        elif kind == "metrics":
            for metric in parent[last]:
                for entry in metric["entries"]:
                    del entry["data"]
                    blobs.append(TENSOR_WIRE)
        elif kind == "entries":
            groups = parent[last]
            parent[last] = [g["name"] for g in groups]
            parent["indexes"] = [d["index"] for d in groups[0]["data"]]
            blobs += [TENSOR_WIRE for _ in parent["indexes"] for _ in groups]
    return wire, blobs


# -- framing (independent of the client's codec) -----------------------------------------


def _varint(value: int) -> bytes:
    if value < 253:
        return bytes([value])
    if value < 2**16:
        return b"\xfd" + value.to_bytes(2, "big")
    if value < 2**32:
        return b"\xfe" + value.to_bytes(4, "big")
    return b"\xff" + value.to_bytes(8, "big")


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    first = data[pos]
    width = {253: 2, 254: 4, 255: 8}.get(first, 0)
    if not width:
        return first, pos + 1
    return int.from_bytes(data[pos + 1 : pos + 1 + width], "big"), pos + 1 + width


def parse_request(body: bytes) -> tuple[Any, list[bytes]]:
    """A request envelope: (JSON, blobs); ``ValueError`` when the framing is off."""
    count = body[0]
    size, pos = _read_varint(body, 1)
    lengths = []
    for _ in range(count):
        n, pos = _read_varint(body, pos)
        lengths.append(n)
    params = json.loads(body[pos : pos + size])
    pos += size
    blobs = []
    for n in lengths:
        blobs.append(body[pos : pos + n])
        pos += n
    if pos != len(body):
        raise ValueError(f"{len(body) - pos} bytes after the last blob")
    return params, blobs


def frame_response(body: Any, blobs: list[bytes] = ()) -> bytes:  # type: ignore[assignment]
    text = json.dumps(body).encode()
    return _varint(len(text)) + text + b"".join(_varint(len(b)) + b for b in blobs)


# -- the app -----------------------------------------------------------------------------


@dataclass
class Recorded:
    path: str
    body: bytes
    params: Any
    blobs: list[bytes]
    headers: dict[str, str]
    via: str = "http"  # or "ws" (tests/decthings/fake_ws.py): the key is in the message
    api_key: str | None = None


class Fake:
    """The fake's state: the methods it serves, scripted answers, what it received."""

    def __init__(self) -> None:
        self.methods = {m.path: m for m in load_methods()}
        self.requests: list[Recorded] = []
        self.scripted: dict[str, tuple[Any, list[bytes]]] = {}
        self.app = Starlette(routes=[Route("/{namespace}/{method}", self._rpc, methods=["POST"])])

    def answer(self, path: str, body: Any, blobs: list[bytes] | None = None) -> None:
        """Answer ``path`` with ``body`` (``{"result"|"error": ...}``) until told otherwise."""
        self.scripted[path] = (body, list(blobs or ()))

    def reset(self) -> None:
        self.requests.clear()
        self.scripted.clear()

    def example_result(self, path: str) -> Any:
        return example(self.methods[path].result)

    async def _rpc(self, request: Request) -> Response:
        path = request.url.path
        method = self.methods.get(path)
        if method is None:
            return Response(b"no such method", 404)
        raw = await request.body()
        if request.headers.get("content-type") != MEDIA:
            return Response(b"expected application/octet-stream", 400)
        try:
            params, blobs = parse_request(raw)
        except (ValueError, IndexError) as exc:
            return Response(f"bad envelope: {exc}".encode(), 400)
        self.requests.append(Recorded(path, raw, params, blobs, dict(request.headers)))
        body, out = self.dispatch(path)
        return Response(frame_response(body, out), media_type=MEDIA)

    def dispatch(self, path: str) -> tuple[Any, list[bytes]]:
        """The answer to a call of ``path`` (a served method): scripted, else an example
        result in wire form. Shared by the HTTP and WebSocket sides."""
        if path in self.scripted:
            return self.scripted[path]
        wire, out = wire_result(self.methods[path], self.example_result(path))
        return {"result": wire}, out
