"""``create_app()``: the DIAL Core fake as a Starlette app (an ASGI endpoint behind one route).

Design notes
------------
* One catch-all route hands every request to ``CoreEndpoint``, which reads the body,
  records it (``state.requests``: method, raw path, query, headers, body, answered status),
  applies faults, authenticates, and routes on the *raw* (still percent-encoded) path as
  Core does: storage paths are split before decoding, ids are decoded whole (``.+``), so
  ``team%2Fllm`` and ``team/llm`` name the same deployment.
* Chat completions are proxied like Core proxies them: ``POST /openai/deployments/{id}/
  chat/completions`` for an id in ``catalog.chat`` is handed, in-process and streamed, to
  ``state.chat_upstream`` (an aidial-sdk ``DIALApp`` in the tests) with Core's per-request
  ``api-key`` in place of the caller's credentials (the caller's ``Authorization`` is not
  forwarded: Core's ``forwardAuthToken`` is off by default).  So one base URL serves a whole DIAL
  client (chat and files), as a real DIAL Core does.
* Error bodies: plain text / empty for storage and ops (``StorageError``), DIAL ErrorData
  JSON on the OpenAI-compatible routes, and bare 404/403 bodies where Core sends none.
* Out-of-band controls over HTTP (no auth, never logged): ``GET|DELETE /_control/requests``,
  ``GET|POST|DELETE /_control/faults``, ``POST /_control/reset`` - for processes that cannot
  reach ``app.state`` (the seed-doc subprocess runs, benchmarks).
"""

from __future__ import annotations

import asyncio
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, unquote

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from tests.servers.wire import RecordedRequest, record_request

from . import replies, storage_routes
from .faults import Fault
from .state import CoreState, Ctx, Principal
from .storage import StorageError

__all__ = ["CoreEndpoint", "create_app"]

Handler = Callable[..., Response]
_CHAT = re.compile(r"^/openai/deployments/(?P<id>.+?)/chat/completions$")


@dataclass(frozen=True)
class _Route:
    methods: tuple[str, ...]
    regex: re.Pattern[str]
    handler: Handler


def _catalog_get(kind: str) -> Handler:
    def handler(ctx: Ctx, id: str) -> Response:
        cat = ctx.state.catalog
        ident = unquote(id)
        found = {
            "deployments": cat.deployment,
            "models": cat.model,
            "applications": cat.applications.get,
            "toolsets": cat.toolsets.get,
        }[kind](ident)
        return replies.empty(404) if found is None else replies.json(found)

    return handler


def _catalog_list(kind: str) -> Handler:
    def handler(ctx: Ctx) -> Response:
        cat = ctx.state.catalog
        if kind == "deployments":
            data = [cat.deployment(i) for i in cat.models]
        elif kind == "models":
            data = [cat.model(i) for i in cat.models]
        else:
            data = list(getattr(cat, kind).values())
        return replies.json({"data": data, "object": "list"})

    return handler


def _names(ctx: Ctx) -> Response:
    raw = ctx.q("type")
    types = [t for t in raw.split(",") if t] if raw else None
    return replies.json(ctx.state.catalog.names(types))


def _configuration(ctx: Ctx, id: str) -> Response:
    ident = unquote(id)
    cat = ctx.state.catalog
    if ident not in cat.models and ident not in cat.applications:
        return replies.empty(404)
    schema = cat.configurations.get(ident)
    if schema is None:
        return replies.error_json(404, f"Deployment {ident} does not support configuration")
    return replies.json(schema)


def _routes() -> list[_Route]:
    r: list[_Route] = []

    def add(methods: str, pattern: str, handler: Handler) -> None:
        r.append(_Route(tuple(methods.split("|")), re.compile(f"^{pattern}$"), handler))

    for kind in ("deployments", "models", "applications", "toolsets"):
        add("GET", f"/openai/{kind}", _catalog_list(kind))
        add("GET", f"/openai/{kind}/(?P<id>.+)", _catalog_get(kind))
    add("GET", "/v1/deployment-names", _names)
    add("GET", "/v1/deployments/(?P<id>.+)/configuration", _configuration)
    add("GET", "/v1/bucket", lambda ctx: replies.json(ctx.principal.bucket_info()))
    add("GET", "/v1/user/info", lambda ctx: replies.json(ctx.principal.user_info()))
    add("GET|PUT|DELETE", "/v1/files/(?P<bucket>[a-zA-Z0-9]+)/(?P<path>.*)", storage_routes.files)
    add(
        "GET|PUT|DELETE",
        "/v1/(?P<group>prompts|conversations)/(?P<bucket>[a-zA-Z0-9]+)/(?P<path>.*)",
        storage_routes.resource,
    )
    add(
        "GET",
        "/v1/metadata/(?P<group>files|prompts|conversations)/(?P<bucket>[a-zA-Z0-9]+)/(?P<path>.*)",
        storage_routes.metadata,
    )
    add("POST", "/v1/ops/resource/(?P<op>move|copy)", storage_routes.operation)
    add("POST", "/v1/ops/resource/per-request-permissions/grant", storage_routes.grant)
    return r


ROUTES = _routes()


def _fault_response(fault: Fault, raw_path: str) -> Response:
    status = fault.status or 500
    if isinstance(fault.body, str):
        return replies.text(status, fault.body, fault.headers)
    if fault.body is not None:
        return replies.json(fault.body, status, fault.headers)
    reason = f"{HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else 'Error'} (injected)"
    if raw_path.startswith("/openai/"):
        response = replies.error_json(status, reason, type="runtime_error")
    else:
        response = replies.text(status, reason)
    response.headers.update(fault.headers)
    return response


