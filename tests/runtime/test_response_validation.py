"""A success body that cannot be decoded or validated is the API's error, not a raw one.

A real server on 127.0.0.1 answers 200 with HTML, with invalid JSON and with JSON of
the wrong shape; a plain call, a raw response's ``parse()``, a result rule and a pager
page each raise the API's ``APIResponseValidationError`` class (caught as the API's
base error) with the status, raw body and request id kept and the decoding or
validation error as ``__cause__``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pydantic
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import clientcore
from clientcore._failures import make_validation_error
from tests.runtime.conftest import call, collect
from tests.runtime.contract_client import CURSOR, DemoError, Item
from tests.support.server import serve

HTML = "<html><body>502 Bad Gateway (a proxy's page)</body></html>"
BODIES: dict[str, tuple[str, str]] = {
    "html": ("text/html; charset=utf-8", HTML),
    "invalid": ("application/json", '{"id": 1, "name": '),
    "shape": ("application/json", '{"id": "not a number"}'),
    "good": ("application/json", '{"id": 1, "name": "one"}'),
}
CAUSES: dict[str, type[Exception]] = {
    "html": ValueError,
    "invalid": ValueError,
    "shape": pydantic.ValidationError,
}
BODY = clientcore.Operation("GET", "/body/{kind}", path_params={"kind": clientcore.PathParam()})
PAGE = clientcore.Operation("GET", "/pages/{kind}", path_params={"kind": clientcore.PathParam()})
RULED = clientcore.Operation(
    "GET",
    "/body/{kind}",
    path_params={"kind": clientcore.PathParam()},
    result_rule=clientcore.ResultRule(result=None),
)


async def body(request: Request) -> Response:
    kind = request.path_params["kind"]
    media_type, text = BODIES[kind]
    return Response(text, media_type=media_type, headers={"x-request-id": f"req-{kind}"})


async def pages(request: Request) -> Response:
    """The first page is good; the second is ``kind``'s body."""
    kind = request.path_params["kind"]
    if request.query_params.get("next_token") is None:
        first = {"docs": [{"id": 1, "name": "one"}], "has_more": True, "next_token": "p2"}
        return Response(json.dumps(first), media_type="application/json")
    if kind == "items":  # a page object whose item has the wrong shape
        text = json.dumps({"docs": [{"id": "x"}], "has_more": False})
        return Response(text, media_type="application/json", headers={"x-request-id": "req-p2"})
    if kind == "not_object":
        return Response("[1, 2]", media_type="application/json", headers={"x-request-id": "req-p2"})
    media_type, text = BODIES[kind]
    return Response(text, media_type=media_type, headers={"x-request-id": "req-p2"})


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    app = Starlette(
        routes=[Route("/body/{kind}", body), Route("/pages/{kind}", pages)],
    )
    with serve(app) as base_url:
        yield base_url


def check(err: DemoError, kind: str, text: str, cause: type[Exception] = ValueError) -> None:
    assert isinstance(err, clientcore.APIResponseValidationError)
    assert type(err).__name__ == "DemoAPIResponseValidationError"
    assert err.status_code == 200 and err.code == 200
    assert err.body == text
    assert err.request_id == f"req-{kind}"
    assert err.headers is not None and err.headers["x-request-id"] == f"req-{kind}"
    assert err.method == "GET" and err.url is not None
    assert isinstance(err.__cause__, cause)
    assert str(err).startswith("200 Invalid response body: ")


@pytest.mark.parametrize("kind", sorted(CAUSES))
async def test_a_plain_call(make_client: Any, url: str, kind: str) -> None:
    client = make_client(base_url=url, max_retries=0)
    with pytest.raises(DemoError) as info:
        await call(client._request(BODY, Item, path={"kind": kind}))
    check(info.value, kind, BODIES[kind][1], CAUSES[kind])


