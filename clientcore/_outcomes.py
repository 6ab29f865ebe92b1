"""Result responses: an RPC method's result *or* its error code, returned, not raised.

Design notes
------------
* For APIs answering errors inside success bodies (``ResultRule``), some callers want
  the style of their API's own documentation: ``response = ...; if response.error:
  ... else: response.result``.  ``to_result_response(client.model.evaluate)`` is the
  same method returning a ``ResultResponse``: ``result`` set on success, ``error`` set
  (the typed ``APIResultError``, with its code and fields) when the body carried one.
* Only errors the body carried are returned; a failed connection, an error status or
  an undecodable body still raise, as they say nothing about the call's outcome.
* The wrappers keep the method's ``ParamSpec`` (type checkers see the same arguments).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, ParamSpec, TypeVar

from ._errors import APIResultError

__all__ = ["ResultResponse", "async_to_result_response", "to_result_response"]

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ResultResponse(Generic[T]):
    """Exactly one of ``result`` (success) and ``error`` (the error the body reported)."""

    result: T | None = None
    error: APIResultError | None = None


def to_result_response(func: Callable[P, T]) -> Callable[P, ResultResponse[T]]:
    """Wrap a generated sync method so a body's error is returned, not raised."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> ResultResponse[T]:
        try:
            return ResultResponse(result=func(*args, **kwargs))
        except APIResultError as exc:
            return ResultResponse(error=exc)

    return wrapper


def async_to_result_response(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[ResultResponse[T]]]:
    """Wrap a generated async method so a body's error is returned, not raised."""

    @functools.wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> ResultResponse[T]:
        try:
            return ResultResponse(result=await func(*args, **kwargs))
        except APIResultError as exc:
            return ResultResponse(error=exc)

    return wrapper
