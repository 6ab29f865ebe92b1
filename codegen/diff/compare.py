"""Two versions of an API in, the list of changes out: the diff stage's entry point.

Design notes
------------
* Each version goes through the compiler's own stages: ``codegen.load`` (bundling,
  the source map behind every file:line), ``codegen.spec`` (typed records) and the IR
  pieces ``codegen.diff.surface`` reuses; nothing here parses a spec its own way.
* Speed (issue 9: Plaid's 3 MB against a copy with 20 changes in under 2 s): the two
  versions are independent until they are compared, so for large specs
  (:func:`codegen.diff.sides.worth_forking`) the older one is loaded, parsed and its
  surface built in a forked process while this one does the newer one
  (:mod:`codegen.diff.sides`); the garbage collector is paused for the whole diff
  (:mod:`codegen.load.gcpause`), and both versions are dropped before it runs again
  (``_diff`` returns inside the pause): once re-enabled, its first collection scans
  the young objects still alive, which would otherwise be both versions' million
  objects (~0.2-0.3 s on Plaid), and is now the report. Any failure on either side runs both again here, one
  after the other, so errors are exactly those of a serial run (the older spec's first).
* Then three comparisons feed one list: the wire (endpoints, parameters, bodies,
  responses, security: :mod:`codegen.diff.wire` with :mod:`codegen.diff.schemas`), the
  SDK surface (:mod:`codegen.diff.sdk`) and one API-wide policy rule (a breaking change
  under an unchanged major version). Sorted breaking first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from codegen.diff.change import Change, level_rank
from codegen.diff.emit import Emitter
from codegen.diff.sdk import compare_sdk
from codegen.diff.sides import Side, Version, build_sides, load_version, worth_forking
from codegen.diff.surface import Surface, build_surface
from codegen.diff.wire import compare_wire, endpoint_key
from codegen.load.gcpause import paused_gc

__all__ = ["Diff", "Side", "Version", "diff_loaded", "diff_specs", "load_version"]


@dataclass
class Diff:
    api: str
    old_label: str
    new_label: str
    changes: list[Change] = field(default_factory=list)
    approved: frozenset[str] = frozenset()  # fingerprints a reviewer accepted

    def is_approved(self, change: Change) -> bool:
        return change.fingerprint in self.approved

    def count(self, level: str) -> int:
        return sum(1 for c in self.changes if c.level == level)

    def worst(self) -> str | None:
        return min((c.level for c in self.changes), key=level_rank, default=None)


def diff_specs(
    old: Path,
    new: Path,
    *,
    api: str,
    old_label: str = "",
    new_label: str = "",
    parallel: bool | None = None,
) -> Diff:
    """Compare the spec at ``old`` with the one at ``new`` (SpecError when either is bad).

    ``parallel``: build the older version in a forked process (None: when it pays,
    :func:`codegen.diff.sides.worth_forking`); the result is the same either way."""
    labels = (old_label or str(old), new_label or str(new))
    with paused_gc():  # both versions are freed inside: see the module notes
        return _diff(old, new, api, labels, parallel)


def _diff(old: Path, new: Path, api: str, labels: tuple[str, str], parallel: bool | None) -> Diff:
    if parallel is None:
        parallel = worth_forking(old, new)
    sides = build_sides(old, new, api) if parallel else None
    if sides is None:  # serial, or a side failed: this order gives a serial run's errors
        a, b = load_version(old), load_version(new)
        return diff_loaded(a, b, api=api, old_label=labels[0], new_label=labels[1])
    x, y = sides
    return diff_loaded(
        x.version,
        y.version,
        api=api,
        old_label=labels[0],
        new_label=labels[1],
        surfaces=(x.surface, y.surface),
    )


def diff_loaded(
    old: Version,
    new: Version,
    *,
    api: str,
    old_label: str,
    new_label: str,
    surfaces: tuple[Surface, Surface] | None = None,
) -> Diff:
    """Compare two loaded versions; ``surfaces``: their SDK surfaces, when already built."""
    if old.spec.sha256 == new.spec.sha256:  # the same files, byte for byte
        return Diff(api, old_label, new_label)
    emit = Emitter(api, new.spec.root.parent)
    pairs = compare_wire(old.document, new.document, emit, old.spec.document, new.spec.document)
    wire = list(emit.changes)
    endpoints = [(endpoint_key(a), endpoint_key(b)) for a, b in pairs]
    if surfaces is None:
        surfaces = (
            build_surface(old.spec, old.document, api),
            build_surface(new.spec, new.document, api),
        )
    compare_sdk(
        surfaces[0],
        surfaces[1],
        emit,
        endpoints,
        wire,
    )
    changes = emit.changes
    if any(c.level == "breaking" for c in changes):
        a, b = _major(old.document.version), _major(new.document.version)
        if a is not None and a == b:
            emit(
                "api-version-not-bumped",
                new.document.loc,
                "info.version",
                new.document.version,
                old=old.document.version,
                new=new.document.version,
            )
    unique = {(c.fingerprint, c.message): c for c in changes}
    ordered = sorted(unique.values(), key=Change.sort_key)
    return Diff(api, old_label, new_label, ordered)


def _major(version: str) -> str | None:
    found = re.match(r"v?(\d+)", version.strip())
    return found.group(1) if found else None
