"""Result rules: an RPC-style API answers HTTP 200 with ``{"error": {"code": ...}}`` or
``{"result": ...}``; errors are typed by their code, results extracted, for plain calls,
raw responses and pagers alike."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

import clientcore
from tests.runtime.conftest import Server, call, collect


class RpcError(clientcore.APIError):
    """The API's base class."""


class RpcNotFound(RpcError, clientcore.APIResultError):
    """Named for code "not_found", deriving from APIResultError as generated code does."""


class RpcDenied(RpcError):
    """Named for code "denied" without APIResultError: the runtime mixes it in."""


class RpcUnknown(RpcError, clientcore.APIResultError):
    """For codes the API does not name."""


RULE = clientcore.ResultRule(error=("error",), code=("error", "code"), result=("result",))
CALL = clientcore.Operation(
    "POST", "/rpc/{call}", path_params={"call": clientcore.PathParam()}, result_rule=RULE
)
WHOLE = clientcore.Operation(
    "POST",
    "/rpc/{call}",
    path_params={"call": clientcore.PathParam()},
    result_rule=clientcore.ResultRule(result=None),
)
PAGES = clientcore.Pagination(
    style="token", items="docs", cursor_param="cursor", cursor_field="next"
)


def config(unknown: type[clientcore.APIError] | None) -> clientcore.ClientConfig:
    return clientcore.ClientConfig(
        default_base_url="http://127.0.0.1:9",
        errors=clientcore.ErrorConfig(
            base=RpcError,
            message_pointer=("error", "message"),
            by_code={"not_found": RpcNotFound, "denied": RpcDenied},
            unknown_code=unknown,
        ),
        retry=clientcore.RetryPolicy(max_retries=0),
    )


@pytest.fixture
async def rpc(server: Server, kind: str) -> Any:
    cls = clientcore.SyncAPIClient if kind == "sync" else clientcore.AsyncAPIClient
    client = cls(config(RpcUnknown), base_url=server.base_url)
    yield client
    await call(client.close())


class Item(clientcore.APIModel):
    id: int
    name: str


def name() -> str:
    return uuid.uuid4().hex


async def test_success_returns_the_result(rpc: Any) -> None:
    item = await call(rpc._request(CALL, Item, path={"call": "get"}))
    assert item == Item(id=7, name="get")
    whole = await call(rpc._request(WHOLE, dict, path={"call": "get"}))
    assert whole == {"result": {"id": 7, "name": "get"}, "error": None}  # result=None: all


async def test_an_error_in_a_200_body_raises_the_class_for_its_code(rpc: Any) -> None:
    call_name = name()
    with pytest.raises(RpcNotFound) as info:
        await call(
            rpc._request(
                CALL, Item, path={"call": call_name}, query={"code": "not_found", "message": "gone"}
            )
        )
    err = info.value
    assert isinstance(err, clientcore.APIResultError) and isinstance(err, RpcError)
    assert not isinstance(err, clientcore.APIStatusError)
    assert err.code == "not_found"
    assert err.status_code == 200
    assert err.message == "gone"
    assert err.body == {"error": {"code": "not_found", "message": "gone"}, "id": call_name}
    assert err.request_id == f"rpc-{call_name}"
    assert err.headers is not None and err.headers["content-type"] == "application/json"
    assert str(err) == f"not_found gone (request id rpc-{call_name})"


async def test_a_named_class_without_api_result_error_gets_it_mixed_in(rpc: Any) -> None:
    with pytest.raises(RpcDenied) as info:
        await call(rpc._request(CALL, Item, path={"call": "x"}, query={"code": "denied"}))
    err = info.value
    assert isinstance(err, clientcore.APIResultError)
    assert type(err).__name__ == "RpcDeniedAPIResultError"
    assert err.code == "denied" and err.message == "denied"  # no message: the code


async def test_an_unknown_code_keeps_its_code_and_raw_body(rpc: Any, server: Server) -> None:
    with pytest.raises(RpcUnknown) as info:
        await call(rpc._request(CALL, Item, path={"call": "y"}, query={"code": "32601"}))
    err = info.value
    assert err.code == "32601"  # a number in the body, as text
    assert err.body == {"error": {"code": 32601}, "id": "y"}


async def test_without_unknown_code_the_base_is_used(server: Server, kind: str) -> None:
    cls = clientcore.SyncAPIClient if kind == "sync" else clientcore.AsyncAPIClient
    client = cls(config(None), base_url=server.base_url)
    with pytest.raises(RpcError) as info:
        await call(client._request(CALL, None, path={"call": "z"}, query={"code": "weird"}))
    err = info.value
    assert isinstance(err, clientcore.APIResultError)  # base mixed with APIResultError
    assert type(err).__name__ == "RpcAPIResultError"
    assert err.code == "weird"
    await call(client.close())


async def test_cast_to_none_still_checks_for_an_error(rpc: Any) -> None:
    assert await call(rpc._request(CALL, None, path={"call": "ok"})) is None
    with pytest.raises(RpcNotFound):
        await call(rpc._request(CALL, None, path={"call": "no"}, query={"code": "not_found"}))


async def test_a_non_success_status_is_a_status_error_as_usual(rpc: Any) -> None:
    with pytest.raises(clientcore.BadRequestError) as info:
        await call(rpc._request(CALL, Item, path={"call": "s"}, query={"status": 400}))
    assert isinstance(info.value, RpcError)
    assert info.value.code == 400 and info.value.message == "not ok"


async def test_raw_responses_raise_and_parse_the_result(rpc: Any, kind: str) -> None:
    wrap = clientcore.to_raw_response if kind == "sync" else clientcore.async_to_raw_response

    def get(call_name: str, **query: Any) -> Any:  # a generated method
        return rpc._request(CALL, Item, path={"call": call_name}, query=query)

    raw = await call(wrap(get)("raw"))
    assert raw.status_code == 200
    assert raw.parse() == Item(id=7, name="raw")
    with pytest.raises(RpcNotFound):
        await call(wrap(get)("raw", code="not_found"))


async def test_pagers_page_through_the_results(rpc: Any, server: Server) -> None:
    pager = rpc._paginate(CALL, Item, PAGES, path={"call": "page"})
    items = await collect(pager)
    assert [i.id for i in items] == [0, 1, 2, 3, 4]
    pages = await collect(pager.pages())
    assert pages[0] == {
        "docs": [{"id": 0, "name": "item-0"}, {"id": 1, "name": "item-1"}],
        "next": "2",
    }
    failing = rpc._paginate(CALL, Item, PAGES, path={"call": "page"}, query={"code": "denied"})
    with pytest.raises(RpcDenied):
        await collect(failing)
