"""The Decthings client over its WebSocket, against the fake's ``/ws`` on 127.0.0.1:
routing (listeners, always, subscribing, if_open), frames byte by byte, methods with
tensors, bytes and typed errors, sync and async; closing when idle; timeouts and drops.
Events, reconnect and resubscribe: ``test_ws_events.py``."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import decthings_client as dc
import pytest
from decthings_client import DecthingsTensor

from tests.decthings.fake_server import TENSOR_WIRE, Fake
from tests.decthings.fake_ws import FakeWs, install
from tests.support.server import serve

TENSOR = DecthingsTensor([1.0, 2.0], "f32", [2])
LAUNCHER = {"type": "persistentLauncher", "persistentLauncherId": "pl"}


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Fake, FakeWs, str]]:
    fake = Fake()
    ws = install(fake)
    with serve(fake.app) as url:
        yield fake, ws, url


@pytest.fixture
def server(served: tuple[Fake, FakeWs, str]) -> Iterator[tuple[Fake, FakeWs, str]]:
    fake, ws, _ = served
    wait_for(lambda: not ws.conns, "the last test's sockets to close on the server")
    fake.reset()
    ws.reset()
    yield served
    ws.held.clear()


def wait_for(condition: Callable[[], object], what: str, limit: float = 5.0) -> None:
    """Poll until ``condition()`` holds (the socket's state changes on another thread)."""
    end = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.01)


def transport(client: Any) -> Any:
    return client._transport("ws")


# -- routing --------------------------------------------------------------------------


