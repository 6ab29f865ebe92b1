"""The named faults the suite scripts, with what the runtime's documented rules make of
each: the error class a client raises when the fault is final, and whether a call may
be repeated after it.

Design notes
------------
* The rules are the runtime's (``clientcore/_retry.py``): 408 and 429 are repeated
  for every call (the server refused, nothing was done); a 5xx or a transport failure after the
  request was sent only for retry-safe calls (idempotent, or carrying the
  idempotency key); an undecodable success body never.  ``expected_attempts`` turns
  that into the number of requests a server must see for a script, which is what
  the retry, idempotency and concurrency tests compare the server's count with.
* Errors are named by the runtime's classes (``clientcore.RateLimitError``, ...); the
  tests also require the package's base error, so one table serves every package.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import clientcore
from tests.faults.behaviours import (
    Behaviour,
    Body,
    ResetAfterHeaders,
    ResetBeforeHeaders,
    Status,
    Truncated,
)

__all__ = ["FAULTS", "REFUSED", "RETRYABLE", "SENT", "Fault", "expected_attempts"]


@dataclass(frozen=True)
class Fault:
    name: str
    behaviour: Behaviour
    error: type[clientcore.APIError]  # what a call raises when this fault is its last
    status: int | None = None  # the error's status_code (None: no response)
    always_retried: bool = False  # repeated even for calls that are not retry-safe
    retryable: bool = True  # repeated for retry-safe calls

    def retried(self, retry_safe: bool) -> bool:
        return self.always_retried or (self.retryable and retry_safe)


def _status(code: int, retry_after: float | None = None) -> Fault:
    error = {429: clientcore.RateLimitError, 408: clientcore.APIStatusError}.get(
        code, clientcore.InternalServerError
    )
    refused = code in (408, 429)  # the server says it did not act on the request
    return Fault(f"status-{code}", Status(code, retry_after), error, code, always_retried=refused)


FAULTS: dict[str, Fault] = {
    f.name: f
    for f in (
        _status(429, retry_after=1),
        _status(408),
        _status(500),
        _status(502),
        _status(503),
        _status(504),
        Fault("reset-before-headers", ResetBeforeHeaders(), clientcore.APIConnectionError),
        Fault("reset-after-headers", ResetAfterHeaders(), clientcore.APIConnectionError),
        Fault(
            "truncated-body",
            Truncated(b'{"partial": "bo', declared_length=4096),
            clientcore.APIConnectionError,
        ),
        Fault(
            "malformed-json-200",
            Body(200, b'{"task_id": "x", "oops": ', "application/json"),
            clientcore.APIResponseValidationError,
            200,
            retryable=False,
        ),
    )
}

RETRYABLE = [f for f in FAULTS.values() if f.retryable]
"""Faults a retry-safe call is repeated after."""

REFUSED = [f for f in RETRYABLE if f.always_retried]
"""Faults that say the server did not act: repeated for every call."""

SENT = [f for f in RETRYABLE if not f.always_retried]
"""Faults after which the server may have acted: never repeated unless retry-safe."""


def expected_attempts(
    faults: Sequence[Fault], retry_safe: bool, max_retries: int
) -> tuple[int, Fault | None]:
    """Requests a call makes when the server answers ``faults`` in order and then
    succeeds, and the fault it ends with (``None``: it succeeds)."""
    for attempt, fault in enumerate(faults):
        if not (fault.retried(retry_safe) and attempt < max_retries):
            return attempt + 1, fault
    return len(faults) + 1, None
