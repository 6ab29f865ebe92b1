"""Raw responses: the same generated method, returning ``APIResponse[T]``.

Design notes
------------
* ``to_raw_response(client.get_task)`` sets a context variable for the duration of the
  call; the client's ``_request`` reads and clears it, and returns an ``APIResponse``
  instead of the parsed value.  So no generated method has a second, raw variant, and
  nested requests (409 recovery, link methods) are unaffected.
* Context variables follow threads and asyncio tasks, so concurrent raw and normal
  calls do not interfere.
* The wrappers keep the wrapped method's ``ParamSpec``: a type checker sees the same
  parameters, with ``APIResponse[T]`` as the result.
* Only methods that make one ``_request`` call have a raw form; pagers and streams
  are returned unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, Generic, ParamSpec, TypeVar, cast

import httpx

from ._errors import request_id_of

__all__ = ["APIResponse", "ResponseView", "async_to_raw_response", "to_raw_response"]

P = ParamSpec("P")
T = TypeVar("T")

RAW_RESPONSE: ContextVar[bool] = ContextVar("clientcore_raw_response", default=False)
_UNSET: Any = object()


class ResponseView:
    """The status line and headers of the ``http_response`` an object wraps."""

    __slots__ = ()
    http_response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        return request_id_of(self.http_response.headers)


class APIResponse(ResponseView, Generic[T]):
    """A successful response before (or without) parsing."""

    __slots__ = ("http_response", "retries_taken", "_parser", "_parsed")

    def __init__(
        self,
        http_response: httpx.Response,
        retries_taken: int,
        parser: Callable[[httpx.Response], T],
        parsed: T = _UNSET,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parser = parser
        self._parsed = parsed

    def parse(self) -> T:
        """The value the method returns normally (parsed once, then cached)."""
        if self._parsed is _UNSET:
            self._parsed = self._parser(self.http_response)
        return self._parsed

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] retries_taken={self.retries_taken}>"


def to_raw_response(func: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """Wrap a generated sync method so it returns ``APIResponse[T]``."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = RAW_RESPONSE.set(True)
        try:
            return cast(APIResponse[T], func(*args, **kwargs))
        finally:
            RAW_RESPONSE.reset(token)

    return wrapper


def async_to_raw_response(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[APIResponse[T]]]:
    """Wrap a generated async method so it returns ``APIResponse[T]``."""

    @functools.wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = RAW_RESPONSE.set(True)
        try:
            return cast(APIResponse[T], await func(*args, **kwargs))
        finally:
            RAW_RESPONSE.reset(token)

    return wrapper