def test_a_listener_switches_calls_to_the_socket_and_removing_it_switches_back(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        client.user.get_quotas({})
        assert [r.via for r in fake.requests] == ["http"]
        assert not ws.frames  # nothing over the socket yet
        opened = ws.opened

        dispose = client.on_event(lambda event: None)
        client.user.get_quotas({})
        client.model.get_models({})
        assert [r.via for r in fake.requests] == ["http", "ws", "ws"]
        assert ws.opened == opened + 1  # one socket for both calls
        assert {f.conn for f in ws.frames} == {ws.opened}
        assert len(ws.conns) == 1  # kept open: a listener is registered

        dispose()
        wait_for(lambda: not ws.conns, "the idle socket to close")
        client.user.get_quotas({})
        assert [r.via for r in fake.requests] == ["http", "ws", "ws", "http"]
        dispose()  # twice is harmless


async def test_async_listener_routing_and_close_when_idle(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    async with dc.DecthingsClient(api_key="k", base_url=url) as client:
        await client.user.get_quotas({})
        dispose = client.on_event(lambda event: None)
        await client.user.get_quotas({})
        assert [r.via for r in fake.requests] == ["http", "ws"]
        assert len(ws.conns) == 1
        dispose()
        for _ in range(200):
            if not ws.conns:
                break
            await asyncio.sleep(0.01)
        assert not ws.conns
        await client.user.get_quotas({})
        assert [r.via for r in fake.requests] == ["http", "ws", "http"]


def test_unsubscribe_without_a_socket_is_not_subscribed_and_sends_nothing(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    opened = ws.opened
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        with pytest.raises(dc.NotSubscribedError) as caught:
            client.spawned.unsubscribe_from_events({"spawnedCommandId": "c1"})
        assert isinstance(caught.value, dc.SpawnedUnsubscribeFromEventsErrors)
        assert caught.value.code == "not_subscribed"
    assert fake.requests == [] and ws.frames == [] and ws.opened == opened


def test_always_ws_methods_open_the_socket_and_a_subscription_keeps_it(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        client.spawned.subscribe_to_events({"spawnedCommandId": "c1"})  # no listener
        assert [r.via for r in fake.requests] == ["ws"]
        assert ws.subscribed() == {("Spawned", "c1")}
        assert transport(client).core.subscriptions == {
            ("Spawned", "c1"): ("spawnedCommandId", "subscribeToEvents")
        }
        assert len(ws.conns) == 1  # kept: c1 is subscribed
        client.spawned.unsubscribe_from_events({"spawnedCommandId": "c1"})  # socket open
        assert [r.via for r in fake.requests] == ["ws", "ws"]
        assert ws.frames[-1].message["method"] == "unsubscribeFromEvents"
        wait_for(lambda: not ws.conns, "the idle socket to close")
        assert transport(client).core.subscriptions == {}
        # writeToLanguageServer is always sent over the socket; it closes again after
        client.language.write_to_language_server({"languageServerId": "l", "data": b"{}"})
        assert fake.requests[-1].via == "ws" and fake.requests[-1].blobs == [b"{}"]
        wait_for(lambda: not ws.conns, "the idle socket to close")


def test_launch_calls_subscribe_over_the_socket_only_when_someone_listens(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    fake.answer("/Spawned/spawnCommand", {"result": {"spawnedCommandId": "c7"}})
    params: Any = {"executionLocation": LAUNCHER, "command": "ls", "args": []}
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        client.spawned.spawn_command(params)  # nobody listens: HTTP, nothing subscribed
        assert fake.requests[-1].via == "http"
        client.on_event(lambda event: None)
        client.spawned.spawn_command({**params, "subscribeToEvents": False})
        assert fake.requests[-1].via == "ws"  # a listener: every call over the socket
        assert ws.subscribed() == set() and transport(client).core.subscriptions == {}
        client.spawned.spawn_command(params)
        assert fake.requests[-1].via == "ws"
        assert ws.subscribed() == {("Spawned", "c7")}
        assert ("Spawned", "c7") in transport(client).core.subscriptions


# -- frames -----------------------------------------------------------------------------


def test_frames_carry_the_key_in_each_message_and_ids_count_from_zero(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    with dc.DecthingsClientSync(api_key="sk-1", base_url=url) as client:
        dispose = client.on_event(lambda event: None)
        client.user.get_quotas({})
        client.model.get_models({"modelIds": ["m1"]})
        client.fs.write({"modelId": "m", "inode": 1, "data": b"xyz", "offset": 0})
        first = ws.frames[0].conn
        dispose()
        wait_for(lambda: not ws.conns, "the idle socket to close")
        client.on_event(lambda event: None)
        client.user.get_quotas({})
    with dc.DecthingsClientSync(base_url=url) as anonymous:
        anonymous.on_event(lambda event: None)
        anonymous.user.get_quotas({})

    assert [(f.conn - first, f.id) for f in ws.frames] == [(0, 0), (0, 1), (0, 2), (1, 0), (2, 0)]
    # byte level: u32 id, u8 blob count, varint JSON length, blob lengths, JSON, blobs
    message = (
        b'{"api": "Model", "method": "getModels", "apiKey": "sk-1", "params": {"modelIds": ["m1"]}}'
    )
    assert ws.frames[1].raw == b"\x00\x00\x00\x01" + b"\x00" + bytes([len(message)]) + message
    write = ws.frames[2].raw
    assert write[:6] == b"\x00\x00\x00\x02\x01" + bytes([write[5]]) and write[6] == 3
    assert write.endswith(
        b', "apiKey": "sk-1", "params": {"modelId": "m", "inode": 1, "offset": 0}}xyz'
    )
    assert all(f.message.get("apiKey") == "sk-1" for f in ws.frames[:4])
    assert "apiKey" not in ws.frames[4].message  # no key: omitted, as the TS and Rust clients
    assert b"apiKey" not in ws.frames[4].raw
    assert all("authorization" not in r.headers for r in fake.requests)


# -- methods over the socket: tensors, bytes, typed errors -----------------------------

EVALUATE = {"modelId": "m", "params": [{"name": "input", "data": [TENSOR]}]}


def _representative(client: Any) -> list[Any]:
    return [
        client.model.evaluate(EVALUATE),
        client.dataset.add_entries({"datasetId": "d", "keys": [{"key": "x", "data": [TENSOR]}]}),
        client.dataset.get_entries({"datasetId": "d", "entries": [0]}),
        client.fs.read({"modelId": "m", "inode": 1, "offset": 0, "count": 4}),
    ]


async def _representative_async(client: Any) -> list[Any]:
    return [
        await client.model.evaluate(EVALUATE),
        await client.dataset.add_entries(
            {"datasetId": "d", "keys": [{"key": "x", "data": [TENSOR]}]}
        ),
        await client.dataset.get_entries({"datasetId": "d", "entries": [0]}),
        await client.fs.read({"modelId": "m", "inode": 1, "offset": 0, "count": 4}),
    ]


def _wire(fake: Fake) -> list[tuple[str, Any, list[bytes]]]:
    return [(r.path, r.params, r.blobs) for r in fake.requests]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_methods_with_tensors_and_bytes_give_the_same_over_both(
    server: tuple[Fake, FakeWs, str], mode: str
) -> None:
    fake, ws, url = server
    if mode == "sync":
        with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
            over_http = _representative(client)
            client.on_event(lambda event: None)
            over_ws = _representative(client)
    else:

        async def run() -> tuple[list[Any], list[Any]]:
            async with dc.DecthingsClient(api_key="k", base_url=url) as client:
                first = await _representative_async(client)
                client.on_event(lambda event: None)
                return first, await _representative_async(client)

        over_http, over_ws = asyncio.run(run())
    vias = [r.via for r in fake.requests]
    assert vias == ["http"] * 4 + ["ws"] * 4
    http_wire, ws_wire = _wire(fake)[:4], _wire(fake)[4:]
    assert ws_wire == http_wire  # same params JSON and blobs (tensors, bytes) in the frame
    assert ws_wire[0][2] == [TENSOR_WIRE]  # the evaluate parameter's tensor as a blob
    assert [r.model_dump() for r in over_ws] == [r.model_dump() for r in over_http]
    assert over_ws[0].success.output[0].data == [TENSOR, TENSOR]  # response blobs in place
    assert over_ws[3].data == b"\x00fake\xff"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_typed_error_with_fields_over_the_socket(
    server: tuple[Fake, FakeWs, str], mode: str
) -> None:
    fake, ws, url = server
    error = {"code": "dataset_key_not_found", "datasetId": "d1", "datasetKey": "k9"}
    fake.answer("/Model/evaluate", {"error": error})

    def check(err: dc.DecthingsError) -> None:
        assert isinstance(err, dc.DatasetKeyNotFoundError)
        assert isinstance(err, dc.ModelEvaluateErrors)
        assert (err.dataset_id, err.dataset_key) == ("d1", "k9")
        assert err.body == {"error": error}

    if mode == "sync":
        with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
            client.on_event(lambda event: None)
            with pytest.raises(dc.DatasetKeyNotFoundError) as caught:
                client.model.evaluate(EVALUATE)
            check(caught.value)
    else:

        async def run() -> None:
            async with dc.DecthingsClient(api_key="k", base_url=url) as client:
                client.on_event(lambda event: None)
                with pytest.raises(dc.DatasetKeyNotFoundError) as caught:
                    await client.model.evaluate(EVALUATE)
                check(caught.value)

        asyncio.run(run())
    assert [r.via for r in fake.requests] == ["ws"]


# -- failures: timeouts, drops, no server --------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_call_left_unanswered_times_out_as_the_typed_error(
    server: tuple[Fake, FakeWs, str], mode: str
) -> None:
    fake, ws, url = server
    ws.held.add("/User/getQuotas")
    if mode == "sync":
        with dc.DecthingsClientSync(api_key="k", base_url=url, max_retries=0) as client:
            client.on_event(lambda event: None)
            with pytest.raises(dc.DecthingsTimeoutError):
                client.user.get_quotas({}, timeout=0.3)
    else:

        async def run() -> None:
            async with dc.DecthingsClient(api_key="k", base_url=url, max_retries=0) as client:
                client.on_event(lambda event: None)
                with pytest.raises(dc.DecthingsTimeoutError):
                    await client.user.get_quotas({}, timeout=0.3)

        asyncio.run(run())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_dropped_socket_fails_the_waiting_call_with_the_connection_error(
    server: tuple[Fake, FakeWs, str], mode: str
) -> None:
    fake, ws, url = server
    ws.held.add("/Model/createModel")  # not idempotent: not retried after it was sent
    dropper = threading.Thread(
        target=lambda: (wait_for(lambda: ws.frames, "the call"), ws.drop()), daemon=True
    )
    dropper.start()
    params: Any = {
        "name": "n",
        "description": "d",
        "publicAccess": False,
        "options": {"type": "code", "language": "python"},
    }
    if mode == "sync":
        with dc.DecthingsClientSync(api_key="k", base_url=url, max_retries=2) as client:
            client.on_event(lambda event: None)
            with pytest.raises(dc.DecthingsConnectionError) as caught:
                client.model.create_model(params)
    else:

        async def run() -> Any:
            async with dc.DecthingsClient(api_key="k", base_url=url, max_retries=2) as client:
                client.on_event(lambda event: None)
                with pytest.raises(dc.DecthingsConnectionError) as caught:
                    await client.model.create_model(params)
                return caught

        caught = asyncio.run(run())
    dropper.join(5)
    assert not isinstance(caught.value, dc.DecthingsTimeoutError)
    assert len(ws.frames) == 1  # sent once: a repeat could create a second model


def test_no_server_is_a_connection_error_retried_then_raised(
    served: tuple[Fake, FakeWs, str],
) -> None:
    with dc.DecthingsClientSync(
        api_key="k", base_url="http://127.0.0.1:9", max_retries=1
    ) as client:
        sleeps: list[float] = []
        client._sleep = sleeps.append
        client.on_event(lambda event: None)
        with pytest.raises(dc.DecthingsConnectionError) as caught:
            client.user.get_quotas({})
        assert transport(client).connections == 0
        assert len(sleeps) == 1  # nothing was sent: retried once, as max_retries says
        assert "ws://127.0.0.1:9/ws" in str(caught.value.__cause__)


def test_concurrent_calls_share_one_socket(server: tuple[Fake, FakeWs, str]) -> None:
    fake, ws, url = server
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        client.on_event(lambda event: None)
        results: list[Any] = []
        threads = [
            threading.Thread(target=lambda: results.append(client.user.get_quotas({})))
            for _ in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert len(results) == 8
    assert len({f.conn for f in ws.frames}) == 1
    assert sorted(f.id for f in ws.frames) == list(range(8))


async def test_concurrent_async_calls_share_one_socket(server: tuple[Fake, FakeWs, str]) -> None:
    fake, ws, url = server
    async with dc.DecthingsClient(api_key="k", base_url=url) as client:
        client.on_event(lambda event: None)
        results = await asyncio.gather(*(client.user.get_quotas({}) for _ in range(8)))
        assert len(results) == 8
    assert len({f.conn for f in ws.frames}) == 1
    assert sorted(f.id for f in ws.frames) == list(range(8))
