"""Fixtures for the DIAL tests: a served DIAL Core fake, a served aidial-sdk chat app, and
the recording server used for wire parity.

* ``core_fake``   - ``CoreFakeServer``: one uvicorn per session (127.0.0.1), state reset
                    before each test.  ``.base_url`` serves a whole DIAL client: catalog,
                    bucket, files, metadata, prompts, ops, and chat completions proxied to an
                    in-process scripted aidial-sdk app (``.chat_events``).  State and hooks:
                    ``.core`` (CoreState), ``.store``, ``.catalog``, ``.faults``,
                    ``.requests`` (RecordedRequest log), ``.put_file(path, bytes)``,
                    ``.url(path)`` (``files/{BUCKET}/{path}``), ``.http()`` / ``.ahttp()``
                    (raw httpx clients with the test API key).
* ``chat_app``    - ``ChatAppServer``: the scripted ``DIALApp`` alone on its own socket
                    (``.base_url``, ``.events``, ``.http()``); it needs ``Api-Key``.
* ``dial_recorder`` - ``RecordingSession`` (``tests.dial.parity``): ``tests/servers/recorder``
                    in front of a Core fake with the chat app; ``.base_url``, ``.log``
                    (RecordedRequest, exact wire), ``.core``.  The parity reference
                    recordings are made on the same server.
Constants: ``API_KEY``, ``BEARER_TOKEN``, ``BUCKET`` (the API key's bucket), ``USER_BUCKET``
(the bearer token's), ``OTHER_KEY`` / ``OTHER_BUCKET``, ``PER_REQUEST_KEY``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:  # make ``tests`` importable under any import mode
    sys.path.insert(0, str(_ROOT))

import httpx  # noqa: E402
import pytest  # noqa: E402

from tests.dial.parity import RecordingSession, session  # noqa: E402
from tests.dial.servers.chat_app import ChatEvent, create_chat_app  # noqa: E402
from tests.dial.servers.core_fake import (  # noqa: E402, F401
    API_KEY,
    BEARER_TOKEN,
    BUCKET,
    OTHER_BUCKET,
    OTHER_KEY,
    PER_REQUEST_KEY,
    USER_BUCKET,
    CoreState,
    create_app,
)
from tests.servers.wire import RecordedRequest  # noqa: E402
from tests.support.server import ServerThread  # noqa: E402


def _auth(api_key: str | None, bearer: str | None) -> dict[str, str]:
    headers = {"api-key": api_key} if api_key else {}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    return headers


@dataclass
class CoreFakeServer:
    base_url: str
    app: Any
    chat: Any  # the DIALApp the fake proxies chat completions to

    @property
    def core(self) -> CoreState:
        return self.app.state.core  # type: ignore[no-any-return]

    @property
    def store(self) -> Any:
        return self.core.store

    @property
    def catalog(self) -> Any:
        return self.core.catalog

    @property
    def faults(self) -> Any:
        return self.core.faults

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.core.requests

    @property
    def chat_events(self) -> list[ChatEvent]:
        return self.chat.state.chat_log  # type: ignore[no-any-return]

    def reset(self) -> None:
        self.core.reset()
        self.chat_events.clear()

    def url(self, path: str, bucket: str = BUCKET) -> str:
        return f"files/{bucket}/{path}"

    def put_file(
        self, path: str, content: bytes, content_type: str = "text/plain", bucket: str = BUCKET
    ) -> dict[str, Any]:
        return self.core.put_file(bucket, path, content, content_type)

    def http(
        self, api_key: str | None = API_KEY, bearer: str | None = None, **kw: Any
    ) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers=_auth(api_key, bearer), **kw)

    def ahttp(
        self, api_key: str | None = API_KEY, bearer: str | None = None, **kw: Any
    ) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base_url, headers=_auth(api_key, bearer), **kw)


@dataclass
class ChatAppServer:
    base_url: str
    app: Any

    @property
    def events(self) -> list[ChatEvent]:
        return self.app.state.chat_log  # type: ignore[no-any-return]

    def http(self, api_key: str | None = "chat-key", **kw: Any) -> httpx.Client:
        headers = {"Api-Key": api_key} if api_key else {}
        return httpx.Client(base_url=self.base_url, headers=headers, **kw)


@pytest.fixture(scope="session")
def _core_server() -> Iterator[CoreFakeServer]:
    chat = create_chat_app()
    app = create_app(chat_upstream=chat)
    with ServerThread(app) as base_url:
        yield CoreFakeServer(base_url, app, chat)


@pytest.fixture
def core_fake(_core_server: CoreFakeServer) -> CoreFakeServer:
    _core_server.reset()
    return _core_server


@pytest.fixture(scope="session")
def _chat_server() -> Iterator[ChatAppServer]:
    app = create_chat_app()
    with ServerThread(app) as base_url:
        yield ChatAppServer(base_url, app)


@pytest.fixture
def chat_app(_chat_server: ChatAppServer) -> ChatAppServer:
    _chat_server.events.clear()
    return _chat_server


@pytest.fixture
def dial_recorder() -> RecordingSession:
    rs = session()
    rs.recorder.reset()
    return rs
