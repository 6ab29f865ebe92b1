"""``create_app()``: the Scale fake as a Starlette app.

Test hooks on ``app.state``:
  * ``faults``   - :class:`FaultInjector` (fail the next N / all matching requests, with
                   optional ``Retry-After``; ``act=True`` runs the real handler first)
  * ``requests`` - list of :class:`RecordedRequest` (every /v1 and /v2 request, answered status)
  * ``store``    - the in-memory :class:`Store` (``complete_task(id)``, ``page_size``, ...)
  * ``reset()``  - fresh state, no faults, empty request log
  * ``api_keys`` - the accepted keys (a set; mutable)
The same controls over HTTP (no auth, never logged): ``GET|DELETE /_control/requests``,
``GET|POST|DELETE /_control/faults``, ``POST /_control/reset``,
``POST /_control/tasks/{task_id}/complete`` (optional body ``{"response": {...}}``).
"""

from __future__ import annotations

import base64
import binascii
import itertools
import traceback
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..wire import RecordedRequest, record_request
from . import v1, v2
from .core import ApiError, Ctx, Fault, FaultInjector, Redirect
from .store import Store

DEFAULT_MESSAGES = {
    400: "Bad request",
    401: "Unauthorized",
    402: "Not enabled",
    403: "Forbidden",
    404: "Not found",
    408: "Request timeout",
    409: "Conflict",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


def _error(
    version: str, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    body: dict[str, Any] = (
        {"error": message} if version == "v1" else {"status_code": status, "error": message}
    )
    return JSONResponse(body, status_code=status, headers=headers)


def _authenticate(rec: RecordedRequest, version: str, keys: set[str]) -> str | None:
    scheme, _, cred = (rec.authorization or "").partition(" ")
    cred = cred.strip()
    if scheme.lower() == "basic":
        try:
            user, sep, password = base64.b64decode(cred, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return user if sep and password == "" and user in keys else None
    if scheme.lower() == "bearer" and version == "v2":
        return cred if cred in keys else None
    return None


def create_app(
    api_keys: set[str] | frozenset[str] | tuple[str, ...] = frozenset({"live_test_key"}),
    *,
    page_size: int = 100,
    seed: bool = True,
    projects: tuple[str, ...] = (),
    not_enabled: tuple[str, ...] = ("federal2dvideoannotation",),
) -> Starlette:
    """A fresh, stateful Scale fake.

    ``page_size``: server default page size of the paged v1/v2 lists.  ``seed``: teammates
    plus GenAI/delivery/dataset data (project "GenAI Demo").  ``projects``: extra
    imageannotation projects to pre-create (tests use ``("test_project",)``).
    ``not_enabled``: task types answered with 402.  Keys starting with ``test_`` complete
    tasks instantly (Scale's test mode); others leave them pending.
    """
    store = Store(not_enabled=not_enabled, seed=seed, projects=tuple(projects))
    store.page_size = page_size
    faults = FaultInjector()
    log: list[RecordedRequest] = []
    keys = set(api_keys)
    ids = itertools.count(1)

    def fault_response(version: str, fault: Fault) -> Response:
        if fault.body is not None:
            return JSONResponse(fault.body, status_code=fault.status, headers=fault.headers)
        msg = f"{DEFAULT_MESSAGES.get(fault.status, 'Error')} (injected)"
        return _error(version, fault.status, msg, fault.headers)

    def dispatch(rec: RecordedRequest, base_url: str) -> Response:
        version = "v2" if rec.raw_path.startswith("/v2/") else "v1"
        fault = faults.take(rec.method, rec.raw_path)
        if fault is not None and not fault.act:
            return fault_response(version, fault)
        key = _authenticate(rec, version, keys)
        if key is None:
            return _error(
                version,
                401,
                "Unauthorized: please provide a valid API key "
                + (
                    "(Bearer <key>, or HTTP Basic)"
                    if version == "v2"
                    else "(HTTP Basic, the key as username and an empty password)"
                ),
            )
        router = v2.router if version == "v2" else v1.router
        route, params, path_known = router.match(rec.method, rec.raw_path)
        if route is None:
            return _error(
                version,
                405 if path_known else 404,
                "Method not allowed" if path_known else f"Not found: {rec.raw_path}",
            )
        ctype = (rec.header("content-type") or "").lower()
        ctx = Ctx(rec, store, key, version, base_url, json_ok="json" in ctype)
        try:
            with store.lock:
                result = route.handler(ctx, **params)
        except ApiError as exc:
            response = _error(version, exc.status, exc.message, exc.headers)
        except Exception as exc:  # noqa: BLE001 - a fake bug must surface as a 500, not hang
            traceback.print_exc()
            response = _error(version, 500, f"Internal server error: {exc!r}")
        else:
            if isinstance(result, Redirect):
                response = RedirectResponse(result.location, status_code=result.status)
            else:
                response = JSONResponse(result)
        if fault is not None:  # act=True: the state change happened, the client sees an error
            return fault_response(version, fault)
        return response

    async def control(request: Request, rec: RecordedRequest) -> Response:
        path, method = rec.path, rec.method
        if path == "/_control/requests":
            if method == "DELETE":
                log.clear()
            return JSONResponse([r.to_dict() for r in log])
        if path == "/_control/faults":
            if method == "POST":
                spec = rec.json if isinstance(rec.json, dict) else {}
                faults.add(
                    spec.get("method", "*"),
                    spec["path"],
                    int(spec["status"]),
                    times=spec.get("times", 1),
                    body=spec.get("body"),
                    headers=spec.get("headers"),
                    retry_after=spec.get("retry_after"),
                    act=bool(spec.get("act", False)),
                )
            elif method == "DELETE":
                faults.clear()
            return JSONResponse([f.to_dict() for f in faults.rules])
        if path == "/_control/reset" and method == "POST":
            reset()
            return JSONResponse({"ok": True})
        parts = path.split("/")
        if len(parts) == 5 and parts[2] == "tasks" and parts[4] == "complete" and method == "POST":
            response = rec.json.get("response") if isinstance(rec.json, dict) else None
            try:
                return JSONResponse(v1.task_view(store.complete_task(parts[3], response)))
            except ApiError as exc:
                return _error("v1", exc.status, exc.message)
        return _error("v1", 404, f"Unknown control endpoint {method} {path}")

    async def endpoint(request: Request) -> Response:
        body = await request.body()
        rec = await record_request(request.scope, body)
        if rec.raw_path.startswith("/_control/"):
            response = await control(request, rec)
        elif rec.raw_path.startswith("/_files/") and rec.method == "GET":
            segs = rec.raw_path.split("/")  # signed download URL target of the v2 302
            response = (
                PlainTextResponse(f"attachment {unquote(segs[3])} of {unquote(segs[2])}\n")
                if len(segs) == 4
                else _error("v1", 404, "Not found")
            )
        else:
            log.append(rec)
            response = dispatch(rec, str(request.base_url).rstrip("/"))
        response.headers["x-request-id"] = f"req_{next(ids):012x}"
        rec.status = response.status_code
        rec.response_body = bytes(response.body)
        return response

    def reset() -> None:
        store.reset()
        faults.clear()
        log.clear()

    app = Starlette(routes=[Route("/{path:path}", endpoint, methods=METHODS)])
    app.state.store = store
    app.state.faults = faults
    app.state.requests = log
    app.state.reset = reset
    app.state.api_keys = keys
    return app
