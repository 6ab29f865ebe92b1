"""Attempts: sending one prepared request until it succeeds or may not be retried.

Design notes
------------
* ``attempts`` is the retry loop of every call, written once as a flow (see
  ``_actions``): per attempt, the credential when it is a callable, the request built
  (``BaseClient._build``) and sent (the ``Prepared`` call is the send action); on a
  transport error or a retryable status a ``Sleep`` and another attempt.  The
  decisions (retry? how long?) are ``_retry``'s.  It returns the final response, the
  retries taken and whether an earlier attempt may have acted on the server (a 5xx,
  or a transport error after sending): the condition for 409 recovery.
* The hot path stays flat: a static credential needs no action, the request's
  headers are the prepared ones, the retry decision is only consulted after a
  failure, and no action object is made on the way.
* Under a whole-call deadline (``_deadline``) the clock starts with the first attempt;
  a retry's phase limits are capped at the time left, and no retry is made whose
  sleep would end past the deadline: the last failure is the call's outcome.
* A 401 with a token source among the credentials (OAuth2 client credentials) makes
  it forget the refused token, and the request is sent once more with a new one; a
  second 401 is the answer.  That attempt is not a retry (no delay, not counted).
* ``checked`` adds the status check for calls that only want a success response
  (pages, streams, downloads, recovery lookups); a streamed error response is read
  (so the error carries its body) and closed before the error is raised.
"""

from __future__ import annotations

from time import monotonic

import httpx

from ._actions import CREDENTIAL, Close, Flow, ReadClose, Sleep
from ._auth import Secrets
from ._base import Client, log
from ._deadline import capped
from ._errors import ParameterError
from ._outcome import is_success
from ._prepared import Prepared
from ._progress import watch_upload
from ._retry import (
    backoff_delay,
    is_retry_safe,
    retry_delay,
    should_retry_exception,
    should_retry_status,
    was_sent,
)

__all__ = ["Sent", "attempts", "checked"]

_MIN_ATTEMPT = 0.05  # seconds: the least time left worth another attempt

Sent = tuple[httpx.Response, int, bool]
"""The final response, the retries taken, whether an earlier attempt may have acted."""


def attempts(client: Client, prepared: Prepared, stream: bool) -> Flow[Sent]:
    """Send ``prepared`` with retries; the final response (success or not)."""
    op = prepared.op
    prepared.stream = stream
    credential = client._credential
    total = prepared.total
    deadline = prepared.deadline = None if total is None else monotonic() + total
    n = 0
    applied = False
    refreshed = False  # a refused token was replaced once already
    secret: Secrets = {}
    while True:
        if credential.is_static:
            url, headers, static = prepared.url, prepared.headers, prepared.static
        else:
            static = False
            try:
                secret = yield CREDENTIAL
                url, headers = client._with_auth(prepared, client._dynamic_auth(op, secret))
            except ParameterError as exc:
                raise client._parameter_error(exc) from None
        if n and deadline is not None:  # the first attempt's phases are within the total
            prepared.window = capped(prepared.timeout, deadline - monotonic())
        request = prepared.request = client._build(url, headers, static, prepared)
        if prepared.progress is not None:
            watch_upload(request, prepared.progress)
        try:
            response: httpx.Response = yield prepared  # sends ``request``
        except httpx.TransportError as exc:
            if n < prepared.retries and should_retry_exception(
                exc, is_retry_safe(op, prepared.body)
            ):
                applied = applied or was_sent(exc)
                delay = backoff_delay(client._config.retry, n)
                if _in_time(deadline, delay):
                    _log_retry(prepared, n + 1, delay, type(exc).__name__)
                    yield Sleep(delay)
                    n += 1
                    continue
            raise client._connection_error(exc, request) from exc
        except httpx.RequestError as exc:
            raise client._connection_error(exc, request) from exc
        status = response.status_code
        if status == 401 and not refreshed and credential.refreshable:
            refreshed = True
            if credential.invalidate(secret):  # a token source: once more, a new token
                if stream:
                    yield Close(response)
                continue
        if (
            is_success(op, status)
            or n >= prepared.retries
            or not should_retry_status(status, is_retry_safe(op, prepared.body))
        ):
            return response, n, applied
        delay = retry_delay(client._config.retry, n, response.headers)
        if not _in_time(deadline, delay):
            return response, n, applied  # no time for another attempt: this is the answer
        if status >= 500:
            applied = True
        if stream:
            yield Close(response)
        _log_retry(prepared, n + 1, delay, f"status {status}")
        yield Sleep(delay)
        n += 1


def _in_time(deadline: float | None, delay: float) -> bool:
    """Whether another attempt after ``delay`` seconds would start before the deadline
    (with a little time to run: a retry that could only time out is not made)."""
    return deadline is None or monotonic() + delay + _MIN_ATTEMPT < deadline


def _log_retry(prepared: Prepared, retry: int, delay: float, why: str) -> None:
    """Log the ``retry``-th retry (1-based): method, path, delay, cause."""
    log.info(
        "Retrying %s %s in %.3fs (attempt %d of %d) after %s",
        prepared.op.method,
        prepared.path,  # the path only: the query string may carry a credential
        delay,
        retry + 1,
        prepared.retries + 1,
        why,
    )


def checked(client: Client, prepared: Prepared, stream: bool) -> Flow[httpx.Response]:
    """``attempts``, then the status error unless the final response is a success."""
    response, _, _ = yield from attempts(client, prepared, stream)
    if not is_success(prepared.op, response.status_code):
        if stream:
            try:
                yield ReadClose(response)
            except httpx.HTTPError as exc:
                raise client._connection_error(exc, response.request) from exc
        raise client._status_error(prepared.op, response)
    return response
