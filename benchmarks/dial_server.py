"""The DIAL stream benchmark's server: a recorded aidial-sdk stream, replayed.

Run in its own process (``python benchmarks/dial_server.py PORT CHUNKS``): the chat app
of the test suite (a real aidial-sdk ``DIALApp``) answers one streamed request for
``CHUNKS`` chunks in-process, its body writes are kept, and every POST is answered with
those same bytes by ``ReplayApp`` under uvicorn on 127.0.0.1 (the sdk itself would cap
the rate near 20k chunks/s and measure the server, not the client).  ``GET /ping``
answers once the server is up.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import uvicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "generated")]

from tests.dial.servers.chat_app import create_chat_app  # noqa: E402
from tests.dial.servers.replay import ReplayApp, record_stream  # noqa: E402


def main() -> None:
    port, chunks = int(sys.argv[1]), int(sys.argv[2])
    replay = ReplayApp(record_stream(create_chat_app(), f"/long n={chunks}"))

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"pong"})
            return
        await replay(scope, receive, send)

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
