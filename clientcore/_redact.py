"""Keeping the credential out of errors and logs.

Design notes
------------
* Errors never keep a request (``_errors``), but a transport failure's httpx exception
  does, headers and all, and it is chained as the error's ``__cause__``.  Before an API
  error is raised ``from`` it, every request in the chain is replaced by a body-less
  copy whose credential headers read ``[redacted]`` and whose query-string credential
  reads ``***`` (``scrub_chain``).
* Error URLs are redacted the same way when a scheme puts the key in the query string.
* httpx logs each request's full URL at INFO: a filter on its logger redacts
  query-string credentials there (``redact_query_logs``: one filter, the union of
  every client's names).  httpcore logs no header values.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import httpx

from ._config import AuthScheme

__all__ = [
    "RedactQueryLog",
    "redact_query_logs",
    "redact_url",
    "scrub_chain",
    "secret_headers",
]


def redact_url(url: httpx.URL | str, names: frozenset[str]) -> str:
    """``url`` with the values of the query parameters in ``names`` replaced by ``***``."""
    url = httpx.URL(url) if isinstance(url, str) else url
    if not names or not url.query:
        return str(url)
    params = [(k, "***" if k in names else v) for k, v in url.params.multi_items()]
    return str(url.copy_with(params=params))


def secret_headers(schemes: Mapping[str, AuthScheme]) -> frozenset[str]:
    """The (lower-case) names of the headers the schemes put a credential in."""
    names = set()
    for scheme in schemes.values():
        if scheme.kind in ("basic", "bearer", "oauth2"):
            names.add("authorization")
        elif scheme.kind == "header" and scheme.name:
            names.add(scheme.name.lower())
        elif scheme.kind == "cookie":
            names.add("cookie")
    return frozenset(names)


def _scrubbed(
    request: httpx.Request, headers: frozenset[str], query: frozenset[str]
) -> httpx.Request:
    """A body-less copy of ``request`` whose credential headers and query items read
    ``[redacted]``/``***``."""
    kept = [(k, "[redacted]" if k.lower() in headers else v) for k, v in request.headers.items()]
    return httpx.Request(request.method, redact_url(request.url, query), headers=kept)


def scrub_chain(exc: BaseException, headers: frozenset[str], query: frozenset[str]) -> None:
    """Replace the request held by every httpx exception in ``exc``'s chain (its
    ``__cause__``s and ``__context__``s) with a scrubbed copy: an error the client
    raises ``from`` a transport failure reveals no credential, however it is walked."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, httpx.RequestError):
            try:
                request = e.request
            except RuntimeError:  # raised without a request
                request = None
            if request is not None:
                e.request = _scrubbed(request, headers, query)
        todo.append(e.__cause__)
        todo.append(e.__context__)


class RedactQueryLog(logging.Filter):
    """On httpx's logger: the URL in its "HTTP Request: ..." line with the values of
    the credentials' query parameters replaced by ``***`` (httpx logs the full URL).

    One filter serves every client of the process: it redacts the union of the names
    the clients registered.  (One filter per set of names did not work: the first to
    run turned the URL argument into text, and the others, looking for a URL, let
    their own names through.)"""

    def __init__(self, names: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.names = names

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if self.names and isinstance(args, tuple):
            record.args = tuple(
                redact_url(a, self.names) if isinstance(a, httpx.URL) else a for a in args
            )
        return True


_LOG_FILTER = RedactQueryLog()


def redact_query_logs(names: frozenset[str]) -> None:
    """Add ``names`` to the ``RedactQueryLog`` filter on httpx's logger (installed on
    first use, again if it was removed)."""
    if not names:
        return
    if not names <= _LOG_FILTER.names:
        _LOG_FILTER.names = _LOG_FILTER.names | names
    logger = logging.getLogger("httpx")
    if _LOG_FILTER not in logger.filters:
        logger.addFilter(_LOG_FILTER)
