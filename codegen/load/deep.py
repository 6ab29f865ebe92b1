"""Run a compiler stage with room for deep (but bounded) nesting.

Design notes
------------
* The loader bounds nesting (``Limits.max_depth``, 1,000 levels) and collapses ``$ref``
  alias chains, but code that walks a spec recursively (ours, the OpenAPI validator,
  datamodel-code-generator) spends several Python frames per level, so a legitimate
  200-deep schema already passes CPython's default limit of 1,000 frames.
* :func:`run_deep` runs a function in a thread with a 256 MiB stack and the recursion
  limit raised to 50,000 while it runs: about 5 KiB of C stack per frame, several times
  what the deepest frames measured here need (a ``__getattr__`` recursion segfaulted
  only below ~0.7 KiB), so running out of frames is a ``RecursionError``, never a crash.
* The recursion limit is process-wide: it is raised by the first caller and restored by
  the last (a lock and a count), and a nested call runs inline in the deep thread.
  Where a thread cannot be made (a platform without ``threading.stack_size``) the
  function runs inline, as before.
* Exceptions propagate to the caller unchanged; turning a ``RecursionError`` into a
  ``SpecError`` is the caller's business (it knows the file).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["RECURSION_LIMIT", "STACK_BYTES", "run_deep"]

T = TypeVar("T")

STACK_BYTES = 256 * 1024 * 1024
RECURSION_LIMIT = 50_000

_lock = threading.Lock()
_state = {"users": 0, "saved": 0}
_local = threading.local()


def _enter() -> None:
    with _lock:
        if _state["users"] == 0:
            _state["saved"] = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_state["saved"], RECURSION_LIMIT))
        _state["users"] += 1


def _leave() -> None:
    with _lock:
        _state["users"] -= 1
        if _state["users"] == 0:
            sys.setrecursionlimit(_state["saved"])


def _start(target: Callable[[], None]) -> threading.Thread | None:
    with _lock:  # stack_size applies to threads started after it: keep it to this one
        try:
            previous = threading.stack_size(STACK_BYTES)
        except (ValueError, RuntimeError):
            return None
        try:
            thread = threading.Thread(target=target, name="codegen-deep", daemon=True)
            thread.start()
        except RuntimeError:
            return None
        finally:
            threading.stack_size(previous)
    return thread


def run_deep(fn: Callable[[], T]) -> T:
    """``fn()``, run where deep recursion raises ``RecursionError`` rather than crashing."""
    if getattr(_local, "deep", False):
        return fn()
    results: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        _local.deep = True
        try:
            results.append(fn())
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    _enter()
    try:
        thread = _start(target)
        if thread is not None:
            thread.join()
    finally:
        _leave()
    if thread is None:  # no deep thread here: the default stack and limit
        return fn()
    if errors:
        raise errors[0]
    return results[0]
