"""Base classes of generated models and enums.

Design notes
------------
* ``APIModel`` keeps fields the spec does not know (``extra="allow"``), so a client
  never drops data a newer server sends, and accepts both Python names and wire
  aliases (``populate_by_name``).  It declares no private attribute: pydantic runs a
  Python-level initialiser for every instance of a model that has one (a fifth of the
  cost of parsing a streamed chunk).  Only models with ``__links__`` declare the
  private ``_client`` the runtime sets, so link methods (``batch.finalize()``) can
  make calls.
* ``OpenEnum`` is a ``str`` enum that admits values the spec does not list.
  ``_missing_`` builds a pseudo-member (cached, so identity holds) that is an instance
  of the enum but not listed by iteration.  pydantic calls ``_missing_`` when
  validating enum fields, so a response with a new status never fails to parse.
  ``str()`` of any member is its value, on every Python version.
* ``PageModel`` is the base of every page model (the response of an operation with
  ``x-pagination``): iterating, ``len()`` and indexing use the page's items (the field
  named by the class variable ``__page_items__``), like the list subclasses some SDKs
  return; fields, ``model_dump()``, equality and copies are unchanged.  Overriding
  ``BaseModel.__iter__`` (as openai-python's pages do) means ``dict(page)`` no longer
  gives the fields: use ``page.model_dump()``.  An empty page is falsy, like a list.
  The item type parameter is for type checkers only (generated code writes
  ``PageModel["Task"]``); at run time every parametrization is ``PageModel`` itself,
  so a page class can be defined before its item class.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from pydantic import BaseModel, ConfigDict

__all__ = ["APIModel", "OpenEnum", "PageModel"]

_Item = TypeVar("_Item")


class APIModel(BaseModel):
    """Base of every generated model."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class _PageBase(APIModel):
    """What ``PageModel`` does, without the type parameter."""

    __page_items__: ClassVar[str] = ""

    def _page_items(self) -> Sequence[Any]:
        name = type(self).__page_items__
        if not name:
            raise TypeError(f"{type(self).__name__} does not name its page items (__page_items__)")
        items = getattr(self, name, None)
        return () if items is None else items

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        return iter(self._page_items())

    def __len__(self) -> int:
        return len(self._page_items())

    def __getitem__(self, index: Any) -> Any:
        return self._page_items()[index]


if TYPE_CHECKING:

    class PageModel(_PageBase, Generic[_Item]):
        """Base of every generated page model: a sequence of its items."""

        def __iter__(self) -> Iterator[_Item]:  # type: ignore[override]
            ...

        @overload
        def __getitem__(self, index: int) -> _Item: ...

        @overload
        def __getitem__(self, index: slice) -> Sequence[_Item]: ...

        def __getitem__(self, index: int | slice) -> _Item | Sequence[_Item]: ...

else:

    class PageModel(_PageBase):
        """Base of every generated page model: a sequence of its items."""

        def __class_getitem__(cls, item: Any) -> type[PageModel]:
            # Type checkers only: ``PageModel["Task"]`` is ``PageModel`` at run time.
            return cls


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
