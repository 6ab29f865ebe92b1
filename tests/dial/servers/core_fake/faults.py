"""Fault injection for the DIAL Core fake: make matching requests fail, or answer late.

Design notes
------------
* Same model as the Scale fake's ``FaultInjector`` (rules tried in insertion order, the
  first live match consumes one use, ``times=None`` = until cleared, ``act=True`` runs the
  real handler first so state changes and the client still sees the error), plus what DIAL
  tests need: ``delay`` (seconds slept before answering, with or without a status: a
  timeout test sets ``status=None``), and bodies in either of Core's two shapes (a ``str``
  is sent as plain text with no Content-Type, like Core's ``respond(status, String)``; a
  dict/list as JSON; None picks the route's usual shape in ``app.py``).
* Matching is on the method (or ``*``) and a prefix of the raw or the decoded path, so a
  rule for ``/v1/files/`` hits every file route and one for ``/openai/deployments/echo``
  hits that deployment's chat completions.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

__all__ = ["Fault", "FaultInjector"]


@dataclass
class Fault:
    method: str
    path: str
    status: int | None  # None: no error of its own (only ``delay``), the real handler answers
    times: int | None = 1
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    act: bool = False
    delay: float = 0.0
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
            "delay": self.delay,
            "hits": self.hits,
        }


class FaultInjector:
    """``core_fake.faults``.

    * ``fail_next("GET", "/v1/bucket", 429, n=2)`` - the next two matching requests get 429
    * ``fail_always("PUT", "/v1/files/", 500, body="boom")`` - until ``clear()``
    * ``act_then_fail("DELETE", "/v1/files/", 500)`` - deleted for real, then answered 500
    * ``delay("GET", "/v1/files/", 2.0)`` - the next matching request answers 2 s late
    """

    def __init__(self) -> None:
        self.rules: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        method: str,
        path: str,
        status: int | None,
        *,
        times: int | None = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
        act: bool = False,
        delay: float = 0.0,
    ) -> Fault:
        fault = Fault(method.upper(), path, status, times, body, dict(headers or {}), act, delay)
        with self._lock:
            self.rules.append(fault)
        return fault

    def fail_next(self, method: str, path: str, status: int, n: int = 1, **kw: Any) -> Fault:
        return self.add(method, path, status, times=n, **kw)

    def fail_always(self, method: str, path: str, status: int, **kw: Any) -> Fault:
        return self.add(method, path, status, times=None, **kw)

    def act_then_fail(self, method: str, path: str, status: int = 500, **kw: Any) -> Fault:
        return self.add(method, path, status, act=True, **kw)

    def delay(self, method: str, path: str, seconds: float, times: int | None = 1) -> Fault:
        return self.add(method, path, None, times=times, delay=seconds)

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
