# Copied by codegen from specs/decthings/python/wscore.py (sha256 e1c8ccae7a8f36e6). Edit that file, not this one.
"""The I/O-free part of the Decthings WebSocket transport: which calls go over the
socket, what they do to subscriptions, and what the listeners are told.

Design notes
------------
* Each operation's routing comes from the spec (``x-transport-options``, handed over in
  ``request.extensions["transport_options"]``), never from a table of method names:

  - ``route``: ``listening`` (the default: over the socket while a listener is
    registered, else HTTP), ``always`` (opens the socket if need be),
    ``subscribing`` (over the socket when a listener is registered, or when a socket
    is open and params' ``flag`` is not ``false``: a launch call subscribes to events
    only over a socket, and without a listener or socket nobody would hear them),
    ``if_open`` (only over an open socket; with none the call is answered locally
    with the ``not_subscribed`` error, nothing sent);
  - ``subscribes: {key, from: params|result, restore?}``: a successful answer
    subscribes this namespace's id (params' or the result's ``key``); ``restore`` is the
    method of the same namespace that re-subscribes it on a new socket (``{key: id}``);
    without one the id cannot be restored after a reconnect;
  - ``unsubscribes: {key}``: a successful answer ends params' ``key``'s subscription.

  An ``exit`` event ends its id's subscription.
* The socket is needed while a call waits for its answer, a listener is registered or
  an id is subscribed (:meth:`Core.idle`); the transports close it otherwise.
* The request body the envelope codec encoded is re-framed for the socket
  (:mod:`.wsframes`); the API key moves from the ``Authorization`` header into each
  message, and is remembered to re-subscribe after a reconnect.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from .envelope import EnvelopeError, decode_frame
from .wsframes import EventFrame, error_body, parse_request_body, request_frame

if TYPE_CHECKING:  # the event models load with the first event (HTTP calls need none)
    from .events import DecthingsEvent, SubscriptionsRemovedEvent

__all__ = ["Call", "Core", "Route", "local_response", "route_of", "ws_url"]

MEDIA = "application/octet-stream"
ROUTES = ("listening", "always", "subscribing", "if_open")


@dataclass(frozen=True, slots=True)
class Route:
    """One operation's ``x-transport-options``, checked."""

    mode: str = "listening"
    flag: str | None = None
    key: str | None = None  # subscribes: the id's key
    source: str = "result"  # subscribes: params | result
    restore: str | None = None
    unsubscribes: str | None = None  # unsubscribes: the id's key


_ROUTES: dict[int, tuple[object, Route]] = {}


def _bad(options: object, why: str) -> ValueError:
    return ValueError(f"Decthings x-transport-options {options!r}: {why}")


def route_of(options: object) -> Route:
    """The checked ``Route`` of an operation's options (``None``: the default)."""
    if options is None:
        return Route()
    cached = _ROUTES.get(id(options))
    if cached is not None and cached[0] is options:
        return cached[1]
    if not isinstance(options, dict):
        raise _bad(options, "not an object")
    unknown = set(options) - {"route", "flag", "subscribes", "unsubscribes"}
    if unknown:
        raise _bad(options, f"unknown keys {sorted(unknown)}")
    mode = options.get("route", "listening")
    if mode not in ROUTES:
        raise _bad(options, f"route is one of {', '.join(ROUTES)}")
    flag = options.get("flag")
    if (mode == "subscribing") != isinstance(flag, str):
        raise _bad(options, "route subscribing takes a flag (a params key), no other does")
    sub = options.get("subscribes") or {}
    if not isinstance(sub, dict) or set(sub) - {"key", "from", "restore"}:
        raise _bad(options, "subscribes is {key, from: params|result, restore?}")
    if sub and (not isinstance(sub.get("key"), str) or sub.get("from") not in ("params", "result")):
        raise _bad(options, "subscribes is {key, from: params|result, restore?}")
    unsub = options.get("unsubscribes") or {}
    if not isinstance(unsub, dict) or (unsub and not isinstance(unsub.get("key"), str)):
        raise _bad(options, "unsubscribes is {key}")
    route = Route(
        mode,
        flag,
        sub.get("key"),
        sub.get("from", "result"),
        sub.get("restore"),
        unsub.get("key"),
    )
    _ROUTES[id(options)] = (options, route)
    return route


def ws_url(base_url: str) -> str:
    """The socket's URL: ``/ws`` below the HTTP base URL, ``ws``/``wss`` scheme."""
    url = httpx.URL(base_url.rstrip("/") + "/ws")
    scheme = {"http": "ws", "https": "wss"}.get(url.scheme, url.scheme)
    return str(url.copy_with(scheme=scheme))


def local_response(request: httpx.Request, code: str) -> httpx.Response:
    """An answer made without sending anything: the error ``code`` in a 200 body."""
    return httpx.Response(
        200, headers={"content-type": MEDIA}, content=error_body(code), request=request
    )


