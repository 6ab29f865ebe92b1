"""Plumbing for the Scale fake: errors, raw-path routing, request context, faults."""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

from ..wire import RecordedRequest

JSONBody = Any


class ApiError(Exception):
    """Raised by handlers; rendered as ``{"error": msg}`` (v1) or ``{"status_code", "error"}`` (v2)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def bad_request(msg: str) -> ApiError:
    return ApiError(400, msg)


def not_found(msg: str) -> ApiError:
    return ApiError(404, msg)


def conflict(msg: str) -> ApiError:
    return ApiError(409, msg)


@dataclass
class Redirect:
    location: str
    status: int = 302


# --------------------------------------------------------------------------- routing


@dataclass
class Route:
    method: str
    template: str
    handler: Callable[..., Any]
    regex: re.Pattern[str]
    names: list[str]


class Router:
    """Routes on the RAW (still percent-encoded) path; ``{name}`` matches one segment.

    Captured segments are unquoted here, so ``/v1/projects/a%2Fb`` gives ``name="a/b"``
    while ``/v1/projects/a/b`` does not match ``/v1/projects/{name}`` at all.
    """

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(
        self, method: str, template: str
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        names = re.findall(r"{(\w+)}", template)
        pattern = "^" + re.sub(r"{\w+}", "([^/]+)", template) + "$"

        def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.routes.append(Route(method, template, fn, re.compile(pattern), names))
            return fn

        return deco

    def match(self, method: str, raw_path: str) -> tuple[Route | None, dict[str, str], bool]:
        """Returns (route, params, path_known) - path_known is True when only the method differs."""
        path_known = False
        for r in self.routes:
            m = r.regex.match(raw_path)
            if m is None:
                continue
            path_known = True
            if r.method == method:
                return r, {n: unquote(v) for n, v in zip(r.names, m.groups(), strict=True)}, True
        return None, {}, path_known


# --------------------------------------------------------------------------- context


_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}


@dataclass
class Ctx:
    """Everything a handler sees: the recorded request, the store, the API generation."""

    req: RecordedRequest
    store: Any
    api_key: str
    version: str  # "v1" | "v2"
    base_url: str
    json_ok: bool  # False when the body is not declared as JSON (ignored, like body-parser)

    @property
    def body(self) -> JSONBody:
        if self.req.body_kind == "json" and self.json_ok:
            return self.req.json
        if self.req.body_kind == "text" and self.json_ok:
            raise bad_request("Request body is not valid JSON")
        return None

    def obj(self) -> dict[str, Any]:
        body = self.body
        if body is None:
            return {}
        if not isinstance(body, dict):
            raise bad_request("Request body must be a JSON object")
        return body

    def str_list(self) -> list[str]:
        body = self.body
        if not isinstance(body, list) or not all(isinstance(x, str) for x in body):
            raise bad_request("Request body must be a JSON array of strings")
        return body

    # query helpers ---------------------------------------------------------
    def qall(self, name: str) -> list[str]:
        return [v for k, v in self.req.query if k == name]

    def q(self, name: str) -> str | None:
        vals = self.qall(name)
        return vals[-1] if vals else None

    def qbool(self, name: str, default: bool | None = None) -> bool | None:
        v = self.q(name)
        if v is None:
            return default
        if v in _TRUE:
            return True
        if v in _FALSE:
            return False
        raise bad_request(f'Invalid boolean for "{name}": {v!r}')

    def qint(
        self, name: str, default: int | None, lo: int = 0, hi: int | None = None
    ) -> int | None:
        v = self.q(name)
        if v is None:
            return default
        try:
            n = int(v)
        except ValueError:
            raise bad_request(f'"{name}" must be an integer') from None
        if n < lo or (hi is not None and n > hi):
            raise bad_request(f'"{name}" must be between {lo} and {hi}')
        return n

    def qtime(self, name: str) -> datetime | None:
        v = self.q(name)
        return None if v is None else parse_time(v, name)

    def qlist_csv(self, name: str) -> list[str]:
        out: list[str] = []
        for v in self.qall(name):
            out.extend(x for x in v.split(",") if x)
        return out


def parse_time(value: str, name: str = "date") -> datetime:
    text = value.strip().replace(" ", "T", 1) if len(value) > 10 else value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    m = re.match(r"^(.*[T\d])([+-]\d{2})(\d{2})$", text)  # +0000 -> +00:00
    if m and "T" in text:
        text = f"{m.group(1)}{m.group(2)}:{m.group(3)}"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise bad_request(f'Invalid date for "{name}": {value!r}') from None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_token(token: str | None) -> int:
    if not token:
        return 0
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        kind, _, num = raw.partition(":")
        if kind != "offset":
            raise ValueError
        return int(num)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("Invalid next_token") from None


# --------------------------------------------------------------------------- faults


@dataclass
class Fault:
    method: str  # "GET", ... or "*"
    path: str  # prefix of the raw path, or of the decoded path
    status: int
    times: int | None = 1  # None = until cleared
    body: Any = None  # None = the API's usual error body for that status
    headers: dict[str, str] = field(default_factory=dict)
    act: bool = False  # run the real handler first (state changes), then answer with the fault
    hits: int = 0

    def matches(self, method: str, raw_path: str) -> bool:
        if self.method not in ("*", method):
            return False
        return raw_path.startswith(self.path) or unquote(raw_path).startswith(self.path)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "times": self.times,
            "act": self.act,
            "hits": self.hits,
            "headers": self.headers,
        }


class FaultInjector:
    """``app.state.faults``: make matching requests fail.

    * ``add("GET", "/v1/projects", 429, times=2, retry_after=1)`` - next 2 matching requests
    * ``add(..., times=None)`` - every matching request until ``clear()``
    * ``add("POST", "/v1/task/", 500, act=True)`` - create for real, then answer 500
    Rules are tried in insertion order; the first live match is used and consumes one use.
    """

    def __init__(self) -> None:
        self.rules: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int | None = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
        retry_after: float | str | None = None,
        act: bool = False,
    ) -> Fault:
        hdrs = dict(headers or {})
        if retry_after is not None:
            hdrs["Retry-After"] = str(retry_after)
        fault = Fault(method.upper(), path, status, times, body, hdrs, act)
        with self._lock:
            self.rules.append(fault)
        return fault

    def fail_next(self, method: str, path: str, status: int, n: int = 1, **kw: Any) -> Fault:
        return self.add(method, path, status, times=n, **kw)

    def fail_always(self, method: str, path: str, status: int, **kw: Any) -> Fault:
        return self.add(method, path, status, times=None, **kw)

    def act_then_fail(
        self, method: str, path: str, status: int = 500, times: int = 1, **kw: Any
    ) -> Fault:
        return self.add(method, path, status, times=times, act=True, **kw)

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def take(self, method: str, raw_path: str) -> Fault | None:
        with self._lock:
            for fault in self.rules:
                if fault.times is not None and fault.hits >= fault.times:
                    continue
                if fault.matches(method, raw_path):
                    fault.hits += 1
                    return fault
        return None


def utc(dt: datetime) -> str:
    """v1/v2 timestamp format: ``2024-01-01T00:00:05.000Z``."""
    return (
        dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{dt.microsecond // 1000:03d}Z"
    )
