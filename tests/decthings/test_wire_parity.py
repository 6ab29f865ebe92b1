"""Wire parity with the official client, decthings-api 0.0.4 (generation A), for the
methods the two generations share: the same call gives the same path, the same
``Authorization`` and ``Content-Type`` headers and the same request bytes (JSON text,
blob lengths, blobs), both recorded by the fake on 127.0.0.1.

The official client takes one params dict with the wire's camelCase keys; ours is called
with the same values as snake_case keyword arguments.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import decthings_client as dc
import pytest
from decthings_client import DecthingsTensor

from tests.decthings.fake_server import Fake, Method, load_methods
from tests.support.server import serve

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from decthings_api import tensor as official_tensor
    from decthings_api.client_sync import DecthingsClientSync as OfficialSync

METHODS = {(m.resource, m.python_name): m for m in load_methods()}
LAUNCHER = {"type": "temporaryLauncher", "spec": {"cpus": 0.25, "memoryMebibytes": 250}}


def _text() -> tuple[Any, Any]:
    return (
        DecthingsTensor(["My input text", "bé"], "string", [2]),
        official_tensor.DecthingsTensor(["My input text", "bé"], "string", [2]),
    )


def _number(value: int) -> tuple[Any, Any]:
    return DecthingsTensor([value], "i32", []), official_tensor.DecthingsTensor([value], "i32", [])


def _pick(value: Any, side: int) -> Any:
    """The call's params for one side: tensor pairs split (ours, theirs)."""
    if isinstance(value, tuple):
        return value[side]
    if isinstance(value, dict):
        return {k: _pick(v, side) for k, v in value.items()}
    if isinstance(value, list):
        return [_pick(v, side) for v in value]
    return value


CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("model", "get_models", {}),
    ("model", "get_models", {"offset": 5, "limit": 10, "filter": {"ids": ["m1"]}}),
    ("model", "evaluate", {"modelId": "m", "params": [{"name": "input", "data": [_text()]}]}),
    (
        "model",
        "evaluate",
        {
            "modelId": "m",
            "params": [
                {"name": "a", "data": [_number(7), _number(8)]},
                {"name": "b", "data": {"type": "dataset", "datasetId": "d", "datasetKey": "k"}},
            ],
            "snapshotId": "snap",
        },
    ),
    (
        "model",
        "create_state",
        {
            "modelId": "m",
            "name": "st",
            "params": [{"name": "p", "data": [_number(1)]}],
            "executionLocation": LAUNCHER,
        },
    ),
    (
        "model",
        "train",
        {
            "modelId": "m",
            "newStateName": "trained",
            "params": [{"name": "x", "data": [_text()]}],
            "executionLocation": LAUNCHER,
        },
    ),
    (
        "model",
        "upload_state",
        {"modelId": "m", "name": "up", "data": [{"key": "w", "data": b"\x00\x01"}]},
    ),
    ("model", "delete_model", {"modelId": "m"}),
    ("model", "get_training_status", {"modelId": "m", "trainingSessionId": "t"}),
    ("model", "cancel_training_session", {"modelId": "m", "trainingSessionId": "t"}),
    ("model", "get_evaluations", {"modelId": "m"}),
    (
        "dataset",
        "add_entries",
        {
            "datasetId": "d",
            "keys": [
                {"key": "y", "data": [_number(1), _number(2)]},
                {"key": "x", "data": [_text(), _text()]},
            ],
        },
    ),
    ("dataset", "create_dataset", {"name": "ds", "description": "", "keys": []}),
    ("dataset", "get_datasets", {}),
    ("dataset", "remove_entries", {"datasetId": "d", "entries": [1, 2]}),
    ("dataset", "get_entries", {"datasetId": "d", "entries": {"start": 0, "end": 2}}),
    ("user", "get_users", {"userIds": ["u1", "u2"]}),
    ("user", "find_matching_users", {"searchTerm": "ann"}),
    ("user", "estimate_amount_due", {}),
    ("persistent_launcher", "get_persistent_launchers", {}),
    ("spawned", "terminate_spawned_command", {"spawnedCommandId": "s"}),
    (
        "terminal",
        "resize_terminal_session",
        {"terminalSessionId": "t", "size": {"cols": 80, "rows": 24}},
    ),
    ("fs", "lookup", {"modelId": "m", "parent": 1, "name": "é.txt"}),
    ("debug", "terminate_debug_session", {"debugSessionId": "d"}),
    (
        "debug",
        "call_instantiate_model",
        {
            "debugSessionId": "d",
            "stateData": {"type": "data", "data": [{"key": "k", "data": b"xyz"}]},
        },
    ),
]


OFFICIAL_ANSWERS = {"getEntries": {"keys": [], "indexes": []}}


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[Fake, str]]:
    state = Fake()
    with serve(state.app) as url:
        yield state, url


def _kwargs(method: Method, params: dict[str, Any]) -> dict[str, Any]:
    props = method.params["properties"]
    return {props[k].get("x-python-name", k): v for k, v in params.items()}


def test_parity_covers_at_least_15_methods() -> None:
    assert len({(r, m) for r, m, _ in CALLS}) >= 15


@pytest.mark.parametrize(
    ("resource", "name", "params"), CALLS, ids=[f"{r}.{n}" for r, n, _ in CALLS]
)
def test_same_request_bytes_as_decthings_api(
    fake: tuple[Fake, str], resource: str, name: str, params: dict[str, Any]
) -> None:
    state, url = fake
    state.reset()
    method = METHODS[(resource, name)]
    with dc.DecthingsClientSync("the-key", base_url=url, max_retries=0) as ours:
        getattr(getattr(ours, resource), name)(**_kwargs(method, _pick(params, 0)))
    # the official client parses little of an answer: the least it needs
    state.answer(method.path, {"result": OFFICIAL_ANSWERS.get(method.name, {})})
    theirs = OfficialSync(api_key="the-key", http_server_address=url)
    try:
        getattr(getattr(theirs, resource), name)(_pick(params, 1))
    finally:
        theirs.close()
    mine, official = state.requests
    assert mine.path == official.path == method.path
    assert mine.body == official.body
    for header in ("authorization", "content-type"):
        assert mine.headers[header] == official.headers[header]
