"""The seeds' calls (shared/seeds 000, 002, 003) run as written against the fake on
127.0.0.1: one params dict with the wire's camelCase keys, passed positionally, sync and
async; and ``mypy --strict`` accepts them (``assert_type`` on results, tensors typed
``DecthingsTensor`` by the spec's ``x-python-type``) and rejects a misspelt params key or
a tensor field used as another type."""

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


def test_tensors_are_decthings_tensors_both_ways(server: tuple[Fake, str]) -> None:
    """Tensor fields are typed ``DecthingsTensor`` (x-python-type): responses hold the
    instances the envelope decoded, a model given as params keeps its tensors as objects
    until the envelope takes them out, and anything else is refused by the model."""
    import pydantic
    import pydantic_core
    from decthings_client.models import DecthingsParameter, DecthingsParameterProvider

    from tests.decthings.fake_server import TENSOR_WIRE

    fake, url = server
    sent = DecthingsTensor([3, 4], "i64", [2])
    want = DecthingsTensor.deserialize(TENSOR_WIRE)[0]
    with dc.DecthingsClientSync(api_key="k", base_url=url) as client:
        result = client.model.evaluate(
            model_id="m", params=[DecthingsParameterProvider(name="in", data=[sent])]
        )
        entries = client.dataset.get_entries({"datasetId": "d", "entries": [0]})
    assert fake.requests[0].blobs == [sent.serialize()]
    assert result.success is not None
    outputs = [t for p in result.success.output for t in p.data]
    assert outputs and all(type(t) is DecthingsTensor and t == want for t in outputs)
    got = [d.data for key in entries.keys for d in key.data]
    assert got and all(type(t) is DecthingsTensor and t == want for t in got)

    async def run() -> Any:
        async with dc.DecthingsClient(api_key="k", base_url=url) as aclient:
            return await aclient.dataset.get_entries({"datasetId": "d", "entries": [0]})

    assert type(asyncio.run(run()).keys[0].data[0].data) is DecthingsTensor
    with pytest.raises(pydantic.ValidationError, match="instance of DecthingsTensor"):
        DecthingsParameter(name="p", data=[[1.0, 2.0]])  # type: ignore[list-item]
    assert DecthingsParameter(name="p", data=[sent]).model_dump()["data"][0] is sent
    with pytest.raises(pydantic_core.PydanticSerializationError, match="no JSON form"):
        DecthingsParameter(name="p", data=[sent]).model_dump_json()


SEED = """\
    from typing import assert_type

    from decthings_client import DecthingsClient, DecthingsClientSync, DecthingsTensor
    from decthings_client.models import DatasetAddEntriesResult, DecthingsParameter, ModelEvaluateResult, ModelGetModelsResult


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


    def tensors(client: DecthingsClientSync) -> None:
        result = client.model.evaluate(model_id="m", params=[])
        if result.success is not None:
            assert_type(result.success.output[0].data, list[DecthingsTensor])
        entries = client.dataset.get_entries({"datasetId": "d", "entries": [0]})
        assert_type(entries.keys[0].data[0].data, DecthingsTensor)
        assert_type(DecthingsParameter(name="p", data=[]).data, list[DecthingsTensor])
"""

MISSPELT = """\
    from decthings_client import DecthingsClientSync
    from decthings_client.models import DecthingsParameter


    def main(client: DecthingsClientSync) -> None:
        client.model.get_models({"limt": 5})
        client.model.evaluate({"modelID": "m", "params": []})
        entries = client.dataset.get_entries({"datasetId": "d", "entries": [0]})
        text: str = entries.keys[0].data[0].data
        DecthingsParameter(name="p", data=["My input text"])
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
    # each misspelt call matches neither overload (the TypedDict has no such key); a
    # tensor field is a DecthingsTensor (x-python-type), neither str nor taking one
    lines = {int(e.split(":")[1]): e for e in errors}
    assert sorted(lines) == [6, 7, 9, 10], run.stdout
    assert all("call-overload" in lines[n] for n in (6, 7)), run.stdout
    assert '"DecthingsTensor"' in lines[9] and "[assignment]" in lines[9], run.stdout
    assert "DecthingsTensor" in lines[10] and "[list-item]" in lines[10], run.stdout


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
