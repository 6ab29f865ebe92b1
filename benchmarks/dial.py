"""DIAL benchmarks: chat stream throughput and per-call overhead, as ratios.

* ``stream_rates``: chunks per second over one 20,000-chunk chat stream on loopback
  (the server, ``dial_server.py``, replays bytes aidial-sdk produced, in another
  process): raw httpx line parsing (``iter_lines`` + ``json.loads`` per event) = 1x,
  sync and async; ``dial_client`` sync and async (typed ``ChatCompletionChunk``s, each
  against raw httpx of its kind); aidial-client 0.18.0 and openai 2.x (sync), each
  reading the same stream.  Target: ours at least 0.9x raw httpx.
* ``per_call``: ``deployments.list()`` on ``httpx.MockTransport``: raw httpx +
  ``json.loads`` = 1x, ours, aidial-client (through its client pool, which takes the
  transport).

Nothing asserts; ``run.py`` prints the table.  Rounds are interleaved and medians kept.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
KEY = "dial_benchkey"
MESSAGES = [{"role": "user", "content": "go"}]
DEPLOYMENTS = json.dumps(
    {
        "object": "list",
        "data": [
            {"id": f"model-{i}", "object": "deployment", "model": f"model-{i}", "created_at": 1}
            for i in range(3)
        ],
    }
).encode()


def _start(port: int, chunks: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "dial_server.py"), str(port), str(chunks)],
        cwd=ROOT,
    )
    for _ in range(600):
        try:
            httpx.get(f"http://127.0.0.1:{port}/ping")
            return server
        except httpx.TransportError:
            time.sleep(0.05)
    server.terminate()
    raise RuntimeError("the DIAL benchmark server did not start")


def _raw(base: str) -> int:
    n = 0
    with httpx.Client(timeout=60) as client:
        url = f"{base}/openai/deployments/echo/chat/completions"
        body = {"messages": MESSAGES, "stream": True}
        with client.stream("POST", url, json=body, headers={"api-key": KEY}) as response:
            for line in response.iter_lines():
                if line.startswith("data: "):
                    data = line[6:]
                    if data == "[DONE]":
                        break
                    json.loads(data)
                    n += 1
    return n


def _raw_async(base: str) -> int:
    async def run() -> int:
        n = 0
        async with httpx.AsyncClient(timeout=60) as client:
            url = f"{base}/openai/deployments/echo/chat/completions"
            body = {"messages": MESSAGES, "stream": True}
            headers = {"api-key": KEY}
            async with client.stream("POST", url, json=body, headers=headers) as response:
                async for line in response.aiter_lines():
                    if line.startswith("data: "):
                        data = line[6:]
                        if data == "[DONE]":
                            break
                        json.loads(data)
                        n += 1
        return n

    return asyncio.run(run())


def _ours(base: str) -> int:
    from dial_client import Dial

    with Dial(api_key=KEY, base_url=base, timeout=60) as client:
        stream = client.chat.completions.create(
            deployment_name="echo", messages=MESSAGES, stream=True
        )
        return sum(1 for _ in stream)


def _ours_async(base: str) -> int:
    from dial_client import AsyncDial

    async def run() -> int:
        async with AsyncDial(api_key=KEY, base_url=base, timeout=60) as client:
            stream = await client.chat.completions.create(
                deployment_name="echo", messages=MESSAGES, stream=True
            )
            n = 0
            async for _ in stream:  # counted, not kept (as every reader here)
                n += 1
            return n

    return asyncio.run(run())


def _aidial(base: str) -> int:
    from aidial_client import Dial as Official

    client = Official(api_key=KEY, base_url=base)
    chunks = client.chat.completions.create(deployment_name="echo", messages=MESSAGES, stream=True)
    n = sum(1 for _ in chunks)
    client.close()
    return n


def _openai(base: str) -> int:
    import openai

    client = openai.OpenAI(api_key=KEY, base_url=f"{base}/openai/deployments/echo")
    stream = client.chat.completions.create(model="echo", messages=MESSAGES, stream=True)  # type: ignore[arg-type]
    n = sum(1 for _ in stream)
    client.close()
    return n


def stream_rates(rounds: int, chunks: int = 20_000) -> dict[str, float]:
    """Chunks per second for each reader (median of ``rounds``, interleaved)."""
    from benchmarks.run import _free_port

    port = _free_port()
    server = _start(port, chunks)
    base = f"http://127.0.0.1:{port}"
    readers: dict[str, Callable[[str], int]] = {
        "raw httpx lines": _raw,
        "ours sync": _ours,
        "raw httpx async lines": _raw_async,
        "ours async": _ours_async,
        "aidial-client 0.18.0": _aidial,
        "openai 2.x": _openai,
    }
    samples: dict[str, list[float]] = {name: [] for name in readers}
    try:
        for read in readers.values():  # warm-up, and a check that each reads it all
            got = read(base)
            if got < chunks:
                raise RuntimeError(f"a reader saw {got} of {chunks} chunks")
        for _ in range(rounds):
            for name, read in readers.items():
                start = time.perf_counter()
                got = read(base)
                samples[name].append(got / (time.perf_counter() - start))
    finally:
        server.terminate()
        server.wait()
    return {name: statistics.median(values) for name, values in samples.items()}


def per_call(n: int, rounds: int) -> dict[str, float]:
    """Seconds per ``deployments.list()`` call on ``httpx.MockTransport``."""
    from aidial_client import DialClientPool
    from dial_client import Dial

    from benchmarks.run import _per_call, _rounds

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=DEPLOYMENTS, headers={"content-type": "application/json"}
        )

    base = "http://dial.bench"
    raw = httpx.Client(transport=httpx.MockTransport(handler))
    ours = Dial(api_key=KEY, base_url=base, http_client=httpx.Client(transport=raw._transport))
    pool = DialClientPool(transport=httpx.MockTransport(handler))  # its own httpx client
    official = pool.create_client(base_url=base, api_key=KEY)

    def raw_call() -> object:
        response = raw.get(f"{base}/openai/deployments", headers={"api-key": KEY})
        return json.loads(response.content)["data"]

    return _rounds(
        {
            "raw httpx": lambda k: _per_call(raw_call, k),
            "ours sync": lambda k: _per_call(ours.deployments.list, k),
            "aidial-client 0.18.0": lambda k: _per_call(official.deployments.list, k),
        },
        n,
        rounds,
    )