@dataclass(slots=True)
class Call:
    """One call over the socket: its frame's parts, and what its answer does."""

    api: str
    method: str
    route: Route
    params_text: bytes
    blobs: list[bytes]
    params: Any = None  # parsed when the route needs it

    def frame(self, request_id: int, api_key: str | None) -> bytes:
        return request_frame(
            request_id, self.api, self.method, api_key, self.params_text, self.blobs
        )

    def param(self, key: str) -> Any:
        if self.params is None:
            try:
                self.params = json.loads(self.params_text)
            except ValueError:
                self.params = {}
        return self.params.get(key) if isinstance(self.params, dict) else None


def _api_key(request: httpx.Request) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, key = auth.partition(" ")
    return key.strip() if scheme.lower() == "bearer" and key.strip() else None


Listener = Callable[["DecthingsEvent"], object]


@dataclass
class Core:
    """One client's socket state that is not I/O: listeners, subscriptions, the key.

    The transports call it under their own lock (sync) or from their loop (async)."""

    listeners: list[Listener] = field(default_factory=list)
    # (namespace, id) -> (the id's key, the method restoring it or None)
    subscriptions: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)
    api_key: str | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)

    def choose(self, request: httpx.Request, is_open: bool) -> Call | httpx.Response | None:
        """How ``request`` is sent: a ``Call`` over the socket, a local answer, or
        ``None`` (HTTP)."""
        route = route_of(request.extensions.get("transport_options"))
        mode = route.mode
        if mode == "listening" and not self.listeners:
            return None
        if mode == "if_open" and not is_open:
            return local_response(request, "not_subscribed")
        if mode == "subscribing" and not (self.listeners or is_open):
            return None
        parts = request.url.path.rstrip("/").split("/")
        text, blobs = parse_request_body(request.content)
        call = Call(parts[-2], parts[-1], route, text, blobs)
        if mode == "subscribing" and call.param(route.flag or "") is False and not self.listeners:
            return None  # not subscribing, nobody listening: as any other call, HTTP
        self.api_key = _api_key(request)
        return call

    def settle(self, call: Call, body: bytes) -> None:
        """Apply a call's answer (HTTP response framing) to the subscriptions."""
        route = call.route
        if route.key is None and route.unsubscribes is None:
            return
        try:
            answer, _ = decode_frame(body)
        except (EnvelopeError, ValueError):
            return
        result = answer.get("result") if isinstance(answer, dict) else None
        if not isinstance(result, dict) or "error" in answer:
            return
        if route.key is not None and not (route.flag and call.param(route.flag) is False):
            source = result if route.source == "result" else None
            found = source.get(route.key) if source is not None else call.param(route.key)
            if isinstance(found, str):
                self.subscriptions[(call.api, found)] = (route.key, route.restore)
        if route.unsubscribes is not None:
            found = call.param(route.unsubscribes)
            if isinstance(found, str):
                self.subscriptions.pop((call.api, found), None)

    def event(self, frame: EventFrame) -> DecthingsEvent:
        """The typed event of a frame; an ``exit`` ends its id's subscription."""
        payload = frame.payload if isinstance(frame.payload, dict) else {}
        if payload.get("event") == "exit":
            params = payload.get("params")
            if isinstance(params, dict):
                for (namespace, ident), (key, _) in list(self.subscriptions.items()):
                    if namespace == frame.namespace and params.get(key) == ident:
                        del self.subscriptions[(namespace, ident)]
        from .events import make_event

        return make_event(frame.namespace, frame.payload, frame.blobs)

    def idle(self, pending: int) -> bool:
        """Whether the socket can close: no call waiting, no listener, no subscription."""
        return not pending and not self.listeners and not self.subscriptions

    def restoring(self) -> tuple[list[Call], list[tuple[str, str]]]:
        """After a drop: the calls that re-subscribe each restorable id, and the ids that
        cannot be restored."""
        calls, lost = [], []
        for (namespace, ident), (key, restore) in self.subscriptions.items():
            if restore is None:
                lost.append((namespace, ident))
                continue
            text = json.dumps({key: ident}).encode()
            calls.append(Call(namespace, restore, Route("always", key=key), text, []))
        return calls, lost

    def restored(self, call: Call, body: bytes | None) -> bool:
        """Whether a re-subscribe call succeeded (``body`` ``None``: no answer)."""
        if body is None:
            return False
        try:
            answer, _ = decode_frame(body)
        except (EnvelopeError, ValueError):
            return False
        return isinstance(answer, dict) and "result" in answer and "error" not in answer

    def removed(self, lost: list[tuple[str, str]]) -> SubscriptionsRemovedEvent | None:
        """Forget ``lost`` subscriptions; the one event that names them (if any)."""
        from .events import SubscriptionsRemovedEvent

        for key in lost:
            self.subscriptions.pop(key, None)
        return SubscriptionsRemovedEvent(tuple(lost)) if lost else None
