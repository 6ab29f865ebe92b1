"""Lazy pagers over list operations: ``SyncPager`` and ``AsyncPager``.

Design notes
------------
* A pager is a recipe, not a result: creating one sends nothing; each ``iter()`` (or
  ``pages()``) starts again at the first page; iteration holds one page at a time and
  validates items one by one, so memory stays constant however long the list is, and
  breaking off early means no further pages are fetched.
* The page-to-next-request rules are one pure function, ``next_param``, shared by both
  pagers (cursor, token and offset styles; see ``docs/runtime-contract.md``).
* The cursor/offset goes in the query, or in the JSON body when the body is an object
  and the name is not a declared query parameter (POST-style list operations).
* Pages are fetched through the client's normal request path, so retries, timeouts,
  auth and errors behave as for any call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from ._config import Operation, Pagination
from ._encode import merge_param
from ._errors import ClientError
from ._parse import get_parser

__all__ = ["AsyncPager", "SyncPager", "next_param"]

T = TypeVar("T")

PageFetcher = Callable[[Mapping[str, object] | None, object], Any]
AsyncPageFetcher = Callable[[Mapping[str, object] | None, object], Awaitable[Any]]


def _offset_start(p: Pagination, query: Mapping[str, object] | None, body: object) -> object:
    assert p.offset_param is not None
    if query and query.get(p.offset_param) is not None:
        return query[p.offset_param]
    if isinstance(body, Mapping) and body.get(p.offset_param) is not None:
        return body[p.offset_param]
    return 0


def page_items(p: Pagination, page: object) -> list[Any]:
    if not isinstance(page, dict):
        raise ClientError(f"expected a JSON object page, got {type(page).__name__}")
    items = page.get(p.items)
    if items is None:
        return []
    if not isinstance(items, list):
        raise ClientError(f"page field {p.items!r} is {type(items).__name__}, not a list")
    return items


def next_param(p: Pagination, page: dict[str, Any], offset: object) -> tuple[str, object] | None:
    """The ``(param, value)`` that requests the page after ``page``, or ``None`` at the end."""
    if p.style == "offset":
        assert p.offset_param is not None
        items = page_items(p, page)
        if not items:
            return None
        if p.has_more_field is not None and not page.get(p.has_more_field):
            return None
        step = page.get(p.limit_field) if p.limit_field is not None else None
        if not isinstance(step, int) or isinstance(step, bool) or step <= 0:
            step = len(items)
        if not isinstance(offset, int):
            offset = int(str(offset))
        return p.offset_param, offset + step
    assert p.cursor_param is not None and p.cursor_field is not None
    if p.style == "cursor" and p.has_more_field is not None and not page.get(p.has_more_field):
        return None
    cursor = page.get(p.cursor_field)
    if cursor is None or cursor == "":
        return None
    return p.cursor_param, cursor


class _PagerBase(Generic[T]):
    def __init__(
        self,
        op: Operation,
        item_type: Any,
        pagination: Pagination,
        query: Mapping[str, object] | None,
        body: object,
        client: object,
    ) -> None:
        self._op = op
        self._item_type = item_type
        self._pagination = pagination
        self._query = query
        self._body = body
        self._client = client

    def _first(self) -> tuple[Mapping[str, object] | None, object, object]:
        p = self._pagination
        query, body = self._query, self._body
        offset: object = None
        if p.style == "offset":
            assert p.offset_param is not None
            offset = _offset_start(p, query, body)
            query, body = merge_param(self._op, query, body, p.offset_param, offset)
        return query, body, offset

    def _next(
        self, page: dict[str, Any], query: Mapping[str, object] | None, body: object, offset: object
    ) -> tuple[Mapping[str, object] | None, object, object] | None:
        step = next_param(self._pagination, page, offset)
        if step is None:
            return None
        name, value = step
        query, body = merge_param(self._op, query, body, name, value)
        return query, body, value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._op.method} {self._op.path}>"


class SyncPager(_PagerBase[T]):
    """Lazy, re-iterable iterable over every item of a paginated list operation."""

    def __init__(
        self,
        fetch: PageFetcher,
        op: Operation,
        item_type: Any,
        pagination: Pagination,
        query: Mapping[str, object] | None,
        body: object,
        client: object,
    ) -> None:
        super().__init__(op, item_type, pagination, query, body, client)
        self._fetch = fetch

    def pages(self) -> Iterator[dict[str, Any]]:
        """Every page as the decoded JSON object, starting at the first."""
        state: tuple[Mapping[str, object] | None, object, object] | None = self._first()
        while state is not None:
            query, body, offset = state
            page = self._fetch(query, body)
            page_items(self._pagination, page)  # validates the page shape
            yield page
            state = self._next(page, query, body, offset)

    def __iter__(self) -> Iterator[T]:
        parser = get_parser(self._item_type)
        validate, linker, client = parser.from_python, parser.linker, self._client
        key = self._pagination.items
        for page in self.pages():
            for raw in page.get(key) or ():
                item = validate(raw)
                if linker is not None:
                    linker(item, client)
                yield item


class AsyncPager(_PagerBase[T]):
    """Async counterpart of ``SyncPager`` (``async for``; ``pages()`` is async too)."""

    def __init__(
        self,
        fetch: AsyncPageFetcher,
        op: Operation,
        item_type: Any,
        pagination: Pagination,
        query: Mapping[str, object] | None,
        body: object,
        client: object,
    ) -> None:
        super().__init__(op, item_type, pagination, query, body, client)
        self._fetch = fetch

    async def pages(self) -> AsyncIterator[dict[str, Any]]:
        """Every page as the decoded JSON object, starting at the first."""
        state: tuple[Mapping[str, object] | None, object, object] | None = self._first()
        while state is not None:
            query, body, offset = state
            page = await self._fetch(query, body)
            page_items(self._pagination, page)
            yield page
            state = self._next(page, query, body, offset)

    async def __aiter__(self) -> AsyncIterator[T]:
        parser = get_parser(self._item_type)
        validate, linker, client = parser.from_python, parser.linker, self._client
        key = self._pagination.items
        async for page in self.pages():
            for raw in page.get(key) or ():
                item = validate(raw)
                if linker is not None:
                    linker(item, client)
                yield item
