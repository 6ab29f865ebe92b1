"""Lazy pagers over a server-side list of 100,000 items."""

from __future__ import annotations

import gc
import tracemalloc
import uuid
from typing import Any

import pytest

import clientcore
from clientcore._pagination import next_param
from tests.runtime.conftest import Server, collect
from tests.runtime.contract_client import CURSOR, OFFSET, TOKEN, Item
from tests.runtime.fake_api import TOTAL_ITEMS


def run_id() -> str:
    return uuid.uuid4().hex


async def test_nothing_is_sent_until_iteration(make_client: Any, server: Server) -> None:
    client = make_client()
    run = run_id()
    pager = client.list_items(run, limit=100)
    assert isinstance(pager, (clientcore.SyncPager, clientcore.AsyncPager))
    assert server.state.counts["items:" + run] == 0
    await collect(pager, limit=1)
    assert server.state.counts["items:" + run] == 1


@pytest.mark.parametrize("pagination", [CURSOR, TOKEN, OFFSET], ids=["cursor", "token", "offset"])
async def test_stopping_early_fetches_only_the_pages_consumed(
    make_client: Any, server: Server, pagination: clientcore.Pagination
) -> None:
    client = make_client()
    run = run_id()
    pager = client.list_items(run, pagination, style=pagination.style, limit=100)
    items = await collect(pager, limit=250)
    assert [i.id for i in items] == list(range(250))
    assert all(isinstance(i, Item) for i in items)
    assert server.state.counts["items:" + run] == 3  # pages 0-99, 100-199, 200-299
    # iterating again starts at the first page
    again = await collect(pager, limit=5)
    assert [i.id for i in again] == [0, 1, 2, 3, 4]
    seen = server.state.seen["items:" + run]
    assert len(seen) == 4
    if pagination.style == "offset":
        assert [s["params"].get("offset") for s in seen] == ["0", "100", "200", "0"]
    else:
        assert [s["params"].get("next_token") for s in seen] == [None, "100", "200", None]


@pytest.mark.parametrize("pagination", [CURSOR, TOKEN, OFFSET], ids=["cursor", "token", "offset"])
async def test_iterates_to_the_end(
    make_client: Any, server: Server, pagination: clientcore.Pagination
) -> None:
    client = make_client()
    run = run_id()
    pager = client.list_items(run, pagination, style=pagination.style, limit=100, total=250)
    ids = [i.id for i in await collect(pager)]
    assert ids == list(range(250))
    # cursor stops on has_more=false, token on a null cursor, offset on has_more=false
    assert server.state.counts["items:" + run] == 3


async def test_offset_starts_at_the_given_offset(make_client: Any, server: Server) -> None:
    client = make_client()
    run = run_id()
    pager = client.list_items(run, OFFSET, style="offset", limit=40, total=100, offset=50)
    assert [i.id for i in await collect(pager)] == list(range(50, 100))
    assert [s["params"]["offset"] for s in server.state.seen["items:" + run]] == ["50", "90"]


async def test_pages_yields_the_raw_page_dicts(make_client: Any, kind: str) -> None:
    client = make_client()
    pager = client.list_items(run_id(), CURSOR, limit=10, total=25)
    pages = await collect(pager.pages())
    assert [len(p["docs"]) for p in pages] == [10, 10, 5]
    assert [p["has_more"] for p in pages] == [True, True, False]
    assert isinstance(pages[0]["docs"][0], dict)


async def test_100k_items_in_bounded_memory(make_client: Any, server: Server) -> None:
    """All 100,000 items stream through while at most one page is held."""
    client = make_client()
    run = run_id()
    pager = client.list_items(run, CURSOR, limit=1000)

    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        count = 0
        last = -1
        if hasattr(pager, "__aiter__"):
            async for item in pager:
                count += 1
                last = item.id
        else:
            for item in pager:
                count += 1
                last = item.id
        _, streaming_peak = tracemalloc.get_traced_memory()
        streaming = streaming_peak - base

        # What holding every item would take, from a tenth of them (it is linear).
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        held = [Item(id=i, name=f"item-{i}") for i in range(TOTAL_ITEMS // 10)]
        holding_all, _ = tracemalloc.get_traced_memory()
        holding_all = (holding_all - base) * 10
        del held
    finally:
        tracemalloc.stop()

    assert count == TOTAL_ITEMS and last == TOTAL_ITEMS - 1
    assert server.state.counts["items:" + run] == TOTAL_ITEMS // 1000
    # one page (1,000 items, as JSON and dicts) versus all 100,000 models
    assert streaming < holding_all / 10, (streaming, holding_all)


def test_next_param_rules() -> None:
    assert next_param(CURSOR, {"docs": [1], "has_more": True, "next_token": "c"}, None) == (
        "next_token",
        "c",
    )
    assert next_param(CURSOR, {"docs": [1], "has_more": False, "next_token": "c"}, None) is None
    assert next_param(CURSOR, {"docs": [1], "has_more": True}, None) is None  # no cursor
    assert next_param(TOKEN, {"docs": [1], "next_token": None}, None) is None
    assert next_param(TOKEN, {"docs": [], "next_token": "t"}, None) == ("next_token", "t")
    assert next_param(OFFSET, {"docs": [1, 2], "limit": 50, "has_more": True}, 0) == ("offset", 50)
    assert next_param(OFFSET, {"docs": [], "limit": 50, "has_more": True}, 0) is None
    no_limit = clientcore.Pagination(style="offset", items="docs", offset_param="offset")
    assert next_param(no_limit, {"docs": [1, 2, 3]}, 10) == ("offset", 13)  # item count
    with pytest.raises(ValueError):
        next_param(OFFSET, {"docs": "oops"}, 0)


def test_pagination_config_is_validated() -> None:
    with pytest.raises(ValueError):
        clientcore.Pagination(style="offset", items="docs")
    with pytest.raises(ValueError):
        clientcore.Pagination(style="cursor", items="docs", cursor_param="c")
    with pytest.raises(ValueError):
        clientcore.Pagination(style="pages", items="docs")  # type: ignore[arg-type]


async def test_post_list_sends_the_cursor_in_the_body(make_client: Any) -> None:
    """A POST list operation whose body is an object takes the cursor in the body."""
    op = clientcore.Operation("POST", "/echo/list")
    pag = clientcore.Pagination(
        style="token", items="docs", cursor_param="page", cursor_field="page"
    )
    client = make_client()
    pager = client._paginate(op, Any, pag, json={"filter": "x"})
    pages = await collect(pager.pages(), limit=1)
    assert pages[0]["body"] == '{"filter":"x"}'

    from clientcore._encode import merge_param

    query, body = merge_param(op, None, {"filter": "x"}, "page", "p2")
    assert query == {} and body == {"filter": "x", "page": "p2"}
    query, body = merge_param(op, {"a": 1}, clientcore.NOT_GIVEN, "page", "p2")
    assert query == {"a": 1, "page": "p2"} and body is clientcore.NOT_GIVEN
