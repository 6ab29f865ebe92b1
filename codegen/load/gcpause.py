"""Pause Python's cyclic garbage collector while a stage builds a large object graph.

Design notes
------------
* Loading a 3 MB spec makes hundreds of thousands of dicts, lists and tuples, none of
  them garbage yet; every ~700 allocations the collector scans the young ones and, as the
  graph grows, the whole heap again and again: 10-25 % of the load's time, more in a
  process that already holds a large graph (a diff loading its second version).
* :func:`paused_gc` disables the collector for a ``with`` block and restores what it
  found afterwards (nested blocks and callers that keep it disabled are left alone).
  Reference counting still frees everything acyclic at once; cycles made inside the
  block wait for the next collection after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic garbage collector disabled (see the module notes)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
