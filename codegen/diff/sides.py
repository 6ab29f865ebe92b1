"""One version of an API made ready to compare (a *side*), and both built side by side.

Design notes
------------
* A :class:`Side` is what the comparison needs of one version: the loaded spec (the
  bundled document, the source map), its typed records (:class:`Version`) and its SDK
  surface (:func:`codegen.diff.surface.build_surface`). The two sides are independent
  until they are compared.
* :func:`build_sides` builds the older side in a forked child while this process builds
  the newer one, then takes the child's side back through a pipe, pickled. On two CPUs
  that halves the wall time of the part that costs (Plaid: ~1.0 s of CPU per side;
  unpickling the child's side costs ~0.2 s here). The older side's spec comes back
  without its line tables: changes are located in the newer spec only.
* It is used only when it pays (:func:`worth_forking`): specs of at least
  :data:`FORK_BYTES` together, ``os.fork`` available, two CPUs usable and not already
  busy (the last minute's load average under the CPU count less one: on a saturated
  machine the fork only adds the pickling), and no other thread in this process
  (forking a threaded process can copy a lock some thread held).
* Failures are not handled here: when either side fails (a bad spec, anything the child
  could not send back), :func:`build_sides` gives None and the caller builds both
  sides again, older first, so the errors are exactly a serial run's. The child always
  ends with ``os._exit`` (it never runs the parent's cleanup or flushes its buffers).
  A child still working when five times this side's time (at least
  :data:`MIN_PATIENCE_S`) has passed since this side was done (a machine swapping, a
  deadlock inherited through the fork) is killed and both sides are built here; so is
  the child of an interrupted diff, and every child is reaped.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from codegen.diff.surface import Surface, build_surface
from codegen.load.loader import LoadedSpec, load_spec
from codegen.spec.parse import parse_spec
from codegen.spec.records import SpecDocument

__all__ = [
    "FORK_BYTES",
    "MIN_PATIENCE_S",
    "Side",
    "Version",
    "build_side",
    "build_sides",
    "load_version",
    "worth_forking",
]

FORK_BYTES = 512 * 1024  # below this, forking costs more than it saves
MIN_PATIENCE_S = 60.0  # the child may take 5x this side's time, and at least this long


@dataclass
class Version:
    spec: LoadedSpec
    document: SpecDocument


@dataclass
class Side:
    version: Version
    surface: Surface


def load_version(path: Path) -> Version:
    spec = load_spec(path)
    return Version(spec, parse_spec(spec))


def build_side(path: Path, api: str) -> Side:
    version = load_version(path)
    return Side(version, build_surface(version.spec, version.document, api))


def _cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worth_forking(old: Path, new: Path) -> bool:
    """Whether :func:`build_sides` pays for these two spec files (see the module notes);
    a multi-file spec counts its root file only."""
    cpus = _cpus()
    if not hasattr(os, "fork") or cpus < 2 or threading.active_count() > 1:
        return False
    if hasattr(os, "getloadavg") and os.getloadavg()[0] > cpus - 1:
        return False
    try:
        return old.stat().st_size + new.stat().st_size >= FORK_BYTES
    except OSError:
        return False


def _portable(side: Side) -> Side:
    """``side`` without what the comparison never reads of the older version (its files'
    line tables), to pickle less."""
    spec = replace(side.version.spec, _sources=[], _mounts={})
    return replace(side, version=replace(side.version, spec=spec))


def _child(old: Path, api: str, write: int) -> None:
    try:
        payload = pickle.dumps(_portable(build_side(old, api)), pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the parent builds both sides again and reports the error
        payload = b""
    with os.fdopen(write, "wb") as out:
        out.write(payload)


def _receive(fd: int, deadline: float) -> bytes | None:
    """Everything written to ``fd`` until the writer closes it, or None at ``deadline``."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def build_sides(old: Path, new: Path, api: str) -> tuple[Side, Side] | None:
    """The older side (built in a forked child) and the newer one (built here), or None
    when either failed, or the child took far longer than this side (see the notes)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: build, send, and leave without any of the parent's cleanup
        try:
            os.close(read)
            _child(old, api, write)
        finally:
            os._exit(0)
    os.close(write)
    reaped = False
    try:
        start = time.monotonic()
        try:
            mine: Side | None = build_side(new, api)
        except Exception:
            mine = None
        patience = max(MIN_PATIENCE_S, 5 * (time.monotonic() - start))
        payload = _receive(read, time.monotonic() + patience)
        if payload is not None:
            os.waitpid(pid, 0)
            reaped = True
    finally:
        os.close(read)
        if not reaped:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    if mine is None or not payload:
        return None
    try:
        theirs = pickle.loads(payload)
    except Exception:
        return None
    return (theirs, mine) if isinstance(theirs, Side) else None
