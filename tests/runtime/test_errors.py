"""Error classes by status, and what an error carries."""

from __future__ import annotations

import pickle
from typing import Any

import httpx
import pytest

import clientcore
from clientcore._failures import extract_message, make_status_error
from clientcore._pointer import resolve_pointer
from tests.runtime.conftest import call
from tests.runtime.contract_client import (
    DemoBadRequest,
    DemoConflict,
    DemoError,
    DemoNotFound,
    DemoServerError,
)

STATUS = clientcore.Operation("GET", "/status/{code}", path_params={"code": clientcore.PathParam()})

# status -> (runtime class, API class or None when the runtime mixes one)
EXPECTED: dict[int, tuple[type[clientcore.APIStatusError], type[DemoError] | None]] = {
    400: (clientcore.BadRequestError, DemoBadRequest),
    401: (clientcore.AuthenticationError, None),
    402: (clientcore.PaymentRequiredError, None),
    403: (clientcore.PermissionDeniedError, None),
    404: (clientcore.NotFoundError, DemoNotFound),
    409: (clientcore.ConflictError, DemoConflict),
    422: (clientcore.UnprocessableEntityError, None),
    429: (clientcore.RateLimitError, None),
    500: (clientcore.InternalServerError, DemoServerError),  # by_range[5]
    503: (clientcore.InternalServerError, DemoServerError),
}


@pytest.mark.parametrize("status", sorted(EXPECTED))
async def test_error_class_and_fields_by_status(make_client: Any, status: int) -> None:
    client = make_client(max_retries=0)
    with pytest.raises(DemoError) as info:
        await call(client._request(STATUS, dict, path={"code": status}))
    err = info.value
    runtime_cls, api_cls = EXPECTED[status]
    assert isinstance(err, runtime_cls)
    assert isinstance(err, clientcore.APIStatusError) and isinstance(err, clientcore.ClientError)
    if api_cls is not None:
        assert type(err) is api_cls
    else:
        assert type(err).__name__ == f"Demo{runtime_cls.__name__}"
    assert err.status_code == status and err.code == status
    assert err.body == {"error": {"message": f"boom {status}", "type": "test"}}
    assert err.message == f"boom {status}"  # from message_pointer ("error", "message")
    assert err.headers is not None and err.headers["x-request-id"] == f"req-{status}"
    assert err.request_id == f"req-{status}"
    assert err.method == "GET"
    assert err.url is not None and err.url.endswith(f"/status/{status}")
    assert str(err) == f"{status} boom {status} (request id req-{status})"
    assert repr(err) == f"{type(err).__name__}('{status} boom {status} (request id req-{status})')"


async def test_plain_text_error_body_is_the_message(make_client: Any) -> None:
    client = make_client(max_retries=0)
    with pytest.raises(DemoNotFound) as info:
        await call(client._request(STATUS, dict, path={"code": 404}, query={"text": 1}))
    assert info.value.body == "plain failure 404"
    assert info.value.message == "plain failure 404"


async def test_unmapped_status_gets_the_generic_status_class(make_client: Any) -> None:
    client = make_client(max_retries=0)
    with pytest.raises(DemoError) as info:
        await call(client._request(STATUS, dict, path={"code": 418}))
    assert type(info.value).__name__ == "DemoAPIStatusError"
    assert type(info.value).__mro__[1:3] == (DemoError, clientcore.APIStatusError)


async def test_success_statuses_narrow_what_counts_as_success(make_client: Any) -> None:
    op = clientcore.Operation(
        "GET",
        "/status/{code}",
        path_params={"code": clientcore.PathParam()},
        success=frozenset({200}),
    )
    client = make_client(max_retries=0)
    with pytest.raises(clientcore.APIStatusError) as info:
        await call(client._request(op, dict, path={"code": 201}))
    assert info.value.status_code == 201
    # and a non-2xx listed as success is returned
    ok = clientcore.Operation(
        "GET",
        "/status/{code}",
        path_params={"code": clientcore.PathParam()},
        success=frozenset({202, 404}),
    )
    assert await call(client._request(ok, dict, path={"code": 404})) == {
        "error": {"message": "boom 404", "type": "test"}
    }


def test_runtime_defaults_without_an_api_base() -> None:
    config = clientcore.ErrorConfig()
    request = httpx.Request("GET", "https://api.test/x")
    for status, (runtime_cls, _) in EXPECTED.items():
        response = httpx.Response(status, json={"message": "m"}, request=request)
        err = make_status_error(config, response, clientcore.JSON_CODEC)
        assert type(err) is runtime_cls
        assert err.message == '{"message":"m"}'  # no pointer: the raw text
    empty = make_status_error(config, httpx.Response(502, request=request), clientcore.JSON_CODEC)
    assert empty.body is None and empty.message == "Bad Gateway"
    assert str(empty) == "502 Bad Gateway"


def test_message_pointer_edge_cases() -> None:
    body = {"error": {"message": "m", "list": ["a", "b"], "n": 3}}
    assert resolve_pointer(body, ("error", "list", 1)) == "b"
    assert resolve_pointer(body, ("error", "list", 5)) is None
    assert resolve_pointer(body, ("error", "missing")) is None
    assert resolve_pointer(body, ("error", 0)) is None
    assert extract_message(body, ("error", "n"), "raw") == "3"
    assert extract_message(body, ("error",), "raw") == "raw"  # not a string
    assert extract_message({"error": "str"}, ("error", "message"), "raw") == "raw"
    assert extract_message("text", ("error",), "text") == "text"


def test_mixed_classes_are_cached_and_picklable_by_name() -> None:
    config = clientcore.ErrorConfig(base=DemoError)
    request = httpx.Request("GET", "https://api.test/x")
    a = make_status_error(config, httpx.Response(401, request=request), clientcore.JSON_CODEC)
    b = make_status_error(config, httpx.Response(401, request=request), clientcore.JSON_CODEC)
    assert type(a) is type(b)
    assert pickle.loads(pickle.dumps(clientcore.NOT_GIVEN)) is clientcore.NOT_GIVEN


def test_parameter_error_names_the_parameter() -> None:
    err = clientcore.ParameterError("project_name", "required")
    assert err.parameter == "project_name"
    assert isinstance(err, ValueError) and isinstance(err, clientcore.ClientError)
    assert str(err) == "project_name: required"
