"""WebSocket wire parity with decthings-api 0.0.4 (``ws.py``, sync client), both
clients talking to the fake's ``/ws`` on 127.0.0.1: the same calls give the same
request frames, byte for byte.

0.0.4 sends only the three ``subscribeToEvents`` methods over its socket (its launch
calls and the language server go over HTTP: decthings.md §1.7), so those are compared;
their frames (u32 id from 0, blob count, varint lengths, ``{"api", "method", "apiKey",
"params"}``) are where its framing is correct.  Where it differs on purpose: with no
key it sends ``"apiKey": null``, we omit the key (as the TS and Rust clients do).
Each call uses a new client of each kind: 0.0.4's sync reader deletes a waiting call
twice (``handle_data`` and its callback) and so closes its socket after the first
answer; every frame compared is thus request id 0 of its own connection.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import decthings_client as dc
import pytest

with warnings.catch_warnings():  # its imports of websockets' legacy API warn; not ours
    warnings.simplefilter("ignore", DeprecationWarning)
    from decthings_api.client_sync import DecthingsClientSync as Official

from tests.decthings.fake_server import Fake
from tests.decthings.fake_ws import FakeWs, install
from tests.support.server import serve

CALLS = [
    ("spawned", {"spawnedCommandId": "c-1"}),
    ("terminal", {"terminalSessionId": "t-\u00e9"}),  # non-ASCII: escaped as json.dumps does
    ("debug", {"debugSessionId": "d-1"}),
]


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Fake, FakeWs, str]]:
    fake = Fake()
    ws = install(fake)
    with serve(fake.app) as url:
        yield fake, ws, url


def _frames(ws: FakeWs, conn: int) -> list[bytes]:
    return [f.raw for f in ws.frames if f.conn == conn]


# decthings-api 0.0.4's own socket code uses a deprecated websockets call; not ours
@pytest.mark.filterwarnings("ignore:connect\\(\\) must be used as a context manager")
@pytest.mark.parametrize("key", ["sk-live_1", None])
def test_subscribe_frames_match_the_official_client(
    served: tuple[Fake, FakeWs, str], key: str | None
) -> None:
    fake, ws, url = served
    ws.reset()
    theirs, ours = [], []
    for namespace, params in CALLS:
        official = Official(
            api_key=key,
            http_server_address=url,
            ws_server_address=url.replace("http", "ws") + "/ws",
        )
        try:
            getattr(official, namespace).subscribe_to_events(params)
        finally:
            official.close()
        theirs += _frames(ws, ws.opened)
        with dc.DecthingsClientSync(api_key=key, base_url=url) as client:
            getattr(client, namespace).subscribe_to_events(params)
        ours += _frames(ws, ws.opened)
    assert len(theirs) == len(ours) == 3
    if key is not None:
        assert ours == theirs
    else:  # 0.0.4 sends "apiKey": null; the frames are otherwise the same
        patched = [t.replace(b'"apiKey": null, ', b"") for t in theirs]
        fixed = [p[:5] + bytes([len(p) - 6]) + p[6:] for p in patched]  # JSON length (< 253)
        assert ours == fixed
        assert all(b"apiKey" not in frame for frame in ours)
