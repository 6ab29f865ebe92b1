"""The two drivers of flows, and the client methods made from the flows.

Design notes
------------
* ``run`` performs a flow's actions with blocking I/O, ``arun`` awaits them: take an
  action, do it, send the result back (or throw its exception in, so the flow
  handles failures where it asked), until the flow returns.  Exceptions (not
  ``BaseException``: cancellation and interrupts pass straight through) raised by an
  action go back into the flow.
* The methods generated code calls are written once, in ``_calls``, for both kinds
  of client.  ``_request`` hands its flow to the client's driver (``client._drive``:
  ``run`` or ``arun``); ``blocking`` / ``awaiting`` only tell type checkers that the
  result is ``T`` or an awaitable of it.  ``method`` makes the other calls: it hands
  the call's result to a finisher (a pager, a stream, a binary response, sync or
  async).  Type checkers see each call's own overloads through the ``ParamSpec``.
* ``_request``, the call every generated method makes, has an explicit signature:
  forwarding ``*args, **kwargs`` through a generic wrapper cost ~0.8 us per call.
* A method's ``self`` is a client or a resource; either way the call goes to
  ``self._client`` (a client's ``_client`` is itself).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast

from ._actions import AsyncIO, Flow, SyncIO

__all__ = ["Call", "arun", "awaiting", "blocking", "method", "run"]

P = ParamSpec("P")
T = TypeVar("T")
R = TypeVar("R")
W = TypeVar("W")
C = TypeVar("C")


def run(io: SyncIO, flow: Flow[T]) -> T:
    """Drive ``flow`` to its end with blocking I/O; its return value."""
    try:
        action = next(flow)
        while True:
            try:
                result = action.run(io)
            except Exception as exc:
                action = flow.throw(exc)
            else:
                action = flow.send(result)
    except StopIteration as done:
        value: T = done.value
        return value


async def arun(io: AsyncIO, flow: Flow[T]) -> T:
    """Drive ``flow`` to its end, awaiting its I/O; its return value."""
    try:
        action = next(flow)
        while True:
            try:
                result = await action.arun(io)
            except Exception as exc:
                action = flow.throw(exc)
                continue
            action = flow.send(result)
    except StopIteration as done:
        value: T = done.value
        return value


class Call(Generic[T]):
    """Typing only: what ``_request`` returns before the kind of client is known.

    ``T`` from a sync client, an awaitable of ``T`` from an async one: at run time
    ``_calls.request`` hands its flow to the client's driver (``run`` or ``arun``),
    and ``blocking`` / ``awaiting`` tell type checkers which."""

    __slots__ = ()


def blocking(call: Callable[Concatenate[Any, P], Call[T]]) -> Callable[Concatenate[Any, P], T]:
    """``call`` on a sync client (whose driver is ``run``): it returns ``T``."""
    return cast("Callable[Concatenate[Any, P], T]", call)


def awaiting(
    call: Callable[Concatenate[Any, P], Call[T]],
) -> Callable[Concatenate[Any, P], Awaitable[T]]:
    """``call`` on an async client (whose driver is ``arun``): it returns an awaitable."""
    return cast("Callable[Concatenate[Any, P], Awaitable[T]]", call)


def method(
    make: Callable[Concatenate[C, P], R], finish: Callable[[Any, R], W]
) -> Callable[Concatenate[Any, P], W]:
    """A method returning ``finish(client, make(client, ...))``."""

    def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> W:
        client = self._client
        return finish(client, make(client, *args, **kwargs))

    functools.update_wrapper(call, make)
    return call
