"""The seeds' calls (shared/seeds 000, 002, 003) run as written against the fake on
127.0.0.1: one params dict with the wire's camelCase keys, passed positionally, sync and
async; and ``mypy --strict`` accepts them (``assert_type`` on results) and rejects a
misspelt params key."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import decthings_client as dc
import pytest
from decthings_client import DecthingsTensor

from tests.decthings.fake_server import Fake
from tests.support.server import serve

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = {"type": "temporaryLauncher", "spec": {"cpus": 0.25, "memoryMebibytes": 250}}


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[Fake, str]]:
    state = Fake()
    with serve(state.app) as url:
        yield state, url


@pytest.fixture
def server(fake: tuple[Fake, str]) -> tuple[Fake, str]:
    fake[0].reset()
    return fake


def test_seed_000_async(server: tuple[Fake, str]) -> None:
    fake, url = server
    client = dc.DecthingsClient(api_key="<myapikey>", base_url=url)

    async def main() -> None:
        get_models_result = await client.model.get_models({})
        evaluate_result = await client.model.evaluate(
            {
                "modelId": "<modelid>",
                "params": [
                    {
                        "name": "<parameter>",
                        "data": [DecthingsTensor(["My input text"], "string", [])],
                    }
                ],
            }
        )
        add_entries_result = await client.dataset.add_entries(
            {
                "datasetId": "<datasetid>",
                "keys": [{"key": "<key>", "data": [DecthingsTensor([], "i32", [0])]}],
            }
        )
        assert get_models_result.models[0].id == "s"
        assert evaluate_result.success is not None
        assert add_entries_result.new_dataset_version_id == "s"
        await client.close()

    asyncio.run(main())
    assert [(r.path, r.params) for r in fake.requests] == [
        ("/Model/getModels", {}),
        ("/Model/evaluate", {"modelId": "<modelid>", "params": [{"name": "<parameter>"}]}),
        ("/Dataset/addEntries", {"datasetId": "<datasetid>", "keys": ["<key>"]}),
    ]
    assert fake.requests[1].blobs == [DecthingsTensor(["My input text"], "string", []).serialize()]


def test_seed_000_sync(server: tuple[Fake, str]) -> None:
    fake, url = server
    with dc.DecthingsClientSync(api_key="<myapikey>", base_url=url) as client:
        client.model.get_models({})
        client.model.evaluate(
            {
                "modelId": "<modelid>",
                "params": [
                    {
                        "name": "<parameter>",
                        "data": [DecthingsTensor(["My input text"], "string", [])],
                    }
                ],
            }
        )
        client.dataset.add_entries(
            {
                "datasetId": "<datasetid>",
                "keys": [{"key": "<key>", "data": [DecthingsTensor([7], "i32", [])]}],
            }
        )
    assert fake.requests[2].blobs == [bytes.fromhex("050007000000")]


def test_seeds_002_and_003_parameter_shapes(server: tuple[Fake, str]) -> None:
    fake, url = server
    params: list[Any] = [
        {"name": "input", "data": {"type": "data", "data": [DecthingsTensor([1.0], "f32", [1])]}},
        {"name": "labels", "data": {"type": "dataset", "datasetId": "d", "datasetKey": "k"}},
    ]
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        client.model.train(
            {"modelId": "m", "newStateName": "n", "params": params, "executionLocation": LAUNCHER}
        )
        client.model.create_state(
            {"modelId": "m", "name": "s", "params": params, "executionLocation": LAUNCHER}
        )
    for request in fake.requests:
        assert request.params["params"] == [
            {"name": "input"},
            {"name": "labels", "data": {"type": "dataset", "datasetId": "d", "datasetKey": "k"}},
        ]
        assert request.blobs == [DecthingsTensor([1.0], "f32", [1]).serialize()]


def test_keywords_override_the_dict_and_missing_keys_are_named(server: tuple[Fake, str]) -> None:
    fake, url = server
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        client.model.delete_model({"modelId": "from-dict"}, model_id="from-keyword")  # type: ignore[call-overload]
        with pytest.raises(dc.DecthingsParameterError) as caught:
            client.model.delete_model({})  # type: ignore[typeddict-item]
    assert caught.value.parameter == "model_id"
    assert "'modelId' in its params dict" in str(caught.value)
    assert [r.params for r in fake.requests] == [{"modelId": "from-keyword"}]


SEED = """\
    from typing import assert_type

    from decthings_client import DecthingsClient, DecthingsClientSync, DecthingsTensor
    from decthings_client.models import DatasetAddEntriesResult, ModelEvaluateResult, ModelGetModelsResult


    async def main(client: DecthingsClient) -> None:
        assert_type(await client.model.get_models({}), ModelGetModelsResult)
        evaluate_result = await client.model.evaluate({
            "modelId": "<modelid>",
            "params": [{"name": "<parameter>", "data": [DecthingsTensor(["My input text"], "string", [])]}],
        })
        assert_type(evaluate_result, ModelEvaluateResult)
        assert_type(
            await client.dataset.add_entries({
                "datasetId": "<datasetid>",
                "keys": [{"key": "<key>", "data": [DecthingsTensor([], "i32", [0])]}],
            }),
            DatasetAddEntriesResult,
        )
        assert_type(await client.model.get_models(limit=5), ModelGetModelsResult)


    def sync(client: DecthingsClientSync) -> None:
        assert_type(client.model.get_models({}), ModelGetModelsResult)
        assert_type(client.model.evaluate(model_id="m", params=[]), ModelEvaluateResult)
