"""Base classes of generated models and enums.

Design notes
------------
* ``APIModel`` keeps fields the spec does not know (``extra="allow"``), so a client
  never drops data a newer server sends, and accepts both Python names and wire
  aliases (``populate_by_name``).  The private ``_client`` is set by the runtime on
  models with ``__links__`` so link methods (``batch.finalize()``) can make calls.
* ``OpenEnum`` is a ``str`` enum that admits values the spec does not list.
  ``_missing_`` builds a pseudo-member (cached, so identity holds) that is an instance
  of the enum but not listed by iteration.  pydantic calls ``_missing_`` when
  validating enum fields, so a response with a new status never fails to parse.
  ``str()`` of any member is its value, on every Python version.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr

__all__ = ["APIModel", "OpenEnum"]


class APIModel(BaseModel):
    """Base of every generated model."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    _client: Any = PrivateAttr(default=None)


class OpenEnum(str, Enum):
    """Base of every generated string enum; unknown values become pseudo-members."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        # setdefault: two threads racing on the same new value get the same member.
        return cls._value2member_map_.setdefault(value, member)

    def __str__(self) -> str:
        return str(self._value_)

    def __format__(self, format_spec: str) -> str:
        return format(str(self._value_), format_spec)
