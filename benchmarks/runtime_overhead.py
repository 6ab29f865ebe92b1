"""Per-call overhead of clientcore against raw httpx, on ``httpx.MockTransport``.

Baseline: ``json.loads(http.get(url, params=...).content)`` on an ``httpx.Client``,
and the same with the query string already in the URL (httpx's ``params=`` merging is
slow, and clientcore avoids it, so the second baseline is the stricter one).
Measured: the same request through ``SyncAPIClient._request`` (path + query encoding,
auth header, retry loop, parsing into ``typing.Any`` or a pydantic model), with the
client's own httpx client and with an injected one.

Run: ``python benchmarks/runtime_overhead.py`` (from the repository root).  Prints
microseconds per call (best of several rounds) and the ratio to the baseline.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import timeit
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import clientcore as cc  # noqa: E402

BODY = json.dumps(
    {
        "task_id": "5774cc78b01249ab09f089dd",
        "status": "completed",
        "type": "imageannotation",
        "created_at": "2024-01-02T03:04:05Z",
        "params": {"attachment": "https://x/y.png"},
        "metadata": {"k": "v"},
        "tags": ["a", "b"],
    }
).encode()


class Task(cc.APIModel):
    task_id: str
    status: str
    type: str
    created_at: str
    params: dict[str, Any]
    metadata: dict[str, Any]
    tags: list[str]


CONFIG = cc.ClientConfig(
    default_base_url="https://api.example.com",
    user_agent="bench/1",
    auth={"basic": cc.AuthScheme("basic")},
    default_security=("basic",),
)
GET_TASK = cc.Operation(
    "GET",
    "/v1/task/{task}",
    path_params={"task": cc.PathParam()},
    query_params={"expand": cc.QueryParam()},
)


def _handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})


def main() -> None:
    http = httpx.Client(transport=httpx.MockTransport(_handler))
    injected = cc.SyncAPIClient(CONFIG, credential="live_KEY", http_client=http)
    # The usual case: the client creates its own httpx.Client (default headers set on
    # it once).  Its transport is swapped for the mock one.
    api = cc.SyncAPIClient(CONFIG, credential="live_KEY")
    api._http._transport = httpx.MockTransport(_handler)
    url = "https://api.example.com/v1/task/5774cc78b01249ab09f089dd"
    auth = {"authorization": "Basic bGl2ZV9LRVk6"}

    def raw() -> object:
        return json.loads(http.get(url, params={"expand": "project"}, headers=auth).content)

    def raw_url() -> object:
        return json.loads(http.get(url + "?expand=project", headers=auth).content)

    def via_any() -> object:
        return api._request(
            GET_TASK, Any, path={"task": "5774cc78b01249ab09f089dd"}, query={"expand": "project"}
        )

    def injected_model() -> object:
        return injected._request(
            GET_TASK, Task, path={"task": "5774cc78b01249ab09f089dd"}, query={"expand": "project"}
        )

    def via_model() -> object:
        return api._request(
            GET_TASK, Task, path={"task": "5774cc78b01249ab09f089dd"}, query={"expand": "project"}
        )

    n = 5000
    results = {}
    for name, fn in (
        ("raw httpx + json.loads", raw),
        ("raw, query in URL", raw_url),
        ("clientcore -> Any", via_any),
        ("clientcore -> model", via_model),
        ("injected http_client", injected_model),
    ):
        fn()
        results[name] = min(timeit.repeat(fn, number=n, repeat=7)) / n * 1e6
    base = results["raw httpx + json.loads"]
    strict = results["raw, query in URL"]
    for name, us in results.items():
        print(
            f"{name:24s} {us:7.2f} us/call   vs params=: {us / base:5.3f}"
            f"   vs query-in-URL: {us / strict:5.3f} ({us - strict:+6.2f} us)"
        )
    api.close()
    asyncio.run(_async_main())


async def _async_handler(request: httpx.Request) -> httpx.Response:
    return _handler(request)


async def _async_main() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(_async_handler))
    api = cc.AsyncAPIClient(CONFIG, credential="live_KEY")
    api._http._transport = httpx.MockTransport(_async_handler)
    url = "https://api.example.com/v1/task/5774cc78b01249ab09f089dd?expand=project"
    auth = {"authorization": "Basic bGl2ZV9LRVk6"}

    async def raw() -> None:
        json.loads((await http.get(url, headers=auth)).content)

    async def ours() -> None:
        await api._request(
            GET_TASK, Task, path={"task": "5774cc78b01249ab09f089dd"}, query={"expand": "project"}
        )

    results = {}
    for name, fn in (("async raw, query in URL", raw), ("async clientcore -> model", ours)):
        best = float("inf")
        for _ in range(7):
            start = time.perf_counter()
            for _ in range(3000):
                await fn()
            best = min(best, (time.perf_counter() - start) / 3000 * 1e6)
        results[name] = best
    base = results["async raw, query in URL"]
    for name, us in results.items():
        print(f"{name:26s} {us:7.2f} us/call   ratio {us / base:5.3f} ({us - base:+6.2f} us)")
    await api.aclose()
    await http.aclose()


if __name__ == "__main__":
    main()