@pytest.mark.parametrize("cast_to", [Any, dict[str, int]])
async def test_a_plain_call_of_other_types(make_client: Any, url: str, cast_to: Any) -> None:
    client = make_client(base_url=url, max_retries=0)
    with pytest.raises(DemoError) as info:
        await call(client._request(BODY, cast_to, path={"kind": "html"}))
    check(info.value, "html", HTML)


@pytest.mark.parametrize("kind", sorted(CAUSES))
async def test_a_raw_response_parse(make_client: Any, url: str, kind: str) -> None:
    client = make_client(base_url=url, max_retries=0)
    request = client._request
    wrap = clientcore.to_raw_response
    if not isinstance(client, clientcore.SyncAPIClient):
        wrap = clientcore.async_to_raw_response  # type: ignore[assignment]
    raw = await call(wrap(request)(BODY, Item, path={"kind": kind}))
    assert raw.status_code == 200  # the call itself succeeds; parsing is what fails
    with pytest.raises(DemoError) as info:
        raw.parse()
    check(info.value, kind, BODIES[kind][1], CAUSES[kind])


@pytest.mark.parametrize("kind", sorted(CAUSES))
async def test_a_result_rule(make_client: Any, url: str, kind: str) -> None:
    client = make_client(base_url=url, max_retries=0)
    with pytest.raises(DemoError) as info:
        await call(client._request(RULED, Item, path={"kind": kind}))
    check(info.value, kind, BODIES[kind][1], CAUSES[kind])


async def test_good_bodies_still_parse(make_client: Any, url: str) -> None:
    client = make_client(base_url=url, max_retries=0)
    assert await call(client._request(BODY, Item, path={"kind": "good"})) == Item(id=1, name="one")
    assert await call(client._request(RULED, Item, path={"kind": "good"})) == Item(id=1, name="one")
    assert await call(client._request(BODY, bytes, path={"kind": "html"})) == HTML.encode()
    assert await call(client._request(BODY, None, path={"kind": "html"})) is None


@pytest.mark.parametrize("kind", ["html", "invalid", "items", "not_object"])
async def test_a_pager_page(make_client: Any, url: str, kind: str) -> None:
    client = make_client(base_url=url, max_retries=0)
    pager = client._paginate(PAGE, Item, CURSOR, path={"kind": kind})
    got: list[Any] = []
    with pytest.raises(DemoError) as info:
        iterator = pager.__aiter__() if hasattr(pager, "__aiter__") else iter(pager)
        if hasattr(iterator, "__anext__"):
            async for item in iterator:
                got.append(item)
        else:
            got.extend(iterator)
    assert got == [Item(id=1, name="one")]  # the first page's item came through
    text = {
        "items": json.dumps({"docs": [{"id": "x"}], "has_more": False}),
        "not_object": "[1, 2]",
    }.get(kind) or BODIES[kind][1]
    cause = pydantic.ValidationError if kind == "items" else ValueError
    check(info.value, "p2", text, cause)


async def test_pages_raise_it_too(make_client: Any, url: str) -> None:
    client = make_client(base_url=url, max_retries=0)
    pager = client._paginate(PAGE, Item, CURSOR, path={"kind": "invalid"})
    with pytest.raises(DemoError) as info:
        await collect(pager.pages())
    check(info.value, "p2", BODIES["invalid"][1])


def test_an_apis_own_class_is_used() -> None:
    class MyError(clientcore.APIError):
        pass

    class MyValidation(MyError, clientcore.APIResponseValidationError):
        pass

    response = httpx.Response(
        200, content=b"\xff\xfe", request=httpx.Request("GET", "https://x.test/a")
    )
    named = clientcore.ErrorConfig(base=MyError, validation=MyValidation)
    err = make_validation_error(named, response, ValueError("bad frame"))
    assert type(err) is MyValidation and err.message == "Invalid response body: bad frame"
    mixed = make_validation_error(clientcore.ErrorConfig(base=MyError), response, ValueError())
    assert isinstance(mixed, MyError) and isinstance(mixed, clientcore.APIResponseValidationError)
    assert mixed.body == b"\xff\xfe"  # not text in its charset: the bytes are kept
