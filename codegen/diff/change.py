"""The record every comparison gives: one :class:`Change` per difference found.

Design notes
------------
* A change names its rule (``codegen.diff.rules``: id, level, direction), where it is
  (:class:`Where`: API, operation, a logical path such as ``query parameter limit`` or
  ``response 200 body.items[].name``, the JSON pointer into the bundled newer spec and
  the file and line a reviewer opens) and a one-line message.
* The fingerprint is a hash of the rule, the API, the operation, the logical path and
  the changed value (``subject``): never of line numbers, pointers or file names, so an
  approval recorded against it survives unrelated edits, reformatting, files split or
  merged and new pushes of the same change.
* Changes sort breaking first, then by API, operation and path, so every report lists
  them in one stable order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Change", "Direction", "LEVELS", "Level", "Where", "level_rank"]

Level = Literal["breaking", "warning", "info"]
Direction = Literal["request", "response", "none"]
LEVELS: tuple[Level, ...] = ("breaking", "warning", "info")


def level_rank(level: str) -> int:
    """0 for breaking, 1 for warning, 2 for info (sort key; lower is worse)."""
    return {"breaking": 0, "warning": 1, "info": 2}[level]


@dataclass(frozen=True, slots=True)
class Where:
    """Where a change is: logical (stable) and physical (for the reviewer)."""

    api: str
    operation: str = ""  # "GET /pets/{id}", "" for API- or class-level changes
    path: str = ""  # "query parameter limit", "response 200 body.tag", "class Pet"
    pointer: str = field(default="", compare=False)  # bundled JSON pointer (newer spec)
    file: str = field(default="", compare=False)  # relative to the spec's folder
    line: int | None = field(default=None, compare=False)

    @property
    def file_line(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two versions of an API."""

    rule: str
    level: Level
    direction: Direction
    where: Where
    message: str
    subject: str = ""  # the value that changed (an enum value, a type), for the fingerprint
    breaks: tuple[str, ...] = ()  # what it breaks: "wire", "sdk"

    @property
    def fingerprint(self) -> str:
        text = "\0".join(
            (self.rule, self.where.api, self.where.operation, self.where.path, self.subject)
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def sort_key(self) -> tuple[Any, ...]:
        return (
            level_rank(self.level),
            self.where.api,
            self.where.operation,
            self.where.path,
            self.rule,
            self.subject,
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form (schema: docs/diff.md)."""
        return {
            "rule": self.rule,
            "level": self.level,
            "direction": self.direction,
            "breaks": list(self.breaks),
            "api": self.where.api,
            "operation": self.where.operation,
            "path": self.where.path,
            "pointer": self.where.pointer,
            "file": self.where.file,
            "line": self.where.line,
            "message": self.message,
            "fingerprint": self.fingerprint,
        }
