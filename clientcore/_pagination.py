"""Lazy pagers over list operations: one page walk, iterated by ``SyncPager`` or ``AsyncPager``.

Design notes
------------
* A pager is a recipe, not a result: creating one sends nothing; each ``iter()`` (or
  ``pages()``) starts again at the first page; iteration holds one page at a time and
  validates items one by one, so memory stays constant however long the list is, and
  breaking off early means no further pages are fetched.
* ``PageWalk`` is everything a pager does except waiting for I/O: the first request,
  the flow that fetches a page (``_flow.checked``: the client's normal request path,
  so retries, timeouts, auth, codecs, result rules and errors behave as for any call),
  the request after a page (``next_param``: cursor, token and offset styles; see
  ``docs/runtime-contract.md``) and a page's items.  A ``PageCursor`` is one
  iteration's position.  The two pagers only drive the cursor's flows.
* The cursor/offset goes in the query, or in the JSON body when the body is an object
  and the name is not a declared query parameter (POST-style list operations).
* A page is the operation's decoded body, or its result under a ``ResultRule``.  A
  page that does not decode, is not an object with a list of items, or has an item
  that does not validate raises the API's ``APIResponseValidationError`` (with that
  page's response: status, headers, request id, raw body).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Generic, TypeVar

import httpx

from ._actions import AsyncIO, Flow, SyncIO
from ._base import Client
from ._config import Operation, Pagination
from ._drive import arun, run
from ._encode import merge_param
from ._flow import checked
from ._outcome import decoded_result
from ._parse import get_parser
from ._types import NOT_GIVEN

__all__ = ["AsyncPager", "PageCursor", "PageWalk", "SyncPager", "next_param", "page_items"]

T = TypeVar("T")

PageRequest = tuple[Mapping[str, object] | None, object, object]
"""A page's query and body, and the offset it asks for (offset style)."""


def _offset_start(p: Pagination, query: Mapping[str, object] | None, body: object) -> object:
    assert p.offset_param is not None
    if query and query.get(p.offset_param) is not None:
        return query[p.offset_param]
    if isinstance(body, Mapping) and body.get(p.offset_param) is not None:
        return body[p.offset_param]
    return 0


def page_items(p: Pagination, page: object) -> list[Any]:
    if not isinstance(page, dict):
        raise ValueError(f"expected a JSON object page, got {type(page).__name__}")
    items = page.get(p.items)
    if items is None:
        return []
    if not isinstance(items, list):
        raise ValueError(f"page field {p.items!r} is {type(items).__name__}, not a list")
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


class PageWalk(Generic[T]):
    """One paginated call: how its pages are requested and what their items are."""

    def __init__(
        self,
        client: Client,
        op: Operation,
        item_type: Any,
        pagination: Pagination,
        options: Mapping[str, Any],
    ) -> None:
        self.client = client
        self.op = op
        self.item_type = item_type
        self.pagination = pagination
        self.options = options  # the call's keyword arguments (``CallOptions``)

    def start(self) -> PageCursor:
        """A fresh position at the first page (one per iteration)."""
        p = self.pagination
        query, body = self.options.get("query"), self.options.get("json", NOT_GIVEN)
        offset: object = None
        if p.style == "offset":
            assert p.offset_param is not None
            offset = _offset_start(p, query, body)
            query, body = merge_param(self.op, query, body, p.offset_param, offset)
        return PageCursor(self, (query, body, offset))

    def after(self, page: dict[str, Any], request: PageRequest) -> PageRequest | None:
        """The request for the page after ``page``, or ``None`` when it was the last."""
        query, body, offset = request
        step = next_param(self.pagination, page, offset)
        if step is None:
            return None
        name, value = step
        query, body = merge_param(self.op, query, body, name, value)
        return query, body, value

    def fetch(self, request: PageRequest) -> Flow[tuple[dict[str, Any], httpx.Response]]:
        """The flow fetching one page (validated to be an object with a list of items),
        and its response."""
        query, body, _ = request
        client, op, options = self.client, self.op, self.options
        prepared = client._prepare(
            op,
            options.get("path"),
            query,
            body,
            None,
            None,
            options.get("headers"),
            options.get("timeout", NOT_GIVEN),
            options.get("max_retries", NOT_GIVEN),
            cookies=options.get("cookies"),
        )
        response = yield from checked(client, prepared, False)
        page = decoded_result(client, op, response)
        try:
            page_items(self.pagination, page)
        except ValueError as exc:
            raise client._validation_error(response, exc) from exc
        assert isinstance(page, dict)
        return page, response

    def items(self, page: dict[str, Any], response: httpx.Response) -> Iterator[T]:
        """The page's items, validated one by one (``response``: the page's)."""
        parser = get_parser(self.item_type)
        validate, linker, client = parser.from_python, parser.linker, self.client
        for raw in page.get(self.pagination.items) or ():
            try:
                item = validate(raw)
            except ValueError as exc:
                raise client._validation_error(response, exc) from exc
            if linker is not None:
                linker(item, client)
            yield item

    def __repr__(self) -> str:
        return f"{self.op.method} {self.op.path}"


class PageCursor:
    """Where one iteration over the pages is: ``next_page()`` fetches the page there
    and moves on; ``done`` after the last page.  ``items`` are the last page's items."""

    __slots__ = ("_walk", "_request", "_response")

    def __init__(self, walk: PageWalk[Any], request: PageRequest) -> None:
        self._walk = walk
        self._request: PageRequest | None = request
        self._response: httpx.Response | None = None

    @property
    def done(self) -> bool:
        return self._request is None

    def next_page(self) -> Flow[dict[str, Any]]:
        request = self._request
        assert request is not None
        page, self._response = yield from self._walk.fetch(request)
        self._request = self._walk.after(page, request)
        return page

    def items(self, page: dict[str, Any]) -> Iterator[Any]:
        """The items of ``page``, the page ``next_page()`` fetched last."""
        assert self._response is not None
        return self._walk.items(page, self._response)


class SyncPager(Generic[T]):
    """Lazy, re-iterable iterable over every item of a paginated list operation."""

    def __init__(self, io: SyncIO, walk: PageWalk[T]) -> None:
        self._io = io
        self._walk = walk

    def pages(self) -> Iterator[dict[str, Any]]:
        """Every page as the decoded object, starting at the first."""
        cursor = self._walk.start()
        while not cursor.done:
            yield run(self._io, cursor.next_page())

    def __iter__(self) -> Iterator[T]:
        cursor = self._walk.start()
        while not cursor.done:
            yield from cursor.items(run(self._io, cursor.next_page()))

    def __repr__(self) -> str:
        return f"<SyncPager {self._walk!r}>"


class AsyncPager(Generic[T]):
    """Async counterpart of ``SyncPager`` (``async for``; ``pages()`` is async too)."""

    def __init__(self, io: AsyncIO, walk: PageWalk[T]) -> None:
        self._io = io
        self._walk = walk

    async def pages(self) -> AsyncIterator[dict[str, Any]]:
        """Every page as the decoded object, starting at the first."""
        cursor = self._walk.start()
        while not cursor.done:
            yield await arun(self._io, cursor.next_page())

    async def __aiter__(self) -> AsyncIterator[T]:
        cursor = self._walk.start()
        while not cursor.done:
            for item in cursor.items(await arun(self._io, cursor.next_page())):
                yield item

    def __repr__(self) -> str:
        return f"<AsyncPager {self._walk!r}>"