class CoreEndpoint:
    """The ASGI endpoint behind every path of the fake."""

    def __init__(self, state: CoreState) -> None:
        self.state = state

    def authenticate(self, rec: RecordedRequest) -> Principal | Response:
        st = self.state
        key = rec.header("api-key")
        if key is not None:
            found = st.api_keys.get(key)
            return found if found is not None else replies.text(401, "Unknown api key (fake)")
        scheme, _, token = (rec.header("authorization") or "").partition(" ")
        if scheme:
            found = st.bearer_tokens.get(token.strip()) if scheme.lower() == "bearer" else None
            if found is None:
                return replies.text(401, "Invalid Authorization header (fake)")
            return found
        return replies.text(401, "Missing api-key header or Authorization header (fake)")

    def route(self, ctx: Ctx) -> Response:
        rec = ctx.req
        known = False
        for route in ROUTES:
            m = route.regex.match(rec.raw_path)
            if m is None:
                continue
            known = True
            if rec.method in route.methods:
                try:
                    return route.handler(ctx, **m.groupdict())
                except StorageError as exc:
                    if exc.message is None:
                        return replies.empty(exc.status, exc.headers)
                    return replies.text(exc.status, exc.message, exc.headers)
        return replies.empty(405 if known else 404)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        chunks: list[bytes] = []
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            chunks.append(msg.get("body", b""))
            if not msg.get("more_body"):
                break
        rec = await record_request(scope, b"".join(chunks))
        if rec.raw_path.startswith("/_control/"):
            await self.control(rec)(scope, receive, send)
            return
        self.state.requests.append(rec)
        response = await self.dispatch(scope, rec, receive, send)
        if response is None:  # forwarded to the chat upstream, already answered
            return
        rec.status = response.status_code
        if not hasattr(response, "body_iterator"):
            rec.response_body = bytes(response.body)
        await response(scope, receive, send)

    async def dispatch(
        self, scope: dict[str, Any], rec: RecordedRequest, receive: Any, send: Any
    ) -> Response | None:
        fault = self.state.faults.take(rec.method, rec.raw_path)
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.status is not None and not fault.act:
            return _fault_response(fault, rec.raw_path)
        principal = self.authenticate(rec)
        if isinstance(principal, Response):
            return principal
        ctx = Ctx(rec, self.state, principal)
        chat = _CHAT.match(rec.raw_path) if rec.method == "POST" else None
        if chat is not None:
            if fault is not None and fault.status is not None:  # act=True cannot act on a proxy
                return _fault_response(fault, rec.raw_path)
            return await self.forward_chat(ctx, unquote(chat["id"]), scope, receive, send)
        try:
            with self.state.store.lock:
                response = self.route(ctx)
        except Exception as exc:  # noqa: BLE001 - a fake bug must surface as a 500, not hang
            traceback.print_exc()
            response = replies.text(500, f"Internal server error (fake): {exc!r}")
        if fault is not None and fault.status is not None:  # act=True: state changed, then fail
            return _fault_response(fault, rec.raw_path)
        return response

    async def forward_chat(
        self, ctx: Ctx, ident: str, scope: dict[str, Any], receive: Any, send: Any
    ) -> Response | None:
        upstream = self.state.chat_upstream
        if upstream is None or ident not in self.state.catalog.chat:
            return replies.error_json(404, f"Deployment {ident} is not found (fake)")
        body = ctx.req.body
        headers = [
            (k, v) for k, v in scope["headers"] if k.lower() not in (b"api-key", b"authorization")
        ]
        headers.append((b"api-key", self.state.per_request_key.encode()))
        raw = f"/openai/deployments/{quote(ident, safe='')}/chat/completions"
        sub = {
            **scope,
            "path": f"/openai/deployments/{ident}/chat/completions",
            "raw_path": raw.encode(),
            "headers": headers,
        }
        sub.pop("app", None)
        sub.pop("router", None)
        sub.pop("endpoint", None)
        sub.pop("path_params", None)
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def relay(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                ctx.req.status = message["status"]
            await send(message)

        await upstream(sub, replay, relay)
        return None

    def control(self, rec: RecordedRequest) -> Response:
        st, path, method = self.state, rec.path, rec.method
        if path == "/_control/requests":
            if method == "DELETE":
                st.requests.clear()
            return replies.json([r.to_dict() for r in st.requests])
        if path == "/_control/faults":
            if method == "POST" and isinstance(rec.json, dict):
                spec = rec.json
                st.faults.add(
                    spec.get("method", "*"),
                    spec["path"],
                    spec.get("status"),
                    times=spec.get("times", 1),
                    body=spec.get("body"),
                    headers=spec.get("headers"),
                    act=bool(spec.get("act", False)),
                    delay=float(spec.get("delay", 0.0)),
                )
            elif method == "DELETE":
                st.faults.clear()
            return replies.json([f.to_dict() for f in st.faults.rules])
        if path == "/_control/reset" and method == "POST":
            st.reset()
            return replies.json({"ok": True})
        return replies.text(404, f"Unknown control endpoint {method} {path}")


def create_app(state: CoreState | None = None, *, chat_upstream: Any = None) -> Starlette:
    """A fresh DIAL Core fake; ``app.state.core`` is its ``CoreState``.

    ``app.state.faults`` / ``app.state.requests`` / ``app.state.store`` / ``app.state.reset``
    are aliases (the names ``tests/servers/recorder.Recorder`` and the Scale fixtures use).
    """
    core = state or CoreState()
    if chat_upstream is not None:
        core.chat_upstream = chat_upstream
    endpoint = CoreEndpoint(core)
    app = Starlette(routes=[Route("/{path:path}", endpoint)])
    app.state.core = core
    app.state.faults = core.faults
    app.state.requests = core.requests
    app.state.store = core.store
    app.state.reset = core.reset
    return app
