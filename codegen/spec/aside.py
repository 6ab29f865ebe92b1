"""Run a function in a forked child process while the caller goes on (a second core).

Design notes
------------
* The compiler's stages are CPU-bound Python, so threads gain nothing (the GIL); a
  process does. Validation of a spec is independent of everything after it until its
  verdict is needed, so :mod:`codegen.pipeline` runs it here, beside the IR and the
  models (datamodel-code-generator), which are the long part.
* ``os.fork`` (POSIX), not ``multiprocessing``: the child starts with the loaded spec
  already in memory (copy-on-write), nothing is pickled on the way in and nothing is
  imported again; only the result comes back, pickled, through a pipe. The child never
  returns into the caller's code: it leaves with ``os._exit`` whatever happens.
* :meth:`Aside.result` gives the value or re-raises the child's exception (a
  :class:`codegen.diagnostics.SpecError` pickles as itself). When the child cannot
  deliver (its result does not pickle, it was killed, fork is unavailable or refused),
  the function simply runs in the caller instead: slower, never different.
* ``CODEGEN_SERIAL=1`` in the environment runs everything in the caller (debugging,
  profiling, or a platform where forking is unwelcome).
* Forking copies only the calling thread; a lock another thread held at that moment
  (a module it was importing, say) stays held in the child forever. So a process
  running threads of its own (a test server, an application embedding the compiler)
  is not forked: only the caller and at most one thread waiting for it (the CLI's main
  thread, waiting on :func:`codegen.load.deep.run_deep`'s) may be alive.
* :meth:`Aside.ready` tells without waiting whether the verdict is in, so the caller
  can stop early when validation fails; :meth:`Aside.close` kills and reaps a child
  whose verdict is no longer wanted (no zombie is left). ``result(timeout=...)`` kills
  a child that has not started answering within ``timeout`` seconds (a machine
  swapping, a lock inherited through the fork) and runs the function in the caller.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["Aside", "forking_enabled"]

T = TypeVar("T")


def forking_enabled() -> bool:
    """Whether :class:`Aside` forks here and now (see the module notes)."""
    return _can_fork() and threading.active_count() <= 2


def _can_fork() -> bool:
    return hasattr(os, "fork") and os.environ.get("CODEGEN_SERIAL", "") in ("", "0")


class Aside(Generic[T]):
    """``fn()`` computed in a forked child; :meth:`result` collects it (see module notes)."""

    def __init__(self, fn: Callable[[], T], *, fork: bool | None = None) -> None:
        """``fork``: None decides by :func:`forking_enabled`; True forks whatever threads
        run (where fork exists and ``CODEGEN_SERIAL`` is unset); False never forks."""
        self._fn = fn
        self._pid = 0
        self._fd = -1
        self._outcome: tuple[str, Any] | None = None
        self.seconds = 0.0  # the time ``fn`` took, wherever it ran
        self.ran_aside = False  # the result came from the child
        self.timed_out = False  # the child was killed for not answering in time
        if forking_enabled() if fork is None else (fork and _can_fork()):
            self._fork()

    @property
    def forked(self) -> bool:
        return self._pid != 0

    def _fork(self) -> None:
        read, write = os.pipe()
        try:
            with warnings.catch_warnings():  # 3.12+: "multi-threaded, fork() may deadlock"
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: compute, report, leave
            os.close(read)
            self._child(write)
        os.close(write)
        self._pid, self._fd = pid, read

    def _child(self, fd: int) -> None:
        status = 0
        try:
            start = time.perf_counter()
            try:
                outcome: tuple[str, Any] = ("value", self._fn())
            except BaseException as exc:  # noqa: BLE001 - every failure goes back
                outcome = ("error", exc)
            seconds = time.perf_counter() - start
            try:
                data = pickle.dumps((outcome, seconds), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # an unpicklable result: the caller runs fn itself
                data = pickle.dumps((("retry", None), seconds))
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        except BaseException:  # noqa: BLE001 - never return into the caller's code
            status = 1
        finally:
            os._exit(status)

    def ready(self) -> bool:
        """True when :meth:`result` would not wait (the child has started answering)."""
        if self._outcome is not None or not self.forked:
            return True
        readable, _, _ = select.select([self._fd], [], [], 0)
        return bool(readable)

    def result(self, timeout: float | None = None) -> T:
        """The value of ``fn()``, or its exception raised here.

        ``timeout``: seconds to wait for the child to start answering; a child silent
        that long (hung) is killed and ``fn`` runs here instead."""
        if self._outcome is None:
            self._outcome = self._collect(timeout)
        kind, value = self._outcome
        if kind == "error":
            raise value
        return value  # type: ignore[no-any-return]

    def _collect(self, timeout: float | None = None) -> tuple[str, Any]:
        if self.forked and timeout is not None and not self._answers_within(timeout):
            self.timed_out = True
            self.close()  # killed and reaped: ``fn`` runs below
        if self.forked:
            chunks = []
            fd, self._fd = self._fd, -1  # closed by the with block, whatever happens
            with os.fdopen(fd, "rb") as pipe:
                while chunk := pipe.read(1 << 20):
                    chunks.append(chunk)
            os.waitpid(self._pid, 0)
            self._pid = 0
            try:
                outcome, self.seconds = pickle.loads(b"".join(chunks))
            except Exception:  # killed, crashed or cut short: no answer
                outcome = ("retry", None)
            if outcome[0] != "retry":
                self.ran_aside = True
                return outcome  # type: ignore[no-any-return]
        start = time.perf_counter()
        try:
            return ("value", self._fn())
        except Exception as exc:
            return ("error", exc)
        finally:
            self.seconds = time.perf_counter() - start

    def _answers_within(self, timeout: float) -> bool:
        readable, _, _ = select.select([self._fd], [], [], max(timeout, 0.0))  # PEP 475
        return bool(readable)

    def close(self) -> None:
        """Stop a child whose answer is no longer wanted (idempotent)."""
        if not self.forked:
            return
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self._fd >= 0:
            os.close(self._fd)
        os.waitpid(self._pid, 0)
        self._pid, self._fd = 0, -1
