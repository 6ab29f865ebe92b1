"""The Decthings part of the main job: the regenerated ``decthings_client`` against a
local fake.

Called by ``demo.py`` after the DIAL part.  It starts the Decthings fake from
``tests/decthings`` on 127.0.0.1 (every method of the spec, speaking the binary
envelope over HTTP and over its WebSocket) and runs the calls of the user's own
Decthings pages as they are written: one params dict with the wire's camelCase keys, a
string tensor, async and sync; then an error the API answers inside a 200 body, raised
as its typed class; then an event listener, which moves the calls onto one WebSocket,
and a spawned command's output arriving as typed events.
"""

from __future__ import annotations

import asyncio
import queue

from decthings_client import (
    DatasetAddEntriesErrors,
    DatasetNotFoundError,
    DecthingsClient,
    DecthingsClientSync,
    DecthingsError,
    DecthingsEvent,
    DecthingsTensor,
)
from decthings_client.models import SpawnedExitEvent, SpawnedStdoutEvent

from tests.decthings.fake_server import Fake
from tests.decthings.fake_ws import FakeWs, install
from tests.support.server import serve


def step(title: str) -> None:
    print(f"\n== Decthings: {title}")


async def async_demo(base_url: str) -> None:
    client = DecthingsClient(api_key="<myapikey>", base_url=base_url)
    step("await client.model.get_models({})")
    models = await client.model.get_models({})
    print("  models:", [model.id for model in models.models])
    step("await client.model.evaluate({... DecthingsTensor(['My input text'], 'string', [])})")
    evaluated = await client.model.evaluate(
        {
            "modelId": "<modelid>",
            "params": [
                {"name": "<parameter>", "data": [DecthingsTensor(["My input text"], "string", [])]}
            ],
        }
    )
    print("  evaluated:", "success" if evaluated.success is not None else evaluated.failed)
    await client.close()


def sync_demo(fake: Fake, base_url: str) -> None:
    with DecthingsClientSync(api_key="<myapikey>", base_url=base_url) as client:
        step("client.dataset.add_entries({... DecthingsTensor([], 'i32', [0])})")
        added = client.dataset.add_entries(
            {
                "datasetId": "<datasetid>",
                "keys": [{"key": "<key>", "data": [DecthingsTensor([], "i32", [0])]}],
            }
        )
        print("  new dataset version:", added.new_dataset_version_id)
        step("an error inside a 200 body: dataset_not_found")
        fake.answer("/Dataset/addEntries", {"error": {"code": "dataset_not_found"}})
        try:
            client.dataset.add_entries(
                {
                    "datasetId": "missing",
                    "keys": [{"key": "k", "data": [DecthingsTensor([1], "u8", [1])]}],
                }
            )
        except DatasetNotFoundError as err:  # also DatasetAddEntriesErrors and DecthingsError
            assert isinstance(err, DatasetAddEntriesErrors) and isinstance(err, DecthingsError)
            print(f"  caught DatasetNotFoundError: code={err.code!r}, HTTP {err.status_code}")


def events_demo(fake: Fake, ws: FakeWs, base_url: str) -> None:
    with DecthingsClientSync(api_key="<myapikey>", base_url=base_url) as client:
        step("client.on_event(listener): from now on the calls go over one WebSocket")
        received: queue.Queue[DecthingsEvent] = queue.Queue()
        dispose = client.on_event(received.put)
        fake.answer("/Spawned/spawnCommand", {"result": {"spawnedCommandId": "cmd-1"}})
        spawned = client.spawned.spawn_command(
            {
                "executionLocation": {"type": "persistentLauncher", "persistentLauncherId": "p"},
                "command": "echo",
                "args": ["hello"],
            }
        )
        print("  spawned", spawned.spawned_command_id, "over", fake.requests[-1].via)
        step("the command's output and exit, as typed events")
        ws.emit("Spawned", "stdout", {"spawnedCommandId": "cmd-1"}, [b"hello\n"])
        exit_reason = {"code": "process_exit", "exitCode": 0, "oom": False}
        ws.emit("Spawned", "exit", {"spawnedCommandId": "cmd-1", "reason": exit_reason})
        for _ in range(2):
            event = received.get(timeout=10)
            if isinstance(event, SpawnedStdoutEvent):
                print(f"  {type(event).__name__}: {event.data!r}")
            elif isinstance(event, SpawnedExitEvent):
                print(f"  {type(event).__name__}: {event.reason}")
        dispose()  # no listener and no subscription left: back to HTTP
        client.model.get_models({})
        print("  after dispose(), get_models went over", fake.requests[-1].via)


def main() -> None:
    fake = Fake()
    ws = install(fake)
    with serve(fake.app) as base_url:
        print("\nDecthings fake listening on", base_url)
        asyncio.run(async_demo(base_url))
        sync_demo(fake, base_url)
        events_demo(fake, ws, base_url)


if __name__ == "__main__":
    main()
