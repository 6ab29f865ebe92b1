"""A hand-written stand-in for a generated package, using only the documented contract
(``docs/runtime-contract.md``): module-level config values, client and resource
subclasses, methods that call ``_request`` / ``_paginate`` / ``_stream`` /
``_download``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from enum import Enum
from typing import Any, ClassVar

import httpx
from pydantic import Field, PrivateAttr

import clientcore
from clientcore import NOT_GIVEN, NotGiven

SECRET = "sk_live_SECRET_4242"


# -- errors (what codegen emits from x-errors) -------------------------------------------
class DemoError(clientcore.APIError):
    """Base."""


class DemoBadRequest(DemoError, clientcore.BadRequestError):
    pass


class DemoNotFound(DemoError, clientcore.NotFoundError):
    pass


class DemoConflict(DemoError, clientcore.ConflictError):
    pass


class DemoServerError(DemoError, clientcore.InternalServerError):
    pass


class DemoConnectionError(DemoError, clientcore.APIConnectionError):
    pass


class DemoTimeout(DemoConnectionError, clientcore.APITimeoutError):
    pass


ERRORS = clientcore.ErrorConfig(
    base=DemoError,
    by_status={400: DemoBadRequest, 404: DemoNotFound, 409: DemoConflict},
    by_range={5: DemoServerError},
    connection=DemoConnectionError,
    timeout=DemoTimeout,
    message_pointer=("error", "message"),
)

CONFIG = clientcore.ClientConfig(
    default_base_url="http://127.0.0.1:9",  # tests always pass base_url
    user_agent="demo-client/1.0",
    auth={
        "basic": clientcore.AuthScheme("basic"),
        "bearer": clientcore.AuthScheme("bearer"),
        "apiKey": clientcore.AuthScheme("header", name="api-key"),
        "queryKey": clientcore.AuthScheme("query", name="key"),
    },
    default_security=("bearer",),
    errors=ERRORS,
    retry=clientcore.RetryPolicy(max_retries=3, initial_delay=0.5, max_delay=8.0),
    timeout=10.0,
)


# -- models --------------------------------------------------------------------------
class Status(clientcore.OpenEnum):
    pending = "pending"
    completed = "completed"


class Color(Enum):
    red = "r"
    green = "g"


class Task(clientcore.APIModel):
    __links__: ClassVar[bool] = True
    _client: Any = PrivateAttr(default=None)  # what generated link classes declare

    task_id: str
    status: Status
    unique_id: str | None = None


class Item(clientcore.APIModel):
    id: int
    name: str


class Event(clientcore.APIModel):
    index: int
    text: str


class Metadata(clientcore.APIModel):
    created_at: dt.datetime | None = Field(default=None, alias="createdAt")
    color: Color | None = None
    note: str | None = None


# -- operations ----------------------------------------------------------------------
LIST_TASKS = clientcore.Operation(
    "GET", "/tasks", query_params={"unique_id": clientcore.QueryParam()}
)
CREATE_TASK = clientcore.Operation(
    "POST",
    "/tasks",
    query_params={"mode": clientcore.QueryParam()},
    idempotency_key="unique_id",
    recovery=clientcore.Recovery(
        operation=LIST_TASKS, query={"unique_id": "unique_id"}, result=("docs", 0)
    ),
)
FLAKY_GET = clientcore.Operation("GET", "/flaky/{key}", path_params={"key": clientcore.PathParam()})
FLAKY_PUT = clientcore.Operation("PUT", "/flaky/{key}", path_params={"key": clientcore.PathParam()})
FLAKY_POST = clientcore.Operation(
    "POST", "/flaky/{key}", path_params={"key": clientcore.PathParam()}, idempotency_key="unique_id"
)
ITEMS = clientcore.Operation("GET", "/items/{run}", path_params={"run": clientcore.PathParam()})
CURSOR = clientcore.Pagination(
    style="cursor",
    items="docs",
    cursor_param="next_token",
    cursor_field="next_token",
    has_more_field="has_more",
)
TOKEN = clientcore.Pagination(
    style="token", items="docs", cursor_param="next_token", cursor_field="next_token"
)
OFFSET = clientcore.Pagination(
    style="offset",
    items="docs",
    offset_param="offset",
    limit_field="limit",
    has_more_field="has_more",
    total_field="totalDocs",
)
SSE = clientcore.Operation("POST", "/sse/{run}", path_params={"run": clientcore.PathParam()})
BLOB = clientcore.Operation("GET", "/blob/{key}", path_params={"key": clientcore.PathParam()})
STREAM = clientcore.StreamSpec(terminator="[DONE]", error_field="error")


# -- clients and a resource ----------------------------------------------------------
class Tasks(clientcore.SyncResource):
    def create(
        self,
        *,
        unique_id: str | None,
        mode: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
    ) -> Task:
        return self._request(
            CREATE_TASK, Task, query={"mode": mode}, json={"unique_id": unique_id}, timeout=timeout
        )

    def list(self, *, unique_id: str) -> dict[str, Any]:
        return self._request(LIST_TASKS, dict[str, Any], query={"unique_id": unique_id})


class AsyncTasks(clientcore.AsyncResource):
    async def create(
        self,
        *,
        unique_id: str | None,
        mode: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
    ) -> Task:
        return await self._request(
            CREATE_TASK, Task, query={"mode": mode}, json={"unique_id": unique_id}, timeout=timeout
        )

    async def list(self, *, unique_id: str) -> dict[str, Any]:
        return await self._request(LIST_TASKS, dict[str, Any], query={"unique_id": unique_id})


class DemoClient(clientcore.SyncAPIClient):
    def __init__(
        self,
        api_key: str | Callable[[], str] | None = SECRET,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        http_client: httpx.Client | None = None,
        default_headers: Mapping[str, str] | None = None,
        config: clientcore.ClientConfig = CONFIG,
    ) -> None:
        super().__init__(
            config,
            credential=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
            default_headers=default_headers,
        )
        self.tasks = Tasks(self)

    def flaky(self, key: str, *, fail: int = 0, status: int = 503, **query: Any) -> dict[str, Any]:
        return self._request(
            FLAKY_GET,
            dict[str, Any],
            path={"key": key},
            query={"fail": fail, "status": status, **query},
        )

    def list_items(
        self, run: str, pagination: clientcore.Pagination = CURSOR, **query: Any
    ) -> clientcore.SyncPager[Item]:
        return self._paginate(ITEMS, Item, pagination, path={"run": run}, query=query)

    def events(self, run: str, **query: Any) -> clientcore.Stream[Event]:
        return self._stream(
            SSE, Event, STREAM, path={"run": run}, query=query, json={"stream": True}
        )

    def download(self, key: str, **query: Any) -> clientcore.BinaryResponse:
        return self._download(BLOB, path={"key": key}, query=query)


class AsyncDemoClient(clientcore.AsyncAPIClient):
    def __init__(
        self,
        api_key: str | Callable[[], str] | Callable[[], Awaitable[str]] | None = SECRET,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        config: clientcore.ClientConfig = CONFIG,
    ) -> None:
        super().__init__(
            config,
            credential=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
            default_headers=default_headers,
        )
        self.tasks = AsyncTasks(self)

    async def flaky(
        self, key: str, *, fail: int = 0, status: int = 503, **query: Any
    ) -> dict[str, Any]:
        return await self._request(
            FLAKY_GET,
            dict[str, Any],
            path={"key": key},
            query={"fail": fail, "status": status, **query},
        )

    def list_items(
        self, run: str, pagination: clientcore.Pagination = CURSOR, **query: Any
    ) -> clientcore.AsyncPager[Item]:
        return self._paginate(ITEMS, Item, pagination, path={"run": run}, query=query)

    def events(self, run: str, **query: Any) -> clientcore.AsyncStream[Event]:
        return self._stream(
            SSE, Event, STREAM, path={"run": run}, query=query, json={"stream": True}
        )

    async def download(self, key: str, **query: Any) -> clientcore.AsyncBinaryResponse:
        return await self._download(BLOB, path={"key": key}, query=query)
