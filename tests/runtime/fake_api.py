"""A small Starlette app that the runtime tests drive over real HTTP.

Each route exposes one behaviour the runtime must cope with (failing N times, sleeping,
paging through 100,000 items, streaming SSE, parsing multipart, echoing the request,
streaming a binary download, answering RPC-style errors inside 200 bodies, speaking a
length-prefixed framing instead of JSON) and records what it saw in ``State`` so tests
can assert on the server's side.  Tests use unique keys (``uuid4``), so one server
serves the whole session.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import threading
import time
from collections import defaultdict
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

TOTAL_ITEMS = 100_000


class State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: defaultdict[str, int] = defaultdict(int)
        self.seen: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        self.tasks: dict[str, dict[str, Any]] = {}
        self.stream_ended: defaultdict[str, threading.Event] = defaultdict(threading.Event)
        self.stream_cancelled: dict[str, bool] = {}
        self.stream_completed: dict[str, bool] = {}
        self.bodies: defaultdict[str, list[bytes]] = defaultdict(list)

    def hit(self, key: str, request: Request | None = None, **extra: Any) -> int:
        with self.lock:
            self.counts[key] += 1
            if request is not None:
                self.seen[key].append(
                    {
                        "headers": dict(request.headers),
                        "query": request.url.query,
                        "params": dict(request.query_params),
                        **extra,
                    }
                )
            return self.counts[key]


def _int(request: Request, name: str, default: int) -> int:
    return int(request.query_params.get(name, default))


def blob_bytes(size: int) -> bytes:
    """The body ``/blob`` streams: ``size`` bytes of a repeating 0..250 pattern."""
    return bytes(i % 251 for i in range(size))


# -- the framing ``/frames`` speaks (a hand-written codec in the tests decodes it) ------
FRAMES_TYPE = "application/x-demo-frames"


def pack_frames(parts: list[bytes]) -> bytes:
    """A 4-byte big-endian part count, then each part as a 4-byte length and its bytes."""
    out = [len(parts).to_bytes(4, "big")]
    for part in parts:
        out += [len(part).to_bytes(4, "big"), part]
    return b"".join(out)


def unpack_frames(data: bytes) -> list[bytes]:
    count, pos, parts = int.from_bytes(data[:4], "big"), 4, []
    if count > len(data):
        raise ValueError("bad frames")
    for _ in range(count):
        size = int.from_bytes(data[pos : pos + 4], "big")
        parts.append(data[pos + 4 : pos + 4 + size])
        pos += 4 + size
    if pos != len(data) or len(data) < 4:
        raise ValueError("bad frames")
    return parts


def create_app() -> Starlette:
    state = State()

    async def echo(request: Request) -> Response:
        body = await request.body()
        state.hit("echo:" + request.url.path)
        return JSONResponse(
            {
                "method": request.method,
                "raw_path": request.scope["raw_path"].decode("ascii"),
                "query": request.scope["query_string"].decode("ascii"),
                "query_items": [list(kv) for kv in request.query_params.multi_items()],
                "headers": dict(request.headers),
                "body": body.decode("utf-8", errors="replace"),
                "body_hex": body.hex(),
            }
        )

    async def flaky(request: Request) -> Response:
        """Fails ``fail`` times with ``status`` (optionally with Retry-After), then 200."""
        key = request.path_params["key"]
        body = (await request.body()).decode()
        attempt = state.hit("flaky:" + key, request, body=body)
        if attempt <= _int(request, "fail", 0):
            headers = {"x-request-id": f"req-{key}-{attempt}"}
            for name in ("retry-after", "retry-after-ms"):
                if name in request.query_params:
                    headers[name] = request.query_params[name]
            if request.query_params.get("retry_after_date"):
                when = time.time() + float(request.query_params["retry_after_date"])
                headers["retry-after"] = email.utils.formatdate(when, usegmt=True)
            return JSONResponse(
                {"error": {"message": f"failure {attempt}"}},
                status_code=_int(request, "status", 503),
                headers=headers,
            )
        return JSONResponse({"attempts": attempt, "auth": request.headers.get("authorization")})

    async def status(request: Request) -> Response:
        code = int(request.path_params["code"])
        headers = {"x-request-id": f"req-{code}"}
        if request.query_params.get("text"):
            return PlainTextResponse(f"plain failure {code}", status_code=code, headers=headers)
        return JSONResponse(
            {"error": {"message": f"boom {code}", "type": "test"}},
            status_code=code,
            headers=headers,
        )

    async def slow(request: Request) -> Response:
        state.hit("slow:" + request.path_params["key"])
        await asyncio.sleep(float(request.query_params.get("delay", "2")))
        return JSONResponse({"slept": True})

    async def tasks(request: Request) -> Response:
        if request.method == "GET":
            uid = request.query_params.get("unique_id", "")
            state.hit("tasks-get:" + uid)
            task = state.tasks.get(uid)
            return JSONResponse({"docs": [task] if task else [], "total": 1 if task else 0})
        body = await request.json()
        uid = body.get("unique_id")
        attempt = state.hit("tasks-post:" + str(uid))
        mode = request.query_params.get("mode", "")
        if uid is not None and uid in state.tasks:
            return JSONResponse({"error": {"message": f"unique_id {uid} exists"}}, status_code=409)
        if mode == "lose" and attempt == 1:
            # Acts on nothing but fails: a later 409 has nothing to recover.
            return JSONResponse({"error": {"message": "lost"}}, status_code=500)
        task = {"task_id": f"task-{uid}", "status": "pending", "unique_id": uid}
        if mode != "lose" and uid is not None:
            state.tasks[uid] = task
        if mode == "fail_first" and attempt == 1:
            return JSONResponse({"error": {"message": "acted, then failed"}}, status_code=500)
        if mode == "lose":
            return JSONResponse({"error": {"message": f"unique_id {uid} exists"}}, status_code=409)
        return JSONResponse(task)

    async def items(request: Request) -> Response:
        """100,000 items ``{"id": i, "name": ...}`` in cursor, token or offset pages."""
        run = request.path_params["run"]
        style = request.query_params.get("style", "cursor")
        total = _int(request, "total", TOTAL_ITEMS)
        limit = _int(request, "limit", 100)
        if style == "offset":
            start = _int(request, "offset", 0)
        else:
            start = int(request.query_params.get("next_token") or 0)
        state.hit("items:" + run, request)
        end = min(start + limit, total)
        docs = [{"id": i, "name": f"item-{i}"} for i in range(start, end)]
        more = end < total
        if style == "cursor":
            page = {"docs": docs, "has_more": more, "next_token": str(end) if more else None}
        elif style == "token":
            page = {"docs": docs, "next_token": str(end) if more else None}
        else:
            page = {
                "docs": docs,
                "offset": start,
                "limit": limit,
                "totalDocs": total,
                "has_more": more,
            }
        return JSONResponse(page)

    async def upload(request: Request) -> Response:
        parts: list[dict[str, Any]] = []
        async with request.form() as form:
            for name, value in form.multi_items():
                if isinstance(value, UploadFile):
                    parts.append(
                        {
                            "field": name,
                            "filename": value.filename,
                            "content_type": value.content_type,
                            "content": (await value.read()).decode(),
                        }
                    )
                else:
                    parts.append({"field": name, "value": value})
        return JSONResponse(
            {"content_type": request.headers.get("content-type", ""), "parts": parts}
        )

    async def sse(request: Request) -> Response:
        """``n`` events, an error event at ``error_at``, then ``[DONE]`` (or forever)."""
        run = request.path_params["run"]
        state.hit("sse:" + run, request)
        if request.query_params.get("status"):
            return JSONResponse(
                {"error": {"message": "no stream"}}, status_code=_int(request, "status", 400)
            )
        n = _int(request, "n", 3)
        error_at = _int(request, "error_at", -1)
        forever = request.query_params.get("forever") == "1"
        crlf = request.query_params.get("crlf") == "1"
        end = "\r\n" if crlf else "\n"

        async def events() -> Any:
            try:
                yield f": stream {run}{end}{end}"
                for i in range(n):
                    if i == error_at:
                        yield f'data: {{"error": {{"message": "bad thing", "code": "E{i}"}}}}{end}{end}'
                    payload = json.dumps({"index": i, "text": f"event {i}"})
                    yield f"event: message{end}data: {payload}{end}{end}"
                    await asyncio.sleep(0.001)
                i = n
                while forever:
                    payload = json.dumps({"index": i, "text": "more"})
                    yield f"data: {payload}{end}{end}"
                    i += 1
                    await asyncio.sleep(0.01)
                yield f"data: [DONE]{end}{end}"
                yield f'data: {{"index": -1, "text": "after done"}}{end}{end}'
                state.stream_completed[run] = True
            except BaseException:
                state.stream_cancelled[run] = True
                raise
            finally:
                state.stream_ended[run].set()

        return StreamingResponse(events(), media_type="text/event-stream")

    async def blob(request: Request) -> Response:
        """``size`` bytes in ``chunk``-byte pieces (forever with ``forever=1``), after
        ``fail`` failures with ``status``; ``missing=1`` answers 404."""
        key = request.path_params["key"]
        attempt = state.hit("blob:" + key, request)
        if request.query_params.get("missing"):
            return JSONResponse({"error": {"message": f"no blob {key}"}}, status_code=404)
        if attempt <= _int(request, "fail", 0):
            return JSONResponse(
                {"error": {"message": "try again"}}, status_code=_int(request, "status", 503)
            )
        data = blob_bytes(_int(request, "size", 100_000))
        chunk = _int(request, "chunk", 8192)
        forever = request.query_params.get("forever") == "1"

        async def body() -> Any:
            try:
                for i in range(0, len(data), chunk):
                    yield data[i : i + chunk]
                    await asyncio.sleep(0)
                while forever:
                    yield data[:chunk]
                    await asyncio.sleep(0.01)
                state.stream_completed[key] = True
            except BaseException:
                state.stream_cancelled[key] = True
                raise
            finally:
                state.stream_ended[key].set()

        headers = {"x-request-id": f"blob-{key}"}
        return StreamingResponse(body(), media_type="application/octet-stream", headers=headers)

    async def rpc(request: Request) -> Response:
        """HTTP 200 with ``{"result": ...}`` or ``{"error": {"code", "message"}}``."""
        call = request.path_params["call"]
        state.hit("rpc:" + call, request)
        headers = {"x-request-id": f"rpc-{call}"}
        code = request.query_params.get("code")
        if code is not None:
            error: dict[str, Any] = {"code": int(code) if code.isdigit() else code}
            if request.query_params.get("message"):
                error["message"] = request.query_params["message"]
            return JSONResponse({"error": error, "id": call}, headers=headers)
        if request.query_params.get("status"):
            return JSONResponse(
                {"error": {"code": "http", "message": "not ok"}},
                status_code=_int(request, "status", 400),
                headers=headers,
            )
        if call == "page":
            start = int(request.query_params.get("cursor") or 0)
            docs = [{"id": i, "name": f"item-{i}"} for i in range(start, min(start + 2, 5))]
            nxt = str(start + 2) if start + 2 < 5 else None
            return JSONResponse({"result": {"docs": docs, "next": nxt}, "error": None})
        return JSONResponse({"result": {"id": 7, "name": call}, "error": None}, headers=headers)

    async def frames(request: Request) -> Response:
        """Speaks ``pack_frames``: part 0 JSON, the rest blobs; answers the JSON with
        ``"seen": true`` and the blobs reversed; ``status`` answers a framed error."""
        key = request.path_params["key"]
        raw = await request.body()
        state.hit("frames:" + key, request)
        state.bodies[key].append(raw)
        headers = {"content-type": FRAMES_TYPE}
        if request.query_params.get("garbled"):
            return Response(b"\x00\x01 not frames", status_code=502, headers=headers)
        status = _int(request, "status", 200)
        if status != 200:
            error = {"error": {"message": f"framed failure {status}"}}
            return Response(pack_frames([json.dumps(error).encode()]), status, headers=headers)
        parts = unpack_frames(raw) if raw else [b"{}"]
        value = {**json.loads(parts[0]), "seen": True}
        body = pack_frames([json.dumps(value).encode(), *reversed(parts[1:])])
        return Response(body, headers=headers)

    app = Starlette(
        routes=[
            Route("/echo/{rest:path}", echo, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
            Route("/flaky/{key}", flaky, methods=["GET", "POST", "PUT"]),
            Route("/status/{code:int}", status, methods=["GET", "POST"]),
            Route("/slow/{key}", slow, methods=["GET", "POST"]),
            Route("/tasks", tasks, methods=["GET", "POST"]),
            Route("/items/{run}", items, methods=["GET"]),
            Route("/upload", upload, methods=["POST"]),
            Route("/sse/{run}", sse, methods=["GET", "POST"]),
            Route("/blob/{key}", blob, methods=["GET"]),
            Route("/rpc/{call}", rpc, methods=["GET", "POST"]),
            Route("/frames/{key}", frames, methods=["GET", "POST"]),
        ]
    )
    app.state.fake = state
    return app
