"""Events under ``mypy --strict``: ``on_event`` takes a typed listener (sync, and sync
or async for the async client), an event narrows by ``isinstance`` and its fields are
typed; a listener of the wrong type is rejected."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

USER = """
from collections.abc import Callable
from typing import assert_type

from decthings_client import (
    DecthingsClient,
    DecthingsClientSync,
    DecthingsEvent,
    SubscriptionsRemovedEvent,
    UnknownEvent,
)
from decthings_client.models import SpawnedExitEvent, SpawnedStdoutEvent, TerminalDataEvent


def listener(event: DecthingsEvent) -> None:
    if isinstance(event, SpawnedStdoutEvent):
        assert_type(event.data, bytes)
        assert_type(event.spawned_command_id, str)
    elif isinstance(event, SpawnedExitEvent):
        assert_type(event.spawned_command_id, str)
    elif isinstance(event, TerminalDataEvent):
        assert_type(event.terminal_session_id, str)
    elif isinstance(event, SubscriptionsRemovedEvent):
        assert_type(event.ids, tuple[str, ...])
    elif isinstance(event, UnknownEvent):
        assert_type(event.namespace, str)


async def alistener(event: DecthingsEvent) -> None:
    pass


def main(client: DecthingsClientSync, aclient: DecthingsClient) -> None:
    dispose = client.on_event(listener)
    assert_type(dispose, Callable[[], None])
    dispose()
    aclient.on_event(alistener)
    aclient.on_event(listener)
    with client.events() as events:
        for event in events:
            assert_type(event, DecthingsEvent)


async def amain(aclient: DecthingsClient) -> None:
    async with aclient.events() as events:
        async for event in events:
            assert_type(event, DecthingsEvent)
"""

WRONG = """
from decthings_client import DecthingsClientSync


def listener(event: int) -> None:
    pass


def main(client: DecthingsClientSync) -> None:
    client.on_event(listener)
"""


def test_mypy_types_listeners_and_events(tmp_path: Path) -> None:
    (tmp_path / "user.py").write_text(textwrap.dedent(USER))
    (tmp_path / "wrong.py").write_text(textwrap.dedent(WRONG))
    env = {**os.environ, "MYPYPATH": f"{ROOT / 'generated'}:{ROOT}"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy"),
            "user.py",
            "wrong.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if e.startswith("user.py")], run.stdout
    assert len(errors) == 1 and errors[0].startswith("wrong.py:10:"), run.stdout
    assert "arg-type" in errors[0], run.stdout