"""

MISSPELT = """\
    from decthings_client import DecthingsClientSync


    def main(client: DecthingsClientSync) -> None:
        client.model.get_models({"limt": 5})
        client.model.evaluate({"modelID": "m", "params": []})
"""


def test_mypy_accepts_the_seeds_and_rejects_a_misspelt_key(tmp_path: Path) -> None:
    (tmp_path / "seed.py").write_text(textwrap.dedent(SEED))
    (tmp_path / "misspelt.py").write_text(textwrap.dedent(MISSPELT))
    env = {**os.environ, "MYPYPATH": f"{ROOT / 'generated'}:{ROOT}"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy"),
            "seed.py",
            "misspelt.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if e.startswith("seed.py")], run.stdout
    # each misspelt call matches neither overload (the TypedDict has no such key)
    assert sorted(e.split(":")[1] for e in errors) == ["5", "6"], run.stdout
    assert all("call-overload" in e for e in errors), run.stdout


def test_a_client_without_a_key_sends_no_authorization(server: tuple[Fake, str]) -> None:
    # security: [BearerAuth, {}] (some methods work without a key): api_key is optional
    fake, url = server
    with dc.DecthingsClientSync(base_url=url) as anonymous:
        anonymous.model.get_models({})
    with dc.DecthingsClientSync("k", base_url=url) as keyed:
        keyed.model.get_models({})
    assert [r.headers.get("authorization") for r in fake.requests] == [None, "Bearer k"]


def test_the_seeds_names() -> None:
    import clientcore

    assert dc.AsyncDecthingsClient is dc.DecthingsClient
    assert issubclass(dc.DecthingsClient, clientcore.AsyncAPIClient)
    assert issubclass(dc.DecthingsClientSync, clientcore.SyncAPIClient)
    namespaces = {
        "dataset": "Dataset", "debug": "Debug", "fs": "Fs", "image": "Image",
        "language": "Language", "model": "Model", "organization": "Organization",
        "persistent_launcher": "PersistentLauncher", "spawned": "Spawned",
        "terminal": "Terminal", "user": "User",
    }  # fmt: skip
    with dc.DecthingsClientSync() as client:
        for attribute, stem in namespaces.items():
            assert type(getattr(client, attribute)).__name__.startswith(stem)
        assert callable(client.model.get_models) and callable(client.fs.copy_node)


def test_the_seeds_result_or_error_style(server: tuple[Fake, str]) -> None:
    # seeds 002/003: `if (response.error) ... else response.result`
    fake, url = server
    fake.answer("/Model/train", {"error": {"code": "dataset_not_found", "datasetId": "d"}})
    params = {"modelId": "m", "newStateName": "n", "params": [], "executionLocation": LAUNCHER}
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        failed = client.model.with_result_response.train(params)
        fine = client.model.with_result_response.get_models({})
    assert failed.result is None and isinstance(failed.error, dc.DatasetNotFoundError)
    assert failed.error.dataset_id == "d"
    assert fine.error is None and fine.result is not None and fine.result.models[0].id == "s"

    async def run() -> Any:
        async with dc.DecthingsClient(api_key="k", base_url=url) as aclient:
            return await aclient.model.with_result_response.train(params)

    assert isinstance(asyncio.run(run()).error, dc.ModelTrainErrors)
