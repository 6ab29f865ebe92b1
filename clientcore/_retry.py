"""When to retry and how long to wait: pure decisions shared by sync and async clients.

Design notes
------------
* The retry loop (``_flow.attempts``) owns the attempts; it asks this module two
  questions per failed attempt (retry? how long?) and never builds closures or state
  objects.
* A request is *retry-safe* when its operation is idempotent or its JSON body carries
  the operation's idempotency key.  Outcomes that cannot have changed server state
  (connect failures, where nothing was sent; 408; 429) are retried for every request;
  outcomes after which the server may have acted (5xx, read errors, timeouts after
  sending) only for retry-safe ones.
* The server's ``retry-after-ms`` / ``Retry-After`` (seconds or an HTTP date) wins when
  it is between 0 and 60 seconds; otherwise the delay is
  ``min(max_delay, initial_delay * 2**n) * uniform(0.75, 1.0)`` for the n-th retry.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping

import httpx

from ._config import Operation, RetryPolicy

__all__ = [
    "MAX_RETRY_AFTER",
    "backoff_delay",
    "is_retry_safe",
    "parse_retry_after",
    "retry_delay",
    "was_sent",
    "should_retry_exception",
    "should_retry_status",
]

MAX_RETRY_AFTER = 60.0
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def is_retry_safe(op: Operation, body: object) -> bool:
    """True when a repeat of this request cannot do harm (idempotent or keyed)."""
    if op.idempotent:
        return True
    key = op.idempotency_key
    return key is not None and isinstance(body, Mapping) and body.get(key) is not None


def was_sent(exc: Exception) -> bool:
    """Whether the request may have reached the server before ``exc``."""
    return not isinstance(exc, _NOT_SENT)


def should_retry_exception(exc: Exception, retry_safe: bool) -> bool:
    if not isinstance(exc, httpx.TransportError) or isinstance(exc, httpx.UnsupportedProtocol):
        return False
    return retry_safe or not was_sent(exc)


def should_retry_status(status: int, retry_safe: bool) -> bool:
    if status == 429 or status == 408:
        return True
    return status >= 500 and retry_safe


def parse_retry_after(headers: httpx.Headers, now: Callable[[], float] = time.time) -> float | None:
    """Seconds the server asks us to wait, or ``None`` when absent, invalid or > 60 s."""
    value: float | None = None
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            value = float(ms) / 1000.0
        except ValueError:
            value = None
    if value is None:
        text = headers.get("retry-after")
        if text is None:
            return None
        try:
            value = float(text)
        except ValueError:
            parsed = email.utils.parsedate_tz(text)
            if parsed is None:
                return None
            value = email.utils.mktime_tz(parsed) - now()
    if value != value or value > MAX_RETRY_AFTER:  # NaN, or longer than we wait
        return None
    return max(value, 0.0)  # a date in the past means "now"


def backoff_delay(
    policy: RetryPolicy, retries_taken: int, rand: Callable[[], float] | None = None
) -> float:
    """Exponential backoff with jitter for the retry after ``retries_taken`` retries."""
    base = min(policy.max_delay, policy.initial_delay * (2.0 ** min(retries_taken, 62)))
    return base * (0.75 + 0.25 * (rand or random.random)())


def retry_delay(policy: RetryPolicy, retries_taken: int, headers: httpx.Headers | None) -> float:
    if headers is not None:
        server = parse_retry_after(headers)
        if server is not None:
            return server
    return backoff_delay(policy, retries_taken)
