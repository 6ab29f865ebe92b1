"""Shared parts of the corpus-against-Prism tests: compile a corpus spec, serve it with
Prism (request validation on), and watch every exchange.

    with served(spec, "petstore_client", tmp) as (pkg, prism, wire):
        client = pkg.SwaggerPetstoreClient(base_url=prism.base_url, http_client=wire.client())
        ...
        wire.check(prism)   # every exchange 2xx (unless expected), no Prism violation

``Wire`` is an httpx event hook: it records each request (method, URL, headers, body
size) and response (status, ``sl-violations``).  ``check`` fails on a status outside
2xx that was not expected, on any ``sl-violations`` header (Prism lists there each way
a request breaks the spec) and on a violation or error in Prism's own log.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from tests.support.compiled import compiled_package
from tests.support.prism import PrismServer

__all__ = ["CORPUS", "Exchange", "Wire", "served"]

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "specs-corpus"

# Prism's log lines for a refused or failed request (its "info" lines are not these).
_PROBLEM = re.compile(r"violation|✖|error", re.IGNORECASE)
# ``PrismServer``'s start-up probe (``GET /``, unrouted) may be logged late; a test's own
# unrouted request would fail the status check anyway.
_PROBE = re.compile(r"\] get / .*NO_PATH_MATCHED_ERROR|\] get / .*Request received")


@dataclass
class Exchange:
    method: str
    url: str
    headers: httpx.Headers
    status: int
    violations: str | None
    expected: int | None = None  # a non-2xx status the test expects (``Wire.expect``)


@dataclass
class Wire:
    log_from: int = 0  # Prism's log before the test's requests (its start-up probe)
    exchanges: list[Exchange] = field(default_factory=list)
    _next: int | None = None

    def expect(self, status: int) -> None:
        """The next exchange is expected to answer ``status`` (not a 2xx)."""
        self._next = status

    def _sync(self, response: httpx.Response) -> None:
        self._record(response)

    async def _async(self, response: httpx.Response) -> None:
        self._record(response)

    def _record(self, response: httpx.Response) -> None:
        request = response.request
        self.exchanges.append(
            Exchange(
                request.method,
                str(request.url),
                request.headers,
                response.status_code,
                response.headers.get("sl-violations"),
                self._next,
            )
        )
        self._next = None

    def client(self) -> httpx.Client:
        return httpx.Client(event_hooks={"response": [self._sync]})

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(event_hooks={"response": [self._async]})

    @property
    def last(self) -> Exchange:
        assert self.exchanges, "no request was sent"
        return self.exchanges[-1]

    @staticmethod
    def violations(ex: Exchange) -> list[dict[str, Any]]:
        """The exchange's ``sl-violations`` (Prism's JSON list), if any."""
        found: list[dict[str, Any]] = json.loads(ex.violations) if ex.violations else []
        return found

    def warnings(self) -> list[str]:
        """The messages of every warning-severity violation (a warning alone does not
        refuse a request, so ``check`` lets it pass; a test asserts the ones it expects)."""
        return [
            str(v.get("message"))
            for ex in self.exchanges
            for v in self.violations(ex)
            if v.get("severity") == "Warning"
        ]

    def check(self, prism: PrismServer) -> None:
        """Every exchange a 2xx (or the status it was expected to answer) with no
        error-severity ``sl-violations``, and nothing wrong in Prism's log."""
        assert self.exchanges, "no request was sent"
        for ex in self.exchanges:
            errors = [v for v in self.violations(ex) if v.get("severity") != "Warning"]
            assert errors == [], f"sl-violations on {ex.method} {ex.url}: {ex.violations}"
            want = ex.expected
            if want is None:
                assert 200 <= ex.status < 300, f"{ex.method} {ex.url}: {ex.status}"
            else:
                assert ex.status == want, f"{ex.method} {ex.url}: {ex.status}"
        log = prism.log()[self.log_from :]
        # Prism logs a documented-response-less operation's 500 as an error; fine where
        # the test expected exactly that.
        unanswered = sum(ex.expected == 500 for ex in self.exchanges)
        warned = self.warnings()
        problems = [
            line
            for line in log.splitlines(keepends=True)
            if _PROBLEM.search(line)
            and not _PROBE.search(line)
            and not (unanswered and "NO_RESPONSE_RESPONSE_DEFINED" in line)
            and not ("warning" in line and any(w in line for w in warned))
        ]
        assert problems == [], "".join(problems)


@contextmanager
def served(
    spec: Path, package: str, folder: Path, prism_spec: Path | None = None
) -> Iterator[tuple[ModuleType, PrismServer, Wire]]:
    """The spec's generated package, a Prism serving the spec (or ``prism_spec``), and a
    fresh ``Wire``.  Prism starts in a thread while the spec compiles (each takes
    seconds)."""
    prism = PrismServer(prism_spec or spec)
    failed: list[BaseException] = []

    def start() -> None:
        try:
            prism.start()
        except BaseException as exc:  # re-raised below, in the test
            failed.append(exc)

    starting = threading.Thread(target=start)
    starting.start()
    try:
        with compiled_package(spec, package, folder) as pkg:
            starting.join()
            if failed:
                raise failed[0]
            yield pkg, prism, Wire(log_from=len(prism.log()))
    finally:
        starting.join()
        prism.stop()
