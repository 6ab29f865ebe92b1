"""Decthings events over the fake's ``/ws``: the 12 events typed, with their blob data;
unknown events; ``exit`` ending a subscription; drop -> reconnect -> resubscribe ->
events continue; a refused resubscription -> one ``SubscriptionsRemovedEvent``; sync
and async clients."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Iterator
from typing import Any

import decthings_client as dc
import pytest
from decthings_client import models

from tests.decthings.fake_server import Fake
from tests.decthings.fake_ws import FakeWs, install
from tests.decthings.test_ws_transport import wait_for
from tests.support.server import serve

REASON = {"code": "process_exit", "exitCode": 3, "oom": False}
# (namespace, event, params, blob, model): every event of decthings.md §4
EVENTS: list[tuple[str, str, dict[str, Any], bytes | None, type]] = [
    ("Debug", "exit", {"debugSessionId": "d1", "reason": {"code": "inactive_timeout"}}, None, models.DebugExitEvent),
    ("Debug", "stdout", {"debugSessionId": "d1"}, b"out\x00", models.DebugStdoutEvent),
    ("Debug", "stderr", {"debugSessionId": "d1"}, b"err", models.DebugStderrEvent),
    ("Debug", "initialized", {"debugSessionId": "d1"}, None, models.DebugInitializedEvent),
    ("Debug", "remoteInspectorData", {"debugSessionId": "d1"}, b"{}", models.DebugRemoteInspectorDataEvent),
    ("Language", "exit", {"languageServerId": "l1", "reason": "oom"}, None, models.LanguageExitEvent),
    ("Language", "data", {"languageServerId": "l1"}, b"Content-Length: 2", models.LanguageDataEvent),
    ("Spawned", "exit", {"spawnedCommandId": "s1", "reason": REASON}, None, models.SpawnedExitEvent),
    ("Spawned", "stdout", {"spawnedCommandId": "s1"}, b"\xff\xfe", models.SpawnedStdoutEvent),
    ("Spawned", "stderr", {"spawnedCommandId": "s1"}, b"oops", models.SpawnedStderrEvent),
    ("Terminal", "exit", {"terminalSessionId": "t1", "reason": {"code": "unknown"}}, None, models.TerminalExitEvent),
    ("Terminal", "data", {"terminalSessionId": "t1"}, b"$ ", models.TerminalDataEvent),
]  # fmt: skip


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
    return served


def _next(events: queue.Queue[Any]) -> Any:
    return events.get(timeout=5)


def test_every_event_reaches_the_listener_typed_with_its_data(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    events: queue.Queue[Any] = queue.Queue()
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        client.on_event(events.put)
        client.user.get_quotas({})  # opens the socket
        for namespace, name, params, blob, _ in EVENTS:
            assert ws.emit(namespace, name, params, [blob] if blob else [], everyone=True) == 1
        got = [_next(events) for _ in EVENTS]
    for event, (namespace, name, params, blob, model) in zip(got, EVENTS, strict=True):
        assert type(event) is model
        assert (event.namespace, event.event) == (namespace, name)
        wire = event.model_dump(
            by_alias=True, exclude={"namespace", "event", "data"}, exclude_unset=True, mode="json"
        )
        assert wire == params
        if blob is not None:
            assert event.data == blob  # blob 0, bytes
    spawned_exit = got[7]
    assert isinstance(spawned_exit, models.SpawnedExitEvent)
    assert isinstance(spawned_exit.reason, models.SpawnedCommandTerminatedReasonProcessExit)
    assert spawned_exit.reason.exit_code == 3


def test_an_unknown_or_malformed_event_is_an_unknown_event(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    events: queue.Queue[Any] = queue.Queue()
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        client.on_event(events.put)
        client.user.get_quotas({})
        ws.emit("Spawned", "paused", {"spawnedCommandId": "s1", "why": 1}, [b"x"], everyone=True)
        ws.emit("Spawned", "stdout", {"spawnedCommandId": "s1"}, [], everyone=True)  # no blob
        ws.emit("Robot", "beep", {}, [], everyone=True)
        ws.emit("Spawned", "stderr", {"spawnedCommandId": "s1"}, [b"ok"], everyone=True)
        got = [_next(events) for _ in range(4)]
    assert got[0] == dc.UnknownEvent(
        "Spawned", "paused", {"spawnedCommandId": "s1", "why": 1}, (b"x",)
    )
    assert got[1] == dc.UnknownEvent("Spawned", "stdout", {"spawnedCommandId": "s1"}, ())
    assert got[2] == dc.UnknownEvent("Robot", "beep", {}, ())
    assert isinstance(got[3], models.SpawnedStderrEvent)  # the reader carried on


def test_a_failing_listener_does_not_stop_the_others(server: tuple[Fake, FakeWs, str]) -> None:
    fake, ws, url = server
    events: queue.Queue[Any] = queue.Queue()

    def broken(event: Any) -> None:
        raise RuntimeError("listener bug")

    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        client.on_event(broken)
        client.on_event(events.put)
        client.user.get_quotas({})
        ws.emit("Terminal", "data", {"terminalSessionId": "t"}, [b"1"], everyone=True)
        ws.emit("Terminal", "data", {"terminalSessionId": "t"}, [b"2"], everyone=True)
        assert [_next(events).data for _ in range(2)] == [b"1", b"2"]


def test_exit_ends_the_subscription_and_the_idle_socket_closes(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    events: queue.Queue[Any] = queue.Queue()
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        dispose = client.on_event(events.put)
        client.spawned.subscribe_to_events({"spawnedCommandId": "s1"})
        client.terminal.subscribe_to_events({"terminalSessionId": "t1"})
        dispose()  # the subscriptions keep the socket
        core = client._transport("ws").core
        assert set(core.subscriptions) == {("Spawned", "s1"), ("Terminal", "t1")}
        assert ws.emit("Spawned", "exit", {"spawnedCommandId": "s1", "reason": REASON}) == 1
        wait_for(lambda: ("Spawned", "s1") not in core.subscriptions, "exit to end s1")
        assert len(ws.conns) == 1  # t1 still keeps it
        ws.emit("Terminal", "exit", {"terminalSessionId": "t1", "reason": {"code": "unknown"}})
        wait_for(lambda: not ws.conns, "the idle socket to close")
        assert core.subscriptions == {}


def _launch_and_drop(fake: Fake, ws: FakeWs, client: Any, events: queue.Queue[Any]) -> None:
    """Subscribe s1, s2 (spawned) and t1 (terminal), l1 (a language server: no method
    re-subscribes it), then drop the socket."""
    fake.answer("/Spawned/spawnCommand", {"result": {"spawnedCommandId": "s1"}})
    client.on_event(events.put)
    client.spawned.spawn_command(
        {
            "executionLocation": {"type": "persistentLauncher", "persistentLauncherId": "p"},
            "command": "x",
            "args": [],
        }
    )
    client.spawned.subscribe_to_events({"spawnedCommandId": "s2"})
    client.terminal.subscribe_to_events({"terminalSessionId": "t1"})
    fake.answer("/Language/startLanguageServer", {"result": {"languageServerId": "l1"}})
    client.language.start_language_server({"modelId": "m", "language": "python"})
    assert ws.subscribed() == {
        ("Spawned", "s1"),
        ("Spawned", "s2"),
        ("Terminal", "t1"),
        ("Language", "l1"),
    }


def test_drop_reconnect_resubscribe_and_events_continue(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    events: queue.Queue[Any] = queue.Queue()
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        _launch_and_drop(fake, ws, client, events)
        before = ws.opened
        ws.drop()
        removed = _next(events)  # l1 cannot be re-subscribed: no method does it
        assert removed == dc.SubscriptionsRemovedEvent((("Language", "l1"),))
        assert removed.ids == ("l1",)
        assert ws.opened == before + 1
        restored = [f for f in ws.frames if f.conn == ws.opened]
        assert sorted((f.message["api"], str(f.message["params"])) for f in restored) == [
            ("Spawned", str({"spawnedCommandId": "s1"})),
            ("Spawned", str({"spawnedCommandId": "s2"})),
            ("Terminal", str({"terminalSessionId": "t1"})),
        ]
        assert all(f.message["method"] == "subscribeToEvents" for f in restored)
        assert sorted(f.id for f in restored) == [0, 1, 2]  # a new connection counts from 0
        assert all(f.message["apiKey"] == "k" for f in restored)
        assert ws.emit("Spawned", "stdout", {"spawnedCommandId": "s2"}, [b"again"]) == 1
        event = _next(events)
        assert isinstance(event, models.SpawnedStdoutEvent) and event.data == b"again"
        client.user.get_quotas({})  # calls go on over the new socket
        assert fake.requests[-1].via == "ws" and ws.frames[-1].conn == ws.opened


def test_a_refused_resubscription_is_one_subscriptions_removed_event(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    events: queue.Queue[Any] = queue.Queue()
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        _launch_and_drop(fake, ws, client, events)
        ws.refuse("s1", "t1")
        ws.drop()
        removed = _next(events)
        assert isinstance(removed, dc.SubscriptionsRemovedEvent)
        assert sorted(removed.subscriptions) == [
            ("Language", "l1"),
            ("Spawned", "s1"),
            ("Terminal", "t1"),
        ]
        assert set(client._transport("ws").core.subscriptions) == {("Spawned", "s2")}
        assert ws.subscribed() == {("Spawned", "s2")}
        with pytest.raises(queue.Empty):
            events.get(timeout=0.2)  # one event, not one per id


def test_reconnect_failing_loses_every_subscription(served: tuple[Fake, FakeWs, str]) -> None:
    """The server goes away for good: every subscribed id is named, once."""
    fake = Fake()
    install(fake)
    events: queue.Queue[Any] = queue.Queue()
    with serve(fake.app) as url:
        client = dc.DecthingsClientSync(api_key="k", base_url=url)
        client.on_event(events.put)
        client.spawned.subscribe_to_events({"spawnedCommandId": "s9"})
    # the server stopped: the socket dropped, no reconnect can succeed
    removed = _next(events)
    assert removed == dc.SubscriptionsRemovedEvent((("Spawned", "s9"),))
    client.close()


async def test_async_events_with_async_listeners_and_resubscribe(
    server: tuple[Fake, FakeWs, str],
) -> None:
    fake, ws, url = server
    got: asyncio.Queue[Any] = asyncio.Queue()
    plain: list[Any] = []

    async def listener(event: dc.DecthingsEvent) -> None:
        await got.put(event)

    async with dc.DecthingsClient(api_key="k", base_url=url) as client:
        client.on_event(listener)
        client.on_event(plain.append)
        await client.spawned.subscribe_to_events({"spawnedCommandId": "a1"})
        await client.language.start_language_server({"modelId": "m", "language": "python"})
        lang = ws.frames[-1]
        assert lang.message["method"] == "startLanguageServer"
        await asyncio.to_thread(ws.emit, "Spawned", "stdout", {"spawnedCommandId": "a1"}, [b"hi"])
        event = await asyncio.wait_for(got.get(), 5)
        assert isinstance(event, models.SpawnedStdoutEvent) and event.data == b"hi"
        before = ws.opened
        await asyncio.to_thread(ws.drop)
        removed = await asyncio.wait_for(got.get(), 5)
        assert removed == dc.SubscriptionsRemovedEvent((("Language", "s"),))
        assert ws.opened == before + 1
        assert ("Spawned", "a1") in ws.subscribed()
        await asyncio.to_thread(ws.emit, "Spawned", "stderr", {"spawnedCommandId": "a1"}, [b"x"])
        event = await asyncio.wait_for(got.get(), 5)
        assert isinstance(event, models.SpawnedStderrEvent)
        assert plain[:3] == [plain[0], removed, event] and len(plain) == 3


def test_listener_may_call_the_client(server: tuple[Fake, FakeWs, str]) -> None:
    """Listeners run off the reader thread: a call from inside one gets its answer."""
    fake, ws, url = server
    done = threading.Event()
    answers: list[Any] = []
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:

        def listener(event: dc.DecthingsEvent) -> None:
            answers.append(client.user.get_quotas({}))
            done.set()

        client.on_event(listener)
        client.user.get_quotas({})
        ws.emit("Terminal", "data", {"terminalSessionId": "t"}, [b"1"], everyone=True)
        assert done.wait(5)
    assert len(answers) == 1


def test_events_as_an_iterator_sync(server: tuple[Fake, FakeWs, str]) -> None:
    fake, ws, url = server
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        with client.events() as events:
            client.terminal.subscribe_to_events({"terminalSessionId": "t1"})
            for i in range(3):
                ws.emit("Terminal", "data", {"terminalSessionId": "t1"}, [bytes([i])])
            got = [event.data for _, event in zip(range(3), events, strict=False)]
            assert fake.requests[-1].via == "ws"
        assert got == [b"\x00", b"\x01", b"\x02"]
        assert client._transport("ws").core.listeners == []  # the block ended: removed
        client.user.get_quotas({})
        assert fake.requests[-1].via == "http"


async def test_events_as_an_async_iterator(server: tuple[Fake, FakeWs, str]) -> None:
    fake, ws, url = server
    async with dc.DecthingsClient(api_key="k", base_url=url) as client:
        async with client.events() as events:
            await client.debug.subscribe_to_events({"debugSessionId": "d1"})
            await asyncio.to_thread(ws.emit, "Debug", "initialized", {"debugSessionId": "d1"})
            event = await asyncio.wait_for(events.__anext__(), 5)
            assert isinstance(event, models.DebugInitializedEvent)
            assert event.debug_session_id == "d1"
        assert client._transport("ws").core.listeners == []
