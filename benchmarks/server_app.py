"""A tiny loopback server for benchmarks: every GET answers one small JSON task.

Run in its own process (`python benchmarks/server_app.py PORT`) so that the server does not
share the client's interpreter and GIL.
"""

from __future__ import annotations

import sys

import uvicorn

TASK = (
    b'{"task_id":"5f127f6f26831d0010e985e5","status":"completed","type":"imageannotation",'
    b'"created_at":"2021-06-17T21:46:36.359Z","params":{"attachment":"http://i.imgur.com/v4cBreD.jpg"},'
    b'"metadata":{},"id":"m","object":"model","created":1,"owned_by":"o"}'
)


async def app(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["type"] != "http":
        return
    while True:  # drain the request body
        message = await receive()
        if not message.get("more_body"):
            break
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"x-request-id", b"r1")],
        }
    )
    await send({"type": "http.response.body", "body": TASK})


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
