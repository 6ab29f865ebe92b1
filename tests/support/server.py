"""Run an ASGI app under uvicorn in a background thread, on loopback only.

    with serve(app) as base_url:          # "http://127.0.0.1:<port>"
        httpx.get(f"{base_url}/v1/projects")

The listening socket is bound here (127.0.0.1, port 0) before uvicorn starts, so the
port is known up front and there is no free-port race; startup is detected by polling
``Server.started`` (a few ms), and leaving the block stops the server and joins the
thread.  ``ServerThread`` is the same thing as an object for pytest fixtures that want
``start()``/``stop()``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

__all__ = ["ServerThread", "serve"]

LOOPBACK = "127.0.0.1"


class ServerThread:
    """One uvicorn server for one ASGI app, in a daemon thread."""

    def __init__(
        self,
        app: Any,
        *,
        host: str = LOOPBACK,
        port: int = 0,
        lifespan: str = "off",
        log_level: str = "warning",
        startup_timeout: float = 10.0,
        shutdown_timeout: float = 5.0,
    ) -> None:
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise ValueError(f"refusing to bind test server to non-loopback host {host!r}")
        self.app = app
        self.host = "127.0.0.1" if host == "localhost" else host
        self.port = port
        self.startup_timeout = startup_timeout
        self.shutdown_timeout = shutdown_timeout
        self._config = uvicorn.Config(
            app,
            lifespan=lifespan,
            log_level=log_level,
            access_log=False,
            timeout_graceful_shutdown=1,
            timeout_keep_alive=2,
        )
        self._server = uvicorn.Server(self._config)
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self._error: BaseException | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self._sock])  # type: ignore[list-item]
        except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
            self._error = exc

    def start(self) -> str:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio enables TCP_NODELAY only on sockets whose
        # proto says TCP; with proto 0 every small response waits ~40 ms for Nagle.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(128)
        sock.setblocking(False)
        self._sock = sock
        self.port = sock.getsockname()[1]
        self._thread = threading.Thread(target=self._run, name=f"uvicorn-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + self.startup_timeout
        while not self._server.started:
            if self._error is not None or not self._thread.is_alive():
                self._close_socket()
                raise RuntimeError(f"test server failed to start: {self._error!r}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"test server did not start within {self.startup_timeout}s")
            time.sleep(0.002)
        return self.base_url

    def stop(self) -> None:
        if self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(self.shutdown_timeout)
        if self._thread.is_alive():  # pragma: no cover - only on a hung app
            self._server.force_exit = True
            self._thread.join(self.shutdown_timeout)
        self._thread = None
        self._close_socket()

    def _close_socket(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:  # pragma: no cover
                pass
            self._sock = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def serve(app: Any, **kwargs: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1:<free port>; yields the base URL (no trailing slash)."""
    server = ServerThread(app, **kwargs)
    base_url = server.start()
    try:
        yield base_url
    finally:
        server.stop()
