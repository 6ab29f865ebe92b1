"""Collecting changes for one API: the located ``make`` the comparisons call.

Design notes
------------
* An :class:`Emitter` knows the API, the folder of the newer spec (file names in
  reports are relative to it) and the older one's, and collects the changes. A
  comparison passes the record its change is about: the newer one when it exists
  (its ``Loc`` is where a reviewer looks), else the nearest newer record around it.
* ``scoped`` gives a copy bound to one operation, sharing the collected list.
"""

from __future__ import annotations

import os
from pathlib import Path

from codegen.diff.change import Change, Where
from codegen.diff.rules import make
from codegen.spec.records import Loc

__all__ = ["Emitter"]


class Emitter:
    def __init__(self, api: str, new_root: Path, operation: str = "") -> None:
        self.api = api
        self.new_root = new_root
        self.operation = operation
        self.changes: list[Change] = []

    def scoped(self, operation: str) -> Emitter:
        child = Emitter(self.api, self.new_root, operation)
        child.changes = self.changes
        return child

    def where(self, path: str, loc: Loc | None) -> Where:
        if loc is None:
            return Where(self.api, self.operation, path)
        try:
            file = os.path.relpath(loc.file, self.new_root)
        except ValueError:  # another drive (Windows)
            file = str(loc.file)
        return Where(self.api, self.operation, path, loc.pointer, Path(file).as_posix(), loc.line)

    def __call__(
        self, rule: str, loc: Loc | None, path: str, subject: str = "", **fields: object
    ) -> None:
        self.changes.append(make(rule, self.where(path, loc), subject, **fields))
